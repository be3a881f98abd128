"""Y004's pre-check: which strings Jekyll reads as another type the schema is asked about.

``SchemaChecker._pending`` answers "none" for a document whose every such string is a plain
UTC time under a key that takes times, without ``_takes_time``'s reading of each string.
Held here: that shortcut gives what ``_takes_time`` gives, string by string, on mappings
near and far from that shape; its time pattern only takes texts that both of Jekyll's
readers read as a time; and it is really taken for an article's times.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.parse.scalars import TIME, ruby_readings
from linter.validate.schema import _PLAIN_UTC, SchemaChecker, bundled_schema

if TYPE_CHECKING:
    from linter.model import DataPath

CHECKER = SchemaChecker(bundled_schema(), subset=False)

#: Keys that take times (the bundled schema's), named keys that do not, a misspelt key no
#: subschema applies to, list items, and the document itself.
PATHS: List[DataPath] = [
    ("publishedDateTime",),
    ("related", 0, "publishedDateTime"),
    ("related", 3, "publishedDateTime"),
    ("title",),
    ("related", 0, "title"),
    ("provider", "name"),
    ("publishedDatetime",),
    ("related", 0, "publishedDatetime"),
    ("topics", 0),
    ("related", 0),
    (),
]
#: Fields of a date-time near the plain shape: edges of each part and near misses.
YEARS = st.sampled_from(["2019", "2020", "2100", "2000", "1900", "0000", "9999", "201", "20190", "２０１９"])
MONTHS = st.sampled_from(["01", "02", "04", "06", "09", "11", "12", "00", "13", "1", "1a", "٠١"])
DAYS = st.sampled_from(["01", "09", "10", "19", "28", "29", "30", "31", "00", "32", "3", "2 "])
HOURS = st.sampled_from(["00", "09", "19", "23", "24", "29", "7"])
SIXTY = st.sampled_from(["00", "05", "59", "60", "99", "5"])
ENDS = st.sampled_from(["Z", "z", "", "+00:00", "-05:30", ".5Z", "Z ", "Z\n", "ZZ"])
SEPARATORS = st.sampled_from(["T", "T", "T", "t", " ", "_"])


@st.composite
def date_times(draw: st.DrawFn) -> str:
    year, month, day = draw(YEARS), draw(MONTHS), draw(DAYS)
    clock = f"{draw(HOURS)}:{draw(SIXTY)}:{draw(SIXTY)}"
    return f"{year}-{month}-{day}{draw(SEPARATORS)}{clock}{draw(ENDS)}"


TEXTS = st.one_of(
    date_times(),
    date_times(),
    st.sampled_from(["2019-03-05", "yes", "no", "on", "1.5", "0x1F", "~", "12:30:00", "2019-03-05 10:00:00"]),
    st.text(alphabet="0123456789-:TZ. +", max_size=22),
)


def _slow(checker: SchemaChecker, jekyll: Dict[DataPath, str]) -> Dict[DataPath, str]:
    return {path: text for path, text in jekyll.items() if not checker._takes_time(path, text)}


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(jekyll=st.dictionaries(st.sampled_from(PATHS), TEXTS, min_size=1, max_size=5))
def test_the_shortcut_gives_what_each_string_asked_gives(jekyll: Dict[DataPath, str]) -> None:
    """Times in every part off by a little (a day the month lacks, hour 24, no Z, a
    lower-case t, non-ASCII digits), under time keys, other keys, unknown keys, list items:
    the strings left for the schema are those ``_takes_time`` leaves, one by one."""
    assert CHECKER._pending(jekyll) == _slow(CHECKER, jekyll)


def test_the_shortcut_holds_for_a_schema_without_times() -> None:
    """A user's schema where ``publishedDateTime`` is plain text: no key takes a time (the
    bundled schema's declaration is not the only one), so the times are asked about."""
    schema = {"type": "object", "properties": {"publishedDateTime": {"type": "string"}}}
    checker = SchemaChecker(schema, subset=False)
    jekyll: Dict[DataPath, str] = {("publishedDateTime",): "2019-03-05T10:00:00Z"}
    assert checker._pending(jekyll) == _slow(checker, jekyll) == jekyll


@pytest.mark.parametrize("year", [2019, 2020, 2100, 2000, 1900, 0, 9999])
def test_the_time_pattern_takes_only_what_both_readers_read_as_a_time(year: int) -> None:
    """Every day number of every month of common and leap years (and year 0000), with the
    clock's edges: where the pattern matches, Psych and SafeYAML both read a time."""
    clocks = ["00:00:00", "23:59:59", "24:00:00", "10:60:00", "10:00:60"]
    for month, day, clock in itertools.product(range(0, 14), range(0, 33), clocks):
        text = f"{year:04d}-{month:02d}-{day:02d}T{clock}Z"
        if _PLAIN_UTC.fullmatch(text):
            assert ruby_readings(text) == (TIME, TIME), text


def test_the_pattern_takes_the_days_every_year_has() -> None:
    """The shortcut is useful: it takes 2019's every day but none past a month's end (and
    leaves February 29th to ``_takes_time``)."""
    taken = [f"2019-{m:02d}-{d:02d}T10:00:00Z" for m in range(1, 13) for d in range(1, 32)]
    matched = {text[5:10] for text in taken if _PLAIN_UTC.fullmatch(text)}
    assert len(matched) == 365 and "02-29" not in matched and "04-31" not in matched


def test_an_articles_times_are_taken_without_reading_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut is really taken for the usual document; anything off it is read."""

    def unread(path: DataPath, text: str) -> bool:
        raise AssertionError(f"{text} was read one by one")

    checker = SchemaChecker(bundled_schema(), subset=False)
    monkeypatch.setattr(checker, "_takes_time", unread)
    times: Dict[DataPath, str] = {
        ("publishedDateTime",): "2019-03-05T10:00:00Z",
        ("related", 0, "publishedDateTime"): "2018-12-31T23:59:59Z",
    }
    assert checker._pending(times) == {}
    with pytest.raises(AssertionError, match="was read"):
        checker._pending({**times, ("related", 1, "publishedDateTime"): "2020-02-29T10:00:00Z"})
    with pytest.raises(AssertionError, match="was read"):
        checker._pending({**times, ("title",): "2019-03-05T10:00:00Z"})

"""Dates: real RFC 3339 date-times, and file names that agree with them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from linter.model import Severity
from linter.regex import lazy
from linter.rules.base import Context, Facts, Hit, facts, rule
from linter.values import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, List, NamedTuple, Optional, Tuple

    from linter.model import DataPath
    from linter.rules.base import Article
else:
    from linter.named import NamedTuple

_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")
#: Date-times valid whatever the year and month: UTC, a day 01-28, a time within 23:59:59
#: (ASCII digits, not the year 0000). Most values are; the rest go to ``parse_date_time``.
_PLAINLY_VALID = re.compile(
    r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]+)?[Zz]\Z"
)
#: Date-times one a line, each valid as ``_PLAINLY_VALID`` is, but for any day that every
#: year has (the 29th and 30th but in February, the 31st of the long months).
_VALID_LINES = re.compile(
    r"(?:(?!0000)[0-9]{4}-"
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?[Zz]\n)*"
)
_DATE_ONLY = lazy(r"\d{4}-\d{2}-\d{2}\Z")
_NO_OFFSET = lazy(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\Z")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
#: Jekyll's own pattern (``Document::DATE_FILENAME_MATCHER``) with four-digit years only.
_FILE_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})-[^/]*\.[^./]+\Z")


def date_fields(article: Article, context: Context) -> List[Tuple[DataPath, Any]]:
    """Every publishedDateTime: the article's and each related item's."""
    key = "publishedDateTime"
    return [(path + (key,), data[key]) for path, data, _ in facts(article, context).mappings if key in data]


@lru_cache(maxsize=256)  # D001 and D002 both read the article's own date
def parse_date_time(text: str) -> Tuple[Optional[datetime], str]:
    """(UTC datetime, "") for a valid RFC 3339 date-time, else (None, why not)."""
    match = _RFC3339.match(text)
    if match is None:
        return None, _shape_problem(text)
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    if year == 0:
        return None, "names the year 0000, which date libraries cannot represent"
    if not 1 <= month <= 12:
        return None, f"names month {month:02d}, which does not exist"
    last = _days_in_month(year, month)
    if not 1 <= day <= last:
        return None, f"names day {day:02d} of {_MONTHS[month - 1]} {year}, which has {last} days"
    if hour > 23 or minute > 59 or second > 59:
        return None, _time_problem(hour, minute, second)
    offset = _offset(match.group(8))
    if offset is timezone.utc:  # already UTC, the usual case
        return datetime(year, month, day, hour, minute, second, tzinfo=offset), ""
    if offset is None:
        return None, f"has the UTC offset {match.group(8)}, which does not exist"
    moment = datetime(year, month, day, hour, minute, second, tzinfo=offset)
    try:
        return moment.astimezone(timezone.utc), ""
    except OverflowError:  # 0001-01-01T00:30:00+01:00 is in year 0000 in UTC
        return None, "falls outside the years 0001-9999 in UTC"


def _time_problem(hour: int, minute: int, second: int) -> str:
    time = f"{hour:02d}:{minute:02d}:{second:02d}"
    if second == 60 and hour <= 23 and minute <= 59:
        # RFC 3339 allows a leap second, but no reader of these files keeps it.
        return f"names the leap second {time}, which Jekyll reads as the next minute (Psych) or :59 (SafeYAML)"
    return f"names the time {time}, which does not exist"


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _shape_problem(text: str) -> str:
    stripped = text.strip()
    if stripped != text and _RFC3339.match(stripped):
        return "has spaces around it"
    if _DATE_ONLY.match(stripped):
        return "is a date without a time; write e.g. 2023-05-29T23:00:00Z"
    if _NO_OFFSET.match(stripped):
        return "has no UTC offset; add 'Z' or '+hh:mm'"
    return "is not an RFC 3339 date-time like 2023-05-29T23:00:00Z"


def _offset(text: str) -> Optional[timezone]:
    if text in ("Z", "z"):
        return timezone.utc
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        return None
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def dates_valid(look: Facts, context: Context) -> bool:
    """D001's screen: every publishedDateTime string is valid (``all_valid``)."""
    return all_valid(look.dates)


@rule("D001", "invalid-date-time", screen=dates_valid)
def invalid_date_time(article: Article, context: Context) -> Iterator[Hit]:
    """A publishedDateTime is not a real RFC 3339 date-time with a UTC offset.

    **Why**: sites sort, filter and show articles by this value. A date that does not
    exist (`2023-02-30`), a bare date, or a time without an offset is read differently by
    every tool, or not at all.

    **Example** (fails): `publishedDateTime: 2023-02-30T23:00:00Z`, `2023-05-29`,
    `2023-05-29T23:00:00`, `May 29, 2023`.

    **Jekyll**: Jekyll's readers turn a date-like value into a time and roll impossible days
    over silently: `2024-02-30T10:00:00Z` becomes March 1 (Psych); a leap second `:60`
    becomes the next minute (Psych) or `:59` (SafeYAML). A month 13 or an hour 25 stays text,
    and a template that formats it (`date_to_xmlschema`, `date:`) stops the whole build. A
    time without a UTC offset is read in the build machine's time zone. lint-news is stricter
    than Jekyll on offsets and bare dates because other consumers (PyYAML-based tools, the
    JSON output, a browser reading a date without offset as local time) read them
    differently.

    **Fix**: write the UTC time as `2023-05-29T23:00:00Z` (or with an offset, `+02:00`).
    """
    if dates_valid(facts(article, context), context):
        return
    for path, value in date_fields(article, context):
        if isinstance(value, str) and _PLAINLY_VALID.match(value) is None:
            moment, why = parse_date_time(value)
            if moment is None:
                yield Hit(path, f"{shown(value, path)} {why}")


def all_valid(dates: List[str]) -> bool:
    """Whether D001 takes every one of these date-times, asked in one match; most files'
    dates are UTC date-times on a day that every year has (``_VALID_LINES``)."""
    joined = "\n".join(dates)
    return not dates or joined.count("\n") == len(dates) - 1 and _VALID_LINES.fullmatch(joined + "\n") is not None


def named_as_published(look: Facts, context: Context) -> bool:
    """D002 and D003's screen: the file name starts with the UTC day of a plainly valid
    publishedDateTime, as most do: that day exists (a day 01-28), so neither has anything
    to say."""
    value = look.published
    if value is None or _PLAINLY_VALID.match(value) is None:
        return False
    filename = context.filename
    name = filename[filename.rfind("/") + 1 :]
    return name.startswith(value[:10]) and name[10:11] == "-" and "\\" not in name


@rule("D002", "filename-date-mismatch", Severity.WARNING, screen=named_as_published)
def filename_date_mismatch(article: Article, context: Context) -> Iterator[Hit]:
    """The date in a `YYYY-MM-DD-slug.md` file name is more than a day from publishedDateTime,
    or is a day that does not exist (`2024-02-30`).

    **Why**: Jekyll takes the post date from the file name; the generator names files by the
    publication date in the site's local time zone, so the two differ by one day at most. A
    larger gap means the file was renamed or the date edited by hand. A day past the end of
    its month is not refused by Jekyll: it rolls over silently (`2024-02-30` is dated March 1,
    and the page's date and URL say so).

    **Example** (fails): `_news/2023-06-02-report.md` with
    `publishedDateTime: 2023-05-29T23:00:00Z`; `_news/2024-02-30-report.md`.

    **Jekyll**: Jekyll dates the article by its file name (its URL and its place in date
    order follow it), not by `publishedDateTime`.

    **Fix**: rename the file or correct the date.
    """
    if named_as_published(facts(article, context), context):
        return
    named = file_date(context.filename)
    if named is None or named.day is None:
        return  # no date in the name, or not a date at all (D003)
    if named.rolled:
        yield Hit(
            ("publishedDateTime",),
            f"file name date {named.written} does not exist; Jekyll dates the article {named.day}",
        )
        return
    value = article.get("publishedDateTime")
    day = utc_day(value) if isinstance(value, str) else None
    if day is not None and abs((day - named.day).days) > 1:
        published = day.isoformat()
        message = f"file name date {named.written} is more than a day from publishedDateTime {published}"
        yield Hit(("publishedDateTime",), message)


def utc_day(text: str) -> Optional[date]:
    """The UTC day of a valid RFC 3339 date-time, else None. A plainly valid one is already
    in UTC: its day is its first ten characters, read without building a datetime."""
    if _PLAINLY_VALID.match(text) is not None:
        return date.fromisoformat(text[:10])
    moment = parse_date_time(text)[0]
    return moment.date() if moment is not None else None


@rule("D003", "filename-date-invalid", screen=named_as_published)
def filename_date_invalid(article: Article, context: Context) -> Iterator[Hit]:
    """The date in a `YYYY-MM-DD-slug.md` file name is not a date (month 13, day 32, day 00).

    **Why**: the file name is the article's date for Jekyll, and a date that is not one
    stops every build of the site.

    **Jekyll**: Jekyll reads the date of every collection document from its file name and
    stops with "Invalid date ... does not have a valid date in the filename": the whole
    site fails to build, not only this article. (A day past the end of its month, such as
    `2024-02-30`, is taken as a day of the next month instead: that is D002.)

    **Example** (fails): `_news/2024-13-01-report.md`, `_news/2024-04-00-report.md`.

    **Fix**: rename the file to the article's real publication date.
    """
    if named_as_published(facts(article, context), context):
        return
    named = file_date(context.filename)
    if named is not None and named.day is None:
        name = context.filename.replace("\\", "/").rsplit("/", 1)[-1]
        why = "which is not a date: Jekyll aborts the site build"
        yield Hit((), f"file name {shown(name, ())} starts with {named.written}, {why}")


class FileDate(NamedTuple):
    """The date a file name starts with: as written, the day Jekyll makes of it (None when
    Jekyll refuses it), and whether that day differs from the one written (rolled over)."""

    written: str
    day: Optional[date]
    rolled: bool


@lru_cache(maxsize=16)  # D002 and D003 ask about the same file
def file_date(filename: str) -> Optional[FileDate]:
    """The date of a `YYYY-M(M)-D(D)-slug.ext` file name as Jekyll reads it: Ruby's
    ``Time.parse`` takes any day 1-31 and rolls it over into the next month; a month outside
    1-12 or a day outside 1-31 makes Jekyll abort."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    match = _FILE_DATE.match(name)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    written = "-".join(match.groups())
    if year == 0:
        return None  # Ruby takes the year 0000; Python's dates cannot hold it
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return FileDate(written, None, False)
    jekyll = date(year, month, 1) + timedelta(days=day - 1)
    return FileDate(written, jekyll, jekyll.month != month)

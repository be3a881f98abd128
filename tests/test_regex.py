"""``linter.regex``: patterns compiled on first use answer exactly as ``re`` does.

A one-file run (pre-commit's usual case) is mostly start-up, and compiling every pattern
at import took about a sixth of it.
"""

from __future__ import annotations

import re
import sys
from typing import List

import pytest

from linter.regex import LazyPattern, lazy


def _is_compiled(pattern: LazyPattern) -> bool:
    try:
        object.__getattribute__(pattern, "match")
    except AttributeError:
        return False
    return True


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_re_does() -> None:
    pattern = lazy(r"a(b+)c", re.I)
    assert not _is_compiled(pattern)
    match = pattern.match("xABBC", 1)
    assert _is_compiled(pattern)
    assert match is not None and match.group(1) == "BB"
    reference = re.compile(r"a(b+)c", re.I)
    assert (pattern.pattern, pattern.flags) == (reference.pattern, reference.flags)
    assert pattern.sub("-", "abc abbc") == reference.sub("-", "abc abbc")
    assert pattern.split("1abc2") == reference.split("1abc2")
    assert pattern.findall("abc ABC") == reference.findall("abc ABC")
    assert [m.span() for m in pattern.finditer("abc abc")] == [(0, 3), (4, 7)]
    assert pattern.search("zzabc") is not None and pattern.fullmatch("abcx") is None


def test_a_lazy_pattern_with_a_bad_pattern_fails_on_first_use_with_re_error() -> None:
    pattern = lazy("(")
    try:
        pattern.match("x")
    except re.error:
        return
    raise AssertionError("an invalid pattern must raise re.error when first used")


# -- fast paths that answer without a pattern agree with it ----------------------------------

EVERY_CHARACTER = [chr(code) for code in range(sys.maxunicode + 1)]


def test_every_character_the_url_space_or_control_pattern_finds_is_unprintable_or_a_space() -> None:
    from linter.rules.urls import _SPACE_OR_CONTROL, _space_or_control

    for char in EVERY_CHARACTER:
        found = _space_or_control(f"https://example.com/{char}")
        expected = _SPACE_OR_CONTROL.search(f"https://example.com/{char}")
        assert (found and found.group()) == (expected and expected.group()), hex(ord(char))


def test_every_control_character_t004_reports_is_unprintable() -> None:
    from linter.rules.content import _CONTROL

    assert [c for c in EVERY_CHARACTER if _CONTROL.match(c) and c.isprintable()] == []


@pytest.mark.parametrize(
    "text",
    ["7", "87", "1200", "99999999999999999999", "0", "07", "089", "2016-01-05T04:24:00Z", "2015-12-31T23:59:59Z",
     "2016-01-05T24:24:00Z", "2016-1-05T04:24:00Z", "١٢", "1_000", "news", "", "~", ".inf"],
)  # fmt: skip
def test_resolve_answers_as_the_yaml_1_1_table(text: str) -> None:
    from linter.parse.scalars import RESOLVERS, TAG, resolve

    table = next((tag for tag, pattern in RESOLVERS.get(text[:1], ()) if pattern.match(text)), TAG + "str")
    assert resolve(text) == table


def _urls() -> List[str]:
    """URLs around every edge of ``plainly_valid``: each ASCII character and a few
    others (case-folding 'ſ' and 'K', non-ASCII, spaces) in the scheme, the host and the
    path; escapes; label and host lengths at and past their limits."""
    odd = [chr(code) for code in range(128)] + ["ſ", "K", "é", "\u3000", "\u2028", "%2", "%zz", "%2F", "%%41"]
    urls = [f"{scheme}://example.com/a" for scheme in ("http", "https", "HTTP", "hTTps", "ftp", "httpſ", "httpss")]
    for char in odd:
        urls += [
            f"https://exa{char}mple.com/x",
            f"https://{char}example.com",
            f"https://example.com{char}",
            f"https://example.com/{char}",
            f"https://example.com/p?q={char}#{char}",
            f"https://{char}.example.com/",
        ]
    for label in (1, 62, 63, 64):
        urls += [f"https://{'a' * label}.com/", f"https://-{'a' * label}.com/", f"https://{'a' * label}-.com/"]
    for size in (252, 253, 254):
        host = ".".join(["a" * 50] * 6)[: size - 1] + "b"
        urls += [f"https://{host}/", f"https://{host}.", f"https://{host}"]
    return urls + ["https://a..b/", "https://.a/", "https://a.b.", "https://[::1]/", "https://a.com:80/", ""]


def test_every_url_taken_as_plainly_valid_passes_u001_to_u004_and_u009() -> None:
    from linter.rules.urls import _BAD_ESCAPE, _space_or_control, plainly_valid, url_problem

    plain = [url for url in _urls() if plainly_valid(url)]
    for url in plain:
        assert _space_or_control(url) is None and url_problem(url) == "", url
        assert _BAD_ESCAPE.search(url) is None and "@" not in url and url.isascii(), url
    assert len(plain) > 400  # the pattern takes the common URLs (the check above is not empty)


def test_plainly_valid_is_its_spelled_out_definition() -> None:
    """The one pattern of ``plainly_valid`` says what its docstring spells out, check by check."""
    from linter.rules.urls import _BAD_ESCAPE, host_problem, plainly_valid

    start = re.compile(r"[hH][tT][tT][pP][sS]?://([a-zA-Z0-9.-]{1,253})(?:[/?#]|\Z)")

    def spelled_out(url: str) -> bool:
        if not (url.isascii() and url.isprintable()) or " " in url or "@" in url:
            return False
        found = start.match(url)
        return found is not None and not host_problem(found.group(1).lower()) and not _BAD_ESCAPE.search(url)

    odd = [chr(code) for code in range(128)] + ["ſ", "é", "%", "%4", "%41", "%zz", "@"]
    urls = _urls() + [f"https://example.com/{a}{b}" for a in odd for b in odd]
    assert sum(plainly_valid(url) for url in urls) > 9_000
    for url in urls:
        assert plainly_valid(url) == spelled_out(url), url


def test_every_date_time_the_plainly_valid_pattern_accepts_is_valid() -> None:
    from linter.rules.dates import _PLAINLY_VALID, parse_date_time, utc_day

    days = [f"{year}-{month:02d}-{day:02d}" for year in ("0000", "0001", "2024", "2100", "9999", "٢٠٢٤")
            for month in range(14) for day in range(33)]  # fmt: skip
    times = [f"T{hour}:{minute}:{second}{fraction}{offset}" for hour in ("00", "23", "24", "٠٠")
             for minute in ("59", "60") for second in ("00", "59", "60") for fraction in ("", ".5")
             for offset in ("Z", "z", "+01:00", "")]  # fmt: skip
    accepted = 0
    for day in days:
        for time in times:
            moment = parse_date_time(day + time)[0]
            assert utc_day(day + time) == (moment.date() if moment else None), day + time  # D002's day
            if _PLAINLY_VALID.match(day + time):
                accepted += 1
                assert parse_date_time(day + time)[1] == "", day + time
    # years 0001-9999 (ASCII), days 01-28, hours 00 and 23, minute 59, seconds 00 and 59, with or
    # without a fraction, Z or z
    assert accepted == 4 * 12 * 28 * (2 * 1 * 2 * 2 * 2)


def test_the_walks_usual_patterns_are_never_compiled() -> None:
    """The default include and exclude are answered from the name alone, so a run (the
    walk and the archive's listing) never compiles their regex (5 M instructions); a
    pattern with a folder in it still needs and gets it."""
    from linter.batch.walk import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, Globs

    wanted, unwanted = Globs(DEFAULT_INCLUDE), Globs(DEFAULT_EXCLUDE, anywhere=True)
    assert wanted.match("a.md", "_news/a.md") and not wanted.match("a.txt", "_news/a.txt")
    assert unwanted.match(".git", "site/.git") and not unwanted.match("a.md", "_news/a.md")
    assert isinstance(wanted.regex, LazyPattern) and isinstance(unwanted.regex, LazyPattern)
    assert not _is_compiled(wanted.regex) and not _is_compiled(unwanted.regex)
    folder = Globs(("_news/*.md",))
    assert folder.match("a.md", "_news/a.md") and not folder.match("a.md", "drafts/a.md")
    assert isinstance(folder.regex, LazyPattern) and _is_compiled(folder.regex)

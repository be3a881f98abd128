"""``linter.regex``: patterns compiled on first use answer exactly as ``re`` does.

A one-file run (pre-commit's usual case) is mostly start-up, and compiling every pattern
at import took about a sixth of it.
"""

from __future__ import annotations

import re
import sys

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

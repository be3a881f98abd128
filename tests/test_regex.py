"""``linter.regex``: patterns compiled on first use answer exactly as ``re`` does.

A one-file run (pre-commit's usual case) is mostly start-up, and compiling every pattern
at import took about a sixth of it.
"""

from __future__ import annotations

import re

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

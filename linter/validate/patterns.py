"""Schema regular expressions run in linear time, the same way in both validators.

A user's schema may hold any ``pattern`` or ``patternProperties``; Python's backtracking
``re`` takes exponential time on ``^(a+)+$``. Both validators run them on automaton engines
instead: jsonschema through RE2 (``google-re2``, keywords overridden here), jsonschema-rs
through its ``regex`` engine (``RegexOptions``). JSON Schema patterns are ECMA-262 regular
expressions; jsonschema-rs follows ECMA for ``\\s``, ``\\S`` and ``.``, which RE2 reads in
the Perl way, so those are spelled out for RE2, ``\\uXXXX`` becomes RE2's ``\\x{XXXX}``, and
``\\b``/``\\B`` become ASCII word boundaries for jsonschema-rs as they are in RE2 (and ECMA).
What cannot be carried over exactly (a negated class escape inside negated brackets,
inline flags that change ``.``) is refused, like a pattern RE2 cannot compile: a configuration error
naming the pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

#: ECMA-262 WhiteSpace and LineTerminator, which ``\s`` matches there.
_ECMA_SPACE = (
    "\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"
)
_ECMA_DOT = "[^\\n\\r\\x{2028}\\x{2029}]"
#: RE2's memory budget for one compiled pattern (its default is 8 MiB).
_MAX_MEM = 8 << 20
#: Schema keywords whose values are data, not schemas: a "pattern" key there is no keyword.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})


class PatternError(ValueError):
    """A pattern that cannot be run in linear time with the same meaning in both engines."""


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> Any:
    """The RE2 program of an ECMA-262 pattern; raises PatternError."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = _MAX_MEM
    try:
        translated = for_re2(pattern)
    except PatternError as exc:
        raise PatternError(f"pattern {pattern!r} cannot be run by a linear-time engine: {exc}") from None
    try:
        return re2.compile(translated, options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PatternError(f"pattern {pattern!r} cannot be run by a linear-time engine: {reason}") from None


def search(pattern: str, text: str) -> bool:
    return compiled(pattern).search(text) is not None


def for_re2(pattern: str) -> str:
    """The pattern with ECMA meanings that RE2 reads otherwise spelled out."""
    return "".join(_translated(pattern, _re2_token, _re2_class))


def for_rust(pattern: str) -> str:
    """The pattern with word boundaries made ASCII, as RE2 and ECMA have them."""
    return "".join(_translated(pattern, _rust_token, lambda tokens, negated: None))


def _translated(
    pattern: str,
    token: Callable[[str], str],
    bracket: Callable[[List[str], bool], Optional[str]],
) -> Iterator[str]:
    """Each escape or character outside brackets through ``token``; each bracket
    expression through ``bracket`` (None keeps it as written)."""
    if re.search(r"\(\?[a-zA-Z-]*s", pattern):
        raise PatternError(f"pattern {pattern!r}: the inline flag 's' is not supported")
    index = 0
    while index < len(pattern):
        if pattern[index] == "[":
            end, tokens, negated = _bracket(pattern, index)
            written = bracket(tokens, negated)
            yield pattern[index:end] if written is None else written
            index = end
            continue
        piece = _escape_at(pattern, index) if pattern[index] == "\\" else pattern[index]
        index += len(piece)
        yield token(piece)


def _escape_at(pattern: str, index: int) -> str:
    piece = pattern[index : index + 2]
    if piece == "\\u" and re.match(r"[0-9A-Fa-f]{4}", pattern[index + 2 : index + 6]):
        piece = pattern[index : index + 6]
    return piece


def _bracket(pattern: str, start: int) -> Tuple[int, List[str], bool]:
    """(index after the closing ']', the class's pieces, whether negated)."""
    index = start + 1
    negated = pattern[index : index + 1] == "^"
    index += negated
    tokens: List[str] = []
    while index < len(pattern):
        char = pattern[index]
        if char == "]" and tokens:
            return index + 1, tokens, negated
        piece = _escape_at(pattern, index) if char == "\\" else char
        tokens.append(piece)
        index += len(piece)
    raise PatternError(f"pattern {pattern!r}: missing ']'")


def _re2_token(token: str) -> str:
    if token.startswith("\\u") and len(token) == 6:
        return "\\x{" + token[2:] + "}"
    if token == "\\s":
        return f"[{_ECMA_SPACE}]"
    if token == "\\S":
        return f"[^{_ECMA_SPACE}]"
    if token == ".":
        return _ECMA_DOT
    return token


#: Negated class escapes inside brackets: RE2 cannot put them in a class with other
#: members, so ``[a\S]`` becomes ``(?:[a]|[^ space ])``.
_NEGATED_IN_CLASS = {"\\S": f"[^{_ECMA_SPACE}]", "\\D": "[^0-9]", "\\W": "[^0-9A-Za-z_]"}


def _re2_class(tokens: List[str], negated: bool) -> str:
    members = [_class_member(token) for token in tokens if token not in _NEGATED_IN_CLASS]
    extra = [_NEGATED_IN_CLASS[token] for token in tokens if token in _NEGATED_IN_CLASS]
    if not extra:
        return ("[^" if negated else "[") + "".join(members) + "]"
    if negated:
        raise PatternError(
            f"a negated class holding {' '.join(sorted(set(tokens) & set(_NEGATED_IN_CLASS)))} is not supported"
        )
    return "(?:" + "|".join(([f"[{''.join(members)}]"] if members else []) + extra) + ")"


def _class_member(token: str) -> str:
    if token.startswith("\\u") and len(token) == 6:
        return "\\x{" + token[2:] + "}"
    if token == "\\s":
        return _ECMA_SPACE
    if token in ("\\b", "\\B"):
        raise PatternError(f"{token!r} inside brackets is not supported")
    return token


def _rust_token(token: str) -> str:
    return f"(?-u:{token})" if token in ("\\b", "\\B") else token


def check_all(schema: Any) -> List[str]:
    """Every pattern of a schema, each compiled once; raises PatternError naming the first
    that cannot be run (with where it is)."""
    found = []
    for where, pattern in schema_patterns(schema):
        try:
            compiled(pattern)
            for_rust(pattern)
        except PatternError as exc:
            raise PatternError(f"{exc} (at {where})") from None
        found.append(pattern)
    return found


def schema_patterns(schema: Any, where: str = "") -> Iterator[Tuple[str, str]]:
    """(location, pattern) of every ``pattern`` value and ``patternProperties`` key."""
    stack: List[Tuple[Any, str]] = [(schema, where)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, list):
            stack.extend((item, f"{at}/{index}") for index, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in _DATA_KEYWORDS:
                continue
            if key == "pattern" and isinstance(value, str):
                yield f"{at}/pattern", value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from ((f"{at}/patternProperties", name) for name in value if isinstance(name, str))
            stack.append((value, f"{at}/{key}"))


def rust_schema(schema: Any) -> Any:
    """A copy of the schema with every pattern as ``for_rust`` writes it."""
    if isinstance(schema, list):
        return [rust_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy: Dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DATA_KEYWORDS:
            copy[key] = value
        elif key == "pattern" and isinstance(value, str):
            copy[key] = for_rust(value)
        elif key == "patternProperties" and isinstance(value, dict):
            copy[key] = {for_rust(name): rust_schema(sub) for name, sub in value.items()}
        else:
            copy[key] = rust_schema(value)
    return copy

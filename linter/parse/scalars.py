"""YAML 1.1 plain scalars and the parse result types, without importing PyYAML.

Both parsers share them: the block reader (``blockparse``), which handles nearly every
article without PyYAML, and the reference parser on libyaml's events (``yamlparse``).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Set, Tuple, TypeVar

from linter.model import DataPath
from linter.values import shown

#: (key line, key col, value line, value col), 0-based, relative to the YAML text.
Mark = Tuple[int, int, int, int]

TAG = "tag:yaml.org,2002:"
CORE_SCALAR_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
CORE_COLLECTION_TAGS = {TAG + "map", TAG + "seq"}
_PLAIN_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
STR = TAG + "str"
_PLAIN_BOOL = {"true", "false", "True", "False", "TRUE", "FALSE"}
#: Longest integer text converted: longer ones cost quadratic time to convert and cannot
#: be printed by Python (its 4,300-digit limit); they are reported instead.
_MAX_INT_CHARS = 1000

# YAML 1.1's implicit types, as PyYAML's resolver.py (MIT licence) declares them: the tag,
# the pattern, and the first characters a plain scalar of that type can start with. Kept
# here so that reading an article needs no PyYAML import (about 30 ms at every start);
# tests/test_blockparse.py checks that this table equals the installed PyYAML's.
_IMPLICIT: Tuple[Tuple[str, str, int, Sequence[str]], ...] = (
    (
        "bool",
        r"""^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$""",
        re.X,
        "yYnNtTfFoO",
    ),
    (
        "float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""",
        re.X,
        "-+0123456789.",
    ),
    (
        "int",
        r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
        re.X,
        "-+0123456789",
    ),
    ("merge", r"^(?:<<)$", 0, "<"),
    (
        "null",
        r"""^(?: ~
                    |null|Null|NULL
                    | )$""",
        re.X,
        ("~", "n", "N", ""),
    ),
    (
        "timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        re.X,
        "0123456789",
    ),
    ("value", r"^(?:=)$", 0, "="),
    ("yaml", r"^(?:!|&|\*)$", 0, "!&*"),
)


def _resolvers() -> Dict[str, List[Tuple[str, re.Pattern[str]]]]:
    """First character -> [(tag, pattern)], in declaration order, like PyYAML's
    ``Resolver.yaml_implicit_resolvers`` ("" is the empty scalar's key)."""
    table: Dict[str, List[Tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, flags, firsts in _IMPLICIT:
        compiled = re.compile(pattern, flags)
        for first in firsts:
            table.setdefault(first, []).append((TAG + name, compiled))
    return table


RESOLVERS = _resolvers()


class Limits(NamedTuple):
    """Bounds that keep hostile documents cheap: nesting depth and expanded node count."""

    max_depth: int = 64
    max_nodes: int = 50_000


class ParseProblem(NamedTuple):
    """A problem found while parsing, at a 0-based position of the YAML text."""

    code: str
    line: int
    col: int
    message: str
    data_path: DataPath = ()
    fatal: bool = False


class Parsed:
    """The plain data of a frontmatter block and where each node was written."""

    __slots__ = ("data", "marks", "raw", "problems", "suppressed")

    def __init__(self, data: Any = None, marks: Optional[Dict[DataPath, Mark]] = None) -> None:
        self.data = data
        self.marks: Dict[DataPath, Mark] = {} if marks is None else marks
        #: Source text of plain scalars that did not become strings (for messages).
        self.raw: Dict[DataPath, str] = {}
        self.problems: List[ParseProblem] = []
        #: Subtrees already reported at parse level (bad tags, bad keys): later layers skip them.
        self.suppressed: Set[DataPath] = set()

    def __repr__(self) -> str:
        return f"Parsed(data={self.data!r}, marks={self.marks!r}, raw={self.raw!r}, problems={self.problems!r})"

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)


def file_position(line: int, col: int) -> Tuple[int, int]:
    """The one conversion from a 0-based YAML mark to a 1-based file position.

    The YAML text starts on file line 2, right after the opening ``---``; line endings were
    normalised to LF before parsing, so CRLF and CR files count lines the same way.
    """
    return line + 2, col + 1


def plain_problem(path: DataPath, text: str, value: Any, line: int, col: int) -> Optional[ParseProblem]:
    """Y001 or Y002 for a plain non-string scalar written in a YAML 1.1-only spelling."""
    if type(value) is bool and text not in _PLAIN_BOOL:
        read = str(value).lower()
        message = f"{shown(text, path)} is read as {read} by YAML 1.1 loaders but as a string by YAML 1.2 ones"
        return ParseProblem("Y001", line, col, message, path)
    if type(value) in (int, float) and not _PLAIN_DECIMAL.match(text) and not _plain_float(text, value):
        read = _number(value, path)
        message = f"number {shown(text, path)} is read as {read} by YAML 1.1 loaders only"
        return ParseProblem("Y002", line, col, message + "; write it in plain decimal", path)
    return None


class Tagged:
    """A scalar we refuse to construct, kept only to be reported: a tag outside the core
    schema (``reason`` empty), or a core-typed value that cannot be converted (``reason``)."""

    __slots__ = ("tag", "text", "reason")

    def __init__(self, tag: str, text: str, reason: str = "") -> None:
        self.tag = tag
        self.text = text
        self.reason = reason


class BadNumber(ValueError):
    """A YAML 1.1 number that resolves but cannot be converted; the message says why."""


TAG_NAMES = {"!!int": "an integer", "!!float": "a number", "!!bool": "a boolean"}


class _MergeKey:
    def __repr__(self) -> str:
        return "<<"


MERGE: Any = _MergeKey()


@lru_cache(maxsize=8192)
def resolve(text: str) -> str:
    """The YAML 1.1 tag of a plain scalar (cached: keys and small values repeat a lot)."""
    for tag, regexp in RESOLVERS.get(text[:1] if text else "", ()):
        if regexp.match(text):
            return str(tag)
    return TAG + "str"


def construct(tag: str, text: str) -> Any:
    kind = tag[len(TAG) :]
    if kind == "str" or kind == "timestamp" or kind == "value":
        return text  # timestamps stay text: date formats are checked on what was written
    if kind == "null":
        return None
    if kind == "bool":
        return _bool(text)
    if kind == "int":
        return _int(text)
    if kind == "float":
        return _float(text)
    if kind == "merge":
        return MERGE
    raise ValueError(kind)


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("yes", "true", "on"):
        return True
    if lowered in ("no", "false", "off"):
        return False
    raise ValueError(text)


def _int(text: str) -> int:
    """YAML 1.1 integers, as PyYAML's SafeConstructor reads them."""
    if len(text) > _MAX_INT_CHARS:
        raise BadNumber(f"it is longer than {_MAX_INT_CHARS} characters")
    value = text.replace("_", "")
    sign = -1 if value[:1] == "-" else 1
    value = value.lstrip("+-")
    if value == "0":
        return 0
    base = {"0b": 2, "0x": 16, "0o": 8}.get(value[:2])
    try:
        if base is not None:
            return sign * int(value[2:], base)
        if value[0] == "0":
            return sign * int(value, 8)
        if ":" in value:
            return sign * _sexagesimal(value, int)
        return sign * int(value)
    except ValueError:
        raise BadNumber("it has no digits or a digit out of range") from None


def _float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = -1.0 if value[:1] == "-" else 1.0
    value = value.lstrip("+-")
    if value == ".inf":
        return sign * math.inf
    if value == ".nan":
        return math.nan
    if ":" in value:
        return sign * _sexagesimal(value, float)
    return sign * float(value)


_Number = TypeVar("_Number", int, float)


def _sexagesimal(value: str, number: Callable[[str], _Number]) -> _Number:
    """Base 60 (``1:30`` is 90, ``1:30.5`` is 90.5), as PyYAML reads it."""
    total = number("0")
    for part in value.split(":"):
        total = total * 60 + number(part)
    return total


def _plain_float(text: str, value: Any) -> bool:
    return type(value) is float and "_" not in text and ":" not in text


def _number(value: Any, path: DataPath) -> str:
    """A converted number as a message shows it: cut when long, hidden when secret."""
    text = repr(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return shown(text, path).strip("'")

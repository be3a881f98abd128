"""YAML 1.1 plain scalars, and what Jekyll's readers make of them, without importing PyYAML.

Both parsers share them: the block reader (``blockreader``), which handles nearly every
article without PyYAML, and the reference parser on libyaml's events (``events``).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from linter.parse.types import ParseProblem
from linter.regex import LazyPattern, lazy
from linter.values import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, TypeVar

    from linter.model import DataPath
else:
    from linter.named import NamedTuple

TAG = "tag:yaml.org,2002:"
CORE_SCALAR_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
CORE_COLLECTION_TAGS = {TAG + "map", TAG + "seq"}
_PLAIN_DECIMAL = lazy(r"[-+]?(?:0|[1-9][0-9]*)\Z")
STR = TAG + "str"
#: YAML 1.1's value indicator ``=``: a tag PyYAML resolves but none of its loaders constructs.
VALUE = TAG + "value"
#: libyaml (and PyYAML) give up on an implicit key whose ':' is more than 1024 characters
#: after its start: the document is a syntax error there.
MAX_SIMPLE_KEY = 1024
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


def _resolvers() -> Dict[str, List[Tuple[str, LazyPattern]]]:
    """First character -> [(tag, pattern)], in declaration order, like PyYAML's
    ``Resolver.yaml_implicit_resolvers`` ("" is the empty scalar's key). Each pattern is
    compiled on first use: an article rarely holds a plain ``=``, ``<<`` or ``~``."""
    table: Dict[str, List[Tuple[str, LazyPattern]]] = {}
    for name, pattern, flags, firsts in _IMPLICIT:
        compiled = lazy(pattern, flags)
        for first in firsts:
            table.setdefault(first, []).append((TAG + name, compiled))
    return table


RESOLVERS = _resolvers()


def plain_problem(path: DataPath, text: str, value: Any, line: int, col: int) -> Optional[ParseProblem]:
    """Y005 for a plain scalar that Jekyll's readers read differently; Y001 or Y002 for a plain
    non-string scalar written in a YAML 1.1-only spelling."""
    readings = ruby_readings(text)
    if readings is not None and readers_disagree(value, *readings):
        return ParseProblem("Y005", line, col, _disagreement(path, text, value, *readings), path)
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
    rows = RESOLVERS.get(text[:1] if text else "", ())
    if not rows:
        return STR
    if _common_integer(text):
        return TAG + "int"  # the table's answer for these, without running its patterns
    if _UTC_SECONDS.match(text):
        return TAG + "timestamp"  # the date-time of nearly every article: float and int fail
    for tag, regexp in rows:
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
        try:
            return sign * _sexagesimal(value, float)
        except OverflowError:  # PyYAML fails too (sixty to the power of the parts)
            raise BadNumber("it has too many base-60 parts for a number") from None
    return sign * float(value)


if TYPE_CHECKING:
    _Number = TypeVar("_Number", int, float)


def _sexagesimal(value: str, number: Callable[[str], _Number]) -> _Number:
    """Base 60 (``1:30`` is 90, ``1:30.5`` is 90.5), as PyYAML reads it: each part times its
    power of 60, summed from the last part. (Summed from the first, ``total * 60 + part``,
    a float rounds differently in the last bit now and then; and like PyYAML's, a power of 60
    beyond the float range raises OverflowError, which the callers report.)"""
    total = number("0")
    base = 1
    for part in reversed(value.split(":")):
        total += number(part) * base
        base *= 60
    return total


def _plain_float(text: str, value: Any) -> bool:
    return type(value) is float and "_" not in text and ":" not in text


def _number(value: Any, path: DataPath) -> str:
    """A converted number as a message shows it: cut when long, hidden when secret."""
    text = repr(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return shown(text, path).strip("'")


# -- Jekyll's readers --------------------------------------------------------------------------
#
# Jekyll reads frontmatter with Ruby, not with the table above: Debian's `jekyll` package
# through Psych.safe_load (Date and Time permitted), upstream Jekyll through SafeYAML.load.
# Both read YAML 1.1 with their own patterns, which differ from PyYAML's: `10,000` is the
# integer 10000, `yEs` is true, `1:30` is 5400 to Psych and 90.0 to SafeYAML. What follows
# is written from Psych 4.0's ScalarScanner and safe_yaml 1.0.5's transforms (both MIT),
# as far as the kind and value of a plain scalar go (times and dates only by kind);
# tests/test_jekyll_readers.py checks it against a table and, where Ruby is installed,
# against the real readers.


class RubyTime(NamedTuple):
    """A plain scalar a Ruby reader turns into a Time (``kind`` "time") or a Date ("date")."""

    kind: str


class _Refused:
    """A plain scalar a Ruby reader raises on: Jekyll logs a YAML Exception and builds the
    page with no data."""

    def __repr__(self) -> str:
        return "REFUSED"


REFUSED: Any = _Refused()
TIME, DATE = RubyTime("time"), RubyTime("date")

_ASCII_SPACE = " \t\r\n\f\v"
#: Psych's first test, "surely a string": an optional first character, then letters,
#: blanks or punctuation (a prefix match, as Ruby's ``match?`` with ``^``).
_PSYCH_TEXT = lazy(r"[^0-9.:\-]?(?:[^\W\d_]|[_ \t\r\n\f\v!@#$%^&*(){}<>|/\\~;=])")
_PSYCH_TIME = lazy(
    r"-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t\r\n\f\v]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(\.[0-9]*)?"
    r"(?:[ \t\r\n\f\v]*(Z|([-+][0-9]{1,2}):?([0-9]{2})?))?\Z"
)
_PSYCH_DATE = lazy(r"[0-9]{4}-(?:1[012]|0[0-9]|[0-9])-(?:[12][0-9]|3[01]|0[0-9]|[0-9])\Z")
_PSYCH_SEXAGESIMAL_INT = lazy(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\Z")
_PSYCH_SEXAGESIMAL_FLOAT = lazy(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*\Z")
_PSYCH_FLOAT = lazy(r"[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?\Z")
_PSYCH_INT = lazy(
    r"(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)\Z"
)
_SAFE_INTS = (
    lazy(r"[-+]?(?:0|[1-9][0-9_,]*)\Z"),
    lazy(r"0[0-7]+\Z"),
    lazy(r"0[xX][0-9a-fA-F]+\Z"),
    lazy(r"0b[01_]+\Z"),
    lazy(r"[-+]?0x[0-9a-fA-F_]+\Z"),
)
_SAFE_SEXAGESIMAL_INT = lazy(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\Z")
_SAFE_SEXAGESIMAL_FLOAT = lazy(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*\Z")
_SAFE_FLOAT = lazy(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+][0-9]+)?\Z")
_SAFE_SPECIAL_FLOATS = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, ".nan": math.nan, ".NaN": math.nan,
                        ".NAN": math.nan, "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf}  # fmt: skip
_SAFE_DATE = lazy(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_SAFE_TIME = lazy(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t\r\n\f\v]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(\.[0-9]*)?"
    r"[ \t\r\n\f\v]*(?:Z|([-+][0-9]{1,2})(?::?([0-9]{2}))?)?\Z"
)
#: Every date and nearly every number SafeYAML reads has an ASCII digit.
_DIGITS = frozenset("0123456789")
_BOOLEANS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
#: Ruby's Integer() and Float() on the digits left after removing ',' and '_'.
_RUBY_INTEGER = lazy(r"([-+]?)(0b[01]+|0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\Z", re.I)
_RUBY_FLOAT = lazy(r"[-+]?(?:[0-9]+(?:_[0-9]+)*)?(?:\.[0-9]+(?:_[0-9]+)*)?(?:[eE][-+]?[0-9]+)?\Z")
_RUBY_TO_I = lazy(r"[-+]?[0-9]+(?:_[0-9]+)*")
#: First characters of the plain scalars either reader may read as something else than text.
RUBY_TYPED_FIRST = frozenset("0123456789+-._:~yYnNtTfFoO")


def psych_value(text: str) -> Any:
    """What Psych (Debian's Jekyll) makes of a plain scalar."""
    if text == "":
        return None
    if _PSYCH_TEXT.match(text) or "\n" in text:
        return _psych_word(text)
    if _PSYCH_TIME.match(text):
        return _psych_time(text)
    if _PSYCH_DATE.match(text):
        return DATE if _civil(*(int(part) for part in text.split("-"))) else text
    lowered = text.lower()
    if lowered in (".inf", "+.inf", "-.inf", ".nan"):
        return math.nan if lowered == ".nan" else -math.inf if lowered[0] == "-" else math.inf
    if text[0] == ":" and len(text) > 1:
        return REFUSED  # a Symbol, which safe_load does not permit
    if _PSYCH_SEXAGESIMAL_INT.match(text):
        return sum(_ruby_to_i(part) * 60 ** abs(index - 2) for index, part in enumerate(text.split(":")))
    if _PSYCH_SEXAGESIMAL_FLOAT.match(text):
        return float(sum(_ruby_to_f(part) * 60 ** abs(index - 2) for index, part in enumerate(text.split(":"))))
    if _PSYCH_FLOAT.match(text):
        return text if text.lstrip("+-") == "." else _ruby_float(re.sub(r"[,_]|\.([Ee]|$)", r"\1", text))
    if _PSYCH_INT.match(text):
        return _ruby_integer(text.replace(",", "").replace("_", ""))
    return text


def _psych_word(text: str) -> Any:
    if len(text) > 5 or text[0].lower() not in "ytonf~":
        return text
    lowered = text.lower()
    if text == "~" or lowered == "null":
        return None
    return _BOOLEANS.get(lowered, text) if lowered not in ("y", "n") else text


def _psych_time(text: str) -> Any:
    if not re.search("[ tT]", text):
        return REFUSED  # a tab separator: Psych splits date from time at ' ', 't' or 'T' only
    match = _PSYCH_TIME.match(text)
    assert match is not None
    year, month, day = (int(part) for part in re.split("[ tT]", text, maxsplit=1)[0].lstrip("-").split("-"))
    hour, minute, second = (int(part) for part in match.group(1, 2, 3))
    if not (1 <= month <= 12 and 1 <= day <= 31 and _clock(hour, minute, second)):
        return text  # Time.utc refuses it; Psych keeps the text
    hours, minutes = match.group(6), match.group(7)
    if hours is not None and abs(int(hours)) * 3600 + int(minutes or 0) * 60 >= 86400:
        return text  # Time.new refuses the offset
    return TIME


def _clock(hour: int, minute: int, second: int) -> bool:
    """Ruby's Time and DateTime take 24:00:00 and a leap second 60."""
    return minute <= 59 and second <= 60 and (hour <= 23 or (hour == 24 and minute == second == 0))


def _civil(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (29 if leap else 28) if month == 2 else day <= (30 if month in (4, 6, 9, 11) else 31)


def safe_yaml_value(text: str) -> Any:
    """What SafeYAML (upstream Jekyll) makes of a plain scalar: the first of its transforms
    that takes it (integer, float, null, boolean, date), else the text."""
    # Without a digit (or '._', a float to the pattern) only .inf and .nan are numbers.
    words = _DIGITS.isdisjoint(text) and "._" not in text
    if not words:
        digits = text.replace("_", "").replace(",", "")
        for index, pattern in enumerate(_SAFE_INTS):
            if pattern.match(digits):
                return _ruby_integer(digits.replace("X", "x") if index == 2 else digits)
        if _SAFE_SEXAGESIMAL_INT.match(digits):
            return _safe_sexagesimal(digits)
        if _SAFE_FLOAT.match(text):
            return _ruby_float(text)
    if text in _SAFE_SPECIAL_FLOATS:
        return _SAFE_SPECIAL_FLOATS[text]
    if not words and _SAFE_SEXAGESIMAL_FLOAT.match(text):
        return _safe_sexagesimal(text)
    lowered = text.lower()
    if lowered in ("", "~", "null"):
        return None
    if lowered in _BOOLEANS:
        return _BOOLEANS[lowered]
    return text if words else _safe_date(text)


def _safe_sexagesimal(text: str) -> Any:
    """SafeYAML's base 60: every part a float, the sign applied twice for a negative number."""
    whole, _, fraction = text.partition(".")
    total = 0.0
    for power, part in enumerate(reversed(whole.split(":"))):
        value = _ruby_float(part)
        if value is REFUSED:
            return REFUSED
        total += value * 60**power
    if fraction:  # Ruby's split drops an empty last part: '1:30.' is 90.0
        extra = _ruby_float("." + fraction)
        if extra is REFUSED:
            return REFUSED
        total += extra
    return -total if text[0] == "-" else total


def _safe_date(text: str) -> Any:
    match = _SAFE_DATE.match(text)
    if match is not None:
        return DATE if _civil(*(int(part) for part in match.groups())) else text
    match = _SAFE_TIME.match(text)
    if match is None:
        return text
    year, month, day, hour, minute, second = (int(part) for part in match.group(1, 2, 3, 4, 5, 6))
    if not (_civil(year, month, day) and _clock(hour, minute, second)):
        return text  # DateTime.parse refuses it; SafeYAML keeps the text
    hours, minutes = match.group(8), match.group(9)
    if hours is not None and abs(int(hours)) * 3600 + int(minutes or 0) * 60 == 86400:
        return text  # a whole day is refused; a larger offset is ignored (the time is UTC)
    return TIME


def _ruby_integer(text: str) -> Any:
    """Ruby's ``Integer()``: a leading 0 is octal, 0b binary, 0x hex; anything else raises."""
    match = _RUBY_INTEGER.match(text)
    if match is None:
        return REFUSED
    sign, body = match.groups()
    lowered = body.lower()
    base = 2 if lowered.startswith("0b") else 16 if lowered.startswith("0x") else 8 if body[0] == "0" else 10
    digits = body[2:] if base in (2, 16) else body
    return (-1 if sign == "-" else 1) * int(digits or "0", base)


def _ruby_float(text: str) -> Any:
    """Ruby's ``Float()``: digits with single underscores between them; anything else raises."""
    if not _RUBY_FLOAT.match(text) or not any(char.isdigit() for char in text.split("e")[0].split("E")[0]):
        return REFUSED
    return float(text.replace("_", ""))


def _ruby_to_i(text: str) -> int:
    match = _RUBY_TO_I.match(text)
    return int(match.group().replace("_", "")) if match else 0


def _ruby_to_f(text: str) -> float:
    head, _, tail = text.partition(".")
    fraction = _RUBY_TO_I.match(tail)
    return float(f"{_ruby_to_i(head)}.{fraction.group().replace('_', '') if fraction else '0'}")


#: The common shape of a date-time, for the readings of the date in nearly every article.
_UTC_SECONDS = lazy(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z\Z")


@lru_cache(maxsize=8192)
def ruby_readings(text: str) -> Optional[Tuple[Any, Any]]:
    """What Psych and SafeYAML make of a plain scalar, when either differs from what lint-news
    reads (PyYAML's table, with timestamps kept as text); None when both agree with it."""
    if text and text[0] not in RUBY_TYPED_FIRST or _common_integer(text):
        return None  # text to every reader; or a decimal integer every reader reads alike
    utc = _UTC_SECONDS.match(text)
    if utc is not None and _civil(*(int(part) for part in utc.group(1, 2, 3))):
        return TIME, TIME  # both read it as the same time: no need to ask them
    try:
        value = construct(resolve(text), text)
    except (ValueError, OverflowError):
        return None  # lint-news refuses it already (E003)
    try:
        psych, safe = psych_value(text), safe_yaml_value(text)
    except ValueError:  # an integer too long for Python to convert: no reading to compare
        return None
    return None if same_reading(psych, value) and same_reading(safe, value) else (psych, safe)


def _common_integer(text: str) -> bool:
    """Decimal digits without a leading zero: an integer to PyYAML's table, Psych and SafeYAML."""
    return text.isdigit() and text.isascii() and text[0] != "0"


def same_reading(one: Any, other: Any) -> bool:
    """Equal in type and value (1, 1.0 and True differ; NaN equals NaN)."""
    if type(one) is not type(other):
        return False
    return one == other or (isinstance(one, float) and math.isnan(one) and math.isnan(other))


def readers_disagree(value: Any, psych: Any, safe: Any) -> bool:
    """Y005: one of Jekyll's readers fails, or the two read a number differently."""
    if psych is REFUSED or safe is REFUSED:
        return True
    numbers = [v for v in (value, psych, safe) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return bool(numbers) and not same_reading(psych, safe)


def reading_text(value: Any, path: DataPath) -> str:
    """A reader's reading as a message names it."""
    if value is REFUSED:
        return "an error (a YAML Exception: the page gets no data)"
    if isinstance(value, RubyTime):
        return f"a {value.kind}"
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if isinstance(value, (int, float)):
        return _number(value, path)
    return "the text " + shown(value, path)


def _disagreement(path: DataPath, text: str, value: Any, psych: Any, safe: Any) -> str:
    return (
        f"{shown(text, path)} is read as {reading_text(psych, path)} by Psych (Debian's Jekyll), "
        f"{reading_text(safe, path)} by SafeYAML (upstream Jekyll) and {reading_text(value, path)} by PyYAML"
    )

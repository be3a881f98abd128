"""Layer 1b, fast path: the block-style YAML that articles are written in, read line by line.

Nearly every article is a block mapping of ``key: value`` lines, nested mappings and ``-``
lists, with one-line plain, single- or double-quoted scalars. Reading that subset line by
line costs about a quarter of going through libyaml's events (PyYAML makes a Python object
per event and the builder does Python work per event), and it is what makes lint-news run
near the speed of bare parsing.

Correctness stays with the reference parser, ``yamlparse.parse``: any line outside the
subset (flow collections, anchors, tags, block scalars, multi-line scalars, indentless
lists, duplicate or non-string keys, keys longer than libyaml takes, odd characters,
anything near the size limits, the YAML 1.1 indicators ``=`` and ``<<`` as values) makes
this reader give up and hand the whole text to it. Where this reader does answer, its
result equals the reference's exactly, down to value types, marks and YAML 1.1 findings:
``tests/test_blockparse.py`` checks that on every corpus file, every fixture, and on
generated and mutated documents.
"""

from __future__ import annotations

import re
from functools import lru_cache

from linter.parse.scalars import (
    MAX_SIMPLE_KEY,
    MERGE,
    RESOLVERS,
    RUBY_TYPED_FIRST,
    STR,
    VALUE,
    construct,
    plain_problem,
    resolve,
    ruby_readings,
)
from linter.parse.types import Limits, Parsed
from linter.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple, Union

    from linter.model import DataPath

#: Characters this reader leaves to libyaml: controls it rejects, the BOM, tabs, and the
#: YAML 1.1 line breaks NEL, LS and PS (positions then need converting).
#: (Written as the set of bad characters: a negated set with astral ranges takes Python's
#: regex compiler about 10 ms, at every start.)
_UNUSUAL = lazy("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
#: One line: indentation, the blanks after an entry's '-' (a bare '-' is left in the rest),
#: a key with the blanks after its ':', and the rest. A key needs a blank or the line end
#: after its ':' ('a:b' is a plain scalar).
_LINE = lazy(r"^( *)(?:-( +))?(?:([A-Za-z_][A-Za-z0-9_-]*):( +|$))?(.*)$", re.M)
#: After a quoted scalar: nothing, or a comment.
_TAIL = r"(?: *| +#.*)\Z"
_DOUBLE = lazy(r'"([^"\\]*(?:\\.[^"\\]*)*)"' + _TAIL)
_SINGLE = lazy(r"'([^']*(?:''[^']*)*)'" + _TAIL)
#: Characters that start something other than a plain scalar (flow, anchor, tag, block
#: scalar, quote, directive, reserved); '-', '?' and ':' only when a blank follows.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPE = lazy(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


_DEFAULT_LIMITS = Limits()
#: First characters of plain scalars that YAML 1.1 or Jekyll's readers may read as something
#: else than a string.
_RESOLVED_FIRST = "".join(sorted({first for first in RESOLVERS if first} | RUBY_TYPED_FIRST))

_native_read: Optional[Callable[..., Any]]
try:  # the compiled reader, when the package was built with a C compiler
    from linter.parse._blockreader import read as _native_read
except ImportError:  # pragma: no cover - depends on the build
    _native_read = None


class _Outside(Exception):
    """The text leaves the subset: the reference parser takes over."""


class _Frame:
    """An open block collection: the column its keys or dashes sit at."""

    __slots__ = ("col", "node", "path")

    def __init__(self, col: int, node: Union[Dict[str, Any], List[Any]], path: DataPath) -> None:
        self.col = col
        self.node = node
        self.path = path


def parse(text: str, limits: Limits = _DEFAULT_LIMITS) -> Parsed:
    """Parse one frontmatter block: the fast reader when it can, the reference otherwise."""
    try:
        found = read_native(text, limits) if _native_read is not None else read_python(text, limits)
    except _Outside:
        found = None
    if found is not None:
        return found
    from linter.parse.events import parse as parse_events  # PyYAML is imported only when needed

    return parse_events(text, limits)


def read_python(text: str, limits: Limits) -> Optional[Parsed]:
    """The subset read in Python; None (or ``_Outside``) when the text leaves it."""
    if _UNUSUAL.search(text) is not None:
        return None
    return _Reader(limits).read(text)


def read_native(text: str, limits: Limits) -> Optional[Parsed]:
    """The same reader compiled (``_blockreader.c``); only the typing of uncommon plain
    scalars and the decoding of escapes call back into the Python functions below."""
    assert _native_read is not None
    found = _native_read(text, limits.max_depth, limits.max_nodes, _RESOLVED_FIRST, _plain, _unescape)
    if found is None:
        return None
    data, paths, positions, raw, jekyll, asked = found
    result = Parsed.compact(data, paths, positions, raw, jekyll)
    result.text = text
    # The spellings the compiled reader types itself have no problem to report.
    for path, written, value, line, col in asked:
        problem = plain_problem(path, written, value, line, col) if _odd(written) else None
        if problem is not None:
            result.problems.append(problem)
    return result


class _Reader:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.result = Parsed()
        self.marks = self.result.marks
        self.stack: List[_Frame] = []
        #: A ``key:`` with nothing after it: (mapping, key, key line, key col).
        self.pending: Optional[Tuple[_Frame, str, int, int]] = None

    def read(self, text: str) -> Parsed:
        # A line adds at most three nodes ('- key: value'), so a text under this bound
        # cannot reach the node limit; larger ones go to the reference, which counts.
        lines = _LINE.findall(text)
        if 3 * len(lines) + 4 >= self.limits.max_nodes or self.limits.max_depth < 2:
            raise _Outside
        frame = _Frame(-1, [], ())  # nothing open yet: every line takes the general path
        for number, (indent, gap, key, space, rest) in enumerate(lines):
            if not (gap or key):
                if rest and rest[0] != "#":
                    raise _Outside  # neither an entry, a key, a blank line nor a comment
                continue
            col = len(indent)
            if gap or col != frame.col or self.pending is not None:
                frame = self.line(number, col, gap, key, rest)
                if not key:
                    continue  # a scalar list item, already stored
                col = frame.col
            # The common case, inline: 'key: value' in the mapping being read.
            mapping = frame.node
            if type(mapping) is not dict or key in mapping or resolve(key) != STR or len(key) > MAX_SIMPLE_KEY:
                raise _Outside  # duplicate, non-string or too long keys: the reference reports them
            if not rest or rest[0] == "#":
                self.expect_value(frame, number, col, key)
                continue
            value, plain = _scalar(rest)
            self.store(frame, key, value, (number, col, number, col + len(key) + 1 + len(space)), plain)
        if not self.stack:
            raise _Outside  # no mapping at all: empty, or a lone scalar
        if self.pending is not None:
            self.close_pending()
        self.result.data = self.stack[0].node
        self.result.text = text
        return self.result

    def line(self, number: int, col: int, gap: str, key: str, rest: str) -> _Frame:
        """A line that changes structure: the first one, one after ``key:``, one that
        closes collections, or an entry (``- ...``). Returns the mapping a key goes to."""
        if self.pending is not None:
            self.open_or_close_pending(number, col, bool(gap))
        elif not self.stack:
            self.open_root(number, col, bool(gap))
        stack = self.stack
        frame = stack[-1]
        while frame.col > col:
            stack.pop()
            if not stack:
                raise _Outside
            frame = stack[-1]
        if frame.col != col:
            raise _Outside
        if gap:
            return self.entry(frame, number, col + 1 + len(gap), key, rest)
        return frame

    def expect_value(self, frame: _Frame, number: int, col: int, key: str) -> None:
        """``key:`` with nothing after it: the next line tells a collection from a null."""
        frame.node[key] = None  # type: ignore[call-overload]  # keeps the key order, catches duplicates
        self.pending = (frame, key, number, col)

    # -- collections ---------------------------------------------------------------------
    def open_root(self, number: int, col: int, entry: bool) -> None:
        if entry or col != 0:
            raise _Outside
        self.stack.append(_Frame(0, {}, ()))
        self.marks[()] = (number, 0, number, 0)

    def open_or_close_pending(self, number: int, col: int, entry: bool) -> None:
        """A line after ``key:``: deeper, it starts the key's collection; else the key is null."""
        frame, key, kline, kcol = self.pending  # type: ignore[misc]
        self.pending = None
        if col <= frame.col:
            if entry and col == frame.col:
                raise _Outside  # an indentless list
            self.set_null(frame, key, kline, kcol)
            return
        node: Union[Dict[str, Any], List[Any]] = [] if entry else {}
        path = frame.path + (key,)
        frame.node[key] = node  # type: ignore[index]
        self.marks[path] = (kline, kcol, number, col)
        self.push(_Frame(col, node, path))

    def close_pending(self) -> None:
        frame, key, kline, kcol = self.pending  # type: ignore[misc]
        self.pending = None
        self.set_null(frame, key, kline, kcol)

    def set_null(self, frame: _Frame, key: str, kline: int, kcol: int) -> None:
        # libyaml places an empty value right after the key's ':'.
        self.store(frame, key, "", (kline, kcol, kline, kcol + len(key) + 1), plain=True)

    def push(self, frame: _Frame) -> None:
        if len(self.stack) >= self.limits.max_depth - 1:
            raise _Outside  # the reference reports E008
        self.stack.append(frame)

    # -- lines -----------------------------------------------------------------------------
    def entry(self, frame: _Frame, number: int, item_col: int, key: str, rest: str) -> _Frame:
        """A list item at ``item_col``: a scalar is stored; for ``key: ...`` a new mapping
        is opened and returned, to receive that key."""
        items = frame.node
        if type(items) is not list:
            raise _Outside
        index = len(items)
        if key:
            mapping: Dict[str, Any] = {}
            items.append(mapping)
            path = frame.path + (index,)
            self.marks[path] = (number, item_col, number, item_col)
            inner = _Frame(item_col, mapping, path)
            self.push(inner)
            return inner
        if not rest or rest[0] == "#" or (rest[0] == "-" and rest[1:2] in ("", " ")):
            raise _Outside  # an empty entry, or a list right inside a list
        text, plain = _scalar(rest)
        items.append(None)
        self.store(frame, index, text, (number, item_col, number, item_col), plain)
        return frame

    def store(
        self, frame: _Frame, key: Union[str, int], text: str, mark: Tuple[int, int, int, int], plain: bool
    ) -> None:
        """Put a scalar in its collection, typed as the reference types it."""
        path = frame.path + (key,)
        self.marks[path] = mark
        if not plain:
            frame.node[key] = text  # type: ignore[index]
            return
        value, typed = _plain(text)
        frame.node[key] = value  # type: ignore[index]
        if typed:
            (self.result.jekyll if type(value) is str else self.result.raw)[path] = text
            problem = plain_problem(path, text, value, mark[2], mark[3]) if _odd(text) else None
            if problem is not None:
                self.result.problems.append(problem)


@lru_cache(maxsize=4096)
def _odd(text: str) -> bool:
    """Whether a plain non-string scalar is written in a YAML 1.1-only spelling (Y001/Y002)."""
    return plain_problem((), text, _plain(text)[0], 0, 0) is not None


@lru_cache(maxsize=4096)
def _plain(text: str) -> Tuple[Any, bool]:
    """A plain scalar's value as YAML 1.1 reads it, and whether it is not a plain string to
    every reader: not a string, or a string Jekyll's readers read as something else
    (cached: numbers, booleans and dates repeat across articles)."""
    tag = resolve(text)
    if tag == STR:
        return text, ruby_readings(text) is not None
    if tag == VALUE:
        raise _Outside  # '=': the reference reports it (Y006)
    try:
        value = construct(tag, text)
    except (ValueError, OverflowError):
        raise _Outside from None  # the reference reports what cannot be converted
    if value is MERGE:
        raise _Outside  # '<<' as a value: the reference reports it (Y006)
    return value, type(value) is not str or ruby_readings(text) is not None


def _scalar(text: str) -> Tuple[str, bool]:
    """A one-line scalar as written after a key or a dash: (its value, whether plain)."""
    first = text[0]
    if first == '"':
        match = _DOUBLE.match(text)
        if match is None:
            raise _Outside
        body = match.group(1)
        return (_unescape(body) if "\\" in body else body), False
    if first == "'":
        match = _SINGLE.match(text)
        if match is None:
            raise _Outside
        return match.group(1).replace("''", "'"), False
    if first in _INDICATORS and (first not in "-?:" or len(text) == 1 or text[1] == " "):
        raise _Outside
    comment = text.find(" #")
    value = (text if comment < 0 else text[:comment]).rstrip(" ")
    if ": " in value or value.endswith(":"):
        raise _Outside  # libyaml reads a mapping here, or fails
    return value, True


def _unescape(body: str) -> str:
    return _HEX_ESCAPE.sub(_escape, body)


def _escape(match: re.Match[str]) -> str:
    short = match.group(4)
    if short is not None:
        if short not in _ESCAPES:
            raise _Outside
        return _ESCAPES[short]
    code = int(match.group(1) or match.group(2) or match.group(3), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _Outside  # libyaml refuses these code points
    return chr(code)

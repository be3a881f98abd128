"""The file as written: parser positions -> byte offsets, the extent of a one-line scalar,
and how a new value is written.

Edits are byte ranges of the original file, so everything outside them (line endings,
a BOM, a missing final newline, comments, the body) stays byte for byte. The parser's
marks give where a node starts (0-based line and column of the frontmatter text, counted
in characters, lines ending at CRLF, CR or LF); where a scalar ends is read from its line
here, and is trusted only when the text found there decodes to the parsed value.
"""

from __future__ import annotations

import codecs
import re

from linter.parse.blockreader import _Outside, _unescape
from linter.parse.scalars import STR, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, NamedTuple, Optional, Tuple
else:
    from linter.named import NamedTuple

_BREAK = re.compile(r"\r\n|\r|\n")
_DOUBLE = re.compile(r'"(?:[^"\\]|\\.)*"')
_SINGLE = re.compile(r"'(?:[^']|'')*'")
#: After a scalar on its line: blanks, then nothing or a comment.
_TAIL = re.compile(r"(?:[ \t]+(?:#.*)?)?\Z")
#: Characters that start something other than a plain scalar; '-', '?', ':' only before a blank.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: What a plain scalar may not hold, and what a double-quoted one escapes: controls, YAML
#: 1.1 line breaks, the BOM, surrogates and non-characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_NAMED = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}
_NAMED.update({"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"})
_ESCAPED = re.compile('[\\\\"' + _UNPRINTABLE.pattern[1:-1] + "]")

PLAIN, SINGLE, DOUBLE = "plain", "single", "double"


class Scalar(NamedTuple):
    """A one-line scalar as written: its byte range in the file and its quoting style."""

    start: int
    end: int
    style: str


class Source:
    """The bytes of one file, with its lines found once."""

    def __init__(self, data: bytes, first_line: int = 2) -> None:
        self.data = data
        self.bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        self.text = data[self.bom :].decode("utf-8")
        self.starts = [0]
        self.ends: List[int] = []
        for found in _BREAK.finditer(self.text):
            self.ends.append(found.start())
            self.starts.append(found.end())
        self.ends.append(len(self.text))
        #: File line index (0-based) of the frontmatter's first line.
        self.first = first_line - 1
        #: Byte offset of each line's start, counted once (per call it would make a file
        #: with thousands of findings quadratic).
        self.start_bytes: List[int] = []
        offset, previous = self.bom, 0
        for start in self.starts:
            offset += len(self.text[previous:start].encode("utf-8"))
            self.start_bytes.append(offset)
            previous = start

    @property
    def lines(self) -> int:
        return len(self.starts)

    def line(self, index: int) -> str:
        """File line ``index`` (0-based) without its line ending."""
        return self.text[self.starts[index] : self.ends[index]]

    def byte(self, index: int, col: int) -> int:
        """Byte offset of character ``col`` of file line ``index``."""
        start = self.starts[index]
        return self.start_bytes[index] + len(self.text[start : start + col].encode("utf-8"))

    def line_start(self, index: int) -> int:
        return self.byte(index, 0)

    def line_end(self, index: int) -> int:
        """Byte offset of the end of line ``index``, before its line ending."""
        return self.byte(index, self.ends[index] - self.starts[index])

    def file_line(self, yaml_line: int) -> int:
        return yaml_line + self.first

    def scalar(self, yaml_line: int, col: int, written: str) -> Optional[Scalar]:
        """The one-line scalar written at a parser mark, if what is there reads as
        ``written`` (a string's value, or the text of a plain non-string scalar)."""
        index = self.file_line(yaml_line)
        if index >= self.lines:
            return None
        line = self.line(index)
        found = scalar_at(line, col)
        if found is None or decode(line[col : found[0]], found[1]) != written:
            return None
        return Scalar(self.byte(index, col), self.byte(index, found[0]), found[1])


def scalar_at(line: str, col: int) -> Optional[Tuple[int, str]]:
    """End column and style of the one-line scalar starting at ``col`` of ``line``."""
    rest = line[col:]
    first = rest[:1]
    if first in ('"', "'"):
        match = (_DOUBLE if first == '"' else _SINGLE).match(rest)
        if match is None:
            return None
        end, style = match.end(), DOUBLE if first == '"' else SINGLE
    else:
        if not first or (first in _INDICATORS and (first not in "-?:" or rest[1:2] in ("", " "))):
            return None
        comment = re.search(r"[ \t]#", rest)
        end = len(rest[: comment.start()].rstrip(" \t")) if comment else len(rest.rstrip(" \t"))
        style = PLAIN
    return (col + end, style) if _TAIL.match(rest, end) else None


def decode(token: str, style: str) -> Optional[str]:
    """The value a one-line scalar token stands for (None when it cannot be read here)."""
    if style == PLAIN:
        return token
    body = token[1:-1]
    if style == SINGLE:
        return body.replace("''", "'")
    try:
        return _unescape(body) if "\\" in body else body
    except _Outside:
        return None


def plain_ok(value: str) -> bool:
    """Whether ``value`` can be written as a plain scalar and read back as the same string."""
    if not value or value != value.strip() or _UNPRINTABLE.search(value) or "\n" in value:
        return False
    first = value[0]
    if first in _INDICATORS and (first not in "-?:" or value[1:2] in ("", " ")):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    return resolve(value) == STR


def written(value: str, style: str) -> str:
    """``value`` as a scalar in ``style`` when that reads back exactly; else double-quoted."""
    if style == PLAIN and plain_ok(value):
        return value
    if style == SINGLE and not _UNPRINTABLE.search(value) and value == value.strip(" "):
        return "'" + value.replace("'", "''") + "'"
    return double_quoted(value)


def double_quoted(value: str) -> str:
    return '"' + _ESCAPED.sub(_escape, value) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"

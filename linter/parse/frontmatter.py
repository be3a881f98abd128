"""Layer 1a: bytes -> text -> the frontmatter block between its fences.

Problems are returned as values (``Problem``), never raised.
"""

from __future__ import annotations

import codecs
import re

from linter.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, List, NamedTuple, Optional, Tuple, Union
else:
    from linter.named import NamedTuple

#: Fences may carry trailing blanks (Jekyll accepts them); anything else is not a fence.
_OPEN_RE = re.compile(r"---[ \t]*\Z")
#: The closing fence with the line break before it: a pattern that starts with a literal
#: character is searched for by that character, five times faster than trying "^" at every
#: position of the text.
_CLOSE_LINE = re.compile(r"\n((?:---|\.\.\.)[ \t]*)$", re.M)
#: UTF-32 first: its little-endian mark starts with UTF-16's.
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_BREAK = lazy("\r\n|\r|\n")


class Problem(NamedTuple):
    """A file-level problem found before YAML parsing: code, 1-based position, message."""

    code: str
    line: int
    col: int
    message: str


class Frontmatter:
    """The decoded file split at its fences.

    ``yaml_text`` holds the lines between the fences (LF line endings); its line 0 is file
    line ``first_line``; the closing fence is on file line ``close_line``, counted only
    when asked (a file without findings never asks).
    """

    __slots__ = ("yaml_text", "first_line", "fence_warnings", "_text", "_fence", "_close_line")

    def __init__(self, yaml_text: str, text: str, fence: int, fence_warnings: List[Problem]) -> None:
        self.yaml_text = yaml_text
        self.first_line = 2
        self.fence_warnings = fence_warnings
        self._text = text  # the decoded text, line breaks made LF
        self._fence = fence  # where the closing fence starts in it
        self._close_line = 0

    @property
    def close_line(self) -> int:
        if not self._close_line:
            self._close_line = self._text.count("\n", 0, self._fence) + 1
        return self._close_line

    def __repr__(self) -> str:
        return f"Frontmatter(yaml_text={self.yaml_text!r}, close_line={self.close_line!r})"


def decode(data: bytes) -> Union[str, Problem]:
    """Decode UTF-8 (an optional BOM dropped); report the first bad byte's position."""
    if data[:1] != b"-":  # an article starts with '---', which no byte order mark does
        if data.startswith(_UTF32_BOMS) or data.startswith(_UTF16_BOMS):
            name = "UTF-32" if data.startswith(_UTF32_BOMS) else "UTF-16"
            return Problem("E006", 1, 1, f"file is {name} encoded (byte order mark); expected UTF-8")
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _bad_byte(data, exc.start)


def _bad_byte(data: bytes, offset: int) -> Problem:
    prefix = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line = prefix.count(b"\n") + 1
    col = len(prefix[prefix.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return Problem("E006", line, col, f"invalid UTF-8 byte 0x{data[offset]:02X}; files must be UTF-8")


def split_lines(text: str) -> List[str]:
    """Split on CRLF, CR or LF, so every line ending counts as one line, as YAML does."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def split(text: str) -> Union[Frontmatter, Problem]:
    """Find the frontmatter: ``---`` on line 1, closed by the next ``---`` or ``...`` line.

    The closing fence is searched for, not found by splitting the file into lines: the
    body after it is never looked at."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = text.find("\n") + 1
    first = text[: start - 1] if start else text
    if first != "---" and not _OPEN_RE.match(first):
        return Problem("E001", 1, 1, _no_frontmatter_message(first))
    fence = _fence(text, start - 1) if start else -1  # from the opening's line break
    if fence < 0:
        return Problem("E002", 1, 1, "frontmatter opened on line 1 is never closed by a '---' line")
    end = text.find("\n", fence)
    closing = text[fence:] if end < 0 else text[fence:end]
    warnings = _fence_warnings(first, 1)
    if len(closing) != 3:  # the line is counted only for its warning
        warnings += _fence_warnings(closing, text.count("\n", 0, fence) + 1)
    return Frontmatter(text[start : max(start, fence - 1)], text, fence, warnings)


def fence_python(text: str, at: int) -> int:
    """Where the closing fence's line starts, searched for from the line break at ``at``;
    -1 when there is none (the compiled ``fence`` is its twin)."""
    close = _CLOSE_LINE.search(text, at)
    return -1 if close is None else close.start(1)


_fence: Callable[[str, int], int]
try:  # the same search compiled: the pattern tried at each of an article's ~100 line breaks
    # cost as much as the rest of splitting it
    from linter.parse._blockreader import fence as _fence
except ImportError:  # pragma: no cover - depends on the build
    _fence = fence_python


def _no_frontmatter_message(first: str) -> str:
    if first.rstrip() == "+++":
        return "TOML frontmatter ('+++') is not supported; expected YAML between '---' lines"
    if not first.strip():
        return "no frontmatter: line 1 is blank; expected '---'"
    return "no frontmatter: line 1 must be '---'"


def _fence_warnings(line: str, number: int) -> List[Problem]:
    if len(line) == 3:
        return []
    return [Problem("E013", number, 4, "trailing whitespace after the frontmatter fence")]


def unread_by_jekyll(data: bytes, text: str, block: Optional[Frontmatter]) -> List[Problem]:
    """E014 and E015: what keeps Jekyll from seeing the frontmatter that lint-news reads.

    Jekyll decides "article or static file" on the raw first line (``---`` then LF or CRLF)
    and finds the closing fence only after an LF; a BOM or CR-only line breaks hide both,
    so the file is copied to the site as it is. ``text`` is the decoded file (BOM dropped);
    ``block`` its frontmatter, or None when there is none.
    """
    if data[:1] == b"-" and "\r" not in text:
        return []  # nearly every file: no byte order mark, LF line breaks
    problems = []
    if data.startswith(codecs.BOM_UTF8):
        message = "UTF-8 byte order mark before the opening '---': Jekyll does not see the frontmatter"
        problems.append(Problem("E014", 1, 1, message + _PUBLISHED_RAW))
    bare = _fence_bare_cr(text, None if block is None else block.close_line) if "\r" in text else None
    if bare is not None:
        line, col = bare
        why = _PUBLISHED_RAW if line == 1 else _BECOMES_PAGE
        message = "bare CR line break (CR-only line endings): Jekyll finds frontmatter fences only at LF"
        problems.append(Problem("E015", line, col, message + why))
    return problems


_PUBLISHED_RAW = " and publishes the raw file, secured included, as a static file"
_BECOMES_PAGE = " and misses the closing fence: the frontmatter text, secured included, becomes the page"


def _fence_bare_cr(text: str, close_line: Optional[int]) -> Optional[Tuple[int, int]]:
    """Line and column of the first bare CR that ends the opening fence's line, the line
    before the closing fence or the closing fence's line. Elsewhere in the YAML a bare CR
    is a line break to every YAML reader, Jekyll's included."""
    fence_lines = {1} if close_line is None else {1, close_line - 1, close_line}
    line, start = 1, 0
    for brk in _LINE_BREAK.finditer(text):
        if line in fence_lines and brk.group() == "\r":
            return line, brk.start() - start + 1
        line, start = line + 1, brk.end()
        if line > max(fence_lines):
            break
    return None

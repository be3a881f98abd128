"""The per-file fast paths outside the rules agree with the plain ways they stand for.

Each shortcut the engine takes for the common article (no byte order mark, LF line breaks,
no findings) is held here to the straightforward computation it skips, over every article
the tests know and over odd inputs made to hit its edges: a shortcut that answers
differently fails here, not only as a changed report.
"""

from __future__ import annotations

import codecs
import itertools
from typing import List, Optional, Tuple, Union

import pytest
from conftest import every_article

from linter.parse import frontmatter
from linter.parse.frontmatter import Frontmatter, Problem, decode, split, split_lines, unread_by_jekyll

ARTICLES = list(every_article())
PIECES = ["---", "...", "--- ", "---\t", "-- ", "---x", "a: 1", "", " ", "\r", "\ufeff", "é", "\xff"]


def _odd_texts() -> List[str]:
    """Short texts of fences, near-fences and line breaks in every order (three lines)."""
    breaks = ["\n", "\r\n", "\r"]
    texts = []
    for lines in itertools.product(["---", "--- ", "x"], PIECES, PIECES):
        for brk in breaks:
            texts.append(brk.join(lines))
            texts.append(brk.join(lines) + brk)
    return texts


def _slow_decode(data: bytes) -> Union[str, Problem]:
    """``decode`` as it was: every byte order mark looked for, whatever the first byte."""
    boms = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if data.startswith(boms[:2]) or data.startswith(boms[2:]):
        name = "UTF-32" if data.startswith(boms[:2]) else "UTF-16"
        return Problem("E006", 1, 1, f"file is {name} encoded (byte order mark); expected UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return frontmatter._bad_byte(data, exc.start)


def _odd_bytes() -> List[bytes]:
    starts = [b"", b"-", b"--", b"---\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]
    starts += [codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, b"\xff", b"\x00", b"+++\n"]
    rests = [b"", b"a: 1\n---\n", b"-\xff\n", b"a: \xc3\n---\n", "é\n---\n".encode()]
    return [start + rest for start in starts for rest in rests]


@pytest.mark.parametrize("data", _odd_bytes())
def test_decode_agrees_with_looking_for_every_byte_order_mark(data: bytes) -> None:
    assert decode(data) == _slow_decode(data)


def test_decode_agrees_on_every_article() -> None:
    for path in ARTICLES:
        data = path.read_bytes()
        assert decode(data) == _slow_decode(data), path


def _counted_close_line(text: str) -> Optional[int]:
    """The closing fence's line found by splitting the whole text into lines."""
    lines = split_lines(text)
    for number, line in enumerate(lines[1:], start=2):
        if line[:3] in ("---", "...") and not line[3:].strip(" \t"):
            return number
    return None


def _texts() -> List[Tuple[str, str]]:
    texts = [(str(path), decode(path.read_bytes())) for path in ARTICLES]
    texts += [(repr(text), text) for text in _odd_texts()]
    return [(name, text) for name, text in texts if isinstance(text, str)]


def test_the_closing_line_counted_on_demand_is_the_fence_line() -> None:
    """``close_line`` is counted only when asked; it is the line a plain split finds, and
    an E013 on the closing fence (counted at once) is on that line too."""
    for name, text in _texts():
        block = split(text)
        if not isinstance(block, Frontmatter):
            continue
        assert block.close_line == _counted_close_line(text), name
        for problem in block.fence_warnings:
            assert problem.line in (1, block.close_line), name
        closing = split_lines(text)[block.close_line - 1]
        assert (len(closing) != 3) == any(p.line == block.close_line for p in block.fence_warnings), name


def _slow_unread(data: bytes, text: str, block: Optional[Frontmatter]) -> List[Problem]:
    """``unread_by_jekyll`` without its shortcut for files with neither a BOM nor a CR."""
    problems = []
    if data.startswith(codecs.BOM_UTF8):
        message = "UTF-8 byte order mark before the opening '---': Jekyll does not see the frontmatter"
        problems.append(Problem("E014", 1, 1, message + frontmatter._PUBLISHED_RAW))
    close_line = None if block is None else _counted_close_line(text)
    bare = frontmatter._fence_bare_cr(text, close_line) if "\r" in text else None
    if bare is not None:
        line, col = bare
        why = frontmatter._PUBLISHED_RAW if line == 1 else frontmatter._BECOMES_PAGE
        message = "bare CR line break (CR-only line endings): Jekyll finds frontmatter fences only at LF"
        problems.append(Problem("E015", line, col, message + why))
    return problems


def test_what_jekyll_does_not_read_agrees_with_the_full_look() -> None:
    cases = [(name, text.encode("utf-8", "surrogatepass")) for name, text in _texts()]
    cases += [(name + " with a BOM", codecs.BOM_UTF8 + data) for name, data in cases[-200:]]
    for name, data in cases:
        text = decode(data)
        if not isinstance(text, str):
            continue
        block = split(text)
        block = block if isinstance(block, Frontmatter) else None
        assert unread_by_jekyll(data, text, block) == _slow_unread(data, text, block), name

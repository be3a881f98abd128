"""Where reports go: stdout or an atomically written file, colours, progress, source lines."""

from __future__ import annotations

import os
import sys
import time

from linter.files import write_atomic
from linter.parse.source import visible_lines
from linter.parse.types import Limits
from linter.safepath import Unreadable, open_regular

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Iterable, Iterator, List, Optional, Sequence, TextIO, Tuple


def use_color(choice: str, stream: TextIO) -> bool:
    """--color always/never win; otherwise NO_COLOR, then FORCE_COLOR, then a TTY."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def write_report(pieces: Iterable[str], target: Optional[str]) -> None:
    """Print the report's pieces as they are made, or replace ``target`` atomically so a
    reader never sees half a report."""
    if target is None:
        for text in _joined(pieces):
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(target, (text.encode("utf-8") for text in _joined(pieces)), _file_mode(target))


def _joined(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """The pieces joined into strings of about ``size`` characters: a write a piece (a
    line of the report) would cost more than making it."""
    batch: List[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


def _file_mode(target: str) -> int:
    """The mode a plain ``open(target, "w")`` would leave (mkstemp's own is 0600)."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


class SourceLines:
    """Lines of checked files for --show-source, with every ``secured`` value hidden (see
    ``linter.parse.source``: decided from the parsed document, not from how lines look).

    Only the text of a file accepted as an article is shown: one read as the run reads
    (a regular file, or a link into ``roots``; see ``linter.safepath``), UTF-8, with the
    opening ``---`` fence and no NUL byte. Nothing of anything else (a link to
    ``/proc/self/environ``, a binary file) is ever echoed.
    ``given`` holds the content of files that are not on disk as named (standard input).
    Only the last file's lines are kept: the report asks for a file's lines one finding
    after another, and 20,000 files with findings would otherwise all stay in memory."""

    def __init__(
        self,
        given: Optional[Dict[str, bytes]] = None,
        roots: Optional[Sequence[str]] = None,
        limits: Optional[Limits] = None,
    ) -> None:
        self._last: Tuple[Optional[str], List[Optional[str]]] = (None, [])
        self._given = dict(given or {})
        self._roots = roots if roots is not None else (os.path.realpath(os.curdir),)
        self._limits = limits or Limits()

    def __call__(self, path: str, line: int) -> Optional[str]:
        if path != self._last[0]:
            data = self._given[path] if path in self._given else _read_head(path, self._roots)
            self._last = (path, _shown_lines(data, self._limits))
        lines = self._last[1]
        return lines[line - 1] if 0 < line <= len(lines) else None


def _read_head(path: str, roots: Sequence[str]) -> bytes:
    opened = open_regular(path, roots)
    if isinstance(opened, Unreadable):
        return b""
    fd = opened[0]
    try:
        return os.read(fd, 8 * 1024 * 1024)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _shown_lines(data: bytes, limits: Limits) -> List[Optional[str]]:
    """Nothing of a file with a NUL byte (not text); else what ``visible_lines`` shows:
    nothing of a file that is not an article, ``secured`` hidden in one that is."""
    if b"\0" in data:
        return []
    return visible_lines(data, limits)


class Progress:
    """``checked N/M`` on a terminal's stderr, at most five times a second; never in a pipe."""

    def __init__(self, enabled: bool) -> None:
        self.total = 0
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self.done = 0
        self.last = 0.0

    def step(self) -> None:
        self.done += 1
        if self.enabled and (time.monotonic() - self.last > 0.2 or self.done == self.total):
            self.last = time.monotonic()
            sys.stderr.write(f"\rlint-news: checked {self.done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

"""Where reports go: stdout or an atomically written file, colours, progress, source lines."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from typing import Dict, List, Optional, Sequence, TextIO

from linter.parse.frontmatter import Problem, decode, split, split_lines
from linter.safepath import Unreadable, open_regular

_SECRET_KEY = re.compile(r"""^(\s*(?:-\s+)?["']?secured["']?\s*:)""")


def use_color(choice: str, stream: TextIO) -> bool:
    """--color always/never win; otherwise NO_COLOR, then FORCE_COLOR, then a TTY."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def write_report(text: str, target: Optional[str]) -> None:
    """Print, or replace ``target`` atomically so a reader never sees half a report."""
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(target, text.encode("utf-8"), _file_mode(target))


def write_atomic(target: str, data: bytes, mode: Optional[int] = None) -> None:
    """Write a temporary file beside ``target`` and rename it over ``target``: readers and
    concurrent writers see the old content or the new, never a mix. The temporary name is
    unique per process (a process writes one file at a time) and created exclusively, so a
    planted link is never followed; one left by a crashed run is replaced."""
    temp = f"{target}.{os.getpid()}.lint-news-tmp"
    try:
        fd = _create_exclusive(temp, 0o666 if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _create_exclusive(path: str, mode: int) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags, mode)
    except FileExistsError:
        os.unlink(path)
        return os.open(path, flags, mode)


def _file_mode(target: str) -> int:
    """The mode a plain ``open(target, "w")`` would leave (mkstemp's own is 0600)."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


class SourceLines:
    """Lines of checked files for --show-source, with any ``secured`` value hidden.

    Only the text of a file accepted as an article is shown: one read as the run reads
    (a regular file, or a link into ``roots``; see ``linter.safepath``), UTF-8, with the
    opening ``---`` fence and no NUL byte. Nothing of anything else (a link to
    ``/proc/self/environ``, a binary file) is ever echoed.
    ``given`` holds the content of files that are not on disk as named (standard input)."""

    def __init__(self, given: Optional[Dict[str, bytes]] = None, roots: Optional[Sequence[str]] = None) -> None:
        self._files: Dict[str, List[str]] = {}
        self._given = dict(given or {})
        self._roots = roots if roots is not None else (os.path.realpath(os.curdir),)

    def __call__(self, path: str, line: int) -> Optional[str]:
        if path not in self._files:
            data = self._given[path] if path in self._given else _read_head(path, self._roots)
            self._files[path] = _redacted_lines(data)
        lines = self._files[path]
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


def _redacted_lines(data: bytes) -> List[str]:
    text = decode(data)
    if not isinstance(text, str) or "\0" in text:
        return []
    opened = split(text)
    if isinstance(opened, Problem) and opened.code == "E001":
        return []  # not an article: whatever it is, none of it is shown
    return redact(split_lines(text))


def redact(lines: List[str]) -> List[str]:
    """Hide the value of every ``secured:`` key and of the lines that continue it: lines
    indented deeper than the key, and the rest of a quoted value left open on its line."""
    out: List[str] = []
    indent_limit, open_quote = -1, ""
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if open_quote or (indent_limit >= 0 and (not line.strip() or indent > indent_limit)):
            out.append(" " * indent + "(value hidden)" if line.strip() else line)
            if open_quote and line.rstrip().endswith(open_quote):
                open_quote = ""
            continue
        indent_limit = -1
        match = _SECRET_KEY.match(line)
        if match is None:
            out.append(line)
            continue
        out.append(match.group(1) + " (value hidden)")
        indent_limit, open_quote = indent, _unclosed_quote(line[match.end() :])
    return out


def _unclosed_quote(value: str) -> str:
    """The quote character of a quoted scalar that does not end on this line, else ""."""
    text = value.strip()
    if text[:1] in ("'", '"') and (len(text) == 1 or not text.endswith(text[0])):
        return text[0]
    return ""


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

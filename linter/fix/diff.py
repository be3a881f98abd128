"""Unified diffs of fixed files, as bytes, that ``git apply`` and ``patch -p1`` accept.

Lines are split at LF only, as both tools split them, so CRLF lines keep their CR inside
the line and a CR-only file is one long line; a last line without a line break gets the
``\\ No newline at end of file`` marker.
"""

from __future__ import annotations

import difflib
from typing import Iterator, List

_NO_NEWLINE = b"\\ No newline at end of file\n"


def unified_diff(path: str, old: bytes, new: bytes) -> bytes:
    """The diff turning ``old`` into ``new``, with ``a/`` and ``b/`` prefixes on ``path``."""
    name = path.replace("\\", "/").lstrip("/")
    if name.startswith("./"):
        name = name[2:]
    lines = difflib.diff_bytes(
        difflib.unified_diff,
        _lines(old),
        _lines(new),
        b"a/" + _encoded(name),
        b"b/" + _encoded(name),
        lineterm=b"",
    )
    return b"".join(_terminated(lines))


def _encoded(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape")


def _lines(data: bytes) -> List[bytes]:
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def _terminated(lines: Iterator[bytes]) -> Iterator[bytes]:
    for number, line in enumerate(lines):
        if line.endswith(b"\n"):
            yield line
        elif number >= 2 and line[:1] in (b" ", b"-", b"+"):  # after the two file headers
            yield line + b"\n" + _NO_NEWLINE
        else:
            yield line + b"\n"

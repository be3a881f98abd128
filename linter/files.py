"""Files other than articles: reading those a user names (schema, baseline, configuration)
with a bound, where only a regular file is read (a FIFO would block, ``/dev/zero`` never
end) and never more than a size limit; and writing reports, baselines and the cache
atomically."""

from __future__ import annotations

import contextlib
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO, Callable, Iterable, Optional, Union

#: Limits by kind of file: far above any real one, far below what would exhaust memory.
MAX_SCHEMA_BYTES = 16 << 20
MAX_CONFIG_BYTES = 4 << 20
MAX_BASELINE_BYTES = 512 << 20


class UnreadableFile(ValueError):
    """The file cannot be read within the bounds; the message says why."""


def read_bounded(
    path: str, limit: int, follow: bool = True, accept: Optional[Callable[[os.stat_result], bool]] = None
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; with
    ``follow=False`` a symbolic link is refused (the cache's own files). ``accept`` judges
    the opened file's status (owner, mode) before anything is read: checked on the open
    descriptor, so the file judged is the file read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags if follow else flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"cannot read {path}: not a regular file")
        if accept is not None and not accept(info):
            raise UnreadableFile(f"cannot read {path}: refused (owner, mode or size)")
        if info.st_size > limit:
            raise UnreadableFile(f"cannot read {path}: larger than {limit} bytes")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise UnreadableFile(f"cannot read {path}: larger than {limit} bytes")
    return b"".join(chunks)


def read_exactly(handle: BinaryIO, size: int) -> Optional[bytearray]:
    """``size`` bytes of an open file into one buffer (never a second copy of it); None
    when the file ends first. For the sealed binary files of the cache (index, memo)."""
    buffer = bytearray(size)
    with memoryview(buffer) as view:
        done = 0
        while done < size:
            got = handle.readinto(view[done:])  # type: ignore[attr-defined]
            if not got:
                return None
            done += got
    return buffer


def write_atomic(target: str, data: Union[bytes, Iterable[bytes]], mode: Optional[int] = None) -> None:
    """Write a temporary file beside ``target`` and rename it over ``target``: readers and
    concurrent writers see the old content or the new, never a mix. The temporary name is
    unique per process (a process writes one file at a time) and created exclusively, so a
    planted link is never followed; one left by a crashed run is replaced. ``data`` may
    come in pieces, written as they are made (a long report)."""
    temp = f"{target}.{os.getpid()}.lint-news-tmp"
    try:
        fd = _create_exclusive(temp, 0o666 if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
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

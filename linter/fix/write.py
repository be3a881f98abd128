"""Reading a file to fix and writing it back: atomically, keeping its mode and owner, and
never over a file that changed meanwhile.

The new content is written to an unnamed file in the same folder (``O_TMPFILE`` where the
system has it, a hidden exclusive temporary name otherwise), flushed to disk, then given
a name and renamed over the original with interrupts held back for those two calls. So an
interrupted run (Ctrl-C, kill -9) leaves each file old or new, never partial, and a kill
before the rename leaves no temporary file: the unnamed file disappears with the process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator, NamedTuple, Optional, Tuple, Union
else:
    from linter.named import NamedTuple

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_TEMP_SUFFIX = ".lint-news-fix~"
_HELD = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name))


class Snapshot(NamedTuple):
    """A file's bytes and its status when read."""

    data: bytes
    status: os.stat_result


def read_snapshot(path: str, root: str, limit: int) -> Union[Snapshot, str]:
    """The file's bytes, or why it is not fixed: a symbolic link, outside ``root`` (the
    path named on the command line) once links in its folders are resolved, not a regular
    file, unreadable or over ``limit`` bytes."""
    if not _inside(path, root):
        return "it is outside the folder named (a symbolic link leads there)"
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return "it is a symbolic link" if os.path.islink(path) else f"cannot read it: {exc.strerror or exc}"
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            return "it is not a regular file"
        if status.st_nlink > 1:  # a rename would leave the other names with the old text
            return "it has other hard links"
        if status.st_size > limit:
            return "it is over the size limit"
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return Snapshot(b"".join(chunks), status)
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    finally:
        os.close(fd)


def _inside(path: str, root: str) -> bool:
    real, top = os.path.realpath(os.path.dirname(os.path.abspath(path))), os.path.realpath(root)
    if not os.path.isdir(top):
        top = os.path.dirname(top)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def write_fixed(path: str, before: Snapshot, data: bytes) -> str:
    """Replace the file with ``data``; "" when done, else why it was not written."""
    folder, name = os.path.split(path)
    dirfd = os.open(folder or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fd, temp = _temporary(dirfd, name)
        try:
            problem = _fill(fd, data, before.status)
            if not problem and _changed(path, before):
                problem = "it changed since it was read"
            if not problem:
                _rename(fd, temp, name, dirfd)
                temp = None
                with contextlib.suppress(OSError):
                    os.fsync(dirfd)
        finally:
            os.close(fd)
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp, dir_fd=dirfd)
        return problem
    finally:
        os.close(dirfd)


def _temporary(dirfd: int, name: str) -> Tuple[int, Optional[str]]:
    """An unnamed file in the folder (None as its name), or a hidden new one."""
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):  # named through /proc
        try:
            return os.open(".", os.O_TMPFILE | os.O_WRONLY, 0o600, dir_fd=dirfd), None
        except OSError:
            pass  # a file system without unnamed files
    temp = f".{name}.{os.urandom(6).hex()}{_TEMP_SUFFIX}"
    return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=dirfd), temp


def _fill(fd: int, data: bytes, status: os.stat_result) -> str:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fchmod(fd, stat.S_IMODE(status.st_mode))
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, status.st_uid, status.st_gid)
        except PermissionError:
            mine = os.fstat(fd)
            if (mine.st_uid, mine.st_gid) != (status.st_uid, status.st_gid):
                return "its owner or group could not be kept"
    os.fsync(fd)
    return ""


def _changed(path: str, before: Snapshot) -> bool:
    """Whether the file is not the one read: another inode, size, time or content."""
    try:
        now = os.stat(path, follow_symlinks=False)
        old = before.status
        if (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) != (
            old.st_ino,
            old.st_dev,
            old.st_size,
            old.st_mtime_ns,
        ):
            return True
        with open(path, "rb") as handle:
            return handle.read() != before.data
    except OSError:
        return True


def _rename(fd: int, temp: Optional[str], name: str, dirfd: int) -> None:
    with _signals_held():
        if temp is None:  # name the unnamed file, then rename it: two calls, not interrupted
            temp = f".{name}.{os.urandom(6).hex()}{_TEMP_SUFFIX}"
            os.link(f"/proc/self/fd/{fd}", temp, dst_dir_fd=dirfd)
        try:
            os.replace(temp, name, src_dir_fd=dirfd, dst_dir_fd=dirfd)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=dirfd)
            raise


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and termination wait until the file is renamed (main thread only)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)

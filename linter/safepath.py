"""Which paths lint-news reads: regular files, and symbolic links only within their folder.

A checkout is untrusted: an article committed as a link to ``/proc/self/environ`` or
``~/.ssh/id_rsa`` must not be read, or ``--show-source`` would print it. So a link is read only
when its resolved target lies inside the folder being walked (for a path named on the command
line: the current folder) and is a regular file; otherwise it is reported (E016) and not a
byte of it is read. Reading opens with ``O_NOFOLLOW`` and checks with ``fstat``, so a file
swapped for a link between the walk and the read is refused, not followed.
"""

import errno
import os
import stat
from typing import NamedTuple, Optional, Sequence, Tuple, Union

from linter.model import shown_path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
#: What ``open`` says of a link when ``O_NOFOLLOW`` refuses it (FreeBSD says EMLINK).
LINK_ERRORS = (errno.ELOOP, errno.EMLINK)


class Unreadable(NamedTuple):
    """Why a path is not read: E010 (cannot be read) or E016 (refused: a link leaving its folder)."""

    code: str
    why: str


def inside(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (both already resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def link_problem(path: str, folder: str) -> Optional[Unreadable]:
    """For a symbolic link: why it is not read, or None when its target is a regular file
    inside ``folder``."""
    target = os.path.realpath(path)
    if not inside(target, os.path.realpath(folder)):
        return outside(folder)
    try:
        info = os.stat(path)
    except OSError as exc:
        return Unreadable("E010", f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Unreadable("E010", "cannot read: not a regular file")
    return None


def outside(folder: str) -> Unreadable:
    where = "the current folder" if folder in ("", ".") else f"'{shown_path(folder)}'"
    return Unreadable("E016", f"symbolic link to a file outside {where}; not read")


def open_regular(path: str, roots: Sequence[str]) -> Union[Tuple[int, os.stat_result], Unreadable]:
    """A descriptor of ``path`` and its ``fstat`` when it is a regular file, or a link whose
    target is a regular file inside one of ``roots`` (resolved folders); otherwise why not,
    with nothing read. A FIFO is opened without blocking and refused by ``fstat``."""
    try:
        if not _NOFOLLOW and os.path.islink(path):  # Windows: no O_NOFOLLOW
            return _open_link(path, roots)
        fd = os.open(path, _READ | _NOFOLLOW)
    except OSError as exc:
        if exc.errno in LINK_ERRORS and os.path.islink(path):
            return _open_link(path, roots)
        return Unreadable("E010", f"cannot read: {exc.strerror or exc}")
    return _regular(fd)


def _open_link(path: str, roots: Sequence[str]) -> Union[Tuple[int, os.stat_result], Unreadable]:
    """The link's target, opened by its resolved name (no link followed there), then checked
    to be still what the link names: a link changed meanwhile is refused."""
    target = os.path.realpath(path)
    if not any(inside(target, root) for root in roots):
        return outside("")
    try:
        fd = os.open(target, _READ | _NOFOLLOW)
    except OSError as exc:
        return Unreadable("E010", f"cannot read: {exc.strerror or exc}")
    try:
        opened, named = os.fstat(fd), os.stat(path)
        same = (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)
    except OSError:
        same = False
    if not same or os.path.realpath(path) != target:
        os.close(fd)
        return Unreadable("E010", "cannot read: the link changed while it was read")
    return _regular(fd)


def _regular(fd: int) -> Union[Tuple[int, os.stat_result], Unreadable]:
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        return Unreadable("E010", f"cannot read: {exc.strerror or exc}")
    if stat.S_ISREG(info.st_mode):
        return fd, info
    os.close(fd)
    what = "is a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
    return Unreadable("E010", f"cannot read: {what}")


def reading_roots(paths: Sequence[str]) -> Tuple[str, ...]:
    """Where a link may lead, for the reader: the current folder and every folder named on
    the command line (the walk checks each link against its own folder first; this is the
    reader's check, for a link made after the walk)."""
    named = [os.path.realpath(p) for p in paths if p != "-" and os.path.isdir(p)]
    return tuple(dict.fromkeys([os.path.realpath(os.curdir), *named]))

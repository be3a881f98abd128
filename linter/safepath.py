"""Which paths lint-news reads: regular files, and symbolic links only within their folder.

A checkout is untrusted: an article committed as a link to ``/proc/self/environ`` or
``~/.ssh/id_rsa`` must not be read, or ``--show-source`` would print it. So a link is read only
when its resolved target lies inside the folder being walked (for a path named on the command
line: the current folder) and is a regular file; otherwise it is reported (E016) and not a
byte of it is read. Reading opens with ``O_NOFOLLOW`` and checks with ``fstat``, so a file
swapped for a link between the walk and the read is refused, not followed. ``O_NOFOLLOW``
guards only a path's last part: a path through a committed link to a folder
(``dirlink/x.md``, named by a shell glob) is refused when the link leads out of the roots
(``folder_problem``), each folder resolved once a run.
"""

from __future__ import annotations

import errno
import os
import stat

from linter.model import shown_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Iterable, NamedTuple, Optional, Sequence, Tuple, Union

    _Folders = Tuple[str, ...]
else:
    from linter.named import NamedTuple

    _Folders = tuple

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_SEP, _ALTSEP = os.sep, os.altsep
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


class Roots(_Folders):
    """The resolved folders a link may lead into, for one run, with what was found of each
    folder a read path lies in (``folder_problem``): a run of 20,000 files in one folder
    resolves it once."""

    def __init__(self, folders: Iterable[str]) -> None:
        super().__init__()
        self.folders: Dict[str, Optional[Unreadable]] = {}

    def __reduce__(self) -> Tuple[type, Tuple[Tuple[str, ...]]]:  # a worker learns afresh
        return Roots, (tuple(self),)


def moved_by_link(path: str) -> Optional[str]:
    """Where ``path`` really is when a symbolic link on its way (any part, the last too,
    or one that ``..`` steps back through) moves it; None when it is where it reads."""
    real = os.path.realpath(path)
    return None if real == os.path.normpath(os.path.abspath(path)) else real


def folder_problem(path: str, roots: Optional[Sequence[str]]) -> Optional[Unreadable]:
    """E016 for a path whose folder a symbolic link moves outside ``roots`` (default: the
    current folder), as for a link to a file there: ``O_NOFOLLOW`` refuses a link only as
    the last part of a path. A folder a link keeps inside the roots is read through, as a
    link to a file there is; a plain folder outside them (named by the user) is read."""
    cut = path.rfind(_SEP) if _ALTSEP is None else max(path.rfind(_SEP), path.rfind(_ALTSEP))
    if cut < 0:
        return None  # a name in the current folder
    folder = path[:cut] or path[0]
    known = roots.folders if roots.__class__ is Roots else {}
    try:
        return known[folder]  # 20,000 files of one folder: this, each
    except KeyError:
        pass
    real = moved_by_link(folder)
    inner = roots if roots is not None else (os.path.realpath(os.curdir),)
    moved_out = real is not None and not any(inside(real, root) for root in inner)
    problem = outside("") if moved_out and planted_link(folder, inner) else None
    known[folder] = problem
    return problem


def planted_link(folder: str, roots: Sequence[str]) -> bool:
    """Whether a symbolic link on the way to ``folder``, as written, lies inside ``roots``:
    one a checkout can hold. A link of the machine's own layout (``/tmp`` on macOS, a
    linked home, workspace or shared folder) is no checkout's to plant: a path its user
    names through one is read, as a path with no link on it is."""
    parts = folder.replace(_ALTSEP, _SEP) if _ALTSEP else folder
    way = _SEP if parts.startswith(_SEP) else ""
    for part in parts.split(_SEP):
        if part in ("", "."):
            continue
        way = os.path.join(way, part)
        if os.path.islink(way):
            place = os.path.join(os.path.realpath(os.path.dirname(way) or os.curdir), part)
            if any(inside(place, root) for root in roots):
                return True
    return False


def open_regular(path: str, roots: Sequence[str]) -> Union[Tuple[int, os.stat_result], Unreadable]:
    """A descriptor of ``path`` and its ``fstat`` when it is a regular file, or a link whose
    target is a regular file inside one of ``roots`` (resolved folders); otherwise why not,
    with nothing read. A FIFO is opened without blocking and refused by ``fstat``."""
    moved = folder_problem(path, roots)
    if moved is not None:
        return moved
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


def reading_roots(paths: Sequence[str]) -> Roots:
    """Where a link may lead, for the reader: the current folder and every folder named on
    the command line that the walk takes (the walk checks each link against its own folder
    first; this is the reader's check, for a link made after the walk). A folder named
    through a link out of the current folder (``dirlink/``) is refused, not a root."""
    here = Roots([os.path.realpath(os.curdir)])
    named = [os.path.realpath(p) for p in paths if p != "-" and os.path.isdir(p) and named_problem(p, here) is None]
    return Roots(dict.fromkeys([*here, *named]))


def named_problem(path: str, here: Roots) -> Optional[Unreadable]:
    """E016 for a path named on the command line that a symbolic link (its last part, or a
    folder on its way: ``dirlink``, ``dirlink/``, ``dirlink/x.md``) moves outside the
    current folder, ``here`` (resolved)."""
    if os.path.islink(path) and not inside(os.path.realpath(path), here[0]):
        return outside("")
    return folder_problem(path, here)

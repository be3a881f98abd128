"""Which files form an archive, and their stat signatures.

An archive is the nearest enclosing ``_news`` folder (one Jekyll collection) or folder named
by the ``archive`` configuration key, walked below; a file in neither belongs to the archive
of its own folder (that folder's files alone). Two sites checked in one run, or two
checkouts side by side, are different folders, so they are never compared.

The walk is the checker's (``linter.batch.walk``): the same include and exclude patterns,
symbolic links to folders not followed, a link to a file only when its target is a regular
file inside the archive (and not already a file of it), nothing else opened. Folders inside
an archive that are archives themselves (another ``_news``, another configured root) are
left to their own. At most ``MAX_MEMBERS`` files are listed, so a hostile folder of
millions of files costs a bounded walk.
"""

from __future__ import annotations

import os
import stat
from array import array
from typing import Iterator, List, NamedTuple, Sequence, Set, Tuple

from linter.archive.table import MASK, SIGNATURE, signature
from linter.batch.walk import Globs
from linter.safepath import inside, link_problem

NEWS = "_news"
MAX_MEMBERS = 500_000


class Archive(NamedTuple):
    """An archive's folder (absolute, as named, not resolved) and whether it is walked below."""

    root: str
    deep: bool


def archive_of(path: str, configured: Sequence[str]) -> Archive:
    """The archive a file belongs to: the innermost ``_news`` folder or configured root
    that holds it, else its own folder alone."""
    absolute = os.path.abspath(path)
    holders = [root for root in configured if inside(absolute, root) and absolute != root]
    probe = os.path.dirname(absolute)
    while probe != os.path.dirname(probe):
        if os.path.basename(probe) == NEWS:
            holders.append(probe)
            break
        probe = os.path.dirname(probe)
    if holders:
        return Archive(max(holders, key=len), True)
    return Archive(os.path.dirname(absolute), False)


def name_in(archive: Archive, path: str) -> str:
    """A file's name in its archive: its path below the root, with ``/`` separators."""
    absolute = os.path.abspath(path)
    prefix = archive.root.rstrip(os.sep) + os.sep
    name = absolute[len(prefix) :] if absolute.startswith(prefix) else os.path.relpath(absolute, archive.root)
    return name.replace(os.sep, "/")


class Listing:
    """Every file of the archive as (name in UTF-8, stat signature), in the order the file
    system lists them, streamed (100,000 names are never held as strings); ``truncated``
    once more than ``most`` files were met (the rest is not compared). Links to files come
    last (see ``_links``). One loop, its names bound locally: it runs once per file of the
    archive on every run."""

    def __init__(
        self, archive: Archive, include: Sequence[str], exclude: Sequence[str], configured: Sequence[str], most: int = 0
    ) -> None:
        self.archive = archive
        self.most = most or MAX_MEMBERS
        self.wanted, self.unwanted = Globs(include), Globs(exclude, anywhere=True)
        self.others = {os.path.normcase(root) for root in configured}
        self.truncated = False

    def __iter__(self) -> Iterator[Tuple[bytes, bytes]]:
        archive, wanted, unwanted, most = self.archive, self.wanted, self.unwanted, self.most
        pack, mask = SIGNATURE.pack, MASK
        links: List[Tuple[bytes, str]] = []
        inodes = array("Q")  # of the files met: a link to one of them is not another article
        cut = len(archive.root.rstrip(os.sep)) + 1  # a walked path, less the root and its separator
        count = 0
        folders = [archive.root]
        while folders:
            folder = folders.pop()
            prefix = folder[cut:].replace(os.sep, "/") + "/" if len(folder) >= cut else ""
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        try:
                            if entry.is_dir(follow_symlinks=False):
                                if _walked_into(entry, archive, unwanted, self.others):
                                    folders.append(entry.path)
                                continue
                            if not wanted.match(entry.name, entry.path) or unwanted.match(entry.name, entry.path):
                                continue
                            if count >= most:
                                self.truncated = True
                                return
                            count += 1
                            name = (prefix + entry.name).encode("utf-8", "surrogateescape")
                            if entry.is_symlink():
                                links.append((name, entry.path))
                            elif entry.is_file(follow_symlinks=False):
                                info = entry.stat(follow_symlinks=False)
                                inode = info.st_ino & mask
                                inodes.append(inode)
                                sig = pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, inode, info.st_dev & mask)
                                yield name, sig
                        except OSError:
                            continue  # vanished or unreadable meanwhile: not a member
            except OSError:
                continue  # a folder that cannot be listed adds nothing (the walk says why, if named)
        if links:
            yield from _links(archive, set(inodes), links)


def _walked_into(entry: os.DirEntry[str], archive: Archive, unwanted: Globs, others: Set[str]) -> bool:
    """Whether a folder of the archive is walked: not for an archive of one folder, nor into
    another archive (a ``_news`` or configured root) or an excluded folder."""
    nested = entry.name == NEWS or os.path.normcase(entry.path) in others
    return archive.deep and not nested and not unwanted.match(entry.name, entry.path)


def _links(archive: Archive, known: Set[int], links: List[Tuple[bytes, str]]) -> Iterator[Tuple[bytes, bytes]]:
    """Links to regular files inside the archive that are not files of it already (a link
    to a sibling is the sibling, not a second article)."""
    for name, path in links:
        if link_problem(path, archive.root) is not None:
            continue  # leaves the archive, or is no regular file: never read
        try:
            info = os.stat(path)
        except OSError:
            continue
        inode = info.st_ino & MASK
        if stat.S_ISREG(info.st_mode) and inode not in known:
            known.add(inode)
            yield name, signature(info)

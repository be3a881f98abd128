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

With the usual patterns (suffixes such as ``*.md``) and no signatures from the check, a
folder is read by ``scan``: compiled in ``linter/parse/_blockreader.c`` (read, lstat on two
threads and pack in C, without the interpreter's lock), or its Python twin ``scan_python``.
"""

from __future__ import annotations

import os
import stat
import sys
from array import array

from linter.archive.table import MASK, NO_SIGNATURE, SIGNATURE, Finder, Table, signature
from linter.batch.walk import Globs
from linter.safepath import inside, link_problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple
else:
    from linter.named import NamedTuple

NEWS = "_news"
MAX_MEMBERS = 500_000
#: What ``scan`` says an entry of ``others`` is.
FOLDER, LINK = 0, 1


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


class Known:
    """The signatures a run took of the files it checked (the ``fstat`` of the bytes
    checked; ``NO_SIGNATURE`` where it has none), for the listing. A checked file's
    signature is taken only while the folder lists that name as the same inode; it is
    older than a stat here would be (the file was checked before it is listed), the safe
    order: a file changed since its check has another signature on the next run, which
    reads it again. A walk meets the files in the listing's order, so a batch of them is
    usually the next rows of the checked table, taken in one copy."""

    def __init__(self, table: Table, sigs: bytearray) -> None:
        self.names, self.sigs = table.names, sigs
        self.finder = Finder(table)
        self.at = self.row = 0  # where the next batch is looked for: its name's start, its row

    def batch(self, names: bytearray, inodes: array[int]) -> Optional[bytearray]:
        """The signatures of listed files (``names``, each ended by a NUL; the inodes the
        folder lists) when they are the next rows, in order, each the same inode (a row
        without a signature has inode 0, which no listed file has); else None."""
        end = self.row + len(inodes)
        if not self.names.startswith(names, self.at):
            return None
        sigs = self.sigs[self.row * SIGNATURE.size : end * SIGNATURE.size]
        if _inodes(sigs) != inodes:
            return None
        self.at, self.row = self.at + len(names), end
        return sigs

    def one(self, name: bytes, inode: int) -> Optional[bytes]:
        """The signature of one listed file the run checked, when it is the same inode."""
        finder = self.finder
        finder.next, finder.next_start = self.row, self.at  # the row after the last found
        row = finder.find(name)
        if row is None:
            return None
        self.row, self.at = finder.next, finder.next_start
        sig = bytes(self.sigs[row * SIGNATURE.size : (row + 1) * SIGNATURE.size])
        return sig if sig != NO_SIGNATURE and _inodes(bytearray(sig))[0] == inode & MASK else None


class Listing:
    """Every file of the archive as names (UTF-8, each ended by a NUL) and stat signatures
    (``SIGNATURE``), in the order the file system lists them, in batches (100,000 names
    are never held as strings); ``truncated`` once more than ``most`` files were met (the
    rest is not compared). Links to files come last (see ``_links``).

    ``known`` holds the signatures of the files the run checked, taken from the ``fstat``
    of the bytes checked: such a file costs no stat call here (see ``Known``)."""

    def __init__(
        self,
        archive: Archive,
        include: Sequence[str],
        exclude: Sequence[str],
        configured: Sequence[str],
        most: int = 0,
        known: Optional[Known] = None,
    ) -> None:
        self.archive = archive
        self.known = known
        self.most = most or MAX_MEMBERS
        self.wanted, self.unwanted = Globs(include), Globs(exclude, anywhere=True)
        self.others = {os.path.normcase(root) for root in configured}
        self.truncated = False
        self.count = 0
        self.sink: Optional[Tuple[bytearray, bytearray]] = None  # see ``whole``

    def whole(self) -> Tuple[bytearray, bytearray]:
        """Every file's names and signatures in two buffers: the usual patterns' folders
        are scanned straight into them (100,000 names are never held twice)."""
        names, sigs = self.sink = bytearray(), bytearray()
        for more_names, more_sigs in self.batches():
            names += more_names
            sigs += more_sigs
        return names, sigs

    def __iter__(self) -> Iterator[Tuple[bytes, bytes]]:
        """(name, signature) a file."""
        size = SIGNATURE.size
        for names, sigs in self.batches():
            at = 0
            for start in range(0, len(sigs), size):
                end = names.index(b"\0", at)
                yield bytes(names[at:end]), bytes(sigs[start : start + size])
                at = end + 1

    def batches(self) -> Iterator[Tuple[bytearray, bytearray]]:
        """(names, signatures) of up to ``_BATCH`` files at a time."""
        links: List[Tuple[bytes, str]] = []
        inodes = array("Q")  # of the files met: a link to one of them is not another article
        folders = [self.archive.root]
        while folders:
            folder = folders.pop()
            try:
                yield from self._folder(folder, folders, links, inodes)
            except OSError:
                continue  # a folder that cannot be listed adds nothing (the walk says why, if named)
            if self.truncated:
                return
        if links:
            met = set(inodes)
            if self.sink is not None:  # the files scanned into it are not in ``inodes``
                met.update(_inodes(self.sink[1]))
            names, sigs = bytearray(), bytearray()
            for name, sig in _links(self.archive, met, links):
                names += name + b"\0"
                sigs += sig
            yield names, sigs

    def _folder(
        self, folder: str, folders: List[str], links: List[Tuple[bytes, str]], inodes: array[int]
    ) -> Iterator[Tuple[bytearray, bytearray]]:
        """One folder's files. One loop, its names bound locally and bytes throughout (no
        string a file): it runs once per file of the archive on every run. With ``known``,
        a batch's regular files wait for their signatures until the batch is complete."""
        archive, unwanted, known = self.archive, self.unwanted, self.known
        room = self.most - self.count
        cut = len(archive.root.rstrip(os.sep)) + 1  # a walked path, less the root and its separator
        below = folder[cut:]
        prefix = os.fsencode(below.replace(os.sep, "/") + "/") if below else b""
        names, sigs = bytearray(), bytearray()
        waiting: List[os.DirEntry[bytes]] = []
        take, suffixes = self._chooser()
        if suffixes is not None and known is None:  # the usual patterns: the folder in one call
            if self.sink is not None:
                self._scanned(folder, prefix, suffixes, folders, links, *self.sink)
                return
            self._scanned(folder, prefix, suffixes, folders, links, names, sigs)
            if sigs:
                inodes.extend(_inodes(sigs))
                yield names, sigs
            return
        try:
            with os.scandir(os.fsencode(folder)) as entries:
                for entry in entries:
                    try:
                        name = entry.name
                        if not (name.endswith(suffixes) if suffixes is not None else take(name, entry.path)):
                            if entry.is_dir(follow_symlinks=False) and _walked_into(
                                entry.name, entry.path, archive, unwanted, self.others
                            ):
                                folders.append(os.fsdecode(entry.path))
                            continue
                        regular = entry.is_file(follow_symlinks=False)  # the usual case: one question
                        if not regular and entry.is_dir(follow_symlinks=False):
                            if _walked_into(entry.name, entry.path, archive, unwanted, self.others):
                                folders.append(os.fsdecode(entry.path))
                            continue
                        if not room:
                            self.truncated = True
                            break
                        room -= 1
                        if regular:
                            if known is None:
                                # Without arguments: a regular file's entry is lstat'ed all the
                                # same (only a link is followed), and no keyword is parsed.
                                sigs += signature(entry.stat())
                            else:
                                waiting.append(entry)
                            if prefix:
                                names += prefix
                            names += name
                            names += b"\0"
                            if len(sigs) >= _BATCH_BYTES or len(waiting) >= _BATCH:
                                if waiting:
                                    names, sigs = self._signed(names, waiting)
                                    waiting = []
                                inodes.extend(_inodes(sigs))
                                yield names, sigs
                                names, sigs = bytearray(), bytearray()
                        elif entry.is_symlink():
                            links.append((prefix + name, os.fsdecode(entry.path)))
                    except OSError:
                        continue  # vanished or unreadable meanwhile: not a member
        finally:
            self.count = self.most - room
        if waiting:
            names, sigs = self._signed(names, waiting)
        if sigs:
            inodes.extend(_inodes(sigs))
            yield names, sigs

    def _scanned(
        self,
        folder: str,
        prefix: bytes,
        suffixes: Tuple[bytes, ...],
        folders: List[str],
        links: List[Tuple[bytes, str]],
        names: bytearray,
        sigs: bytearray,
    ) -> None:
        """One folder's files into ``names`` and ``sigs`` by ``scan`` (compiled where it can
        be: 20,000 files cost about a fifth of the Python loop's time, without holding the
        interpreter's lock), its folders and links handled as the loop handles them."""
        encoded = os.fsencode(folder)
        room, truncated, others = scan(encoded, prefix, suffixes, self.most - self.count, names, sigs)
        self.count = self.most - room
        self.truncated = self.truncated or truncated
        for kind, name in others:
            path = os.path.join(encoded, name)
            if kind == LINK:
                links.append((prefix + name, os.fsdecode(path)))
            elif _walked_into(name, path, self.archive, self.unwanted, self.others):
                folders.append(os.fsdecode(path))

    def _signed(self, names: bytearray, waiting: List[os.DirEntry[bytes]]) -> Tuple[bytearray, bytearray]:
        """The names and signatures of a batch of regular files (``names`` theirs, in
        order): in one copy when they are the next files the run checked, each the inode
        the folder lists; else one at a time, the check's signature or a stat (a file
        gone meanwhile is left out)."""
        assert self.known is not None
        sigs = self.known.batch(names, array("Q", map(_inode_of_entry, waiting)))
        if sigs is not None:
            return names, sigs
        kept, sigs = bytearray(), bytearray()
        for name, entry in zip(names.split(b"\0"), waiting):
            try:
                sig = self.known.one(bytes(name), entry.inode())
                if sig is None:
                    sig = signature(entry.stat(follow_symlinks=False))
            except OSError:
                continue  # vanished or unreadable meanwhile: not a member
            kept += name + b"\0"
            sigs += sig
        return kept, sigs

    def _chooser(self) -> Tuple[Callable[[bytes, bytes], bool], Optional[Tuple[bytes, ...]]]:
        """Whether a name (bytes) is a file name the patterns take: from the name alone for
        literal names and suffixes (the usual patterns), else through the regexes. With
        it, the suffixes alone when they decide (no excluded name ends with one: the usual
        ``*.md`` and folder names), so the loop asks ``endswith`` and calls nothing."""
        wanted, unwanted = self.wanted, self.unwanted
        quick_in, quick_out = wanted.quick_bytes(), unwanted.quick_bytes()
        if quick_in is not None and quick_out is not None:
            # no exclude pattern at all excludes no name
            suffixes, names_out = quick_in[1], quick_out[0] if unwanted.regex is not None else frozenset()
            if suffixes is not None and names_out is not None and quick_in[0] is None and quick_out[1] is None:
                if not any(name.endswith(suffixes) for name in names_out):
                    return (lambda name, path: name.endswith(suffixes)), suffixes
                return (lambda name, path: name.endswith(suffixes) and name not in names_out), None
            return (lambda name, path: wanted.match_bytes(name) and not unwanted.match_bytes(name)), None

        def slow(name: bytes, path: bytes) -> bool:
            text, full = os.fsdecode(name), os.fsdecode(path)
            return wanted.match(text, full) and not unwanted.match(text, full)

        return slow, None


_BATCH = 4096
_BATCH_BYTES = _BATCH * SIGNATURE.size
_inode_of_entry = os.DirEntry.inode
_INODE = 24  # where a signature's inode number starts


def _inodes(sigs: bytearray) -> array[int]:
    """The inode numbers of a batch's signatures: the column gathered by slices with the
    signature's size as their step, not a number appended a file."""
    gathered = bytearray(8 * (len(sigs) // SIGNATURE.size))
    for byte in range(8):
        gathered[byte::8] = sigs[_INODE + byte :: SIGNATURE.size]
    numbers = array("Q")
    numbers.frombytes(gathered)
    if sys.byteorder == "big":  # the signature is packed little-endian
        numbers.byteswap()
    return numbers


def _walked_into(entry_name: bytes, entry_path: bytes, archive: Archive, unwanted: Globs, others: Set[str]) -> bool:
    """Whether a folder of the archive is walked: not for an archive of one folder, nor into
    another archive (a ``_news`` or configured root) or an excluded folder."""
    if not archive.deep:
        return False
    name, path = os.fsdecode(entry_name), os.fsdecode(entry_path)
    nested = name == NEWS or os.path.normcase(path) in others
    return not nested and not unwanted.match(name, path)


def scan_python(
    folder: bytes,
    prefix: bytes,
    suffixes: Tuple[bytes, ...],
    room: int,
    names: bytearray,
    sigs: bytearray,
    batch: int = 0,
) -> Tuple[int, bool, List[Tuple[int, bytes]]]:
    """The Python twin of the compiled ``scan`` (``linter/parse/_blockreader.c``, which says
    what it does): one folder's regular files whose names end with one of ``suffixes``
    appended (``prefix`` + name + NUL; their lstat signatures), the room left, whether it
    ran out, and the folders (``FOLDER``) and links with such names (``LINK``) met.
    (``batch``: how much the compiled one reads between two takings of the lock.)"""
    others: List[Tuple[int, bytes]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    others.append((FOLDER, name))
                    continue
                if not name.endswith(suffixes):
                    continue
                if not room:
                    return room, True, others
                room -= 1
                if entry.is_symlink():
                    others.append((LINK, name))
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # vanished or unreadable meanwhile: not a member
            if stat.S_ISREG(info.st_mode):  # not replaced by another kind meanwhile
                names += prefix + name + b"\0"
                sigs += signature(info)
    return room, False, others


scan: Callable[..., Tuple[int, bool, List[Any]]]
try:
    from linter.parse._blockreader import scan
except ImportError:  # no compiler at install, or not POSIX: the same in Python
    scan = scan_python


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

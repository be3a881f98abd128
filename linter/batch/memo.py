"""The stat memo: a warm run answers an unchanged file without opening it.

Reading and hashing every file was most of a warm run (a file's cache key is a MAC of its
bytes), and reading the entries of files with findings most of the rest. The memo notes,
for each file a run read, its stat signature (size, mtime, ctime, inode, device:
``linter.archive.table.signature``, what the archive index trusts) and what the run found
in it: clean, or its findings as the report's store keeps them (``linter.report.store``'s
``marshal`` rows, so a recalled file's findings go to the store as they are). A later run
``lstat``s the file; when the signature is the same, the noted findings answer, and the
file is neither opened, read nor hashed, nor its cache entry read. Anything else (no row,
another signature, not a regular file) is read as before, through the result cache.

A parallel run notes the files its other processes check by the ``lstat`` the parent takes
before sending each out (never newer than the bytes read), so its next run is warm too, and
only when the process that read the file sends back the same signature for what it read
(its ``fstat``): a folder renamed meanwhile makes the path lead to another file, whose
findings must not be paired with the first one's signature; a
parallel run whose first files are all unchanged answers in one process (starting workers
costs more), until ``linter.batch.runner._MISSES`` files were not: the rest goes to the
workers. Otherwise the pool does not consult the memo.

One memo per settings folder and per view of the files: the interpreter (``marshal``'s
format is its own), the working directory and the paths the run named, so a relative path
never stands for a file of another folder (the inode and device would tell it too). A warm
run whose rows are the stored ones in order writes nothing; any other rewrites the memo
with this run's rows (a deleted file's row goes). Only a run of at least ``_AT_LEAST`` files keeps one: pre-commit's
few files are hashed, and leave no memo per set of names behind. A settings folder keeps
the ``_KEPT`` memos written last (each list of named paths makes one): a run that writes one
deletes the older ones (only regular files named as memos; never through a link).

Memory: this run's rows are held to ``_CAP`` as they are kept, not only when saved (big
defective articles made them many times the files' size): once a row would pass it, the
rows are freed and the run keeps and saves none (the stored memo stays, and still answers).
A file whose findings take more than ``_FILE_CAP`` gets no row: hashing it costs little next
to linting it, and its cache entry answers it.

Layout: ``MAGIC``, the MAC (32 bytes), the number of rows, the length of the names and of
the findings (three unsigned 32-bit numbers), the names (each ended by a NUL), the rows
(signature, then where the row's findings are and how many), the findings.

Trust: the cache folder may be committed by a pull request, so the memo is sealed like the
archive index: HMAC-SHA-256 under a key derived from the per-user secret with a purpose of
its own, over the view and every byte after the MAC, checked before anything is decoded;
the lengths must add up exactly and the names hold one NUL a row. A forged, foreign,
truncated or oversized memo is no memo. It is read without following a link, never past
``_CAP`` bytes, and only where the cache's folders are real folders.

Racy files (git's "racily clean"): a file written again within its file system's time
resolution after it was read would keep its signature. So a row is noted only when the
file's mtime is older than the run's start by ``_RACY_NS`` (as the archive index) and its
ctime by ``_RACY_NS`` too where the ctime is in whole seconds, else by ``_SETTLED_NS`` (a
coarse kernel clock's ticks); setting the mtime back does not help a stale row, as the
ctime cannot be set back. Never on Windows, where st_ctime is the creation time, so a
rewrite with the size and mtime put back would keep its signature (as the index's ``.seen``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import struct
import sys

from linter.archive.table import NO_SIGNATURE, SIGNATURE, Finder, Table, signature
from linter.files import read_exactly

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO, Optional, Sequence, Tuple

    from linter.batch.cache import Cache

_PURPOSE = "lint-news stat memo v1"
#: Also names the format of the findings' rows (``linter.report.store.pack``): change it
#: with them.
MAGIC = b"lint-news stat memo 2\n"
_PREFIX = "stat-"
_MAC_SIZE = 32
_HEADER = struct.Struct("<III")  # rows, bytes of names, bytes of findings
_START = len(MAGIC) + _MAC_SIZE + _HEADER.size
_PLACE = struct.Struct("<III")  # where a row's findings are in the findings' bytes, and how many
ROW = SIGNATURE.size + _PLACE.size
_CAP = 64 * 1024 * 1024
#: The most bytes of findings one row keeps: a file with more is cheap to hash next to
#: linting it, and goes through the result cache (its rows would make the memo's buffers
#: many times the files' size).
_FILE_CAP = 256 * 1024
_AT_LEAST = 32
#: The memos a settings folder keeps (the most recently written).
_KEPT = 8
_NAME_SIZE = len(_PREFIX) + 32
_HEX = frozenset("0123456789abcdef")
_RACY_NS = 2_000_000_000
_SETTLED_NS = 100_000_000
_NAME_ERRORS = "surrogatepass"  # any str a walk yields, lone surrogates too, and back
if TYPE_CHECKING:
    #: What a recalled file is: its ``lstat``, its findings' row as ``FindingStore`` keeps it
    #: (None: clean) and how many findings the row holds.
    Recalled = Tuple[os.stat_result, Optional[bytes], int]


class Memo:
    """The memo of one view (working directory and named paths) of one cache."""

    def __init__(self, cache: Cache, paths: Sequence[str], started: int) -> None:
        self.cache = cache
        self.key = cache.derived_key(_PURPOSE)
        # The interpreter too: the findings' rows are ``marshal`` data, whose format is its.
        parts = [sys.version, os.getcwd(), *paths]
        self.view = b"\0".join(p.encode("utf-8", _NAME_ERRORS) for p in parts)
        name = hashlib.blake2b(self.view, digest_size=16).hexdigest()
        self.path = os.path.join(cache.folder, _PREFIX + name)
        self.started = started
        self.owner = os.getpid()  # a worker process inherits the memo, and never saves it
        self.keeping = True  # whether ``recall`` keeps the rows it finds
        self.loaded = False
        self.old: Optional[Table] = None  # the stored names, for ``Finder``
        self.old_rows = b""
        self.old_found = b""
        self.finder: Optional[Finder] = None
        # This run's rows. While they are the stored ones in order (a warm run), only how
        # many and where they end are counted; they are copied when a run's rows differ.
        self.count = 0
        self.names_end = 0
        self.found_end = 0
        self.copied = False
        self.full = False  # this run's rows would pass ``_CAP``: none kept, nothing saved
        self.size = _START  # the memo's bytes with this run's copied rows (from ``_copy`` on)
        self.names = bytearray()  # each ended by a NUL
        self.rows = bytearray()
        self.found = bytearray()

    def recall(self, path: str) -> Optional[Recalled]:
        """What the run found in ``path`` when it was read, if the file is a regular file
        whose signature is still the one noted then; None otherwise. The row is kept."""
        if not self.loaded:
            self.load()
        if self.finder is None:
            return None
        name = path.encode("utf-8", _NAME_ERRORS)
        row = self.finder.find(name)
        if row is None:
            return None
        try:
            info = os.lstat(path)
        except OSError:
            return None
        at = row * ROW
        sig = signature(info)
        if sig != self.old_rows[at : at + SIGNATURE.size] or not stat.S_ISREG(info.st_mode):
            return None
        start, size, count = _PLACE.unpack_from(self.old_rows, at + SIGNATURE.size)
        found = self.old_found[start : start + size] if size else None
        if not self.keeping or self.full:
            return info, found, count
        if not self.copied and row == self.count:  # a warm run: the stored rows in order
            self.count += 1
            self.names_end += len(name) + 1
            self.found_end += size
        else:
            self._add(name, sig, found, count)
        return info, found, count

    @staticmethod
    def signed(info: os.stat_result) -> bytes:
        """``info``'s signature (``linter.archive.table.signature``)."""
        return signature(info)

    def knows_all(self, paths: Sequence[str]) -> bool:
        """Whether every one of ``paths`` is unchanged since it was noted (nothing kept)."""
        self.keeping = False
        try:
            return bool(paths) and all(path != "-" and self.recall(path) is not None for path in paths)
        finally:
            self.keeping = True
            if self.finder is not None:
                self.finder.next = self.finder.next_start = 0  # the run asks again from the first

    def note(
        self, path: str, info: os.stat_result, found: Optional[bytes], count: int, sig: Optional[bytes] = None
    ) -> None:
        """``path`` was read with the ``fstat`` ``info`` (taken before reading), and found
        clean (``found`` None) or with the findings of the store's row ``found``: a row,
        unless it changed too recently to tell. ``sig``: ``info``'s signature, when known."""
        if self.full or os.getpid() != self.owner:
            return
        if sig is None:
            sig = signature(info)
        if sig != NO_SIGNATURE and self._settled(info):
            self._add(path.encode("utf-8", _NAME_ERRORS), sig, found, count)

    def _add(self, name: bytes, sig: bytes, found: Optional[bytes], count: int) -> None:
        size = len(found or b"")
        if size > _FILE_CAP:
            return  # no row: the next run reads the file (its cache entry answers)
        if not self.copied:
            self._copy()
        self.size += len(name) + 1 + ROW + size
        if self.size > _CAP:
            self._give_up()
            return
        self.names += name
        self.names += b"\0"
        self.rows += sig
        self.rows += _PLACE.pack(len(self.found), len(found or b""), count)
        if found:
            self.found += found
        self.count += 1

    def _give_up(self) -> None:
        """This run's rows would make a memo past ``_CAP``: their buffers are freed (memory
        stays bounded) and nothing more is kept; the stored memo still answers."""
        self.full = True
        self.names, self.rows, self.found = bytearray(), bytearray(), bytearray()

    def _copy(self) -> None:
        """This run's rows so far, which are the first stored ones, copied."""
        self.copied = True
        if self.old is not None:
            self.names = bytearray(self.old.names[: self.names_end])
            self.rows = bytearray(self.old_rows[: self.count * ROW])
            self.found = bytearray(self.old_found[: self.found_end])
        self.size = _START + len(self.names) + len(self.rows) + len(self.found)

    def _settled(self, info: os.stat_result) -> bool:
        ctime_margin = _RACY_NS if info.st_ctime_ns % 1_000_000_000 == 0 else _SETTLED_NS
        return info.st_mtime_ns < self.started - _RACY_NS and info.st_ctime_ns < self.started - ctime_margin

    def load(self) -> None:
        """The stored rows, read column by column straight into their buffers (the file is
        never held whole beside them), believed only once the MAC over all of them verifies."""
        self.loaded = True
        if os.name == "nt" or not self.cache.usable_folders():
            return
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self.path, flags | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return
        try:
            with open(fd, "rb", buffering=0) as handle:  # closes the descriptor
                parts = self._read(handle)
        except OSError:
            return
        if parts is not None:
            count, names, self.old_rows, self.old_found = parts
            table = Table()
            table.names, table.count = names, count
            self.old, self.finder = table, Finder(table)

    def _read(self, handle: BinaryIO) -> Optional[Tuple[int, bytearray, bytes, bytes]]:
        """(rows, names, rows' bytes, findings' bytes) of a memo this user's lint-news
        sealed for this view; None for anything else."""
        info = os.fstat(handle.fileno())
        start = len(MAGIC) + _MAC_SIZE
        if not stat.S_ISREG(info.st_mode) or not start + _HEADER.size <= info.st_size <= _CAP:
            return None
        head = _exactly(handle, start + _HEADER.size)
        if head is None or not head.startswith(MAGIC):
            return None
        count, names_size, found_size = _HEADER.unpack_from(head, start)
        if len(head) + names_size + count * ROW + found_size != info.st_size:
            return None  # the lengths must add up to the file, so no buffer outgrows it
        digest = self._digest()
        digest.update(head[start:])
        names = read_exactly(handle, names_size)  # a bytearray, as ``Table`` keeps names
        rows, found = _exactly(handle, count * ROW), _exactly(handle, found_size)
        if names is None or rows is None or found is None or handle.read(1):
            return None  # cut short, or grown meanwhile
        digest.update(names)
        digest.update(rows)
        digest.update(found)
        if not hmac.compare_digest(digest.digest(), head[len(MAGIC) : start]):
            return None  # not sealed by this user's lint-news for this view
        if names.count(b"\0") != count or (count and not names.endswith(b"\0")):
            return None
        return count, names, rows, found

    def _digest(self) -> hmac.HMAC:
        return hmac.new(self.key, b"memo\0" + self.view + b"\0\0", hashlib.sha256)

    def save(self) -> None:
        """This run's rows, when there are enough of them and they differ from the stored."""
        if os.name == "nt" or self.full or os.getpid() != self.owner or self.count < _AT_LEAST:
            return
        if not self.copied:
            if self.old is not None and self.count == self.old.count:
                return  # the stored rows, all of them, in order
            self._copy()
        from linter.files import write_atomic

        header = _HEADER.pack(self.count, len(self.names), len(self.found))
        sealed = b"".join((header, self.names, self.rows, self.found))
        if len(MAGIC) + _MAC_SIZE + len(sealed) > _CAP:
            return
        try:
            if self.cache.prepare_folder():
                digest = self._digest()
                digest.update(sealed)
                write_atomic(self.path, MAGIC + digest.digest() + sealed)
                self._prune()
        except OSError:
            pass  # a read-only or full disk: the next run reads the files again

    def _prune(self) -> None:
        """The settings folder keeps the ``_KEPT`` memos written last: every other list of
        named paths left one, up to ``_CAP`` each. Only regular files named as a memo are
        deleted (``lstat``: a link is never followed nor removed)."""
        found = []
        for name in os.listdir(self.cache.folder):
            if len(name) != _NAME_SIZE or not name.startswith(_PREFIX) or not _HEX.issuperset(name[len(_PREFIX) :]):
                continue
            path = os.path.join(self.cache.folder, name)
            with contextlib.suppress(OSError):
                info = os.lstat(path)
                if stat.S_ISREG(info.st_mode) and path != self.path:
                    found.append((info.st_mtime_ns, path))
        for _, path in sorted(found, reverse=True)[_KEPT - 1 :]:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _exactly(handle: BinaryIO, size: int) -> Optional[bytes]:
    """``size`` bytes of the file; None when it ends first."""
    data = handle.read(size)
    while len(data) < size:
        more = handle.read(size - len(data))
        if not more:
            return None
        data += more
    return data

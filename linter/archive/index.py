"""The index of an archive's cross-file keys, kept with the result cache.

One file per archive, ``archive-v2/<settings hash>/<hash of the resolved root>`` in the
cache folder (so other settings, another tool version or another schema never read it;
the result cache's own layout is untouched): for each file of the archive, its stat
signature and its keys (``linter.archive.keys``). A run stats every file and re-reads
only those whose signature changed, so one changed article in an archive of 20,000 costs
a walk, one read of the index and one parse.

The file is binary, the table's own columns (``linter.archive.table``), so loading 100,000
files is a few copies, not a parse: ``MAGIC``, the MAC (32 bytes), then the number of
rows and the length of the names (two unsigned 32-bit numbers), the names (each ended by
a NUL), the keys records and the signatures. The cache folder may be committed by a pull
request, so the index is sealed like the cache's entries: a keyed BLAKE2b MAC under a key
derived from the per-user secret with a purpose of its own, over the archive's resolved
root and every byte after the MAC, checked before anything is decoded; then every length
must add up exactly and the names hold exactly one NUL a row. A forged, truncated,
foreign or oversized index is read as no index at all (the files are read again), never
believed. It is read without following a link and never past ``_INDEX_CAP`` bytes.

A signature taken within ``_RACY_NS`` of the run's start is stored empty (never matches):
a file changed again within the file system's time resolution would otherwise keep its
old keys (git's "racily clean" entries).

The MAC over the whole index (3.7 MB at 20,000 files) was most of a warm run's reading of
it. So a run that verified it also notes which file it verified: beside the index, a
record (``.seen``) of the index file's stat signature (size, times, inode, device: what
tells an article changed) and its MAC, sealed under a key of its own. A later run whose
index file still has that signature and that MAC in its header reads it without hashing
it again: a file cannot be written without a new ctime, which cannot be set back. The
record is written only when the index's last change is older than the time resolution
of its file system can hide (``_SEEN_AFTER_NS``; two seconds where the times are whole
seconds), so no write in the same tick as the verified one goes unseen; never on
Windows, where st_ctime is the creation time. A forged, foreign or stale record is
ignored: the MAC is checked as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import struct
import time

from linter.archive.table import NO_SIGNATURE, RECORD, SIGNATURE, Table, signature
from linter.files import read_exactly

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO, Optional, Tuple, Union

    from linter.batch.cache import Cache

_PURPOSE = "lint-news archive index v2"
_LAYOUT = "archive-v2"
MAGIC = b"lint-news archive index 2\n"
_INDEX_CAP = 256 * 1024 * 1024
_MAC_SIZE = 32
_HEADER = struct.Struct("<II")
#: What comes before the sealed bytes: the magic and the MAC.
_PREFIX = len(MAGIC) + _MAC_SIZE
_RACY_NS = 2_000_000_000
_SEEN_PURPOSE = "lint-news archive index seen v1"
_SEEN = b"lint-news index seen 1\n"
_SEEN_SUFFIX = ".seen"
_SEEN_SIZE = len(_SEEN) + SIGNATURE.size + 2 * _MAC_SIZE
#: How old an index's last change must be before a run notes it as verified: past the
#: ticks of a file system's clock (a few milliseconds); whole-second times: two seconds.
_SEEN_AFTER_NS = 100_000_000


class Index:
    """The sealed index files of one cache."""

    def __init__(self, cache: Cache, started: Optional[int] = None) -> None:
        self.cache = cache
        self.key = cache.derived_key(_PURPOSE)
        self.seen_key = cache.derived_key(_SEEN_PURPOSE)
        self.started = time.time_ns() if started is None else started  # before any file was read
        self.layout = os.path.join(cache.root, _LAYOUT)
        self.folder = os.path.join(self.layout, cache.salt)

    def load(self, root: str, listed: Optional[Tuple[int, bytearray]] = None) -> Optional[Table]:
        """The stored table of the archive at ``root`` (resolved); None when there is none
        that verifies. Each column is read from the file straight into its buffer (the
        whole file is never held beside them), and nothing is believed before the MAC over
        all of them verifies. ``listed``: the listing's row count and names, when at hand:
        stored names and count equal to them hold one NUL a row without counting them
        again (the listing's do: each name it adds ends with its NUL)."""
        if not self._usable():
            return None
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self._path(root), flags | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with open(fd, "rb", buffering=0) as handle:  # closes the descriptor
                return self._read(handle, root, listed)
        except OSError:
            return None

    def _read(self, handle: BinaryIO, root: str, listed: Optional[Tuple[int, bytearray]]) -> Optional[Table]:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or not _PREFIX + _HEADER.size <= info.st_size <= _INDEX_CAP:
            return None
        head = read_exactly(handle, _PREFIX + _HEADER.size)
        if head is None or not head.startswith(MAGIC):
            return None
        rows, names_size = _HEADER.unpack_from(head, _PREFIX)
        sizes = (names_size, rows * RECORD.size, rows * SIGNATURE.size)
        if len(head) + sum(sizes) != info.st_size:
            return None  # the lengths must add up to the file, so no buffer outgrows it
        sealed = bytes(head[len(MAGIC) : _PREFIX])
        identity = _identity(info)
        seen = identity is not None and self._seen(root) == (identity, sealed)
        digest = None if seen else hashlib.blake2b(_record(root), digest_size=_MAC_SIZE, key=self.key)
        if digest is not None:
            digest.update(head[_PREFIX:])
        columns = []
        for size in sizes:
            column = read_exactly(handle, size)
            if column is None:
                return None
            if digest is not None:
                digest.update(column)
            columns.append(column)
        if handle.read(1):
            return None  # grown meanwhile
        if digest is not None:
            if not hmac.compare_digest(digest.digest(), sealed):
                return None  # not sealed by this user's lint-news
            if identity is not None and self._settled(info):
                self._note_seen(root, identity, sealed)
        names, keys, sigs = columns
        if listed != (rows, names) and (names.count(b"\0") != rows or (rows and not names.endswith(b"\0"))):
            return None
        table = Table(signed=True)
        table.names, table.keys, table.sigs, table.count = names, keys, sigs, rows
        return table

    def save(self, root: str, table: Table) -> None:
        from linter.files import write_atomic

        assert table.sigs is not None
        header = _HEADER.pack(len(table), len(table.names))
        size = _PREFIX + len(header) + len(table.names) + len(table.keys) + len(table.sigs)
        if size > _INDEX_CAP or len(table.names) >= 2**32:
            return
        digest = hashlib.blake2b(_record(root), digest_size=_MAC_SIZE, key=self.key)
        for part in (header, table.names, table.keys, table.sigs):
            digest.update(part)
        try:
            if self._prepare():
                parts = (MAGIC, digest.digest(), header, table.names, table.keys, table.sigs)
                write_atomic(self._path(root), b"".join(parts))
        except OSError:
            pass  # a read-only or full disk: the next run reads the files again

    def _seen(self, root: str) -> Optional[Tuple[bytes, bytes]]:
        """The signature and MAC of the index file a run verified, from its sealed record;
        None when there is none that verifies."""
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self._path(root) + _SEEN_SUFFIX, flags)
        except OSError:
            return None
        try:
            with open(fd, "rb", buffering=0) as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return None
                data = handle.read(_SEEN_SIZE + 1)
        except OSError:
            return None
        if len(data) != _SEEN_SIZE or not data.startswith(_SEEN):
            return None
        body, tag = data[len(_SEEN) : -_MAC_SIZE], data[-_MAC_SIZE:]
        if not hmac.compare_digest(self._seen_tag(root, body), tag):
            return None
        return body[: SIGNATURE.size], body[SIGNATURE.size :]

    def _seen_tag(self, root: str, body: bytes) -> bytes:
        return hashlib.blake2b(_record(root) + b"\0" + body, digest_size=_MAC_SIZE, key=self.seen_key).digest()

    def _settled(self, info: os.stat_result) -> bool:
        """Whether the index's last change is old enough that a write in the same tick of
        its file system's clock would have happened before this run verified it."""
        latest = max(info.st_ctime_ns, info.st_mtime_ns)
        whole = info.st_ctime_ns % 1_000_000_000 == 0 and info.st_mtime_ns % 1_000_000_000 == 0
        return latest < self.started - (_RACY_NS if whole else _SEEN_AFTER_NS)

    def _note_seen(self, root: str, identity: bytes, sealed: bytes) -> None:
        from linter.files import write_atomic

        body = identity + sealed
        with contextlib.suppress(OSError):  # a read-only cache: the next run hashes the index again
            write_atomic(self._path(root) + _SEEN_SUFFIX, _SEEN + body + self._seen_tag(root, body))

    def _mac(self, root: str, rest: Union[bytes, memoryview]) -> bytes:
        digest = hashlib.blake2b(_record(root), digest_size=_MAC_SIZE, key=self.key)
        digest.update(rest)
        return digest.digest()

    def trusted(self, sig: bytes) -> bytes:
        """The signature to store: none when the file changed too recently to tell."""
        if sig == NO_SIGNATURE:
            return sig
        mtime = SIGNATURE.unpack(sig)[1]
        return sig if mtime < self.started - _RACY_NS else NO_SIGNATURE

    def _path(self, root: str) -> str:
        name = hashlib.blake2b(root.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
        return os.path.join(self.folder, name)

    def _usable(self) -> bool:
        """Whether the index folders, where they exist, are real folders: a committed link
        there would have lint-news read and write elsewhere."""
        from linter.batch.cache import real_folder

        if not self.cache.usable_folders():  # the root (from the checkout) and the cache's own
            return False
        return all(not os.path.lexists(f) or real_folder(f) for f in (self.layout, self.folder))

    def _prepare(self) -> bool:
        from linter.batch.cache import real_folder

        if not self.cache.prepare_folder():  # the cache folder itself, its tag and .gitignore
            return False
        return real_folder(self.layout, create=True) and real_folder(self.folder, create=True)


def _identity(info: os.stat_result) -> Optional[bytes]:
    """The index file's signature for its ``.seen`` record; None where a write need not
    change it (Windows: st_ctime is the creation time) or a time has no signature."""
    if os.name == "nt":
        return None
    sig = signature(info)
    return None if sig == NO_SIGNATURE else sig


def _record(root: str) -> bytes:
    return b"archive\0" + root.encode("utf-8", "surrogateescape")

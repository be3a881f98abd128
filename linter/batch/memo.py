"""The stat memo: a warm run answers an unchanged file without opening it.

Reading and hashing every file was most of a warm run (the file's cache key is a MAC of its
bytes). The memo notes, for each file a run read, its stat signature (size, mtime, ctime,
inode, device: ``linter.archive.table.signature``, what the archive index trusts) and the
cache key of the bytes read. A later run ``lstat``s the file; when the signature is the same,
the noted key answers from the cache (``Cache.get``), and the file is neither opened, read nor
hashed. Anything else (no row, another signature, not a regular file, the cache entry gone)
is read and hashed as before.

One memo per settings folder and per view of the files: the working directory and the paths
the run named, so a relative path never stands for a file of another folder (the inode and
device would tell it too). Only a run of at least ``_AT_LEAST`` files keeps one: pre-commit's
few files are hashed, and leave no memo per set of names behind.

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

import hashlib
import hmac
import os
import stat
import struct
from typing import TYPE_CHECKING, Optional, Sequence, Tuple

from linter.archive.table import NO_SIGNATURE, SIGNATURE, Finder, Table, signature

if TYPE_CHECKING:
    from linter.batch.cache import Cache

_PURPOSE = "lint-news stat memo v1"
MAGIC = b"lint-news stat memo 1\n"
_PREFIX = "stat-"
_MAC_SIZE = 32
_KEY_SIZE = 20
_HEADER = struct.Struct("<II")  # rows, bytes of names
ROW = SIGNATURE.size + _KEY_SIZE  # a row's signature, then its cache key
_CAP = 64 * 1024 * 1024
_AT_LEAST = 32
_RACY_NS = 2_000_000_000
_SETTLED_NS = 100_000_000
_NAME_ERRORS = "surrogatepass"  # any str a walk yields, lone surrogates too, and back


class Memo:
    """The memo of one view (working directory and named paths) of one cache."""

    def __init__(self, cache: Cache, paths: Sequence[str], started: int) -> None:
        self.cache = cache
        self.key = cache.derived_key(_PURPOSE)
        self.view = b"\0".join(p.encode("utf-8", _NAME_ERRORS) for p in [os.getcwd(), *paths])
        name = hashlib.blake2b(self.view, digest_size=16).hexdigest()
        self.path = os.path.join(cache.folder, _PREFIX + name)
        self.started = started
        self.owner = os.getpid()
        self.loaded = False
        self.old: Optional[Table] = None  # the stored names, for ``Finder``
        self.old_rows = b""
        self.finder: Optional[Finder] = None
        self.names = bytearray()  # this run's rows: names (each ended by a NUL) and rows
        self.rows = bytearray()
        self.count = 0
        self.recalled: Optional[Tuple[bytes, bytes]] = None  # the last row ``recall`` found

    def recall(self, path: str) -> Optional[Tuple[bytes, os.stat_result]]:
        """The cache key noted for ``path`` and its ``lstat``, when the file is a regular
        file whose signature is the one noted; None otherwise."""
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
        noted = self.old_rows[row * ROW : (row + 1) * ROW]
        if not stat.S_ISREG(info.st_mode) or signature(info) != noted[: SIGNATURE.size]:
            return None
        self.recalled = (name, noted)
        return noted[SIGNATURE.size :], info

    def keep(self) -> None:
        """The row last recalled answered its file: this run keeps it as it was (it was
        settled when noted, so it still is)."""
        if os.getpid() != self.owner or self.recalled is None:
            return
        name, noted = self.recalled
        self.names += name
        self.names += b"\0"
        self.rows += noted
        self.count += 1

    def knows_all(self, paths: Sequence[str]) -> bool:
        """Whether every one of ``paths`` is unchanged since it was noted."""
        known = bool(paths) and all(path != "-" and self.recall(path) is not None for path in paths)
        if self.finder is not None:
            self.finder.next = self.finder.next_start = 0  # the run asks again from the first
        return known

    def note(self, path: str, info: os.stat_result, key: bytes) -> None:
        """``path`` was read with the ``fstat`` ``info`` (taken before reading) and its bytes
        have the cache key ``key``: a row, unless it changed too recently to tell."""
        if os.getpid() != self.owner:
            return  # a worker's: only the process that saves the memo keeps rows
        sig = signature(info)
        if sig == NO_SIGNATURE or not self._settled(info):
            return
        self.names += path.encode("utf-8", _NAME_ERRORS)
        self.names += b"\0"
        self.rows += sig
        self.rows += key
        self.count += 1

    def _settled(self, info: os.stat_result) -> bool:
        ctime_margin = _RACY_NS if info.st_ctime_ns % 1_000_000_000 == 0 else _SETTLED_NS
        return info.st_mtime_ns < self.started - _RACY_NS and info.st_ctime_ns < self.started - ctime_margin

    def load(self) -> None:
        self.loaded = True
        if os.name == "nt":
            return
        from linter.batch.cache import read_bounded

        data = read_bounded(self.path, _CAP) if self.cache.usable_folders() else None
        parts = self._unsealed(data)
        if parts is None:
            return
        count, names, rows = parts
        table = Table()
        table.names, table.count = bytearray(names), count
        self.old, self.old_rows, self.finder = table, rows, Finder(table)

    def _unsealed(self, data: Optional[bytes]) -> Optional[Tuple[int, bytes, bytes]]:
        """(rows, names, rows' bytes) of a memo this user's lint-news sealed for this view."""
        start = len(MAGIC) + _MAC_SIZE
        if data is None or len(data) < start + _HEADER.size or not data.startswith(MAGIC):
            return None
        count, names_size = _HEADER.unpack_from(data, start)
        body = start + _HEADER.size
        if body + names_size + count * ROW != len(data):
            return None
        if not hmac.compare_digest(self._tag(memoryview(data)[start:]), data[len(MAGIC) : start]):
            return None
        names = data[body : body + names_size]
        if names.count(b"\0") != count or (count and not names.endswith(b"\0")):
            return None
        return count, names, data[body + names_size :]

    def _tag(self, sealed: memoryview) -> bytes:
        digest = hmac.new(self.key, b"memo\0" + self.view + b"\0\0", hashlib.sha256)
        digest.update(sealed)
        return digest.digest()

    def save(self) -> None:
        """This run's rows, when there are enough of them and they differ from the stored."""
        if os.name == "nt" or os.getpid() != self.owner or self.count < _AT_LEAST:
            return
        old = self.old
        if old is not None and old.count == self.count and old.names == self.names and self.old_rows == self.rows:
            return
        from linter.files import write_atomic

        sealed = _HEADER.pack(self.count, len(self.names)) + bytes(self.names) + bytes(self.rows)
        if len(MAGIC) + _MAC_SIZE + len(sealed) > _CAP or len(self.names) >= 2**32:
            return
        try:
            if self.cache.prepare_folder():
                write_atomic(self.path, MAGIC + self._tag(memoryview(sealed)) + sealed)
        except OSError:
            pass  # a read-only or full disk: the next run reads the files again

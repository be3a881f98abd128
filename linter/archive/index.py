"""The index of an archive's cross-file keys, kept with the result cache.

One file per archive, ``archive-v1/<settings hash>/<hash of the resolved root>`` in the
cache folder (so other settings, another tool version or another schema never read it;
the result cache's own layout is untouched): for each file of the archive, its stat
signature and its keys (``linter.archive.keys``). A run stats every file and re-reads
only those whose signature changed, so one changed article in an archive of 20,000 costs
a walk, one read of the index and one parse.

The file is one JSON array, read by json's C decoder: ``["<MAC>",[names],[signatures],
[keys]]``. The cache folder may be committed by a pull request, so the index is sealed
like the cache's entries: a keyed BLAKE2b MAC under a key derived from the per-user secret
with a purpose of its own, over the archive's resolved root and every byte after the MAC
(``_PREFIX`` bytes in), checked before anything is decoded. Inside the array, the MAC
costs no copy of a 20 MB index (a MAC before the payload would cost two). A forged,
truncated, foreign or oversized index is read as no index at all (the files are read
again), never believed. It is read without following a link and never past
``_INDEX_CAP`` bytes.

A signature taken within ``_RACY_NS`` of the run's start is stored empty (never matches):
a file changed again within the file system's time resolution would otherwise keep its
old keys (git's "racily clean" entries).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from typing import TYPE_CHECKING, Dict, Tuple, Union

if TYPE_CHECKING:
    from linter.batch.cache import Cache

#: name -> (signature, keys)
Entries = Dict[str, Tuple[str, str]]
_PURPOSE = "lint-news archive index v1"
_LAYOUT = "archive-v1"
_INDEX_CAP = 256 * 1024 * 1024
_MAC_SIZE = 32
#: '["', the MAC in hex, '",': what comes before the sealed bytes.
_PREFIX = 2 + 2 * _MAC_SIZE + 2
_RACY_NS = 2_000_000_000


class Index:
    """The sealed index files of one cache."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.key = cache.derived_key(_PURPOSE)
        self.started = time.time_ns()
        self.layout = os.path.join(cache.root, _LAYOUT)
        self.folder = os.path.join(self.layout, cache.salt)

    def load(self, root: str) -> Entries:
        """The stored entries of the archive at ``root`` (resolved); {} when there are none
        that verify."""
        from linter.batch.cache import read_bounded

        if not self._usable():
            return {}
        data = read_bounded(self._path(root), _INDEX_CAP)
        if data is None or len(data) < _PREFIX or data[:2] != b'["' or data[_PREFIX - 2 : _PREFIX] != b'",':
            return {}
        with memoryview(data) as view:
            expected = self._mac(root, view[_PREFIX:])
        if not hmac.compare_digest(expected, data[2 : _PREFIX - 2]):
            return {}
        try:
            _, names, sigs, keys = json.loads(data)
            return dict(zip(names, zip(sigs, keys)))
        except (ValueError, TypeError, RecursionError):
            return {}  # our own writes never fail here; no index all the same

    def save(self, root: str, entries: Entries) -> None:
        from linter.files import write_atomic

        sigs, keys = zip(*entries.values()) if entries else ((), ())
        rest = json.dumps([list(entries), sigs, keys], separators=(",", ":"))[1:].encode()
        if len(rest) > _INDEX_CAP - _PREFIX:
            return
        try:
            if self._prepare():
                write_atomic(self._path(root), b'["' + self._mac(root, rest) + b'",' + rest)
        except OSError:
            pass  # a read-only or full disk: the next run reads the files again

    def _mac(self, root: str, rest: Union[bytes, memoryview]) -> bytes:
        digest = hashlib.blake2b(_record(root), digest_size=_MAC_SIZE, key=self.key)
        digest.update(rest)
        return digest.hexdigest().encode()

    def trusted(self, sig: str) -> str:
        """The signature to store: empty when the file changed too recently to tell."""
        try:
            mtime = int(sig.split(":", 2)[1])
        except (IndexError, ValueError):
            return ""
        return sig if mtime < self.started - _RACY_NS else ""

    def _path(self, root: str) -> str:
        name = hashlib.blake2b(root.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
        return os.path.join(self.folder, name)

    def _usable(self) -> bool:
        """Whether the index folders, where they exist, are real folders: a committed link
        there would have lint-news read and write elsewhere."""
        from linter.batch.cache import real_folder

        return all(not os.path.lexists(f) or real_folder(f) for f in (self.layout, self.folder))

    def _prepare(self) -> bool:
        from linter.batch.cache import real_folder

        if not self.cache.prepare_folder():  # the cache folder itself, its tag and .gitignore
            return False
        return real_folder(self.layout, create=True) and real_folder(self.folder, create=True)


def _record(root: str) -> bytes:
    return b"archive\0" + root.encode("utf-8", "surrogateescape")

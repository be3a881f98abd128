"""The archive's listing read while the named files are checked.

Pre-commit names one or two changed articles; the archive check then stats every file of
their archive (20,000 stat calls, most of a warm run's extra time, nearly all of it in the
kernel). Here a thread lists the archives of a few named files and reads their stored
tables while the main thread checks the files: the compiled folder scan (``members.scan``)
and the index's MAC release the interpreter's lock, so on two cores they overlap the
check instead of following it.

Taking the signatures before the check is the safe order: a file changed between its
stat and its read is stored with the older signature, which the next run finds changed.
Anything that goes wrong in the thread leaves that archive to the usual path.
"""

from __future__ import annotations

import os
import threading

from linter.archive.members import Archive, Listing, archive_of
from linter.archive.table import SIGNATURE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, NamedTuple, Optional, Sequence

    from linter.archive.index import Index
    from linter.archive.table import Table
else:
    from linter.named import NamedTuple

#: At most this many named files: more, and the run is a batch with worker processes
#: (no thread may run when they fork) whose archive check is a small part of it.
MOST_NAMED = 16


class Listed(NamedTuple):
    names: bytearray
    sigs: bytearray
    truncated: bool
    stored: Optional[Table]


class Prefetch:
    """The thread, begun as soon as the run knows its paths: it lists first, then waits for
    the index (``give``: the cache is opened meanwhile by the main thread) to read the
    stored tables."""

    def __init__(
        self,
        paths: Sequence[str],
        include: Sequence[str],
        exclude: Sequence[str],
        configured: Sequence[str],
    ) -> None:
        self.found: Dict[Archive, Listed] = {}
        self.store: Optional[Index] = None
        self.ready = threading.Event()
        archives = list(dict.fromkeys(archive_of(path, configured) for path in paths))
        self.thread = threading.Thread(target=self._list, args=(archives, include, exclude, configured), daemon=True)
        self.thread.start()

    def give(self, store: Optional[Index]) -> None:
        """The index whose stored tables the thread reads (None: there is none, and the
        listings are not used). Only the first call counts."""
        if not self.ready.is_set():
            self.store = store
            self.ready.set()

    def _list(
        self, archives: Sequence[Archive], include: Sequence[str], exclude: Sequence[str], configured: Sequence[str]
    ) -> None:
        listed = []
        for archive in archives:
            try:
                listing = Listing(archive, include, exclude, configured)
                listed.append((archive, listing.whole(), listing.truncated))
            except Exception:  # noqa: BLE001 - the usual path lists it again and says what is wrong
                continue
        self.ready.wait()
        store = self.store
        if store is None:
            return
        for archive, (names, sigs), truncated in listed:
            try:
                stored = store.load(os.path.realpath(archive.root), (len(sigs) // SIGNATURE.size, names))
            except Exception:  # noqa: BLE001 - as above
                continue
            self.found[archive] = Listed(names, sigs, truncated, stored)

    def get(self, archive: Archive) -> Optional[Listed]:
        self.give(None)  # never waits for an index that will not come
        self.thread.join()
        return self.found.pop(archive, None)  # taken once: its buffers are not held twice


def prefetch(
    paths: Sequence[str],
    include: Sequence[str],
    exclude: Sequence[str],
    configured: Sequence[str],
) -> Optional[Prefetch]:
    """A prefetch for a few named regular files (pre-commit's), else None: its thread
    lists, then waits for ``Prefetch.give``."""
    if not paths or len(paths) > MOST_NAMED:
        return None
    for path in paths:
        if path == "-" or not os.path.isfile(path) or os.path.islink(path):
            return None
    return Prefetch(paths, include, exclude, configured)

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
from typing import TYPE_CHECKING, Dict, NamedTuple, Optional, Sequence

from linter.archive.members import Archive, Listing, archive_of

if TYPE_CHECKING:
    from linter.archive.index import Index
    from linter.archive.table import Table

#: At most this many named files: more, and the run is a batch with worker processes
#: (no thread may run when they fork) whose archive check is a small part of it.
MOST_NAMED = 16


class Listed(NamedTuple):
    names: bytearray
    sigs: bytearray
    truncated: bool
    stored: Optional[Table]


class Prefetch:
    def __init__(
        self,
        paths: Sequence[str],
        include: Sequence[str],
        exclude: Sequence[str],
        configured: Sequence[str],
        store: Index,
    ) -> None:
        self.found: Dict[Archive, Listed] = {}
        archives = list(dict.fromkeys(archive_of(path, configured) for path in paths))
        self.thread = threading.Thread(
            target=self._list, args=(archives, include, exclude, configured, store), daemon=True
        )
        self.thread.start()

    def _list(
        self,
        archives: Sequence[Archive],
        include: Sequence[str],
        exclude: Sequence[str],
        configured: Sequence[str],
        store: Index,
    ) -> None:
        for archive in archives:
            try:
                listing = Listing(archive, include, exclude, configured)
                names, sigs = listing.whole()
                stored = store.load(os.path.realpath(archive.root))
                self.found[archive] = Listed(names, sigs, listing.truncated, stored)
            except Exception:  # noqa: BLE001 - the usual path lists it again and says what is wrong
                continue

    def get(self, archive: Archive) -> Optional[Listed]:
        self.thread.join()
        return self.found.pop(archive, None)  # taken once: its buffers are not held twice


def prefetch(
    paths: Sequence[str], include: Sequence[str], exclude: Sequence[str], configured: Sequence[str], store: Index
) -> Optional[Prefetch]:
    """A prefetch for a few named regular files (pre-commit's), else None."""
    if not paths or len(paths) > MOST_NAMED:
        return None
    for path in paths:
        if path == "-" or not os.path.isfile(path) or os.path.islink(path):
            return None
    return Prefetch(paths, include, exclude, configured, store)

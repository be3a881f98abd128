"""An archive's members in compact columns: what the check and the index keep per file.

Holding 100,000 files as Python strings, tuples and dictionaries cost about 1 KB a file;
here a file is its name's bytes in one buffer, a fixed-size record of its keys and, where
the index needs it, a fixed-size stat signature, all in ``bytearray``s (about 160 bytes a
file). Rows are numbered in the order they were added.

A keys record is ``linter.archive.keys.RECORD``, made where the file was parsed.
"""

from __future__ import annotations

import struct
from array import array
from itertools import accumulate

from linter.archive import keys as archive_keys
from linter.archive.keys import EMPTY as EMPTY  # the record's names, also where the table's users look
from linter.archive.keys import PRESENT as PRESENT
from linter.archive.keys import RECORD as RECORD
from linter.archive.keys import SILENCED as SILENCED
from linter.archive.keys import UNKNOWN as UNKNOWN
from linter.archive.keys import UNKNOWN_RECORD as UNKNOWN_RECORD

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Iterator, List, Optional, Tuple

_NAMES_AT_ONCE = 1 << 20  # bytes of names split at a time (``Table.name_lists``)
_STARTS_AT_ONCE = 1 << 16  # and to find where each name starts (``Table.starts``)
SIGNATURE = struct.Struct("<qqqQQ")  # size, mtime, ctime (ns), inode, device
NO_SIGNATURE = bytes(SIGNATURE.size)  # never matches a file: not stored, or changed too recently
MASK = 2**64 - 1
_SIZE = RECORD.size
#: Names looked up by counting NULs before the array of every name's start is made, and
#: the part of the names searched name by name at the end of that count.
_FEW_LOOKUPS = 8
_WINDOW = 4096


def record(keys: Optional[bytes]) -> bytes:
    """A file's keys record (``keys.of_parsed``), or ``UNKNOWN_RECORD`` when it was not
    parsed here (a result from the cache)."""
    return UNKNOWN_RECORD if keys is None else keys


def signature(info: object) -> bytes:
    """A stat result's signature: what tells a changed file (ctime cannot be set back).
    A time that does not fit in 64 bits of nanoseconds (before 1677 or after 2262, which
    ``touch -d`` or an archive can give a file) makes it ``NO_SIGNATURE``: never trusted."""
    st = info
    try:
        return SIGNATURE.pack(
            st.st_size,  # type: ignore[attr-defined]
            st.st_mtime_ns,  # type: ignore[attr-defined]
            st.st_ctime_ns,  # type: ignore[attr-defined]
            st.st_ino & MASK,  # type: ignore[attr-defined]
            st.st_dev & MASK,  # type: ignore[attr-defined]
        )
    except struct.error:
        return NO_SIGNATURE


class Url:
    """One URL of a row, decoded (only for the few rows a finding names)."""

    __slots__ = ("field", "digest", "line", "col", "silenced")

    def __init__(self, field: str, digest: bytes, line: int, col: int, flags: int) -> None:
        self.field, self.digest, self.line, self.col = field, digest, line, col
        self.silenced = bool(flags & SILENCED)


def urls_of(rec: bytes) -> Tuple[int, List[Url]]:
    """(published, the present URLs) of a record."""
    values = RECORD.unpack(rec)
    found = []
    for slot, (_, field) in enumerate(archive_keys.FIELDS):
        digest, line, col, flags = values[1 + 4 * slot : 5 + 4 * slot]
        if flags & PRESENT:
            found.append(Url(field, digest, line, col, flags))
    return values[0], found


class Table:
    """Rows of (name, keys record[, signature]); names are ``/``-separated, below the root."""

    def __init__(self, signed: bool = False) -> None:
        self.names = bytearray()  # each name's UTF-8 bytes (surrogateescape), then a NUL
        self.keys = bytearray()  # RECORD.size bytes a row
        self.sigs = bytearray() if signed else None  # SIGNATURE.size bytes a row
        self._starts: Optional[array[int]] = None  # where each name starts, made when asked
        self._found: Dict[int, int] = {}  # row -> start of the few names found without ``_starts``
        self._nuls: Dict[Tuple[int, int], int] = {}  # (low, high) -> NULs in names[low:high] (``_before``)
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def add(self, name: bytes, rec: bytes, sig: bytes = NO_SIGNATURE) -> int:
        row = self.count
        if self._starts is not None:
            self._starts.append(len(self.names))
        self.names += name
        self.names += b"\0"
        self.keys += rec
        if self.sigs is not None:
            self.sigs += sig
        self.count += 1
        return row

    def record(self, row: int) -> bytes:
        return bytes(self.keys[row * _SIZE : (row + 1) * _SIZE])

    def set_record(self, row: int, rec: bytes) -> None:
        self.keys[row * _SIZE : (row + 1) * _SIZE] = rec

    def sig(self, row: int) -> bytes:
        assert self.sigs is not None
        return bytes(self.sigs[row * SIGNATURE.size : (row + 1) * SIGNATURE.size])

    def starts(self) -> array[int]:
        if self._starts is None:
            # Each name's length plus its NUL, summed: in C, not a loop here a row.
            starts, at = array("I"), 0
            for names in self.name_lists(_STARTS_AT_ONCE):
                starts.extend(accumulate(map((1).__add__, map(len, names)), initial=at))
                at = starts.pop()
            self._starts = starts
        return self._starts

    def name_lists(self, at_once: int = _NAMES_AT_ONCE) -> Iterator[List[bytes]]:
        """The names in order, a list of about ``at_once`` bytes of them at a time: split
        in C, and 100,000 names are never all objects at once (11 MB, the peak of a run;
        a megabyte of them, 1.5 MB as objects, was the peak of a run's archive check when
        it only wanted where each name starts)."""
        names, count, at = self.names, self.count, 0
        while count > 0 and at < len(names):
            cut = names.rfind(b"\0", at, at + at_once)
            end = cut if cut >= 0 else names.index(b"\0", at)
            part = bytes(names[at:end]).split(b"\0")[:count]
            count -= len(part)
            at = end + 1
            yield part

    def name(self, row: int) -> bytes:
        if self._starts is None and row in self._found:
            start = self._found[row]
        elif self._starts is None and len(self._found) < _FEW_LOOKUPS:
            start = self._found[row] = self._start_of(row)
        else:
            start = self.starts()[row]
        return bytes(self.names[start : self.names.index(b"\0", start)])

    def _start_of(self, row: int) -> int:
        """Where one row's name starts, without ``starts``' array of every row (a warm
        one-file run names one or two other files): the row-th NUL is found by counting
        NULs in halves of the buffer, so the search reads it about once, in C; the halves'
        counts are kept, so the next lookup reads only what this one did not."""
        names, low, high, before = self.names, 0, len(self.names), 0  # ``before`` NULs in names[:low]
        while high - low > _WINDOW:
            middle = (low + high) // 2
            inside = self._counted(low, middle)
            if before + inside >= row:
                high = middle
            else:
                low, before = middle, before + inside
        at = low
        for _ in range(row - before):
            at = names.index(b"\0", at) + 1
        return at

    def _counted(self, low: int, high: int) -> int:
        key = (low, high)
        found = self._nuls.get(key)
        if found is None:
            found = self._nuls[key] = self.names.count(b"\0", low, high)
        return found

    def _before(self, at: int) -> int:
        """The NULs in names[:at] (the row of a name starting at ``at``), by the halves
        ``_start_of`` counts: the two share what either counted."""
        low, high, before = 0, len(self.names), 0
        while high - low > _WINDOW:
            middle = (low + high) // 2
            if at >= middle:
                low, before = middle, before + self._counted(low, middle)
            else:
                high = middle
        return before + self.names.count(b"\0", low, at)

    def names_in_order(self) -> Iterator[bytes]:
        at, names = 0, self.names
        for _ in range(len(self)):
            end = names.index(b"\0", at)
            yield bytes(names[at:end])
            at = end + 1

    def row_of(self, name: bytes) -> Optional[int]:
        """The row named ``name`` (a search of the names' bytes: for a few names)."""
        needle = name + b"\0"
        at = 0 if self.names.startswith(needle) else -1
        if at < 0:
            at = self.names.find(b"\0" + needle)
            at = at + 1 if at >= 0 else -1
        if at < 0:
            return None
        row = self._before(at)
        if self._starts is None and len(self._found) < _FEW_LOOKUPS:
            self._found[row] = at  # its name is looked up next, as the checked file's
        return row


class Finder:
    """Rows of a table by name, for many lookups: first where the last one ended (two
    listings of one folder come in the same order), else through a sorted array of the
    names' hashes, each hit checked against the name itself."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.next = 0
        self.next_start = 0
        self.hashes: Optional[array[int]] = None
        self.rows: Optional[array[int]] = None

    def find(self, name: bytes) -> Optional[int]:
        table, start = self.table, self.next_start
        end = start + len(name)
        names = table.names
        if self.next < len(table) and names[start:end] == name and names[end : end + 1] == b"\0":
            row = self.next
            self.next, self.next_start = row + 1, end + 1
            return row
        found = self._hashed(name)
        if found is not None:
            self.next, self.next_start = found + 1, table.starts()[found] + len(name) + 1
        return found

    def _hashed(self, name: bytes) -> Optional[int]:
        from bisect import bisect_left

        if self.hashes is None:
            self._sort()
        assert self.hashes is not None and self.rows is not None
        wanted = hash(name)
        at = bisect_left(self.hashes, wanted)
        while at < len(self.hashes) and self.hashes[at] == wanted:
            row = self.rows[at]
            if self.table.name(row) == name:
                return row
            at += 1
        return None

    def _sort(self) -> None:
        hashes = [hash(name) for name in self.table.names_in_order()]
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self.hashes = array("q", [hashes[row] for row in order])
        del hashes
        self.rows = array("I", order)

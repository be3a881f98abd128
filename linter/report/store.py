"""A run's findings, held compactly until they are reported.

A finding as a ``Finding`` costs about 700 bytes (the tuple, its message, hint and data
path, the file's result around it): 32,000 findings over 100,000 files held 20 MB for the
sorted report. Here the findings of one file are one ``marshal`` string of plain values
(under 300 bytes a finding, most of it the text of its hint), beside the file's name, and
become ``Finding`` values again one file at a time while the report is written.
``marshal`` keeps every value exactly as it was (strings with lone surrogates, ``int``
against ``str`` in a data path) and reads back at C speed. The rows leave the process only
into the stat memo (``linter.batch.memo``), which is sealed for this interpreter (marshal's
format is its own) and names the rows' format in its ``MAGIC``: change that with them.

Once the rows waiting add up to ``RAW_BYTES``, they are compressed in chunks of about
``CHUNK_BYTES`` (zlib at its fastest level: hints and messages of one run repeat words,
about 2.6 to 1), their paths apart from their rows, so that sorting reads only the paths:
32,000 findings held 12.4 MB as rows, 4.1 MB compressed; from then on, each time the rows
waiting add up to ``CHUNK_BYTES``. A run with fewer findings compresses nothing: the 6,500
findings of 20,000 generated articles (2 MB of rows) cost 0.05 s of CPU to compress and read
back, in the parent process of a parallel run, whose CPU is taken from the workers'.
"""

from __future__ import annotations

import marshal
import zlib
from array import array
from bisect import bisect_right
from itertools import groupby
from operator import attrgetter, itemgetter

from linter.model import Finding, Related, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

_SEVERITIES = (Severity.ERROR, Severity.WARNING)
_new_tuple = tuple.__new__
_SEVERITY_NUMBER = {severity: number for number, severity in enumerate(_SEVERITIES)}
_PATH = attrgetter("path")
#: A file's findings in report order: line, column, code (its path is the same for all).
_PLACE = itemgetter(1, 2, 3)
if TYPE_CHECKING:
    #: One file's findings as stored: its path, their ``marshal`` row, how many.
    Row = Tuple[str, bytes, int]
#: Bytes of rows (and their paths) kept as they are before any is compressed.
RAW_BYTES = 3 * 1024 * 1024
#: Bytes of rows (and their paths) compressed together, once compressing began.
CHUNK_BYTES = 256 * 1024
#: Bytes of rows read back at once while the report is written: the rows come in the
#: walk's order, the report in the paths' order, so each part of the report reads every
#: compressed chunk (twice for 100,000 files' findings, about 40 ms a pass).
WINDOW_BYTES = 4 * 1024 * 1024
_LEVEL = 1  # zlib's fastest: compressing 10 MB of rows costs about 0.1 s


class FindingStore:
    """Findings added a file at a time; iterated in report order, as ``sorted`` orders
    ``Finding`` values (path, line, column, code; findings equal in those four stay in the
    order they were added)."""

    __slots__ = ("_paths", "_rows", "_waiting", "_chunks", "_starts", "_sizes", "_count", "_order")

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._paths: List[str] = []  # of the rows not compressed yet
        self._rows: List[bytes] = []
        self._waiting = 0  # their bytes
        self._chunks: List[Tuple[bytes, bytes]] = []  # (paths, rows), each compressed marshal
        self._starts = array("I")  # the first row of each chunk
        self._sizes = array("I")  # each row's bytes (to read a window of them at once)
        self._count = 0
        self._order: Optional[array[int]] = None  # rows by path, made when first iterated
        self.add(findings)

    def add(self, findings: Iterable[Finding]) -> None:
        """Findings in any order; each run of one path becomes one row."""
        self.add_packed(pack(findings))

    def add_packed(self, rows: Iterable[Row]) -> None:
        """Rows made by ``pack`` (in a worker process: the parent only appends them)."""
        for path, row, count in rows:
            self._paths.append(path)
            self._rows.append(row)
            self._sizes.append(len(row))
            self._waiting += len(row) + len(path)
            self._count += count
            self._order = None
            if self._waiting >= (CHUNK_BYTES if self._chunks else RAW_BYTES):
                self._compress()

    def _compress(self) -> None:
        """The rows waiting, compressed in chunks of about ``CHUNK_BYTES`` (a window of the
        report decompresses whole chunks: none may be big)."""
        paths, rows = self._paths, self._rows
        first = len(self._sizes) - len(rows)
        self._paths, self._rows, self._waiting = [], [], 0
        at = 0
        while at < len(rows):
            end, taken = at, 0
            while end < len(rows) and taken < CHUNK_BYTES:
                taken += len(rows[end]) + len(paths[end])
                end += 1
            self._starts.append(first + at)
            packed = zlib.compress(marshal.dumps(tuple(paths[at:end])), _LEVEL)
            self._chunks.append((packed, zlib.compress(marshal.dumps(tuple(rows[at:end])), _LEVEL)))
            rows[at:end] = [b""] * (end - at)  # let go once compressed: no peak of both
            paths[at:end] = [""] * (end - at)
            at = end

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Finding]:
        for _, found in self.by_file():
            yield from found

    def __contains__(self, item: object) -> bool:
        return any(item == finding for finding in self)

    def by_file(self) -> Iterator[Tuple[str, List[Finding]]]:
        """Each path with its findings, in report order (a path added twice: its rows
        together, in the order they were added)."""
        for path, rows in groupby(self._in_order(), itemgetter(0)):
            found = [finding for _, row in rows for finding in _findings(path, row)]
            found.sort(key=_PLACE)
            yield path, found

    def _in_order(self) -> Iterator[Tuple[str, bytes]]:
        """(path, row) in report order, a window of ``WINDOW_BYTES`` at a time: each chunk
        the window needs is read once for it, and only the window's rows are kept."""
        order, sizes = self._sorted(), self._sizes
        at = 0
        while at < len(order):
            end, taken = at, 0
            while end < len(order) and (taken < WINDOW_BYTES or end == at):
                taken += sizes[order[end]]
                end += 1
            window = self._read(order[at:end])
            yield from (window[row] for row in order[at:end])
            at = end

    def _read(self, wanted: Iterable[int]) -> Dict[int, Tuple[str, bytes]]:
        """Rows by number, with their paths."""
        by_chunk: Dict[int, List[int]] = {}
        waiting = len(self._sizes) - len(self._rows)  # the first row not compressed
        for row in wanted:
            chunk = len(self._chunks) if row >= waiting else bisect_right(self._starts, row) - 1
            by_chunk.setdefault(chunk, []).append(row)
        found: Dict[int, Tuple[str, bytes]] = {}
        for chunk, rows in by_chunk.items():
            paths, stored, first = self._chunk(chunk)
            found.update((row, (paths[row - first], stored[row - first])) for row in rows)
        return found

    def _chunk(self, chunk: int) -> Tuple[Tuple[str, ...], Tuple[bytes, ...], int]:
        """A chunk's paths, rows and first row's number (the last: the rows not compressed yet)."""
        if chunk == len(self._chunks):
            return tuple(self._paths), tuple(self._rows), len(self._sizes) - len(self._rows)
        paths, rows = self._chunks[chunk]
        return _unpacked(paths), _unpacked(rows), self._starts[chunk]

    def _sorted(self) -> array[int]:
        if self._order is None:
            paths = [path for chunk in range(len(self._chunks)) for path in _unpacked(self._chunks[chunk][0])]
            paths += self._paths
            self._order = array("I", sorted(range(len(paths)), key=paths.__getitem__))
        return self._order

    def stored(self) -> Iterator[bytes]:
        """Every row's bytes as kept (marshal), for tests that look inside."""
        for chunk in range(len(self._chunks)):
            yield from self._chunk(chunk)[1]
        yield from self._rows


def pack(findings: Iterable[Finding]) -> List[Row]:
    """The rows of ``findings`` as ``FindingStore`` keeps them: (path, row, count) for each
    run of one path. Plain bytes and a string: a worker sends them for the price of their
    length, where a pickled ``Finding`` costs both processes a dozen objects."""
    rows = []
    for path, group in groupby(findings, _PATH):
        values = tuple(map(_values, group))
        rows.append((path, marshal.dumps(values), len(values)))
    return rows


def _unpacked(packed: bytes) -> Any:
    return marshal.loads(zlib.decompress(packed))


def _values(f: Finding) -> Tuple[Any, ...]:
    """A finding without its path, as values ``marshal`` writes (no subclasses of ``str``
    or ``tuple``: ``Severity`` as its number, ``Related`` as plain tuples)."""
    related = tuple((str(r.path), r.line, r.col, str(r.message)) for r in f.related)
    fields = (f.code, f.message, f.name, f.hint, f.fix)
    return (f.line, f.col, *map(str, fields), _SEVERITY_NUMBER[f.severity], tuple(f.data_path), related)


def unpack(path: str, row: bytes) -> List[Finding]:
    """The findings of a row ``pack`` made (the stat memo keeps them: ``linter.batch.memo``)."""
    return _findings(path, row)


def _findings(path: str, row: bytes) -> List[Finding]:
    # ``tuple.__new__`` makes the NamedTuple in C (``Finding(...)`` runs its Python
    # ``__new__``): every field is given, so its defaults are not needed.
    return [
        _new_tuple(
            Finding,
            (
                path,
                line,
                col,
                code,
                message,
                _SEVERITIES[severity],
                name,
                data_path,
                hint,
                fix,
                tuple(Related(*r) for r in related) if related else (),
            ),
        )
        for line, col, code, message, name, hint, fix, severity, data_path, related in marshal.loads(row)
    ]

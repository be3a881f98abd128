"""A run's findings, held compactly until they are reported.

A finding as a ``Finding`` costs about 700 bytes (the tuple, its message, hint and data
path, the file's result around it): 32,000 findings over 100,000 files held 20 MB for the
sorted report. Here the findings of one file are one ``marshal`` string of plain values
(under 300 bytes a finding, most of it the text of its hint), beside the file's name, and
become ``Finding`` values again one file at a time while the report is written.
``marshal`` keeps every value exactly as it was (strings with lone surrogates, ``int``
against ``str`` in a data path) and reads back at C speed; the rows never leave the
process, so its format may change between versions.
"""

from __future__ import annotations

import marshal
from array import array
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, Iterable, Iterator, List, Optional, Tuple

from linter.model import Finding, Related, Severity

_SEVERITIES = (Severity.ERROR, Severity.WARNING)
_SEVERITY_NUMBER = {severity: number for number, severity in enumerate(_SEVERITIES)}
_PATH = attrgetter("path")
#: A file's findings in report order: line, column, code (its path is the same for all).
_PLACE = itemgetter(1, 2, 3)
#: One file's findings as stored: its path, their ``marshal`` row, how many.
Row = Tuple[str, bytes, int]


class FindingStore:
    """Findings added a file at a time; iterated in report order, as ``sorted`` orders
    ``Finding`` values (path, line, column, code; findings equal in those four stay in the
    order they were added)."""

    __slots__ = ("_paths", "_rows", "_count", "_order")

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._paths: List[str] = []
        self._rows: List[bytes] = []
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
            self._count += count
            self._order = None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Finding]:
        for _, found in self.by_file():
            yield from found

    def __contains__(self, item: object) -> bool:
        return any(item == finding for finding in self)

    def by_file(self) -> Iterator[Tuple[str, List[Finding]]]:
        """Each path with its findings, in report order."""
        order, paths, rows = self._sorted(), self._paths, self._rows
        at = 0
        while at < len(order):
            path = paths[order[at]]
            found = _findings(path, rows[order[at]])
            at += 1
            while at < len(order) and paths[order[at]] == path:  # the path was added twice
                found += _findings(path, rows[order[at]])
                at += 1
            found.sort(key=_PLACE)
            yield path, found

    def _sorted(self) -> array[int]:
        if self._order is None:
            self._order = array("I", sorted(range(len(self._paths)), key=self._paths.__getitem__))
        return self._order


def pack(findings: Iterable[Finding]) -> List[Row]:
    """The rows of ``findings`` as ``FindingStore`` keeps them: (path, row, count) for each
    run of one path. Plain bytes and a string: a worker sends them for the price of their
    length, where a pickled ``Finding`` costs both processes a dozen objects."""
    rows = []
    for path, group in groupby(findings, _PATH):
        values = tuple(map(_values, group))
        rows.append((path, marshal.dumps(values), len(values)))
    return rows


def _values(f: Finding) -> Tuple[Any, ...]:
    """A finding without its path, as values ``marshal`` writes (no subclasses of ``str``
    or ``tuple``: ``Severity`` as its number, ``Related`` as plain tuples)."""
    related = tuple((str(r.path), r.line, r.col, str(r.message)) for r in f.related)
    fields = (f.code, f.message, f.name, f.hint, f.fix)
    return (f.line, f.col, *map(str, fields), _SEVERITY_NUMBER[f.severity], tuple(f.data_path), related)


def _findings(path: str, row: bytes) -> List[Finding]:
    return [
        Finding(
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
        )
        for line, col, code, message, name, hint, fix, severity, data_path, related in marshal.loads(row)
    ]

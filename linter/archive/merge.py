"""An archive's members brought up to date with the index kept with the cache.

The listing's names and signatures, in the order the file system lists them, become the
new table; when they are the names of the stored table in the same order (the usual case:
nothing added, removed or renamed), its records are taken as they are and only the rows
whose signature differs are looked at; otherwise each row is looked up by name. A checked
file's keys come from its check, an unchanged file's from the index, any other file's from
reading it again. The index is written back only when something in it changed.
"""

from __future__ import annotations

import os
from itertools import compress

from linter.archive.members import Listing
from linter.archive.table import NO_SIGNATURE, RECORD, SIGNATURE, UNKNOWN, UNKNOWN_RECORD, Finder, Table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Set, Tuple

    from linter.archive.compare import Scope, _Group

_SIZE, _SIG = RECORD.size, SIGNATURE.size
#: Checked files looked up by a search of the names' bytes; more: through a ``Finder``.
_SEARCHED = 16


def merged(
    group: _Group, listing: Listing, scope: Scope, whole: Optional[Tuple[bytearray, bytearray]] = None
) -> Tuple[Table, List[int], bool]:
    """The archive's table, each checked file's row in it, and whether the listing was
    cut short. ``whole``: the names and signatures of every member, when the run checked
    them all (``_Group.signed_whole``): the listing is then not read."""
    from linter.archive.compare import read_record

    store = scope.store
    assert store is not None
    root = os.path.realpath(group.archive.root)
    now = Table(signed=True)
    listed = scope.prefetched.get(group.archive) if scope.prefetched is not None else None
    if listed is not None:
        now.names, now.sigs, truncated, old = listed
    elif whole is not None:
        (now.names, now.sigs), truncated, old = whole, False, store.load(root)
    else:
        now.names, now.sigs = listing.whole()
        truncated, old = listing.truncated, store.load(root, (len(now.sigs) // _SIG, now.names))
    assert now.sigs is not None
    now.count = len(now.sigs) // _SIG
    aligned = old is not None and old.names == now.names
    if aligned and old is not None:
        now.names = old.names  # one copy of 100,000 names, not two
    stale = _take_aligned(old, now) if aligned else _take_by_name(old, now)
    rows, added = _checked_rows(group, now)
    stale.update(added)
    given, changed = _take_checked(group, now, rows, stale)
    changed = changed or not aligned or bool(added)
    crow_of: Optional[Dict[int, int]] = None
    for row in sorted(stale):
        if row not in given:
            if crow_of is None:  # only when a file must be read again
                crow_of = {row: crow for crow, row in enumerate(rows)}
            named = crow_of.get(row)
            path = group.path(named) if named is not None else _native(group, now.name(row))
            rec = read_record(path, named is not None, root, scope)
            if rec != now.record(row):
                now.set_record(row, rec)
                changed = True
        trusted = store.trusted(now.sig(row))
        now.sigs[row * _SIG : (row + 1) * _SIG] = trusted
        changed = changed or old is None or old.sig(row) != trusted
    if changed:
        store.save(root, now)
    return now, rows, truncated


_FLAG = 8 + 28  # the first slot's flags: UNKNOWN
#: A first slot's flags byte when the check gave the row's keys (not a result from the cache).
_GIVEN = frozenset(flags for flags in range(256) if not flags & UNKNOWN)


def _take_checked(group: _Group, now: Table, rows: List[int], stale: Set[int]) -> Tuple[Set[int], bool]:
    """The keys the check gave (its own parse) put in ``now``: the rows they are in, and
    whether any differs from the index. A result from the cache gave none; those rows
    are found by their flags column (a slice), not by decoding a record a row."""
    checked, changed, given = group.table, False, set()
    if group.stdin is not None:  # compared, never trusted: the file on disk was not read
        row = rows[group.stdin]
        now.set_record(row, checked.record(group.stdin))
        assert now.sigs is not None
        now.sigs[row * _SIG : (row + 1) * _SIG] = NO_SIGNATURE
        stale.discard(row)
        changed = True
    for crow in compress(range(len(rows)), map(_GIVEN.__contains__, checked.keys[_FLAG::_SIZE])):
        if crow == group.stdin:
            continue
        row = rows[crow]
        given.add(row)
        rec = checked.record(crow)
        if rec != now.record(row):
            now.set_record(row, rec)
            changed = True
    return given, changed


def _take_aligned(old: Optional[Table], now: Table) -> Set[int]:
    """The stored records, row for row (the same buffer: what changes is tracked by the
    caller); the rows whose signature differs, or was not trusted, are stale. Found by
    halving: a few changed files in 20,000 cost a few dozen comparisons of memory."""
    assert old is not None and old.sigs is not None and now.sigs is not None
    now.keys = old.keys
    stale: Set[int] = set()
    _differing(now.sigs, old.sigs, 0, len(now), stale)
    at = old.sigs.find(NO_SIGNATURE)
    while at >= 0:
        if at % _SIG == 0:
            stale.add(at // _SIG)
        at = old.sigs.find(NO_SIGNATURE, at + 1)
    return stale


def _differing(new: bytearray, stored: bytearray, low: int, high: int, out: Set[int]) -> None:
    with memoryview(stored) as view:
        _halves(new, view, low, high, out)


def _halves(new: bytearray, stored: memoryview, low: int, high: int, out: Set[int]) -> None:
    # ``startswith`` of a view at an offset: a memcmp in place (slices were copies, about
    # 3 MB of them for one changed row in 20,000)
    if new.startswith(stored[low * _SIG : high * _SIG], low * _SIG):
        return
    if high - low == 1:
        out.add(low)
        return
    middle = (low + high) // 2
    _halves(new, stored, low, middle, out)
    _halves(new, stored, middle, high, out)


def _take_by_name(old: Optional[Table], now: Table) -> Set[int]:
    """Each row's stored record when its name and signature are in the index."""
    stale = set()
    finder = Finder(old) if old is not None and len(old) else None
    keys = bytearray()
    for row, name in enumerate(now.names_in_order()):
        found = finder.find(name) if finder is not None else None
        sig = now.sig(row)
        if found is not None and sig != NO_SIGNATURE and old is not None and old.sig(found) == sig:
            keys += old.record(found)
        else:
            keys += UNKNOWN_RECORD
            stale.add(row)
    now.keys = keys
    return stale


def _checked_rows(group: _Group, now: Table) -> Tuple[List[int], List[int]]:
    """Each checked file's row in ``now``, and the rows added for checked files the listing
    does not hold (a name the include patterns leave out), with their signatures."""
    from linter.archive.compare import stat_signature

    checked = group.table
    if checked.names == now.names:  # every file checked, in the listing's order (a walk)
        return list(range(len(checked))), []
    finder = Finder(now) if len(checked) > _SEARCHED else None
    rows, added = [], []
    for crow, name in enumerate(checked.names_in_order()):
        row = finder.find(name) if finder is not None else now.row_of(name)
        if row is None:
            sig = stat_signature(group.path(crow))
            row = now.add(name, UNKNOWN_RECORD, sig if sig is not None else NO_SIGNATURE)
            added.append(row)
        rows.append(row)
    return rows, added


def _native(group: _Group, name: bytes) -> str:
    return os.path.join(group.archive.root, os.fsdecode(name).replace("/", os.sep))

"""The archive check, once per run after every file was checked: A001 on each checked
article whose URL an older article of its archive already has.

Each URL is compared with the oldest article that has it (by ``publishedDateTime``, then
name), found in one pass over the archive: 10,000 articles sharing one URL cost 10,000
steps, not 50 million pairs. An article, or one of its URLs, that is silenced for A001 (a
``# lint-news: ignore-file`` of it, an ``ignore`` on the URL's line, ``per-file-ignores``)
takes no part: it is neither reported nor named as the older one, so such a comment in
either of two files silences the pair.

The members are held as compact tables (``linter.archive.table``), never as a string per
file: a whole-archive run of 100,000 files keeps its checked files' keys (about 150 bytes a
file) and reads the rest of the archive beside them. Which URLs repeat is found from the
digests' hashes first, sorted in C, so only the few rows whose URLs may repeat are decoded
and compared by their whole digest in a dictionary.
"""

from __future__ import annotations

import os
import sys
from array import array
from itertools import chain, compress, islice
from operator import and_, eq, ne, not_, or_

from linter import registry
from linter.archive import keys as archive_keys
from linter.archive.members import MAX_MEMBERS, Archive, Known, Listing, archive_of, name_in
from linter.archive.table import (
    EMPTY,
    NO_SIGNATURE,
    PRESENT,
    RECORD,
    SIGNATURE,
    SILENCED,
    UNKNOWN,
    UNKNOWN_RECORD,
    Finder,
    Table,
    Url,
    record,
    signature,
    urls_of,
)
from linter.batch.walk import Globs
from linter.model import Finding, Related
from linter.safepath import Roots
from linter.settings import Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Set, Tuple, Union

    from linter.archive.index import Index
    from linter.archive.prefetch import Prefetch
else:
    from linter.named import NamedTuple

CODE = archive_keys.CODE
#: Checked files whose digests are looked for by a plain search of the keys' bytes instead
#: of a pass over every record (pre-commit's few files in a large archive).
_SEARCHED = 16
_SIZE = RECORD.size
_SIG = SIGNATURE.size
#: Where each field's slot starts in a record, and its flags byte.
_SLOTS = [8 + 29 * slot for slot in range(len(archive_keys.FIELDS))]
_FLAGS = [start + 28 for start in _SLOTS]
#: Digests' numbers sorted at once in the search for repeats (``_repeated``).
_SORTED_AT_ONCE = 1 << 15
#: How a name is encoded as the listing reads it (``os.fsencode``, without its calls: once a file).
_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()


class Scope:
    """What the check needs from the run.

    (A plain class: a NamedTuple's fields naming the index and the prefetch, imported only
    for type checking, would be compiled as strings at every start.)"""

    __slots__ = (
        "settings",
        "include",
        "exclude",
        "configured",
        "store",
        "reading_roots",
        "stdin_name",
        "prefetched",
        "walked",
        "archive_roots",
    )

    def __init__(
        self,
        settings: Settings,
        include: Sequence[str],
        exclude: Sequence[str],
        configured: Sequence[str] = (),  # the ``archive`` roots (absolute)
        store: Optional[Index] = None,  # the index kept with the cache (None: no cache)
        reading_roots: Sequence[str] = (),  # where a checked file's link may lead (as for the check)
        stdin_name: Optional[str] = None,  # a checked name whose content came from standard input
        prefetched: Optional[Prefetch] = None,  # listings read while the files were checked
        walked: Sequence[str] = (),
    ) -> None:
        self.settings = settings
        self.include = include
        self.exclude = exclude
        self.configured = configured
        self.store = store
        # (as ``Roots``: each folder of the files read is resolved once, ``folder_problem``)
        here = reading_roots or [os.path.realpath(os.curdir)]
        self.reading_roots = reading_roots if isinstance(reading_roots, Roots) else Roots(here)
        self.archive_roots: Dict[str, Roots] = {}  # an archive's resolved root: its members' roots
        self.stdin_name = stdin_name
        self.prefetched = prefetched
        #: The folders the run walked (absolute, as named), when every file it found was
        #: checked: an archive inside one of them need not be listed again (``_walked_whole``).
        self.walked = walked


class _Group:
    """The checked files of one archive: their names and keys in a table, how each
    checked path is spelled (kept only where it is not the shared prefix and the name),
    and, when the run read them in this process, their signatures (``sigs``, row for
    row; ``NO_SIGNATURE`` for a file it did not read here): the listing then takes a
    checked file's signature from the ``fstat`` of the bytes checked, not from a stat of
    its own."""

    def __init__(self, archive: Archive, path: str) -> None:
        self.archive = archive
        self.table = Table()
        name = name_in(archive, path)
        native = name.replace("/", os.sep)
        if path.endswith(native) and (len(path) == len(native) or path[-len(native) - 1] in (os.sep, "/")):
            self.prefix = path[: len(path) - len(native)]
        elif os.path.isabs(path):
            self.prefix = archive.root.rstrip(os.sep) + os.sep
        else:
            self.prefix = os.path.relpath(archive.root) + os.sep
        self.spelled: Dict[int, str] = {}
        self.stdin: Optional[int] = None
        self.sigs: Optional[bytearray] = None  # made at the first signature given

    def add(self, path: str, keys: Optional[bytes], stdin: bool, info: Optional[os.stat_result] = None) -> None:
        name = name_in(self.archive, path)
        self.add_named(_encode(name), path, keys, path == self.shown(name), stdin, info)

    def add_named(
        self,
        name: bytes,
        path: str,
        keys: Optional[bytes],
        plain: bool,
        stdin: bool = False,
        info: Optional[os.stat_result] = None,
    ) -> None:
        """A checked file by its name in the archive; ``plain``: its path is ``shown``'s."""
        row = self.table.add(name, record(keys))
        if info is not None or self.sigs is not None:
            self.sign(row, None if stdin else info)
        if not plain:
            self.spelled[row] = path
        if stdin:
            self.stdin = row

    def sign(self, row: int, info: Optional[os.stat_result]) -> None:
        """The signature of the row just added (the last)."""
        if self.sigs is None:
            self.sigs = bytearray(NO_SIGNATURE * row)
        self.sigs += NO_SIGNATURE if info is None else signature(info)

    def signed_whole(self) -> Optional[Tuple[bytearray, bytearray]]:
        """The names and signatures of every checked file, when the run read each here
        (none from standard input, none without its check's ``fstat``): with an archive
        the walk met whole (``_walked_whole``) they are its listing, in the walk's order,
        and no folder is listed again."""
        if self.sigs is None or self.stdin is not None:
            return None
        at = self.sigs.find(NO_SIGNATURE)
        while at >= 0:
            if at % _SIG == 0:
                return None  # a file without a signature: read by a worker, say
            at = self.sigs.find(NO_SIGNATURE, at + 1)
        # The buffers themselves, not copies (13 MB at 100,000 files): the group's table is
        # only read after this, and its names are the listing's, so ``merged`` adds no row.
        return self.table.names, self.sigs

    def shown(self, name: str) -> str:
        return self.prefix + name.replace("/", os.sep)

    def drop_repeats(self) -> None:
        """One row per name, the last (a file named twice, or as ``a.md`` and ``./a.md``,
        is one member: two rows would make it a duplicate of itself)."""
        last = _last_rows(self.table)
        if not last:
            return
        kept, table, spelled, stdin, sigs = Table(), self.table, self.spelled, self.stdin, self.sigs
        self.table, self.spelled, self.stdin = kept, {}, None
        self.sigs = None if sigs is None else bytearray()
        for row, name in enumerate(table.names_in_order()):
            if last[name] != row:
                continue
            new = kept.add(name, table.record(row))
            if self.sigs is not None and sigs is not None:
                self.sigs += sigs[row * _SIG : (row + 1) * _SIG]
            if row in spelled:
                self.spelled[new] = spelled[row]
            if row == stdin:
                self.stdin = new

    def path(self, row: int) -> str:
        return self.spelled.get(row) or self.shown(_decode(self.table.name(row)))


class Checked:
    """The files a run checked with their cross-file keys (None: not parsed here, a result
    from the cache), grouped by archive as they arrive."""

    def __init__(self, configured: Sequence[str] = (), stdin_name: Optional[str] = None, once: bool = False) -> None:
        self.configured = configured
        self.stdin_name = stdin_name
        #: Each file is added at most once (the run named one path, and a walk meets a file
        #: once), so no name repeats: the look for repeats (its set of every name's hash,
        #: 11 MB at 100,000 files, the peak of a run) is not needed.
        self.once = once
        self.groups: Dict[Archive, _Group] = {}
        self.by_folder: Dict[str, Archive] = {}  # the files of one folder share an archive
        #: Per folder, its group and its name prefix when the folder's paths are spelled as
        #: the group shows them (a walked folder): the next file of it costs no path work.
        self.quick: Dict[str, Tuple[_Group, bytes]] = {}
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def add(self, path: str, keys: Optional[bytes], info: Optional[os.stat_result] = None) -> None:
        """A checked file, its keys, and the ``fstat`` of the bytes checked when the run
        read them here (None: a worker's file, a result from standard input)."""
        if path == "-":
            return
        self.count += 1
        folder, sep, base = path.rpartition(os.sep)
        known = self.quick.get(folder) if sep and path != self.stdin_name else None
        if known is not None and "/" not in base:  # the usual file: one table row, nothing else
            group = known[0]
            name = known[1] + base.encode(_FS_ENCODING, _FS_ERRORS)
            row = group.table.add(name, UNKNOWN_RECORD if keys is None else keys)
            if group.sigs is not None:  # once the first file's signature came: no call a file
                group.sigs += NO_SIGNATURE if info is None else signature(info)
            elif info is not None:
                group.sign(row, info)
            return
        self._add(path, keys, info)

    def _add(self, path: str, keys: Optional[bytes], info: Optional[os.stat_result] = None) -> None:
        folder = os.path.dirname(path)
        archive = self.by_folder.get(folder)
        if archive is None:
            archive = self.by_folder[folder] = archive_of(path, self.configured)
        group = self.groups.get(archive)
        if group is None:
            group = self.groups[archive] = _Group(archive, path)
        group.add(path, keys, path == self.stdin_name, info)
        head, sep, base = path.rpartition(os.sep)
        name = name_in(archive, path)
        if sep and name.endswith("/" + base.replace(os.sep, "/")) or name == base:
            inner = name[: len(name) - len(base)]
            if group.shown(name) == path and head not in self.quick:
                self.quick[head] = (group, _encode(inner))

    def forget_keys(self) -> None:
        """Every file's keys are read again (files fixed in place)."""
        for group in self.groups.values():
            group.table.keys = bytearray(record(None) * len(group.table))
            group.sigs = None  # of the bytes before they were fixed


def check(checked: Union[Checked, Mapping[str, Optional[bytes]]], scope: Scope) -> Tuple[List[Finding], List[str]]:
    """A001 findings for the checked files (or path -> keys, None where not parsed), and
    notes about archives not compared in full."""
    if not scope.settings.selected(CODE):
        return [], []
    if not isinstance(checked, Checked):
        given = checked
        checked = Checked(scope.configured, scope.stdin_name)
        for path, keys in given.items():
            checked.add(path, keys)
    findings: List[Finding] = []
    notes: List[str] = []
    for archive in sorted(checked.groups):
        group = checked.groups[archive]
        if not checked.once:
            group.drop_repeats()
        findings.extend(_check_archive(group, scope, notes))
    return findings, notes


def _check_archive(group: _Group, scope: Scope, notes: List[str]) -> List[Finding]:
    known = Known(group.table, group.sigs) if scope.store is not None and group.sigs is not None else None
    listing = Listing(group.archive, scope.include, scope.exclude, scope.configured, known=known)
    walked = _walked_whole(group, scope)
    if scope.store is None:
        tables = _unindexed(group, None if walked else listing, scope)
        targets, truncated = _Targets(group, None), listing.truncated
    else:
        from linter.archive.merge import merged

        now, rows, truncated = merged(group, listing, scope, group.signed_whole() if walked else None)
        tables, targets = [now], _Targets(group, rows)
    if truncated:
        notes.append(f"{group.archive.root} holds more files than the archive check reads; only some were compared")
    wanted: Optional[Set[bytes]] = None  # every URL, unless few files were checked
    if len(group.table) <= _SEARCHED:
        wanted = {url.digest for t, row in targets.places() for url in urls_of(tables[t].record(row))[1]}
    display = _Display(group, tables, targets)
    best, counts, candidates = _oldest(tables, wanted, display, scope.settings)
    found = []
    for where in candidates:  # only a row with a URL that repeats can be reported
        checked = targets.checked(where)
        if checked is not None:
            path = group.path(checked)
            finding = _finding(path, where, tables[where[0]].record(where[1]), best, counts, display, scope.settings)
            if finding is not None:
                found.append(finding)
    return sorted(found)


class _Targets:
    """Which compared rows are checked files: without an index the checked table itself
    (table 0), with one the rows ``merged`` gives for them, by checked row."""

    def __init__(self, group: _Group, rows: Optional[List[int]]) -> None:
        self.group = group
        self.rows = rows
        self.by_row = None if rows is None else {row: checked for checked, row in enumerate(rows)}

    def checked(self, where: Tuple[int, int]) -> Optional[int]:
        """The checked row at ``where`` (table, row), or None."""
        if where[0] != 0:
            return None
        return where[1] if self.by_row is None else self.by_row.get(where[1])

    def places(self) -> Iterator[Tuple[int, int]]:
        rows = range(len(self.group.table)) if self.rows is None else self.rows
        return ((0, row) for row in rows)


def _unindexed(group: _Group, listing: Optional[Listing], scope: Scope) -> List[Table]:
    """Without an index: the checked files' table, and a table of the other members, read
    (None: the run checked every member, see ``_walked_whole``)."""
    checked, others = group.table, Table()
    listed = bytearray(len(checked))
    root = os.path.realpath(group.archive.root)
    finder = Finder(checked)
    for name, _ in listing or ():
        row = finder.find(name)
        if row is None:
            others.add(name, read_record(_native(group.archive, name), False, root, scope))
        else:
            listed[row] = 1
            if checked.keys[row * _SIZE + _FLAGS[0]] & UNKNOWN and row != group.stdin:
                checked.set_record(row, read_record(group.path(row), True, root, scope))
    for row in range(len(checked)):  # named but not listed (an excluded name, say)
        if not listed[row] and checked.keys[row * _SIZE + _FLAGS[0]] & UNKNOWN:
            checked.set_record(row, read_record(group.path(row), True, root, scope))
    return [checked, others]


def _walked_whole(group: _Group, scope: Scope) -> bool:
    """Whether the run's walk met every member of the archive, so that listing it again
    would add none: the archive's folder is a walked folder or below one through folders
    the walk went into (no link, no excluded name), and the patterns decide from a name
    alone (the walk and the listing spell a folder's path differently). The walk takes
    every file the listing would take (the same patterns; a link only to a file inside
    the walked folder, which holds the archive), so only the checked files are compared."""
    archive = group.archive
    if not scope.walked or len(group.table) > MAX_MEMBERS or group.stdin is not None:
        return False  # past the listing's cap: it would compare fewer, and say so
    unwanted = Globs(scope.exclude, anywhere=True)
    if Globs(scope.include).suffixes is None or unwanted.names is None:
        return False
    for folder in scope.walked:
        if archive.root == folder:
            return True
        start = folder.rstrip(os.sep) + os.sep
        if archive.root.startswith(start):
            path, below = folder, archive.root[len(start) :].split(os.sep)
            for name in below:
                path = os.path.join(path, name)
                if name in unwanted.names or os.path.islink(path):
                    break
            else:
                return True
    return False


def _last_rows(table: Table) -> Dict[bytes, int]:
    """Each name's last row, when some name has more than one row (else empty): a set of
    the names' hashes first (made in C, a megabyte of names at a time: 100,000 names as
    objects and their set were the peak of a run), since a file is rarely named twice."""
    hashes: Set[int] = set()
    for names in table.name_lists():
        hashes.update(map(hash, names))
    if len(hashes) == len(table):
        return {}
    del hashes
    last = {name: row for row, name in enumerate(table.names_in_order())}
    return last if len(last) < len(table) else {}


def stat_signature(path: str) -> Optional[bytes]:
    try:
        return signature(os.stat(path))
    except OSError:
        return None


def read_record(path: str, checked: bool, root: str, scope: Scope) -> bytes:
    """A file's keys record, read within the size limit; through a link only to a file
    inside the archive (a checked file's: where the check itself would read it)."""
    from linter.engine import read_limited

    roots = scope.reading_roots if checked else scope.archive_roots.get(root)
    if roots is None:
        roots = scope.archive_roots[root] = Roots([root])
    data = read_limited(path, scope.settings.max_file_size, roots)
    if not isinstance(data, bytes):
        return EMPTY
    return archive_keys.of_bytes(data, scope.settings.limits)


def _native(archive: Archive, name: bytes) -> str:
    return os.path.join(archive.root, _decode(name).replace("/", os.sep))


def _encode(name: str) -> bytes:
    return name.encode(_FS_ENCODING, _FS_ERRORS)  # as the listing reads names (os.fsencode)


def _decode(name: bytes) -> str:
    return os.fsdecode(name)


class _Display:
    """How a member is shown: as the run named it when checked, else beside the checked
    files of its archive (relative when they are)."""

    def __init__(self, group: _Group, tables: List[Table], targets: _Targets) -> None:
        self.group, self.tables, self.targets = group, tables, targets

    def __call__(self, where: Tuple[int, int]) -> str:
        checked = self.targets.checked(where)
        if checked is not None:
            return self.group.path(checked)
        return self.group.shown(_decode(self.tables[where[0]].name(where[1])))


class _Best(NamedTuple):
    published: int
    where: Tuple[int, int]
    url: Url


def _older(published: int, where: Tuple[int, int], current: _Best, tables: List[Table]) -> bool:
    """Whether the row at ``where`` comes before ``current``: by date, then by name (a
    name is looked up only for two rows of one date)."""
    if published != current.published:
        return published < current.published
    return tables[where[0]].name(where[1]) < tables[current.where[0]].name(current.where[1])


def _oldest(
    tables: List[Table], wanted: Optional[Set[bytes]], display: _Display, settings: Settings
) -> Tuple[Dict[bytes, _Best], Dict[bytes, int], List[Tuple[int, int]]]:
    """For each wanted digest (None: every one that may repeat), the oldest member that has
    it, and how many do; and the rows that have one."""
    per_file = bool(settings.per_file_ignores)
    best: Dict[bytes, _Best] = {}
    counts: Dict[bytes, int] = {}
    candidates: List[Tuple[int, int]] = []
    repeating = _repeating(tables) if wanted is None else None
    for t, table in enumerate(tables):
        rows = repeating[t] if repeating is not None else _rows_holding(table, wanted or set())
        for row in rows:
            if per_file and not settings.enabled(CODE, display((t, row))):
                continue
            published, urls = urls_of(table.record(row))
            seen: Set[bytes] = set()
            for url in urls:
                if url.silenced or url.digest in seen or (wanted is not None and url.digest not in wanted):
                    continue
                seen.add(url.digest)
                if len(seen) == 1:
                    candidates.append((t, row))
                counts[url.digest] = counts.get(url.digest, 0) + 1
                current = best.get(url.digest)
                if current is None or _older(published, (t, row), current, tables):
                    best[url.digest] = _Best(published, (t, row), url)
    return best, counts, candidates


def _rows_holding(table: Table, wanted: Set[bytes]) -> List[int]:
    """The rows with one of a few digests in one of their slots, found by searching the
    records' bytes (no record decoded unless it holds one)."""
    rows: Set[int] = set()
    keys = table.keys
    for digest in wanted:
        at = keys.find(digest)
        while at >= 0:
            if (at % _SIZE) in _SLOTS:
                rows.add(at // _SIZE)
            at = keys.find(digest, at + 1)
    return sorted(rows)


#: The flags bytes of a compared slot: present and not silenced.
_COMPARED = frozenset(flags for flags in range(256) if flags & (PRESENT | SILENCED) == PRESENT)


def _compared(table: Table) -> Tuple[array[int], array[int]]:
    """The first 8 bytes of each compared (present, not silenced) digest of ``table``, as a
    number, and its row; a second slot whose number is its row's first is left out (an
    article's originalUrl is mostly its webUrl: one article, not a repeat; and a row is a
    candidate through its first slot all the same). No Python code runs per row: the
    columns are gathered by slices with a step, and ``map``/``compress`` filter them."""
    keys, rows = table.keys, range(len(table))
    first, second = (_prefixes(keys, len(table), start) for start in _SLOTS)
    first_on = bytes(map(_COMPARED.__contains__, keys[_FLAGS[0] :: _SIZE]))  # a byte a row, not a list
    other = map(or_, map(not_, first_on), map(ne, first, second))
    second_on = bytes(map(and_, map(_COMPARED.__contains__, keys[_FLAGS[1] :: _SIZE]), other))
    prefixes, where = array("q", compress(first, first_on)), array("I", compress(rows, first_on))
    prefixes.extend(compress(second, second_on))
    where.extend(compress(rows, second_on))
    return prefixes, where


def _prefixes(keys: bytearray, count: int, start: int) -> memoryview:
    """The first 8 bytes of the digest at ``start`` of each record, as numbers: each byte
    of them a column taken by one slice with the record's size as its step (read as
    numbers in place, not copied into an array: both slots' are held at once)."""
    gathered = bytearray(8 * count)
    for byte in range(8):
        gathered[byte::8] = keys[start + byte :: _SIZE]
    return memoryview(gathered).cast("q")


def _repeating(tables: List[Table]) -> List[List[int]]:
    """Per table, the rows with a compared digest whose first 8 bytes another row's compared
    digest has: every row that may share a URL with another (a shared prefix of two
    different URLs only adds rows, which the comparison of whole digests then clears).
    The numbers are sorted and runs found by comparing neighbours, in C."""
    per_table = [_compared(table) for table in tables]
    every = array("q", chain.from_iterable(prefixes for prefixes, _ in per_table))
    repeated = _repeated(every)
    del every
    if not repeated:
        return [[] for _ in tables]
    return [sorted(set(compress(rows, map(repeated.__contains__, prefixes)))) for prefixes, rows in per_table]


def _repeated(prefixes: array[int]) -> Set[int]:
    """The numbers that occur more than once, sorted a part at a time: a sorted list holds
    each number as an object (40 bytes; 5 MB for the 125,000 digests of 100,000 files, the
    peak of a run), so past ``_SORTED_AT_ONCE`` numbers they are split by one of their
    bytes (a byte of a digest: spread evenly), and equal numbers fall in one part."""
    parts = min(256, len(prefixes) // _SORTED_AT_ONCE + 1)
    if parts == 1:
        return _neighbours(sorted(prefixes))
    part_of = bytes(memoryview(prefixes).cast("B")[::8]).translate(bytes(b * parts // 256 for b in range(256)))
    found: Set[int] = set()
    for part in range(parts):
        found |= _neighbours(sorted(compress(prefixes, map(part.__eq__, part_of))))
    return found


def _neighbours(ordered: List[int]) -> Set[int]:
    """The numbers of a sorted list equal to the one before them, found in C."""
    return set(compress(islice(ordered, 1, None), map(eq, ordered, islice(ordered, 1, None))))


def _finding(
    path: str,
    where: Tuple[int, int],
    rec: bytes,
    best: Dict[bytes, _Best],
    counts: Dict[bytes, int],
    display: _Display,
    settings: Settings,
) -> Optional[Finding]:
    if not settings.enabled(CODE, path):
        return None
    for url in urls_of(rec)[1]:
        oldest = best.get(url.digest)
        if url.silenced or oldest is None or oldest.where == where:
            continue
        other = display(oldest.where)
        info = registry.RULES[CODE]
        message = (
            f"{url.field} is also the {oldest.url.field} of {other}:{oldest.url.line}, the oldest of the"
            f" {counts[url.digest]} articles of this archive with this URL"
        )
        hint = "keep one article per story: delete this copy, or give it the URL of its own story"
        related = (
            Related(other, oldest.url.line, oldest.url.col, f"the oldest article with this URL ({oldest.url.field})"),
        )
        severity = settings.severity(CODE, info.severity)
        return Finding(path, url.line, url.col, CODE, message, severity, info.name, (url.field,), hint, "", related)
    return None

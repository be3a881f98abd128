"""The archive check, once per run after every file was checked: A001 on each checked
article whose URL an older article of its archive already has.

Each URL is compared with the oldest article that has it (by ``publishedDateTime``, then
name), found in one pass over the archive: 10,000 articles sharing one URL cost 10,000
steps, not 50 million pairs. An article, or one of its URLs, that is silenced for A001 (a
``# lint-news: ignore-file`` of it, an ``ignore`` on the URL's line, ``per-file-ignores``)
takes no part: it is neither reported nor named as the older one, so such a comment in
either of two files silences the pair.
"""

from __future__ import annotations

import os
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence, Set, Tuple

from linter import registry
from linter.archive import keys as archive_keys
from linter.archive.index import Entries, Index
from linter.archive.members import Archive, archive_of, listing, name_in, signature
from linter.model import Finding, Related
from linter.settings import Settings

CODE = archive_keys.CODE
#: Checked files whose digests are looked for by a plain text search of every other file's
#: keys before decoding them (pre-commit's few files in a large archive).
_SEARCHED = 16


class Scope(NamedTuple):
    """What the check needs from the run."""

    settings: Settings
    include: Sequence[str]
    exclude: Sequence[str]
    configured: Sequence[str] = ()  # the ``archive`` roots (absolute)
    store: Optional[Index] = None  # the index kept with the cache (None: no cache)
    reading_roots: Sequence[str] = ()  # where a checked file's link may lead (as for the check)
    stdin_name: Optional[str] = None  # a checked name whose content came from standard input


class _Best(NamedTuple):
    order: Tuple[bool, int, str]
    name: str
    url: archive_keys.Url


def check(checked: Mapping[str, Optional[str]], scope: Scope) -> Tuple[List[Finding], List[str]]:
    """A001 findings for the checked files (path -> keys when the check parsed them), and
    notes about archives not compared in full."""
    if not scope.settings.selected(CODE):
        return [], []
    groups: Dict[Archive, Dict[str, Tuple[str, Optional[str]]]] = {}
    by_folder: Dict[str, Archive] = {}  # the files of one folder share an archive
    for path, found in checked.items():
        if path == "-":
            continue
        folder = os.path.dirname(path)
        archive = by_folder.get(folder)
        if archive is None:
            archive = by_folder[folder] = archive_of(path, scope.configured)
        groups.setdefault(archive, {})[name_in(archive, path)] = (path, found)
    findings: List[Finding] = []
    notes: List[str] = []
    for archive, members in sorted(groups.items()):
        findings.extend(_check_archive(archive, members, scope, notes))
    return findings, notes


def _check_archive(
    archive: Archive, checked: Dict[str, Tuple[str, Optional[str]]], scope: Scope, notes: List[str]
) -> List[Finding]:
    files, truncated = listing(archive, scope.include, scope.exclude, scope.configured)
    if truncated:
        notes.append(f"{archive.root} holds more files than the archive check reads; only some were compared")
    entries = _entries(archive, files, checked, scope)
    del files  # the listing's names and signatures: not needed past here
    display = _Display(archive, checked)
    wanted: Optional[Set[str]] = None  # every URL, unless few files were checked
    if len(checked) <= _SEARCHED:
        wanted = {url.digest for name in checked for url in archive_keys.decode(_keys(entries, name))[1]}
    best, counts = _oldest(entries, wanted, display, scope.settings)
    found = []
    for name, (path, _) in sorted(checked.items()):
        finding = _finding(name, path, _keys(entries, name), best, counts, display, scope.settings)
        if finding is not None:
            found.append(finding)
    return found


def _entries(
    archive: Archive, files: Dict[str, str], checked: Dict[str, Tuple[str, Optional[str]]], scope: Scope
) -> Entries:
    """Every member's (signature, keys): a checked file's keys from its check, a file
    unchanged since the index was written from the index, any other read again. The index's
    own dictionary is updated in place (one dictionary of the archive in memory, not three)
    and written back when it changed; standard input's keys are added after that."""
    root = os.path.realpath(archive.root)
    known = scope.store.load(root) if scope.store is not None else {}
    stdin = next((name for name, (path, _) in checked.items() if path == scope.stdin_name), None)
    for name, (path, _) in checked.items():
        if name not in files and name != stdin:
            sig = _stat(path)
            if sig is not None:
                files[name] = sig
    changed = False
    for name in [name for name in known if name not in files]:
        del known[name]  # removed from the archive
        changed = True
    for name, sig in files.items():
        old = known.get(name)
        given = checked[name][1] if name in checked else None
        if name == stdin or (old is not None and old[0] == sig and (given is None or given == old[1])):
            continue  # unchanged since the index was written (the usual case); stdin: below
        if given is None:
            given = _read(os.path.join(archive.root, name.replace("/", os.sep)), name in checked, root, scope)
        new = (scope.store.trusted(sig) if scope.store is not None else "", given)
        if new != old:
            known[name] = new
            changed = True
    if scope.store is not None and changed:
        scope.store.save(root, known)
    if stdin is not None:  # compared, never stored: the file on disk was not read
        known[stdin] = ("", checked[stdin][1] or "")
    return known


def _keys(entries: Entries, name: str) -> str:
    entry = entries.get(name)
    return entry[1] if entry is not None else ""


def _stat(path: str) -> Optional[str]:
    try:
        return signature(os.stat(path))
    except OSError:
        return None


def _read(path: str, checked: bool, root: str, scope: Scope) -> str:
    """A file's keys, read within the size limit; through a link only to a file inside the
    archive (a checked file's: where the check itself would read it)."""
    from linter.engine import read_limited

    roots = (tuple(scope.reading_roots) or (os.path.realpath(os.curdir),)) if checked else (root,)
    data = read_limited(path, scope.settings.max_file_size, roots)
    if not isinstance(data, bytes):
        return ""
    return archive_keys.of_bytes(data, scope.settings.limits)


class _Display:
    """How a member's path is shown: as the run named it when checked, else beside a
    checked file of the same archive (relative when that one is)."""

    def __init__(self, archive: Archive, checked: Dict[str, Tuple[str, Optional[str]]]) -> None:
        self.named = {name: path for name, (path, _) in checked.items()}
        name, path = next(iter(self.named.items()))
        native = name.replace("/", os.sep)
        if path.endswith(native) and (len(path) == len(native) or path[-len(native) - 1] in (os.sep, "/")):
            self.prefix = path[: len(path) - len(native)]
        elif os.path.isabs(path):
            self.prefix = archive.root.rstrip(os.sep) + os.sep
        else:
            self.prefix = os.path.relpath(archive.root) + os.sep

    def __call__(self, name: str) -> str:
        return self.named.get(name) or self.prefix + name.replace("/", os.sep)


def _oldest(
    entries: Entries, wanted: Optional[Set[str]], display: _Display, settings: Settings
) -> Tuple[Dict[str, _Best], Dict[str, int]]:
    """For each wanted digest (None: every one), the oldest member that has it, and how
    many do. A few wanted digests are first searched for in each member's keys as text."""
    best: Dict[str, _Best] = {}
    counts: Dict[str, int] = {}
    searched = list(wanted) if wanted is not None else None
    per_file = bool(settings.per_file_ignores)
    for name, (_, keys) in entries.items():
        if not keys or (searched is not None and not any(d in keys for d in searched)):
            continue
        if per_file and not settings.enabled(CODE, display(name)):
            continue
        published, urls = archive_keys.decode(keys)
        order = (published is None, published or 0, name)
        seen: Set[str] = set()
        for url in urls:
            if url.silenced or url.digest in seen or (wanted is not None and url.digest not in wanted):
                continue
            seen.add(url.digest)
            counts[url.digest] = counts.get(url.digest, 0) + 1
            current = best.get(url.digest)
            if current is None or order < current.order:
                best[url.digest] = _Best(order, name, url)
    return best, counts


def _finding(
    name: str,
    path: str,
    keys: str,
    best: Dict[str, _Best],
    counts: Dict[str, int],
    display: _Display,
    settings: Settings,
) -> Optional[Finding]:
    if not keys or not settings.enabled(CODE, path):
        return None
    for url in archive_keys.decode(keys)[1]:
        oldest = best.get(url.digest)
        if url.silenced or oldest is None or oldest.name == name:
            continue
        other = display(oldest.name)
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

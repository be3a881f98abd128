"""Checking many files: serially, or in worker processes with the same output order."""

from __future__ import annotations

import collections
import itertools
import os
import stat
import sys

from linter.batch.pool import ordered_map
from linter.engine import FileResult, Linter, read_stated
from linter.settings import Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Deque, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

    from linter.batch.cache import Cache
    from linter.batch.memo import Memo, Recalled
    from linter.report.store import FindingStore, Row

    #: What a worker sends for a file: its keys' record (clean; None without keys), its
    #: findings as the store's rows with whether it failed and its record, or its whole
    #: result. (For type checking only: at run time its quoted ``Row`` would be compiled.)
    Done = Union[bytes, None, Tuple[List[Row], bool, Optional[bytes]], FileResult]

#: Below this many files a worker pool costs more than it saves (pre-commit's usual case).
MIN_FILES_PER_JOB = 32
#: The most paths a worker is sent at once (the last chunks of a run are smaller: see
#: ``linter.batch.pool``). Each chunk's results wake the parent, which costs it about a
#: quarter of a millisecond; 256 files are about 150 ms of a worker's work.
CHUNK = 256
#: Files a warm run answered in one process may read before the rest goes to workers.
_MISSES = 2 * MIN_FILES_PER_JOB
#: A worker's linter, cache, whether it packs findings, and (with the stat memo) how it
#: signs what it read.
_WORKER: Optional[Tuple[Linter, Optional[Cache], bool, Optional[Callable[[object], bytes]]]] = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run(
    paths: Iterable[str],
    settings: Settings,
    jobs: int,
    cache: Optional[Cache] = None,
    stdin_name: str = "-",
    stdin_data: Optional[bytes] = None,
    roots: Optional[Sequence[str]] = None,
    store: Optional[FindingStore] = None,
) -> Iterator[FileResult]:
    """Lint ``paths`` and yield their results in the order of ``paths``.

    ``paths`` may be a stream (the directory walk): it is read ahead only far enough to know
    whether worker processes pay. Workers are started once and each builds its own
    validator; results come back in input order, so the output of ``--jobs N`` is identical
    to a serial run. ``stdin_data`` is the content of ``-`` when the caller has read
    standard input already; a run that reads ``-`` is serial. ``roots``: the folders a
    symbolic link may lead into (``linter.safepath.reading_roots``). With ``store``, each
    file's findings go there (a worker sends them packed, ready to keep) and the results
    come without them.
    """
    stream = iter(paths)
    ahead = list(itertools.islice(stream, jobs * MIN_FILES_PER_JOB))
    jobs = max(1, min(jobs, len(ahead) // MIN_FILES_PER_JOB))
    serial = jobs == 1 or stdin_data is not None or "-" in ahead
    # A warm run: answering unchanged files costs less than starting workers, until
    # ``_MISSES`` files were not: the rest goes to the workers.
    misses = -1
    if not serial and cache is not None and cache.memo is not None and cache.memo.knows_all(ahead):
        serial, misses = True, _MISSES
    rest = itertools.chain(ahead, stream)
    if serial:
        memo = None if cache is None else cache.memo
        linter = Linter(settings, roots)
        for path in rest:
            known = None if memo is None else memo.recall(path)
            if known is not None:  # unchanged: neither opened nor hashed
                yield _recalled(path, known, store)
                continue
            misses -= 1
            if misses == 0:
                rest = itertools.chain([path], rest)
                break
            result = lint_one(linter, cache, path, stdin_name, stdin_data)
            if memo is None and store is not None and result.findings:
                store.add(result.findings)
                result.findings = []
            elif memo is not None:
                _noted(memo, result, store)
            yield result
        else:
            if memo is not None:
                memo.save()
            return
    if cache is not None:
        cache.read_all()  # once, here: the workers inherit it instead of each reading (and merging)
    work = (settings, cache, roots, store is not None)
    memo = None if cache is None else cache.memo
    paths = rest
    if memo is None:
        for path, done in ordered_map(_work, paths, jobs, CHUNK, _start_worker, work):
            yield _received(path, done, store)
        return
    stated: Deque[Tuple[str, Optional[os.stat_result]]] = collections.deque()
    for path, (read, done) in ordered_map(_work, _stated(paths, stated), jobs, CHUNK, _start_worker, work):
        _noted_done(memo, path, done, stated.popleft(), read)
        yield _received(path, done, store)
    memo.save()


def _stated(paths: Iterable[str], stated: Deque[Tuple[str, Optional[os.stat_result]]]) -> Iterator[str]:
    """``paths``, each ``lstat``-ed before it goes out to be read: the signature the stat
    memo notes for what is found in it is never newer than the bytes read."""
    for path in paths:
        try:
            info: Optional[os.stat_result] = os.lstat(path)
        except OSError:
            info = None
        stated.append((path, info))
        yield path


def _noted_done(
    memo: Memo, path: str, done: Done, stated: Tuple[str, Optional[os.stat_result]], read: Optional[bytes]
) -> None:
    """A file another process checked (``_work``), noted in the memo by its ``lstat``
    taken before it was sent: clean, or its one row of findings. Only when ``read``, the
    signature of what that process read, is the same: the path may have led elsewhere
    meanwhile (a folder renamed), and a row pairs a signature with the findings of its bytes."""
    named, info = stated
    if named != path or info is None or not stat.S_ISREG(info.st_mode) or isinstance(done, FileResult):
        return
    sig = memo.signed(info)
    if sig != read:
        return
    if done is None or isinstance(done, bytes):
        memo.note(path, info, None, 0, sig)
        return
    rows, failed, _ = done
    if not failed and len(rows) == 1 and rows[0][0] == path:
        memo.note(path, info, rows[0][1], rows[0][2], sig)


def _received(path: str, done: Done, store: Optional[FindingStore]) -> FileResult:
    """A worker's answer for ``path`` as a result (its packed findings put in ``store``)."""
    if done is None or isinstance(done, bytes):  # a clean file, most of them: no keywords
        return FileResult(path, None, False, done)
    if isinstance(done, tuple):
        rows, failed, keys = done
        assert store is not None
        store.add_packed(rows)
        return FileResult(path, failed=failed, keys=keys)
    return done


def lint_one(
    linter: Linter, cache: Optional[Cache], path: str, stdin_name: str = "-", stdin_data: Optional[bytes] = None
) -> FileResult:
    """One file, from the cache when its bytes, name and settings were seen before."""
    if path == "-":
        return linter.lint_bytes(stdin_name, sys.stdin.buffer.read() if stdin_data is None else stdin_data)
    if cache is None:
        return linter.lint_path(path)
    data, info = read_stated(path, linter.settings.max_file_size, linter.roots)
    if not isinstance(data, bytes):
        return linter.lint_read(path, data)  # reports why it cannot be read
    key = cache.key(path, data)
    result = cache.get(key, path)
    if result is None:
        result = linter.lint_bytes(path, data)
        cache.put(key, result)
    result.stat = info
    return result


def _recalled(path: str, known: Recalled, store: Optional[FindingStore]) -> FileResult:
    """A result from the stat memo: its findings' row goes to ``store`` as it is."""
    info, found, count = known
    result = FileResult(path)
    result.stat = info
    if found is not None:
        if store is not None:
            store.add_packed([(path, found, count)])
        else:
            from linter.report.store import unpack

            result.findings = unpack(path, found)
    return result


def _noted(memo: Memo, result: FileResult, store: Optional[FindingStore]) -> None:
    """A file read in this run, noted in the memo with its findings packed once, for the
    memo and for ``store``."""
    rows: List[Row] = []
    if result.findings:
        from linter.report.store import pack

        rows = pack(result.findings)
        if store is not None:
            store.add_packed(rows)
            result.findings = []
    if result.stat is None or result.failed or len(rows) > 1:
        return
    memo.note(result.path, result.stat, rows[0][1] if rows else None, rows[0][2] if rows else 0)


def _start_worker(settings: Settings, cache: Optional[Cache], roots: Optional[Sequence[str]], packed: bool) -> None:
    global _WORKER
    sign = None
    if cache is not None and cache.memo is not None:
        from linter.archive.table import signature

        sign = signature
    _WORKER = (Linter(settings, roots), cache, packed, sign)


def _work(path: str) -> Union[Done, Tuple[Optional[bytes], Done]]:
    """One file in a worker. What the parent keeps of it is made here, not there: the
    parent has only one core's share for every worker's files. A clean file comes back as
    its cross-file keys' record (None: no keys); with ``packed``, a file with findings as
    the store's rows of them; the parent knows its path. With the stat memo, paired with
    the signature of the ``fstat`` of what was read (None: nothing was), for
    ``_noted_done``."""
    assert _WORKER is not None
    linter, cache, packed, sign = _WORKER
    result = lint_one(linter, cache, path)
    done: Done
    if not result.findings and not result.failed:
        done = result.keys
    elif packed:
        from linter.report.store import pack

        done = pack(result.findings), result.failed, result.keys
    else:
        done = result
    if sign is None:
        return done
    return (None if result.stat is None else sign(result.stat)), done

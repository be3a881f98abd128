"""Checking many files: serially, or in worker processes with the same output order."""

from __future__ import annotations

import os
import sys
from typing import Iterator, Optional, Sequence, Tuple

from .cache import Cache
from .engine import FileResult, Linter, read_limited
from .settings import Settings

#: Below this many files a worker pool costs more than it saves (pre-commit's usual case).
MIN_FILES_PER_JOB = 32
_WORKER: Optional[Tuple[Linter, Optional[Cache]]] = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run(
    paths: Sequence[str],
    settings: Settings,
    jobs: int,
    cache: Optional[Cache] = None,
    stdin_name: str = "-",
    stdin_data: Optional[bytes] = None,
) -> Iterator[FileResult]:
    """Lint ``paths`` and yield their results in the order of ``paths``.

    Workers are forked once and each builds its own validator; results come back in input
    order, so the output of ``--jobs N`` is identical to a serial run. ``stdin_data`` is
    the content of ``-`` when the caller has read standard input already.
    """
    jobs = max(1, min(jobs, len(paths) // MIN_FILES_PER_JOB))
    if jobs == 1 or "-" in paths:
        linter = Linter(settings)
        for path in paths:
            yield lint_one(linter, cache, path, stdin_name, stdin_data)
        return
    import multiprocessing  # only here: a serial run (pre-commit's usual case) never pays for it

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    chunk = max(1, min(256, len(paths) // (jobs * 8)))
    with context.Pool(jobs, initializer=_start_worker, initargs=(settings, cache)) as pool:
        yield from pool.imap(_work, paths, chunksize=chunk)


def lint_one(
    linter: Linter, cache: Optional[Cache], path: str, stdin_name: str = "-", stdin_data: Optional[bytes] = None
) -> FileResult:
    """One file, from the cache when its bytes, name and settings were seen before."""
    if path == "-":
        return linter.lint_bytes(stdin_name, sys.stdin.buffer.read() if stdin_data is None else stdin_data)
    if cache is None:
        return linter.lint_path(path)
    data = read_limited(path, linter.settings.max_file_size)
    if not isinstance(data, bytes):
        return linter.lint_read(path, data)  # reports why it cannot be read
    key = cache.key(path, data)
    result = cache.get(key, path)
    if result is None:
        result = linter.lint_bytes(path, data)
        cache.put(key, result)
    return result


def _start_worker(settings: Settings, cache: Optional[Cache]) -> None:
    global _WORKER
    _WORKER = (Linter(settings), cache)


def _work(path: str) -> FileResult:
    assert _WORKER is not None
    linter, cache = _WORKER
    return lint_one(linter, cache, path)

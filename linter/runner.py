"""Checking many files: serially, or in worker processes with the same output order."""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Callable, Iterator, Optional, Sequence

from .engine import FileResult, Linter
from .settings import Settings

#: Below this many files a worker pool costs more than it saves (pre-commit's usual case).
MIN_FILES_PER_JOB = 32
_WORKER: Optional[Linter] = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run(
    paths: Sequence[str], settings: Settings, jobs: int, lint: Optional[Callable[[Linter, str], FileResult]] = None
) -> Iterator[FileResult]:
    """Lint ``paths`` and yield their results in the order of ``paths``."""
    jobs = max(1, min(jobs, len(paths) // MIN_FILES_PER_JOB))
    if jobs == 1:
        linter = Linter(settings)
        for path in paths:
            yield lint_one(linter, path)
        return
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    chunk = max(1, min(256, len(paths) // (jobs * 8)))
    with context.Pool(jobs, initializer=_start_worker, initargs=(settings,)) as pool:
        yield from pool.imap(_work, paths, chunksize=chunk)


def lint_one(linter: Linter, path: str) -> FileResult:
    if path == "-":
        return linter.lint_bytes("-", sys.stdin.buffer.read())
    return linter.lint_path(path)


def _start_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Linter(settings)


def _work(path: str) -> FileResult:
    assert _WORKER is not None
    return lint_one(_WORKER, path)

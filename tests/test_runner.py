"""Checking many files (``linter.batch.runner``): worker processes give what one process gives."""

from __future__ import annotations

import sys
from typing import List, Optional, Tuple

import pytest
from conftest import FIXTURES

from linter.batch import runner
from linter.report.store import FindingStore
from linter.settings import Settings

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux")

#: Every fixture (most have findings, some fail to parse): enough files for two workers;
#: and, among them, one that does not exist (E010: the result failed).
PATHS = [str(path) for path in sorted(FIXTURES.rglob("*.md"))]
PATHS.insert(100, str(FIXTURES / "no-such-article.md"))


def checked(jobs: int, store: Optional[FindingStore]) -> List[Tuple[str, bool, object, int]]:
    """(path, failed, keys' record, findings carried) of each result, in order."""
    from linter.archive.table import record

    return [
        (r.path, r.failed, record(r.keys), len(r.findings))
        for r in runner.run(iter(PATHS), Settings(), jobs, roots=[str(FIXTURES.parent.parent)], store=store)
    ]


def test_there_are_enough_fixtures_for_two_workers() -> None:
    assert len(PATHS) >= 2 * runner.MIN_FILES_PER_JOB


def test_findings_packed_by_workers_are_a_serial_runs() -> None:
    """With a store, a worker sends each file's findings as the store's rows: the store
    reads back exactly what one process stores, and no result carries findings."""
    serial, parallel = FindingStore(), FindingStore()
    one = checked(1, serial)
    two = checked(2, parallel)
    assert one == two
    assert all(count == 0 for *_, count in two)
    assert list(parallel) == list(serial)
    assert len(parallel) == len(serial) > 100
    assert any(failed for _, failed, _, _ in two)


def test_without_a_store_results_carry_their_findings() -> None:
    """``--fix`` keeps the results: they come with their findings, as one process's do."""
    store = FindingStore()
    checked(1, store)
    results = list(runner.run(iter(PATHS), Settings(), 2, roots=[str(FIXTURES.parent.parent)]))
    assert [r.path for r in results] == PATHS
    assert sorted(f for r in results for f in r.findings) == list(store)


def test_what_a_worker_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean file: its keys' record alone; a file with findings: the store's rows of them
    (or, unpacked, its whole result); a file that failed: its rows, marked failed."""
    from linter.engine import Linter

    monkeypatch.chdir(FIXTURES.parent.parent)
    monkeypatch.setattr(runner, "_WORKER", None)  # this process's worker state, put back after
    linter = Linter(Settings())
    clean = next(p for p in PATHS if "/valid/" in p and not linter.lint_path(p).findings)
    found = next(p for p in PATHS if linter.lint_path(p).findings)
    missing = str(FIXTURES / "no-such-article.md")
    runner._start_worker(Settings(), None, None, True)
    assert isinstance(runner._work(clean), bytes)
    rows, failed, keys = runner._work(found)  # type: ignore[misc]
    assert [(path, count) for path, _, count in rows] == [(found, len(linter.lint_path(found).findings))]
    assert (failed, type(keys)) == (False, bytes)
    assert runner._work(missing)[1:] == (True, None)  # type: ignore[index]
    runner._start_worker(Settings(), None, None, False)
    assert runner._work(found) == linter.lint_path(found)

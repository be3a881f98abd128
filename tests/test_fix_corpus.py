"""``--fix`` on a copy of the real corpus (never the original): every repair verifies, only
the lines holding fixed values change, and a second run has nothing left to fix.

Skips when ``../shared/corpus`` is not beside the checkout (CI has it). BENCHMARKS.md
("Fixes on the real corpus") gives the counts and timings of the same run.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from conftest import SHARED, run_cli

from linter.engine import Linter
from linter.fix.apply import fix_bytes

REAL = SHARED / "corpus" / "real"
DELETING = ("T002", "R001")

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus is not present")


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corpus") / "real"
    shutil.copytree(REAL, target)
    return target


def articles(root: Path) -> List[Path]:
    return sorted(root.rglob("*.md"))


def test_only_the_lines_of_fixed_values_change_in_real_articles(copy: Path) -> None:
    linter = Linter()
    fixed: Dict[str, int] = {}
    for path in articles(copy):
        data = path.read_bytes()
        outcome = fix_bytes(linter, str(path), data, unsafe=True)
        assert outcome.notes == [], path
        for finding in outcome.fixed:
            fixed[finding.code] = fixed.get(finding.code, 0) + 1
        before, after = data.splitlines(keepends=True), outcome.data.splitlines(keepends=True)
        allowed = {f.line for f in outcome.fixed}
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
            if tag == "replace":
                assert i2 - i1 == j2 - j1 and set(range(i1 + 1, i2 + 1)) <= allowed, path
            elif tag == "delete":  # a removed duplicate: its lines, among them the finding's
                assert any(f.code in DELETING and i1 < f.line <= i2 for f in outcome.fixed), path
            else:
                assert tag == "equal", path
    assert fixed.get("T001", 0) >= 90 and fixed.get("R001", 0) >= 25  # the real archive's defects


def test_fix_twice_on_the_real_corpus_changes_nothing_the_second_time(copy: Path, tmp_path: Path) -> None:
    env = {"LINT_NEWS_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("--fix", "--unsafe-fixes", str(copy), env=env)
    assert first.rc == 1 and "Traceback" not in first.err
    assert "lint-news: fixed " in first.err
    snapshot: Dict[Path, Tuple[bytes, int]] = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in articles(copy)}
    second = run_cli("--fix", "--unsafe-fixes", str(copy), env=env)
    assert second.err.startswith("lint-news: fixed 0 finding(s) in 0 file(s)\n")
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in articles(copy)} == snapshot  # not even rewritten
    assert " [*] " not in second.out

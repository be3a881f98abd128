"""Shared test helpers: the installed command, the shared corpus, temporary articles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, NamedTuple, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
#: The shared corpus and seeds sit beside the checkout (CI has them); tests that need them
#: skip only when they are absent, e.g. on a contributor's machine.
SHARED = ROOT.parent / "shared"


class Run(NamedTuple):
    rc: int
    out: str
    err: str


def lint_news_command() -> List[str]:
    """The installed console script next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "lint-news"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("lint-news")
    if found is None:
        pytest.fail("the lint-news command is not installed; run: pip install '.[test]'")
    return [found]


def run_cli(
    *args: str,
    stdin: Optional[bytes] = None,
    cwd: Optional[Path] = None,
    env: Optional[dict] = None,
    timeout: float = 120,
) -> Run:
    """Run the installed ``lint-news`` and return (exit code, stdout, stderr)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR")}
    full_env.update(env or {})
    proc = subprocess.run(
        lint_news_command() + list(args),
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=str(cwd) if cwd else None,
        env=full_env,
        timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


@pytest.fixture
def cli():
    return run_cli

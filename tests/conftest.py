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


@pytest.fixture(autouse=True, scope="session")
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache's secret key goes to a temporary XDG_CACHE_HOME, never the real home
    (every lint-news the tests start inherits it)."""
    home = tmp_path_factory.mktemp("xdg-cache")
    os.environ["XDG_CACHE_HOME"] = str(home)
    return home


@pytest.fixture
def cli():
    return run_cli


# -- the bundled examples, shared by the command-line tests -----------------------------------

NEWS = EXAMPLES / "_news"
BAD_NAME = "2024-02-28-hedgehog-mowers.md"
CLEAN_NAME = "2024-03-11-robotics-library.md"
BAD = f"_news/{BAD_NAME}"
CLEAN = f"_news/{CLEAN_NAME}"
#: The bad example's findings (README, Usage), without the path.
BAD_FINDINGS = [
    "2:1: S001 missing required field 'title'",
    "3:1: S003 unknown field 'titel'",
    "5:20: D001 '2024-02-30T10:00:00Z' names day 30 of February 2024, which has 29 days",
    "6:14: U002 [*] URL 'https://garden-weekly.example.com/PR Newswire/mowers' has a space at character 37",
    "7:9: U002 [*] URL 'https://garden-weekly.example.com/PR Newswire/mowers' has a space at character 37",
    "11:12: C001 published is true although heat is -1 (not promoted)",
    "14:9: S002 [*] expected string, got boolean 'No'",
    "15:11: U006 provider domain 'https://garden-weekly.example.com/' has a scheme; write the host name alone",
    "19:4: S002 expected string, got an empty value",
    "23:12: S004 0 is below the minimum 1",
    "26:10: X001 secured must be two base64 parts separated by one ';' (found no ';')",
]


def fixable(out: str) -> str:
    """The ``[*] N fixable`` line for the bad example's findings in ``out`` (U006's fix is
    its only unsafe one, so it is not marked)."""
    safe, unsafe = out.count(" [*] "), out.count(" U006 ")
    if not safe and not unsafe:
        return ""
    if not safe:
        return f"[*] {unsafe} fixable with --fix --unsafe-fixes\n"
    more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
    return f"[*] {safe} fixable with --fix{more}\n"


def summary(files: int, flagged: int, errors: int, warnings: int = 0, unreadable: int = 0) -> str:
    """The summary line lint-news prints on stderr."""
    broken = f"; {unreadable} path(s) could not be checked" if unreadable else ""
    counts = f"{flagged} with findings: {errors} error(s), {warnings} warning(s){broken}"
    return f"lint-news: {files} file(s) checked, {counts}\n"


def lint(cwd: Path, *args: str) -> Run:
    """The installed command without the cache, in ``cwd``."""
    return run_cli("--no-cache", *args, cwd=cwd)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of examples/ in a folder of its own; no configuration file above it."""
    shutil.copytree(EXAMPLES, tmp_path / "site")
    return tmp_path / "site"


def require_tool(name: str, why: str) -> str:
    """The path of a program the test needs. Missing: a skip that says why on a developer's
    machine, a failure in CI (``CI=true``), where .ci/run installs it."""
    found = shutil.which(name)
    if found is not None:
        return found
    message = f"'{name}' is not installed: {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (.ci/run installs it; CI must run this test)")
    pytest.skip(message + " (apt-get install jekyll)")

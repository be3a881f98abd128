"""Shared test helpers: the installed command, the shared corpus, temporary articles."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterator, List, NamedTuple, Optional, Sequence, Union

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
#: The shared corpus and seeds sit beside the checkout (CI has them); tests that need them
#: skip only when they are absent, e.g. on a contributor's machine.
SHARED = ROOT.parent / "shared"
#: With --cov, every process the tests start is measured too (pyproject.toml's
#: [tool.coverage.run]); its data must land beside pyproject.toml, not in the folder the
#: process runs in, for the run's end to combine it.
os.environ.setdefault("COVERAGE_FILE", str(ROOT / ".coverage"))

#: Hypothesis's "too slow" health check times the generator by the wall clock, so a loaded
#: machine (two cores shared with other jobs) could fail a property test that proves nothing
#: wrong. Every test's examples stay derandomized and their number fixed; only that timer goes.
settings.register_profile("lint-news", settings.get_profile("default"), suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("lint-news")


def every_article() -> Iterator[Path]:
    """The examples, the fixtures, and the shared corpus and seeds when present: the inputs
    that tests holding two implementations to one answer run over."""
    yield from sorted(EXAMPLES.rglob("*.md"))
    yield from sorted(FIXTURES.rglob("*.md"))
    if SHARED.is_dir():
        yield from sorted((SHARED / "corpus").rglob("*.md"))
        yield from sorted((SHARED / "seeds").glob("*.txt"))


def load_bench_script(name: str) -> ModuleType:
    """``bench/NAME.py`` as a module (the folder is not a package), registered under ``name``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


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


#: Set while a test marked ``in_process`` runs (see ``run_cli``).
_IN_PROCESS = False
#: Variables a CI runner sets that change what lint-news prints; tests start without them.
_UNSET = ("GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR")


def run_cli(
    *args: str,
    stdin: Optional[bytes] = None,
    cwd: Optional[Path] = None,
    env: Optional[dict] = None,
    timeout: float = 120,
) -> Run:
    """Run lint-news with ``args`` and return (exit code, stdout, stderr).

    In a test module marked ``pytestmark = pytest.mark.in_process`` this is ``main(argv)``
    called in the test's own process (``run_main``): no interpreter start, and coverage sees
    it. Everywhere else, and in tests marked ``real_command``, it is the installed
    ``lint-news`` command in a subprocess (``run_command``): the real entry point, and what
    hostile inputs (hangs, crashes, signals, memory) must be run as.
    """
    run = run_main if _IN_PROCESS else run_command
    return run(*args, stdin=stdin, cwd=cwd, env=env, timeout=timeout)


def run_command(
    *args: str,
    stdin: Optional[bytes] = None,
    cwd: Optional[Path] = None,
    env: Optional[dict] = None,
    timeout: float = 120,
) -> Run:
    """Run the installed ``lint-news`` and return (exit code, stdout, stderr)."""
    full_env = {k: v for k, v in os.environ.items() if k not in _UNSET}
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


def run_main(
    *args: str,
    stdin: Optional[bytes] = None,
    cwd: Optional[Path] = None,
    env: Optional[dict] = None,
    timeout: float = 120,
) -> Run:
    """``linter.cli.main(args)`` in this process, given what ``run_command`` gives the
    command: standard input as bytes, the folder, the environment without ``_UNSET``, and
    standard output and error read back as bytes. (``timeout`` is accepted for the same
    call sites; an in-process run that hangs hangs the test, which fails it all the same.)"""
    from linter.cli import main

    saved = sys.stdin, sys.stdout, sys.stderr, os.getcwd(), dict(os.environ)
    out, err = io.BytesIO(), io.BytesIO()
    streams = (
        io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True),
    )
    sys.stdin, sys.stdout, sys.stderr = streams
    for name in _UNSET:
        os.environ.pop(name, None)
    os.environ.update(env or {})
    try:
        if cwd is not None:
            os.chdir(cwd)
        rc = _exit_code(main, list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved[:3]
        os.chdir(saved[3])
        os.environ.clear()
        os.environ.update(saved[4])
        for stream in streams:
            stream.flush()
            stream.detach()  # keeps the BytesIO open for reading
    return Run(rc, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))


def _exit_code(main: Callable[[List[str]], int], argv: List[str]) -> int:
    """``main``'s exit code, or the one of the ``SystemExit`` argparse raises (``--help``, a
    usage error); a message as the code is printed and exits 1, as the interpreter does."""
    try:
        return main(argv)
    except SystemExit as exc:
        code: Union[int, str, None] = exc.code
        if isinstance(code, str):
            print(code, file=sys.stderr)
            return 1
        return 0 if code is None else code


@pytest.fixture(autouse=True)
def _where_the_command_runs(request: pytest.FixtureRequest) -> Iterator[None]:
    """``run_cli`` in-process for tests marked ``in_process`` and not ``real_command``."""
    global _IN_PROCESS
    _IN_PROCESS = bool(request.node.get_closest_marker("in_process")) and not request.node.get_closest_marker(
        "real_command"
    )
    yield
    _IN_PROCESS = False


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
    "3:1: S003 unknown field 'titel'; did you mean 'title'? (required, missing)",
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

#: What the bad example reports besides BAD_FINDINGS when a finding that takes their place is
#: not reported (linter.fold): S003 takes the place of S001, U002 that of S008 on the same
#: URL, S002 that of Y001 on the same value.
SURFACING = [
    "2:1: S001 missing required field 'title'",
    "6:14: S008 'https://garden-weekly.example.com/PR Newswire/mowers' is not a valid uri",
    "7:9: S008 'https://garden-weekly.example.com/PR Newswire/mowers' is not a valid uri",
    "14:9: Y001 [*] warning: 'No' is read as false by YAML 1.1 loaders but as a string by YAML 1.2 ones",
]


def bad_report(path: str, codes: Optional[Sequence[str]] = None) -> str:
    """The bad example's report under ``path``, optionally only some codes (and those of
    SURFACING among them, for a selection without the findings that take their place)."""
    rows = [row for row in BAD_FINDINGS if codes is None or row.split(" ")[1] in codes]
    rows += [row for row in SURFACING if codes is not None and row.split(" ")[1] in codes]
    rows.sort(key=lambda row: tuple(int(part) for part in row.split(":")[:2]))
    return "".join(f"{path}:{row}\n" for row in rows)


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

"""lint-news benchmark (not a timed test).

## Benchmark

`bench/benchmark.py` measures the install a user gets by following the README: it copies this
checkout (tracked and untracked-but-not-ignored files, as they are on disk) into a snapshot,
and installs it with `python -m venv V && V/bin/pip install .` (no `-e`, no extras). The venv
is cached by a hash of the snapshot's files, so a rerun on unchanged sources installs nothing.
check-jsonschema, yamllint and pre-commit go into a separate cached tools venv (they must not
change what the README install resolves). It then generates a synthetic corpus of news
articles (`bench/generate.py`: shapes, sizes and `related` list lengths follow the real files,
about 5 % of the files carry one defect, about 2 % use CRLF) and measures, in one run, each
tool as a separate child process:

    python3 bench/benchmark.py                          # 20,000 files + the 100,000-file memory run
    python3 bench/benchmark.py --files 2000 --skip-big --repeat 1   # quick look
    python3 bench/benchmark.py --repeat 9 --out BENCHMARKS.md       # record results

Options:

- `--files N`: main corpus size (default 20000); `--big N`: memory-run size (default 100000);
  `--skip-big` skips that run; `--cjs-files N`: check-jsonschema runs on the first N files of
  the main corpus (default 3000; it checks ~70 files/s, so the whole corpus would take minutes;
  the throughput is compared per file).
- `--jobs N`: the N of `--jobs N` (default: CPU count; `--jobs 2` is always measured too).
- `--repeat R`: median of R runs per measurement (use 9 for recorded results); the parse
  floor and the lint-news runs it is compared with take turns, round by round (the order
  turning each round), and a ratio between two of them is the median of their ratios within
  each round, so that a slow spell on a shared machine hits both sides of it; every round's
  time is listed; check-jsonschema runs once;
  `--one-file-runs K`: one-file runs per tool, taking turns (median; default 15), also used
  for the pre-commit runs (a pre-commit target divides two differences of 0.1-0.2 s: with
  7 runs its value moved by a tenth from one run to the next).
- `--skip-yamllint`: no corpus-wide yamllint run (slow; the one-file runs stay);
  `--skip-precommit`: no pre-commit runs.
- `--lint-cmd CMD`: benchmark this command instead of the README install (no venv is built;
  the parse floor then runs on this Python); `--tools-from-path`: take check-jsonschema,
  yamllint and pre-commit from PATH instead of the tools venv (each skipped when absent);
  `--schema PATH` for check-jsonschema (default `schema/news-article.schema.json`);
  `--real DIR` (default `../shared/corpus/real`, skipped if absent); `--seed S`.
- `--cache-root DIR`: venvs, snapshots and generated corpora are cached there (default
  `$TMPDIR/lint-news-bench`).
- `--out FILE` also writes the Markdown report: into the `## Latest run` section of FILE when
  it has one (the rest of the file is kept), else as the whole file. `--check` exits 1 when a
  target is not met.

What is measured: each command runs under a tiny wrapper (`python -S`, ~8 MB) that spawns it
and reports, from `os.wait4`, its wall time (`time.perf_counter` around spawn + wait) and its
peak RSS. That RSS is the largest single process in the command's tree (Linux reports the
maximum over the child and its waited-for descendants), so for `--jobs N` it is the biggest
worker or parent, not the sum; a command can never show less than the wrapper's ~8 MB.
The *parse floor* is a Python child (the install's interpreter) that reads every file, splits
off the frontmatter and runs `yaml.compose(..., Loader=yaml.CSafeLoader)`. check-jsonschema
and yamllint run on the frontmatter extracted to `.yaml` files (check-jsonschema once per
command-line-sized batch; times are summed, the peak is the largest batch). Before timing, the
corpus is read once so every tool sees a warm OS page cache; "cold" means no lint-news cache.
pyenv shims are resolved to the real executables so that shim start-up is not timed. Every
command runs in the cache root, a folder without configuration files (this checkout's
pyproject.toml would otherwise be read by every lint-news run).

The pre-commit rows run `pre-commit run HOOK --files FILE` in a temporary git repository whose
`.pre-commit-config.yaml` names the snapshot as `repo:` (pre-commit clones it and installs the
hook in its own environment, without extras, as every pre-commit user gets it), beside a local
yamllint hook (`language: python`, the tools venv's yamllint version) and a no-op hook
(`language: system`, `entry: "true"`: pre-commit's own cost). The hook environments are built
once, untimed, and cached with the venv.

Exit code 2 of lint-news, or a Python traceback from any tool, marks that row FAILED and the
benchmark exits 2. Expect about 8 minutes for `--repeat 9 --skip-yamllint` on 2 CPUs with the corpora cached;
the first run also builds the venvs (about a minute) and generates the 100,000-file corpus
(about 1.5 minutes).

Last come two hostile articles from issue #10 (8,000 `secured` list items with 8,000 findings;
100,000 suppression comments with 20,000 findings), each required to finish within a
generous 20 s: they once took quadratic time (87 s and over 60 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OK_CODES = (0, 1)  # lint-news: 1 = findings (expected with defects); 2 = failure
#: The comparison tools, installed into their own cached venv.
TOOLS = ("check-jsonschema", "yamllint", "pre-commit")
BIN = "Scripts" if os.name == "nt" else "bin"

#: The parse floor, run as `python -c FLOOR_SRC PATH...`: read, split, C compose.
FLOOR_SRC = r"""
import os, re, sys, yaml
CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
def paths(p):
    if os.path.isfile(p):
        yield p
        return
    for root, dirs, files in os.walk(p):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".md"):
                yield os.path.join(root, f)
n = bad = 0
for arg in sys.argv[1:]:
    for path in paths(arg):
        n += 1
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            text = data.decode("utf-8-sig")
            start = text.index("\n") + 1
            m = CLOSE.search(text, start)
            yaml.compose(text[start:m.start()] if m else text[start:], Loader=yaml.CSafeLoader)
        except (UnicodeDecodeError, ValueError, yaml.YAMLError):
            bad += 1
print(n, bad)
"""


@dataclass
class Result:
    """One measurement: a row of the report."""

    name: str
    group: str  # rows are compared with the parse floor of the same group
    files: int
    wall: float = 0.0
    peak_mb: float = 0.0
    note: str = ""
    failed: bool = False
    rounds: List[float] = field(default_factory=list)  # wall time per round, when interleaved

    @property
    def fps(self) -> float:
        return self.files / self.wall if self.wall > 0 else 0.0


# ---------------------------------------------------------------------------------------------
# Running children
# ---------------------------------------------------------------------------------------------
def maxrss_mb(ru_maxrss: int) -> float:
    return ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


#: Tiny measuring wrapper, run as `python -S -c WRAPPER_SRC CMD...`: spawns CMD (stdin and
#: stdout to /dev/null), prints "wall_seconds ru_maxrss exit_code" of that child (os.wait4).
#: A separate small process, because a spawned child's peak RSS starts at its spawner's RSS.
WRAPPER_SRC = r"""
import os, sys, time
fa = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
      (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
t0 = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=fa)
_, status, ru = os.wait4(pid, 0)
print(time.perf_counter() - t0, ru.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


@dataclass
class Cmd:
    """A command line, with the folder and environment it runs in (None: the benchmark's)."""

    argv: List[str]
    cwd: Optional[Path] = None
    env: Optional[Dict[str, str]] = None


def run_child(cmd: Cmd) -> Tuple[float, float, int, str]:
    """Run cmd; return (wall seconds, peak RSS MB of its process tree, exit code, stderr tail).

    A Python traceback on stderr counts as a crash (exit code 255) even if the exit code is 1.
    """
    wrapper = [sys.executable, "-S", "-c", WRAPPER_SRC, *cmd.argv]
    with tempfile.TemporaryFile() as err:
        out = subprocess.run(
            wrapper,
            cwd=cmd.cwd,
            env=cmd.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            check=False,
        )
        err.seek(0)
        stderr = err.read()
    tail = stderr[-2000:].decode("utf-8", "replace")
    try:
        wall, rss, rc = out.stdout.split()
    except ValueError:
        return 0.0, 0.0, 255, tail or f"wrapper failed (exit {out.returncode})"
    crashed = b"Traceback (most recent call last):" in stderr
    return float(wall), maxrss_mb(int(rss)), 255 if crashed else int(rc), tail


def measure(
    name: str,
    group: str,
    files: int,
    cmds: Sequence[Cmd],
    repeat: int = 1,
    ok: Sequence[int] = OK_CODES,
    quiet: bool = False,
) -> Result:
    """Run a list of commands (batches of one job) `repeat` times; keep the median total."""
    runs: List[Tuple[float, float]] = []
    for _ in range(repeat):
        wall = peak = 0.0
        for cmd in cmds:
            w, p, rc, tail = run_child(cmd)
            if rc not in ok:
                print(f"!! {name}: exit {rc}: {shlex.join(cmd.argv)[:200]}\n{tail}", file=sys.stderr)
                return Result(name, group, files, note=f"FAILED (exit {rc})", failed=True)
            wall, peak = wall + w, max(peak, p)
        runs.append((wall, peak))
    runs.sort()
    wall, peak = runs[len(runs) // 2]
    res = Result(name, group, files, wall, peak)
    if not quiet:
        print(f"  {name}: {wall:.2f} s, {res.fps:,.0f} files/s, {peak:.1f} MB", file=sys.stderr)
    return res


def median_one(specs: Sequence[Tuple[str, Cmd]], runs: int, group: str = "one") -> List[Result]:
    """Median wall time of `runs` one-file runs (pre-commit's case) per command, after one
    warm-up round; the commands take turns, so a slow spell hits all of them alike."""
    rounds = [
        [measure(name, group, 1, [cmd], 1, ok=(0, 1), quiet=True) for name, cmd in specs] for _ in range(runs + 1)
    ]
    out = []
    for index, (name, _) in enumerate(specs):
        results = [r[index] for r in rounds[1:]]
        failed = [r for r in results if r.failed]
        if failed:
            out.append(failed[0])
            continue
        wall = statistics.median(r.wall for r in results)
        res = Result(name, group, 1, wall, max(r.peak_mb for r in results), note=f"median of {runs}")
        res.rounds = [r.wall for r in results]
        print(f"  {name}: median {res.wall:.3f} s, {res.peak_mb:.1f} MB", file=sys.stderr)
        out.append(res)
    return out


def resolve(exe: str) -> Optional[str]:
    """Full path of an executable, looking through pyenv shims (their start-up is not timed)."""
    path = shutil.which(exe)
    if path and "/shims/" in path and shutil.which("pyenv"):
        out = subprocess.run(["pyenv", "which", exe], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    return path


def lint_command(spec: str) -> List[str]:
    cmd = shlex.split(spec)
    found = resolve(cmd[0])
    cmd[0] = os.path.abspath(found) if found else cmd[0]  # the tools run in another folder
    return cmd


def tool_version(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return "?"
    return (out.stdout or out.stderr).strip().splitlines()[0] if out.returncode == 0 else "?"


def clean_environ(**extra: str) -> Dict[str, str]:
    """This process's environment without git's and pre-commit's variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(extra)
    return env


def git(cwd: Path, *args: str) -> str:
    ident = [
        "-c",
        "user.name=lint-news bench",
        "-c",
        "user.email=bench@lint-news.invalid",
        "-c",
        "commit.gpgsign=false",
    ]
    out = subprocess.run(["git", *ident, *args], cwd=cwd, env=clean_environ(), capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed in {cwd}: {out.stderr.strip()}")
    return out.stdout.strip()


# ---------------------------------------------------------------------------------------------
# Installs: the README's `pip install .` of this checkout, and the comparison tools
# ---------------------------------------------------------------------------------------------
@dataclass
class Install:
    """The README install of a snapshot of this checkout."""

    source: Path  # the snapshot: a git repository with one commit
    key: str  # hash of the snapshot's files
    rev: str  # its commit
    venv: Optional[Path]  # None when --lint-cmd names another command
    command: str  # how it was installed, for the report


def source_files() -> List[str]:
    """Tracked and untracked-but-not-ignored files of this checkout, as they are on disk."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        env=clean_environ(),
        capture_output=True,
        check=True,
    )
    names = sorted({name for name in out.stdout.decode("utf-8", "surrogateescape").split("\0") if name})
    return [name for name in names if (REPO / name).is_file()]


def snapshot(cache_root: Path) -> Tuple[Path, str, str]:
    """This checkout copied into a one-commit git repository named by a hash of its files
    (pre-commit clones a `repo:` at a commit, so uncommitted changes need one);
    (folder, hash, commit)."""
    names = source_files()
    digest = hashlib.sha256()
    for name in names:
        data = (REPO / name).read_bytes()
        digest.update(f"{len(name)}:{name}:{len(data)}:".encode("utf-8", "surrogateescape") + data)
    key = digest.hexdigest()[:16]
    target = cache_root / f"src-{key}"
    if not target.is_dir():
        tmp = Path(tempfile.mkdtemp(prefix="src-", dir=cache_root))
        for name in names:
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, tmp / name)
        git(tmp, "init", "-q")
        git(tmp, "add", "-A", "-f", ".")
        git(tmp, "commit", "-q", "-m", f"lint-news benchmark snapshot {key}")
        tmp.rename(target)
    return target, key, git(target, "rev-parse", "HEAD")


def readme_install(cache_root: Path) -> Install:
    """`python -m venv V && V/bin/pip install .` of the snapshot, cached by its hash."""
    source, key, rev = snapshot(cache_root)
    venv = cache_root / f"venv-{key}"
    command = f"python3 -m venv V && V/{BIN}/pip install -q . (in a snapshot of this checkout, source hash {key})"
    if not (venv / ".complete").exists():
        print(f"installing the snapshot {key} into {venv} (pip install .) ...", file=sys.stderr)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / BIN / "pip"), "install", "-q", "."], cwd=source, env=clean_environ(), check=True)
        (venv / ".complete").touch()
    return Install(source, key, rev, venv, command)


def tools_venv(cache_root: Path) -> Path:
    """check-jsonschema, yamllint and pre-commit in their own venv, cached (latest releases
    when first built; their versions are in the report)."""
    key = hashlib.sha256(f"{TOOLS} {sys.version}".encode()).hexdigest()[:12]
    venv = cache_root / f"tools-{key}"
    if not (venv / ".complete").exists():
        print(f"installing {', '.join(TOOLS)} into {venv} ...", file=sys.stderr)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / BIN / "pip"), "install", "-q", *TOOLS], env=clean_environ(), check=True)
        (venv / ".complete").touch()
    return venv


#: Run by the install's Python: what the install resolved to.
INFO_SRC = r"""
import importlib.metadata as md
import yaml
def version(name):
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return "absent"
try:
    import linter.parse._blockreader
    reader = "compiled"
except ImportError:
    reader = "Python twin (not compiled)"
print(f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}); jsonschema {version('jsonschema')}; "
      f"jsonschema-rs {version('jsonschema-rs')}; block reader: {reader}")
"""


def install_info(python: str, cwd: Path) -> str:
    out = subprocess.run([python, "-c", INFO_SRC], cwd=cwd, capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else f"? ({out.stderr.strip()[-200:]})"


# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------
def corpus(cache_root: Path, n: int, seed: int) -> Path:
    """A generated corpus of n files, cached by size, seed and generator version."""
    target = cache_root / f"corpus-v{generate.GENERATOR_VERSION}-n{n}-s{seed}"
    if (target / ".complete").exists():
        return target
    print(f"generating {n:,} files into {target} ...", file=sys.stderr)
    shutil.rmtree(target, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix="gen-", dir=cache_root))
    generate.generate(tmp, n, seed)
    tmp.rename(target)
    (target / ".complete").touch()
    return target


def md_files(root: Path) -> List[Path]:
    return sorted(root.rglob("*.md"))


def frontmatter_bytes(data: bytes) -> bytes:
    """The frontmatter block of a file, without its delimiters (whole rest if unclosed).

    Invalid UTF-8 is replaced by U+FFFD: yamllint crashes on it (the file still counts).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    start = data.find(b"\n") + 1
    m = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.M).search(data, start)
    block = data[start : m.start()] if m else data[start:]
    return block.decode("utf-8", "replace").encode("utf-8")


def extract_yaml(src: Path) -> Tuple[Path, List[str]]:
    """Frontmatter of every file under src as NNNNNN.yaml files; (dir, relative names)."""
    out = src / "frontmatter-yaml"
    files = md_files(src / "_news")
    names = [f"{i:06d}.yaml" for i in range(len(files))]
    if not (out / ".complete").exists():
        out.mkdir(exist_ok=True)
        for name, path in zip(names, files):
            (out / name).write_bytes(frontmatter_bytes(path.read_bytes()))
        (out / ".complete").touch()
    return out, names


def clean_file(src: Path) -> Tuple[Path, int]:
    """A typical defect-free, LF, no-BOM file with related items, and its index."""
    defective = {line.split("\t")[0] for line in (src / "MANIFEST.tsv").read_text().splitlines()}
    files = md_files(src / "_news")
    for i, path in enumerate(files):
        data = path.read_bytes()
        if (
            f"_news/{path.name}" not in defective
            and b"\r" not in data
            and b"related:" in data
            and 3000 < len(data) < 6000
        ):
            return path, i
    return files[0], 0


def warm_page_cache(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            path.read_bytes()


def batches(args: Sequence[str], fixed: Sequence[str]) -> Iterator[List[str]]:
    """Split args into command lines that fit the OS limit (like xargs)."""
    limit = min(os.sysconf("SC_ARG_MAX") if hasattr(os, "sysconf") else 131072, 2**21) // 2
    limit -= sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    base = sum(len(a) + 1 for a in fixed)
    size, cur = base, []  # type: int, List[str]
    for a in args:
        if cur and size + len(a) + 1 > limit:
            yield [*fixed, *cur]
            size, cur = base, []
        cur.append(a)
        size += len(a) + 1
    if cur:
        yield [*fixed, *cur]


# ---------------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------------
@dataclass
class Env:
    lint: List[str]
    python: str  # the install's interpreter: runs the parse floor
    cjs: Optional[List[str]]  # check-jsonschema --schemafile SCHEMA, or None
    yamllint: Optional[List[str]]
    precommit: Optional[str]
    jobs: int
    repeat: int
    one_runs: int
    cjs_files: int

    @property
    def floor(self) -> List[str]:
        return [self.python, "-c", FLOOR_SRC]


def make_env(a: argparse.Namespace, install: Install, tools: Optional[Path]) -> Env:
    def tool(name: str) -> Optional[str]:
        if tools is None:
            return resolve(name)
        path = tools / BIN / name
        return str(path) if path.exists() else None

    cjs_exe, yl_exe, pc_exe = tool("check-jsonschema"), tool("yamllint"), tool("pre-commit")
    schema = Path(a.schema)
    if cjs_exe and not schema.exists():
        print(f"note: schema {schema} missing; check-jsonschema skipped", file=sys.stderr)
        cjs_exe = None
    venv = install.venv
    return Env(
        lint=lint_command(a.lint_cmd) if venv is None else [str(venv / BIN / "lint-news")],
        python=sys.executable if venv is None else str(venv / BIN / "python"),
        cjs=[cjs_exe, "--schemafile", str(schema.resolve())] if cjs_exe else None,
        yamllint=[yl_exe, "-f", "parsable"] if yl_exe else None,
        precommit=None if a.skip_precommit else pc_exe,
        jobs=a.jobs,
        repeat=a.repeat,
        one_runs=a.one_file_runs,
        cjs_files=a.cjs_files,
    )


def main_runs(env: Env, src: Path, n: int) -> List[Result]:
    news = str(src / "_news")
    lint = env.lint
    specs = [
        ("parse floor (read + C compose)", [Cmd([*env.floor, news])]),
        ("lint-news --jobs 1", [Cmd([*lint, "--no-cache", "--jobs", "1", "--quiet", news])]),
    ]
    for jobs in sorted({2, env.jobs}) if env.jobs >= 2 else []:
        specs.append((f"lint-news --jobs {jobs}", [Cmd([*lint, "--no-cache", "--jobs", str(jobs), "--quiet", news])]))
    return interleaved(specs, "main", n, env.repeat) + warm_runs(env, news, n)


def interleaved(specs: Sequence[Tuple[str, Sequence[Cmd]]], group: str, n: int, repeat: int) -> List[Result]:
    """Each command once per round, ``repeat`` rounds, median per command: on a shared
    machine a slow spell then hits every command of a ratio alike, not one of them. The
    order turns round by round, so no command always runs first."""
    rounds: List[Dict[str, Result]] = []
    for number in range(repeat):
        turn = number % len(specs)
        order = [*specs[turn:], *specs[:turn]]
        rounds.append({name: measure(name, group, n, cmds, quiet=True) for name, cmds in order})
    out = []
    for name, _ in specs:
        runs = [r[name] for r in rounds]
        failed = [r for r in runs if r.failed]
        res = failed[0] if failed else sorted(runs, key=lambda r: r.wall)[len(runs) // 2]
        if not res.failed:
            res.rounds = [r.wall for r in runs]
            res.note = "rounds: " + ", ".join(f"{w:.2f}" for w in res.rounds) if repeat > 1 else ""
            print(f"  {name}: {res.wall:.2f} s, {res.fps:,.0f} files/s, {res.peak_mb:.1f} MB", file=sys.stderr)
        out.append(res)
    return out


def warm_runs(env: Env, news: str, n: int) -> List[Result]:
    walls: List[Tuple[Result, Result]] = []
    for _ in range(env.repeat):
        cache = tempfile.mkdtemp(prefix="lint-news-cache-")
        try:
            cmd = Cmd([*env.lint, "--cache-dir", cache, "--jobs", "1", "--quiet", news])
            walls.append(
                (
                    measure("lint-news cache cold (fills cache)", "main", n, [cmd]),
                    measure("lint-news cache warm (nothing changed)", "main", n, [cmd]),
                )
            )
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    walls.sort(key=lambda p: p[1].wall)
    return list(walls[len(walls) // 2])


def cross_file_runs(env: Env, src: Path, n: int) -> List[Result]:
    """The archive index (A001, #13), group "index": one new article (a copy of one of the
    archive, so A001 reports it) checked alone, as pre-commit passes it, against the
    archive of ``n`` files: first with a cold index (every file of the archive read once),
    then, with the index warm, after each edit of that article (median); and the same
    article checked in a folder of its own, the plain one-file run those are compared with."""
    news = src / "_news"
    changed = news / "2099-12-31-bench-changed.md"
    alone = Path(tempfile.mkdtemp(prefix="lint-news-alone-"))
    cache = tempfile.mkdtemp(prefix="lint-news-index-")
    try:
        original = next(p for p in sorted(news.iterdir()) if p.suffix == ".md")
        changed.write_bytes(original.read_bytes())
        (alone / changed.name).write_bytes(changed.read_bytes())
        command = [*env.lint, "--cache-dir", cache, "--quiet"]
        cold = measure(f"index cold: 1 changed file, archive of {n:,}", "index", n, [Cmd([*command, str(changed)])])
        rounds = []
        for number in range(env.one_runs + 1):
            with changed.open("ab") as handle:  # a new signature and new bytes: a cache miss too
                handle.write(b"\n")
            warm = measure("warm", "index", 1, [Cmd([*command, str(changed)])], ok=(0, 1), quiet=True)
            plain = measure("plain", "index", 1, [Cmd([*command, str(alone / changed.name)])], ok=(0, 1), quiet=True)
            with (alone / changed.name).open("ab") as handle:
                handle.write(b"\n")
            if number:  # the first round warms up
                rounds.append((warm, plain))
        return [cold, *_median_pair(rounds, n)]
    finally:
        changed.unlink(missing_ok=True)
        shutil.rmtree(alone, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


def _median_pair(rounds: List[Tuple[Result, Result]], n: int) -> List[Result]:
    out = []
    for index, name in enumerate((f"index warm: 1 changed file, archive of {n:,}", "index: the same file alone")):
        runs = [pair[index] for pair in rounds]
        failed = [r for r in runs if r.failed]
        if failed:
            out.append(failed[0])
            continue
        res = Result(name, "index", 1, statistics.median(r.wall for r in runs), max(r.peak_mb for r in runs))
        res.rounds, res.note = [r.wall for r in runs], f"median of {len(runs)}"
        print(f"  {name}: median {res.wall:.3f} s, {res.peak_mb:.1f} MB", file=sys.stderr)
        out.append(res)
    return out


def index_memory_run(env: Env, src: Path, n: int) -> List[Result]:
    """The index at ``n`` files: a warm one-file run in an archive of ``n`` (its peak memory
    is mostly the index's), and the index file's size in the note."""
    news = src / "_news"
    changed = news / "2099-12-31-bench-changed.md"
    cache = tempfile.mkdtemp(prefix="lint-news-index-")
    try:
        changed.write_bytes(next(p for p in sorted(news.iterdir()) if p.suffix == ".md").read_bytes())
        command = Cmd([*env.lint, "--cache-dir", cache, "--quiet", str(changed)])
        measure("index cold (untimed)", "index", n, [command], quiet=True)
        with changed.open("ab") as handle:
            handle.write(b"\n")
        res = measure(f"index warm: 1 changed file, archive of {n:,}", "index", 1, [command])
        size = sum(p.stat().st_size for p in Path(cache).glob("archive-v*/**/*") if p.is_file())
        res.note = f"index file {size / 1e6:.1f} MB"
        return [res]
    finally:
        changed.unlink(missing_ok=True)
        shutil.rmtree(cache, ignore_errors=True)


def other_tools(env: Env, src: Path, n: int, skip_yamllint: bool) -> List[Result]:
    ydir, names = extract_yaml(src)
    out = []
    if env.cjs:
        part = names[: env.cjs_files] if env.cjs_files > 0 else names
        cmds = [Cmd(argv, ydir) for argv in batches(part, env.cjs)]
        # Once: it is slow, and at its pace a slow spell moves no ratio much.
        res = measure("check-jsonschema (extracted YAML)", "main", len(part), cmds, 1)
        res.note = f"first {len(part):,} files, {len(cmds)} batch(es), one run"
        out.append(res)
    if env.yamllint and not skip_yamllint:
        out.append(
            measure("yamllint (extracted YAML, reference)", "main", n, [Cmd([*env.yamllint, "."], ydir)], env.repeat)
        )
    return out


def one_file_runs(env: Env, src: Path) -> List[Result]:
    """One valid article, as a pre-commit run on a small site sees it: alone in its ``_news``
    folder (in the corpus's, the check across files would read its 20,000 neighbours on
    every ``--no-cache`` run: the index rows measure that)."""
    found, i = clean_file(src)
    path = src / "alone" / "_news" / found.name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(found, path)
    ydir, names = extract_yaml(src)
    yfile = str(ydir / names[i])
    specs: List[Tuple[str, Cmd]] = [
        ("one file: parse floor", Cmd([*env.floor, str(path)])),
        ("one file: lint-news", Cmd([*env.lint, "--no-cache", str(path)])),
    ]
    if env.yamllint:
        specs.append(("one file: yamllint", Cmd([*env.yamllint, yfile])))
    if env.cjs:
        specs.append(("one file: check-jsonschema", Cmd([*env.cjs, yfile])))
    return median_one(specs, env.one_runs)


PRECOMMIT_CONFIG = """\
repos:
  - repo: {source}
    rev: {rev}
    hooks:
      - id: lint-news
        # every run lints the file, as the plain one-file run does (a commit of a changed
        # article is a cache miss anyway)
        args: ["--no-cache"]
  - repo: local
    hooks:
      - id: yamllint
        name: yamllint
        entry: yamllint -f parsable
        language: python
        additional_dependencies: ["yamllint=={yamllint}"]
        files: \\.yaml$
      - id: noop
        name: no-op (pre-commit's own cost)
        entry: "true"
        language: system
"""


def precommit_site(env: Env, install: Install, src: Path, cache_root: Path) -> Tuple[Path, Dict[str, str], str]:
    """A git repository with one clean article and its frontmatter as YAML, configured with
    the hooks above; their environments are built here, untimed (cached with the venv).
    Returns (repository, environment for pre-commit, article's relative path)."""
    assert env.precommit is not None and env.yamllint is not None
    site = cache_root / f"precommit-{install.key}"
    repo, home = site / "repo", site / "home"
    path, i = clean_file(src)
    ydir, names = extract_yaml(src)
    article = f"_news/{path.name}"
    environ = clean_environ(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    if not (site / ".complete").exists():
        print(f"building the pre-commit hook environments in {site} ...", file=sys.stderr)
        shutil.rmtree(site, ignore_errors=True)
        (repo / "_news").mkdir(parents=True)
        shutil.copyfile(path, repo / article)
        shutil.copyfile(ydir / names[i], repo / "frontmatter.yaml")
        version = tool_version(env.yamllint[:1]).split()[-1]
        config = PRECOMMIT_CONFIG.format(source=install.source, rev=install.rev, yamllint=version)
        (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "one article")
        subprocess.run([env.precommit, "install-hooks"], cwd=repo, env=environ, stdout=sys.stderr, check=True)
        (site / ".complete").touch()
    return repo, environ, article


def precommit_runs(env: Env, install: Install, src: Path, cache_root: Path) -> List[Result]:
    """`pre-commit run HOOK --files FILE` for the lint-news hook (the snapshot, installed by
    pre-commit), a yamllint hook and a no-op hook, taking turns."""
    if env.precommit is None or env.yamllint is None:
        print("note: pre-commit or yamllint absent (or --skip-precommit); pre-commit runs skipped", file=sys.stderr)
        return []
    repo, environ, article = precommit_site(env, install, src, cache_root)

    def run(hook: str, path: str) -> Cmd:
        return Cmd([env.precommit or "pre-commit", "run", hook, "--files", path], repo, environ)

    specs = [
        ("pre-commit, one file: lint-news hook", run("lint-news", article)),
        ("pre-commit, one file: yamllint hook", run("yamllint", "frontmatter.yaml")),
        ("pre-commit, one file: no-op hook", run("noop", article)),
    ]
    return median_one(specs, env.one_runs, group="precommit")


def real_runs(env: Env, real: Path) -> List[Result]:
    if not real.is_dir():
        print(f"note: {real} absent; real-corpus run skipped", file=sys.stderr)
        return []
    n = len(md_files(real))
    warm_page_cache(real)
    return [
        measure("real corpus: parse floor", "real", n, [Cmd([*env.floor, str(real)])], env.repeat),
        measure(
            "real corpus: lint-news --jobs 1",
            "real",
            n,
            [Cmd([*env.lint, "--no-cache", "--jobs", "1", "--quiet", str(real)])],
            env.repeat,
        ),
    ]


#: The two inputs of issue #10 that once took quadratic time: every step per finding must
#: stay near-linear (87 s and over 60 s before; the target is a generous bound).
HOSTILE_ARTICLE = """---
category: news
title: "Harbour library lends robot arms"
excerpt: "Soldering kits for everyone."
publishedDateTime: 2024-03-11T08:30:00Z
webUrl: "https://www.harbour-times.example.com/robots/"
originalUrl: "https://www.harbour-times.example.com/robots/"
type: article
provider:
  name: Harbour Times
  domain: harbour-times.example.com
{comments}
topics:
{topics}
{secured}
---
"""
HOSTILE_SECONDS = 20.0


def hostile_articles(folder: Path) -> List[Tuple[str, Path]]:
    import base64
    import hashlib

    def envelope(i: int) -> str:
        digest = hashlib.sha512(str(i).encode()).digest()
        return base64.b64encode(digest[:48]).decode() + ";" + base64.b64encode(digest[48:]).decode()

    secrets = HOSTILE_ARTICLE.format(
        comments="",
        topics="\n".join(f'  - " t{i}"' for i in range(8000)),
        secured="secured:\n" + "\n".join(f'  - "{envelope(i)}"' for i in range(8000)),
    )
    suppressions = HOSTILE_ARTICLE.format(
        comments="\n".join(f"# lint-news: ignore-file[X00{i % 10}, U]" for i in range(100_000)),
        topics="\n".join(f'  - " t{i}"' + ("  # lint-news: ignore[T001]" if i % 2 else "") for i in range(20_000)),
        secured=f'secured: "{envelope(-1)}"',
    )
    made = []
    for name, text in (
        ("8,000 secured items + 8,000 findings", secrets),
        ("100,000 suppressions + 20,000 findings", suppressions),
    ):
        path = folder / f"hostile-{len(made)}.md"
        path.write_text(text, encoding="utf-8")
        made.append((name, path))
    return made


def hostile_runs(env: Env, folder: Path) -> List[Result]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        measure(
            f"hostile: {name}", "hostile", 1, [Cmd([*env.lint, "--no-cache", "--isolated", "--quiet", str(path)])], 1
        )
        for name, path in hostile_articles(folder)
    ]


def big_run(env: Env, src: Path, n: int) -> Result:
    warm_page_cache(src / "_news")
    cmd = Cmd([*env.lint, "--no-cache", "--jobs", "1", "--quiet", str(src / "_news")])
    return measure("big corpus: lint-news --jobs 1", "big", n, [cmd], 1)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
def floor_fps(results: Sequence[Result], group: str) -> float:
    base = {"big": "main", "index": "main", "precommit": "one"}.get(group, group)
    return next((r.fps for r in results if r.group == base and "parse floor" in r.name and not r.failed), 0.0)


def results_table(results: Sequence[Result]) -> List[str]:
    rows = [
        "| measurement | files | wall s | files/s | peak MB | vs parse floor | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        fl = floor_fps(results, r.group)
        ratio = f"{r.fps / fl:.2f}x" if fl and not r.failed else "-"
        wall = "-" if r.failed else f"{r.wall:.3f}"
        rows.append(f"| {r.name} | {r.files:,} | {wall} | {r.fps:,.0f} | {r.peak_mb:.1f} | {ratio} | {r.note} |")
    return rows


def find(results: Sequence[Result], name: str) -> Optional[Result]:
    return next((r for r in results if r.name == name and not r.failed), None)


def ratio(a: Optional[Result], b: Optional[Result], by_fps: bool = True) -> Optional[float]:
    """a's throughput over b's (or a's wall time over b's). For two commands that took turns
    (interleaved), the median of the ratios within each round: the runs of one round saw the
    same machine, so a slow spell cancels out instead of landing on one side of the ratio."""
    if not a or not b or a.wall <= 0 or b.wall <= 0:
        return None
    if a.files == b.files and len(a.rounds) == len(b.rounds) > 1:
        per_round = [(wb / wa if by_fps else wa / wb) for wa, wb in zip(a.rounds, b.rounds)]
        return statistics.median(per_round)
    return a.fps / b.fps if by_fps else a.wall / b.wall


def net_ratio(a: Optional[Result], b: Optional[Result], base: Optional[Result]) -> Optional[float]:
    """(a - base) / (b - base) of median wall times: what two hooks cost beyond pre-commit's
    own run of a hook that does nothing."""
    if not a or not b or not base or b.wall <= base.wall:
        return None
    return (a.wall - base.wall) / (b.wall - base.wall)


@dataclass
class Target:
    """A row of the targets table. ``limit`` None: information only; ``aim``: reported as
    met or not, but never fails ``--check``."""

    label: str
    value: Optional[float]
    fmt: str
    op: str = ">="
    limit: Optional[float] = None
    aim: bool = False

    @property
    def met(self) -> Optional[bool]:
        if self.value is None or self.limit is None:
            return None
        compare = {">=": float.__ge__, "<=": float.__le__, "<": float.__lt__}[self.op]
        return bool(compare(float(self.value), float(self.limit)))

    def row(self) -> str:
        need = "(info)" if self.limit is None else f"{self.op} {self.fmt.format(self.limit)}"
        need += " (aim)" if self.aim else ""
        if self.value is None:
            return f"| {self.label} | {need} | n/a | not measured |"
        status = "(info)" if self.met is None else ("MET" if self.met else "not yet" if self.aim else "NOT MET")
        return f"| {self.label} | {need} | {self.fmt.format(self.value)} | {status} |"


def targets(results: Sequence[Result]) -> List[Target]:
    def g(name: str) -> Optional[Result]:
        return find(results, name)

    one, floor = g("lint-news --jobs 1"), g("parse floor (read + C compose)")
    cjs = g("check-jsonschema (extracted YAML)")
    default_jobs = max((r for r in results if r.group == "main" and r.name.startswith("lint-news --jobs")),
                       key=lambda r: int(r.name.split()[-1]), default=None)  # fmt: skip
    big = next((r for r in results if r.group == "big" and not r.failed), None)
    hook, yamllint_hook, noop = (g(f"pre-commit, one file: {name} hook") for name in ("lint-news", "yamllint", "no-op"))
    rows = [
        Target("one process vs parse floor (cold, no cache)", ratio(one, floor), "{:.2f}x", ">=", 1.0),
        Target("one process vs parse floor", ratio(one, floor), "{:.2f}x", ">=", 1.2, aim=True),
        Target("--jobs 2 vs one process", ratio(g("lint-news --jobs 2"), one), "{:.2f}x", ">=", 1.85),
        Target("one process vs check-jsonschema", ratio(one, cjs), "{:.1f}x", ">=", 30),
        Target("lint-news (default --jobs) vs check-jsonschema", ratio(default_jobs, cjs), "{:.1f}x"),
        Target(
            "warm cache vs cold, nothing changed",
            ratio(g("lint-news cache cold (fills cache)"), g("lint-news cache warm (nothing changed)"), False),
            "{:.1f}x",
            ">=",
            15,
        ),
        Target(
            "one valid file: lint-news / yamllint wall",
            ratio(g("one file: lint-news"), g("one file: yamllint"), False),
            "{:.2f}",
            "<=",
            0.75,
        ),
        Target(
            "pre-commit, one valid file: lint-news hook / yamllint hook, beyond the no-op hook",
            net_ratio(hook, yamllint_hook, noop),
            "{:.2f}",
            "<=",
            0.75,
        ),
        Target(
            "pre-commit, one valid file: lint-news hook / yamllint hook, whole run",
            ratio(hook, yamllint_hook, False),
            "{:.2f}",
        ),
        Target(
            "one file: lint-news / check-jsonschema wall",
            ratio(g("one file: lint-news"), g("one file: check-jsonschema"), False),
            "{:.2f}",
        ),
        Target(
            f"peak memory at {big.files:,} files" if big else "peak memory at the --big size",
            big.peak_mb if big else None,
            "{:.1f} MB",
            "<",
            60,
        ),
    ]
    rows += [
        Target(row.name, row.wall, "{:.1f} s", "<", HOSTILE_SECONDS)
        for row in results
        if row.group == "hostile" and not row.failed
    ]
    if big and one:
        rows.append(Target(f"peak memory growth {one.files:,} -> {big.files:,} files", big.peak_mb - one.peak_mb,
                           "{:+.1f} MB"))  # fmt: skip
    return rows + cross_file_targets(results)


def cross_file_targets(results: Sequence[Result]) -> List[Target]:
    """Targets of the cross-file index (see ``cross_file_runs``): a warm index costs at most
    twice a plain one-file run; a cold one about one pass over the archive (the parse floor)."""
    index = [r for r in results if r.group == "index" and not r.failed]
    if not index:
        return [Target("cross-file index (A001, #13)", None, "{}")]
    warm = next(
        (r for r in index if r.name.startswith("index warm") and r.files == 1 and r.note.startswith("median")), None
    )
    plain = next((r for r in index if r.name == "index: the same file alone"), None)
    cold = next((r for r in index if r.name.startswith("index cold")), None)
    floor = next((r for r in results if r.group == "main" and "parse floor" in r.name and not r.failed), None)
    rows = [
        Target(
            "index warm, 1 changed file / the file alone (wall)", ratio(warm, plain, by_fps=False), "{:.2f}x", "<=", 2.0
        ),  # fmt: skip
        Target(
            "index cold, 1 changed file / parse floor of the archive (wall)",
            ratio(cold, floor, by_fps=False),
            "{:.2f}x",
            "<=",
            1.5,
        ),  # fmt: skip
    ]
    return rows


def targets_table(results: Sequence[Result], main_n: int) -> Tuple[List[str], bool]:
    rows = targets(results)
    out = [f"| target (main corpus: {main_n:,} files) | required | measured | status |", "|---|---|---:|---|"]
    out += [t.row() for t in rows]
    return out, all(t.met is not False for t in rows if not t.aim)


def header(a: argparse.Namespace, env: Env, install: Install, argv: Sequence[str]) -> List[str]:
    cmd = "python3 bench/benchmark.py" + ("" if not argv else " " + shlex.join(argv))
    versions = [f"lint-news: `{tool_version(env.lint)}`"]
    if env.cjs:
        versions.append(f"check-jsonschema: `{tool_version(env.cjs[:1])}`")
    if env.yamllint:
        versions.append(f"yamllint: `{tool_version(env.yamllint[:1])}`")
    if env.precommit:
        versions.append(f"pre-commit: `{tool_version([env.precommit])}`")
    installed = install.command if install.venv else f"`--lint-cmd {a.lint_cmd}` (not the README install)"
    return [
        f"Command: `{cmd}`",
        "",
        f"Install: {installed}; {install_info(env.python, Path(tempfile.gettempdir()))}",
        "",
        f"Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; "
        f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; " + "; ".join(versions),
        "",
        f"Corpus: generated, seed {a.seed}, ~5 % defective; `--jobs N` = {env.jobs}. "
        "Peak MB = largest single process (os.wait4 ru_maxrss). "
        "Ratio = files/s divided by the parse floor's files/s on the same files "
        "(one-file and pre-commit rows: the one-file parse floor; big corpus: the main parse floor).",
        "",
    ]


def write_out(path: Path, report: str) -> None:
    """The report as the `## Latest run` section of ``path`` when it has one (up to the next
    `## ` heading; the rest is kept), else as the whole file."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    match = re.search(r"^## Latest run\n", old, re.M)
    if match is None:
        path.write_text(report, encoding="utf-8")
        return
    after = re.search(r"^## ", old[match.end() :], re.M)
    tail = old[match.end() + after.start() :] if after else ""
    path.write_text(old[: match.end()] + "\n" + report + ("\n" + tail if tail else ""), encoding="utf-8")


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="lint-news benchmark (see module docstring)")
    p.add_argument("--files", type=int, default=20000, help="main corpus size")
    p.add_argument("--big", type=int, default=100000, help="corpus size for the memory run")
    p.add_argument("--skip-big", action="store_true", help="skip the --big memory run")
    p.add_argument("--cjs-files", type=int, default=3000, help="check-jsonschema on the first N files (0: all)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="N for --jobs N")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=1, help="median of R runs per measurement")
    p.add_argument("--one-file-runs", type=int, default=15)
    p.add_argument("--lint-cmd", help="benchmark this command instead of the README install (shlex-split)")
    p.add_argument("--tools-from-path", action="store_true", help="comparison tools from PATH, not the tools venv")
    p.add_argument("--schema", default=str(REPO / "schema" / "news-article.schema.json"))
    p.add_argument("--real", default=str(REPO.parent / "shared" / "corpus" / "real"))
    p.add_argument("--cache-root", default=str(Path(tempfile.gettempdir()) / "lint-news-bench"))
    p.add_argument(
        "--skip-yamllint",
        action="store_true",
        help="no yamllint run on the whole corpus (slow; the one-file runs stay)",
    )
    p.add_argument("--skip-precommit", action="store_true", help="no pre-commit runs")
    p.add_argument("--out", help="also write the Markdown report here (its '## Latest run' section)")
    p.add_argument("--check", action="store_true", help="exit 1 if a target is not met")
    return p.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    a = parse_args(argv)
    cache_root = Path(a.cache_root).resolve()
    cache_root.mkdir(parents=True, exist_ok=True)
    a.out, a.schema, a.real = (str(Path(x).resolve()) if x else x for x in (a.out, a.schema, a.real))
    if a.lint_cmd:
        source, key, rev = snapshot(cache_root)
        install = Install(source, key, rev, None, "")
    else:
        install = readme_install(cache_root)
    env = make_env(a, install, None if a.tools_from_path else tools_venv(cache_root))
    # Every tool runs in a folder without configuration files: lint-news would otherwise read
    # this checkout's pyproject.toml (and yamllint look for its own) on every one-file run.
    os.chdir(cache_root)
    src = corpus(cache_root, a.files, a.seed)
    extract_yaml(src)
    warm_page_cache(src)
    results = main_runs(env, src, a.files) + cross_file_runs(env, src, a.files)
    results += other_tools(env, src, a.files, a.skip_yamllint)
    results += one_file_runs(env, src) + precommit_runs(env, install, src, cache_root) + real_runs(env, Path(a.real))
    results += hostile_runs(env, cache_root / "hostile")
    if not a.skip_big:
        big = corpus(cache_root, a.big, a.seed)
        results.append(big_run(env, big, a.big))
        results += index_memory_run(env, big, a.big)
    table, all_met = targets_table(results, a.files)
    report = "\n".join(header(a, env, install, argv) + results_table(results) + [""] + table) + "\n"
    print(report)
    if a.out:
        write_out(Path(a.out), report)
    if any(r.failed for r in results):
        return 2
    return 1 if a.check and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())

"""lint-news benchmark (not a timed test).

## Benchmark

`bench/benchmark.py` generates a synthetic corpus of news articles (`bench/generate.py`: shapes,
sizes and `related` list lengths follow the real files, about 5 % of the files carry one
defect, about 2 % use CRLF) and measures, in one run, each tool as a separate child process:

    pip install -e .                      # puts `lint-news` on PATH
    pip install check-jsonschema yamllint # optional comparisons; skipped when absent
    python bench/benchmark.py                          # 20,000 files + the 100,000-file memory run
    python bench/benchmark.py --files 2000 --skip-big  # quick look
    python bench/benchmark.py --out BENCHMARKS.md      # record results (the command is included)

Options:

- `--files N`: main corpus size (default 20000); `--big N`: memory-run size (default 100000);
  `--skip-big` skips that run.
- `--jobs N`: the N of `--jobs N` (default: CPU count; `--jobs 2` is always measured too).
- `--repeat R`: median of R runs per measurement (use 5 for recorded results); the parse
  floor and the lint-news runs it is compared with take turns, round by round (the order
  turning each round), and a ratio between two of them is the median of their ratios within
  each round, so that a slow spell on a shared machine hits both sides of it; every round's
  time is listed; check-jsonschema runs once;
  `--one-file-runs K`: one-file runs per tool, taking turns (median; default 7).
- `--skip-yamllint`: no corpus-wide yamllint run (slow; the one-file run stays).
- `--lint-cmd CMD`: command to benchmark (default `lint-news`); `--schema PATH` for
  check-jsonschema (default `schema/news-article.schema.json`); `--real DIR` (default
  `../shared/corpus/real`, skipped if absent); `--seed S`.
- `--cache-root DIR`: generated corpora are cached there by size, seed and generator version
  (default `$TMPDIR/lint-news-bench`).
- `--out FILE` also writes the Markdown report; `--check` exits 1 when a target is not met.

What is measured: each command runs under a tiny wrapper (`python -S`, ~8 MB) that spawns it
and reports, from `os.wait4`, its wall time (`time.perf_counter` around spawn + wait) and its
peak RSS. That RSS is the largest single process in the command's tree (Linux reports the
maximum over the child and its waited-for descendants), so for `--jobs N` it is the biggest
worker or parent, not the sum; a command can never show less than the wrapper's ~8 MB.
The *parse floor* is a Python child that reads every file, splits off the frontmatter and runs
`yaml.compose(..., Loader=yaml.CSafeLoader)`. check-jsonschema and yamllint run on the
frontmatter extracted to `.yaml` files (check-jsonschema once per command-line-sized batch;
times are summed, the peak is the largest batch). Before timing, the corpus is read once so
every tool sees a warm OS page cache; "cold" means no lint-news cache. pyenv shims are
resolved to the real executables so that shim start-up is not timed. Exit code 2 of lint-news,
or a Python traceback from any tool, marks that row FAILED and the benchmark exits 2.
Expect 15-20 minutes at the defaults on 2 CPUs: check-jsonschema and yamllint need about 5
minutes each for 20,000 files, and generating the 100,000-file corpus about 1.5 minutes (the
generated corpora are cached for later runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
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

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OK_CODES = (0, 1)  # lint-news: 1 = findings (expected with defects); 2 = failure

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


def run_child(cmd: Sequence[str], cwd: Optional[Path] = None) -> Tuple[float, float, int, str]:
    """Run cmd; return (wall seconds, peak RSS MB of its process tree, exit code, stderr tail).

    A Python traceback on stderr counts as a crash (exit code 255) even if the exit code is 1.
    """
    wrapper = [sys.executable, "-S", "-c", WRAPPER_SRC, *cmd]
    with tempfile.TemporaryFile() as err:
        out = subprocess.run(
            wrapper, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, check=False
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
    cmds: Sequence[Sequence[str]],
    repeat: int = 1,
    ok: Sequence[int] = OK_CODES,
    cwd: Optional[Path] = None,
    quiet: bool = False,
) -> Result:
    """Run a list of commands (batches of one job) `repeat` times; keep the median total."""
    runs: List[Tuple[float, float]] = []
    for _ in range(repeat):
        wall = peak = 0.0
        for cmd in cmds:
            w, p, rc, tail = run_child(cmd, cwd)
            if rc not in ok:
                print(f"!! {name}: exit {rc}: {shlex.join(cmd)[:200]}\n{tail}", file=sys.stderr)
                return Result(name, group, files, note=f"FAILED (exit {rc})", failed=True)
            wall, peak = wall + w, max(peak, p)
        runs.append((wall, peak))
    runs.sort()
    wall, peak = runs[len(runs) // 2]
    res = Result(name, group, files, wall, peak)
    if not quiet:
        print(f"  {name}: {wall:.2f} s, {res.fps:,.0f} files/s, {peak:.1f} MB", file=sys.stderr)
    return res


def median_one(specs: Sequence[Tuple[str, Sequence[str]]], runs: int) -> List[Result]:
    """Median wall time of `runs` one-file runs (pre-commit's case) per command, after one
    warm-up round; the commands take turns, so a slow spell hits all of them alike."""
    rounds = [
        [measure(name, "one", 1, [cmd], 1, ok=(0, 1), quiet=True) for name, cmd in specs] for _ in range(runs + 1)
    ]
    out = []
    for index, (name, _) in enumerate(specs):
        results = [r[index] for r in rounds[1:]]
        failed = [r for r in results if r.failed]
        if failed:
            out.append(failed[0])
            continue
        wall = statistics.median(r.wall for r in results)
        res = Result(name, "one", 1, wall, max(r.peak_mb for r in results), note=f"median of {runs}")
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
    cmd[0] = resolve(cmd[0]) or cmd[0]
    return cmd


def tool_version(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return "?"
    return (out.stdout or out.stderr).strip().splitlines()[0] if out.returncode == 0 else "?"


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
    cjs: Optional[List[str]]  # check-jsonschema --schemafile SCHEMA, or None
    yamllint: Optional[List[str]]
    floor: List[str]
    jobs: int
    repeat: int
    one_runs: int


def make_env(a: argparse.Namespace) -> Env:
    cjs_exe, yl_exe = resolve("check-jsonschema"), resolve("yamllint")
    schema = Path(a.schema)
    if cjs_exe and not schema.exists():
        print(f"note: schema {schema} missing; check-jsonschema skipped", file=sys.stderr)
        cjs_exe = None
    return Env(
        lint=lint_command(a.lint_cmd),
        cjs=[cjs_exe, "--schemafile", str(schema.resolve())] if cjs_exe else None,
        yamllint=[yl_exe, "-f", "parsable"] if yl_exe else None,
        floor=[sys.executable, "-c", FLOOR_SRC],
        jobs=a.jobs,
        repeat=a.repeat,
        one_runs=a.one_file_runs,
    )


def main_runs(env: Env, src: Path, n: int) -> List[Result]:
    news = str(src / "_news")
    lint = env.lint
    specs = [
        ("parse floor (read + C compose)", [[*env.floor, news]]),
        ("lint-news --jobs 1", [[*lint, "--no-cache", "--jobs", "1", "--quiet", news]]),
    ]
    for jobs in sorted({2, env.jobs}) if env.jobs >= 2 else []:
        specs.append((f"lint-news --jobs {jobs}", [[*lint, "--no-cache", "--jobs", str(jobs), "--quiet", news]]))
    return interleaved(specs, "main", n, env.repeat) + warm_runs(env, news, n)


def interleaved(specs: Sequence[Tuple[str, Sequence[Sequence[str]]]], group: str, n: int, repeat: int) -> List[Result]:
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
            cmd = [*env.lint, "--cache-dir", cache, "--jobs", "1", "--quiet", news]
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


def other_tools(env: Env, src: Path, n: int, skip_yamllint: bool) -> List[Result]:
    ydir, names = extract_yaml(src)
    out = []
    if env.cjs:
        cmds = list(batches(names, env.cjs))
        # Once: it takes minutes, and at its pace a slow spell moves no ratio much.
        res = measure("check-jsonschema (extracted YAML)", "main", n, cmds, 1, cwd=ydir)
        res.note = f"{len(cmds)} batch(es), one run"
        out.append(res)
    if env.yamllint and not skip_yamllint:
        out.append(
            measure("yamllint (extracted YAML, reference)", "main", n, [[*env.yamllint, "."]], env.repeat, cwd=ydir)
        )
    return out


def one_file_runs(env: Env, src: Path) -> List[Result]:
    path, i = clean_file(src)
    ydir, names = extract_yaml(src)
    yfile = str(ydir / names[i])
    specs: List[Tuple[str, Sequence[str]]] = [
        ("one file: parse floor", [*env.floor, str(path)]),
        ("one file: lint-news", [*env.lint, "--no-cache", str(path)]),
    ]
    if env.yamllint:
        specs.append(("one file: yamllint", [*env.yamllint, yfile]))
    if env.cjs:
        specs.append(("one file: check-jsonschema", [*env.cjs, yfile]))
    return median_one(specs, env.one_runs)


def real_runs(env: Env, real: Path) -> List[Result]:
    if not real.is_dir():
        print(f"note: {real} absent; real-corpus run skipped", file=sys.stderr)
        return []
    n = len(md_files(real))
    warm_page_cache(real)
    return [
        measure("real corpus: parse floor", "real", n, [[*env.floor, str(real)]], env.repeat),
        measure(
            "real corpus: lint-news --jobs 1",
            "real",
            n,
            [[*env.lint, "--no-cache", "--jobs", "1", "--quiet", str(real)]],
            env.repeat,
        ),
    ]


def big_run(env: Env, src: Path, n: int) -> Result:
    warm_page_cache(src / "_news")
    cmd = [*env.lint, "--no-cache", "--jobs", "1", "--quiet", str(src / "_news")]
    return measure("big corpus: lint-news --jobs 1", "big", n, [cmd], 1)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
def floor_fps(results: Sequence[Result], group: str) -> float:
    base = "main" if group == "big" else group
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


def target(label: str, need: str, value: Optional[float], ok: Optional[bool], fmt: str) -> str:
    if value is None or ok is None:
        return f"| {label} | {need} | n/a | not measured |"
    return f"| {label} | {need} | {fmt.format(value)} | {'MET' if ok else 'NOT MET'} |"


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


def targets_table(results: Sequence[Result], main_n: int) -> Tuple[List[str], bool]:

    def g(name: str) -> Optional[Result]:
        return find(results, name)

    one, floor = g("lint-news --jobs 1"), g("parse floor (read + C compose)")
    # check-jsonschema has no parallel mode; lint-news runs on every core unless told not to.
    default_jobs = max((r for r in results if r.group == "main" and r.name.startswith("lint-news --jobs")),
                       key=lambda r: int(r.name.split()[-1]), default=None)  # fmt: skip
    rows: List[Tuple[str, str, Optional[float], str, bool]] = [
        ("one process vs parse floor (cold, no cache)", ">= 0.75x throughput", ratio(one, floor), "{:.2f}x", True),
        ("--jobs 2 vs one process", ">= 1.8x throughput", ratio(g("lint-news --jobs 2"), one), "{:.2f}x", True),
        (
            "lint-news (default --jobs) vs check-jsonschema",
            ">= 30x throughput",
            ratio(default_jobs, g("check-jsonschema (extracted YAML)")),
            "{:.1f}x",
            True,
        ),
        (
            "one process vs check-jsonschema (info)",
            "(info)",
            ratio(one, g("check-jsonschema (extracted YAML)")),
            "{:.1f}x",
            True,
        ),
        (
            "warm cache vs cold, nothing changed",
            ">= 10x faster",
            ratio(g("lint-news cache cold (fills cache)"), g("lint-news cache warm (nothing changed)"), False),
            "{:.1f}x",
            True,
        ),
        (
            "one file: lint-news / yamllint wall",
            "<= 1.0",
            ratio(g("one file: lint-news"), g("one file: yamllint"), False),
            "{:.2f}",
            False,
        ),
        (
            "one file: lint-news / check-jsonschema wall",
            "<= 0.5",
            ratio(g("one file: lint-news"), g("one file: check-jsonschema"), False),
            "{:.2f}",
            False,
        ),
    ]
    limits = {
        ">= 0.75x throughput": 0.75,
        ">= 1.8x throughput": 1.8,
        ">= 30x throughput": 30,
        ">= 10x faster": 10,
        "<= 1.0": 1.0,
        "<= 0.5": 0.5,
    }
    out = [f"| target (main corpus: {main_n:,} files) | required | measured | status |", "|---|---|---:|---|"]
    all_met = True
    for label, need, val, fmt, higher in rows:
        if need not in limits:
            out.append(f"| {label} | {need} | {fmt.format(val) if val is not None else '-'} | (info) |")
            continue
        ok = None if val is None else (val >= limits[need] if higher else val <= limits[need])
        all_met &= ok is not False
        out.append(target(label, need, val, ok, fmt))
    big = next((r for r in results if r.group == "big" and not r.failed), None)
    ok_big = None if big is None else big.peak_mb < 60
    all_met &= ok_big is not False
    label = f"peak memory at {big.files:,} files" if big else "peak memory at the --big size"
    out.append(target(label, "< 60 MB", big.peak_mb if big else None, ok_big, "{:.1f} MB"))
    if big and one:
        out.append(
            f"| peak memory growth {one.files:,} -> {big.files:,} files | flat | "
            f"{big.peak_mb - one.peak_mb:+.1f} MB | (info) |"
        )
    return out, all_met


def header(a: argparse.Namespace, env: Env, argv: Sequence[str]) -> List[str]:
    cmd = "python bench/benchmark.py" + ("" if not argv else " " + shlex.join(argv))
    versions = [f"lint-news: `{tool_version(env.lint)}`"]
    if env.cjs:
        versions.append(f"check-jsonschema: `{tool_version(env.cjs[:1])}`")
    if env.yamllint:
        versions.append(f"yamllint: `{tool_version(env.yamllint[:1])}`")
    return [
        f"Command: `{cmd}`",
        "",
        f"Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; "
        f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}); " + "; ".join(versions),
        "",
        f"Corpus: generated, seed {a.seed}, ~5 % defective; `--jobs N` = {env.jobs}. "
        "Peak MB = largest single process (os.wait4 ru_maxrss). "
        "Ratio = files/s divided by the parse floor's files/s on the same files "
        "(one-file rows: the one-file parse floor; big corpus: the main parse floor).",
        "",
    ]


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="lint-news benchmark (see module docstring)")
    p.add_argument("--files", type=int, default=20000, help="main corpus size")
    p.add_argument("--big", type=int, default=100000, help="corpus size for the memory run")
    p.add_argument("--skip-big", action="store_true", help="skip the --big memory run")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="N for --jobs N")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=1, help="median of R runs per measurement")
    p.add_argument("--one-file-runs", type=int, default=7)
    p.add_argument("--lint-cmd", default="lint-news", help="command for lint-news (shlex-split)")
    p.add_argument("--schema", default=str(REPO / "schema" / "news-article.schema.json"))
    p.add_argument("--real", default=str(REPO.parent / "shared" / "corpus" / "real"))
    p.add_argument("--cache-root", default=str(Path(tempfile.gettempdir()) / "lint-news-bench"))
    p.add_argument(
        "--skip-yamllint",
        action="store_true",
        help="no yamllint run on the whole corpus (slow; the one-file run stays)",
    )
    p.add_argument("--out", help="also write the Markdown report here")
    p.add_argument("--check", action="store_true", help="exit 1 if a target is not met")
    return p.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    a = parse_args(argv)
    env = make_env(a)
    cache_root = Path(a.cache_root)
    cache_root.mkdir(parents=True, exist_ok=True)
    src = corpus(cache_root, a.files, a.seed)
    extract_yaml(src)
    warm_page_cache(src)
    results = main_runs(env, src, a.files) + other_tools(env, src, a.files, a.skip_yamllint)
    results += one_file_runs(env, src) + real_runs(env, Path(a.real))
    if not a.skip_big:
        results.append(big_run(env, corpus(cache_root, a.big, a.seed), a.big))
    targets, all_met = targets_table(results, a.files)
    report = "\n".join(header(a, env, argv) + results_table(results) + [""] + targets) + "\n"
    print(report)
    if a.out:
        Path(a.out).write_text(report, encoding="utf-8")
    if any(r.failed for r in results):
        return 2
    return 1 if a.check and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())

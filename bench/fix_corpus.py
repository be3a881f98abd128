"""``--fix`` on a copy of the real corpus: what it repairs, what remains, what it costs.

    python bench/fix_corpus.py [--real ../shared/corpus/real] [--rounds 5] [--jobs 1]

Each round copies the corpus to a fresh temporary folder (the original is never touched)
and runs, taking turns, a plain ``lint-news --no-cache`` and ``lint-news --no-cache --fix``
(then ``--fix --unsafe-fixes`` on another copy), each as a child process timed with
``os.wait4`` (wall and CPU seconds). It prints the findings per code before and after, the
files and lines changed, and the median time per file of each command (the fix run also
lints every file, so its cost over the plain run is the price of fixing).
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Counter, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent


def timed(command: List[str], cwd: Path) -> Tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the child) and stdout of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, out


def findings(folder: Path, lint: str, jobs: int) -> Counter[str]:
    out = subprocess.run(
        [lint, "--no-cache", "--format", "json", "-q", "--jobs", str(jobs), str(folder)], capture_output=True, text=True
    ).stdout
    return collections.Counter(f["code"] for f in json.loads(out)["findings"])


def changed_lines(original: Path, fixed: Path) -> Tuple[int, int]:
    files = lines = 0
    for path in sorted(original.rglob("*.md")):
        before, after = path.read_bytes(), (fixed / path.relative_to(original)).read_bytes()
        if before == after:
            continue
        files += 1
        matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
        lines += sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return files, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--lint-cmd", default=shutil.which("lint-news") or "lint-news")
    args = parser.parse_args()
    real = Path(args.real)
    count = len(list(real.rglob("*.md")))
    times: Dict[str, List[Tuple[float, float]]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        results: Dict[str, Path] = {}
        for index in range(args.rounds):
            runs = [("plain", []), ("--fix", ["--fix"]), ("--fix --unsafe-fixes", ["--fix", "--unsafe-fixes"])]
            for name, flags in runs if index % 2 == 0 else runs[::-1]:
                copy = base / f"{index}-{name.replace(' ', '')}"
                shutil.copytree(real, copy)
                command = [args.lint_cmd, "--no-cache", "-q", "--jobs", str(args.jobs), *flags, str(copy)]
                wall, cpu, _ = timed(command, base)
                times[name].append((wall, cpu))
                results[name] = copy
        before = findings(results["plain"], args.lint_cmd, args.jobs)
        print(f"files: {count}; rounds: {args.rounds}; --jobs {args.jobs}\n")
        print("| run | findings left | repaired | files changed | lines changed | ms/file wall | ms/file CPU |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name in ("plain", "--fix", "--fix --unsafe-fixes"):
            after = findings(results[name], args.lint_cmd, args.jobs)
            files, lines = changed_lines(real, results[name])
            wall = statistics.median(w for w, _ in times[name]) / count * 1000
            cpu = statistics.median(c for _, c in times[name]) / count * 1000
            repaired = sum(before.values()) - sum(after.values())
            print(f"| {name} | {sum(after.values())} | {repaired} | {files} | {lines} | {wall:.3f} | {cpu:.3f} |")
        print("\nfindings per code (plain -> --fix -> --fix --unsafe-fixes):")
        safe, unsafe = (
            findings(results["--fix"], args.lint_cmd, args.jobs),
            findings(results["--fix --unsafe-fixes"], args.lint_cmd, args.jobs),
        )
        for code in sorted(before):
            print(f"- {code}: {before[code]} -> {safe[code]} -> {unsafe[code]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmark script's bookkeeping (no timing here: the figures live in BENCHMARKS.md).

Recording results rewrites one section of BENCHMARKS.md, a target is met or not by its
own comparison, and the README install is built from a snapshot named by its files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, load_bench_script

bench = load_bench_script("benchmark")


def test_a_recorded_run_replaces_only_the_latest_run_section(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nintro\n\n## Latest run\n\nold table\n\n## Reading the targets\n\nkept\n")
    bench.write_out(out, "new table\n")
    assert out.read_text() == (
        "# Benchmarks\n\nintro\n\n## Latest run\n\nnew table\n\n## Reading the targets\n\nkept\n"
    )


def test_without_a_latest_run_section_the_report_is_the_file(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("anything\n")
    bench.write_out(out, "report\n")
    assert out.read_text() == "report\n"


@pytest.mark.parametrize(
    ("op", "value", "limit", "met"),
    [(">=", 1.0, 1.0, True), (">=", 0.99, 1.0, False), ("<=", 0.75, 0.75, True), ("<", 60.0, 60, False)],
)
def test_a_target_is_met_by_its_own_comparison(op: str, value: float, limit: float, met: bool) -> None:
    target = bench.Target("x", value, "{:.2f}", op, limit)
    assert target.met is met
    assert target.row().endswith("| MET |" if met else "| NOT MET |")


def test_an_aim_never_fails_the_check_and_a_missing_figure_is_not_measured() -> None:
    results = [
        bench.Result("lint-news --jobs 1", "main", 10, wall=2.0),
        bench.Result("parse floor (read + C compose)", "main", 10, wall=1.0),
    ]
    rows, all_met = bench.targets_table(results, 10)
    assert "| one process vs parse floor | >= 1.20x (aim) | 0.50x | not yet |" in rows
    assert "| one process vs parse floor (cold, no cache) | >= 1.00x | 0.50x | NOT MET |" in rows
    assert "| --jobs 2 vs one process | >= 1.85x | n/a | not measured |" in rows
    assert not all_met


def test_interleaved_rounds_give_the_median_of_per_round_ratios() -> None:
    a = bench.Result("a", "main", 10, wall=2.0, rounds=[1.0, 2.0, 4.0])
    b = bench.Result("b", "main", 10, wall=2.0, rounds=[1.0, 1.0, 1.0])
    assert bench.ratio(b, a) == 2.0  # b's throughput over a's, round by round: 1, 2, 4
    assert bench.ratio(a, b, by_fps=False) == 2.0


def test_the_pre_commit_ratio_takes_pre_commits_own_cost_off_both_hooks() -> None:
    hook, other, noop = (bench.Result(name, "precommit", 1, wall=w) for name, w in (("a", 0.8), ("b", 1.0), ("c", 0.6)))
    assert bench.net_ratio(hook, other, noop) == pytest.approx(0.5)
    assert bench.net_ratio(hook, noop, other) is None  # nothing left to compare


def test_the_snapshot_is_named_by_the_files_of_the_checkout(tmp_path: Path) -> None:
    first = bench.snapshot(tmp_path)
    again = bench.snapshot(tmp_path)
    assert first == again  # unchanged sources: the same snapshot, not a second copy
    folder, key, rev = first
    assert folder.name == f"src-{key}" and len(rev) == 40
    assert (folder / "pyproject.toml").read_bytes() == (ROOT / "pyproject.toml").read_bytes()
    assert not (folder / ".venv").exists()  # ignored files stay out


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="CPU affinity: Linux")
def test_the_cpu_speed_probe_times_each_cpu_alone_and_together(capsys: pytest.CaptureFixture[str]) -> None:
    probe = load_bench_script("vcpu_speed")
    assert probe.main(["--rounds", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    cpus = sorted(os.sched_getaffinity(0))
    assert [line.split(" ms ")[0] for line in lines] == [f"cpu{c} alone:" for c in cpus] + [
        f"cpu{c} all at once:" for c in cpus
    ]
    assert all(len(line.split(" ms ")[1].split(" (")[0].split()) == 2 for line in lines)


def test_the_cpu_speed_report_gives_the_spread_of_the_rounds() -> None:
    probe = load_bench_script("vcpu_speed")
    assert probe.report({1: [0.06, 0.11, 0.08]}, "alone") == ["cpu1 alone: ms 60 110 80 (slowest/fastest 1.83)"]

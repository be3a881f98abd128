"""How fast each CPU of this machine runs Python, round by round: a fixed pure-Python
workload pinned to one CPU, timed in CPU seconds (``time.process_time``), so time spent
waiting for the CPU does not count, only how fast the CPU worked while it ran.

On a virtual machine a CPU is a thread of the host: the same work can take twice the CPU
time on one CPU as on the other, or on the same CPU a second later (a busy sibling
hyperthread on the host, another guest's load), and the guest sees no steal time for it.
A ``--jobs 1`` run lives on one CPU and inherits its speed; ``--jobs 2`` uses both and its
workers share the files by speed, so it swings less. Run this beside a benchmark to see
whether a round's ratio measured lint-news or the host:

    python bench/vcpu_speed.py --rounds 20            # each CPU alone, then all at once

Linux only (CPU affinity). Prints one line per CPU and mode: the CPU seconds of each round.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from multiprocessing import get_context
from typing import Dict, List, Optional, Sequence


def workload() -> int:
    """About 60 ms of interpreter work on an idle modern core: dict lookups and arithmetic."""
    counts: Dict[int, int] = {}
    for i in range(300_000):
        counts[i % 1000] = counts.get(i % 1000, 0) + i * 3 // 7
    return len(counts)


def rounds_on(cpu: int, rounds: int) -> List[float]:
    """CPU seconds of each round of ``workload`` pinned to ``cpu``."""
    os.sched_setaffinity(0, {cpu})
    times = []
    for _ in range(rounds):
        start = time.process_time()
        workload()
        times.append(time.process_time() - start)
    return times


def measure(cpus: Sequence[int], rounds: int, together: bool) -> Dict[int, List[float]]:
    """Each CPU's rounds, one CPU after the other or all at once (one process per CPU)."""
    context = get_context("fork")
    if not together:
        with context.Pool(1) as pool:
            return {cpu: pool.apply(rounds_on, (cpu, rounds)) for cpu in cpus}
    with context.Pool(len(cpus)) as pool:
        pending = {cpu: pool.apply_async(rounds_on, (cpu, rounds)) for cpu in cpus}
        return {cpu: result.get() for cpu, result in pending.items()}


def report(times: Dict[int, List[float]], mode: str) -> List[str]:
    lines = []
    for cpu, values in times.items():
        spread = max(values) / min(values)
        shown = " ".join(f"{value * 1000:.0f}" for value in values)
        lines.append(f"cpu{cpu} {mode}: ms {shown} (slowest/fastest {spread:.2f})")
    return lines


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds per CPU and mode (default 10)")
    args = parser.parse_args(argv)
    if not hasattr(os, "sched_setaffinity"):
        print("vcpu_speed: needs CPU affinity (Linux)", file=sys.stderr)
        return 2
    cpus = sorted(os.sched_getaffinity(0))
    lines = report(measure(cpus, args.rounds, False), "alone") + report(measure(cpus, args.rounds, True), "all at once")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

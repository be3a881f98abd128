"""The worker processes of a parallel run (``linter.batch.pool``): order, back-pressure, failures."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, List

import pytest

from linter.batch import pool, runner
from linter.batch.pool import WorkerError, ordered_map

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGALRM deadline and fork: Linux")


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """A hang (two processes blocked on each other's pipe) fails the test instead of CI."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("ordered_map hung")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert workers() == [], "a worker outlived the run (or was not waited for)"


#: This process: a worker forked from it has another pid (the parent works on chunks too).
PARENT = os.getpid()


def nothing() -> None:
    pass


def in_worker() -> bool:
    return os.getpid() != PARENT


def shout(item: str) -> str:
    return item.upper()


def repeat(item: str) -> str:
    return item * 2


def explode(item: str) -> str:
    """Fails in a worker (on its first item), never in this process."""
    if in_worker():
        raise ValueError("text quoted from a file")
    return item


def explode_here(item: str) -> str:
    """Fails in this process (on the first item of its own share), never in a worker."""
    if not in_worker():
        raise ValueError("text quoted from a file")
    return item


def die(item: str) -> str:
    if in_worker():
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def refuse() -> None:
    if in_worker():
        raise RuntimeError("no")


def refuse_spawned() -> None:
    if multiprocessing.parent_process() is not None:  # a spawned worker (not this process)
        raise RuntimeError("no")


def refuse_here() -> None:
    if not in_worker():
        raise RuntimeError("no")


def whose(item: str) -> int:
    return os.getpid()


def slow_here(item: str) -> int:
    """10 ms an item in this process, none in a worker."""
    if not in_worker():
        time.sleep(0.01)
    return os.getpid()


def numbers(count: int) -> Iterator[str]:
    yield from (str(n) for n in range(count))


def results(function: Callable[[str], str], items: List[str], jobs: int, chunk: int) -> List[str]:
    """``ordered_map``'s results, each checked to come with its own item."""
    pairs = list(ordered_map(function, iter(items), jobs, chunk, nothing, ()))
    assert [item for item, _ in pairs] == items
    return [result for _, result in pairs]


@pytest.mark.parametrize("polled", [True, False])
def test_results_come_in_input_order_from_a_stream(polled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """With one poll object for the run, and without (as on Windows, which has no poll)."""
    if not polled:
        monkeypatch.delattr(select, "poll")
    got = list(ordered_map(shout, (f"item{n}" for n in range(1000)), 2, 7, nothing, ()))
    assert got == [(f"item{n}", f"ITEM{n}") for n in range(1000)]


@pytest.mark.parametrize("jobs", [1, 3])
def test_any_number_of_workers(jobs: int) -> None:
    assert results(shout, list(numbers(50)), jobs, 4) == list(numbers(50))


def test_no_items() -> None:
    assert results(shout, [], 2, 8) == []


def test_long_items_and_big_results_do_not_block_either_side() -> None:
    """Chunks bigger than a pipe's buffer are sent one at a time: the parent is never
    blocked sending while a worker is blocked sending a result back."""
    # A chunk of one 1 MB item: more than a socket pair's buffer (about 200 KB on Linux).
    items = [f"{n:04d}" + "x" * 1_000_000 for n in range(8)]
    assert results(repeat, items, 2, 4) == [item * 2 for item in items]


def chunks(messages: pool._Messages, result_bytes: Callable[[str], int] = lambda item: 100) -> List[List[str]]:
    """The chunks ``messages`` makes, each weighed as if its items' results came back
    (``result_bytes`` of each) before the next is made."""
    taken: List[List[str]] = []
    while (message := messages.take()) is not None:
        number, batch = pickle.loads(message)
        assert number == len(taken) and messages.taken[number] == batch
        assert len(message) + 4 <= messages.room or len(batch) == 1
        taken.append(batch)
        messages.weigh(len(batch), sum(map(result_bytes, batch)))
    return taken


def test_chunks_as_big_as_the_buffer_allows_do_not_block_either_side() -> None:
    """Queued chunks of up to a quarter of a socket pair's buffer, while results of twice
    their size come back: neither side waits on the other's full buffer."""
    items = [f"{n:04d}" + "x" * 1500 for n in range(3000)]
    assert results(repeat, items, 2, 128) == [item * 2 for item in items]


def test_chunks_stay_small_enough_to_queue() -> None:
    paths = [f"/archive/_news/2024-01-01-article-{n}.md" for n in range(500)]
    taken = chunks(pool._Messages(iter(paths), 32))
    assert [item for batch in taken for item in batch] == paths
    assert max(map(len, taken)) == 32
    # 4 KB of paths end a chunk of 128 before its count does (after the first two grew)
    taken = chunks(pool._Messages(iter(paths), 128))
    assert [len(batch) for batch in taken[:2]] == [32, 64]
    assert 56 < len(taken[2]) < 64 and max(map(len, taken)) == 64
    assert [item for batch in taken for item in batch] == paths


def test_chunks_shrink_as_the_end_comes() -> None:
    """Full chunks while the walk goes on; once every path left is read ahead, each chunk
    is a quarter of them for two workers (at least ``_FEWEST``): the worker that ends first
    waits for a few files of the other's, not a whole chunk."""
    items = [str(n) for n in range(5000)]
    sizes = [len(batch) for batch in chunks(pool._Messages(iter(items), 128, jobs=2))]
    assert sum(sizes) == 5000
    assert sizes[:30] == [32, 64] + [128] * 28
    sizes = sizes[2:]  # from the top: the first chunks grow
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-4:] == [4, 4, 4, 4] or sizes[-1] < 4
    assert all(size >= pool._FEWEST for size in sizes[:-1])
    tail = sizes[sizes.index(max(s for s in sizes if s < 128)) :]
    assert len(tail) < 40  # shrinking takes a few dozen chunks, not hundreds


def test_chunks_whose_results_are_heavy_stay_small() -> None:
    """Files with thousands of findings each (hostile, or a broken archive) get chunks
    whose results stay near ``_RESULTS`` bytes once a chunk of them came back; the first
    chunks are small, as no result was weighed yet."""
    items = [str(n) for n in range(3000)]
    heavy = {"40", "41", "900"}  # a few files of 3 MB of findings each
    sizes = [len(b) for b in chunks(pool._Messages(iter(items), 256, 2), lambda i: 3 << 20 if i in heavy else 100)]
    assert sizes[:3] == [32, 64, 10]  # the second chunk held two heavy files: 98 KB a file
    assert max(sizes[2:]) <= 10 and sizes[-1] <= 3  # then a chunk of ten with one: 300 KB
    assert sum(sizes) == 3000
    light = [len(batch) for batch in chunks(pool._Messages(iter(items), 256, 2), lambda item: 5000)]
    assert max(light) == pool._RESULTS // 5000  # 256 would bring back more than a megabyte


def big(item: str) -> str:
    """A heavy result; slow in this process, so that workers get most items."""
    if not in_worker():
        time.sleep(0.005)
    return item * 5000


def test_a_worker_sends_heavy_results_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker never holds much more than ``_RESULTS`` bytes of results: a chunk's come
    in parts, and the parent puts them together in order."""
    monkeypatch.setattr(pool, "_RESULTS", 20_000)  # the forked workers inherit it
    parts: List[bool] = []
    receive = pool._receive

    def counted(worker: pool._Worker) -> object:
        answer = receive(worker)
        parts.append(answer[3])
        return answer

    monkeypatch.setattr(pool, "_receive", counted)
    assert results(big, list(numbers(300)), 2, 64) == [big(item) for item in numbers(300)]
    assert parts.count(False) > 10 and parts.count(True) >= 300 // 64


def huge(item: str) -> str:
    return item * 300_000


def test_heavy_results_of_this_process_make_its_chunks_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent's own results wait for the chunks before theirs, as a worker's do: they
    are weighed the same way, so heavy files each get chunks of about ``_RESULTS`` bytes."""
    sizes: List[int] = []
    take_own = pool._Messages.take_own

    def counted(messages: pool._Messages) -> object:
        chunk = take_own(messages)
        sizes.append(0 if chunk is None else len(chunk[1]))
        return chunk

    monkeypatch.setattr(pool._Messages, "take_own", counted)
    items = [f"{n:03d}" for n in range(100)]
    assert results(huge, items, 1, 64) == [huge(item) for item in items]
    assert sizes[:3] == [32, 1, 1]  # 900 KB a result: one fits in a megabyte


def test_the_weight_of_a_result_is_about_its_pickled_size() -> None:
    rows = ([("/a/b.md", b"x" * 1000, 3)], False, b"k" * 100)
    assert 1100 < pool._weight(rows) < 1200
    assert pool._weight(None) == pool._weight(True) == 8
    assert pool._weight("é" * 10) == 48  # four bytes a character at most
    assert pool._weight(ValueError("x" * 5000)) > 5000  # anything else: pickled


def test_a_short_run_is_split_among_the_workers() -> None:
    """70 paths and two workers: no worker gets most of them while the other waits."""
    sizes = [len(batch) for batch in chunks(pool._Messages(iter(map(str, range(70))), 128, jobs=2))]
    assert sizes[:2] == [18, 13] and sum(sizes) == 70


def test_a_socket_pair_takes_bigger_messages_on_linux() -> None:
    mine, theirs = multiprocessing.Pipe()
    try:
        room = pool._room(mine)
        assert pool._SMALL < room <= pool._LARGE
        # a full chunk of the runner's of paths as long as a generated archive's
        paths = [f"/tmp/lint-news-bench/corpus-v1-n20000-s0/_news/2024-01-01-{n:0100d}.md" for n in range(2000)]
        taken = chunks(pool._Messages(iter(paths), runner.CHUNK, 2, room))
        assert max(map(len, taken)) == runner.CHUNK
    finally:
        mine.close()
        theirs.close()
    reader, writer = multiprocessing.Pipe(duplex=False)  # an os.pipe: its size is not asked
    try:
        assert pool._room(reader) == pool._SMALL
    finally:
        reader.close()
        writer.close()


def test_an_exception_names_its_place_not_its_text() -> None:
    with pytest.raises(WorkerError) as caught:
        list(ordered_map(explode, numbers(40), 2, 3, nothing, ()))
    message = str(caught.value)
    assert message.startswith("a worker process failed: ValueError (at test_pool.py:")
    assert message.endswith(" in explode)")
    assert "quoted" not in message


def test_a_failing_initializer_is_reported() -> None:
    with pytest.raises(WorkerError, match=r"^a worker process failed: RuntimeError \(at test_pool.py:\d+ in refuse\)"):
        list(ordered_map(shout, numbers(40), 2, 3, refuse, ()))


def test_an_exception_in_this_process_is_raised_as_it_is() -> None:
    """The parent's own share: the CLI reports it as an internal error (type and place)."""
    with pytest.raises(ValueError):
        list(ordered_map(explode_here, numbers(40), 2, 3, nothing, ()))
    with pytest.raises(RuntimeError):
        list(ordered_map(shout, numbers(40), 2, 3, refuse_here, ()))


def test_a_killed_worker_is_an_error_not_a_hang() -> None:
    with pytest.raises(WorkerError, match="^a worker process was killed by signal 9; run with --jobs 1 "):
        list(ordered_map(die, numbers(40), 2, 3, nothing, ()))


def resource_tracker(pid: str) -> bool:
    """Whether the child ``pid`` is the process ``multiprocessing`` starts for the first
    spawned worker (``test_spawned_workers_where_there_is_no_fork``), alive until we exit."""
    return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()


def workers() -> List[str]:
    """This process's child processes but ``multiprocessing``'s resource tracker."""
    return [pid for pid in children() if not resource_tracker(pid)]


def children() -> List[str]:
    """This process's child processes, zombies (exited, not waited for) included."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    return [pid for task in tasks.iterdir() for pid in (task / "children").read_text().split()]


@pytest.mark.parametrize("function", [die, explode, explode_here])
def test_a_failed_run_leaves_no_process_behind(function: Callable[[str], str]) -> None:
    """Neither a worker that died nor the one still working is left running or unwaited
    for (a zombie), whether a worker was killed or raised, or this process raised."""
    assert workers() == []
    with pytest.raises(ValueError if function is explode_here else WorkerError):
        list(ordered_map(function, numbers(2000), 2, 64, nothing, ()))
    assert workers() == []
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_sending_to_a_dead_worker_is_a_worker_error() -> None:
    """Not a BrokenPipeError: the CLI takes that for its own output's reader leaving."""
    worker = pool._fork((shout, nothing, ()), [])
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join()
    with pytest.raises(WorkerError, match=r"^a worker process was killed by signal 9; run with --jobs 1 "):
        pool._send(worker, b"x" * 100_000)
    worker.conn.close()


def test_a_worker_that_cannot_be_forked_is_a_worker_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    with pytest.raises(WorkerError, match="^cannot start a worker process: Resource temporarily unavailable; try"):
        list(ordered_map(shout, numbers(40), 2, 3, nothing, ()))


def test_a_worker_that_exits_is_told_from_one_killed() -> None:
    worker = pool._fork((shout, nothing, ()), [])
    assert worker.process.is_alive()
    worker.process.join(0.05)  # a while: it waits for chunks
    assert worker.process.exitcode is None
    worker.conn.send_bytes(pickle.dumps(None))  # told to stop: it exits (0)
    worker.process.join()
    worker.process.join()  # once more: it was waited for
    assert (worker.process.exitcode, worker.process.is_alive()) == (0, False)
    with pytest.raises(WorkerError, match=r"^a worker process exited \(0\); run with --jobs 1 "):
        pool._receive(worker)
    worker.conn.close()


def test_spawned_workers_where_there_is_no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS and Windows: ``multiprocessing`` spawns the workers, which import the functions."""
    monkeypatch.setattr(pool, "_FORK", False)
    assert results(shout, list(numbers(200)), 2, 8) == [item.upper() for item in numbers(200)]
    with pytest.raises(WorkerError, match="^a worker process failed: RuntimeError "):
        list(ordered_map(shout, numbers(200), 2, 8, refuse_spawned, ()))


class Sent:
    """A worker's pipe that keeps what is sent on it."""

    def __init__(self) -> None:
        self.sent: List[object] = []

    def send_bytes(self, buf: bytes) -> None:
        self.sent.append(pickle.loads(buf))


def test_a_worker_is_told_to_exit_once_nothing_is_left_for_it() -> None:
    """Its last results read, a worker is stopped at once, not after the run: it exits
    (about 10 ms of the kernel's work) while the parent finishes its own files."""
    worker = pool._Worker(None, Sent())  # type: ignore[arg-type]
    messages = pool._Messages(iter(["a"]), 8)
    pool._fill(worker, messages)
    assert worker.conn.sent == [(0, ["a"])]  # type: ignore[attr-defined]
    pool._fill(worker, messages)  # nothing left, but a chunk is queued: its results will come
    assert (worker.queued, worker.stopped) == (1, False)
    worker.queued = 0  # they came
    pool._fill(worker, messages)
    pool._fill(worker, messages)
    assert worker.conn.sent == [(0, ["a"]), None] and worker.stopped  # type: ignore[attr-defined]


def slower_here(item: str) -> int:
    """30 ms an item in this process (a second for its first chunk), none in a worker."""
    if not in_worker():
        time.sleep(0.03)
    return os.getpid()


def test_a_worker_exits_while_the_parent_finishes_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker is stopped as its last results come, inside the parent's loop, not after
    it: here while the parent still works on its own first chunk (32 items of 30 ms), the
    worker takes the other 168 items in a few looks and exits. Its pipe's end is no error."""
    stops: List[str] = []
    stop, real_drive = pool._stop, pool._drive

    def counted(worker: pool._Worker) -> None:
        stops.append("stopped")
        stop(worker)

    def drive(*args: object) -> Iterator[object]:
        yield from real_drive(*args)  # type: ignore[arg-type]
        stops.append("run over")

    monkeypatch.setattr(pool, "_stop", counted)
    monkeypatch.setattr(pool, "_drive", drive)
    pids = results(slower_here, list(numbers(200)), 2, 64)  # type: ignore[arg-type]
    assert len(set(pids)) == 2
    assert stops == ["stopped", "run over"]


@pytest.mark.parametrize("polled", [True, False])
def test_a_stopped_worker_is_no_longer_waited_on(polled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its pipe's end makes it ready to read (with poll) until it is forgotten."""
    if not polled:
        monkeypatch.delattr(select, "poll")
    worker = pool._fork((shout, nothing, ()), [])
    ready, forget = pool._waiter([worker])
    assert ready(False) == []
    pool._stop(worker)
    worker.process.join()
    assert ready(False) == ([worker] if polled else [])  # without poll: only queued ones
    forget(worker)
    assert ready(False) == []
    worker.conn.close()


def test_stopping_early_stops_the_workers() -> None:
    running = ordered_map(shout, numbers(10_000), 2, 5, nothing, ())
    assert [next(running)[1] for _ in range(3)] == ["0", "1", "2"]
    running.close()  # the deadline fixture checks that no worker is left


@pytest.mark.parametrize("jobs", [2, 3])
def test_this_process_and_each_worker_take_a_share(jobs: int) -> None:
    pids = results(whose, list(numbers(3000)), jobs, 16)  # type: ignore[arg-type]
    assert len(set(pids)) == jobs and PARENT in pids


def test_workers_are_fed_while_this_process_works_on_its_own() -> None:
    """The parent looks at the workers' pipes after every few items of its own: a worker
    never waits for the parent's chunk to end, and it reads every message that came, so
    while the parent's first chunk takes 320 ms, the worker does (almost) every other item."""
    pids = results(slow_here, list(numbers(3000)), 2, 256)  # type: ignore[arg-type]
    # 32 or 64 (its first chunk or two; under coverage the worker is slower), 528 when it
    # looked only between its chunks
    assert pids.count(PARENT) <= 3 * pool._OWN


def test_a_worker_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    """A worker holds its parent's end of the pipe too (forked), so the pipe alone would
    not tell it the parent is gone: it asks for its parent every second while it waits."""
    script = f"""
import os, sys, time
sys.path[:0] = {sys.path!r}
from linter.batch.pool import ordered_map
def mark(item):
    if os.getpid() != parent:
        open({str(tmp_path / "worker")!r} + str(os.getpid()), "w").close()
    time.sleep(0.05)
    return item
def nothing():
    pass
parent = os.getpid()
for _ in ordered_map(mark, (str(n) for n in range(100_000)), 2, 2, nothing, ()):
    pass
"""
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        while not list(tmp_path.glob("worker*")):
            assert process.poll() is None
            time.sleep(0.05)
    finally:
        process.kill()
        process.wait()
    (marked,) = tmp_path.glob("worker*")
    worker = int(marked.name[len("worker") :])
    for _ in range(100):  # 10 seconds
        if not Path(f"/proc/{worker}").exists() or Path(f"/proc/{worker}/stat").read_text().split()[2] == "Z":
            return
        time.sleep(0.1)
    os.kill(worker, signal.SIGKILL)
    raise AssertionError("the worker outlived its parent")

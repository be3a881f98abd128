"""Worker processes for a parallel run: ordered results, one pipe per worker, no threads.

With ``jobs`` N, this process and N - 1 workers check the files. This process works on
chunks of its own between receiving the workers' results: its files cost no pickling and
no wake-up, and on a machine with one core per job no core is shared by a worker and a
parent that only passes results on. It looks at the workers' pipes after every few items
of its own (``_LOOK``), so a worker never waits long for its next chunk; its own chunks
are small (``_OWN``), so at the end it leaves a worker little to wait for.

Why not ``multiprocessing.Pool``: on 20,000 files its three helper threads cost the parent
about a second of CPU (the worker-handler thread wakes on every result), and on a two-core
machine that second is taken from the workers. A worker that dies (killed, out of memory)
also leaves ``Pool.imap`` waiting forever. Here the parent waits on the workers' pipes in
one loop, and a worker that dies is an error at once. On Linux the workers are forked with
``os.fork``, each with a socket pair, without ``multiprocessing`` (its import alone costs
about 32 M instructions, before any worker starts); a worker closes the parent's ends of
the pipes, so it sees its pipe end when the parent dies, and ends with ``os._exit``, never
returning into the parent's code. Where fork is not safe or missing (macOS, Windows),
``multiprocessing`` spawns them.

Each worker has a second chunk waiting while it works on one, so it never idles between
chunks. That second chunk is sent only if its message fits in an empty buffer (4 KB, the
least any platform gives a pipe or socket pair; on Linux a quarter of the socket pair's
send buffer, read from it, up to 64 KB). When it is sent, the worker is not blocked (its
last result has just been read), so it soon reads the chunk ahead of this one; then the
message fits and the send returns: the two sides can never both wait on a full buffer.
A bigger message (a chunk of very long paths) waits until the worker has nothing queued.
A worker whose parent dies exits: its pipe ends, or (a spawned worker, or one whose pipe
another process holds) it notices within a second.

Chunks are big while many paths are left (a result wakes the parent, and each wake-up
costs it about a quarter of a millisecond of CPU, taken from its own share) and shrink as
the end comes: the paths are read a little ahead of the chunk sent, so the last ones are
known to be the last, and split finely. The process that finishes first then waits for a
few files of another's, not for a whole chunk.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    from typing import Any, Callable, Deque, Dict, Iterable, Iterator, List, Optional, Protocol, Sequence, Tuple, Union

    class _Conn(Protocol):
        """A worker's pipe: a ``_Channel``, or a ``multiprocessing`` connection (spawned)."""

        def fileno(self) -> int: ...

        def close(self) -> None: ...

        def send_bytes(self, buf: bytes) -> None: ...

        def recv_bytes(self) -> Union[bytes, bytearray]: ...

        def send(self, obj: Any) -> None: ...

        def recv(self) -> Any: ...

        def poll(self, timeout: float) -> bool: ...


#: Workers are forked (``os.fork`` and a socket pair each: ``import multiprocessing`` alone
#: costs about 32 M instructions); elsewhere (macOS, Windows) ``multiprocessing`` spawns them.
_FORK = sys.platform.startswith("linux")
#: Chunks each worker holds: one in work, one waiting.
_QUEUE = 2
#: A message this small (with its 4-byte length) fits in any empty pipe or socket pair.
_SMALL = 4096
#: The most a message may be where the buffer is known to be bigger (``_room``).
_LARGE = 65536
#: Paths read ahead of the chunk being made, per worker and chunk size: when the walk ends
#: inside them, what is left is known and split finely.
_AHEAD = 2 * _QUEUE
#: The fewest paths a chunk has while enough are left: a smaller one costs the parent a
#: wake-up for little work.
_FEWEST = 4
#: The first chunks' size: chunks grow (doubling) from it while their results stay light.
_FIRST = 32
#: The most items the parent takes at once for itself: its own chunks cost it no message
#: and no wake-up, and small ones leave less for a worker to wait for at the end.
_OWN = 32
#: Items the parent works on between looks at the workers' pipes: a worker's queued chunk
#: has at least ``_FEWEST`` (about as long to check), so it gets its next one in time. A
#: look is a system call and a few Python calls (about a microsecond; a generated article takes about 200).
_LOOK = _FEWEST
#: About the most bytes of results a chunk may bring back: a worker holds a chunk's results
#: until its last item is done, and a file with 20,000 findings packs to megabytes.
_RESULTS = 1 << 20


class WorkerError(Exception):
    """A worker process died or failed outside the per-file error handling."""


class _Worker:
    __slots__ = ("process", "conn", "queued", "stopped")

    def __init__(self, process: Any, conn: _Conn) -> None:
        self.process = process
        self.conn = conn
        self.queued = 0  # chunks sent whose results have not arrived
        self.stopped = False  # told to exit: nothing more is sent to it or comes from it


class _Messages:
    """The chunks of ``items``, numbered and pickled, one at a time; one can be put back.
    Each chunk's items are kept until its results arrive (``taken``): a result need not
    carry its item back.

    A chunk has at most ``size`` items, and ends before its paths pass ``room`` bytes,
    unless they are very long. Once the items left are all read ahead, a chunk is a share
    of them: ``1 / (jobs * _QUEUE)``, at least ``_FEWEST`` (guided self-scheduling).
    Chunks start at ``_FIRST`` items and double up to ``size`` while the results of the
    heaviest chunk so far, per item, would keep a chunk's under ``_RESULTS`` bytes
    (``weigh``): files with many findings each get small chunks."""

    def __init__(self, items: Iterable[str], size: int, jobs: int = 1, room: int = _SMALL) -> None:
        self.stream: Optional[Iterator[str]] = iter(items)
        self.most = size
        self.size = min(size, _FIRST)
        self.heaviest = 0.0  # the most bytes of results per item of a chunk so far
        self.jobs = jobs
        self.room = room
        self.ahead: Deque[str] = collections.deque()
        self.numbers = itertools.count()
        self.back: Optional[bytes] = None
        self.taken: Dict[int, List[str]] = {}

    def take(self) -> Optional[bytes]:
        """The next chunk for a worker, pickled (the one put back first, if any)."""
        message, self.back = self.back, None
        if message is not None:
            return message
        chunk = self._chunk(self._count())
        if chunk is None:
            return None
        import pickle  # here, not at the top: a serial run (pre-commit's one file) never needs it

        return pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)

    def take_own(self) -> Optional[Tuple[int, List[str]]]:
        """The next chunk for the parent: never pickled, and at most ``_OWN`` items."""
        return self._chunk(min(_OWN, self._count()))

    def _chunk(self, count: int) -> Optional[Tuple[int, List[str]]]:
        """The next ``count`` items (fewer if their bytes fill a message), numbered."""
        batch: List[str] = []
        room = self.room - 64  # the rest: the chunk's number and pickle's framing
        ahead = self.ahead
        while ahead and len(batch) < count:
            item = ahead.popleft()
            batch.append(item)
            room -= (len(item) if item.isascii() else 4 * len(item)) + 8  # UTF-8; 8: framing
            if room < 1024:
                break
        if not batch:
            return None
        number = next(self.numbers)
        self.taken[number] = batch
        return number, batch

    def _count(self) -> int:
        """How many items the next chunk takes (fewer if their bytes fill it first)."""
        wanted = self.most * (1 + self.jobs * _AHEAD)
        stream, ahead = self.stream, self.ahead
        if stream is not None and len(ahead) < wanted:
            ahead.extend(itertools.islice(stream, wanted - len(ahead)))
            if len(ahead) < wanted:
                self.stream = None  # the walk ended: every item left is in ``ahead``
        if self.stream is not None:
            return self.size
        share = -(-len(ahead) // (self.jobs * _QUEUE))
        return min(self.size, max(_FEWEST, share))

    def weigh(self, items: int, size: int) -> None:
        """A chunk of ``items`` came back as ``size`` bytes: the next chunks' size."""
        self.heaviest = max(self.heaviest, size / max(1, items))
        fits = int(_RESULTS // self.heaviest) if self.heaviest else self.most
        self.size = max(1, min(self.most, 2 * self.size, fits))


def _room(conn: _Conn) -> int:
    """The largest message that fits in ``conn``'s empty buffer, on every platform
    ``_SMALL``; on Linux, where a pipe is a socket pair whose send buffer can be read,
    a quarter of that buffer (the kernel counts its own bookkeeping in it), up to ``_LARGE``."""
    if not sys.platform.startswith("linux"):
        return _SMALL
    import socket

    try:
        with socket.socket(fileno=os.dup(conn.fileno())) as sock:
            if sock.family != socket.AF_UNIX or sock.type != socket.SOCK_STREAM:
                return _SMALL
            buffer = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    except OSError:
        return _SMALL
    return max(_SMALL, min(_LARGE, buffer // 4))


def ordered_map(
    function: Callable[[str], Any],
    items: Iterable[str],
    jobs: int,
    chunk: int,
    initializer: Callable[..., None],
    initargs: Sequence[Any],
) -> Iterator[Tuple[str, Any]]:
    """``(item, function(item))`` for each of ``items``, computed in ``jobs`` processes
    (this one and ``jobs - 1`` workers), in the order of ``items``.

    Items (paths) go out at most ``chunk`` at a time; ``items`` may be a stream.
    ``function`` and ``initializer`` must be module-level (a spawned worker imports them);
    this process calls ``initializer`` too, once its workers are started, and an exception
    of ``function`` here is raised as it is (a worker's is a ``WorkerError``).
    """
    work = (function, initializer, tuple(initargs))
    workers: List[_Worker] = []
    try:
        with _ctrl_c_held():
            start = _fork if _FORK else _spawner()
            for _ in range(jobs - 1):
                workers.append(start(work, workers))
        initializer(*initargs)  # after the fork: the workers build their own
        room = min((_room(worker.conn) for worker in workers), default=_SMALL)
        yield from _drive(workers, _Messages(items, chunk, jobs, room), function)
        for worker in workers:  # each was stopped once nothing was left for it (``_fill``)
            worker.process.join()
    finally:  # interrupted, or the run failed: the workers are stopped, not waited for
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.conn.close()


def _fork(work: Tuple[Any, ...], others: List[_Worker]) -> _Worker:
    """A worker forked from this process, with a socket pair for its pipe. The worker
    closes our ends (its own and ``others``'): when we die, its pipe ends."""
    import socket

    mine, theirs = socket.socketpair()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError as exc:  # out of processes or memory
        mine.close()
        theirs.close()
        raise WorkerError(f"cannot start a worker process: {exc.strerror}; try --jobs 1") from None
    if pid == 0:  # pragma: no branch - the worker's side is measured in _forked
        _forked(theirs, [mine] + [other.conn for other in others], parent, work)
    theirs.close()
    return _Worker(_Forked(pid), _Channel(mine))


def _forked(sock: socket.socket, ours: List[Any], parent: int, work: Tuple[Any, ...]) -> None:
    """The forked worker's life: it closes our ends of the pipes (``ours``), serves, and
    exits; it never returns into its caller's code, whatever happens."""
    code = 1
    try:
        for end in ours:
            end.close()
        _serve(_Channel(sock), parent, *work)
        code = 0
    finally:
        os._exit(code)  # no exit handlers, no flushing of the buffers copied from us


def _spawner() -> Callable[[Tuple[Any, ...], List[_Worker]], _Worker]:
    import multiprocessing  # only where workers are not forked

    context = multiprocessing.get_context("spawn")
    return lambda work, others: _start(context, work)


def _start(context: Any, work: Tuple[Any, ...]) -> _Worker:
    mine, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, os.getpid(), *work))
    process.daemon = True  # stopped when the parent exits
    try:
        process.start()
    except OSError as exc:  # out of processes or memory
        mine.close()
        raise WorkerError(f"cannot start a worker process: {exc.strerror}; try --jobs 1") from None
    finally:
        theirs.close()
    return _Worker(process, mine)


class _Channel:
    """One end of a socket pair, carrying messages as ``multiprocessing``'s connections do
    (a 4-byte length, then the bytes)."""

    __slots__ = ("sock",)

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def fileno(self) -> int:
        return self.sock.fileno()

    def close(self) -> None:
        self.sock.close()

    def send_bytes(self, buf: bytes) -> None:
        self.sock.sendall(len(buf).to_bytes(4, "big") + buf)

    def recv_bytes(self) -> bytearray:
        return self._read(int.from_bytes(self._read(4), "big"))

    def send(self, obj: Any) -> None:
        import pickle

        self.send_bytes(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))

    def recv(self) -> Any:
        import pickle

        return pickle.loads(self.recv_bytes())

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end of the pipe) is there to read, within ``timeout``."""
        import select

        return bool(select.select([self.sock], [], [], timeout)[0])

    def _read(self, size: int) -> bytearray:
        buffer = bytearray(size)
        view = memoryview(buffer)
        got = 0
        while got < size:
            count = self.sock.recv_into(view[got:])
            if not count:
                raise EOFError
            got += count
        return buffer


class _Forked:
    """A forked worker's process: what is used here of ``multiprocessing.Process``."""

    __slots__ = ("pid", "exitcode")

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exitcode: Optional[int] = None  # -N: killed by signal N

    def join(self, timeout: Optional[float] = None) -> None:
        """Wait until it exits, or at most ``timeout`` seconds."""
        import time

        if timeout is None:
            if self.exitcode is None:
                self.exitcode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            return
        deadline = time.monotonic() + timeout
        while self.exitcode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
            elif time.monotonic() >= deadline:
                return
            else:
                time.sleep(0.01)

    def is_alive(self) -> bool:
        self.join(0)
        return self.exitcode is None

    def terminate(self) -> None:
        import signal

        os.kill(self.pid, signal.SIGTERM)


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers start: one that came before a worker ignores it
    would interrupt the worker's start-up and print a traceback. The worker lets it through
    once it ignores it; the parent gets it as soon as its workers are started."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks, no fork
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _drive(workers: List[_Worker], messages: _Messages, function: Callable[[str], Any]) -> Iterator[Tuple[str, Any]]:
    """Keep every worker's queue full and work on chunks of our own in between, a few
    items at a time (``_LOOK``), reading every message the workers sent after each few;
    yield results as soon as they are in order. A worker is stopped as soon as nothing is
    left for it: it exits while we finish our own chunk (its pipe's end is then no error),
    not after the run, which kept the parent waiting 8-12 ms for the kernel to end it."""
    ready, forget = _waiter(workers)
    done: Dict[int, List[Any]] = {}  # results that arrived before an earlier chunk's
    parts: Dict[int, Tuple[List[Any], int]] = {}  # a chunk's results so far, and their bytes
    following = 0
    for worker in workers:
        _fill(worker, messages)
    own: Optional[Tuple[int, int, Iterator[Any]]] = None  # our chunk: number, size, its results
    mine: List[Any] = []  # its results so far
    while True:
        if own is None:
            chunk = messages.take_own()
            own = None if chunk is None else (chunk[0], len(chunk[1]), map(function, chunk[1]))
        if own is None and not any(worker.queued for worker in workers):
            break
        arrived = ready(own is None)  # wait only when we have nothing of our own to do
        while arrived:
            for worker in arrived:
                if worker.stopped:  # it exited, its pipe ended: nothing more comes from it
                    forget(worker)
                    continue
                index, results, size, last = _receive(worker)
                if index in parts or not last:
                    before, weight = parts.pop(index, ([], 0))
                    results, size = before + results, weight + size
                    if not last:
                        parts[index] = (results, size)
                        continue
                messages.weigh(len(results), size)
                _fill(worker, messages)  # before yielding: the worker works while we report
                done[index] = results
            # a worker may have sent more than one message since we last looked
            arrived = ready(False) if own is not None else []
        if own is not None:
            index, count, running = own
            mine.extend(itertools.islice(running, _LOOK))
            if len(mine) == count:  # weighed as a worker's: heavy results, smaller chunks
                messages.weigh(count, sum(map(_weight, mine)))
                done[index], own, mine = mine, None, []
        while following in done:
            yield from zip(messages.taken.pop(following), done.pop(following))
            following += 1


def _waiter(workers: List[_Worker]) -> Tuple[Callable[[bool], List[_Worker]], Callable[[_Worker], None]]:
    """The workers with something to read (a result, or the end of a worker that died or
    was stopped), waiting until one has if asked to (``block``); and how to stop waiting
    on a worker. Where the platform has ``poll``, one poll object serves the whole run:
    ``multiprocessing.connection.wait`` makes and fills a new one at each call, which cost
    the parent more than receiving the results."""
    import select

    if not hasattr(select, "poll"):  # Windows: pipes are waited on by their handles
        from multiprocessing.connection import wait

        by_conn: Dict[Any, _Worker] = {worker.conn: worker for worker in workers}

        def ready(block: bool) -> List[_Worker]:
            ends: List[Any] = [worker.conn for worker in workers if worker.queued]
            return [by_conn[end] for end in wait(ends, None if block else 0)]

        return ready, lambda worker: None  # only workers with chunks queued are waited on
    poller = select.poll()
    by_fd = {}
    for worker in workers:
        by_fd[worker.conn.fileno()] = worker
        poller.register(worker.conn.fileno(), select.POLLIN)
    return (
        lambda block: [by_fd[fd] for fd, _ in poller.poll(None if block else 0)],
        lambda worker: poller.unregister(worker.conn.fileno()),
    )


def _fill(worker: _Worker, messages: _Messages) -> None:
    while worker.queued < _QUEUE:
        message = messages.take()
        if message is None:
            if not worker.queued and not worker.stopped:
                _stop(worker)  # nothing is left for it: it exits while we finish our own
            return
        if worker.queued and len(message) + 4 > messages.room:
            messages.back = message  # sent once this worker's queue is empty
            return
        _send(worker, message)
        worker.queued += 1


def _stop(worker: _Worker) -> None:
    """Tell ``worker`` to return from ``_serve`` and exit (its queue is empty)."""
    import pickle

    _send(worker, pickle.dumps(None))
    worker.stopped = True


def _send(worker: _Worker, message: bytes) -> None:
    try:
        worker.conn.send_bytes(message)
    except OSError:  # not BrokenPipeError to the caller: that means our stdout's reader left
        raise _lost(worker) from None


def _receive(worker: _Worker) -> Tuple[int, List[Any], int, bool]:
    """A chunk's number, results of it, the size of the message they came in, and whether
    they are its last (a chunk with heavy results comes in parts)."""
    import pickle

    try:
        message = worker.conn.recv_bytes()
    except (EOFError, OSError):
        raise _lost(worker) from None
    index, results, failure, last = pickle.loads(message)
    if failure is not None:
        raise WorkerError(f"a worker process failed: {failure}")
    worker.queued -= last
    return index, results, len(message), last


def _lost(worker: _Worker) -> WorkerError:
    worker.process.join(1)
    code = worker.process.exitcode
    if code is None:
        how = "stopped answering"
    elif code < 0:
        how = f"was killed by signal {-code}"
    else:
        how = f"exited ({code})"
    return WorkerError(f"a worker process {how}; run with --jobs 1 to check the files in one process")


def _serve(
    conn: _Conn,
    parent: int,
    function: Callable[[str], Any],
    initializer: Callable[..., None],
    initargs: Tuple[Any, ...],
) -> None:
    """A worker: run ``function`` on each chunk received until told to stop (``None``)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back while we started
    failure: Optional[str] = None
    try:
        initializer(*initargs)
    except Exception as exc:  # reported with the first chunk, which the parent waits for
        failure = _failure(exc)
    try:
        while True:
            while not conn.poll(1.0):
                if os.getppid() != parent:  # killed, while a process it started since holds
                    return  # its end of our pipe: the pipe alone would not tell
            message: Optional[Tuple[int, List[str]]] = conn.recv()
            if message is None:
                return
            index, items = message
            if failure is None:
                failure = _run_chunk(conn, function, index, items)
            if failure is not None:
                conn.send((index, [], failure, True))
    except (EOFError, OSError):  # the parent is gone (killed, or stopped reading): so are we
        return


def _run_chunk(conn: _Conn, function: Callable[[str], Any], index: int, items: List[str]) -> Optional[str]:
    """Send the results of one chunk: in parts of about ``_RESULTS`` bytes when they are
    heavy (a worker never holds more), the last part marked; or say why it failed."""
    results: List[Any] = []
    weight = 0
    try:
        for item in items:
            result = function(item)
            results.append(result)
            weight += _weight(result)
            if weight > _RESULTS:
                conn.send((index, results, None, False))
                results, weight = [], 0
    except Exception as exc:  # the parent reports it and stops the run
        return _failure(exc)
    conn.send((index, results, None, True))
    return None


def _weight(value: Any, depth: int = 0) -> int:
    """About how many bytes ``value`` pickles to: exact enough for bytes and strings in
    tuples and lists (what the runner sends); anything else is pickled to be sure."""
    if value is None or isinstance(value, (bool, int, float)):
        return 8
    if isinstance(value, (bytes, str)):
        return 8 + len(value) * (1 if isinstance(value, bytes) or value.isascii() else 4)
    if isinstance(value, (tuple, list)) and depth < 4:
        return 8 + sum(_weight(part, depth + 1) for part in value)
    import pickle

    return len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _failure(exc: BaseException) -> str:
    """The exception's type and where it was raised; not its text, which may quote a file."""
    from linter.engine import where_raised

    return f"{type(exc).__name__} {where_raised(exc)}"

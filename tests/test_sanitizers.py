"""The compiled reader under AddressSanitizer and UndefinedBehaviorSanitizer.

(The same module holds the archive listing's folder scan: the child runs it too, on a
folder of every kind of entry and with bad calls, against its Python twin.)

``linter/parse/_blockreader.c`` is built again with both sanitizers (gcc, against this
Python's headers) and loaded into a child Python, which runs it over every article at hand
(../shared/corpus when it exists, the fixtures, the examples) and a few thousand generated
documents, hostile ones among them, comparing each answer with the Python twin's. Any
sanitizer report fails the test: the child stops at the first one (``halt_on_error``,
``-fno-sanitize-recover=all``) and its stderr says where.

The Python interpreter itself is not instrumented, so the ASan runtime is preloaded
(``LD_PRELOAD``), and ``PYTHONMALLOC=malloc`` routes ``PyMem_Malloc`` (the reader's frame
stack) and every Python object through the intercepted ``malloc``: under pymalloc an overrun
inside an arena would go unseen. ``test_the_harness_catches_*`` show that a real defect is
reported under exactly these settings.

Run as a script (``python tests/test_sanitizers.py MODULE [ROOT ...]``) this file is that child.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any, Callable, Iterator, List, NamedTuple, Optional, Tuple, Union

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT, SHARED

from linter.parse import blockreader
from linter.parse.frontmatter import Frontmatter, fence_python, split
from linter.parse.types import Limits, Parsed

SOURCE = ROOT / "linter" / "parse" / "_blockreader.c"
FLAGS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g", "-O1"]
#: CPython keeps objects alive until exit by design: leak reports would be noise.
ASAN_OPTIONS = "detect_leaks=0:halt_on_error=1:abort_on_error=0"
UBSAN_OPTIONS = "print_stacktrace=1:halt_on_error=1"
TIMEOUT = 300
#: Generated documents per run (besides every file of the roots and the fixed hostile ones).
GENERATED = 3000
DEFAULT = Limits()
HUGE = Limits(max_depth=10**9, max_nodes=10**9)


class Toolchain(NamedTuple):
    gcc: str
    libasan: str
    include: str


def find_toolchain() -> Union[Toolchain, str]:
    """gcc, its ASan runtime and this Python's headers; or why they cannot be had."""
    gcc = shutil.which("gcc")
    if gcc is None:
        return "no gcc on PATH (Debian: apt-get install gcc)"
    include = sysconfig.get_path("include")
    if not (Path(include) / "Python.h").is_file():
        return f"no Python.h in {include} (Debian: apt-get install python3-dev)"
    named = subprocess.run([gcc, "-print-file-name=libasan.so"], capture_output=True, text=True, timeout=60)
    libasan = os.path.realpath(named.stdout.strip())
    if named.returncode != 0 or not os.path.isabs(named.stdout.strip()) or not os.path.isfile(libasan):
        return f"gcc has no AddressSanitizer runtime ({named.stdout.strip() or named.stderr.strip()})"
    return Toolchain(gcc, libasan, include)


@pytest.fixture(scope="module")
def toolchain() -> Toolchain:
    found = find_toolchain()
    if isinstance(found, str):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the C reader under sanitizers, but {found}")
        pytest.skip(found)
    return found


def build(toolchain: Toolchain, source: Path, name: str, out: Path) -> Path:
    """``source`` as the extension module ``name``, with both sanitizers."""
    target = out / (name + sysconfig.get_config_var("EXT_SUFFIX"))
    command = [toolchain.gcc, *FLAGS, "-shared", "-fPIC", f"-I{toolchain.include}", str(source), "-o", str(target)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"{command}\n{proc.stderr}"
    return target


def run_sanitized(toolchain: Toolchain, args: List[str]) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    env = dict(os.environ)
    env["LD_PRELOAD"] = " ".join(filter(None, [toolchain.libasan, env.get("LD_PRELOAD")]))
    env.update(ASAN_OPTIONS=ASAN_OPTIONS, UBSAN_OPTIONS=UBSAN_OPTIONS, PYTHONMALLOC="malloc")
    command = [sys.executable, *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=TIMEOUT)


def sanitizer_report(proc: subprocess.CompletedProcess) -> Optional[str]:  # type: ignore[type-arg]
    """What fails the run: a report on stderr, or any non-zero exit."""
    if "ERROR: AddressSanitizer" in proc.stderr or "runtime error:" in proc.stderr or proc.returncode != 0:
        return f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    return None


# -- the tests ---------------------------------------------------------------------------------


def test_the_reader_is_clean_under_sanitizers(toolchain: Toolchain, tmp_path: Path) -> None:
    module = build(toolchain, SOURCE, "_blockreader", tmp_path)
    roots = [FIXTURES, EXAMPLES]
    if SHARED.is_dir():
        roots += [SHARED / "corpus" / "real", SHARED / "corpus" / "generic", SHARED / "seeds"]
    proc = run_sanitized(toolchain, [__file__, str(module), *map(str, roots)])
    report = sanitizer_report(proc)
    assert report is None, report
    counts = dict(line.split(": ", 1) for line in proc.stdout.splitlines())
    assert counts["module"] == str(module)  # the sanitized build ran, not the installed one
    files = sum(1 for root in roots for path in root.rglob("*") if path.is_file())
    assert int(counts["files"]) == files
    assert int(counts["documents"]) >= files + GENERATED
    # the fast path was taken, not only the early ways out (a third of the generic corpus
    # and of the generated documents are inside the subset)
    assert int(counts["answered"]) >= (2400 if SHARED.is_dir() else 100) + GENERATED // 4
    assert counts["refused calls"] == "11"  # every bad call raised, none crashed
    assert counts["scan cases"] == "50" and counts["refused scans"] == "22"  # the listing's scan too
    assert counts["scans on two threads"] == "6"  # its lstat calls shared by two threads
    # the engine's reading, fence search and window check too (fence takes an `at` below 0
    # as 0, as re does; shares_window takes any sequence of str, a str too)
    assert counts["read cases"] == "232" and counts["window cases"] == "4000"
    assert counts["refused reads"] == "25"


def test_the_reader_is_standard_c(toolchain: Toolchain) -> None:
    """The Windows wheels are compiled by MSVC, which has no GNU extensions: gcc in strict
    C11 mode (the Python headers need C11 since 3.12) with every warning an error accepts
    the reader as it is."""
    strict = ["-std=c11", "-pedantic-errors", "-Wall", "-Wextra", "-Wshadow", "-Wvla", "-Werror", "-fsyntax-only"]
    command = [toolchain.gcc, *strict, "-isystem", toolchain.include, str(SOURCE)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr


#: Two deliberate defects: a read past a PyMem_Malloc block and a signed overflow.
BROKEN = r"""
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
static PyObject *past_the_end(PyObject *m, PyObject *n) {
    (void)m;
    volatile char *p = PyMem_Malloc(8);
    if (p == NULL) return PyErr_NoMemory();
    char c = p[PyLong_AsLong(n)];
    PyMem_Free((void *)p);
    return PyLong_FromLong(c);
}
static PyObject *overflow(PyObject *m, PyObject *n) {
    (void)m;
    volatile int x = (int)PyLong_AsLong(n);
    return PyLong_FromLong(x + INT_MAX);
}
static PyMethodDef methods[] = {
    {"past_the_end", past_the_end, METH_O, NULL}, {"overflow", overflow, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_broken", NULL, -1, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit__broken(void) { return PyModule_Create(&module); }
"""


@pytest.fixture(scope="module")
def broken(toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("broken")
    (out / "broken.c").write_text(BROKEN, encoding="utf-8")
    return build(toolchain, out / "broken.c", "_broken", out)


CALL_BROKEN = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("_broken", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(getattr(module, sys.argv[2])(int(sys.argv[3])))
"""


@pytest.mark.parametrize(
    "function,argument,expected",
    [
        ("past_the_end", 8, "ERROR: AddressSanitizer: heap-buffer-overflow"),
        ("overflow", 1, "runtime error: signed integer overflow"),
    ],
)
def test_the_harness_catches_a_defect(
    toolchain: Toolchain, broken: Path, function: str, argument: int, expected: str
) -> None:
    """The same build flags and child settings report a real defect and fail; in bounds,
    the same module runs clean (so the report comes from the defect, not the set-up)."""
    bad = run_sanitized(toolchain, ["-c", CALL_BROKEN, str(broken), function, str(argument)])
    assert expected in bad.stderr and sanitizer_report(bad) is not None, bad.stderr[-3000:]
    good = run_sanitized(toolchain, ["-c", CALL_BROKEN, str(broken), function, "0"])
    assert sanitizer_report(good) is None


# -- the child: documents, and the two readers side by side ------------------------------------


def typed(value: Any) -> List[Tuple[Any, ...]]:
    """A value flattened, with its exact types spelled out (1, True and 1.0 are equal in
    Python); without recursion, as hostile documents nest deeper than Python's limit."""
    flat: List[Tuple[Any, ...]] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            flat.append(("map", len(item)))
            for key, inner in reversed(list(item.items())):
                pending += [inner, ("key", key)]  # parsed data holds no tuples: this marks a key
        elif isinstance(item, list):
            flat.append(("seq", len(item)))
            pending += reversed(item)
        elif isinstance(item, tuple):
            flat.append(item)
        else:
            flat.append((type(item).__name__, repr(item)))
    return flat


def answer(read: Callable[[str, Limits], Optional[Parsed]], text: str, limits: Limits) -> Any:
    try:
        parsed = read(text, limits)
    except blockreader._Outside:
        return None
    if parsed is None:
        return None
    marks, raw, jekyll = list(parsed.marks.items()), list(parsed.raw.items()), list(parsed.jekyll.items())
    return typed(parsed.data), marks, raw, jekyll, parsed.problems, sorted(parsed.suppressed, key=repr)


def file_texts(path: Path) -> Iterator[str]:
    """The frontmatter of a file as the linter would read it; bytes that are not UTF-8
    (the linter stops at them) come through as lone surrogates, to reach the reader."""
    block = split(path.read_bytes().decode("utf-8", "surrogateescape"))
    if isinstance(block, Frontmatter):
        yield block.yaml_text


KEYS = ["a", "title", "a-b", "_x", "x1", "url", "yes", "Null", "k" * 1024, "k" * 1025, "é"]
SCALARS = [
    "x", "x y", "1", "-1", "0x1F", "017", "1_000", "4:35:0.01", "1e3", ".inf", "-.nan", "yes", "~", "null",
    "2023-05-29", "2023-05-29T23:00:00Z", "=", "<<", "é", "😀", "x\u00a0", '"q"', '"a\\"b"', '"\\n\\t"',
    '"\\u00e9"', '"\\U0001F600"', '"\\x4"', '"\\ud800"', '"\\z"', '"\\', '"abc\\', "'s'", "'it''s'", "''",
    "'", '"', "-", "- x", "?", ": x", "a: b", "a:", "#c", "x #c", "[1]", "{a: 1}", "&a x", "*a", "!!str x",
    "|", ">", "\t", "x\ty", "x\u2028y", "x\x85", "\ufeff", "x\x00", "\x00", "\udcff", "\ud83d", "", " ",
    "x  ", '"x"  # c', '"x"#c', "'x' y", "x" * 5000,
]  # fmt: skip
EDITS = [" ", "-", ":", "#", '"', "'", "\\", "\n", "x", "\t", "[", "é", "😀", "\x00", "\udc80", "- ", ": ", "\r"]


def generated(rng: random.Random) -> str:
    """Block-style documents shaped like articles, nested up to five levels."""

    def block(indent: int, depth: int) -> List[str]:
        lines = []
        for _ in range(rng.randint(1, 4)):
            head = " " * indent + rng.choice(KEYS[:6] * 6 + KEYS) + ":"
            kind = rng.choice(["scalar", "scalar", "empty", "map", "list"] if depth < 5 else ["scalar"])
            if kind == "scalar":
                lines.append(head + rng.choice([" ", "  "]) + rng.choice(SCALARS[:8] * 4 + SCALARS))
            elif kind == "empty":
                lines.append(head)
            elif kind == "map":
                lines += [head, *block(indent + rng.choice([1, 2, 4]), depth + 1)]
            else:
                lines += [head, *items(indent + rng.choice([0, 2, 2, 3]), depth + 1)]
        return lines

    def items(indent: int, depth: int) -> List[str]:
        lines = []
        for _ in range(rng.randint(1, 3)):
            dash = " " * indent + rng.choice(["- ", "-  "])
            if rng.random() < 0.5:
                lines.append(dash + rng.choice(SCALARS))
            else:
                inner = block(len(dash), depth + 1)
                lines += [dash + inner[0][len(dash) :], *inner[1:]]
        return lines

    return "\n".join(block(0, 0))


def mutated(rng: random.Random, text: str) -> str:
    """Characters inserted, deleted or replaced; or the text cut short anywhere."""
    if rng.random() < 0.3:
        return text[: rng.randint(0, len(text))]
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(EDITS) + text[at + rng.randint(0, 3) :]
    return text


def undecodable(rng: random.Random, text: str) -> str:
    """The text's UTF-8 with a few bytes spoiled, read back as the three decoders would."""
    data = bytearray(text.encode("utf-8", "surrogatepass") or b"a: x")
    for _ in range(rng.randint(1, 3)):
        data[rng.randrange(len(data))] = rng.choice([0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0x00])
    return bytes(data).decode(rng.choice(["utf-8", "latin-1"]), "surrogateescape")


def hostile() -> Iterator[Tuple[str, Limits]]:
    """Deep, long, wide and odd documents, near and far past the limits."""
    for depth in (2, 62, 63, 64, 65, 300, 1000):
        chain = "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v: 1"
        items = "a:\n" + "".join(" " * (1 + 3 * i) + f"- k{i}:\n" for i in range(depth)) + " " * (3 * depth + 1) + "- x"
        for text in (chain, items, chain[: len(chain) // 2]):
            yield text, DEFAULT
            yield text, HUGE
            yield text, Limits(max_depth=depth, max_nodes=3 * depth + 20)
    for size in (1023, 1024, 1025, 100_000):
        yield "k" * size + ": x", DEFAULT
        yield "a: " + "x" * size, DEFAULT
        yield "a:\n" + " " * size + "b: 1", DEFAULT
        yield 'a: "' + "\\u00e9" * size + '"', DEFAULT
        yield "a: '" + "''" * size + "'", DEFAULT
    wide = "".join(f"k{i}: {i}\n" for i in range(20_000))
    yield wide, DEFAULT
    yield wide, HUGE
    for limits in (Limits(0, 0), Limits(1, 1), Limits(2, 8), Limits(-1, -1), Limits(-(10**30), 10**30)):
        yield "a: 1\nb:\n  - c\n  - d: e", limits
    for text in ("", "\n", "\x00", "a: 1\x00", "a:\x00 1", "\udcff: 1", "a: \ud800", "a:", "a:\n", "-", "- ", ":"):
        yield text, DEFAULT


class _Unsure:
    def __bool__(self) -> bool:
        raise ValueError("no answer")


def bad_calls(read: Callable[..., Any]) -> int:
    """The C function's own argument checks and its callbacks' failures: an exception, no crash."""
    first = blockreader._RESOLVED_FIRST
    plain, unescape = blockreader._plain, blockreader._unescape

    def boom(*args: Any) -> Any:
        raise RuntimeError("callback failed")

    calls: List[Tuple[Any, ...]] = [
        (),
        (b"a: 1", 64, 100, first, plain, unescape),
        ("a: 1", "64", 100, first, plain, unescape),
        ("a: 1", 64, None, first, plain, unescape),
        ("a: 1", 64, 100, None, plain, unescape),
        ("a: 1\nb: yes", 64, 100, first, boom, unescape),
        ("a: 1\nb: yes", 64, 100, first, lambda text: (text,), unescape),
        ("a: 1\nb: yes", 64, 100, first, lambda text: None, unescape),
        ("a: 1\nb: 1.5", 64, 100, first, lambda text: (text, _Unsure()), unescape),
        ('a: "\\n"', 64, 100, first, plain, boom),
        ("a: 1", 64, 100, first, plain, unescape, None),
    ]
    failed = 0
    for args in calls:
        try:
            read(*args)
        except (TypeError, RuntimeError, ValueError):
            failed += 1
    # a callback that answers oddly but does not fail is taken as it is
    odd = read('a: "\\n"\nb: 1.5', 64, 100, first, lambda text: (text, 0), lambda body: 42)
    assert odd is not None and odd[0] == {"a": 42, "b": "1.5"}, odd
    return failed


def documents(roots: List[Path], rng: random.Random, files: List[Path]) -> Iterator[Tuple[str, Limits]]:
    """Every file's frontmatter, the hostile documents, then the generated ones and
    mutations of the files' (``files`` receives each file read)."""
    samples: List[str] = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                files.append(path)
                for text in file_texts(path):
                    samples.append(text)
                    yield text, DEFAULT
    yield from hostile()
    for number in range(GENERATED):
        text = generated(rng)
        yield text, DEFAULT
        if number % 3 == 0:
            yield mutated(rng, text), DEFAULT
        if samples and number % 5 == 0:
            sample = rng.choice(samples)
            yield mutated(rng, sample), DEFAULT
            yield undecodable(rng, sample), DEFAULT


def child(argv: List[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("module", type=Path)
    parser.add_argument("roots", type=Path, nargs="*")
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location("_blockreader", args.module)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    blockreader._native_read = module.read  # read_native calls it through this name
    files: List[Path] = []
    checked = answered = 0
    for text, limits in documents(args.roots, random.Random(20261202), files):
        python = answer(blockreader.read_python, text, limits)
        compiled = answer(blockreader.read_native, text, limits)
        fenced = "---\n" + text + "\n---\n"
        if compiled != python or any(module.fence(t, 3) != fence_python(t, 3) for t in (text, fenced)):
            print(f"the readers differ on {text[:300]!r} with {limits}", file=sys.stderr)
            return 1
        checked += 1
        answered += python is not None
    print(f"module: {module.__file__}\nfiles: {len(files)}\ndocuments: {checked}\nanswered: {answered}")
    print(f"refused calls: {bad_calls(module.read)}")
    print(scans(module))
    print(reads(module))
    return 0


def reads(module: Any) -> str:
    """The engine's ``read_file``, ``fence`` and redaction's ``shares_window`` of the same
    module against their Python twins, and their bad calls (tests/test_fast_paths.py)."""
    import tempfile

    from test_fast_paths import compare_reads, compare_windows

    from linter import engine, redact

    engine._read_file = module.read_file
    redact._native_shares = module.shares_window
    with tempfile.TemporaryDirectory() as folder:
        cases = compare_reads(Path(folder))
    windows = sum(compare_windows().values())
    refused = 0
    bad: List[Tuple[Any, ...]] = [(), ("a",), ("a", "1"), ("a", -1), (b"a\0b", 10), (None, 10), ("a", 1, 2)]
    bad += [("a", ["x", b"secretive"]), ("a", None)]
    functions = (module.read_file, module.fence, module.shares_window)
    for function, args in [(function, args) for function in functions for args in bad]:
        try:
            function(*args)
        except (TypeError, ValueError):
            refused += 1
    return f"read cases: {cases}\nwindow cases: {windows}\nrefused reads: {refused}"


def scans(module: Any) -> str:
    """The archive listing's ``scan`` of the same module on a folder of every kind of entry,
    against its Python twin, and its bad calls (tests/test_archive_scan.py)."""
    import tempfile

    from test_archive_scan import bad_calls as bad_scans
    from test_archive_scan import bulk_compare, compare_on, tree

    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as bulk:
        news = tree(Path(folder))
        cases, refused, shared = (
            compare_on(module.scan, news),
            bad_scans(module.scan, news),
            bulk_compare(module.scan, Path(bulk)),
        )
        return f"scan cases: {cases}\nrefused scans: {refused}\nscans on two threads: {shared}"


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))

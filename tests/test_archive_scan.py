"""The archive listing's folder scan: the compiled ``scan`` (``linter/parse/_blockreader.c``)
and its Python twin (``members.scan_python``) give the same bytes on every kind of entry a
checkout can hold (files, folders, links that dangle, loop or leave, FIFOs, names that are
not UTF-8, times outside 64 bits of nanoseconds), at every room left, and the compiled one
refuses bad calls with an exception. tests/test_sanitizers.py runs ``tree`` and
``compare_on`` under AddressSanitizer and UBSan too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Callable, List, Tuple

import pytest

from linter.archive import members
from linter.archive.table import NO_SIGNATURE, SIGNATURE, signature
from linter.batch.walk import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

#: "compiled" where the test environment builds the C module; "python" on the install built
#: without a compiler (tests/test_wheel.py), where the twin is the only scan. (Windows has no
#: compiled scan; its wheels run this file too, see pyproject.toml.)
EXPECTED = os.environ.get("LINT_NEWS_EXPECT_READER", "compiled")
#: The folder of every kind of entry needs FIFOs and symbolic links.
POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, links and lstat'ed folders are POSIX's")
SUFFIXES = [(), (b".md",), (b".md", b".markdown"), (b"",), (b"d",)]
#: A time no signature can hold: 2300-01-01 in seconds (past 2**63 nanoseconds).
FAR = 10_413_792_000


def tree(root: Path) -> Path:
    """A folder with one of each kind of entry the listing meets."""
    news = root / "_news"
    sub = news / "sub"
    sub.mkdir(parents=True)
    for name in ("a.md", "b.markdown", "c.txt", "e.MD", ".hidden.md", "new\nline.md", "sp ace.md"):
        (news / name).write_text(f"{name}\n", encoding="utf-8")
    (news / "sub" / "inner.md").write_text("inner\n", encoding="utf-8")
    (news / "folder.md").mkdir()
    os.symlink("a.md", news / "link.md")
    os.symlink("missing.md", news / "dangling.md")
    os.symlink("loop.md", news / "loop.md")
    os.symlink("/etc/passwd", news / "outside.md")
    os.symlink("sub", news / "linked-folder")
    os.symlink("sub", news / "linked-folder.md")
    os.mkfifo(news / "fifo.md")
    with open(os.path.join(os.fsencode(news), b"\xff\xfe-latin.md"), "wb") as handle:
        handle.write(b"not utf-8 name\n")
    far = news / "far-future.md"
    far.write_text("far\n", encoding="utf-8")
    os.utime(far, (FAR, FAR))
    past = news / "long-ago.md"
    past.write_text("past\n", encoding="utf-8")
    os.utime(past, (-(10**9), -(10**9)))  # 1938: negative, and within range
    for number in range(40):
        (news / f"2024-01-{number:02d}-n.md").write_text("x" * number, encoding="utf-8")
    return news


Scan = Callable[..., Tuple[int, bool, List[Any]]]


def result(
    scan: Scan, folder: bytes, prefix: bytes, suffixes: Tuple[bytes, ...], room: int, *batch: int
) -> Tuple[Any, ...]:
    names, sigs = bytearray(b"kept:"), bytearray(b"k" * SIGNATURE.size)  # appended to, not replaced
    room_left, truncated, others = scan(folder, prefix, suffixes, room, names, sigs, *batch)
    return room_left, truncated, sorted(others), sorted(_rows(names, sigs))


def _rows(names: bytearray, sigs: bytearray) -> List[Tuple[bytes, bytes]]:
    assert names.startswith(b"kept:") and sigs.startswith(b"k" * SIGNATURE.size)
    listed = bytes(names[5:]).split(b"\0")
    assert listed[-1] == b""
    size = SIGNATURE.size
    return [(name, bytes(sigs[size * (at + 1) : size * (at + 2)])) for at, name in enumerate(listed[:-1])]


def compare_on(scan: Scan, news: Path) -> int:
    """Both scans on ``news`` with every suffix set, prefix and room; the cases compared.
    The order of entries is the file system's for both, so it is compared too when the
    room is large (no entry is left out); sorted, when room cuts the folder short."""
    cases = 0
    folder = os.fsencode(news)
    for suffixes in SUFFIXES:
        for prefix in (b"", b"sub/"):
            for room in (0, 1, 2, 7, 10**6):
                twin = result(members.scan_python, folder, prefix, suffixes, room)
                for batch in ((), (1,), (100,)):  # the default (the whole folder at once); an entry; a few
                    assert result(scan, folder, prefix, suffixes, room, *batch) == twin, (suffixes, prefix, room)
                cases += 1
            in_order: List[Any] = []
            for one in (scan, members.scan_python):
                names, sigs = bytearray(), bytearray()
                in_order.append((one(folder, prefix, suffixes, 10**6, names, sigs, 64), bytes(names), bytes(sigs)))
            assert in_order[0] == in_order[1]
    return cases


def bad_calls(scan: Scan, news: Path) -> int:
    """Wrong arguments and folders that cannot be listed: an exception each, never a crash."""
    folder = os.fsencode(news)
    good: List[Any] = [folder, b"", (b".md",), 5, bytearray(), bytearray()]
    calls: List[List[Any]] = [
        [],
        good[:5],
        good + [None],
        [str(news), *good[1:]],
        [folder, "", *good[2:]],
        [folder, b"", [b".md"], *good[3:]],
        [folder, b"", (".md",), *good[3:]],
        [folder, b"", (b".md",) * 17, *good[3:]],
        [folder, b"", (b".md",), -1, *good[4:]],
        [folder, b"", (b".md",), 2**80, *good[4:]],
        [folder, b"", (b".md",), "5", *good[4:]],
        [folder, b"", (b".md",), 5, b"", bytearray()],
        [folder, b"", (b".md",), 5, bytearray(), None],
        [*good, 0],
        [*good, -5],
        [*good, "1"],
        [*good, 2**80],
        [folder + b"\0x", *good[1:]],
        [folder + b"/a.md", *good[1:]],  # not a folder
        [folder + b"/missing", *good[1:]],
        [folder + b"/dangling.md", *good[1:]],
    ]
    refused = 0
    for args in calls:
        try:
            scan(*args)
        except (TypeError, ValueError, OverflowError, OSError):
            refused += 1
    names = bytearray()
    with memoryview(names):  # exported: it cannot grow, so the scan cannot append
        try:
            scan(folder, b"", (b".md",), 5, names, bytearray())
        except BufferError:
            refused += 1
    return refused


def test_the_compiled_scan_is_built() -> None:
    assert (members.scan is not members.scan_python) == (EXPECTED == "compiled" and os.name == "posix")


@POSIX
def test_the_compiled_scan_and_its_python_twin_agree(tmp_path: Path) -> None:
    news = tree(tmp_path)
    assert compare_on(members.scan, news) == len(SUFFIXES) * 2 * 5


def bulk_compare(scan: Scan, root: Path) -> int:
    """A folder of 600 articles among the other kinds of entry (``tree``): more than the
    C scan's ``SCAN_PARALLEL`` (256) files to lstat, so they are shared by two threads. Both
    scans give the same bytes, in the folder's order, at every room (a batch cut short by
    it) and batch size; the cases compared."""
    news = tree(root)
    for number in range(600):
        (news / f"2025-02-{number:03d}-many.md").write_text("y" * (number % 7), encoding="utf-8")
    os.symlink("a.md", news / "late-link.md")
    (news / "late-folder.md").mkdir()
    folder = os.fsencode(news)
    cases = 0
    for room in (10**6, 300, 0):
        for batch in ((), (4096,)):
            listed = []
            for one in (scan, members.scan_python):
                names, sigs = bytearray(), bytearray()
                listed.append((one(folder, b"p/", (b".md",), room, names, sigs, *batch), bytes(names), bytes(sigs)))
            assert listed[0] == listed[1], (room, batch)
            cases += 1
    regular = sum(1 for e in os.scandir(news) if e.name.endswith(".md") and e.is_file(follow_symlinks=False))
    names, sigs = bytearray(), bytearray()
    assert scan(folder, b"", (b".md",), 10**6, names, sigs)[1] is False
    assert regular > 600 and names.count(b"\0") == regular and len(sigs) == regular * SIGNATURE.size
    return cases


@POSIX
def test_a_folder_lstat_ed_on_two_threads_is_listed_in_its_order(tmp_path: Path) -> None:
    assert bulk_compare(members.scan, tmp_path) == 6


@POSIX
def test_the_scan_lists_what_the_listing_takes(tmp_path: Path) -> None:
    """Regular files with a wanted suffix, lstat'ed; links and folders handed back; a FIFO,
    a folder named like an article and other names left out."""
    news = tree(tmp_path)
    names, sigs = bytearray(), bytearray()
    room, truncated, others = members.scan(os.fsencode(news), b"p/", (b".md", b".markdown"), 100, names, sigs)
    listed = dict(_rows(bytearray(b"kept:") + names, bytearray(b"k" * SIGNATURE.size) + sigs))
    expected = {b"a.md", b"b.markdown", b".hidden.md", b"new\nline.md", b"sp ace.md", b"\xff\xfe-latin.md"}
    expected |= {b"far-future.md", b"long-ago.md"} | {b"2024-01-%02d-n.md" % n for n in range(40)}
    assert set(listed) == {b"p/" + name for name in expected}
    for name in expected - {b"far-future.md"}:
        assert listed[b"p/" + name] == signature(os.lstat(os.path.join(os.fsencode(news), name)))
    assert listed[b"p/far-future.md"] == NO_SIGNATURE  # never trusted: its time has no signature
    links = {b"link.md", b"dangling.md", b"loop.md", b"outside.md", b"linked-folder.md"}
    assert sorted(others) == sorted(
        [(members.FOLDER, b"sub"), (members.FOLDER, b"folder.md")] + [(members.LINK, n) for n in links]
    )
    # every wanted name that is no folder used one unit of room: files, links and the FIFO
    assert (room, truncated) == (100 - len(expected) - len(links) - 1, False)
    assert stat.S_ISFIFO(os.lstat(news / "fifo.md").st_mode)


@POSIX
def test_the_scan_stops_when_the_room_is_used(tmp_path: Path) -> None:
    news = tree(tmp_path)
    names, sigs = bytearray(), bytearray()
    room, truncated, _ = members.scan(os.fsencode(news), b"", (b".md",), 3, names, sigs)
    assert (
        (room, truncated) == (0, True) and names.count(b"\0") <= 3 and len(sigs) == SIGNATURE.size * names.count(b"\0")
    )


@POSIX
def test_the_compiled_scan_refuses_bad_calls(tmp_path: Path) -> None:
    news = tree(tmp_path)
    assert bad_calls(members.scan, news) == 22


def test_a_time_outside_64_bits_of_nanoseconds_has_no_signature() -> None:
    fields = [stat.S_IFREG | 0o644, 7, 8, 1, 0, 0, 5, 0, 0, 0]
    for when in (FAR * 10**9, -FAR * 10**9, 2**63, -(2**63) - 1):
        for times in ({"st_mtime_ns": when, "st_ctime_ns": 0}, {"st_mtime_ns": 0, "st_ctime_ns": when}):
            assert signature(os.stat_result(fields, times)) == NO_SIGNATURE
    edges = {"st_mtime_ns": 2**63 - 1, "st_ctime_ns": -(2**63)}
    assert signature(os.stat_result(fields, edges)) == SIGNATURE.pack(5, 2**63 - 1, -(2**63), 7, 8)


@POSIX
def test_a_file_whose_time_has_no_signature_is_never_trusted_and_never_a_crash(tmp_path: Path) -> None:
    """A modification time after 2262 (or before 1677) does not fit a signature's 64-bit
    nanoseconds: such a file's signature is ``NO_SIGNATURE`` (read again by every run), in
    the listing and in a check's ``fstat`` alike, and the command reports as usual (it
    stopped with an internal error before)."""
    from conftest import ROOT, run_cli

    news = tmp_path / "_news"
    news.mkdir()
    sample = sorted((ROOT / "examples").rglob("*.md"))[0].read_bytes()
    for name in ("2024-01-01-a.md", "2024-01-02-b.md"):
        (news / name).write_bytes(sample)
    os.utime(news / "2024-01-02-b.md", (FAR, FAR))
    assert signature(os.stat(news / "2024-01-02-b.md")) == NO_SIGNATURE
    cache = tmp_path / "cache"
    runs = (["_news/2024-01-01-a.md"], ["_news/2024-01-02-b.md"], ["_news"], ["_news/2024-01-01-a.md"])
    for paths in runs:
        code, out, err = run_cli("--cache-dir", str(cache), "-q", "--select", "A001", *paths, cwd=tmp_path)
        assert "internal error" not in err, (paths, err)
        reported = paths != ["_news/2024-01-01-a.md"]  # b is the copy: a, the older, is not reported
        assert (code, "2024-01-02-b.md:7:9: A001" in out) == (0, reported), (paths, out)  # a warning: exit 0


@POSIX
@pytest.mark.parametrize("exclude", [(), ("drafts",), DEFAULT_EXCLUDE])
def test_the_listing_scans_with_the_usual_patterns_and_agrees_with_its_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exclude: Tuple[str, ...]
) -> None:
    """Suffixes to include and literal names (or none) to exclude: each folder is one call
    of ``scan``; the listing equals the Python loop's (the same patterns matched name by
    name), subfolders, excluded folders, nested archives and links included."""
    news = tree(tmp_path)
    (news / "drafts").mkdir()
    (news / "drafts" / "d.md").write_text("d\n", encoding="utf-8")
    (news / "sub" / "_news").mkdir()
    (news / "sub" / "_news" / "nested.md").write_text("n\n", encoding="utf-8")
    archive = members.Archive(str(news), True)
    calls: List[bytes] = []

    def counted(folder: bytes, *args: Any) -> Any:
        calls.append(folder)
        return members.scan_python(folder, *args)

    monkeypatch.setattr(members, "scan", counted)
    scanned = members.Listing(archive, DEFAULT_INCLUDE, exclude, ()).whole()
    walked = {os.fsencode(news / name) for name in ("", "sub", "folder.md", "drafts") if name not in exclude}
    assert set(calls) == walked
    looped = members.Listing(archive, ("*.m[d]", "*.markdown"), exclude, ())  # a regex: the loop
    assert _listing_rows(scanned) == _listing_rows(looped.whole())


def _listing_rows(listed: Tuple[bytearray, bytearray]) -> List[Tuple[bytes, bytes]]:
    names, sigs = listed
    return sorted(_rows(bytearray(b"kept:") + names, bytearray(b"k" * SIGNATURE.size) + sigs))

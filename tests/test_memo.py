"""The stat memo (``linter.batch.memo``): a warm run answers unchanged files by their stat
signature, and anything else about a file is read and hashed again.

Whether a file was read is seen by counting the reader's calls (``read_stated``) in the test's
own process: the output alone is the same either way, which the tests check too. The memo
notes only files older than the racy window, so the site's articles get an mtime an hour
back and the runs wait past a coarse ctime tick.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import time
from pathlib import Path
from typing import Deque, Iterable, Iterator, List, Optional, Tuple

import pytest
from conftest import BAD, BAD_FINDINGS, BAD_NAME, CLEAN, Run, run_cli

pytestmark = pytest.mark.in_process

COPIES = 70  # a memo is kept by runs of at least 32 files; 64 let --jobs 2 start a worker
HOUR_NS = 3600 * 1_000_000_000


def article(site: Path, number: int) -> Path:
    return site / "_news" / f"2024-03-11-robotics-library-{number:02}.md"


@pytest.fixture
def news(site: Path) -> Path:
    """The examples' site with ``COPIES`` more clean articles (their URLs their own), every
    article changed an hour ago, and the ctimes past a tick of a coarse clock."""
    text = (site / CLEAN).read_text(encoding="utf-8")
    for number in range(COPIES):
        article(site, number).write_text(text.replace("robotics-library", f"robotics-library-{number:02}"))
    for path in (site / "_news").iterdir():
        age(path)
    time.sleep(0.2)
    return site


def age(path: Path, mtime_ns: Optional[int] = None) -> None:
    when = time.time_ns() - HOUR_NS if mtime_ns is None else mtime_ns
    os.utime(path, ns=(when, when))


class Reads:
    """The paths the run's reader opened."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import linter.batch.runner as runner

        self.paths: List[str] = []
        real = runner.read_stated

        def counted(path: str, *args: object, **kwargs: object) -> object:
            self.paths.append(path)
            return real(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(runner, "read_stated", counted)

    def during(self, site: Path, *args: str, cwd: Optional[Path] = None) -> Run:
        self.paths.clear()
        return run_cli("--cache-dir", str(site / "cache"), "--jobs", "1", *args, cwd=cwd or site)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


def truth(site: Path, *args: str, cwd: Optional[Path] = None) -> Run:
    return run_cli("--no-cache", *args, cwd=cwd or site)


def memos(site: Path) -> List[Path]:
    return sorted((site / "cache").glob("v4/*/stat-*"))


def test_a_warm_run_reads_no_unchanged_file_and_says_the_same(news: Path, reads: Reads) -> None:
    cold = reads.during(news, "--format", "json", "_news")
    assert len(reads.paths) == COPIES + 3
    warm = reads.during(news, "--format", "json", "_news")
    assert reads.paths == []
    assert warm == cold == truth(news, "--format", "json", "_news")
    text = reads.during(news, "--show-source", "_news")
    assert reads.paths == [] and text == truth(news, "--show-source", "_news")
    assert text.rc == 1 and f"{BAD}:{BAD_FINDINGS[0]}" in text.out


def test_a_parallel_warm_run_answers_in_one_process(news: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch) -> None:
    import linter.batch.runner as runner

    reads.during(news, "_news")
    expected = truth(news, "_news")

    def no_workers(*args: object) -> None:
        raise AssertionError("worker processes started for unchanged files")

    monkeypatch.setattr(runner, "ordered_map", no_workers)
    warm = run_cli("--cache-dir", str(news / "cache"), "--jobs", "2", "_news", cwd=news)
    assert warm == expected


def test_a_parallel_cold_run_leaves_a_memo(news: Path, reads: Reads) -> None:
    """Files checked by worker processes are noted by the ``lstat`` the parent took before
    sending them, so the next run, parallel or not, reads nothing."""

    cold = run_cli("--cache-dir", str(news / "cache"), "--jobs", "2", "_news", cwd=news)
    assert len(memos(news)) == 1 and len(reads.paths) < COPIES + 3  # a worker read some
    warm = reads.during(news, "_news")
    assert reads.paths == [] and warm == cold == truth(news, "_news")


def test_a_parallel_run_notes_no_file_changed_within_the_racy_window(news: Path, reads: Reads) -> None:
    fresh = article(news, 17)
    fresh.write_text(fresh.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    run_cli("--cache-dir", str(news / "cache"), "--jobs", "2", "_news", cwd=news)
    warm = reads.during(news, "_news")
    assert reads.paths == [str(Path("_news") / fresh.name)]
    assert f"_news/{fresh.name}:3:1: S003" in warm.out and warm == truth(news, "_news")


def test_fixes_are_planned_from_recalled_findings(news: Path, reads: Reads) -> None:
    reads.during(news, "_news")
    diff = reads.during(news, "--diff", "_news")
    assert reads.paths == [] and diff == truth(news, "--diff", "_news")
    assert diff.out.count("+++ ") == 1


def test_fix_from_recalled_findings_fixes_as_a_cold_run(news: Path, reads: Reads, tmp_path: Path) -> None:
    import shutil

    twin = tmp_path / "twin"
    shutil.copytree(news, twin, symlinks=True)
    before = (news / BAD).read_bytes()
    reads.during(news, "_news")
    fixed = reads.during(news, "--fix", "_news")
    assert reads.paths == []
    assert fixed == truth(twin, "--fix", "_news")
    assert (news / BAD).read_bytes() == (twin / BAD).read_bytes() != before
    after = reads.during(news, "_news")
    assert reads.paths == [BAD] and after == truth(twin, "_news")


def test_added_and_removed_files(news: Path, reads: Reads) -> None:
    reads.during(news, "_news")
    article(news, 13).unlink()
    added = news / "_news" / "2024-02-29-added.md"
    added.write_bytes((news / BAD).read_bytes())
    run = reads.during(news, "_news")
    assert reads.paths == [str(Path("_news") / added.name)]
    assert run == truth(news, "_news") and f"_news/{added.name}:3:1: S003" in run.out


def test_a_file_edited_after_a_warm_run_is_read_and_its_finding_reported(news: Path, reads: Reads) -> None:
    reads.during(news, "_news")
    reads.during(news, "_news")
    edited = article(news, 7)
    edited.write_text(edited.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    run = reads.during(news, "_news")
    assert reads.paths == [str(Path("_news") / edited.name)]
    assert f"_news/{edited.name}:3:1: S003 unknown field 'titel'; did you mean 'title'? (required, missing)" in run.out
    assert run == truth(news, "_news")


def test_same_size_and_mtime_put_back_is_read_again(news: Path, reads: Reads) -> None:
    """The racy case: rewritten in place with the same size, and the mtime set back to the
    noted one. The ctime cannot be set back, so the signature differs."""
    reads.during(news, "_news")
    edited = article(news, 3)
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    age(edited, before.st_mtime_ns)
    after = edited.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    run = reads.during(news, "_news")
    assert reads.paths == [str(Path("_news") / edited.name)]
    assert f"_news/{edited.name}:3:1: S003 unknown field 'titel'" in run.out
    assert run == truth(news, "_news")


def test_another_file_of_the_same_size_and_mtime_in_its_place_is_read(news: Path, reads: Reads) -> None:
    reads.during(news, "_news")
    target = article(news, 5)
    before = target.stat()
    other = news / "other.md"
    other.write_text(target.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    age(other, before.st_mtime_ns)
    os.replace(other, target)
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    run = reads.during(news, "_news")
    assert reads.paths == [str(Path("_news") / target.name)]
    assert f"_news/{target.name}:3:1: S003" in run.out
    assert run == truth(news, "_news")


def test_files_changed_within_the_racy_window_are_not_noted(news: Path, reads: Reads) -> None:
    fresh = article(news, 9)
    fresh.write_text(fresh.read_text(encoding="utf-8"), encoding="utf-8")  # changed just now
    reads.during(news, "_news")
    reads.during(news, "_news")
    assert reads.paths == [str(Path("_news") / fresh.name)]  # read every run, never trusted


def test_a_recent_ctime_is_not_noted_even_with_an_old_mtime(
    news: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linter.batch.memo as memo

    monkeypatch.setattr(memo, "_SETTLED_NS", 60 * 1_000_000_000)  # no slow machine outwaits it
    for path in (news / "_news").iterdir():
        age(path)  # every mtime an hour back, every ctime now
    reads.during(news, "_news")
    reads.during(news, "_news")
    assert len(reads.paths) == COPIES + 3  # none was noted: every ctime too recent
    assert memos(news) == []


def test_few_files_leave_no_memo(site: Path, reads: Reads) -> None:
    for path in (site / "_news").iterdir():
        age(path)
    time.sleep(0.2)
    reads.during(site, "_news")
    assert memos(site) == []
    reads.during(site, "_news")
    assert len(reads.paths) == 3


def test_another_working_folder_or_other_settings_use_a_memo_of_their_own(news: Path, reads: Reads) -> None:
    reads.during(news, "_news")
    inner = news / "_news"
    run = reads.during(news, ".", cwd=inner)
    assert len(reads.paths) == COPIES + 3 and run == truth(news, ".", cwd=inner)
    run = reads.during(news, "--ignore", "D001", "_news")
    assert len(reads.paths) == COPIES + 3 and run == truth(news, "--ignore", "D001", "_news")
    assert len(memos(news)) == 3


def test_a_memo_of_another_view_is_ignored(news: Path, reads: Reads, tmp_path: Path) -> None:
    """The victim's own memo, copied to the name of another view: the same paths, from
    another working folder, to the same files (hard links, so each signature is the same).
    It is sealed for its view, so there it is no memo, and every file is read."""
    other = tmp_path / "other"
    (other / "_news").mkdir(parents=True)
    for path in (news / "_news").iterdir():
        os.link(path, other / "_news" / path.name)  # changes each ctime: wait again
    time.sleep(0.2)
    reads.during(news, "_news")
    (first,) = memos(news)
    reads.during(news, "_news", cwd=other)
    assert len(reads.paths) == COPIES + 3  # a view of its own: no memo yet
    reads.during(news, "_news", cwd=other)
    assert reads.paths == []  # now its own memo answers
    (second,) = [p for p in memos(news) if p != first]
    second.write_bytes(first.read_bytes())
    run = reads.during(news, "_news", cwd=other)
    assert len(reads.paths) == COPIES + 3 and run == truth(news, "_news")


@pytest.mark.parametrize("damage", ["truncated", "extended", "oversized", "link", "folder", "flipped"])
def test_a_damaged_memo_is_no_memo(news: Path, reads: Reads, damage: str, tmp_path: Path) -> None:
    reads.during(news, "_news")
    (memo,) = memos(news)
    data = memo.read_bytes()
    memo.unlink()
    if damage == "truncated":
        memo.write_bytes(data[:-1])
    elif damage == "extended":
        memo.write_bytes(data + bytes(60))
    elif damage == "oversized":
        with memo.open("wb") as handle:
            handle.write(data)
            handle.truncate(65 * 1024 * 1024)  # sparse: past the cap
    elif damage == "link":
        elsewhere = tmp_path / "genuine"
        elsewhere.write_bytes(data)
        memo.symlink_to(elsewhere)
    elif damage == "folder":
        memo.mkdir()
    else:
        memo.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    run = reads.during(news, "_news")
    assert len(reads.paths) == COPIES + 3 and run == truth(news, "_news")


def test_a_linked_settings_folder_holding_a_genuine_memo_is_not_read(news: Path, reads: Reads, tmp_path: Path) -> None:
    reads.during(news, "_news")
    (memo,) = memos(news)
    folder = memo.parent
    moved = tmp_path / "elsewhere"
    folder.rename(moved)
    folder.symlink_to(moved, target_is_directory=True)
    before = {p: p.read_bytes() for p in moved.rglob("*") if p.is_file()}
    run = reads.during(news, "_news")
    assert len(reads.paths) == COPIES + 3 and run == truth(news, "_news")
    assert {p: p.read_bytes() for p in moved.rglob("*") if p.is_file()} == before  # nothing written there


# -- forgery ---------------------------------------------------------------------------------


def forge_memo(site: Path, secret: bytes) -> None:
    """Made with the memo's exact algorithm under ``secret``: a memo that answers the bad
    article, by its current stat signature, as clean."""
    import sys

    from linter.archive.table import signature

    (memo,) = memos(site)
    salt = memo.parent.name
    names = [BAD, CLEAN]
    body_names = b"".join(n.encode() + b"\0" for n in names)
    rows = b"".join(signature(os.lstat(site / n)) + struct.pack("<III", 0, 0, 0) for n in names)
    sealed = struct.pack("<III", len(names), len(body_names), 0) + body_names + rows
    view = b"\0".join(p.encode() for p in [sys.version, os.path.realpath(site), "_news"])
    purpose_key = hashlib.blake2b(f"lint-news stat memo v1\0{salt}".encode(), digest_size=32, key=secret).digest()
    tag = hmac.new(purpose_key, b"memo\0" + view + b"\0\0" + sealed, hashlib.sha256).digest()
    memo.write_bytes(b"lint-news stat memo 2\n" + tag + sealed)


def test_a_memo_forged_under_another_secret_vouches_for_nothing(news: Path, reads: Reads) -> None:
    expected = truth(news, "_news")
    assert expected.rc == 1 and BAD_NAME in expected.out
    reads.during(news, "_news")
    forge_memo(news, os.urandom(32))
    run = reads.during(news, "_news")
    assert run == expected and len(reads.paths) == COPIES + 3


def test_the_memo_forgery_would_pass_under_the_victims_own_secret(news: Path, reads: Reads) -> None:
    """Control for the test above: with the victim's secret the forged memo is believed and
    the defective article passes, so that test fails for the secret alone."""
    from linter.batch.cache import user_secret

    reads.during(news, "_news")
    secret = user_secret()
    assert secret is not None
    forge_memo(news, secret)
    fooled = reads.during(news, "_news")
    assert BAD_NAME not in fooled.out and BAD not in reads.paths


class Kept:
    """The run's memo, as it is when the run saves it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from linter.batch import memo

        self.memos: List[memo.Memo] = []
        real = memo.Memo.save

        def save(this: memo.Memo) -> None:
            self.memos.append(this)
            real(this)

        monkeypatch.setattr(memo.Memo, "save", save)


def test_a_run_whose_rows_would_pass_the_cap_frees_them_and_saves_nothing(
    news: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap bounds the memory the rows take during the run, not only the file: once a
    row would pass it, the buffers are freed and no row is kept (before, they grew with
    every file and only ``save`` refused them)."""
    from linter.batch import memo

    monkeypatch.setattr(memo, "_CAP", 2000)  # about 20 of the 73 files' rows
    kept = Kept(monkeypatch)
    cold = reads.during(news, "_news")
    (ran,) = kept.memos
    assert ran.full and (ran.names, ran.rows, ran.found) == (bytearray(), bytearray(), bytearray())
    assert memos(news) == []
    warm = reads.during(news, "_news")
    assert len(reads.paths) == COPIES + 3 and warm == cold == truth(news, "_news")


def test_a_full_warm_run_keeps_the_stored_memo(news: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows copied from the stored memo count too; once full, the stored memo stays as it was
    and still answers the next run."""
    from linter.batch import memo

    reads.during(news, "_news")
    (stored,) = memos(news)
    before = stored.read_bytes()
    text = article(news, 0).read_text(encoding="utf-8")
    added = [news / "_news" / f"2024-12-{day:02}-added.md" for day in range(1, 11)]
    for path in added:
        path.write_text(text.replace("robotics-library-00", path.stem), encoding="utf-8")
        age(path)
    time.sleep(0.2)
    monkeypatch.setattr(memo, "_CAP", len(before) + 100)  # the stored memo loads; 10 rows more do not fit
    kept = Kept(monkeypatch)
    run = reads.during(news, "_news")
    assert kept.memos[0].full and sorted(reads.paths) == [f"_news/{path.name}" for path in added]
    assert stored.read_bytes() == before and run == truth(news, "_news")
    again = reads.during(news, "_news")
    assert sorted(reads.paths) == [f"_news/{path.name}" for path in added] and again == run


def test_a_file_with_more_findings_than_a_row_takes_is_read_through_the_cache(
    news: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose findings pass ``_FILE_CAP`` gets no row (it is cheap to hash next to
    linting it); the other files do, and the next run answers it from its cache entry."""
    from linter.batch import memo

    monkeypatch.setattr(memo, "_FILE_CAP", 64)  # the bad article's findings take more
    cold = reads.during(news, "_news")
    assert len(memos(news)) == 1
    warm = reads.during(news, "_news")
    assert reads.paths == [BAD] and warm == cold == truth(news, "_news")


def test_a_settings_folder_keeps_the_memos_written_last(news: Path, reads: Reads, tmp_path: Path) -> None:
    """Each list of named paths leaves a memo; a run that writes one deletes all but the
    newest ``_KEPT``, and only regular files named as memos: a link (and what it points
    at), a folder, or any other file there stays."""
    from linter.batch import memo

    reads.during(news, "_news")
    (first,) = memos(news)
    folder = first.parent
    planted = []
    for index in range(memo._KEPT + 2):  # older than the one written, and older as they go
        path = folder / f"stat-{index:032x}"
        path.write_bytes(b"not a memo")
        when = time.time_ns() - (index + 2) * HOUR_NS
        os.utime(path, ns=(when, when))
        planted.append(path)
    target = tmp_path / "target"
    target.write_bytes(b"kept")
    others = [folder / f"stat-{'f' * 31}e", folder / f"stat-{'f' * 31}d", folder / "stat-short", folder / "unrelated"]
    others[0].symlink_to(target)
    others[1].mkdir()
    others[2].write_bytes(b"not named as a memo")
    others[3].write_bytes(b"not a memo")
    for path in others:
        os.utime(path, ns=(0, 0), follow_symlinks=False)  # the oldest of all
    run = reads.during(news, "./_news")  # another view: another memo, written
    assert run == truth(news, "./_news")
    left = set(memos(news))
    written = [p for p in left if p.is_file() and not p.is_symlink() and p not in others]
    assert first in left and len(written) == memo._KEPT
    assert left >= set(planted[: memo._KEPT - 2]) and not left & set(planted[memo._KEPT - 2 :])
    assert all(os.path.lexists(p) for p in others) and target.read_bytes() == b"kept"


def test_a_parallel_run_notes_no_file_that_another_was_read_in_place_of(
    news: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent ``lstat``s a path before it goes out; its folder is then swapped (renamed:
    the file's own inode and ctime stay) for one holding a clean file of the same name,
    which a process reads. That clean verdict is not noted for the defective file's
    signature: once the folders are back, the next run reads the defective file and reports it."""
    import linter.batch.runner as runner

    sub, alt = news / "_news" / "sub", news / "alt"
    sub.mkdir()
    alt.mkdir()
    name = "2024-03-11-robotics-library-x.md"
    clean = article(news, 0).read_text(encoding="utf-8").replace("robotics-library-00", "robotics-library-x")
    (sub / name).write_text(clean.replace("title:", "titel:", 1), encoding="utf-8")
    (alt / name).write_text(clean, encoding="utf-8")
    for path in (sub / name, alt / name):
        age(path)
    time.sleep(0.2)
    expected = truth(news, "_news")
    assert f"_news/sub/{name}:3:1: S003" in expected.out
    real = runner._stated
    held = news / "held"

    def swapped(paths: Iterable[str], stated: Deque[Tuple[str, Optional[os.stat_result]]]) -> Iterator[str]:
        for path in real(paths, stated):
            yield path
            if path.endswith(f"sub/{name}"):  # lstat-ed, and not yet read by any process
                sub.rename(held)
                alt.rename(sub)

    monkeypatch.setattr(runner, "_stated", swapped)
    run_cli("--cache-dir", str(news / "cache"), "--jobs", "2", "_news", cwd=news)
    sub.rename(alt)
    held.rename(sub)
    monkeypatch.setattr(runner, "_stated", real)
    warm = reads.during(news, "_news")
    assert f"_news/sub/{name}" in reads.paths and warm == expected


def test_a_warm_parallel_run_hands_the_files_after_many_misses_to_workers(
    news: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first files unchanged make a parallel run answer in one process; once
    ``_MISSES`` files after them were not, the rest goes to worker processes, with the same
    output, and the memo notes what they read."""
    import linter.batch.runner as runner

    text = article(news, 0).read_text(encoding="utf-8")
    later = [news / "_news" / f"2025-01-01-later-{number:03}.md" for number in range(192)]  # thrice ``_MISSES``
    for path in later:
        path.write_text(text.replace("robotics-library-00", path.stem), encoding="utf-8")
        age(path)
    time.sleep(0.2)
    first = sorted(str(p.relative_to(news)) for p in (news / "_news").glob("2024-*.md"))
    named = first + [str(p.relative_to(news)) for p in later]  # the unchanged ones first
    reads.during(news, *named)
    for path in later:  # changed since: all but a few of them go to the workers
        path.write_text(text.replace("robotics-library-00", path.stem + "-b"), encoding="utf-8")
        age(path)
    time.sleep(0.2)
    started = []
    real = runner.ordered_map

    def counted(*args: object) -> object:
        started.append(True)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "ordered_map", counted)
    reads.paths.clear()
    warm = run_cli("--cache-dir", str(news / "cache"), "--jobs", "2", *named, cwd=news)
    assert started and warm == truth(news, *named)
    assert len(reads.paths) < len(later)  # the parent read the misses before the hand-off, not all
    again = reads.during(news, *named)
    assert reads.paths == [] and again == warm

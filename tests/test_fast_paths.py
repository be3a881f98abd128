"""The per-file fast paths outside the rules agree with the plain ways they stand for.

Each shortcut the engine takes for the common article (no byte order mark, LF line breaks,
no findings) is held here to the straightforward computation it skips, over every article
the tests know and over odd inputs made to hit its edges: a shortcut that answers
differently fails here, not only as a changed report.
"""

from __future__ import annotations

import codecs
import itertools
import os
import random
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

import pytest
from conftest import every_article

from linter import engine, redact
from linter.archive.keys import of_parsed
from linter.parse import blockreader, frontmatter, parse
from linter.parse.blockreader import read_python
from linter.parse.frontmatter import Frontmatter, Problem, decode, split, split_lines, unread_by_jekyll
from linter.parse.types import Limits, Parsed
from linter.redact import Secrets
from linter.safepath import Unreadable
from linter.suppress import Suppressions, may_hold_any

ARTICLES = list(every_article())
PIECES = ["---", "...", "--- ", "---\t", "-- ", "---x", "a: 1", "", " ", "\r", "\ufeff", "é", "\xff"]


def _odd_texts() -> List[str]:
    """Short texts of fences, near-fences and line breaks in every order (three lines)."""
    breaks = ["\n", "\r\n", "\r"]
    texts = []
    for lines in itertools.product(["---", "--- ", "x"], PIECES, PIECES):
        for brk in breaks:
            texts.append(brk.join(lines))
            texts.append(brk.join(lines) + brk)
    return texts


def _slow_decode(data: bytes) -> Union[str, Problem]:
    """``decode`` as it was: every byte order mark looked for, whatever the first byte."""
    boms = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if data.startswith(boms[:2]) or data.startswith(boms[2:]):
        name = "UTF-32" if data.startswith(boms[:2]) else "UTF-16"
        return Problem("E006", 1, 1, f"file is {name} encoded (byte order mark); expected UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return frontmatter._bad_byte(data, exc.start)


def _odd_bytes() -> List[bytes]:
    starts = [b"", b"-", b"--", b"---\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]
    starts += [codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, b"\xff", b"\x00", b"+++\n"]
    rests = [b"", b"a: 1\n---\n", b"-\xff\n", b"a: \xc3\n---\n", "é\n---\n".encode()]
    return [start + rest for start in starts for rest in rests]


@pytest.mark.parametrize("data", _odd_bytes())
def test_decode_agrees_with_looking_for_every_byte_order_mark(data: bytes) -> None:
    assert decode(data) == _slow_decode(data)


def test_decode_agrees_on_every_article() -> None:
    for path in ARTICLES:
        data = path.read_bytes()
        assert decode(data) == _slow_decode(data), path


def _counted_close_line(text: str) -> Optional[int]:
    """The closing fence's line found by splitting the whole text into lines."""
    lines = split_lines(text)
    for number, line in enumerate(lines[1:], start=2):
        if line[:3] in ("---", "...") and not line[3:].strip(" \t"):
            return number
    return None


def _texts() -> List[Tuple[str, str]]:
    texts = [(str(path), decode(path.read_bytes())) for path in ARTICLES]
    texts += [(repr(text), text) for text in _odd_texts()]
    return [(name, text) for name, text in texts if isinstance(text, str)]


def test_the_closing_line_counted_on_demand_is_the_fence_line() -> None:
    """``close_line`` is counted only when asked; it is the line a plain split finds, and
    an E013 on the closing fence (counted at once) is on that line too."""
    for name, text in _texts():
        block = split(text)
        if not isinstance(block, Frontmatter):
            continue
        assert block.close_line == _counted_close_line(text), name
        for problem in block.fence_warnings:
            assert problem.line in (1, block.close_line), name
        closing = split_lines(text)[block.close_line - 1]
        assert (len(closing) != 3) == any(p.line == block.close_line for p in block.fence_warnings), name


def _slow_unread(data: bytes, text: str, block: Optional[Frontmatter]) -> List[Problem]:
    """``unread_by_jekyll`` without its shortcut for files with neither a BOM nor a CR."""
    problems = []
    if data.startswith(codecs.BOM_UTF8):
        message = "UTF-8 byte order mark before the opening '---': Jekyll does not see the frontmatter"
        problems.append(Problem("E014", 1, 1, message + frontmatter._PUBLISHED_RAW))
    close_line = None if block is None else _counted_close_line(text)
    bare = frontmatter._fence_bare_cr(text, close_line) if "\r" in text else None
    if bare is not None:
        line, col = bare
        why = frontmatter._PUBLISHED_RAW if line == 1 else frontmatter._BECOMES_PAGE
        message = "bare CR line break (CR-only line endings): Jekyll finds frontmatter fences only at LF"
        problems.append(Problem("E015", line, col, message + why))
    return problems


def test_what_jekyll_does_not_read_agrees_with_the_full_look() -> None:
    cases = [(name, text.encode("utf-8", "surrogatepass")) for name, text in _texts()]
    cases += [(name + " with a BOM", codecs.BOM_UTF8 + data) for name, data in cases[-200:]]
    for name, data in cases:
        text = decode(data)
        if not isinstance(text, str):
            continue
        block = split(text)
        block = block if isinstance(block, Frontmatter) else None
        assert unread_by_jekyll(data, text, block) == _slow_unread(data, text, block), name


# -- marks: kept as the compiled reader's two columns until asked for -------------------------


def _compact_parsed() -> List[Tuple[str, Parsed, str]]:
    found = []
    for path in ARTICLES:
        text = decode(path.read_bytes())
        block = split(text) if isinstance(text, str) else None
        if isinstance(block, Frontmatter):
            parsed = parse(block.yaml_text)
            if parsed._marks is None:  # read by the compiled reader: marks not made yet
                found.append((str(path), parsed, block.yaml_text))
    return found


@pytest.mark.skipif(blockreader._native_read is None, reason="the compiled reader is not built")
def test_one_mark_asked_for_is_the_mark_of_the_whole_dictionary() -> None:
    """``Parsed.mark`` reads the columns; ``Parsed.marks`` makes the dictionary from them:
    each path's mark is the same either way, a path not read has none, and the keys record
    (which asks ``mark``) is the one made from the dictionary."""
    cases = _compact_parsed()
    assert len(cases) > len(ARTICLES) // 2  # the compiled reader answers most articles
    for name, parsed, yaml_text in cases:
        twin = Parsed(parsed.data, None, parsed.raw, parsed.jekyll)
        asked = {path: parsed.mark(path) for path in list(parsed._paths) + [("nowhere",), ("webUrl", 0)]}
        keys = of_parsed(parsed, yaml_text)
        assert parsed._marks is None, name  # neither made the dictionary
        marks = parsed.marks
        twin._marks = read_python(yaml_text, Limits()).marks  # type: ignore[union-attr]
        assert marks == twin.marks and list(marks) == list(twin.marks), name  # same order too
        assert asked == {path: marks.get(path) for path in asked}, name
        assert keys == of_parsed(twin, yaml_text), name
        assert all(parsed.mark(path) == mark for path, mark in marks.items()), name


# -- reading: one compiled call for os.open, os.fstat, os.read and os.close -------------------


def _paths_to_read(tmp_path: Path) -> List[str]:
    """Every kind of path the reader meets: files of every size around the limits, empty,
    sparse and huge, a folder, a FIFO, a device, links in and out of the folder, dangling,
    looping and chained, a path through a file, nothing at all, and paths through links to
    folders (``O_NOFOLLOW`` guards only the last part): out of the folder, as named, after
    ``..``, doubled slashes and ``./``, nested, to the folder above; inside it, directly and
    by a hop outside; relative to the folder and absolute."""
    folder = tmp_path / "site"
    folder.mkdir()
    paths = []
    for size in (0, 1, 9, 10, 11, 4096, 70_000):
        path = folder / f"size{size}.md"
        path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
        paths.append(path)
    sparse = folder / "sparse.md"
    with open(sparse, "wb") as handle:
        handle.truncate(1 << 31)  # 2 GB, never read
    paths.append(sparse)
    (folder / "dir").mkdir()
    os.mkfifo(folder / "fifo")
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"---\nsecured: x\n---\n")
    links = {"in": folder / "size9.md", "out": outside, "dangling": folder / "none", "dir": folder / "dir"}
    for name, target in links.items():
        os.symlink(target, folder / f"link-{name}")
    os.symlink(folder / "link-in", folder / "link-chain")
    os.symlink(folder / "loop", folder / "loop")
    paths += [folder / "dir", folder / "fifo", Path("/dev/null"), folder / "missing", folder / "size9.md" / "x"]
    paths += [folder / f"link-{name}" for name in links] + [folder / "link-chain", folder / "loop"]
    return [str(path) for path in paths] + _paths_through_folder_links(tmp_path, folder)


def _paths_through_folder_links(tmp_path: Path, folder: Path) -> List[str]:
    (tmp_path / "away" / "deeper").mkdir(parents=True)
    for place in (tmp_path / "away", tmp_path / "away" / "deeper"):
        (place / "x.md").write_bytes(b"---\nsecured: x\n---\n")
    (folder / "dir").mkdir(exist_ok=True)
    (folder / "dir" / "x.md").write_bytes(b"---\ntitle: inside\n---\n")
    os.symlink(tmp_path / "away", folder / "dirlink-out")
    os.symlink("..", folder / "dirlink-up")
    os.symlink("dir", folder / "dirlink-in")
    os.symlink(folder / "dir", tmp_path / "hop")
    os.symlink("../hop", folder / "dirlink-chain")
    relative = ["dirlink-out/x.md", "./dirlink-out//x.md", "dir/../dirlink-out/x.md", "dirlink-out/deeper/x.md"]
    relative += ["dirlink-up/away/x.md", "dirlink-in/x.md", "dirlink-chain/x.md", "dirlink-up/site/dir/x.md"]
    return relative + [str(folder / "dirlink-out" / "x.md"), str(folder / "dirlink-in" / "x.md")]


def compare_reads(tmp_path: Path) -> int:
    """``read_limited`` (with the compiled call) against its Python twin on every kind of
    path at limits around each size; the number of cases (also run under the sanitizers,
    tests/test_sanitizers.py)."""
    paths = _paths_to_read(tmp_path)
    roots = (str(tmp_path / "site"),)
    cases = 0
    before = os.getcwd()
    os.chdir(tmp_path / "site")
    try:
        for path in paths:
            for limit in (0, 9, 10, 11, 4095, 4096, 10**6, 10**30):
                expected = engine.read_stated(path, limit, roots)[0]
                assert engine.read_limited(path, limit, roots) == expected, (path, limit)
                cases += 1
    finally:
        os.chdir(before)
    return cases


@pytest.mark.skipif(engine._read_file is None, reason="the compiled reader is not built")
def test_the_compiled_read_agrees_with_reading_in_python(tmp_path: Path) -> None:
    """``read_limited`` with the compiled call answers what its Python twin answers (the
    bytes, None past the limit, or the same E010/E016 and wording) for every kind of path;
    a FIFO opened by either does not block."""
    assert compare_reads(tmp_path) == 29 * 8
    roots = (str(tmp_path / "site"),)
    (tmp_path / "again").mkdir()
    answers = {engine.read_limited(path, 10**6, roots) for path in _paths_to_read(tmp_path / "again")}
    assert Unreadable("E016", "symbolic link to a file outside the current folder; not read") in answers
    assert Unreadable("E010", "cannot read: is a directory") in answers
    assert Unreadable("E010", "cannot read: not a regular file") in answers
    assert Unreadable("E010", "cannot read: No such file or directory") in answers
    assert Unreadable("E010", "cannot read: Not a directory") in answers


@pytest.mark.parametrize("twin", [False, True], ids=["compiled", "python"])
def test_a_path_through_a_link_to_a_folder_is_read_only_inside_the_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, twin: bool
) -> None:
    """Each reader on its own (the compiled call, or the twin where it is not built) refuses
    a path a link to a folder moves out of the roots, as it refuses a link to a file there,
    and reads one that a link keeps inside; ``Roots`` resolves each folder once."""
    from linter.safepath import Roots

    if twin:
        monkeypatch.setattr(engine, "_read_file", None)
    (tmp_path / "site").mkdir()
    paths = _paths_through_folder_links(tmp_path, tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    roots = Roots([str(tmp_path / "site")])
    refused = Unreadable("E016", "symbolic link to a file outside the current folder; not read")
    answers = [engine.read_limited(path, 100, roots) for path in paths + paths]
    assert answers == 2 * ([refused] * 5 + [b"---\ntitle: inside\n---\n"] * 3 + [refused, b"---\ntitle: inside\n---\n"])
    assert sorted(roots.folders) == sorted({path.rpartition("/")[0] for path in paths})


def test_the_compiled_read_refuses_bad_calls() -> None:
    if engine._read_file is None:
        pytest.skip("the compiled reader is not built")
    for args in ((), ("a",), ("a", "1"), ("a", -1), (b"a\0b", 10), (None, 10)):
        with pytest.raises((TypeError, ValueError)):
            engine._read_file(*args)  # type: ignore[arg-type]


# -- the closing fence: searched for by memchr in C, by a regular expression in Python ------


def _fence_texts() -> List[str]:
    """Every article's text, the odd texts, and each with wide characters in it (the C
    search reads one, two and four bytes a character)."""
    texts = [text for _, text in _texts()]
    texts = [text.replace("\r\n", "\n").replace("\r", "\n") for text in texts]
    wide = [text + "\n\u00e9" for text in texts[-500:]] + [text + "\n\U0001f600" for text in texts[-500:]]
    wide += ["---\n\u0100--\n---", "---\n\u2028\n...", "---\n\U0001f600\n---\n", "---\n\n---\n" * 3]
    return texts + wide


@pytest.mark.skipif(frontmatter._fence is frontmatter.fence_python, reason="the compiled reader is not built")
def test_the_compiled_fence_search_agrees_with_the_pattern() -> None:
    for text in _fence_texts():
        for at in {-1, 0, text.find("\n"), 3, len(text) - 1, len(text)}:
            assert frontmatter._fence(text, at) == frontmatter.fence_python(text, at), (text[:200], at)


@pytest.mark.skipif(frontmatter._fence is frontmatter.fence_python, reason="the compiled reader is not built")
def test_the_compiled_fence_search_from_past_the_end_finds_nothing() -> None:
    """``at`` at or past the end (times the width of a character, far past what a pointer
    holds) is not-found, as for the pattern; below 0 is 0; past what ``Py_ssize_t`` holds,
    an error."""
    for text in ("\U0001f600\n---\n", "---\n\u00e9\n---\n", "---\nx\n---\n"):
        for at in (len(text), len(text) + 1, 2**31, 2**62, 2**63 - 1):
            assert frontmatter._fence(text, at) == -1 == frontmatter.fence_python(text, at), (text, at)
        for at in (-1, -(2**62), -(2**63)):
            assert frontmatter._fence(text, at) == frontmatter.fence_python(text, 0) != -1, (text, at)
        for at in (2**63, 2**200, -(2**63) - 1):
            with pytest.raises(OverflowError):
                frontmatter._fence(text, at)


# -- suppression comments: looked for only in a text with a '#' ------------------------------


def test_a_text_without_a_hash_holds_no_suppression_comment() -> None:
    """Where ``may_hold_any`` says no, the comments read from the whole text are none: the
    engine's and the keys record's shortcut drops nothing."""
    texts = [text for _, text in _texts()]
    texts += [
        "a: lint-news: ignore",
        "a: 'lint-news: ignore[S001]'",
        "lint-news: ignore-file",
        "a: 1 # lint-news: ignore",
    ]
    seen = {False: 0, True: 0}
    for text in texts:
        if not may_hold_any(text):
            assert Suppressions(text).comments == {}, text[:200]
        seen[bool(Suppressions(text).comments)] += 1
    assert seen[True] > 0  # the texts hold comments too: the check is not vacuous


# -- redaction: whether a text shares a window with a secret, in one compiled call ------------


def _window_cases() -> List[Tuple[List[str], str]]:
    """Secrets of every length around the window and its step, and texts that hold pieces
    of them (of every length, at every place) or not, in one, two and four bytes a
    character; a few with more windows than the Python twin asks one by one."""
    rng = random.Random(20261203)
    alphabet = "ab\u00e9\U0001f600 0;/+=\0"
    cases = []
    for number in range(4000):
        lengths = [0, 3, 7, 8, 9, 11, 12, 13, 15, 16, 17, 40] + ([1100] if number % 100 == 0 else [])
        secrets = ["".join(rng.choice(alphabet) for _ in range(rng.choice(lengths))) for _ in range(rng.randint(0, 3))]
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        if secrets and rng.random() < 0.7:
            secret = rng.choice(secrets)
            start = rng.randint(0, len(secret))
            piece = secret[start : start + rng.choice([rng.randint(0, len(secret)), 7, 8, 9, 11, 12])]
            at = rng.randint(0, len(text))
            text = text[:at] + piece + text[at:]
        cases.append((secrets, text))
    return cases


def compare_windows() -> Dict[bool, int]:
    """The compiled window check against its Python twin on every case; how many cases
    answered each way (also run under the sanitizers, tests/test_sanitizers.py)."""
    answers = {False: 0, True: 0}
    assert redact._native_shares is not None
    for secrets, text in _window_cases():
        found = redact._native_shares(text, secrets)
        assert found == Secrets(secrets).shares_window_python(text), (secrets, text)
        assert Secrets(secrets)._shares_window(text) == found, (secrets, text)  # whichever it asks
        answers[found] += 1
    return answers


@pytest.mark.skipif(redact._native_shares is None, reason="the compiled reader is not built")
def test_the_compiled_window_check_agrees_with_asking_each_window() -> None:
    assert min(compare_windows().values()) > 400  # both answers, many times


def _window_hash(window: str) -> int:
    """``window_hash`` of _blockreader.c, to make windows that land where an attacker wants."""
    value = 0
    for char in window:
        value = (value * 1000003 + ord(char)) & ((1 << 64) - 1)
    return value ^ (value >> 29)


def _crowding_secret(rng: random.Random, windows: int, size: int) -> str:
    """A secret whose ``windows`` windows (every fourth offset) are all different and all
    hash into the first four of ``size`` slots: one run of filled slots as long as them."""
    secret = "".join(rng.choice("bcdefgh") for _ in range(4))
    while len(secret) < 4 * windows + 4:
        step = "".join(rng.choice("bcdefghijklmnopq") for _ in range(4))
        if _window_hash(secret[-4:] + step) % size < 4:
            secret += step
    return secret


@pytest.mark.skipif(redact._native_shares is None, reason="the compiled reader is not built")
def test_the_compiled_window_check_bounds_each_lookup() -> None:
    """Secret and text both come from the checked file, and the hash is not seeded. A window
    repeated in a secret is stored once ('A' * 1024: one window, not 256 in one run each
    lookup walks), so the table is kept; a secret made of different windows that crowd one
    run longer than 32 slots gives the table up (None) and the twin answers, from then on."""
    assert redact._native_shares is not None
    rng = random.Random(11)
    texts = ["".join(rng.choice("\u0100\u0101\u0102A") for _ in range(3000)) for _ in range(3)]
    texts += [texts[0][:1000] + "A" * 8 + texts[0][1000:], "x" * 40]
    for text in texts:
        found = redact._native_shares(text, ["A" * 1024])
        assert found is not None and found == Secrets(["A" * 1024]).shares_window_python(text)
    crowding = _crowding_secret(rng, 40, 128)  # 41 windows counted: a table of 128 slots
    assert len({crowding[at : at + 8] for at in range(0, len(crowding) - 7, 4)}) == 40
    texts += [texts[1][:500] + crowding[13:60] + texts[1][500:], crowding[-9:]]
    for text in texts:
        assert redact._native_shares(text, [crowding]) is None
        secrets = Secrets([crowding])
        held = secrets.shares_window_python(text)
        assert secrets._shares_window(text) == held and secrets._secrets == ()  # the twin kept
        assert held == any(window in text for window in _windows_of(crowding))
    assert [Secrets([crowding])._shares_window(text) for text in texts[-2:]] == [True, True]


def _windows_of(secret: str) -> List[str]:
    return [secret[at : at + 8] for at in range(0, len(secret) - 7, 4)] + [secret[-8:]]


@pytest.mark.skipif(redact._native_shares is None, reason="the compiled reader is not built")
def test_the_compiled_window_check_refuses_bad_calls() -> None:
    assert redact._native_shares is not None
    for args in ((), ("a",), (b"a", ["secretive"]), ("a", [b"secretive"]), ("a", 5), ("a", ["x"], 1)):
        with pytest.raises(TypeError):
            redact._native_shares(*args)  # type: ignore[arg-type]

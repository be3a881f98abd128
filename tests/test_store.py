"""The compact store of a run's findings (``linter.report.store``): every field comes back
exactly as it went in, in the order ``sorted`` gives, and every report made from the store
is the report made from the sorted list."""

from __future__ import annotations

import collections
import json
import xml.etree.ElementTree as ET
from pathlib import Path, PurePath
from typing import Any, Iterator, List, Tuple

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import PROFILE
from test_secured import ATTACKS, SECRET, leaked

from linter import registry
from linter.engine import Linter
from linter.model import Finding, Related, Severity, shown_path
from linter.report import render as report
from linter.report import store as store_module
from linter.report.render import FORMATS, ReportContext, render, statistics
from linter.report.store import FindingStore

FIXTURES = ROOT / "tests" / "fixtures"

#: Text of every kind a field can hold: ASCII, accents, wide and astral characters, control
#: characters, and the lone surrogates Python keeps for a file name's bytes that are not UTF-8.
TEXT = st.text(st.characters(blacklist_categories=()), max_size=12) | st.sampled_from(
    ["", "a", "é", "标题", "\U0001f4f0", "\udcff", "a\udc80b", "\x00\x1b[2J", "x" * 300]
)
PATHS = st.sampled_from(["news/a.md", "news/b.md", "./news/a.md", "news/a.md/", "news/\udcff.md", "ü.md", "-"])
DATA_PATHS = st.lists(st.one_of(TEXT, st.integers(-(2**70), 2**70)), max_size=3).map(tuple)
RELATED = st.builds(Related, PATHS, st.integers(1, 9), st.integers(1, 9), TEXT)
FINDINGS = st.builds(
    Finding,
    path=PATHS,
    line=st.integers(1, 4),
    col=st.integers(1, 3),
    code=st.sampled_from(["S002", "A001", "E010", "T003", "W101"]),
    message=TEXT,
    severity=st.sampled_from(Severity),
    name=st.sampled_from(["", "wrong-type", "duplicate-url"]),
    data_path=DATA_PATHS,
    hint=TEXT,
    fix=st.sampled_from(["", "safe", "unsafe"]),
    related=st.lists(RELATED, max_size=2).map(tuple),
)


def exactly(found: List[Finding]) -> List[Tuple[Any, ...]]:
    """Each finding with the type of every value in it, so that ``1`` and ``"1"``, a
    ``Severity`` and its string, a ``Related`` and a plain tuple tell apart."""
    return [
        (
            *f,
            type(f),
            type(f.severity),
            type(f.data_path),
            tuple(map(type, f.data_path)),
            type(f.related),
            tuple(map(type, f.related)),
        )
        for f in found
    ]


def by_file(findings: List[Finding]) -> List[List[Finding]]:
    """The findings as a run adds them: a run of one path at a time."""
    groups: List[List[Finding]] = []
    for f in findings:
        if groups and groups[-1][0].path == f.path:
            groups[-1].append(f)
        else:
            groups.append([f])
    return groups


@settings(PROFILE, max_examples=300)
@given(st.lists(FINDINGS, max_size=12))
def test_findings_come_back_exactly_in_sorted_order(findings: List[Finding]) -> None:
    store = FindingStore()
    for group in by_file(findings):
        store.add(group)
    assert len(store) == len(findings)
    assert exactly(list(store)) == exactly(sorted(findings))
    assert exactly(list(store)) == exactly(list(store))  # iterated again, the same
    assert exactly(list(FindingStore(findings))) == exactly(sorted(findings))
    assert [(path, exactly(found)) for path, found in store.by_file()] == [
        (path, exactly([f for f in sorted(findings) if f.path == path])) for path in sorted({f.path for f in findings})
    ]


def test_equal_places_keep_the_order_they_were_added_in() -> None:
    """``sorted`` compares path, line, column and code only: the rest keeps its order, also
    across two adds of one path (a file named twice, then an archive finding about it)."""
    first = Finding("a.md", 2, 1, "S002", "first")
    second = Finding("a.md", 2, 1, "S002", "second")
    earlier = Finding("a.md", 1, 5, "T003", "earlier line")
    other = Finding("0.md", 9, 9, "S002", "another file")
    store = FindingStore()
    store.add([first])
    store.add([other])
    store.add([earlier, second])
    assert list(store) == sorted([first, other, earlier, second]) == [other, earlier, first, second]
    assert [path for path, _ in store.by_file()] == ["0.md", "a.md"]


def test_a_finding_with_every_field_set() -> None:
    full = Finding(
        "news/\udcffé标题.md",
        12,
        34,
        "A001",
        "webUrl is also the webUrl of news/a.md:6 \U0001f4f0",
        Severity.WARNING,
        "duplicate-url",
        ("related", 0, "url", -1, "0"),
        "keep one article per story",
        "unsafe",
        (Related("news/a.md", 6, 9, "the oldest"), Related("news/\udc80.md", 1, 2, "")),
    )
    assert exactly(list(FindingStore([full]))) == exactly([full])
    assert exactly(list(FindingStore([Finding("a.md", 1, 1, "E001")]))) == exactly([Finding("a.md", 1, 1, "E001")])


def test_an_empty_store() -> None:
    store = FindingStore()
    assert len(store) == 0
    assert list(store) == [] and list(store.by_file()) == []
    assert Finding("a.md", 1, 1, "E001") not in store


def test_findings_of_the_fixtures_in_every_report(tmp_path: Path) -> None:
    """Real findings (hints, fixes, data paths, archive findings with related places, a name
    that is not UTF-8) give the same report from the store as from the sorted list."""
    from linter.api import lint_paths

    odd = tmp_path / "_news" / "2024-03-11-caf\udce9.md"
    odd.parent.mkdir()
    odd.write_bytes((FIXTURES / "invalid" / "S002-heat-float.md").read_bytes())
    found = list(lint_paths([FIXTURES, odd.parent], jobs=1))
    assert any(f.related for f in found) and any(f.fix for f in found) and any(f.hint for f in found)
    assert any(not f.path.isascii() for f in found)
    found.reverse()  # in another order than the report's
    store = FindingStore()
    for group in by_file(found):
        store.add(group)
    assert exactly(list(store)) == exactly(sorted(found))
    context = ReportContext(rules=registry.RULES, files=sorted({f.path for f in found}), show_source=True)
    for fmt in FORMATS:
        assert render(fmt, store, context) == render(fmt, sorted(found), context), fmt
    assert statistics(store) == statistics(sorted(found))


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_findings_about_a_secured_value_stay_redacted(attack: str) -> None:
    """What the store holds is what the engine made: redacted messages and hints, never
    the secured value, in the rows as in what comes back."""
    findings = Linter().lint_bytes("_news/2024-03-11-secured.md", ATTACKS[attack].text.encode()).findings
    store = FindingStore(findings)
    assert exactly(list(store)) == exactly(sorted(findings))
    assert leaked(b"".join(store.stored()).decode("latin-1"), SECRET) == []
    assert leaked(repr(list(store)), SECRET) == []


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_compressed_rows_hold_no_secured_value(attack: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compressed, the rows are still only the redacted findings: read back, they hold no
    part of the secured value."""
    monkeypatch.setattr(store_module, "RAW_BYTES", 1)
    monkeypatch.setattr(store_module, "CHUNK_BYTES", 1)
    findings = Linter().lint_bytes("_news/2024-03-11-secured.md", ATTACKS[attack].text.encode()).findings
    store = FindingStore(findings)
    assert store._chunks or not findings
    assert exactly(list(store)) == exactly(sorted(findings))
    assert leaked(b"".join(store.stored()).decode("latin-1"), SECRET) == []


@settings(PROFILE, max_examples=300)
@given(st.lists(FINDINGS, max_size=16), st.integers(1, 4000), st.integers(1, 2000), st.integers(1, 2000))
def test_compressed_rows_come_back_exactly_in_sorted_order(
    findings: List[Finding], raw: int, chunk: int, window: int
) -> None:
    """With rows compressed a few at a time (after some kept as they are) and read back a
    few at a time, in any order of paths, every field of every finding comes back exactly,
    in the sorted order, twice."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module, "RAW_BYTES", raw)
        patch.setattr(store_module, "CHUNK_BYTES", chunk)
        patch.setattr(store_module, "WINDOW_BYTES", window)
        store = FindingStore()
        for group in by_file(findings):
            store.add(group)
        assert len(store) == len(findings)
        assert exactly(list(store)) == exactly(sorted(findings))
        assert exactly(list(store)) == exactly(sorted(findings))
        assert [(path, exactly(found)) for path, found in store.by_file()] == [
            (path, exactly([f for f in sorted(findings) if f.path == path]))
            for path in sorted({f.path for f in findings})
        ]


def test_many_files_are_compressed_and_read_in_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows of 3,000 files in a shuffled order: kept as they are until they pass
    ``RAW_BYTES``, then compressed in chunks (far smaller than the rows, none much bigger
    than ``CHUNK_BYTES``, those kept until then too), read back in windows, each chunk
    decompressed once a window."""
    import marshal
    import random
    import zlib

    monkeypatch.setattr(store_module, "RAW_BYTES", 200 * 1024)
    monkeypatch.setattr(store_module, "CHUNK_BYTES", 16 * 1024)
    monkeypatch.setattr(store_module, "WINDOW_BYTES", 64 * 1024)
    words = ["excerpt", "has", "the", "HTML", "entity", "decoded:", "plain", "text", "story", "news"]
    rng = random.Random(7)
    findings = [
        Finding(
            f"_news/2024-01-{n % 28 + 1:02d}-story-{n}.md",
            4 + k,
            10,
            "T003",
            f"excerpt has the HTML entity '&amp;' at character {k + n % 90}",
            Severity.WARNING,
            "html-entity",
            ("related", k, "excerpt"),
            "decoded: " + " ".join(rng.choice(words) for _ in range(30)),
        )
        for n in rng.sample(range(3000), 3000)
        for k in range(n % 3 + 1)
    ]
    store = FindingStore()
    for group in by_file(findings):
        store.add(group)
    assert len(store._chunks) > 10
    for paths, rows_kept in store._chunks:  # a row (under 2 KB here) may end a chunk
        raw = sum(map(len, marshal.loads(zlib.decompress(rows_kept))))
        assert raw + sum(map(len, marshal.loads(zlib.decompress(paths)))) < 18 * 1024
    kept = sum(len(paths) + len(rows) for paths, rows in store._chunks)
    assert kept * 2 < sum(map(len, store.stored())) + sum(len(f.path) for f in findings)
    calls = []
    real = zlib.decompress
    monkeypatch.setattr(zlib, "decompress", lambda data: calls.append(data) or real(data))
    assert exactly(list(store)) == exactly(sorted(findings))
    rows = sum(map(len, store.stored()))
    windows = rows // store_module.WINDOW_BYTES + 1
    for paths, rows_kept in store._chunks:  # paths once to sort, then paths and rows once a window
        assert 1 <= sum(data is rows_kept for data in calls) <= windows
        assert 2 <= sum(data is paths for data in calls) <= windows + 1


def test_a_few_thousand_findings_are_not_compressed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows under ``RAW_BYTES`` stay as they are (compressing them and reading them back
    cost more than they take); the row that passes it has them all compressed, in chunks."""
    findings = [
        Finding(f"_news/story-{n:05d}.md", 3, 1, "T003", "x" * 900, Severity.WARNING, "html-entity", ("title",))
        for n in range(6000)
    ]
    store, added = FindingStore(), 0
    for finding in findings:
        store.add([finding])
        added += sum(len(path) + len(row) for path, row, _ in store_module.pack([finding]))
        assert bool(store._chunks) == (added >= store_module.RAW_BYTES)
        if store._chunks:
            break
    assert 3000 < len(store) < len(findings)
    assert len(store._chunks) >= store_module.RAW_BYTES // store_module.CHUNK_BYTES
    assert exactly(list(store)) == exactly(findings[: len(store)])
    store = FindingStore(findings[:3000])  # about 3 MB of rows and paths
    assert not store._chunks
    assert exactly(list(store)) == exactly(findings[:3000])


@settings(PROFILE, max_examples=100)
@given(st.lists(FINDINGS, max_size=8), st.sampled_from(sorted(FORMATS)), st.booleans())
def test_reports_written_in_pieces_are_the_reports_written_whole(
    findings: List[Finding], fmt: str, show_source: bool
) -> None:
    """The store gives the sorted list's report, and a report written a finding at a time
    is byte for byte what one ``json.dumps(..., indent=2)`` or one indented XML tree gave."""
    context = ReportContext(
        rules=registry.RULES,
        files=sorted({f.path for f in findings} | {"news/clean.md"}),
        show_source=show_source,
        source_line=lambda path, line: f"{path}: line {line}",
    )
    expected = render(fmt, sorted(findings), context)
    assert render(fmt, FindingStore(findings), context) == expected
    if fmt in ("json", "sarif", "gitlab"):
        assert expected == json.dumps(json.loads(expected), indent=2) + "\n"
    if fmt == "junit":
        assert expected == whole_junit(sorted(findings), context)


def whole_junit(findings: List[Finding], ctx: ReportContext) -> str:
    """JUnit XML as one tree of every test case, indented at once (as it was written)."""
    shown = [
        f._replace(path=shown_path(f.path), related=tuple(r._replace(path=shown_path(r.path)) for r in f.related))
        for f in findings
    ]
    ctx = ctx._replace(files=[shown_path(path) for path in ctx.files])
    cases = [report._testcase(path, found, ctx) for path, found in report._by_file(shown, ctx).items()]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": str(sum(1 for case in cases if case.find("error") is not None)),
    }
    root = ET.Element("testsuites", {"name": "lint-news", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "lint-news", **counts, "skipped": "0"})
    suite.extend(cases)
    ET.indent(root)
    body = ET.tostring(root, encoding="us-ascii").decode("ascii")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def one_pass_keys(findings: List[Finding]) -> Iterator[str]:
    """The fingerprints' keys as one counter over every finding gives them."""
    seen: collections.Counter[str] = collections.Counter()
    for f in findings:
        base = json.dumps([PurePath(f.path).as_posix(), f.code, list(f.data_path)])
        yield f"{base}#{seen[base]}"
        seen[base] += 1


@settings(PROFILE, max_examples=300)
@given(st.lists(FINDINGS, max_size=12))
def test_fingerprint_keys_count_per_file_as_one_counter_would(findings: List[Finding]) -> None:
    """The occurrence numbers are counted a file at a time and let go after its last
    finding; in any order, and for two spellings of one path (``a.md``, ``./a.md``), they
    are those of one counter over the whole run."""
    assert [key for _, key in report._stable_keys(findings)] == list(one_pass_keys(findings))
    assert [key for _, key in report._stable_keys(sorted(findings))] == list(one_pass_keys(sorted(findings)))

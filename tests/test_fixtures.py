"""Rule fixtures: failing and passing articles with exact positions for every code.

Each file in ``fixtures/invalid/`` is named ``<CODE>-<short-name>.md`` (or sits in a folder of
that name when the rule reads the file name, as D002 does) and carries its expectations in
YAML comments beside the line they concern:

    key: value  # expect: CODE:COL [CODE:COL ...]     finding(s) on this line
    # expect-at: CODE:LINE:COL [...]                   finding(s) anywhere (line 1, after a
                                                       syntax error, in the Markdown body)
    # fixture-settings: key=value [...]                report_unused_suppressions=true,
                                                       schema=<path below fixtures/>,
                                                       max_image_dimension=<int>

Files in ``fixtures/valid/`` must lint clean and carry no expectations. Fixtures are LF-only
UTF-8 without a BOM; CRLF, CR, BOM and broken encodings are generated here from them.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from functools import cache
from itertools import takewhile
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest
from conftest import FIXTURES, ROOT, SHARED, run_cli

from linter import registry
from linter.archive.compare import Scope, check
from linter.batch.walk import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from linter.engine import FileResult, Linter
from linter.model import RuleInfo, Severity
from linter.rules.base import Options, Rule
from linter.settings import Settings

VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"

#: (code, line, col) of one finding; fixtures compare sorted lists, so repeats count.
Position = Tuple[str, int, int]

_MARKER = re.compile(r"#\s*(expect|expect-at|fixture-settings)\s*:(.*)\Z")
_LOOSE_MARKER = re.compile(r"#\s*(expect|fixture-settings)", re.IGNORECASE)
_EXPECT = re.compile(r"([A-Z][0-9]{3}):([0-9]+)\Z")
_EXPECT_AT = re.compile(r"([A-Z][0-9]{3}):([0-9]+):([0-9]+)\Z")
_OUTPUT_LINE = re.compile(r"(?P<path>.+?):(?P<line>[0-9]+):(?P<col>[0-9]+): (?P<code>[A-Z][0-9]{3}) \S.*\Z")
_SECRET_TOKEN = re.compile(r"[^\s\"',\[\]]{8,}")
_HIDDEN = "--no-cache", "--isolated"  # hermetic: no result cache, no configuration files

#: Codes whose failing case needs a setup a fixture file cannot express: code -> test.
SPECIAL_TESTS = {
    "E006": "test_invalid_utf8_byte_is_reported_where_it_is",
    "E014": "test_bom_before_the_opening_fence_is_e014",
    "E015": "test_cr_only_line_endings_are_e015_where_line_1_ends",
    "E009": "test_file_over_max_file_size_is_e009",
    "E010": "test_unreadable_path_is_e010",
    "E012": "test_failing_rule_is_e012_and_the_other_rules_still_run",
    "E016": "test_link_outside_the_folder_is_e016",
}


# -- loading fixtures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    path: Path
    expected: Tuple[Position, ...]
    settings: Settings
    #: Names of the fixture-settings it asks for.
    options: Tuple[str, ...]

    @property
    def code(self) -> str:
        """The code an invalid fixture is named after (its file or folder name)."""
        return self.path.relative_to(INVALID).parts[0].split("-", 1)[0]


def fixture_paths(folder: Path) -> List[Path]:
    return sorted(folder.rglob("*.md"))


def fixture_id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


@cache
def load_fixture(path: Path) -> Fixture:
    data = path.read_bytes()
    assert b"\r" not in data, f"{path}: commit fixtures with LF endings; CRLF/CR variants are generated"
    assert not data.startswith(codecs.BOM_UTF8), f"{path}: no BOM in fixtures; the BOM variant is generated"
    expected: List[Position] = []
    options: Dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8").split("\n"), start=1):
        _read_marker(path, number, line, expected, options)
    return Fixture(path, tuple(sorted(expected)), _settings(path, options), tuple(sorted(options)))


def _read_marker(path: Path, number: int, line: str, expected: List[Position], options: Dict[str, str]) -> None:
    match = _MARKER.search(line)
    if match is None:
        assert not _LOOSE_MARKER.search(line), f"{path}:{number}: malformed expectation comment: {line!r}"
        return
    kind, items = match.group(1), match.group(2).split()
    assert items, f"{path}:{number}: empty '{kind}:' comment"
    for item in items:
        if kind == "fixture-settings":
            key, _, value = item.partition("=")
            options[key] = value
        else:
            expected.append(_position(path, number, kind, item))


def _position(path: Path, number: int, kind: str, item: str) -> Position:
    pattern = _EXPECT if kind == "expect" else _EXPECT_AT
    match = pattern.match(item)
    assert match is not None, f"{path}:{number}: bad '{kind}:' item {item!r}"
    if kind == "expect":
        return match.group(1), number, int(match.group(2))
    return match.group(1), int(match.group(2)), int(match.group(3))


def _settings(path: Path, options: Dict[str, str]) -> Settings:
    known = {"report_unused_suppressions", "schema", "max_image_dimension"}
    assert set(options) <= known, f"{path}: unknown fixture-settings {sorted(set(options) - known)}"
    schema = options.get("schema")
    return Settings(
        report_unused_suppressions=options.get("report_unused_suppressions") == "true",
        schema_path=str(FIXTURES / schema) if schema else None,
        options=Options(max_image_dimension=int(options.get("max_image_dimension", Options().max_image_dimension))),
    )


# -- linting -------------------------------------------------------------------------------


@cache
def linter_for(settings: Settings) -> Linter:
    """One linter per distinct settings: the schema is compiled once, not once per file."""
    return Linter(settings)


def positions(result: FileResult) -> List[Position]:
    return sorted((f.code, f.line, f.col) for f in result.findings)


def lint(path: Path, settings: Settings) -> List[Position]:
    result = linter_for(settings).lint_path(str(path))
    assert not result.failed, f"the linter failed on {path}: {result.findings}"
    assert {f.path for f in result.findings} <= {str(path)}, "every finding names the file it is in"
    if in_archive(path):
        return sorted(positions(result) + archive_positions(path, settings, result.keys))
    return positions(result)


def in_archive(path: Path) -> bool:
    """Fixtures below a ``_news`` folder are also compared with the other files there (the
    A codes); those outside share one URL by design, each showing one code of its own."""
    return "_news" in path.parts[:-1]


def archive_positions(path: Path, settings: Settings, keys: Optional[bytes]) -> List[Position]:
    """The archive check's findings on ``path`` among the files of its ``_news`` folder."""
    scope = Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
    findings, notes = check({str(path): keys}, scope)
    assert notes == [] and {f.path for f in findings} <= {str(path)}
    return [(f.code, f.line, f.col) for f in findings]


def difference(actual: Sequence[Position], expected: Sequence[Position]) -> str:
    missing = [p for p in expected if list(expected).count(p) > list(actual).count(p)]
    extra = [p for p in actual if list(actual).count(p) > list(expected).count(p)]
    return f"missing {sorted(set(missing))}, unexpected {sorted(set(extra))}"


VALID_PATHS = fixture_paths(VALID)
INVALID_PATHS = fixture_paths(INVALID)
ALL_PATHS = VALID_PATHS + INVALID_PATHS


# -- the fixtures themselves -------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID_PATHS, ids=fixture_id)
def test_valid_fixture_lints_clean(path: Path) -> None:
    fixture = load_fixture(path)
    assert fixture.expected == () and fixture.options == (), "valid fixtures carry no expectations"
    assert lint(path, fixture.settings) == []


@pytest.mark.parametrize("path", INVALID_PATHS, ids=fixture_id)
def test_invalid_fixture_findings_are_exactly_the_expected_ones(path: Path) -> None:
    fixture = load_fixture(path)
    actual = lint(path, fixture.settings)
    assert actual == list(fixture.expected), difference(actual, fixture.expected)


@pytest.mark.parametrize("path", INVALID_PATHS, ids=fixture_id)
def test_invalid_fixture_expects_the_code_it_is_named_after(path: Path) -> None:
    fixture = load_fixture(path)
    assert fixture.code in registry.RULES, f"{fixture.code} is not a registered code"
    # An archive's oldest article is the one the others are reported against: the folder
    # as a whole expects the code.
    together = [load_fixture(p) for p in path.parent.glob("*.md")] if in_archive(path) else [fixture]
    assert fixture.code in {code for f in together for code, _, _ in f.expected}


def test_every_code_has_a_failing_fixture_or_a_special_test() -> None:
    named = {load_fixture(path).code for path in INVALID_PATHS}
    missing = sorted(set(registry.RULES) - named - set(SPECIAL_TESTS))
    assert missing == [], f"codes without a failing fixture in {INVALID}: {missing}"
    assert all(callable(globals().get(name)) for name in SPECIAL_TESTS.values())


def test_fixture_folders_are_not_empty() -> None:
    assert len(VALID_PATHS) >= 5 and len(INVALID_PATHS) >= len(registry.RULES) - len(SPECIAL_TESTS)


# -- line endings and BOM -----------------------------------------------------------------------

_ENDINGS = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}
VARIANTS: Dict[str, Callable[[bytes], bytes]] = {
    "crlf": lambda data: data.replace(b"\n", b"\r\n"),
    "cr": lambda data: data.replace(b"\n", b"\r"),
    "bom": lambda data: codecs.BOM_UTF8 + data,
    "bom-crlf": lambda data: codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n"),
}


def variant_findings(variant: str, data: bytes) -> List[Position]:
    """What a line-ending or BOM variant adds to a fixture's own findings: Jekyll does not see
    the frontmatter of a file with a BOM (E014 at 1:1) or CR-only line endings (E015 where
    line 1 ends). Every other finding keeps its position."""
    if variant.startswith("bom"):
        return [("E014", 1, 1)]
    if variant == "cr":
        return [("E015", 1, len(data.split(b"\n", 1)[0].decode("utf-8")) + 1)]
    return []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", ALL_PATHS, ids=fixture_id)
def test_line_endings_and_bom_change_no_finding_but_their_own(path: Path, variant: str, tmp_path: Path) -> None:
    fixture = load_fixture(path)
    data = path.read_bytes()
    copy = tmp_path / path.name  # the same name: D002 reads the date in it
    if in_archive(path):  # the whole archive, each file in the variant
        copy = tmp_path / "_news" / path.name
        copy.parent.mkdir()
        for other in path.parent.glob("*.md"):
            (copy.parent / other.name).write_bytes(VARIANTS[variant](other.read_bytes()))
    copy.write_bytes(VARIANTS[variant](data))
    expected = sorted(lint(path, fixture.settings) + variant_findings(variant, data))
    assert lint(copy, fixture.settings) == expected


_MINIMAL = VALID / "2024-04-08-minimal-article.md"


@pytest.mark.parametrize("ending", ["lf", "crlf"])
def test_bom_before_the_opening_fence_is_e014(ending: str, tmp_path: Path) -> None:
    target = tmp_path / _MINIMAL.name
    target.write_bytes(codecs.BOM_UTF8 + _MINIMAL.read_bytes().replace(b"\n", _ENDINGS[ending]))
    result = Linter().lint_path(str(target))
    assert positions(result) == [("E014", 1, 1)]
    assert "publishes the raw file, secured included" in result.findings[0].message


def test_cr_only_line_endings_are_e015_where_line_1_ends(tmp_path: Path) -> None:
    target = tmp_path / _MINIMAL.name
    target.write_bytes(_MINIMAL.read_bytes().replace(b"\n", b"\r"))
    result = Linter().lint_path(str(target))
    assert positions(result) == [("E015", 1, 4)]
    assert "publishes the raw file, secured included" in result.findings[0].message


def _with_bare_cr(line: int) -> bytes:
    """The minimal article with the LF that ends ``line`` replaced by a bare CR."""
    lines = _MINIMAL.read_bytes().split(b"\n")
    return b"\n".join(lines[: line - 1]) + b"\n" + lines[line - 1] + b"\r" + b"\n".join(lines[line:])


def test_bare_cr_around_the_closing_fence_is_e015_there(tmp_path: Path) -> None:
    close = _MINIMAL.read_text(encoding="utf-8").split("\n").index("---", 1) + 1
    target = tmp_path / _MINIMAL.name
    for line in (close - 1, close):
        target.write_bytes(_with_bare_cr(line))
        result = Linter().lint_path(str(target))
        width = len(_MINIMAL.read_text(encoding="utf-8").split("\n")[line - 1])
        assert positions(result) == [("E015", line, width + 1)]
        assert "misses the closing fence" in result.findings[0].message


def test_bare_cr_inside_the_yaml_is_a_line_break_and_no_finding(tmp_path: Path) -> None:
    target = tmp_path / _MINIMAL.name
    target.write_bytes(_with_bare_cr(3))
    assert lint(target, Settings()) == []


# -- E006: bytes that are not UTF-8 --------------------------------------------------------------

_NON_ASCII = VALID / "2024-04-11-non-ascii-provider.md"


def with_bad_byte(text: str, line: int, after: str, bad: bytes, ending: bytes) -> Tuple[bytes, int]:
    """The text with ``bad`` inserted after the first ``after`` on ``line``; and its column."""
    lines = text.split("\n")
    target = lines[line - 1]
    index = target.index(after) + len(after)
    encoded = [item.encode("utf-8") for item in lines]
    encoded[line - 1] = target[:index].encode("utf-8") + bad + target[index:].encode("utf-8")
    return ending.join(encoded), index + 1


#: (line, text the bad byte follows, the bad byte): in an ASCII line, after CJK characters,
#: a lone lead byte of a three-byte sequence, at the very start, and in the Markdown body.
_BAD_BYTES = {
    "ascii-line": (2, "category: ne", b"\xff"),
    "after-cjk": (3, 'title: "沿海小城', b"\xe9"),
    "truncated-sequence": (14, "  name: 北岸", b"\xe6\x88"),
    "first-byte": (1, "", b"\xc0"),
    "in-body": (24, "", b"\xfe"),
}


@pytest.mark.parametrize("ending", sorted(_ENDINGS))
@pytest.mark.parametrize("case", sorted(_BAD_BYTES))
def test_invalid_utf8_byte_is_reported_where_it_is(case: str, ending: str, tmp_path: Path) -> None:
    line, after, bad = _BAD_BYTES[case]
    text = _NON_ASCII.read_text(encoding="utf-8") + "\nA body line.\n"
    data, col = with_bad_byte(text, line, after, bad, _ENDINGS[ending])
    target = tmp_path / _NON_ASCII.name
    target.write_bytes(data)
    assert lint(target, Settings()) == [("E006", line, col)]


def test_invalid_utf8_byte_after_a_bom_keeps_its_position(tmp_path: Path) -> None:
    data, col = with_bad_byte(_NON_ASCII.read_text(encoding="utf-8"), 3, 'title: "沿海', b"\xff", b"\n")
    target = tmp_path / _NON_ASCII.name
    target.write_bytes(codecs.BOM_UTF8 + data)
    assert lint(target, Settings()) == [("E006", 3, col)]


_WIDE_ENCODINGS: Dict[str, Callable[[str], bytes]] = {
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
}


@pytest.mark.parametrize("encoding", sorted(_WIDE_ENCODINGS))
def test_utf16_and_utf32_files_are_e006_at_the_start(encoding: str, tmp_path: Path) -> None:
    target = tmp_path / _NON_ASCII.name
    target.write_bytes(_WIDE_ENCODINGS[encoding](_NON_ASCII.read_text(encoding="utf-8")))
    assert lint(target, Settings()) == [("E006", 1, 1)]


# -- E009, E010, E012: setups a fixture cannot express ---------------------------------------------

_SMALL = VALID / "2024-04-08-minimal-article.md"


def test_file_over_max_file_size_is_e009() -> None:
    size = _SMALL.stat().st_size
    over = Linter(Settings(max_file_size=size - 1)).lint_path(str(_SMALL))
    assert (positions(over), over.failed) == ([("E009", 1, 1)], False)
    assert positions(Linter(Settings(max_file_size=size)).lint_path(str(_SMALL))) == []


def test_bytes_over_max_file_size_are_e009() -> None:
    data = _SMALL.read_bytes()
    result = Linter(Settings(max_file_size=len(data) - 1)).lint_bytes(_SMALL.name, data)
    assert positions(result) == [("E009", 1, 1)]


def test_command_reports_e009_for_max_file_size() -> None:
    size = _SMALL.stat().st_size
    run = run_cli(*_HIDDEN, "-q", "--max-file-size", str(size - 1), str(_SMALL))
    assert (run.rc, run.err) == (1, "")
    assert re.fullmatch(rf"{re.escape(str(_SMALL))}:1:1: E009 \S.*\n", run.out)


def _unreadable(kind: str, tmp_path: Path) -> Path:
    target = tmp_path / "2024-04-08-article.md"
    if kind == "directory":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    return target


_NO_FIFO = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@pytest.mark.parametrize("kind", ["missing", "directory", pytest.param("fifo", marks=_NO_FIFO)])
def test_unreadable_path_is_e010(kind: str, tmp_path: Path) -> None:
    result = Linter().lint_path(str(_unreadable(kind, tmp_path)))
    assert (positions(result), result.failed) == ([("E010", 1, 1)], True)


def test_link_outside_the_folder_is_e016(tmp_path: Path) -> None:
    """A link is not a fixture file: git keeps it, but every fixture is also read as CRLF."""
    inside, outside = tmp_path / "site", tmp_path / "secret.md"
    inside.mkdir()
    outside.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (inside / "2024-04-08-article.md").symlink_to(outside)
    result = Linter(roots=[str(inside.resolve())]).lint_path(str(inside / "2024-04-08-article.md"))
    assert (positions(result), result.failed) == ([("E016", 1, 1)], True)


def _broken(article: Any, context: Any) -> Iterator[Any]:
    raise RuntimeError("rule exploded")
    yield  # pragma: no cover - makes this a generator like every rule


def test_failing_rule_is_e012_and_the_other_rules_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    info = RuleInfo("X001", "secured-malformed", Severity.ERROR, "broken for this test")
    checks = tuple(Rule(info, _broken) if rule.info.code == "X001" else rule for rule in registry.CHECKS)
    monkeypatch.setattr(registry, "CHECKS", checks)
    result = Linter().lint_path(str(INVALID / "C001-unpromoted-but-published.md"))
    assert (positions(result), result.failed) == ([("C001", 11, 12), ("E012", 1, 1)], True)
    assert "X001" in next(f.message for f in result.findings if f.code == "E012")


def test_crash_outside_the_rules_is_e012(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: Any) -> None:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr("linter.engine.parse", explode)
    result = Linter().lint_path(str(_SMALL))
    assert (positions(result), result.failed) == ([("E012", 1, 1)], True)


# -- the installed command -----------------------------------------------------------------------


def parse_output(out: str) -> List[Tuple[str, str, int, int]]:
    """(path, code, line, col) of each output line; every line must have the contract's shape."""
    parsed = []
    for line in out.splitlines():
        match = _OUTPUT_LINE.match(line)
        assert match is not None, f"not 'PATH:LINE:COL: CODE message': {line!r}"
        parsed.append((match["path"], match["code"], int(match["line"]), int(match["col"])))
    return parsed


#: Fixture settings the command line can express; fixtures with others are checked for
#: the output format only.
_CLI_OPTIONS = {"report_unused_suppressions": "--report-unused-suppressions"}


def test_command_reports_every_invalid_fixture_in_the_contract_format() -> None:
    # The fixtures outside ``_news`` folders share one URL by design (each shows one code),
    # and a folder is an archive of its own: the archive codes are checked apart, below.
    run = run_cli(
        *_HIDDEN, "-q", "--ignore", registry.ARCHIVE, *_CLI_OPTIONS.values(), "tests/fixtures/invalid", cwd=ROOT
    )
    assert (run.rc, run.err) == (1, "")
    reported = parse_output(run.out)
    fixtures = [load_fixture(path) for path in INVALID_PATHS]
    plain = [fixture for fixture in fixtures if set(fixture.options) <= set(_CLI_OPTIONS)]
    shown = {fixture_id_in_cli(f.path) for f in plain}
    expected = sorted(
        (fixture_id_in_cli(f.path), code, line, col)
        for f in plain
        for code, line, col in f.expected
        if not code.startswith(registry.ARCHIVE)
    )
    assert sorted(r for r in reported if r[0] in shown) == expected
    assert {r[0] for r in reported} <= {fixture_id_in_cli(path) for path in INVALID_PATHS}


ARCHIVE_FOLDERS = sorted({path.parent for path in INVALID_PATHS if in_archive(path)})


@pytest.mark.parametrize("folder", ARCHIVE_FOLDERS, ids=fixture_id)
def test_command_reports_every_archive_fixture_in_the_contract_format(folder: Path) -> None:
    run = run_cli(*_HIDDEN, "-q", fixture_id_in_cli(folder), cwd=ROOT)
    assert (run.rc, run.err) == (0, "")  # A001 is a warning
    fixtures = [load_fixture(path) for path in sorted(folder.glob("*.md"))]
    expected = sorted((fixture_id_in_cli(f.path), code, line, col) for f in fixtures for code, line, col in f.expected)
    assert sorted(parse_output(run.out)) == expected


def fixture_id_in_cli(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_command_is_silent_on_valid_fixtures() -> None:
    assert run_cli(*_HIDDEN, "-q", "tests/fixtures/valid", cwd=ROOT) == (0, "", "")


# -- secrets ------------------------------------------------------------------------------------

SECRET_PATHS = [path for path in INVALID_PATHS if path.name.startswith("X001-") or "secured" in path.name]


def secret_strings(path: Path) -> List[str]:
    """The secured value of a fixture, whole and split at ';', as written (no YAML parsing:
    some of these fixtures do not parse). Strings under 8 characters are too short to tell."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith("secured:"))
    block = [lines[start][len("secured:") :]] + list(takewhile(lambda line: line.startswith(" "), lines[start + 1 :]))
    values = [token for line in block for token in _SECRET_TOKEN.findall(line.split("#")[0])]
    parts = [part for value in values for part in value.split(";")]
    return sorted({text for text in values + parts if len(text) >= 8})


@cache
def output_modes() -> Tuple[Tuple[str, ...], ...]:
    """Every --format the installed command offers, plus the text format with source lines."""
    match = re.search(r"--format \{([a-z0-9,-]+)\}", run_cli("--help").out)
    formats = match.group(1).split(",") if match else ["text"]
    extra = [("--format", "text", "--show-source")] if "--show-source" in run_cli("--help").out else []
    return tuple([("--format", name) for name in formats] + extra)


def test_secret_fixtures_exist() -> None:
    assert sum(1 for path in SECRET_PATHS if secret_strings(path)) >= 10


@pytest.mark.parametrize("mode", output_modes(), ids=lambda mode: " ".join(mode[1:]))
def test_secured_value_never_appears_in_any_output(mode: Tuple[str, ...]) -> None:
    run = run_cli(*_HIDDEN, *mode, *[str(path) for path in SECRET_PATHS])
    assert run.rc == 1, run.err
    assert all(path.name in run.out for path in SECRET_PATHS), "every secret fixture must be reported"
    # --statistics prints a table instead of the findings in the text format: a run of its own
    statistics = run_cli(*_HIDDEN, "--statistics", *mode, *[str(path) for path in SECRET_PATHS])
    assert statistics.rc == 1, statistics.err
    printed = run.out + run.err + statistics.out + statistics.err
    leaks = [(path.name, s) for path in SECRET_PATHS for s in secret_strings(path) if s in printed]
    assert leaks == []


# -- the shared seeds -----------------------------------------------------------------------------


def test_seed_articles_lint_clean() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the shared seeds are not at {seeds} (they sit beside the checkout in CI)")
    files = sorted(seeds.glob("*.txt"))
    assert files, f"no *.txt seeds in {seeds}"
    assert run_cli(*_HIDDEN, "-q", *[str(path) for path in files]) == (0, "", "")

"""One mistake, one diagnostic (``linter.fold``): folded messages, and that ignoring a code,
selecting another and silencing it with a comment follow the one documented rule.

The positions of every case are in ``tests/fixtures/invalid`` (the fixtures named below);
these tests check what positions cannot: the messages, the selection, the comments."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, List, Tuple

import pytest
from conftest import FIXTURES, ROOT, run_cli

from linter import fold, registry
from linter.engine import Linter
from linter.fix.apply import fix_bytes
from linter.fold import FOLDS, Raw, one_per_cause
from linter.settings import Settings

DEFAULT = Settings()

INVALID = FIXTURES / "invalid"
_COMMENT = re.compile(r"  # lint-news: ignore\[([A-Z0-9, ]+)\]")
_EXPECT = re.compile(r"  # expect: .*")


def findings(path: Path, settings: Settings = DEFAULT, data: Any = None) -> List[Tuple[str, int, int, str]]:
    text = path.read_bytes() if data is None else data
    result = Linter(settings).lint_bytes(path.name, text)
    assert not result.failed
    return [(f.code, f.line, f.col, f.message) for f in result.findings]


def only(path: Path, settings: Settings = DEFAULT) -> Tuple[str, int, int, str]:
    (found,) = findings(path, settings)
    return found


# -- the folded messages -----------------------------------------------------------------------------


def test_a_typo_of_a_required_field_is_one_finding_that_says_so() -> None:
    message = "unknown field 'titel'; did you mean 'title'? (required, missing)"
    assert only(INVALID / "S003-typo-titel.md") == ("S003", 3, 1, message)


def test_a_typo_of_a_field_another_one_needs_is_one_finding() -> None:
    message = "unknown field 'cdnAmpWebURL'; did you mean 'cdnAmpWebUrl'? (needed beside 'ampWebUrl', missing)"
    assert only(INVALID / "S003-typo-of-dependent-field.md") == ("S003", 9, 1, message)


def test_an_unknown_field_without_a_near_miss_has_no_suggestion() -> None:
    codes = [(code, message) for code, _, _, message in findings(INVALID / "S003-unknown-provider-field.md")]
    assert codes and all("did you mean" not in message for code, message in codes if code == "S003")


@pytest.mark.parametrize(
    ("name", "code", "line", "col"),
    [
        ("U002-space-only-in-weburl.md", "U002", 7, 9),
        ("U002-space-only-in-originalurl.md", "U002", 6, 14),
        ("U009-non-ascii-only-in-weburl.md", "U009", 7, 9),
    ],
)
def test_urls_that_differ_only_by_encoding_are_one_finding(name: str, code: str, line: int, col: int) -> None:
    found = only(INVALID / name)
    assert found[:3] == (code, line, col)
    assert found[3].endswith(" (webUrl and originalUrl are the same once encoded)")


def test_an_amp_url_with_a_space_and_its_encoded_cache_url_are_one_finding() -> None:
    found = only(INVALID / "U002-space-only-in-ampweburl.md")
    assert found[:3] == ("U002", 8, 12) and found[3].endswith(" (cdnAmpWebUrl matches it once encoded)")


def test_a_merge_of_a_scalar_is_one_error_with_the_merge_key_advice() -> None:
    message = "merge key '<<' needs a mapping or a list of mappings (merge keys are YAML 1.1 only; write the keys out)"
    assert only(INVALID / "E003-merge-of-scalar.md") == ("E003", 15, 3, message)


def test_weburl_on_another_host_is_one_u008_naming_both_hosts_and_the_provider() -> None:
    message = (
        "webUrl differs from originalUrl: host 'www.gull-times.example.net' where originalUrl has"
        " 'www.bay-courier.example.com' (webUrl is not on provider domain 'bay-courier.example.com')"
    )
    assert only(INVALID / "U008-weburl-on-other-host.md") == ("U008", 7, 9, message)


def test_u008_on_one_host_says_where_the_urls_part() -> None:
    message = "webUrl differs from originalUrl at character 49, both on host 'www.bay-courier.example.com'"
    assert only(INVALID / "U008-originalurl-differs.md") == ("U008", 7, 9, message)


def test_two_causes_at_one_position_stay_two_findings() -> None:
    """Both URLs are off the provider's domain: making webUrl equal to originalUrl would
    leave U007, so the provider (or both URLs) is a second mistake."""
    found = findings(INVALID / "U007-both-urls-off-provider.md")
    assert [(code, line, col) for code, line, col, _ in found] == [("U007", 7, 9), ("U008", 7, 9)]
    assert "host 'www.heron-post.example.org' where originalUrl has 'www.gull-times.example.net'" in found[1][3]
    assert "provider" not in found[1][3]


# -- selection, --ignore and comments ------------------------------------------------------------


#: Fixtures where a comment silences the specific code: what the general code then says.
SILENCED = sorted(INVALID.glob("*-silenced-inline.md"))


def test_there_are_silenced_fixtures() -> None:
    assert len(SILENCED) >= 4


@pytest.mark.parametrize("path", SILENCED, ids=lambda path: path.stem)
def test_ignoring_a_code_is_the_same_as_silencing_it_with_a_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    (codes,) = set(_COMMENT.findall(text))  # the same comment on every line with the code
    without = _COMMENT.sub("", text).encode("utf-8")
    ignored = Settings(ignore=tuple(code.strip() for code in codes.split(",")))
    assert findings(path, ignored, without) == findings(path)
    assert findings(path, ignored, without) != findings(path, Settings(), without)


def test_surfaced_findings_carry_their_own_message() -> None:
    assert only(INVALID / "S001-typo-silenced-inline.md")[3] == "missing required field 'title'"
    assert only(INVALID / "U007-weburl-off-provider-u008-silenced-inline.md")[3] == (
        "webUrl host 'www.gull-times.example.net' is not provider domain 'bay-courier.example.com' or a subdomain of it"
    )
    u008 = only(INVALID / "U008-space-silenced-inline.md")
    assert u008[:3] == ("U008", 7, 9) and "same once encoded" not in u008[3]


def test_selecting_the_general_code_reports_it_on_its_own() -> None:
    found = only(INVALID / "U002-space-only-in-weburl.md", Settings(select=("U008",)))
    assert found == (
        "U008",
        7,
        9,
        "webUrl differs from originalUrl at character 39, both on host 'www.bay-courier.example.com'",
    )
    s001 = only(INVALID / "S003-typo-titel.md", Settings(select=("S001",)))
    assert s001 == ("S001", 2, 1, "missing required field 'title'")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("U008-weburl-on-other-host.md", "U008"),
        ("S003-typo-titel.md", "S003"),
        ("U002-space-only-in-weburl.md", "U002"),
    ],
)
def test_a_message_does_not_depend_on_the_selection(name: str, code: str) -> None:
    """The rules folded into a selected code run even when they are not selected."""
    everything = only(INVALID / name)
    assert only(INVALID / name, Settings(select=(code,))) == everything
    assert only(INVALID / name, Settings(ignore=tuple(f.general for f in FOLDS if f.specific == code))) == everything


def test_rules_run_for_the_codes_they_fold_into() -> None:
    assert fold.EXPLAINERS["U007"] == {"U008", "U002", "U009"}
    assert fold.needed("U007", lambda code: code == "U002")
    assert not fold.needed("U007", lambda code: code == "U001")
    plan = Linter(Settings(select=("U002",)))._enabled_rules("a.md")
    ran = [rule.info.code for _screen, rules in plan for rule in rules]
    assert ran == ["U002", "U005", "U007", "U008"]


def test_a_comment_that_silences_a_replaced_finding_is_used() -> None:
    """`ignore[U002, S008]`, as the README advises: both silence something (no N001)."""
    path = INVALID / "S008-space-silenced-inline.md"
    text = path.read_text(encoding="utf-8").replace("ignore[U002]", "ignore[U002, S008]")
    assert findings(path, Settings(report_unused_suppressions=True), text.encode()) == []


def test_the_readme_example_comment_accepts_a_url_with_a_space() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"^webUrl: .* # lint-news: ignore\[.*\]$", readme, re.MULTILINE)
    assert line is not None
    path = INVALID / "U002-space-in-weburl.md"
    text = path.read_text(encoding="utf-8").split("\n")
    text[5] = line.group().replace("webUrl", "originalUrl", 1)
    text[6] = line.group()
    article = "\n".join(text).replace("  domain: bay-courier.example.com", "  domain: apnews.com", 1)
    data = _EXPECT.sub("", article).encode("utf-8")
    assert findings(path, Settings(report_unused_suppressions=True), data) == []


def test_the_command_follows_the_same_rule() -> None:
    """--ignore on the command line and the comment: the same output, through the command."""
    path = INVALID / "U008-space-silenced-inline.md"
    shown = run_cli("--no-cache", "--isolated", "-q", str(path))
    stripped = _COMMENT.sub("", path.read_text(encoding="utf-8")).encode("utf-8")
    ignored = run_cli(
        "--no-cache", "--isolated", "-q", "--ignore", "U002", "-", "--stdin-filename", str(path), stdin=stripped
    )
    assert shown.rc == ignored.rc == 1
    assert shown.out == ignored.out and " U008 webUrl differs from originalUrl at character 39" in shown.out


# -- fixes and the folds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["U002-space-only-in-weburl.md", "U002-space-only-in-originalurl.md", "U002-space-only-in-ampweburl.md"]
)
def test_fixing_the_specific_finding_clears_the_folded_one(name: str) -> None:
    path = INVALID / name
    outcome = fix_bytes(Linter(), path.name, path.read_bytes(), unsafe=False)
    assert [f.code for f in outcome.fixed] == ["U002"] and outcome.notes == []
    assert findings(path, Settings(), outcome.data) == []


# -- the table itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", FOLDS, ids=lambda pair: f"{pair.general}-into-{pair.specific}")
def test_both_codes_of_a_fold_document_it(pair: fold.Fold) -> None:
    assert pair.general in registry.RULES[pair.specific].doc
    assert pair.specific in registry.RULES[pair.general].doc


def test_a_code_gathers_its_notes_before_it_is_folded() -> None:
    """FOLDS order: where a code is specific in one fold and general in another, the fold
    where it is specific comes first (so U002 takes U008's note about U007 along)."""
    for index, pair in enumerate(FOLDS):
        later_as_specific = [other for other in FOLDS[index + 1 :] if other.specific == pair.general]
        assert later_as_specific == []


def test_a_chain_of_folds_keeps_every_note() -> None:
    data = {
        "originalUrl": "https://xn--bcher-kva.example/a",
        "webUrl": "https://bücher.example/a",
        "type": "article",
        "provider": {"domain": "xn--bcher-kva.example"},
    }
    raws = [Raw("U007", "off", ("webUrl",)), Raw("U008", "differs", ("webUrl",)), Raw("U009", "non-ASCII", ("webUrl",))]
    (kept,) = one_per_cause(raws, [True, True, True], data)
    assert kept.code == "U009"
    assert kept.message == (
        "non-ASCII (webUrl and originalUrl are the same once encoded;"
        " webUrl is not on provider domain 'xn--bcher-kva.example')"
    )
    middle = one_per_cause(raws, [True, True, False], data)
    assert [(r.code, r.message) for r in middle] == [
        ("U008", "differs (webUrl is not on provider domain 'xn--bcher-kva.example')")
    ]


def test_folding_stays_linear_on_a_hostile_file() -> None:
    """20,000 typos each naming a missing field: no pairwise comparison."""
    count = 20_000
    raws = [
        Raw("S003", f"unknown {i}", ("related", i, "titel"), True, subject=("related", i, "title"))
        for i in range(count)
    ]
    raws += [Raw("S001", "missing", ("related", i), subject=("related", i, "title")) for i in range(count)]
    started = time.process_time()
    kept = one_per_cause(raws, [True] * len(raws), {})
    assert time.process_time() - started < 5  # pairwise would be 400 million comparisons
    assert len(kept) == count and all(raw.message.endswith(" (required, missing)") for raw in kept)

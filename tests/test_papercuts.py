"""What a new user hits first (#15): each papercut found by trying lint-news as one."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import BAD, ROOT, lint, run_cli

from linter import registry
from linter.model import Finding, Severity
from linter.report.render import ReportContext, render

pytestmark = pytest.mark.in_process

WARNING = Finding("a.md", 3, 1, "T001", "title ends with a space", Severity.WARNING, "stray-whitespace")
ERROR = Finding("a.md", 5, 20, "D001", "bad date", Severity.ERROR, "invalid-date-time")
UNREADABLE = Finding("gone.md", 1, 1, "E010", "no such file or directory", Severity.ERROR, "unreadable-file")


def _ctx(**kw: object) -> ReportContext:
    return ReportContext(rules=registry.RULES, files=["a.md", "gone.md"], **kw)  # type: ignore[arg-type]


def test_warnings_say_so_without_colour(site: Path) -> None:
    article = site / "_news" / "2020-01-01-robotics-library.md"
    (site / "_news" / "2024-03-11-robotics-library.md").rename(article)
    result = lint(site, "--select", "D002,S", str(article.relative_to(site)))
    assert result.out == (
        "_news/2020-01-01-robotics-library.md:5:20: D002 warning: file name date 2020-01-01 is more than a day"
        " from publishedDateTime 2024-03-11\n"
    )
    errors = lint(site, "--select", "D001", BAD)
    assert errors.out.startswith(f"{BAD}:5:20: D001 '2024-02-30")  # errors keep `CODE message`


def test_walk_skips_vendor_bundle(site: Path) -> None:
    gem = site / "vendor" / "bundle" / "ruby" / "3.1.0" / "gems" / "minima-2.5.1"
    gem.mkdir(parents=True)
    (gem / "README.md").write_text("# minima\n", encoding="utf-8")
    result = lint(site, ".")
    assert "vendor/" not in result.out
    named = lint(site, str((gem / "README.md").relative_to(site)))
    assert named.out.startswith("vendor/bundle/") and " E001 " in named.out  # named files are always checked


@pytest.mark.parametrize("spelling", ["amp-cache-mismatch", "AMP-Cache-Mismatch", "U005"])
def test_rule_names_are_accepted_wherever_codes_are(site: Path, spelling: str) -> None:
    assert lint(site, "--select", spelling, BAD).rc == 0  # the bad example has no U005
    (site / ".lint-news.toml").write_text(f'ignore = ["{spelling}", "url-whitespace"]\n', encoding="utf-8")
    assert " U002 " not in lint(site, BAD).out


def test_a_near_miss_gets_a_suggestion(site: Path) -> None:
    result = lint(site, "--select", "amp-cache-mismach", BAD)
    assert result.rc == 2 and "did you mean 'amp-cache-mismatch'?" in result.err
    (site / ".lint-news.toml").write_text('selct = ["U"]\n', encoding="utf-8")
    result = lint(site, BAD)
    assert result.rc == 2 and "unknown key 'selct'; did you mean 'select'?" in result.err


def test_junit_agrees_with_the_exit_code() -> None:
    """A warning-only file passes (its findings are its output); an unreadable path is an
    error, not a failure; with --strict the warning fails."""
    root = ET.fromstring(render("junit", [WARNING, UNREADABLE], _ctx()))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("failures"), suite.get("errors"), suite.get("tests")) == ("0", "1", "2")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert cases["a.md"].find("failure") is None and "T001 warning" in (cases["a.md"].findtext("system-out") or "")
    assert cases["gone.md"].find("error") is not None
    strict = ET.fromstring(render("junit", [WARNING], _ctx(strict=True))).find("testsuite")
    assert strict is not None and strict.get("failures") == "1"
    mixed = ET.fromstring(render("junit", [WARNING, ERROR], _ctx())).find("testsuite")
    assert mixed is not None and mixed.get("failures") == "1"


def test_sarif_records_whether_the_run_worked() -> None:
    ok = json.loads(render("sarif", [ERROR], _ctx()))["runs"][0]["invocations"]
    assert ok == [{"executionSuccessful": True}]
    failed = json.loads(render("sarif", [ERROR, UNREADABLE], _ctx(failed=True)))["runs"][0]["invocations"][0]
    assert failed["executionSuccessful"] is False
    (note,) = failed["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "E010" and note["message"]["text"] == "no such file or directory"


def test_statistics_alone_and_quiet(site: Path) -> None:
    result = lint(site, "-q", "--statistics", "_news")
    assert result.rc == 1 and result.err == ""
    assert result.out.splitlines()[-2:] == ["Found 10 finding(s).", "[*] 3 fixable with --fix."]
    assert f"{BAD}:" not in result.out


@pytest.mark.parametrize(("value", "rc"), [("0", 1), ("1", 1), ("-1", 2)])
def test_jobs_zero_means_every_core_and_negative_is_refused(site: Path, value: str, rc: int) -> None:
    result = lint(site, "--jobs", value, "_news")
    assert result.rc == rc
    if rc == 2:
        assert result.err == "lint-news: error: --jobs must be 0 (one per core) or a positive number, not -1\n"


def test_an_empty_folder_warns(site: Path) -> None:
    (site / "empty").mkdir()
    result = lint(site, "empty")
    assert result.rc == 0
    assert result.err.splitlines()[-1] == (
        "lint-news: warning: no files to check under the given path(s) (include: *.md, *.markdown)"
    )
    assert "warning: no files" not in lint(site, "_news").err


def test_a_missing_path_is_not_a_file_with_findings(site: Path) -> None:
    result = lint(site, "missing.md")
    assert result.rc == 2
    assert result.err == (
        "lint-news: 0 file(s) checked, 0 with findings: 0 error(s), 0 warning(s); 1 path(s) could not be checked\n"
    )


def test_readme_shows_the_help_as_it_is() -> None:
    """`lint-news --help` and the README agree: the README carries the help text itself."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- help:start -->\n```text\n", 1)[1].split("```\n<!-- help:end -->", 1)[0]
    result = run_cli("--help", env={"COLUMNS": "100"})
    assert result.rc == 0
    assert shown == result.out, "regenerate the README's copy with: COLUMNS=100 lint-news --help"

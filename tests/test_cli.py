"""The command line: every flag of ``--help``.

Each test runs ``main(argv)`` in a temporary copy of ``examples/`` (in-process, see
``run_cli`` in conftest.py) and asserts the exit code, stdout and stderr together. The
installed console script itself runs where the process matters: ``--version`` and
``--help`` through the real entry point, broken pipes and terminals.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import stat
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import jsonschema
import pytest
from conftest import (
    BAD,
    BAD_FINDINGS,
    BAD_NAME,
    CLEAN,
    CLEAN_NAME,
    NEWS,
    ROOT,
    SURFACING,
    Run,
    bad_report,
    fixable,
    lint_news_command,
    run_cli,
    summary,
)

from linter import __version__, registry
from linter.cli.request import FORMAT_NAMES
from linter.report.render import FORMATS

pytestmark = pytest.mark.in_process

SECRET = "not-an-envelope"  # the bad example's `secured` value: never printed
FIX_3 = "[*] 3 fixable with --fix (1 more with --unsafe-fixes)\n"
SUMMARY_3 = f"lint-news: 3 file(s) checked, 1 with findings: {len(BAD_FINDINGS)} error(s), 0 warning(s)\n" + FIX_3
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
#: Every flag of --help is exercised in one of these files (see test_every_help_flag_is_tested).
TEST_FILES = ("test_cli.py", "test_config.py", "test_baseline.py", "test_cache.py", "test_fix.py")


def expected(path: str, codes: Optional[Sequence[str]] = None) -> str:
    """The bad example's report under ``path``, optionally only some codes."""
    return bad_report(path, codes)


def lint(site: Path, *args: str, env: Optional[Dict[str, str]] = None, stdin: Optional[bytes] = None) -> Run:
    """``lint-news ARGS`` in ``site``, with the cache beside it (never in the checkout)."""
    full_env = {"LINT_NEWS_CACHE_DIR": str(site.parent / "cache"), **(env or {})}
    return run_cli(*args, cwd=site, env=full_env, stdin=stdin)


def write_article(site: Path, name: str, text: str) -> str:
    path = site / "_news" / name
    path.write_text(text, encoding="utf-8")
    return f"_news/{name}"


def bad_text() -> str:
    return (NEWS / BAD_NAME).read_text(encoding="utf-8")


def clean_text() -> str:
    return (NEWS / CLEAN_NAME).read_text(encoding="utf-8")


# -- help, version, commands -------------------------------------------------------------------


@pytest.mark.real_command
def test_version() -> None:
    assert run_cli("--version") == (0, f"lint-news {__version__}\n", "")


@pytest.mark.real_command
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_flags_examples_and_exit_codes(flag: str) -> None:
    rc, out, err = run_cli(flag)
    assert (rc, err) == (0, "")
    assert out.startswith("usage: lint-news ")
    examples = out.split("examples:\n", 1)[1].split("\n\n", 1)[0]
    assert "lint-news _news/" in examples and "--stdin-filename" in examples
    codes = out.split("exit codes:\n", 1)[1]
    assert [line.split()[0] for line in codes.strip().splitlines()] == ["0", "1", "2", "130"]
    for command in ("lint-news rules", "lint-news rule CODE", "lint-news schema"):
        assert command in out


def help_flags() -> List[str]:
    out = run_cli("--help").out
    options = out.split("commands:", 1)[0]
    return sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+|-[a-zA-Z])\b", options)))


def test_format_flag_offers_every_output_format() -> None:
    """``--format``'s choices are written out so that a start does not import the renderers."""
    assert tuple(FORMATS) == FORMAT_NAMES


def test_every_help_flag_is_tested() -> None:
    """A new flag needs a test: each one appears, quoted, in one of the CLI test files."""
    sources = "".join((ROOT / "tests" / name).read_text(encoding="utf-8") for name in TEST_FILES)
    flags = help_flags()
    assert len(flags) >= 25
    assert [flag for flag in flags if f'"{flag}"' not in sources] == []


def test_rules_lists_every_code_in_order(tmp_path: Path) -> None:
    rc, out, err = run_cli("rules", cwd=tmp_path)
    assert (rc, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[:3] for line in lines] == [
        [info.code, info.name, info.severity.value] for info in registry.RULES.values()
    ]
    assert "D001  invalid-date-time          error    A publishedDateTime is not a real RFC 3339" in out


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["rule", "D001"], id="rule-code"),
        pytest.param(["--explain", "D001"], id="explain-code"),
        pytest.param(["rule", "d001"], id="rule-lower-case"),
        pytest.param(["--explain", "invalid-date-time"], id="explain-by-name"),
    ],
)
def test_rule_documentation(tmp_path: Path, args: List[str]) -> None:
    info = registry.RULES["D001"]
    out = f"D001 invalid-date-time (error)\n\n{info.doc}\n\nNot fixable automatically.\n"
    assert run_cli(*args, cwd=tmp_path) == (0, out, "")
    assert "**Why**" in info.doc


@pytest.mark.parametrize(
    "args",
    [pytest.param(["rule", "Z999"], id="rule"), pytest.param(["--explain", "Z999"], id="explain")],
)
def test_unknown_code_is_a_usage_error(tmp_path: Path, args: List[str]) -> None:
    assert run_cli(*args, cwd=tmp_path) == (2, "", "lint-news: error: unknown code 'Z999' (see 'lint-news rules')\n")


def test_schema_prints_the_bundled_schema(tmp_path: Path) -> None:
    rc, out, err = run_cli("schema", cwd=tmp_path)
    assert (rc, err) == (0, "")
    bundled = json.loads((ROOT / "schema" / "news-article.schema.json").read_text(encoding="utf-8"))
    assert json.loads(out) == bundled
    assert bundled["$id"] == "https://lint-news.github.io/schema/news-article.schema.json"


def test_a_path_named_like_a_command_is_linted(site: Path) -> None:
    (site / "rules").write_text(bad_text(), encoding="utf-8")
    assert lint(site, "--select", "D001", "rules") == (1, expected("rules", ["D001"]), summary(1, 1, 1))


def test_broken_pipe_is_quiet(site: Path) -> None:
    """``lint-news rules | head -1``: the reader goes away; no traceback on stderr.

    (For --help, argparse itself ignores the failed write and exits 0 on Python 3.10+.)"""
    for args, codes in ((["rules"], {2}), (["schema"], {2}), (["--help"], {0, 2}), (["--no-cache", "_news"], {2})):
        read_end, write_end = os.pipe()
        os.close(read_end)  # nobody will ever read: every write fails with EPIPE
        command = lint_news_command() + args
        proc = subprocess.run(command, cwd=site, stdout=write_end, stderr=subprocess.PIPE, timeout=60)
        os.close(write_end)
        assert (proc.returncode in codes, proc.stderr.decode()) == (True, ""), args


@pytest.mark.parametrize(("paths", "code"), [([CLEAN], 0), ([BAD], 1)])
def test_a_closed_stderr_changes_neither_report_nor_exit_code(site: Path, paths: List[str], code: int) -> None:
    """``lint-news ... 2>&-``: Python then has no ``sys.stderr`` at all; the summary and the
    progress have nowhere to go, the report and the exit code are those of any run (the
    installed command's ending flushes only the streams there are)."""
    command = lint_news_command() + ["--no-cache", *paths]
    proc = subprocess.run(command, cwd=site, stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2), timeout=60)
    report = expected(BAD) if code else ""
    assert (proc.returncode, proc.stdout.decode()) == (code, report)


def test_a_closed_stdout_is_an_error_without_traceback(site: Path) -> None:
    """``lint-news ... >&-``: no report can be written; exit 2, one line on stderr."""
    command = lint_news_command() + ["--no-cache", CLEAN]
    proc = subprocess.run(command, cwd=site, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 1 and "Traceback" not in proc.stderr.decode()


# -- exit codes --------------------------------------------------------------------------------


def test_clean_files_exit_0(site: Path) -> None:
    assert lint(site, CLEAN, "_news/2024-03-12-line-following-robot.md") == (0, "", summary(2, 0, 0))


def test_findings_exit_1(site: Path) -> None:
    assert lint(site, "_news") == (1, expected(BAD), SUMMARY_3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param([], "lint-news: error: no PATH given (use '-' for standard input; see --help)\n", id="no-path"),
        pytest.param(["--format", "xml", "_news"], "argument --format: invalid choice: 'xml'", id="bad-choice"),
        pytest.param(["--jobs", "many", "_news"], "argument -j/--jobs: invalid int value: 'many'", id="bad-int"),
        pytest.param(["--no-such-flag", "_news"], "unrecognized arguments: --no-such-flag", id="unknown-flag"),
    ],
)
def test_usage_errors_exit_2(site: Path, args: List[str], message: str) -> None:
    rc, out, err = lint(site, *args)
    assert (rc, out) == (2, "")
    assert message in err


def test_missing_path_is_reported_and_the_rest_still_checked(site: Path) -> None:
    rc, out, err = lint(site, "missing.md", "_news")
    assert rc == 2
    assert out == expected(BAD) + "missing.md:1:1: E010 no such file or directory\n"
    assert err == summary(3, 1, len(BAD_FINDINGS), unreadable=1) + FIX_3


def test_walk_picks_articles_and_named_files_of_any_name(site: Path) -> None:
    shutil.copyfile(NEWS / BAD_NAME, site / "_news" / "2024-02-28-copy.markdown")
    (site / "_news" / "notes.txt").write_text(bad_text(), encoding="utf-8")
    (site / "_news" / "skipped.txt").write_text(bad_text(), encoding="utf-8")
    out = expected("_news/2024-02-28-copy.markdown", ["D001"]) + expected(BAD, ["D001"])
    out += expected("_news/notes.txt", ["D001"])
    assert lint(site, "--select", "D001", "_news", "_news/notes.txt") == (1, out, summary(5, 3, 3))


def test_a_named_folder_is_walked_even_through_a_link(site: Path) -> None:
    """Links met during the walk are not followed (a loop cannot trap it); a named one is."""
    (site / "linked").symlink_to("_news", target_is_directory=True)
    (site / "_news" / "loop").symlink_to("..", target_is_directory=True)
    out = expected(f"linked/{BAD_NAME}", ["D001"])
    assert lint(site, "--select", "D001", "linked") == (1, out, summary(3, 1, 1))
    assert lint(site, "--select", "D001", "linked/") == (1, out, summary(3, 1, 1))


def test_unreadable_path_beats_exit_zero(site: Path) -> None:
    assert lint(site, "--exit-zero", "missing.md")[0] == 2


def test_warnings_pass_unless_strict(site: Path) -> None:
    """D002 (file name date far from publishedDateTime) is a warning."""
    path = write_article(site, "2020-01-01-robotics-library.md", clean_text())
    line = f"{path}:5:20: D002 warning: file name date 2020-01-01 is more than a day from publishedDateTime 2024-03-11"
    line += "\n"
    assert lint(site, path) == (0, line, summary(1, 1, 0, 1))
    assert lint(site, "--strict", path) == (1, line, summary(1, 1, 0, 1))


def test_exit_zero_still_reports(site: Path) -> None:
    assert lint(site, "--exit-zero", "_news") == (0, expected(BAD), SUMMARY_3)


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_silences_the_summary_only(site: Path, flag: str) -> None:
    assert lint(site, flag, "_news") == (1, expected(BAD), "")


# -- standard input ----------------------------------------------------------------------------


def test_stdin_without_a_name(site: Path) -> None:
    assert lint(site, "-", stdin=bad_text().encode()) == (1, expected("-"), summary(1, 1, len(BAD_FINDINGS)) + FIX_3)


def test_stdin_with_a_name_reports_and_checks_under_it(site: Path) -> None:
    rc, out, err = lint(site, "-", "--stdin-filename", BAD, stdin=bad_text().encode())
    assert (rc, out, err) == (1, expected(BAD), summary(1, 1, len(BAD_FINDINGS)) + FIX_3)
    # the name is also what D002 reads its date from
    named = lint(site, "-", "--stdin-filename", "_news/2020-01-01-x.md", stdin=clean_text().encode())
    assert named.rc == 0
    d002 = "D002 warning: file name date 2020-01-01 is more than a day from publishedDateTime 2024-03-11"
    assert named.out == f"_news/2020-01-01-x.md:5:20: {d002}\n"


def test_stdin_show_source_shows_standard_input(site: Path) -> None:
    """The source lines come from what was read, not from a file of that name on disk."""
    text = bad_text().replace("  name: No", "  name: Off")
    rc, out, err = lint(site, "--show-source", "--select", "S002", "-", "--stdin-filename", BAD, stdin=text.encode())
    assert (rc, err) == (1, summary(1, 1, 2) + "[*] 1 fixable with --fix\n")
    assert out.splitlines()[:3] == [
        f"{BAD}:14:9: S002 [*] expected string, got boolean 'Off'",
        "  |   name: Off",
        "  |         ^",
    ]
    anonymous = lint(site, "--show-source", "--select", "X001", "-", stdin=text.encode())
    assert anonymous.out == "-:26:10: X001 secured must be two base64 parts separated by one ';' (found no ';')\n" + (
        "  | secured: (value hidden)\n  |          ^\n"
    )


# -- selection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        pytest.param(["--select", "U"], ["U002", "U006"], id="select-prefix"),
        pytest.param(["--select", "u006"], ["U006"], id="select-lower-case"),
        pytest.param(["--select", "S002,X"], ["S002", "X001"], id="select-list"),
        pytest.param(["--select", "U", "--ignore", "U002"], ["U006"], id="ignore-inside-selection"),
        pytest.param(["--ignore", "S,U"], ["D001", "C001", "Y001", "X001"], id="ignore-prefixes"),
        pytest.param(["--select", "U002", "--ignore", "U"], ["U002"], id="more-specific-select-wins"),
        pytest.param(["--select", "S001", "--extend-select", "D,C"], ["S001", "D001", "C001"], id="extend-select"),
        pytest.param(["--extend-select", "D"], None, id="extend-select-alone-keeps-all"),
    ],
)
def test_select_ignore_extend_select(site: Path, args: List[str], codes: Optional[List[str]]) -> None:
    out = expected(BAD, codes)
    warnings = out.count(" warning: ")
    assert lint(site, *args, "_news") == (1, out, summary(3, 1, out.count("\n") - warnings, warnings) + fixable(out))


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        pytest.param("--select", "ZZ", id="select"),
        pytest.param("--ignore", "Q1", id="ignore"),
        pytest.param("--extend-select", "U999", id="extend-select"),
    ],
)
def test_unknown_codes_in_flags_are_usage_errors(site: Path, flag: str, value: str) -> None:
    message = f"lint-news: error: {flag}: unknown code, prefix or rule name '{value}' (see 'lint-news rules')\n"
    assert lint(site, flag, value, "_news") == (2, "", message)


# -- output ------------------------------------------------------------------------------------

STATISTICS = """\
   2  S002  [*] wrong-type
   2  U002  [*] url-whitespace
   1  C001      unpromoted-but-published
   1  D001      invalid-date-time
   1  S003      unknown-field
   1  S004      value-out-of-range
   1  U006      provider-domain-not-bare
   1  X001      secured-malformed
Found 10 finding(s).
[*] 3 fixable with --fix.
"""


def test_statistics(site: Path) -> None:
    """The table instead of the findings (as ruff does); other formats keep their report."""
    assert lint(site, "--statistics", "_news") == (1, STATISTICS, SUMMARY_3)
    rc, out, err = lint(site, "--statistics", "--format", "json", "_news")
    assert (rc, err) == (1, STATISTICS + SUMMARY_3)
    assert len(json.loads(out)["findings"]) == len(BAD_FINDINGS)


def test_show_source_matches_readme(site: Path) -> None:
    out = (
        f"{BAD}:14:9: S002 [*] expected string, got boolean 'No'\n"
        "  |   name: No\n"
        "  |         ^\n"
        '  = hint: quote it to keep it as text: "No"\n'
        f"{BAD}:19:4: S002 expected string, got an empty value\n"
        "  |   -\n"
        "  |    ^\n"
    )
    assert lint(site, "--show-source", "--select", "S002", BAD) == (1, out, summary(1, 1, 2) + fixable(out))


def test_show_source_hides_the_secured_value(site: Path) -> None:
    out = f"{BAD}:{BAD_FINDINGS[-1]}\n  | secured: (value hidden)\n  |          ^\n"
    assert lint(site, "--show-source", "--select", "X001", BAD) == (1, out, summary(1, 1, 1))


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit", "gitlab"])
def test_secured_value_is_never_printed(site: Path, fmt: str) -> None:
    rc, out, err = lint(site, "--format", fmt, "--show-source", "--statistics", "_news")
    assert rc == 1 and "X001" in out
    assert SECRET not in out + err


BOLD_PATH = f"\x1b[1m{BAD}\x1b[0m"
COLOURED = (
    f"{BOLD_PATH}:5:20: \x1b[31mD001\x1b[0m "
    + next(row for row in BAD_FINDINGS if " D001 " in row).split(" D001 ", 1)[1]
    + "\n"
)
PLAIN = expected(BAD, ["D001"])


@pytest.mark.parametrize(
    ("args", "env", "out"),
    [
        pytest.param(["--color", "always"], {}, COLOURED, id="always"),
        pytest.param(["--color", "always"], {"NO_COLOR": "1"}, COLOURED, id="always-beats-NO_COLOR"),
        pytest.param(["--color", "never"], {"FORCE_COLOR": "1"}, PLAIN, id="never-beats-FORCE_COLOR"),
        pytest.param([], {}, PLAIN, id="auto-pipe-plain"),
        pytest.param([], {"FORCE_COLOR": "1"}, COLOURED, id="auto-FORCE_COLOR"),
        pytest.param(["--color", "auto"], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, PLAIN, id="auto-NO_COLOR-wins"),
        pytest.param(["--format", "github"], {"FORCE_COLOR": "1"}, None, id="only-text-is-coloured"),
    ],
)
def test_color(site: Path, args: List[str], env: Dict[str, str], out: Optional[str]) -> None:
    rc, got, err = lint(site, *args, "--select", "D001", "_news", env=env)
    assert (rc, err) == (1, summary(3, 1, 1))
    if out is None:
        assert "\x1b" not in got and got.startswith("::error ")
    else:
        assert got == out


def test_colour_on_a_terminal_unless_no_color(site: Path) -> None:
    rc, err, tty = run_on_tty(site, ["--select", "D001", "_news"], "stdout")
    assert (rc, tty, err) == (1, COLOURED, summary(3, 1, 1))
    assert run_on_tty(site, ["--select", "D001", "_news"], "stdout", {"NO_COLOR": "1"})[2] == PLAIN


GITHUB_D001 = (
    f"::error file={BAD},line=5,col=20,title=D001 invalid-date-time::"
    "'2024-02-30T10:00:00Z' names day 30 of February 2024, which has 29 days\n"
)


def test_github_actions_picks_the_github_format(site: Path) -> None:
    env = {"GITHUB_ACTIONS": "true"}
    assert lint(site, "--select", "D001", "_news", env=env) == (1, GITHUB_D001, summary(3, 1, 1))
    assert lint(site, "--format", "text", "--select", "D001", "_news", env=env).out == PLAIN
    assert lint(site, "--select", "D001", "_news", env={"GITHUB_ACTIONS": "false"}).out == PLAIN


def test_format_text_is_the_default(site: Path) -> None:
    assert lint(site, "--format", "text", "_news") == lint(site, "_news") == (1, expected(BAD), SUMMARY_3)


def test_format_github(site: Path) -> None:
    rc, out, err = lint(site, "--format", "github", "_news")
    assert (rc, err) == (1, SUMMARY_3)
    lines = out.splitlines()
    assert len(lines) == len(BAD_FINDINGS) and all(line.startswith(f"::error file={BAD},line=") for line in lines)
    assert GITHUB_D001.strip() in lines


def test_format_json_has_the_documented_shape(site: Path) -> None:
    rc, out, err = lint(site, "--format", "json", "_news")
    assert (rc, err) == (1, SUMMARY_3)
    report = json.loads(out)
    assert list(report) == ["version", "tool", "findings", "summary"]
    assert report["version"] == 1
    assert report["tool"] == {"name": "lint-news", "version": __version__}
    assert report["summary"] == {"files": 3, "findings": len(BAD_FINDINGS), "errors": len(BAD_FINDINGS), "warnings": 0}
    first = report["findings"][0]
    assert list(first) == [
        "path",
        "line",
        "column",
        "code",
        "name",
        "severity",
        "message",
        "hint",
        "data_path",
        "fix",
        "related",
    ]
    marks = {"safe": "[*] ", "unsafe": "", None: ""}
    rows = [
        f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {marks[f['fix']]}{f['message']}\n"
        for f in report["findings"]
    ]
    assert "".join(rows) == expected(BAD)
    by_code = {f["code"]: f for f in report["findings"]}
    assert by_code["D001"]["data_path"] == ["publishedDateTime"]
    assert (by_code["S003"]["name"], by_code["S003"]["severity"]) == ("unknown-field", "error")
    assert by_code["S003"]["hint"] == ""  # the near miss is in the message


def test_format_sarif_validates_against_the_official_schema(site: Path) -> None:
    rc, out, err = lint(site, "--format", "sarif", "_news")
    assert (rc, err) == (1, SUMMARY_3)
    log = json.loads(out)
    validator = jsonschema.Draft4Validator(
        json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")), format_checker=jsonschema.FormatChecker()
    )
    assert [e.message for e in validator.iter_errors(log)] == []
    run = log["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == [row.split(" ")[1] for row in BAD_FINDINGS]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == set(registry.RULES)
    region = run["results"][1]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 20}


def test_format_junit_parses(site: Path) -> None:
    rc, out, err = lint(site, "--format", "junit", "_news")
    assert (rc, err) == (1, SUMMARY_3)
    root = ET.fromstring(out.encode("utf-8"))
    cases = root.findall("./testsuite/testcase")
    assert sorted(case.get("name") for case in cases) == sorted(f"_news/{p.name}" for p in NEWS.iterdir())
    failed = [case for case in cases if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == [BAD]
    assert failed[0].find("failure").get("message") == f"{len(BAD_FINDINGS)} findings"  # type: ignore[union-attr]
    assert (root.get("tests"), root.get("failures")) == ("3", "1")


def test_format_gitlab_is_a_list_of_issues(site: Path) -> None:
    rc, out, err = lint(site, "--format", "gitlab", "_news")
    assert (rc, err) == (1, SUMMARY_3)
    issues = json.loads(out)
    assert isinstance(issues, list) and len(issues) == len(BAD_FINDINGS)
    assert issues[1]["check_name"] == "D001"
    assert issues[1]["location"] == {"path": BAD, "lines": {"begin": 5}}
    assert len({issue["fingerprint"] for issue in issues}) == len(BAD_FINDINGS)
    assert {issue["severity"] for issue in issues} == {"major"}


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit"])
def test_machine_formats_are_valid_even_without_findings(site: Path, fmt: str) -> None:
    rc, out, err = lint(site, "--format", fmt, CLEAN)
    assert (rc, err) == (0, summary(1, 0, 0))
    if fmt == "junit":
        assert ET.fromstring(out.encode()).get("failures") == "0"
    else:
        assert json.loads(out) is not None


# -- output file -------------------------------------------------------------------------------


def umask_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@pytest.mark.parametrize("flag", ["-o", "--output-file"])
def test_output_file_is_written_and_stdout_empty(site: Path, flag: str) -> None:
    out_dir = site / "reports"
    out_dir.mkdir()
    assert lint(site, flag, "reports/lint.txt", "_news") == (1, "", SUMMARY_3)
    assert os.listdir(out_dir) == ["lint.txt"]  # atomically: no temporary file left behind
    target = out_dir / "lint.txt"
    assert target.read_text(encoding="utf-8") == expected(BAD)
    assert stat.S_IMODE(target.stat().st_mode) == umask_mode()


def test_output_file_replaces_an_existing_file(site: Path) -> None:
    out_dir = site / "reports"
    out_dir.mkdir()
    target = out_dir / "lint.json"
    target.write_text("old report\n" * 1000, encoding="utf-8")
    target.chmod(0o640)
    assert lint(site, "--format", "json", "-o", "reports/lint.json", "_news") == (1, "", SUMMARY_3)
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["findings"] == len(BAD_FINDINGS)
    assert os.listdir(out_dir) == ["lint.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_output_file_written_empty_when_clean(site: Path) -> None:
    (site / "lint.txt").write_text("stale\n", encoding="utf-8")
    assert lint(site, "-o", "lint.txt", CLEAN) == (0, "", summary(1, 0, 0))
    assert (site / "lint.txt").read_text(encoding="utf-8") == ""


def test_output_file_in_a_missing_folder_is_an_error(site: Path) -> None:
    rc, out, err = lint(site, "-o", "no/such/dir/lint.txt", "_news")
    assert (rc, out) == (2, "")
    assert err == "lint-news: error: cannot write no/such/dir/lint.txt: No such file or directory\n"


# -- jobs and progress -------------------------------------------------------------------------


def many_articles(folder: Path, count: int) -> None:
    """``count`` articles: the examples copied under new names (dates vary, so D002 varies)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(NEWS.glob("*.md"))
    for i in range(count):
        src = sources[i % len(sources)]
        name = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}-copy{i:03d}-{src.name[11:]}"
        shutil.copyfile(src, folder / name)


def test_jobs_give_the_same_output_as_a_serial_run(site: Path) -> None:
    many_articles(site / "archive" / "_news", 120)
    serial = lint(site, "--no-cache", "--jobs", "1", "archive")
    parallel = lint(site, "--no-cache", "-j", "2", "archive")
    assert serial == parallel
    assert serial.rc == 1
    assert len({line.split(":")[0] for line in serial.out.splitlines()}) >= 80
    assert serial.err.startswith("lint-news: 120 file(s) checked, ")


def _drain(fd: int, chunks: List[bytes]) -> None:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the other side is closed
            return
        if not data:
            return
        chunks.append(data)


def run_on_tty(site: Path, args: List[str], stream: str, env: Optional[Dict[str, str]] = None) -> Tuple[int, str, str]:
    """Run with ``stream`` ("stdout" or "stderr") on a pseudo-terminal.

    Returns (exit code, the other stream, what the terminal showed)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR")}
    full_env.update({"LINT_NEWS_CACHE_DIR": str(site.parent / "cache"), **(env or {})})
    master, slave = pty.openpty()
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: slave}
    proc = subprocess.Popen(lint_news_command() + args, stdin=subprocess.DEVNULL, cwd=site, env=full_env, **streams)
    os.close(slave)
    chunks: List[bytes] = []
    reader = threading.Thread(target=_drain, args=(master, chunks))
    reader.start()
    out, err = proc.communicate(timeout=60)
    piped = (err if stream == "stdout" else out).decode()
    reader.join(timeout=60)
    os.close(master)
    return proc.returncode, piped, b"".join(chunks).decode().replace("\r\n", "\n")


def test_progress_is_shown_on_a_terminal(site: Path) -> None:
    rc, out, tty = run_on_tty(site, ["_news"], "stderr")
    assert (rc, out) == (1, expected(BAD))
    assert "\rlint-news: checked 3/3" in tty
    assert tty.endswith("\r\x1b[K" + SUMMARY_3)


def test_progress_is_silenced_by_quiet(site: Path) -> None:
    assert run_on_tty(site, ["-q", "_news"], "stderr") == (1, expected(BAD), "")


def test_progress_never_goes_to_a_pipe(site: Path) -> None:
    """CI is emptied so the pipe is the only reason for silence."""
    many_articles(site / "_news", 60)
    rc, out, err = lint(site, "--no-cache", "_news", env={"CI": ""})
    assert rc == 1
    assert err.startswith("lint-news: 63 file(s) checked, ") and err.count("\n") == 2  # and the [*] line
    assert "checked 1/" not in err and "\r" not in err


# -- limits and suppressions -------------------------------------------------------------------


def test_max_file_size(site: Path) -> None:
    size = (NEWS / CLEAN_NAME).stat().st_size
    at_limit = lint(site, "--max-file-size", str(size), CLEAN)
    assert at_limit == (0, "", summary(1, 0, 0))
    below = lint(site, "--max-file-size", str(size - 1), CLEAN)
    message = f"{CLEAN}:1:1: E009 file is larger than the {size - 1}-byte limit; not read\n"
    assert below == (1, message, summary(1, 1, 1))


@pytest.mark.parametrize("value", ["0", "-5"])
def test_max_file_size_must_be_positive(site: Path, value: str) -> None:
    message = "lint-news: error: --max-file-size must be at least 1\n"
    assert lint(site, "--max-file-size", value, "_news") == (2, "", message)


def with_comments(text: str, comments: Dict[int, str]) -> str:
    """Append ``comment`` to the given 1-based lines of ``text``."""
    lines = text.split("\n")
    for number, comment in comments.items():
        lines[number - 1] += f"  {comment}"
    return "\n".join(lines)


def comment_column(text: str, line: int) -> int:
    """The column of the suppression comment on ``line``: where N001 points."""
    return text.split("\n")[line - 1].index("# lint-news") + 1


def test_inline_ignore_silences_its_line_only(site: Path) -> None:
    text = with_comments(
        bad_text(), {6: "# lint-news: ignore[U002]", 14: "# lint-news: ignore", 23: "# lint-news: ignore[s004]"}
    )
    path = write_article(site, BAD_NAME, text)
    rows = [row for row in BAD_FINDINGS if not row.startswith(("6:14:", "14:9:", "23:12:"))]
    rows.insert(2, SURFACING[1])  # the URL with U002 silenced: the schema's format check (README)
    out = "".join(f"{path}:{row}\n" for row in rows)
    assert lint(site, path) == (1, out, summary(1, 1, 8) + fixable(out))


def test_inline_ignore_names_only_its_codes(site: Path) -> None:
    path = write_article(site, BAD_NAME, with_comments(bad_text(), {6: "# lint-news: ignore[U006, S]"}))
    assert lint(site, path).out == expected(path)


def test_ignore_file_silences_codes_everywhere(site: Path) -> None:
    text = bad_text().replace("\n---\n", "\n# lint-news: ignore-file[S002, u]\n---\n", 1)
    assert text.count("ignore-file") == 1
    path = write_article(site, BAD_NAME, text)
    # U002 silenced: the schema's format check reports the URLs; S002 silenced: Y001 on `No`
    out = expected(path, ["S003", "D001", "S008", "C001", "Y001", "S004", "X001"])
    assert out.count("\n") == 8
    assert lint(site, path) == (1, out, summary(1, 1, 7, 1) + fixable(out))


def test_ignore_file_without_codes_silences_the_file(site: Path) -> None:
    text = bad_text().replace("category: news", "category: news  # lint-news: ignore-file", 1)
    assert lint(site, write_article(site, BAD_NAME, text)) == (0, "", summary(1, 0, 0))


def test_comment_in_the_body_is_not_a_suppression(site: Path) -> None:
    path = write_article(site, BAD_NAME, bad_text() + "\n# lint-news: ignore-file\n")
    assert lint(site, path).out == expected(path)


def test_report_unused_suppressions(site: Path) -> None:
    text = with_comments(
        bad_text(), {6: "# lint-news: ignore[U002]", 2: "# lint-news: ignore[T001]", 4: "# lint-news: ignore"}
    )
    path = write_article(site, BAD_NAME, text)
    rows = [row if not row.startswith("6:14:") else SURFACING[1] for row in BAD_FINDINGS]
    kept = "".join(f"{path}:{row}\n" for row in rows)
    assert lint(site, path) == (1, kept, summary(1, 1, 10) + fixable(kept))
    unused = [
        f"{path}:2:{comment_column(text, 2)}: N001 warning: suppression of 'T001' matches no finding\n",
        f"{path}:4:{comment_column(text, 4)}: N001 warning: suppression of everything matches no finding\n",
    ]
    rc, out, err = lint(site, "--report-unused-suppressions", path)
    assert (rc, err) == (1, summary(1, 1, 10, 2) + fixable(kept))
    assert sorted(out.splitlines(keepends=True)) == sorted(kept.splitlines(keepends=True) + unused)
    assert out.index(unused[0]) < out.index(f"{path}:3:1: S003") < out.index(unused[1])  # by position


def test_unused_suppressions_alone_are_warnings(site: Path) -> None:
    text = with_comments(clean_text(), {2: "# lint-news: ignore[U]"})
    path = write_article(site, CLEAN_NAME, text)
    assert comment_column(text, 2) == 17
    line = f"{path}:2:17: N001 warning: suppression of 'U' matches no finding\n"
    assert lint(site, "--report-unused-suppressions", path) == (0, line, summary(1, 1, 0, 1))
    assert lint(site, "--report-unused-suppressions", "--strict", path)[0] == 1

"""Reporters: exact output per format, and validation against the formats' own schemas."""

from __future__ import annotations

import builtins
import io
import json
import pathlib
import re
import unicodedata
import xml.etree.ElementTree as ET
from typing import Any, Dict, List, Tuple

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.model import Finding, Related, RuleInfo, Severity
from linter.report import render as report
from linter.report.render import FORMATS, ReportContext, render, statistics

SCHEMAS = pathlib.Path(__file__).parent / "schemas"

RULES = {
    "S002": RuleInfo(
        "S002",
        "wrong-type",
        Severity.ERROR,
        "A value has the wrong type.",
        "## What it does\n\nChecks value types.\n",
    ),
    "W101": RuleInfo("W101", "long-title", Severity.WARNING, "The title is too long."),
}


def finding(
    path: str = "news/a.md",
    line: int = 3,
    col: int = 8,
    code: str = "S002",
    message: str = "'title' must be a string, got 42",
    **kw: Any,
) -> Finding:
    severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
    kw.setdefault("name", RULES[code].name if code in RULES else "")
    kw.setdefault("data_path", ("title",))
    return Finding(path, line, col, code, message, severity=kw.pop("severity", severity), **kw)


ERROR = finding(hint="quote the title")
#: An archive finding (A001): the other file it names is a related location.
REPEATED = finding(
    path="news/b.md",
    line=7,
    col=9,
    message="webUrl is also the webUrl of news/a.md:6, the oldest of the 2 articles of this archive with this URL",
    data_path=("webUrl",),
    related=(Related("news/a.md", 6, 9, "the oldest article with this URL (webUrl)"),),
)
WARNING = finding(line=4, col=1, code="W101", message="title is 130 characters (max 100)", data_path=("title",))
FILES = ("news/a.md", "news/b.md")


def context(**kw: Any) -> ReportContext:
    kw.setdefault("files", FILES)
    return ReportContext(rules=RULES, tool_version="1.2.3", **kw)


def source(lines: Dict[int, str]) -> Any:
    return lambda path, line: lines.get(line)


# -- text ----------------------------------------------------------------------------------

TEXT_CASES = [
    pytest.param([], {}, "", id="no-findings-no-output"),
    pytest.param(
        [ERROR, WARNING],
        {},
        "news/a.md:3:8: S002 'title' must be a string, got 42\n"
        "news/a.md:4:1: W101 warning: title is 130 characters (max 100)\n",
        id="plain-hint-not-shown",
    ),
    pytest.param(
        [ERROR, WARNING],
        {"color": True},
        "\x1b[1mnews/a.md\x1b[0m:3:8: \x1b[31mS002\x1b[0m 'title' must be a string, got 42\n"
        "\x1b[1mnews/a.md\x1b[0m:4:1: \x1b[33mW101\x1b[0m warning: title is 130 characters (max 100)\n",
        id="colour-red-error-yellow-warning",
    ),
    pytest.param(
        [finding(path="a\nb.md", message="bad \x1b[2J value\r\nnext\u202e")],
        {},
        "a\\x0ab.md:3:8: S002 bad \\x1b[2J value\\x0d\\x0anext\\u202e\n",
        id="control-and-bidi-characters-escaped",
    ),
]


@pytest.mark.parametrize(("findings", "options", "expected"), TEXT_CASES)
def test_text(findings: List[Finding], options: Dict[str, Any], expected: str) -> None:
    assert render("text", findings, context(**options)) == expected


SOURCE_CASES = [
    pytest.param("title: 42", 8, "  | title: 42\n  |        ^\n", id="ascii"),
    pytest.param("\ttitle: 42", 9, "  |     title: 42\n  |            ^\n", id="leading-tab"),
    pytest.param("a\tb: 42", 3, "  | a   b: 42\n  |     ^\n", id="tab-to-next-stop"),
    pytest.param("título: ñandú", 9, "  | título: ñandú\n  |         ^\n", id="non-ascii"),
    pytest.param("标题: 42", 5, "  | 标题: 42\n  |       ^\n", id="wide-characters"),
    pytest.param("e\u0301x: 1", 6, "  | e\u0301x: 1\n  |     ^\n", id="combining-mark"),
    pytest.param("title:", 20, "  | title:\n  |       ^\n", id="column-past-end"),
    pytest.param("k: \x1b[31m", 4, "  | k: \\x1b[31m\n  |    ^\n", id="escape-in-source"),
    pytest.param("title: 42\r\n", 8, "  | title: 42\n  |        ^\n", id="line-ending-dropped"),
]


@pytest.mark.parametrize(("line", "col", "shown"), SOURCE_CASES)
def test_text_show_source_caret(line: str, col: int, shown: str) -> None:
    f = finding(col=col, message="m")
    ctx = context(show_source=True, source_line=source({3: line}))
    assert render("text", [f], ctx) == f"news/a.md:3:{col}: S002 m\n{shown}"


def test_text_show_source_hint_and_missing_source() -> None:
    ctx = context(show_source=True, source_line=source({3: "title: 42"}))
    assert render("text", [ERROR, WARNING], ctx) == (
        "news/a.md:3:8: S002 'title' must be a string, got 42\n"
        "  | title: 42\n"
        "  |        ^\n"
        "  = hint: quote the title\n"
        "news/a.md:4:1: W101 warning: title is 130 characters (max 100)\n"
    )
    assert render("text", [ERROR], context(show_source=True)) == (
        "news/a.md:3:8: S002 'title' must be a string, got 42\n  = hint: quote the title\n"
    )


def test_text_show_source_colours_the_caret() -> None:
    ctx = context(show_source=True, color=True, source_line=source({4: "title: x"}))
    assert render("text", [WARNING], ctx).splitlines()[1:] == [
        "  | title: x",
        "  | \x1b[33m^\x1b[0m",
    ]


def test_text_asks_for_source_only_with_show_source() -> None:
    asked: List[Tuple[str, int]] = []
    ctx = context(source_line=lambda path, line: asked.append((path, line)))
    render("text", [ERROR], ctx)
    render("text", [ERROR], ctx._replace(show_source=True))
    assert asked == [("news/a.md", 3)]


# -- json ----------------------------------------------------------------------------------


def test_json_shape() -> None:
    nameless = finding(path="news/b.md", line=1, col=1, data_path=("tags", 0), name="")
    out = render("json", [ERROR, WARNING, nameless], context())
    assert out.startswith('{\n  "version": 1,')
    assert out.endswith("}\n")
    assert json.loads(out) == {
        "version": 1,
        "tool": {"name": "lint-news", "version": "1.2.3"},
        "findings": [
            {
                "path": "news/a.md",
                "line": 3,
                "column": 8,
                "code": "S002",
                "name": "wrong-type",
                "severity": "error",
                "message": "'title' must be a string, got 42",
                "hint": "quote the title",
                "data_path": ["title"],
                "fix": None,
                "related": [],
            },
            {
                "path": "news/a.md",
                "line": 4,
                "column": 1,
                "code": "W101",
                "name": "long-title",
                "severity": "warning",
                "message": "title is 130 characters (max 100)",
                "hint": "",
                "data_path": ["title"],
                "fix": None,
                "related": [],
            },
            {
                "path": "news/b.md",
                "line": 1,
                "column": 1,
                "code": "S002",
                "name": "wrong-type",
                "severity": "error",
                "message": "'title' must be a string, got 42",
                "hint": "",
                "data_path": ["tags", 0],
                "fix": None,
                "related": [],
            },
        ],
        "summary": {"files": 2, "findings": 3, "errors": 2, "warnings": 1},
    }


def test_json_without_findings() -> None:
    document = json.loads(render("json", [], context(files=())))
    assert document["findings"] == []
    assert document["summary"] == {"files": 0, "findings": 0, "errors": 0, "warnings": 0}


# -- github --------------------------------------------------------------------------------

GITHUB_CASES = [
    pytest.param(
        ERROR,
        "::error file=news/a.md,line=3,col=8,title=S002 wrong-type::'title' must be a string, got 42",
        id="error",
    ),
    pytest.param(
        WARNING,
        "::warning file=news/a.md,line=4,col=1,title=W101 long-title::title is 130 characters (max 100)",
        id="warning",
    ),
    pytest.param(
        finding(path="news/a,b:c%.md", message="100% sure: a, b\r\nc"),
        "::error file=news/a%2Cb%3Ac%25.md,line=3,col=8,title=S002 wrong-type::100%25 sure: a, b%0D%0Ac",
        id="escaping-properties-and-data",
    ),
    pytest.param(
        finding(name=""),
        "::error file=news/a.md,line=3,col=8,title=S002 wrong-type::'title' must be a string, got 42",
        id="name-from-rule-table",
    ),
    pytest.param(
        finding(code="E999", name="", message="m"),
        "::error file=news/a.md,line=3,col=8,title=E999::m",
        id="unregistered-code",
    ),
]


@pytest.mark.parametrize(("f", "expected"), GITHUB_CASES)
def test_github(f: Finding, expected: str) -> None:
    assert render("github", [f], context()) == expected + "\n"


# -- sarif ---------------------------------------------------------------------------------

SARIF_VALIDATOR = jsonschema.Draft4Validator(
    json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")),
    format_checker=jsonschema.FormatChecker(),
)

ODD_PATHS = [
    "news/with space.md",
    "news/50%.md",
    "news/ünï.md",
    "a:b.md",
    "../up.md",
    "/abs/news/x y.md",
    "./dot/news.md",
    "news/#hash?.md",
]
SARIF_CASES = [
    pytest.param([], id="no-findings"),
    pytest.param([ERROR, WARNING], id="error-and-warning"),
    pytest.param([finding(path=p) for p in ODD_PATHS], id="odd-paths"),
    pytest.param([finding(code="E999", name="")], id="unregistered-code"),
    pytest.param([REPEATED], id="related-locations"),
    pytest.param([finding(related=tuple(Related(p, 2, 3, "there") for p in ODD_PATHS))], id="odd-related-paths"),
]


def sarif(findings: List[Finding]) -> Any:
    return json.loads(render("sarif", findings, context()))


def test_sarif_validator_checks_uri_references() -> None:
    assert "uri-reference" in SARIF_VALIDATOR.format_checker.checkers
    bad = sarif([ERROR])
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "news/a b.md"
    assert not SARIF_VALIDATOR.is_valid(bad)


@pytest.mark.parametrize("findings", SARIF_CASES)
def test_sarif_validates_against_official_schema(findings: List[Finding]) -> None:
    errors = [e.message for e in SARIF_VALIDATOR.iter_errors(sarif(findings))]
    assert errors == []


def test_sarif_log_and_rules() -> None:
    log = sarif([])
    assert (log["$schema"], log["version"]) == (
        "https://json.schemastore.org/sarif-2.1.0.json",
        "2.1.0",
    )
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("lint-news", "1.2.3")
    assert driver["rules"] == [
        {
            "id": "S002",
            "name": "wrong-type",
            "shortDescription": {"text": "A value has the wrong type."},
            "fullDescription": {"text": RULES["S002"].doc},
            "help": {"text": RULES["S002"].doc, "markdown": RULES["S002"].doc},
            "defaultConfiguration": {"level": "error"},
            "properties": {"fixable": "no"},
        },
        {
            "id": "W101",
            "name": "long-title",
            "shortDescription": {"text": "The title is too long."},
            "fullDescription": {"text": "The title is too long."},
            "help": {"text": "The title is too long.", "markdown": "The title is too long."},
            "defaultConfiguration": {"level": "warning"},
            "properties": {"fixable": "no"},
        },
    ]


def test_sarif_result() -> None:
    (result,) = sarif([WARNING])["runs"][0]["results"]
    fingerprint = result.pop("partialFingerprints")
    assert result == {
        "ruleId": "W101",
        "ruleIndex": 1,
        "level": "warning",
        "message": {"text": "title is 130 characters (max 100)"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "news/a.md", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 4, "startColumn": 1},
                }
            }
        ],
        "properties": {"dataPath": ["title"]},
    }
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint["lintNewsFindingHash/v1"])


@pytest.mark.parametrize(
    ("path", "location"),
    [
        pytest.param("news/a.md", {"uri": "news/a.md", "uriBaseId": "%SRCROOT%"}, id="relative"),
        pytest.param("./news/a.md", {"uri": "news/a.md", "uriBaseId": "%SRCROOT%"}, id="dot-slash"),
        pytest.param(
            "news/x y%.md",
            {"uri": "news/x%20y%25.md", "uriBaseId": "%SRCROOT%"},
            id="percent-encoded",
        ),
        pytest.param("a:b.md", {"uri": "a%3Ab.md", "uriBaseId": "%SRCROOT%"}, id="colon-not-scheme"),
        pytest.param("news/é.md", {"uri": "news/%C3%A9.md", "uriBaseId": "%SRCROOT%"}, id="utf-8"),
        pytest.param("/srv/news/a b.md", {"uri": "file:///srv/news/a%20b.md"}, id="absolute"),
    ],
)
def test_sarif_artifact_location(path: str, location: Dict[str, str]) -> None:
    (result,) = sarif([finding(path=path)])["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == location


def fingerprints(fmt: str, findings: List[Finding]) -> List[str]:
    document = json.loads(render(fmt, findings, context()))
    if fmt == "gitlab":
        return [issue["fingerprint"] for issue in document]
    return [r["partialFingerprints"]["lintNewsFindingHash/v1"] for r in document["runs"][0]["results"]]


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_fingerprints_survive_line_shifts(fmt: str) -> None:
    shifted = [f._replace(line=f.line + 10, col=2) for f in (ERROR, WARNING)]
    assert fingerprints(fmt, [ERROR, WARNING]) == fingerprints(fmt, shifted)


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
@pytest.mark.parametrize(
    "other",
    [
        pytest.param(finding(path="news/b.md"), id="path"),
        pytest.param(finding(code="W101"), id="code"),
        pytest.param(finding(data_path=("tags", 0)), id="data-path"),
        pytest.param(finding(data_path=("tags", "0")), id="index-vs-key"),
        pytest.param(finding(line=9), id="identical-but-for-line"),
    ],
)
def test_fingerprints_are_unique(fmt: str, other: Finding) -> None:
    first, second = fingerprints(fmt, [ERROR, other])
    assert first != second


# -- junit ---------------------------------------------------------------------------------


def junit(findings: List[Finding], files: Tuple[str, ...] = FILES) -> ET.Element:
    out = render("junit", findings, context(files=files))
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert out.endswith(">\n")
    assert out.isascii()
    return ET.fromstring(out.encode("utf-8"))


def test_junit_structure() -> None:
    root = junit([ERROR, WARNING])
    assert root.tag == "testsuites"
    (suite,) = root
    assert (suite.tag, suite.attrib) == (
        "testsuite",
        {"name": "lint-news", "tests": "2", "failures": "1", "errors": "0", "skipped": "0"},
    )
    assert [(case.tag, case.attrib) for case in suite] == [
        ("testcase", {"classname": "lint-news", "name": "news/a.md"}),
        ("testcase", {"classname": "lint-news", "name": "news/b.md"}),
    ]
    failing, passing = suite
    failure, output = failing  # the error fails the case; the warning (no --strict) is its output
    assert (failure.tag, failure.attrib) == ("failure", {"message": "1 finding", "type": "error"})
    assert failure.text == "3:8: S002 'title' must be a string, got 42"
    assert (output.tag, output.text) == ("system-out", "4:1: W101 warning: title is 130 characters (max 100)")
    assert list(passing) == []


def test_junit_warnings_only_and_file_not_listed() -> None:
    root = junit([WARNING], files=())
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == "news/a.md"
    assert case.find("failure") is None  # a warning does not fail the run, nor its test case
    assert case.findtext("system-out") == "4:1: W101 warning: title is 130 characters (max 100)"


def test_junit_no_files() -> None:
    suite = junit([], files=()).find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "0"
    assert list(suite) == []


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        pytest.param('a <b> & "c"', 'a <b> & "c"', id="markup"),
        pytest.param("bell\x07 nul\x00 \ufffe", "bell\ufffd nul\ufffd \ufffd", id="illegal-in-xml"),
        pytest.param("ünï 标题 \U0001f4f0", "ünï 标题 \U0001f4f0", id="non-ascii"),
    ],
)
def test_junit_escaping(text: str, parsed: str) -> None:
    root = junit([finding(path=f"news/{text}.md", message=text)], files=())
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == f"news/{parsed}.md"
    assert case.findtext("failure") == f"3:8: S002 {parsed}"


# -- gitlab --------------------------------------------------------------------------------

# GitLab publishes no JSON schema for Code Quality reports; this one is written from the
# field table in GitLab's "Code Quality report format" documentation.
GITLAB_LOCATION = {
    "type": "object",
    "required": ["path", "lines"],
    "properties": {
        "path": {"type": "string", "pattern": "^[^/\\\\]"},
        "lines": {"type": "object", "required": ["begin"], "properties": {"begin": {"type": "integer", "minimum": 1}}},
    },
}
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": GITLAB_LOCATION,
            # Code Climate's spec: other places the issue is about (GitLab reads ``location``).
            "other_locations": {
                "type": "array",
                "items": GITLAB_LOCATION,
            },
        },
    },
}


def gitlab(findings: List[Finding]) -> Any:
    document = json.loads(render("gitlab", findings, context()))
    jsonschema.validate(document, GITLAB_SCHEMA)
    return document


def test_gitlab_issue() -> None:
    (error, warning) = gitlab([ERROR, WARNING])
    assert re.fullmatch(r"[0-9a-f]{32}", error.pop("fingerprint"))
    assert error == {
        "description": "S002 'title' must be a string, got 42",
        "check_name": "S002",
        "severity": "major",
        "location": {"path": "news/a.md", "lines": {"begin": 3}},
    }
    assert warning["severity"] == "minor"


def test_gitlab_empty_report_is_an_empty_array() -> None:
    assert render("gitlab", [], context()) == "[]\n"
    assert gitlab([]) == []


def test_gitlab_identical_findings_get_unique_fingerprints() -> None:
    issues = gitlab([ERROR, ERROR, ERROR])
    assert len({issue["fingerprint"] for issue in issues}) == 3


# -- every format --------------------------------------------------------------------------


def test_format_table() -> None:
    assert sorted(FORMATS) == ["github", "gitlab", "json", "junit", "sarif", "text"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_ends_with_newline(fmt: str) -> None:
    assert render(fmt, [ERROR, WARNING], context()).endswith("\n")


@pytest.mark.parametrize(("fmt", "expected"), [("text", ""), ("github", "")])
def test_line_formats_print_nothing_without_findings(fmt: str, expected: str) -> None:
    assert render(fmt, [], context()) == expected


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_renderers_open_no_files(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"renderer opened {args!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    ctx = context(show_source=True, source_line=source({3: "title: 42"}))
    assert render(fmt, [ERROR, WARNING], ctx)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'yaml'; choose from text, json"):
        render("yaml", [], context())


# -- statistics ----------------------------------------------------------------------------

STATISTICS_CASES = [
    pytest.param([], "Found 0 finding(s).\n", id="nothing"),
    pytest.param(
        [ERROR] * 12 + [WARNING] * 3 + [finding(code="E999", name="")] * 3,
        "  12  S002  wrong-type\n   3  E999\n   3  W101  long-title\nFound 18 finding(s).\n",
        id="count-then-code",
    ),
    pytest.param(
        [ERROR] * 12345,
        "12345  S002  wrong-type\nFound 12345 finding(s).\n",
        id="wide-count",
    ),
]


@pytest.mark.parametrize(("findings", "expected"), STATISTICS_CASES)
def test_statistics(findings: List[Finding], expected: str) -> None:
    assert statistics(findings) == expected


def test_statistics_marks_fixable_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    from linter import registry

    monkeypatch.setitem(registry.RULES, "T001", registry.RULES["T001"]._replace(fixable="safe"))
    t001 = finding(code="T001", name="stray-whitespace", fix="safe")  # this occurrence can be fixed
    assert statistics([t001, t001, ERROR]) == (
        "   2  T001  [*] stray-whitespace\n   1  S002      wrong-type\nFound 3 finding(s).\n[*] 2 fixable with --fix.\n"
    )


@given(st.text())
def test_visible_escapes_exactly_the_control_and_format_characters(text: str) -> None:
    """The shortcut for printable text gives what checking every character gives."""
    expected = "".join(
        c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cf") else report._escape_char(c) for c in text
    )
    assert report._visible(text) == expected


# -- related locations (A001) ---------------------------------------------------------------


def test_json_lists_related_locations() -> None:
    (item,) = json.loads(render("json", [REPEATED], context()))["findings"]
    assert item["related"] == [
        {"path": "news/a.md", "line": 6, "column": 9, "message": "the oldest article with this URL (webUrl)"}
    ]


def test_sarif_related_locations() -> None:
    (result,) = sarif([REPEATED])["runs"][0]["results"]
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "news/a.md", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 6, "startColumn": 9},
            },
            "message": {"text": "the oldest article with this URL (webUrl)"},
        }
    ]
    assert "relatedLocations" not in sarif([ERROR])["runs"][0]["results"][0]


def test_gitlab_other_locations() -> None:
    (issue,) = gitlab([REPEATED])
    assert issue["other_locations"] == [{"path": "news/a.md", "lines": {"begin": 6}}]
    assert "other_locations" not in gitlab([ERROR])[0]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_names_the_related_file(fmt: str) -> None:
    assert "news/a.md" in render(fmt, [REPEATED], context(files=["news/b.md"]))


def test_a_related_path_that_is_not_utf8_is_shown_escaped() -> None:
    odd = REPEATED._replace(related=(Related("news/\udcff.md", 6, 9, "there"),))
    (item,) = json.loads(render("json", [odd], context()))["findings"]
    assert item["related"][0]["path"] == "news/\\xff.md"
    (result,) = sarif([odd])["runs"][0]["results"]
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "news/%FF.md"

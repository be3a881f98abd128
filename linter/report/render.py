"""Reporters: turn sorted findings into text for one output format.

Each format is one small function in the ``FORMATS`` name table. Renderers only format:
they read nothing, print nothing and never exit. Findings arrive already sorted and their
messages already redacted; the only file text a renderer shows comes through
``ReportContext.source_line``.
"""

import collections
import itertools
import json
import unicodedata
import urllib.parse
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from linter.model import Finding, Related, RuleInfo, Severity, shown_path
from linter.regex import lazy

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

TOOL_NAME = "lint-news"
INFORMATION_URI = "https://pypi.org/project/lint-news/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: Key of our entry in SARIF ``partialFingerprints``; bump the suffix if the recipe changes.
SARIF_FINGERPRINT_KEY = "lintNewsFindingHash/v1"
JSON_FORMAT_VERSION = 1
TAB_WIDTH = 4

_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_SEVERITY_COLOUR = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}
#: Characters XML 1.0 cannot carry at all, not even as character references.
_XML_ILLEGAL = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

JsonObject = Dict[str, Any]


def _no_source(path: str, line: int) -> Optional[str]:
    return None


class ReportContext(NamedTuple):
    """What a renderer may know besides the findings."""

    rules: Mapping[str, RuleInfo]
    #: Every checked path, when the format lists them all (JUnit); else possibly empty.
    files: Sequence[str]
    #: How many files were checked (``len(files)`` when not given).
    checked: Optional[int] = None
    color: bool = False
    show_source: bool = False
    source_line: Callable[[str, int], Optional[str]] = _no_source
    tool_version: str = "0"
    statistics: bool = False
    #: Warnings fail the run (``--strict``): JUnit then counts them as failures.
    strict: bool = False
    #: The run exits 2 (an unreadable path, an internal error): SARIF says so.
    failed: bool = False
    #: Whether ``--unsafe-fixes`` is on: unsafe fixes are then marked fixable too.
    unsafe_fixes: bool = False


# -- shared helpers ------------------------------------------------------------------------


def _rule_name(finding: Finding, ctx: ReportContext) -> str:
    rule = ctx.rules.get(finding.code)
    return finding.name or (rule.name if rule else "")


def _stable_keys(findings: Sequence[Finding]) -> List[str]:
    """Identity of each finding without its position, so it survives line shifts.

    Identical findings get an occurrence number, which keeps every key unique.
    """
    seen: collections.Counter[str] = collections.Counter()
    keys = []
    for f in findings:
        base = json.dumps([_as_posix(f.path), f.code, list(f.data_path)])
        keys.append(f"{base}#{seen[base]}")
        seen[base] += 1
    return keys


def _dump_json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


def _lines(lines: Sequence[str]) -> str:
    return "".join(line + "\n" for line in lines)


# -- text ----------------------------------------------------------------------------------


def _visible(text: str) -> str:
    """Escape control and format characters (except tab): they must not drive the terminal."""
    if text.isprintable():  # the usual case, at C speed: no Cc or Cf character in it
        return text
    return "".join(c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cf") else _escape_char(c) for c in text)


def _escape_char(c: str) -> str:
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def _char_width(c: str) -> int:
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def _expand(text: str) -> str:
    """Expand tabs to TAB_WIDTH stops, counting terminal columns (wide characters are 2)."""
    out, column = [], 0
    for c in text:
        step = TAB_WIDTH - column % TAB_WIDTH if c == "\t" else _char_width(c)
        out.append(" " * step if c == "\t" else c)
        column += step
    return "".join(out)


def _width(text: str) -> int:
    return sum(_char_width(c) for c in text)


def _paint(text: str, colour: str, on: bool) -> str:
    return f"{colour}{text}{_RESET}" if on else text


def _headline(f: Finding, ctx: ReportContext) -> str:
    path = _paint(_visible(f.path), _BOLD, ctx.color)
    code = _paint(f.code, _SEVERITY_COLOUR[f.severity], ctx.color)
    # Warnings say so in words, not only in colour (CI logs have none); errors stay
    # ``CODE message`` so that problem matchers written for flake8 and ruff still parse.
    mark = "[*] " if f.fix == "safe" or (ctx.unsafe_fixes and f.fix == "unsafe") else ""
    return f"{path}:{f.line}:{f.col}: {code} {mark}{_label(f)}{_visible(f.message)}"


def _source_lines(f: Finding, ctx: ReportContext) -> List[str]:
    raw = ctx.source_line(f.path, f.line)
    if raw is None:
        return []
    line = raw.rstrip("\r\n")
    offset = _width(_expand(_visible(line[: max(f.col - 1, 0)])))
    caret = _paint("^", _SEVERITY_COLOUR[f.severity], ctx.color)
    return [f"  | {_expand(_visible(line))}".rstrip(), f"  | {' ' * offset}{caret}"]


def _finding_text(f: Finding, ctx: ReportContext) -> List[str]:
    if not ctx.show_source:
        return [_headline(f, ctx)]
    hint = [f"  = hint: {_visible(f.hint)}"] if f.hint else []
    return [_headline(f, ctx), *_source_lines(f, ctx), *hint]


def render_text(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """``path:line:col: CODE message``, one line per finding (flake8/ruff style); a
    warning's message starts with ``warning:``."""
    return _lines([line for f in findings for line in _finding_text(f, ctx)])


# -- json ----------------------------------------------------------------------------------


def _json_finding(f: Finding, ctx: ReportContext) -> JsonObject:
    return {
        "path": f.path,
        "line": f.line,
        "column": f.col,
        "code": f.code,
        "name": _rule_name(f, ctx),
        "severity": f.severity.value,
        "message": f.message,
        "hint": f.hint,
        "data_path": list(f.data_path),
        "fix": f.fix or None,
        "related": [{"path": r.path, "line": r.line, "column": r.col, "message": r.message} for r in f.related],
    }


def _summary(findings: Sequence[Finding], ctx: ReportContext) -> JsonObject:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return {
        "files": len(ctx.files) if ctx.checked is None else ctx.checked,
        "findings": len(findings),
        "errors": errors,
        "warnings": len(findings) - errors,
    }


def render_json(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """A versioned document: tool, findings (with data paths) and a summary."""
    return _dump_json(
        {
            "version": JSON_FORMAT_VERSION,
            "tool": {"name": TOOL_NAME, "version": ctx.tool_version},
            "findings": [_json_finding(f, ctx) for f in findings],
            "summary": _summary(findings, ctx),
        }
    )


# -- github --------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    """As ``escapeData`` in @actions/core."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """As ``escapeProperty`` in @actions/core."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_line(f: Finding, ctx: ReportContext) -> str:
    title = f"{f.code} {_rule_name(f, ctx)}".rstrip()
    props = {"file": f.path, "line": str(f.line), "col": str(f.col), "title": title}
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in props.items())
    return f"::{f.severity.value} {joined}::{_escape_data(f.message)}"


def render_github(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """GitHub Actions workflow commands, which show as annotations on the diff."""
    return _lines([_github_line(f, ctx) for f in findings])


# -- sarif ---------------------------------------------------------------------------------


def _sarif_rule(rule: RuleInfo) -> JsonObject:
    doc = rule.doc or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {"fixable": rule.fixable or "no"},
    }


def _as_posix(path: str) -> str:
    """``path`` with forward slashes, as the machine-readable formats write names."""
    import pathlib  # only those formats need it: a text report never imports it

    return pathlib.PurePath(path).as_posix()


def _artifact_location(path: str) -> JsonObject:
    import pathlib  # as in _as_posix

    pure = pathlib.PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    # The name's own bytes, percent-encoded: exact even for a name that is not UTF-8.
    return {"uri": urllib.parse.quote(pure.as_posix().encode("utf-8", "surrogateescape")), "uriBaseId": "%SRCROOT%"}


def _sarif_location(f: Finding) -> JsonObject:
    region = {"startLine": f.line, "startColumn": f.col}
    return {"physicalLocation": {"artifactLocation": _artifact_location(f.path), "region": region}}


def _sarif_related(number: int, r: Related) -> JsonObject:
    region = {"startLine": r.line, "startColumn": r.col}
    return {
        "id": number,
        "physicalLocation": {"artifactLocation": _artifact_location(r.path), "region": region},
        "message": {"text": r.message},
    }


def _sarif_result(f: Finding, index: Optional[int], key: str) -> JsonObject:
    related = [_sarif_related(number, r) for number, r in enumerate(f.related, 1)]
    return {
        "ruleId": f.code,
        **({"ruleIndex": index} if index is not None else {}),
        "level": f.severity.value,
        "message": {"text": f.message},
        "locations": [_sarif_location(f)],
        **({"relatedLocations": related} if related else {}),
        "partialFingerprints": {SARIF_FINGERPRINT_KEY: _hex_digest("sha256", key)},
        "properties": {
            "dataPath": list(f.data_path),
            **({"hint": f.hint} if f.hint else {}),
            **({"fix": f.fix} if f.fix else {}),
        },
    }


def render_sarif(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """SARIF 2.1.0 for code-scanning services (GitHub, Azure DevOps, IDE viewers)."""
    rules = [ctx.rules[code] for code in sorted(ctx.rules)]
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": TOOL_NAME,
        "version": ctx.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [_sarif_rule(rule) for rule in rules],
    }
    keys = _stable_keys(findings)
    results = [_sarif_result(f, index.get(f.code), k) for f, k in zip(findings, keys)]
    run = {
        "tool": {"driver": driver},
        "invocations": [_sarif_invocation(findings, ctx)],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return _dump_json({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})


def _sarif_invocation(findings: Sequence[Finding], ctx: ReportContext) -> JsonObject:
    """Whether the run itself worked (exit 2 when not), with the tool's own trouble
    (unreadable paths, internal errors) as notifications rather than results only."""
    notes = [
        {
            "level": "error",
            "message": {"text": f.message},
            "locations": [_sarif_location(f)],
            "descriptor": {"id": f.code},
        }
        for f in findings
        if _tool_failure(f, ctx)
    ]
    return {"executionSuccessful": not ctx.failed, **({"toolExecutionNotifications": notes} if notes else {})}


# -- junit ---------------------------------------------------------------------------------


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def _by_file(findings: Sequence[Finding], ctx: ReportContext) -> Dict[str, List[Finding]]:
    """Every checked file in order (then any file only the findings name) with its findings."""
    grouped: Dict[str, List[Finding]] = {path: [] for path in ctx.files}
    for f in findings:
        grouped.setdefault(f.path, []).append(f)
    return grouped


def _testcase(path: str, found: Sequence[Finding], ctx: ReportContext) -> "ET.Element":
    """A file's test case: an ``error`` when it could not be checked (E010, E012), a
    ``failure`` when it has findings that fail the run, and findings that do not (warnings
    without ``--strict``) only as its output, so the report agrees with the exit code."""
    import xml.etree.ElementTree as ET

    case = ET.Element("testcase", classname=TOOL_NAME, name=_xml_safe(path))
    broken = [f for f in found if _tool_failure(f, ctx)]
    failing = [f for f in found if f not in broken and (ctx.strict or f.severity is Severity.ERROR)]
    for tag, group in (("error", broken), ("failure", failing)):
        if group:
            element = ET.SubElement(case, tag)
            element.set("message", f"{len(group)} finding{'s' if len(group) > 1 else ''}")
            element.set("type", group[0].code if tag == "error" else _worst(group).value)
            element.text = _junit_text(group)
    passing = [f for f in found if f not in broken and f not in failing]
    if passing:
        ET.SubElement(case, "system-out").text = _junit_text(passing)
    return case


def _tool_failure(f: Finding, ctx: ReportContext) -> bool:
    """Trouble with the tool or the path (E010, E012), not a finding about the file."""
    rule = ctx.rules.get(f.code)
    return rule is not None and not rule.silenceable


def _worst(found: Sequence[Finding]) -> Severity:
    return Severity.ERROR if any(f.severity is Severity.ERROR for f in found) else Severity.WARNING


def _junit_text(found: Sequence[Finding]) -> str:
    return _xml_safe("\n".join(f"{f.line}:{f.col}: {f.code} {_label(f)}{f.message}" for f in found))


def _label(f: Finding) -> str:
    """``warning: `` before a warning's message; nothing before an error's (text output's rule)."""
    return "warning: " if f.severity == Severity.WARNING else ""


def render_junit(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """JUnit XML, one testcase per checked file, for CI test dashboards (GitLab, Jenkins)."""
    import xml.etree.ElementTree as ET  # only for this format: start-up stays fast

    cases = [_testcase(path, found, ctx) for path, found in _by_file(findings, ctx).items()]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": str(sum(1 for case in cases if case.find("error") is not None)),
    }
    root = ET.Element("testsuites", {"name": TOOL_NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": TOOL_NAME, **counts, "skipped": "0"})
    suite.extend(cases)
    ET.indent(root)
    # Pure ASCII (non-ASCII as character references) keeps the UTF-8 declaration true
    # whatever encoding the caller writes the string in.
    body = ET.tostring(root, encoding="us-ascii").decode("ascii")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


# -- gitlab --------------------------------------------------------------------------------


def _hex_digest(name: str, text: str) -> str:
    import hashlib  # here: only the SARIF and GitLab formats need it

    return hashlib.new(name, text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _gitlab_issue(f: Finding, key: str) -> JsonObject:
    return {
        "description": f"{f.code} {f.message}",
        "check_name": f.code,
        "fingerprint": _hex_digest("md5", key),
        "severity": _GITLAB_SEVERITY[f.severity],
        "location": {"path": _as_posix(f.path), "lines": {"begin": f.line}},
        **({"other_locations": [_gitlab_location(r.path, r.line) for r in f.related]} if f.related else {}),
    }


def _gitlab_location(path: str, line: int) -> JsonObject:
    """A location as the Code Climate spec writes ``other_locations`` (GitLab reads ``location``)."""
    return {"path": _as_posix(path), "lines": {"begin": line}}


def render_gitlab(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """GitLab Code Quality report (the Code Climate subset GitLab reads)."""
    return _dump_json([_gitlab_issue(f, k) for f, k in zip(findings, _stable_keys(findings))])


# -- table and entry points ----------------------------------------------------------------

FORMATS: Dict[str, Callable[[Sequence[Finding], ReportContext], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "junit": render_junit,
    "gitlab": render_gitlab,
}


def render(fmt: str, findings: Sequence[Finding], ctx: ReportContext) -> str:
    """Render ``findings`` in format ``fmt`` (a key of ``FORMATS``)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}") from None
    paths = itertools.chain((f.path for f in findings), (r.path for f in findings for r in f.related), ctx.files)
    if fmt == "sarif" or all(path.isascii() or shown_path(path) == path for path in paths):
        return renderer(findings, ctx)  # the usual case; SARIF's URIs carry a name's bytes exactly
    return renderer(*_shown_paths(findings, ctx))


def _shown_paths(findings: Sequence[Finding], ctx: ReportContext) -> Tuple[List[Finding], ReportContext]:
    """The findings and context with every path as ``shown_path`` shows it; source lines
    are still read from the file's real name."""
    real = {shown_path(f.path): f.path for f in findings}

    def source_line(path: str, line: int) -> Optional[str]:
        return ctx.source_line(real.get(path, path), line)

    files = [shown_path(path) for path in ctx.files]
    shown = [
        f._replace(path=shown_path(f.path), related=tuple(r._replace(path=shown_path(r.path)) for r in f.related))
        for f in findings
    ]
    return shown, ctx._replace(files=files, source_line=source_line)


def _count_rows(findings: Sequence[Finding]) -> Iterator[Tuple[int, str, str]]:
    counts = collections.Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings if f.name}
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        yield count, code, names.get(code, "")


def statistics(findings: Sequence[Finding]) -> str:
    """Count per code, most frequent first (``  12  S002      wrong-type``, ``[*]`` where
    ``--fix`` repairs the code), then the total and how many are fixable, as ruff does."""
    rows = list(_count_rows(findings))
    count_width = max([4, *(len(str(count)) for count, _, _ in rows)])
    code_width = max([0, *(len(code) for _, code, _ in rows)])
    fixable = {f.code for f in findings if f.fixable == "safe"}
    marks = {code: ("[*] " if code in fixable else "    ") if fixable else "" for _, code, _ in rows}
    lines = [f"{n:>{count_width}}  {code:<{code_width}}  {marks[code]}{name}".rstrip() for n, code, name in rows]
    lines.append(f"Found {len(findings)} finding(s).")
    repairable = sum(1 for f in findings if f.fixable == "safe")
    if repairable:
        lines.append(f"[*] {repairable} fixable with --fix.")
    return _lines(lines)

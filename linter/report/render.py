"""Reporters: turn sorted findings into text for one output format.

Each format is one small function in the ``FORMATS`` name table. Renderers only format:
they read nothing, print nothing and never exit. Findings arrive already sorted and their
messages already redacted; the only file text a renderer shows comes through
``ReportContext.source_line``. A renderer yields its text in pieces, a finding at a time,
and may iterate the findings more than once (a list, or a run's ``FindingStore``): a
report of 32,000 findings is written as it is made, never held whole as text, objects or
one JSON document.
"""

from __future__ import annotations

import collections

from linter.model import Finding, Related, RuleInfo, Severity, shown_path
from linter.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    import xml.etree.ElementTree as ET
    from typing import (
        Any,
        Callable,
        Collection,
        Dict,
        Iterable,
        Iterator,
        List,
        Mapping,
        NamedTuple,
        Optional,
        Sequence,
        Tuple,
    )
else:
    from linter.named import NamedTuple

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

if TYPE_CHECKING:
    JsonObject = Dict[str, Any]
if TYPE_CHECKING:
    #: The findings a renderer is given: sized, and iterable more than once, in order.
    Findings = Collection[Finding]
#: Marks a value of a JSON document that is written in pieces (``_json_pieces``).
_HOLE = "\0lint-news-hole:"


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


def _stable_keys(findings: Findings) -> Iterator[Tuple[Finding, str]]:
    """Each finding with its identity without its position, so it survives line shifts.

    Identical findings get an occurrence number, which keeps every key unique. The numbers
    are counted per file (its path as written in the report) and let go after the file's
    last finding, found by a first pass: one file's keys are held at a time, not the run's.
    """
    import json  # here: a text report never needs it

    posix = _Posix()
    left = collections.Counter(hash(posix(f.path)) for f in findings)
    seen: Dict[str, collections.Counter[str]] = {}
    for f in findings:
        path = posix(f.path)
        base = json.dumps([path, f.code, list(f.data_path)])
        counts = seen.setdefault(path, collections.Counter())
        yield f, f"{base}#{counts[base]}"
        counts[base] += 1
        left[hash(path)] -= 1
        if not left[hash(path)]:
            seen.pop(path)  # (another path with the same hash keeps its own counts)


class _Posix:
    """``_as_posix``, remembering the last path: a file's findings come one after another."""

    def __init__(self) -> None:
        self.last: Tuple[Optional[str], str] = (None, "")

    def __call__(self, path: str) -> str:
        if path != self.last[0]:
            self.last = (path, _as_posix(path))
        return self.last[1]


def _dump_json(value: Any) -> str:
    import json  # here: a text report never needs it

    return json.dumps(value, indent=2) + "\n"


def _lines(lines: Iterable[str]) -> Iterator[str]:
    return (line + "\n" for line in lines)


def _json_pieces(document: Any, *holes: Callable[[int], Iterator[str]]) -> Iterator[str]:
    """``_dump_json(document)``, where the values ``_hole(0)``, ``_hole(1)``... stand for
    values written by ``holes`` in order, each given the indentation of its line."""
    import json  # here: a text report never needs it

    text = _dump_json(document)
    for number, fill in enumerate(holes):
        before, _, text = text.partition(json.dumps(_hole(number)))
        line = before[before.rfind("\n") + 1 :]
        yield before
        yield from fill(len(line) - len(line.lstrip(" ")))
    yield text


def _hole(number: int) -> str:
    return f"{_HOLE}{number}"


def _json_array(items: Iterable[Any], indent: int) -> Iterator[str]:
    """A JSON array as ``json.dumps(..., indent=2)`` writes it ``indent`` spaces in, an item at a time."""
    import json  # here: a text report never needs it

    inner = "\n" + " " * (indent + 2)
    opening = "["
    for item in items:
        yield opening + inner + json.dumps(item, indent=2).replace("\n", inner)
        opening = ","
    yield "[]" if opening == "[" else "\n" + " " * indent + "]"


def _json_value(value: Any, indent: int) -> str:
    """A JSON value as ``json.dumps(..., indent=2)`` writes it ``indent`` spaces in."""
    import json  # here: a text report never needs it

    return json.dumps(value, indent=2).replace("\n", "\n" + " " * indent)


# -- text ----------------------------------------------------------------------------------


def _visible(text: str) -> str:
    """Escape control and format characters (except tab): they must not drive the terminal."""
    if text.isprintable():  # the usual case, at C speed: no Cc or Cf character in it
        return text
    import unicodedata  # here: only for a text with such a character

    return "".join(c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cf") else _escape_char(c) for c in text)


def _escape_char(c: str) -> str:
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def _char_width(c: str) -> int:
    import unicodedata  # here: only --show-source measures widths

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
    path, code = _visible(f.path), f.code
    if ctx.color:
        path, code = _paint(path, _BOLD, True), _paint(code, _SEVERITY_COLOUR[f.severity], True)
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


def render_text(findings: Findings, ctx: ReportContext) -> Iterator[str]:
    """``path:line:col: CODE message``, one line per finding (flake8/ruff style); a
    warning's message starts with ``warning:``."""
    return _lines(line for f in findings for line in _finding_text(f, ctx))


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


def _summary(count: int, errors: int, ctx: ReportContext) -> JsonObject:
    return {
        "files": len(ctx.files) if ctx.checked is None else ctx.checked,
        "findings": count,
        "errors": errors,
        "warnings": count - errors,
    }


def render_json(findings: Findings, ctx: ReportContext) -> Iterator[str]:
    """A versioned document: tool, findings (with data paths) and a summary."""
    errors = 0

    def items() -> Iterator[JsonObject]:
        nonlocal errors
        for f in findings:
            errors += f.severity is Severity.ERROR
            yield _json_finding(f, ctx)

    document = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": ctx.tool_version},
        "findings": _hole(0),
        "summary": _hole(1),
    }
    return _json_pieces(
        document,
        lambda indent: _json_array(items(), indent),
        lambda indent: iter([_json_value(_summary(len(findings), errors, ctx), indent)]),
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


def render_github(findings: Findings, ctx: ReportContext) -> Iterator[str]:
    """GitHub Actions workflow commands, which show as annotations on the diff."""
    return _lines(_github_line(f, ctx) for f in findings)


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
    import urllib.parse  # here: SARIF only (it imports ipaddress)

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


def render_sarif(findings: Findings, ctx: ReportContext) -> Iterator[str]:
    """SARIF 2.1.0 for code-scanning services (GitHub, Azure DevOps, IDE viewers)."""
    rules = [ctx.rules[code] for code in sorted(ctx.rules)]
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": TOOL_NAME,
        "version": ctx.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [_sarif_rule(rule) for rule in rules],
    }
    results = (_sarif_result(f, index.get(f.code), key) for f, key in _stable_keys(findings))
    run = {
        "tool": {"driver": driver},
        "invocations": [_sarif_invocation(findings, ctx)],
        "columnKind": "unicodeCodePoints",
        "results": _hole(0),
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return _json_pieces(document, lambda indent: _json_array(results, indent))


def _sarif_invocation(findings: Findings, ctx: ReportContext) -> JsonObject:
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


def _by_file(findings: Findings, ctx: ReportContext) -> Dict[str, List[Finding]]:
    """Every checked file in order (then any file only the findings name) with its findings."""
    grouped: Dict[str, List[Finding]] = {path: [] for path in ctx.files}
    for f in findings:
        grouped.setdefault(f.path, []).append(f)
    return grouped


def _testcase(path: str, found: Sequence[Finding], ctx: ReportContext) -> ET.Element:
    """A file's test case: an ``error`` when it could not be checked (E010, E012), a
    ``failure`` when it has findings that fail the run, and findings that do not (warnings
    without ``--strict``) only as its output, so the report agrees with the exit code."""
    import xml.etree.ElementTree as ET

    case = ET.Element("testcase", classname=TOOL_NAME, name=_xml_safe(path))
    broken = _broken(found, ctx)
    failing = _failing(found, ctx)
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


def _broken(found: Sequence[Finding], ctx: ReportContext) -> List[Finding]:
    return [f for f in found if _tool_failure(f, ctx)]


def _failing(found: Sequence[Finding], ctx: ReportContext) -> List[Finding]:
    return [f for f in found if not _tool_failure(f, ctx) and (ctx.strict or f.severity is Severity.ERROR)]


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


def render_junit(findings: Findings, ctx: ReportContext) -> Iterator[str]:
    """JUnit XML, one testcase per checked file, for CI test dashboards (GitLab, Jenkins).

    Written a test case at a time, each indented as ``ET.indent`` indents the whole tree:
    100,000 files are never one tree of elements."""
    import xml.etree.ElementTree as ET  # only for this format: start-up stays fast

    grouped = _by_file(findings, ctx)
    counts = {
        "tests": str(len(grouped)),
        "failures": str(sum(1 for found in grouped.values() if _failing(found, ctx))),
        "errors": str(sum(1 for found in grouped.values() if _broken(found, ctx))),
    }
    root = ET.Element("testsuites", {"name": TOOL_NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": TOOL_NAME, **counts, "skipped": "0"})
    if grouped:
        ET.SubElement(suite, "case")  # where the cases go
    ET.indent(root)
    # Pure ASCII (non-ASCII as character references) keeps the UTF-8 declaration true
    # whatever encoding the caller writes the string in.
    head, _, tail = ET.tostring(root, encoding="us-ascii").decode("ascii").partition("<case />")
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n{head}'
    between = ""
    for path, found in grouped.items():
        yield between + _junit_case(path, found, ctx)
        between = "\n    "
    yield f"{tail}\n"


def _junit_case(path: str, found: Sequence[Finding], ctx: ReportContext) -> str:
    """One test case as it is written at its place in the report (level 2)."""
    import xml.etree.ElementTree as ET

    case = _testcase(path, found, ctx)
    ET.indent(case, level=2)
    text: bytes = ET.tostring(case, encoding="us-ascii")
    return text.decode("ascii")


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


def render_gitlab(findings: Findings, ctx: ReportContext) -> Iterator[str]:
    """GitLab Code Quality report (the Code Climate subset GitLab reads)."""
    yield from _json_array((_gitlab_issue(f, key) for f, key in _stable_keys(findings)), 0)
    yield "\n"


# -- table and entry points ----------------------------------------------------------------

FORMATS: Dict[str, Callable[[Findings, ReportContext], Iterator[str]]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "junit": render_junit,
    "gitlab": render_gitlab,
}


def render(fmt: str, findings: Findings, ctx: ReportContext) -> str:
    """Render ``findings`` in format ``fmt`` (a key of ``FORMATS``)."""
    return "".join(pieces(fmt, findings, ctx))


def pieces(fmt: str, findings: Findings, ctx: ReportContext) -> Iterator[str]:
    """``render``'s text in pieces, made as they are asked for (a finding at a time)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}") from None
    if fmt == "sarif":
        return renderer(findings, ctx)  # SARIF's URIs carry a name's bytes exactly
    shown = _Shown(findings)
    files = ctx.files
    if not all(path.isascii() or shown_path(path) == path for path in files):
        files = [shown_path(path) for path in files]
    return renderer(shown, ctx._replace(files=files, source_line=shown.source_line(ctx.source_line)))


class _Shown:
    """The findings with every path as ``shown_path`` shows it, a finding at a time;
    source lines are still read from the file's real name (the last finding's)."""

    def __init__(self, findings: Findings) -> None:
        self.findings = findings
        self.real = ("", "")  # the last finding's path as shown, and as named

    def __len__(self) -> int:
        return len(self.findings)

    def __contains__(self, item: object) -> bool:
        return any(item == f for f in self)

    def __iter__(self) -> Iterator[Finding]:
        for f in self.findings:
            real = f.path
            if not real.isascii() or f.related and not all(r.path.isascii() for r in f.related):
                related = tuple(r._replace(path=shown_path(r.path)) for r in f.related)
                f = f._replace(path=shown_path(real), related=related)
            self.real = (f.path, real)
            yield f

    def source_line(self, read: Callable[[str, int], Optional[str]]) -> Callable[[str, int], Optional[str]]:
        def source_line(path: str, line: int) -> Optional[str]:
            return read(self.real[1] if path == self.real[0] else path, line)

        return source_line


def statistics(findings: Findings) -> str:
    """Count per code, most frequent first (``  12  S002      wrong-type``, ``[*]`` where
    ``--fix`` repairs the code), then the total and how many are fixable, as ruff does."""
    counts: collections.Counter[str] = collections.Counter()
    names: Dict[str, str] = {}  # each code's name, as its last finding gives it
    fixable: Dict[str, int] = {}  # codes with a finding --fix repairs, and how many
    for f in findings:
        counts[f.code] += 1
        if f.name:
            names[f.code] = f.name
        if f.fixable == "safe":
            fixable[f.code] = fixable.get(f.code, 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = max([4, *(len(str(count)) for _, count in rows)])
    code_width = max([0, *(len(code) for code, _ in rows)])
    marks = {code: ("[*] " if code in fixable else "    ") if fixable else "" for code, _ in rows}
    lines = [f"{n:>{count_width}}  {code:<{code_width}}  {marks[code]}{names.get(code, '')}" for code, n in rows]
    lines = [line.rstrip() for line in lines]
    lines.append(f"Found {sum(counts.values())} finding(s).")
    repairable = sum(fixable.values())
    if repairable:
        lines.append(f"[*] {repairable} fixable with --fix.")
    return "".join(_lines(lines))

"""``lint-news server``: the same findings in an editor, over the Language Server Protocol.

A thin adapter on pygls: the engine lints the open buffer (not the file on disk) with the
configuration of the file's folder, exactly as ``lint-news`` would there, and the findings
become LSP diagnostics. Hover shows a rule's documentation; code actions offer the fix of
a fixable finding and "suppress on this line" for any finding that can be silenced.

Only articles are linted: Markdown files under a ``_news`` folder, or whose text starts
with a ``---`` fence (a README without frontmatter gets no E001). Messages come from the
engine, which has already hidden the ``secured`` value; this module adds only positions,
rule names and documentation, never document text but a quick fix's edits, which carry
only the changed spans of the lines a fix changes (never a ``secured`` line: fixes do not
edit those, and the edits are found line by line; see ``minimal_edits``).

This module imports pygls; the command line imports it only for ``lint-news server``.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from linter import __version__, registry
from linter.config import Config, ConfigError, load_config
from linter.engine import Linter
from linter.model import Finding, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple

SOURCE = "lint-news"
_MARKDOWN = (".md", ".markdown")
_FENCE = re.compile(r"\A(?:\ufeff)?---[ \t]*(?:\r\n|\r|\n)")
#: A key (``name:``), a quoted scalar, or a plain one up to `` #`` or the end of the line.
_NODE = re.compile(
    r"""[^\s:'"][^\s:]*(?=:(?:\s|$))|"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|(?:[^\s#]|\s(?!\s*(?:#|$))|#)+"""
)
_IGNORE = re.compile(r"#\s*lint-news:\s*ignore\[([A-Za-z0-9,\s]*)\]")


class ArticleServer(LanguageServer):
    """Keeps one linter per configuration and the findings last sent for each document."""

    def __init__(self) -> None:
        super().__init__("lint-news", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.linters: Dict[Tuple[str, ...], Linter] = {}
        self.findings: Dict[str, List[Finding]] = {}

    def linter_for(self, path: str) -> Linter:
        config = _config_for(path)
        key = (config.source or "",)
        if key not in self.linters:
            self.linters[key] = Linter(config.settings)
        return self.linters[key]


def _config_for(path: str) -> Config:
    """The configuration ``lint-news`` would use in the file's folder (a broken one is
    raised as ConfigError and shown on the document)."""
    return load_config(None, cwd=Path(path).parent if os.path.isabs(path) else Path.cwd())


def is_article(path: str, text: str) -> bool:
    """Whether a document is one lint-news checks: a Markdown file in ``_news`` or one
    that opens with a frontmatter fence."""
    if not path.lower().endswith(_MARKDOWN):
        return False
    parts = Path(path).parts
    return "_news" in parts or bool(_FENCE.match(text))


def lint_document(server: ArticleServer, document: TextDocument) -> List[types.Diagnostic]:
    """Lint the buffer and remember its findings for hover and code actions."""
    path = to_fs_path(document.uri) or document.uri
    text = document.source
    if not is_article(path, text):
        server.findings[document.uri] = []
        return []
    try:
        linter = server.linter_for(path)
    except ConfigError as exc:
        server.findings[document.uri] = []
        return [_config_diagnostic(str(exc))]
    findings = linter.lint_bytes(_display(path), text.encode("utf-8", "surrogateescape")).findings
    server.findings[document.uri] = findings
    return [to_diagnostic(f, document.lines, document) for f in findings]


def _display(path: str) -> str:
    """The name the engine sees: relative to the working directory when inside it, so
    per-file ignores match as on the command line."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith(os.pardir) else relative


def _config_diagnostic(message: str) -> types.Diagnostic:
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        message=f"configuration error: {message}",
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def to_diagnostic(finding: Finding, lines: Sequence[str], document: TextDocument) -> types.Diagnostic:
    """A finding as an LSP diagnostic: 0-based line, UTF-16 column, to the end of its token."""
    start, end = _span(finding, lines)
    codec = document.position_codec
    client_range = codec.range_to_client_units(list(lines), types.Range(start=start, end=end))
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    severity = (
        types.DiagnosticSeverity.Error if finding.severity == Severity.ERROR else types.DiagnosticSeverity.Warning
    )
    return types.Diagnostic(
        range=client_range,
        message=message,
        severity=severity,
        code=finding.code,
        source=SOURCE,
        data={"name": finding.name},
    )


def _span(finding: Finding, lines: Sequence[str]) -> Tuple[types.Position, types.Position]:
    """From the finding's column over the node written there: a key, a quoted value, or a
    plain value up to its comment (what an editor should underline)."""
    line = max(finding.line - 1, 0)
    text = lines[line].rstrip("\r\n") if line < len(lines) else ""
    col = min(max(finding.col - 1, 0), len(text))
    match = _NODE.match(text, col)
    end = match.end() if match and match.end() > col else len(text)
    return types.Position(line=line, character=col), types.Position(line=line, character=end)


def hover(server: ArticleServer, uri: str, position: types.Position, lines: Sequence[str]) -> Optional[types.Hover]:
    """The documentation of the rules whose findings sit on the hovered line."""
    codes = []
    for finding in server.findings.get(uri, []):
        if finding.line - 1 == position.line and finding.code not in codes:
            codes.append(finding.code)
    if not codes:
        return None
    parts = [_rule_markdown(code) for code in codes]
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def _rule_markdown(code: str) -> str:
    info = registry.RULES[code]
    return f"**{info.code} {info.name}** ({info.severity.value})\n\n{info.summary}\n\n{info.doc}".rstrip()


def code_actions(server: ArticleServer, document: TextDocument, wanted: types.Range) -> List[types.CodeAction]:
    """For each finding in the asked range: its fix (what ``--fix`` would do to it alone;
    ``--unsafe-fixes`` ones say so) and "suppress on this line" when it can be silenced;
    then one "fix all" action with every safe fix of the document."""
    actions = []
    uri, lines = document.uri, list(document.lines)
    for finding in server.findings.get(uri, []):
        if not wanted.start.line <= finding.line - 1 <= wanted.end.line:
            continue
        if finding.fix:
            actions.extend(_fix_action(server, document, [finding], finding.fix == "unsafe"))
        edit = suppression_edit(finding, lines) if registry.RULES[finding.code].silenceable else None
        if edit is not None:
            edit.range = document.position_codec.range_to_client_units(lines, edit.range)
            title = f"Suppress {finding.code} ({finding.name}) on this line"
            change = types.WorkspaceEdit(changes={uri: [edit]})
            actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, edit=change))
    safe = [f for f in server.findings.get(uri, []) if f.fix == "safe"]
    if len(safe) > 1:
        actions.extend(_fix_action(server, document, safe, False, kind=FIX_ALL))
    return actions


#: The kind editors run on save for "fix all" (``editor.codeActionsOnSave``).
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.lint-news"


def _fix_action(
    server: ArticleServer, document: TextDocument, wanted: List[Finding], unsafe: bool, kind: str = ""
) -> List[types.CodeAction]:
    """The fix of ``wanted`` as ``--fix`` computes it (byte-exact, verified), as one edit of
    the changed span; nothing when the fix does not verify."""
    from linter.fix.apply import fix_bytes  # only when a finding has a fix

    path = to_fs_path(document.uri) or document.uri
    data = document.source.encode("utf-8", "surrogateescape")
    keys = {(f.code, f.data_path) for f in wanted}

    def chosen(found: List[Finding]) -> List[Finding]:
        return [f for f in found if (f.code, f.data_path) in keys]

    outcome = fix_bytes(server.linter_for(path), _display(path), data, unsafe, chosen)
    if outcome.data == data:
        return []
    edits = minimal_edits(document, outcome.data.decode("utf-8", "surrogateescape"))
    if len(wanted) == 1:
        title = f"Fix {wanted[0].code} ({wanted[0].name})" + (" (unsafe fix)" if unsafe else "")
    else:
        title = f"Fix all safely fixable lint-news findings ({len(wanted)})"
    change = types.WorkspaceEdit(changes={document.uri: edits})
    return [
        types.CodeAction(title=title, kind=kind or types.CodeActionKind.QuickFix, edit=change, is_preferred=not unsafe)
    ]


#: A line with its line break (CRLF, CR or LF, as LSP ends lines), or the last one without.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def minimal_edits(document: TextDocument, new: str) -> List[types.TextEdit]:
    """Edits replacing only what changed, in the client's units (UTF-16 by default).

    Found line by line, a changed line against its counterpart, so a line the fix left
    alone (a ``secured`` line among them) is in no edit's text: one span from the first
    change to the last would carry every line between them, and a CR-only file made LF
    would be sent back whole."""
    old = document.source
    a, b = _LINE.findall(old), _LINE.findall(new)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    spans: List[Tuple[int, int, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            continue
        if i2 - i1 == j2 - j1:  # line for line (a line break rewritten, a value fixed)
            spans += [_trimmed(starts[i1 + k], a[i1 + k], b[j1 + k]) for k in range(i2 - i1)]
        else:
            spans.append(_trimmed(starts[i1], "".join(a[i1:i2]), "".join(b[j1:j2])))
    # where lines start, for positions: not after a last line that has no line break
    lines = starts if not a or a[-1].endswith(("\r", "\n")) else starts[:-1]
    edits = []
    for start, end, text in spans:
        if old[start - 1 : start + 1] == "\r\n":  # never between a CR and its LF
            start, text = start - 1, "\r" + text
        if old[end - 1 : end + 1] == "\r\n":
            end, text = end + 1, text + "\n"
        span = types.Range(start=_at(lines, start), end=_at(lines, end))
        edits.append(
            types.TextEdit(
                range=document.position_codec.range_to_client_units(list(document.lines), span), new_text=text
            )
        )
    return edits


def _trimmed(offset: int, old: str, new: str) -> Tuple[int, int, str]:
    """``old`` (at ``offset``) -> ``new`` as the span where they differ and its new text."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    return offset + start, offset + end_old, new[start:end_new]


def _at(starts: List[int], offset: int) -> types.Position:
    """Line and column (code points) of an offset, from the lines' start offsets."""
    line = bisect.bisect_right(starts, offset) - 1
    return types.Position(line=line, character=offset - starts[line])


def suppression_edit(finding: Finding, lines: Sequence[str]) -> Optional[types.TextEdit]:
    """Add the code to the line's ``# lint-news: ignore[...]`` comment, or append one.

    Only inside the frontmatter (after the opening fence, before the closing one); a line
    that already holds a ``#`` elsewhere is left alone, since the ``#`` may be inside a
    quoted value and an appended comment could change it."""
    index = finding.line - 1
    if index < 1 or index >= len(lines) or index >= _closing_fence(lines):
        return None
    text = lines[index].rstrip("\r\n")
    existing = _IGNORE.search(text)
    if existing:
        codes = existing.group(1).rstrip()
        inner = f"{codes}, {finding.code}" if codes.strip() else finding.code
        start, end = existing.start(1), existing.end(1)
        return types.TextEdit(range=_range(index, start, end), new_text=inner)
    if "#" in text:
        return None
    end = len(text)
    return types.TextEdit(range=_range(index, end, end), new_text=f"  # lint-news: ignore[{finding.code}]")


def _closing_fence(lines: Sequence[str]) -> int:
    for index in range(1, len(lines)):
        if re.match(r"(?:---|\.\.\.)[ \t]*$", lines[index].rstrip("\r\n")):
            return index
    return len(lines)


def _range(line: int, start: int, end: int) -> types.Range:
    return types.Range(start=types.Position(line=line, character=start), end=types.Position(line=line, character=end))


def build() -> ArticleServer:
    """The server with its handlers registered."""
    server = ArticleServer()

    def publish(document: TextDocument) -> None:
        diagnostics = lint_document(server, document)
        params = types.PublishDiagnosticsParams(uri=document.uri, diagnostics=diagnostics, version=document.version)
        server.text_document_publish_diagnostics(params)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ArticleServer, params: types.DidOpenTextDocumentParams) -> None:
        publish(ls.workspace.get_text_document(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ArticleServer, params: types.DidChangeTextDocumentParams) -> None:
        publish(ls.workspace.get_text_document(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ArticleServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.linters.clear()  # a saved configuration file applies from now on
        publish(ls.workspace.get_text_document(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ArticleServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.findings.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: ArticleServer, params: types.HoverParams) -> Optional[types.Hover]:
        document = ls.workspace.get_text_document(params.text_document.uri)
        return hover(ls, document.uri, params.position, document.lines)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def on_code_action(ls: ArticleServer, params: types.CodeActionParams) -> List[types.CodeAction]:
        document = ls.workspace.get_text_document(params.text_document.uri)
        return code_actions(ls, document, params.range)

    return server


def main() -> int:
    """Serve on standard input and output until the client says exit."""
    build().start_io()
    return 0

"""``lint-news server``, driven over stdio by pygls's own LSP client, as an editor would."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.workspace import TextDocument

from linter.engine import Linter
from linter.fix.apply import fix_bytes
from linter.model import Finding, Severity
from linter.server import is_article, minimal_edits, suppression_edit

BAD = """\
---
category: news
title: "Caf\u00e9 \U0001f600 robots"
excerpt: ""
publishedDateTime: 2024-02-30T10:00:00Z
webUrl: "http://old-gazette.example.net/robots"
type: article
provider:
  name: Old Gazette
  domain: old-gazette.example.net
topics:
  - Robotics
secured: "not an envelope s3cr3t-value"
---
Body.
"""
FIXED = BAD.replace("2024-02-30", "2024-02-28").replace(
    '"not an envelope s3cr3t-value"', '"7X9Ik8R4dZelPnNK8paUjg==;OkhKgWqWYa4pGRh/tRebpw=="'
)


class Session:
    """A client connected to a server process, collecting published diagnostics."""

    def __init__(self) -> None:
        self.client = LanguageClient("test-client", "1")
        self.published: Dict[str, List[types.Diagnostic]] = {}
        self.arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = params.diagnostics
            self.arrived.set()

    async def start(self, cwd: Path) -> None:
        await self.client.start_io(sys.executable, "-m", "linter", "server", cwd=str(cwd))
        capabilities = types.ClientCapabilities()
        await self.client.initialize_async(types.InitializeParams(capabilities=capabilities, root_uri=cwd.as_uri()))
        self.client.initialized(types.InitializedParams())

    async def open(self, uri: str, text: str) -> List[types.Diagnostic]:
        """Open a document and wait for its diagnostics."""
        item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        return await self.diagnostics(uri)

    async def change(self, uri: str, text: str, version: int = 2) -> List[types.Diagnostic]:
        """Replace a document's whole text and wait for its new diagnostics."""
        versioned = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        change = types.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=versioned, content_changes=[change])
        )
        return await self.diagnostics(uri)

    async def actions(self, uri: str, line: int, diagnostics: List[types.Diagnostic]) -> Any:
        """The code actions offered at the start of a 0-based line."""
        at = types.Position(line=line, character=0)
        return await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=at, end=at),
                context=types.CodeActionContext(diagnostics=diagnostics),
            )
        )

    async def diagnostics(self, uri: str) -> List[types.Diagnostic]:
        await asyncio.wait_for(self.arrived.wait(), timeout=30)
        self.arrived.clear()
        return self.published[uri]

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def diagnostics_of(cwd: Path, uri: str, text: str) -> List[types.Diagnostic]:
    """The diagnostics a server started in ``cwd`` publishes for one opened document."""

    async def scenario() -> List[types.Diagnostic]:
        session = Session()
        await session.start(cwd)
        found = await session.open(uri, text)
        await session.stop()
        return found

    return run(scenario())


def test_open_change_hover_actions_and_shutdown(tmp_path: Path) -> None:
    article = tmp_path / "_news" / "2024-02-28-robots.md"
    article.parent.mkdir()
    article.write_text(BAD, encoding="utf-8")
    uri = article.as_uri()

    async def scenario() -> Dict[str, Any]:
        session = Session()
        await session.start(tmp_path)
        opened = await session.open(uri, BAD)
        hover = await session.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=4, character=20)
            )
        )
        actions = await session.actions(uri, 4, opened)
        changed = await session.change(uri, FIXED)
        await session.stop()
        return {"opened": opened, "hover": hover, "actions": actions, "changed": changed}

    got = run(scenario())
    by_code = {d.code: d for d in got["opened"]}
    assert sorted(by_code) == ["D001", "X001"]
    d001 = by_code["D001"]
    # 0-based: line 5 of the file, column 20 of the file -> (4, 19); the value is one word.
    assert (d001.range.start.line, d001.range.start.character) == (4, 19)
    assert (d001.range.end.line, d001.range.end.character) == (4, 39)
    assert d001.severity == types.DiagnosticSeverity.Error and d001.source == "lint-news"
    assert by_code["X001"].range.start.line == 12
    everything = repr(got)
    assert "s3cr3t-value" not in everything  # the secured value never leaves the server
    assert "invalid-date-time" in got["hover"].contents.value and "Why" in got["hover"].contents.value
    titles = [a.title for a in got["actions"]]
    assert titles == ["Suppress D001 (invalid-date-time) on this line"]
    edit = got["actions"][0].edit.changes[uri][0]
    assert edit.new_text == "  # lint-news: ignore[D001]"
    assert list(got["changed"]) == []  # fixed: the diagnostics are cleared


def test_columns_are_utf16_code_units(tmp_path: Path) -> None:
    """An emoji before a finding counts as two UTF-16 units, as LSP clients count."""
    text = BAD.replace('title: "Caf\u00e9 \U0001f600 robots"', 'title: " \U0001f600 robots"')
    article = tmp_path / "_news" / "2024-02-28-robots.md"
    article.parent.mkdir()
    article.write_text(text, encoding="utf-8")

    found = {d.code: d for d in diagnostics_of(tmp_path, article.as_uri(), text) if d.range.start.line == 2}
    t001 = found["T001"]
    assert t001.range.start.character == 7  # after 'title: ', the opening quote
    assert t001.range.end.character == 7 + len('" ') + 2 + len(' robots"')  # the emoji is 2 units


def test_configuration_of_the_files_folder_applies(tmp_path: Path) -> None:
    (tmp_path / ".lint-news.toml").write_text('ignore = ["X001"]\n', encoding="utf-8")
    article = tmp_path / "_news" / "2024-02-28-robots.md"
    article.parent.mkdir()

    assert [d.code for d in diagnostics_of(tmp_path, article.as_uri(), BAD)] == ["D001"]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("/site/_news/a.md", "no fence", True),
        ("/site/docs/readme.md", "# Title\n", False),
        ("/site/docs/page.md", "---\ntitle: x\n---\n", True),
        ("/site/docs/page.md", "\ufeff---\r\ntitle: x\n", True),
        ("/site/_news/a.txt", "---\n", False),
    ],
)
def test_which_documents_are_articles(path: str, text: str, expected: bool) -> None:
    assert is_article(path, text) is expected


def _finding(line: int, code: str = "T001") -> Finding:
    return Finding("a.md", line, 1, code, "m", Severity.WARNING, "stray-whitespace")


@pytest.mark.parametrize(
    ("line", "text", "expected"),
    [
        ("title: x", "title: x", ((1, 8, 8), "  # lint-news: ignore[T001]")),
        ("existing", "title: x  # lint-news: ignore[U002]", ((1, 30, 34), "U002, T001")),
        ("hash in value", 'title: "a # b"', None),
        ("fence", "---", None),
    ],
)
def test_suppression_edits(line: str, text: str, expected: Any) -> None:
    lines = ["---\n", text + "\n", "---\n"]
    number = 1 if line == "fence" else 2
    edit = suppression_edit(_finding(number), lines)
    if expected is None:
        assert edit is None
        return
    (row, start, end), new_text = expected
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character) == (row, start, end)
    assert edit.new_text == new_text


def test_quick_fix_is_what_fix_does(tmp_path: Path) -> None:
    """A fixable finding offers its fix as one edit of the changed span; applying it (as
    the editor would) and sending the result clears the finding."""
    text = FIXED.replace('title: "Caf\u00e9 \U0001f600 robots"', 'title: "Caf\u00e9 \U0001f600 robots "')
    text = text.replace("  name: Old Gazette", "  name: No")
    article = tmp_path / "_news" / "2024-02-28-robots.md"
    article.parent.mkdir()
    uri = article.as_uri()

    async def scenario() -> Dict[str, Any]:
        session = Session()
        await session.start(tmp_path)
        opened = await session.open(uri, text)
        actions = await session.actions(uri, 2, opened)
        fix = next(a for a in actions if a.title.startswith("Fix T001"))
        (edit,) = fix.edit.changes[uri]
        lines = text.split("\n")
        line = lines[edit.range.start.line]
        units = line.encode("utf-16-le")
        start, end = edit.range.start.character * 2, edit.range.end.character * 2
        lines[edit.range.start.line] = (units[:start] + edit.new_text.encode("utf-16-le") + units[end:]).decode(
            "utf-16-le"
        )
        fixed = "\n".join(lines)
        after = await session.change(uri, fixed)
        await session.stop()
        return {"opened": opened, "actions": actions, "edit": edit, "fixed": fixed, "after": after}

    got = run(scenario())
    assert sorted(d.code for d in got["opened"]) == ["S002", "T001"]
    titles = [a.title for a in got["actions"]]
    assert titles[:2] == ["Fix T001 (stray-whitespace)", "Suppress T001 (stray-whitespace) on this line"]
    assert "Fix all safely fixable lint-news findings (2)" in titles
    edit = got["edit"]
    assert edit.range.start.line == edit.range.end.line == 2 and edit.new_text == ""
    assert edit.range.end.character - edit.range.start.character == 1  # the space alone
    assert got["fixed"] == text.replace('robots "', 'robots"')
    assert [d.code for d in got["after"]] == ["S002"]


def _applied(text: str, edits: List[types.TextEdit]) -> str:
    """Edits applied as an editor would: ranges of the original text in UTF-16 units, lines
    split at CR, LF and CRLF, applied from the last one."""
    lines = [m.group() for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line.encode("utf-16-le")))
    units = text.encode("utf-16-le")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = starts[edit.range.start.line] + 2 * edit.range.start.character
        end = starts[edit.range.end.line] + 2 * edit.range.end.character
        units = units[:start] + edit.new_text.encode("utf-16-le") + units[end:]
    return units.decode("utf-16-le")


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_quick_fix_edits_never_carry_a_secured_line(ending: str) -> None:
    """Fixes before and after `secured` (and, CR-only, every line break): each edit holds
    only what changed, so none holds the value, and together they make the fixed file."""
    secret = FIXED.split('secured: "', 1)[1].split('"', 1)[0]
    text = FIXED.replace("---\n", "---  \n", 1).replace("  name: Old Gazette", "  name: No")
    text = text.replace("\n---\n", "\n--- \n").replace("\n", ending)
    outcome = fix_bytes(Linter(), "_news/2024-02-28-robots.md", text.encode("utf-8"), unsafe=True)
    fixed = outcome.data.decode("utf-8")
    assert len(outcome.fixed) >= 3 and secret in fixed
    edits = minimal_edits(TextDocument("file:///a.md", text), fixed)
    assert len(edits) >= 3 and not any(secret in edit.new_text for edit in edits)
    assert all(len(edit.new_text) < 20 for edit in edits)
    assert _applied(text, edits) == fixed

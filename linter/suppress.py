"""Inline suppressions: ``# lint-news: ignore[CODES]`` on a line, ``ignore-file[CODES]``
anywhere in the frontmatter, and the N001 report of comments that silence nothing."""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Set, Tuple

from linter import registry
from linter.model import Finding
from linter.parse.scalars import file_position
from linter.settings import Settings

_SUPPRESSION = re.compile(r"#\s*lint-news:\s*(ignore-file|ignore)\b(?:\[([A-Za-z0-9,\s]*)\])?")
#: Trouble with the tool or the path, not findings about the file: no selection, ignore or
#: inline comment hides them, or a run would exit 2 without saying why.
TOOL_FAILURES = frozenset({"E010", "E012"})
#: File line -> (kind, codes, column) of each suppression comment ("" codes means all).
Comments = Dict[int, Tuple[str, Tuple[str, ...], int]]


def suppress(path: str, findings: List[Finding], yaml_text: str, settings: Settings) -> List[Finding]:
    """Apply ``# lint-news: ignore[CODES]`` (its line) and ``ignore-file[CODES]`` comments."""
    if "lint-news:" not in yaml_text:
        return findings
    comments = _comments(yaml_text)
    used: Set[Tuple[int, str]] = set()
    kept = []
    for finding in findings:
        match = None if finding.code in TOOL_FAILURES else _matching_comment(comments, finding)
        if match is None:
            kept.append(finding)
        else:
            used.add(match)
    if settings.report_unused_suppressions and settings.enabled("N001", path):
        kept.extend(_unused(comments, used, path))
    return sorted(kept)


def _comments(yaml_text: str) -> Comments:
    """File line -> (kind, codes, column) of each suppression comment ("" codes means all)."""
    found = {}
    for index, line in enumerate(yaml_text.split("\n")):
        match = _SUPPRESSION.search(line)
        if match:
            codes = tuple(c.strip().upper() for c in (match.group(2) or "").split(",") if c.strip())
            found[file_position(index, 0)[0]] = (match.group(1), codes, match.start() + 1)
    return found


def _matching_comment(comments: Comments, finding: Finding) -> Optional[Tuple[int, str]]:
    for line, (kind, codes, _col) in comments.items():
        if kind == "ignore" and line != finding.line:
            continue
        for code in codes or ("",):
            if finding.code.startswith(code):
                return line, code
    return None


def _unused(comments: Comments, used: Set[Tuple[int, str]], path: str) -> List[Finding]:
    info = registry.RULES["N001"]
    out = []
    for line, (_kind, codes, col) in sorted(comments.items()):
        for code in codes or ("",):
            if (line, code) not in used:
                what = f"'{code}'" if code else "everything"
                message = f"suppression of {what} matches no finding"
                out.append(Finding(path, line, col, "N001", message, info.severity, info.name))
    return out

"""Inline suppressions: ``# lint-news: ignore[CODES]`` on a line, ``ignore-file[CODES]``
anywhere in the frontmatter, and the comments that silence nothing (the engine reports
them as N001, like every other finding)."""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Set, Tuple

from linter import registry
from linter.model import Finding
from linter.parse.scalars import file_position

_SUPPRESSION = re.compile(r"#\s*lint-news:\s*(ignore-file|ignore)\b(?:\[([A-Za-z0-9,\s]*)\])?")
#: File line -> (kind, codes, column) of each suppression comment ("" codes means all).
Comments = Dict[int, Tuple[str, Tuple[str, ...], int]]
#: A comment's code that silenced nothing: line, column, message.
Unused = Tuple[int, int, str]


def suppress(findings: List[Finding], yaml_text: str) -> Tuple[List[Finding], List[Unused]]:
    """Apply ``# lint-news: ignore[CODES]`` (its line) and ``ignore-file[CODES]`` comments:
    the findings they leave, and what in them silenced nothing."""
    comments = _comments(yaml_text)
    used: Set[Tuple[int, str]] = set()
    kept = []
    for finding in findings:
        silenceable = registry.RULES[finding.code].silenceable
        match = _matching_comment(comments, finding) if silenceable else None
        if match is None:
            kept.append(finding)
        else:
            used.add(match)
    return kept, _unused(comments, used)


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


def _unused(comments: Comments, used: Set[Tuple[int, str]]) -> List[Unused]:
    out = []
    for line, (_kind, codes, col) in sorted(comments.items()):
        for code in codes or ("",):
            if (line, code) not in used:
                what = f"'{code}'" if code else "everything"
                out.append((line, col, f"suppression of {what} matches no finding"))
    return out

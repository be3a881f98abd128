"""The lines of a checked file as --show-source may print them: every ``secured`` value hidden.

What is hidden is decided from the parsed document, never from how a line looks: the
parser records the source span of every node that is, or lies inside, a secured value
(whatever the key's spelling, in flow or block style, through anchors and aliases), and
those spans are blanked here. A file whose frontmatter did not parse shows nothing past
the point where the parser stopped understanding it, and a file that is not an article
(no frontmatter, not UTF-8) shows nothing at all.
"""

from __future__ import annotations

from linter.parse import frontmatter, parse
from linter.parse.types import END_OF_LINE, Limits, Parsed
from linter.redact import Secrets
from linter.values import SECRET_KEY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Tuple

    from linter.model import DataPath
    from linter.parse.types import Span

HIDDEN = "(value hidden)"
_NOT_SHOWN = " (not shown: the frontmatter could not be read past this point)"


def secret_spans(parsed: Parsed) -> List[Span]:
    """Where secured values are written. The block reader leaves this to here: its subset
    has no anchors, aliases, flow collections or multi-line scalars, so a secured value is
    the subtree under a plain ``secured`` key, from its value's mark to the end of the
    last line holding a node of it."""
    if parsed.secret_spans is not None:
        return parsed.secret_spans
    extent: Dict[DataPath, Tuple[int, int, int]] = {}  # secured node -> start line, col, last line
    for path, mark in parsed.marks.items():
        root = _secret_root(path)
        if root is None:
            continue
        start = parsed.marks[root]
        first, col, last = extent.get(root, (start[2], start[3], start[2]))
        extent[root] = (first, col, max(last, mark[2]))
    return [(first, col, last, END_OF_LINE) for first, col, last in extent.values()]


def _secret_root(path: DataPath) -> Optional[DataPath]:
    for index, part in enumerate(path):
        if part == SECRET_KEY and isinstance(part, str):
            return path[: index + 1]
    return None


def visible_lines(data: bytes, limits: Limits) -> List[Optional[str]]:
    """The file's lines up to its closing fence, secured values hidden; None for a line that
    must not be shown at all. Empty for a file that is not an article."""
    text = frontmatter.decode(data)
    if isinstance(text, frontmatter.Problem):
        return []
    block = frontmatter.split(text)
    if isinstance(block, frontmatter.Problem):
        return []
    lines: List[Optional[str]] = list(frontmatter.split_lines(text)[: block.close_line])
    parsed = parse(block.yaml_text, limits)
    offset = block.first_line - 1  # list index of YAML line 0
    if parsed.known_until is not None:  # first: the columns it cuts at are the written ones
        _cut(lines, offset, parsed.known_until, block.close_line - 1)
    for line, start, end in _merged(secret_spans(parsed)):
        _blank(lines, offset + line, start, end)
    return _copies_hidden(lines, parsed)


def _copies_hidden(lines: List[Optional[str]], parsed: Parsed) -> List[Optional[str]]:
    """The lines with every copy of a secured text written elsewhere (a title or URL that
    repeats it) hidden as findings' messages hide it: the spans above are only where the
    secured value itself is written."""
    secrets = Secrets.of(parsed.data, parsed.raw, parsed.text)
    if not secrets:
        return lines
    return [line if line is None else secrets.hide(line) for line in lines]


def _merged(spans: List[Span]) -> List[Tuple[int, int, int]]:
    """(line, start col, end col) pieces of the spans, overlaps joined, so each line is
    rewritten once per piece however many nested or repeated spans cover it."""
    pieces: Dict[int, List[Tuple[int, int]]] = {}
    covered_to: Tuple[int, int] = (-1, -1)
    for first, col, last, end in sorted(spans):
        if (last, end) <= covered_to:
            continue  # inside a span already taken
        if (first, col) < covered_to:
            first, col = covered_to
        covered_to = (last, end)
        for line in range(first, last + 1):
            start = col if line == first else 0
            stop = end if line == last else END_OF_LINE
            pieces.setdefault(line, []).append((start, stop))
    return [(line, start, stop) for line, parts in pieces.items() for start, stop in _join(parts)]


def _join(parts: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    joined: List[Tuple[int, int]] = []
    for start, stop in sorted(parts):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(stop, joined[-1][1]))
        else:
            joined.append((start, stop))
    return joined[::-1]  # right to left: earlier columns stay valid while rewriting


def _blank(lines: List[Optional[str]], index: int, start: int, stop: int) -> None:
    if not 0 <= index < len(lines):
        return
    line = lines[index]
    if line is None:
        return
    if start == 0:
        start = len(line) - len(line.lstrip())  # keep a continuation line's indentation
    hidden = line[start:stop]
    if hidden.strip():
        lines[index] = line[:start] + HIDDEN + line[stop:]


def _cut(lines: List[Optional[str]], offset: int, until: Tuple[int, int], close_index: int) -> None:
    """Hide everything from ``until`` to the closing fence: nothing there is understood."""
    line, col = until
    first = offset + line
    if 0 <= first < len(lines) and lines[first] is not None:
        kept = lines[first][:col]  # type: ignore[index]
        lines[first] = kept + _NOT_SHOWN if kept.strip() else None
        first += 1
    for index in range(max(first, 0), min(close_index, len(lines))):
        lines[index] = None

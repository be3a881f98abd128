"""Inline suppressions: ``# lint-news: ignore[CODES]`` on a line, ``ignore-file[CODES]``
anywhere in the frontmatter, and the comments that silence nothing (the engine reports
them as N001, like every other finding).

The engine asks before it keeps one finding per cause (``linter.fold``), so a comment
silences a finding exactly as ``--ignore`` does: what that finding would have replaced is
reported instead. A comment that silences a finding is used, whether or not a more specific
finding would have taken that finding's place.
"""

from __future__ import annotations

from linter import registry
from linter.parse.types import file_position
from linter.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Set, Tuple

_SUPPRESSION = lazy(r"#\s*lint-news:\s*(ignore-file|ignore)\b(?:\[([A-Za-z0-9,\s]*)\])?")
if TYPE_CHECKING:
    #: File line -> (kind, codes, column) of each suppression comment ("" codes means all).
    Comments = Dict[int, Tuple[str, Tuple[str, ...], int]]
if TYPE_CHECKING:
    #: A comment's code that silenced nothing: line, column, message.
    Unused = Tuple[int, int, str]


def may_hold_any(yaml_text: str) -> bool:
    """Whether the text may hold a suppression comment: it names ``lint-news:`` after a
    ``#``. Most articles have no ``#`` at all, which one ``memchr`` tells, where the word
    is searched for through the whole text."""
    return "#" in yaml_text and "lint-news:" in yaml_text


class Suppressions:
    """The suppression comments of one file, and which of them silenced something."""

    def __init__(self, yaml_text: str) -> None:
        self.comments = _comments(yaml_text)
        self._index = _Index(self.comments)
        self._used: Set[Tuple[int, str]] = set()

    def silences(self, code: str, line: int) -> bool:
        """Whether a comment silences ``code`` reported on file line ``line`` (the caller
        asks only for codes that can be silenced)."""
        match = self._index.match(code, line)
        if match is None:
            return False
        self._used.add(match)
        return True

    def unused(self) -> List[Unused]:
        """What in the comments silenced nothing, in file order."""
        return _unused(self.comments, self._used)


def silenced_lines(yaml_text: str, code: str, lines: Sequence[int]) -> List[int]:
    """The lines among ``lines`` where a comment of the file silences ``code``: for the
    archive codes, found after the file's own check (``linter.archive``)."""
    index = _Index(_comments(yaml_text))
    return [line for line in lines if index.match(code, line) is not None]


def _comments(yaml_text: str) -> Comments:
    """File line -> (kind, codes, column) of each suppression comment ("" codes means all)."""
    found = {}
    for index, line in enumerate(yaml_text.split("\n")):
        if "lint-news:" not in line:
            continue
        match = _SUPPRESSION.search(line)
        if match:
            codes = tuple(c.strip().upper() for c in (match.group(2) or "").split(",") if c.strip())
            found[file_position(index, 0)[0]] = (match.group(1), codes, match.start() + 1)
    return found


class _Index:
    """Which comment silences a finding, found by lookups instead of a scan of every comment
    (a file may hold 100,000 of them): the comment on the finding's line, and for each code
    prefix the first ``ignore-file`` comment naming it. As a scan in line order would, the
    earliest line wins, and within one comment its first matching code."""

    def __init__(self, comments: Comments) -> None:
        self.by_line: Dict[int, Dict[str, _Hit]] = {}
        self.whole_file: Dict[str, _Hit] = {}
        for line, (kind, codes, _col) in sorted(comments.items()):
            first: Dict[str, _Hit] = {}
            for position, code in enumerate(codes or ("",)):
                first.setdefault(code, (line, position, code))
            if kind == "ignore":
                self.by_line[line] = first
            else:
                for code, hit in first.items():
                    self.whole_file.setdefault(code, hit)

    def match(self, code: str, line: int) -> Optional[Tuple[int, str]]:
        prefixes = [code[:length] for length in range(len(code) + 1)]
        on_line = self.by_line.get(line, {})
        hits = [hit for table in (self.whole_file, on_line) for hit in map(table.get, prefixes) if hit is not None]
        if not hits:
            return None
        line, _position, code = min(hits)
        return line, code


if TYPE_CHECKING:
    #: (line, position of the code in its comment, code)
    _Hit = Tuple[int, int, str]


def _unused(comments: Comments, used: Set[Tuple[int, str]]) -> List[Unused]:
    out = []
    for line, (_kind, codes, col) in sorted(comments.items()):
        for code in codes or ("",):
            # Whether a comment naming an archive code is used depends on the other files
            # of the archive, not on this one: never reported unused.
            if (line, code) not in used and not (code and code.startswith(registry.ARCHIVE)):
                what = f"'{code}'" if code else "everything"
                out.append((line, col, f"suppression of {what} matches no finding"))
    return out

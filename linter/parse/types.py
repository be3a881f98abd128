"""What the YAML layer gives the rest of lint-news: the parsed data and where each node was
written (``Parsed``, ``Mark``, ``Span``), the problems found on the way (``ParseProblem``),
the bounds it parses within (``Limits``), and the one conversion of its positions to file
positions (``file_position``).
"""

from __future__ import annotations

import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, NamedTuple, Optional, Set, Tuple

    from linter.model import DataPath
else:
    from linter.named import NamedTuple

if TYPE_CHECKING:
    #: (key line, key col, value line, value col), 0-based, relative to the YAML text.
    Mark = Tuple[int, int, int, int]
if TYPE_CHECKING:
    #: (start line, start col, end line, end col), 0-based, relative to the YAML text; the end
    #: is exclusive. An end column of ``END_OF_LINE`` reaches the end of its line.
    Span = Tuple[int, int, int, int]
END_OF_LINE = 1 << 30
#: One mark in the compiled reader's columns: four native long longs.
_MARK = struct.Struct("4q")


class Limits(NamedTuple):
    """Bounds that keep hostile documents cheap: nesting depth and expanded node count."""

    max_depth: int = 64
    max_nodes: int = 50_000


class ParseProblem(NamedTuple):
    """A problem found while parsing, at a 0-based position of the YAML text."""

    code: str
    line: int
    col: int
    message: str
    data_path: DataPath = ()
    fatal: bool = False


class Parsed:
    """The plain data of a frontmatter block and where each node was written."""

    __slots__ = (
        "data",
        "_marks",
        "_paths",
        "_positions",
        "raw",
        "jekyll",
        "problems",
        "suppressed",
        "secret_spans",
        "known_until",
        "text",
    )

    def __init__(
        self,
        data: Any = None,
        marks: Optional[Dict[DataPath, Mark]] = None,
        raw: Optional[Dict[DataPath, str]] = None,
        jekyll: Optional[Dict[DataPath, str]] = None,
    ) -> None:
        self.data = data
        self._marks: Optional[Dict[DataPath, Mark]] = {} if marks is None else marks
        #: The marks as the compiled reader gives them, until asked for (``compact``).
        self._paths: List[DataPath] = []
        self._positions = b""
        #: Source text of plain scalars that did not become strings (for messages).
        self.raw: Dict[DataPath, str] = {} if raw is None else raw
        #: Source text of plain scalars that are strings here but not to Jekyll's readers
        #: (``10,000``, ``2024-04-15 10:30:00``, ``yEs``): see ``ruby_readings``.
        self.jekyll: Dict[DataPath, str] = {} if jekyll is None else jekyll
        self.problems: List[ParseProblem] = []
        #: Subtrees already reported at parse level (bad tags, bad keys): later layers skip them.
        self.suppressed: Set[DataPath] = set()
        #: Source spans of every node that is, or is part of, a ``secured`` value (found by
        #: structure: any key spelling, flow or block, through anchors and aliases). None
        #: when the block reader read the text: ``linter.parse.source`` derives them then.
        self.secret_spans: Optional[List[Span]] = None
        #: After a fatal problem: the position up to which the text was understood. What
        #: follows is unknown and may hold a secret.
        self.known_until: Optional[Tuple[int, int]] = None
        #: The YAML text, when the block reader read it: the data is then a tree (no node
        #: shared through an alias) whose every mapping key is a plain word written in the
        #: text as it is, so a key the text does not hold is nowhere (``linter.redact``).
        self.text: Optional[str] = None

    @classmethod
    def compact(
        cls, data: Any, paths: List[DataPath], positions: bytes, raw: Dict[DataPath, str], jekyll: Dict[DataPath, str]
    ) -> Parsed:
        """Parsed data whose marks are two columns: each node's path, in the order read, and
        its four numbers as native ``long long`` (``q``) in ``positions`` (the compiled reader's).
        The dictionary is made when first asked for: a file without findings asks only
        for a few marks (``mark``), and a tuple and an entry for each node cost more than
        the rest of reading it."""
        parsed = cls(data, None, raw, jekyll)
        parsed._marks, parsed._paths, parsed._positions = None, paths, positions
        return parsed

    @property
    def marks(self) -> Dict[DataPath, Mark]:
        """Where each node was written, by data path."""
        if self._marks is None:
            self._marks = dict(zip(self._paths, _MARK.iter_unpack(self._positions)))
            self._paths, self._positions = [], b""
        return self._marks

    def mark(self, path: DataPath) -> Optional[Mark]:
        """The mark of one path, without making the dictionary of all of them."""
        if self._marks is not None:
            return self._marks.get(path)
        try:
            index = 4 * self._paths.index(path)  # a path is read once: the first is the only one
        except ValueError:
            return None
        kl, kc, vl, vc = _MARK.unpack_from(self._positions, 8 * index)
        return kl, kc, vl, vc

    def __repr__(self) -> str:
        return f"Parsed(data={self.data!r}, marks={self.marks!r}, raw={self.raw!r}, problems={self.problems!r})"

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)


def file_position(line: int, col: int) -> Tuple[int, int]:
    """The one conversion from a 0-based YAML mark to a 1-based file position.

    The YAML text starts on file line 2, right after the opening ``---``; line endings were
    normalised to LF before parsing, so CRLF and CR files count lines the same way.
    """
    return line + 2, col + 1

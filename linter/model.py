"""Plain value types shared by every layer: findings, rule metadata, severities."""

from __future__ import annotations

import enum
from typing import Any, NamedTuple, Tuple, Union

#: A path into the article data: mapping keys (str) and list indexes (int).
DataPath = Tuple[Union[str, int], ...]


class Severity(str, enum.Enum):
    """How serious a finding is. Errors fail a run; warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"


class RuleInfo(NamedTuple):
    """What a user sees of a rule: its stable code, name, default severity and doc."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str = ""


class Finding(NamedTuple):
    """One diagnostic, positioned in the file (1-based line and column).

    ``data_path`` locates the offending node in the frontmatter data (empty for file-level
    findings); baselines match on it, so it survives edits that shift lines.
    Ordering (path, line, col, code) is the output order.

    (Records here are NamedTuples rather than dataclasses: importing ``dataclasses`` pulls
    in ``inspect``, ``ast`` and ``dis``, a tenth of a one-file run's start-up.)
    """

    path: str
    line: int
    col: int
    code: str
    message: str = ""
    severity: Severity = Severity.ERROR
    name: str = ""
    data_path: DataPath = ()
    hint: str = ""

    def __lt__(self, other: Tuple[Any, ...]) -> bool:
        key: Tuple[Any, ...] = self[:4]
        return key < other[:4]

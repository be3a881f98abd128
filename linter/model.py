"""Plain value types shared by every layer: findings, rule metadata, severities."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Tuple, Union

#: A path into the article data: mapping keys (str) and list indexes (int).
DataPath = Tuple[Union[str, int], ...]


class Severity(str, enum.Enum):
    """How serious a finding is. Errors fail a run; warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class RuleInfo:
    """What a user sees of a rule: its stable code, name, default severity and doc."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str = ""


@dataclass(frozen=True, order=True)
class Finding:
    """One diagnostic, positioned in the file (1-based line and column).

    ``data_path`` locates the offending node in the frontmatter data (empty for file-level
    findings); baselines match on it, so it survives edits that shift lines.
    Ordering (path, line, col, code) is the output order.
    """

    path: str
    line: int
    col: int
    code: str
    message: str = field(compare=False)
    severity: Severity = field(default=Severity.ERROR, compare=False)
    name: str = field(default="", compare=False)
    data_path: DataPath = field(default=(), compare=False)
    hint: str = field(default="", compare=False)

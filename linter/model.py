"""Plain value types shared by every layer: findings, rule metadata, severities, tiers."""

from __future__ import annotations

import enum

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple, Optional, Tuple, Union
else:
    from linter.named import NamedTuple

if TYPE_CHECKING:
    #: A path into the article data: mapping keys (str) and list indexes (int).
    DataPath = Tuple[Union[str, int], ...]


class Severity(str, enum.Enum):
    """How serious a finding is. Errors fail a run; warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"


class Tier(enum.IntEnum):
    """Which findings win on one node ("one mistake, one diagnostic"): the lowest tier's."""

    PARSE = 0  # the file or its YAML: nothing inside a node it reports is checked further
    TYPE = 10  # a wrong type: '-.inf' is not also "below the minimum"
    SCHEMA = 20
    RULE = 30
    HINT = 40  # format and YAML 1.1 style hints: only where nothing else is said


class RuleInfo(NamedTuple):
    """Every fact about one code; ``linter.registry`` documents each field and holds them all."""

    code: str
    name: str
    severity: Severity
    summary: str
    #: The documentation as written in the source, indented; ``doc`` is the cleaned text.
    docstring: str = ""
    tier: Tier = Tier.RULE
    on_key: bool = False  # the parse layer reports it at the key, not the value
    silenceable: bool = True  # False: no selection, ignore or comment hides it
    fixable: Optional[str] = None  # None, "safe" or "unsafe"
    keywords: Tuple[str, ...] = ()  # JSON Schema validator keywords reported as this code
    area: str = ""  # set by the registry from the code's family

    @property
    def doc(self) -> str:
        """The user-facing documentation (Why, Example, Fix), as ``inspect.cleandoc`` cleans
        a docstring. Cleaned on use: a run over articles never reads it, and cleaning every
        code's text at start-up cost more than the rest of the registry."""
        return cleandoc(self.docstring)


class Related(NamedTuple):
    """Another place a finding is about (A001: the older article with the same URL)."""

    path: str
    line: int
    col: int
    message: str = ""


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
    #: "safe" or "unsafe" when ``lint-news --fix`` (with ``--unsafe-fixes``) can repair it.
    fix: str = ""
    #: Other places the finding concerns, in other files (archive findings: the original).
    related: Tuple[Related, ...] = ()

    def __lt__(self, other: Tuple[Any, ...]) -> bool:
        key: Tuple[Any, ...] = self[:4]
        return key < other[:4]

    @property
    def column(self) -> int:
        """The 1-based column (``col``), under the name the Python API documents."""
        return self.col

    @property
    def fixable(self) -> Optional[str]:
        """``"safe"`` or ``"unsafe"`` when ``lint-news --fix`` can repair this finding
        (``--unsafe-fixes`` for the second), else None: the code must be fixable and this
        occurrence repairable exactly (a one-line value, a file without YAML problems)."""
        return self.fix or None


def shown_path(path: str) -> str:
    """A path as every report shows it: a byte of the name that is not UTF-8 (kept by Python
    as a lone surrogate) written ``\\xNN``, so every format stays valid UTF-8 text."""
    if path.isascii():
        return path
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in path)


def cleandoc(doc: str) -> str:
    """``inspect.cleandoc``: the first line stripped, the rest dedented, blank ends dropped
    (written out: ``inspect`` costs more to import than all the rules together)."""
    lines = doc.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents, default=0)
    lines = [lines[0].lstrip()] + [line[margin:] for line in lines[1:]]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def summary_line(docstring: str) -> str:
    """The first line of a docstring as ``cleandoc`` leaves it, without cleaning the rest."""
    return docstring.strip().split("\n", 1)[0]


class SchemaHit(NamedTuple):
    """A schema violation (``linter.validate.schema``): where, which code, what; ``on_key``
    points at the key. ``subject`` is the data path of the field the hit is about when it is reported
    elsewhere: the missing field (S001), the field a typo was meant to be (S003); the
    engine folds the two into one finding when they name the same (``linter.fold``)."""

    code: str
    path: DataPath
    message: str
    on_key: bool = False
    hint: str = ""
    subject: DataPath = ()

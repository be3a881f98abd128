"""Baselines: record today's findings, then fail only on new ones.

A finding matches a recorded one on file, code and data path (the message stands in for
file-level findings, which have no data path), never on line numbers, so edits that shift
lines do not turn old findings into new ones. Matching counts: two recorded findings
excuse two, not three.
"""

from __future__ import annotations

import os
from collections import Counter

from linter.files import MAX_BASELINE_BYTES, read_bounded
from linter.model import Finding, shown_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Iterator, List, Tuple

VERSION = 1
if TYPE_CHECKING:
    Key = Tuple[str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read or is not one."""


def _relative(path: str, base: str) -> str:
    if path == "-":
        return path
    try:
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return os.path.abspath(path).replace(os.sep, "/")


def _key(finding: Finding, base: str) -> Key:
    import json

    where = json.dumps(list(finding.data_path)) if finding.data_path else finding.message
    return (shown_path(_relative(finding.path, base)), finding.code, where)


def dumps(findings: Iterable[Finding], baseline_path: str) -> str:
    import json  # here, as in every function that needs it: a run without a baseline does not

    base = os.path.dirname(os.path.abspath(baseline_path))
    rows = [{"path": p, "code": c, "where": w} for p, c, w in sorted(_key(f, base) for f in findings)]
    return json.dumps({"version": VERSION, "tool": "lint-news", "findings": rows}, indent=1, ensure_ascii=False) + "\n"


def load(baseline_path: str) -> Counter[Key]:
    """The recorded findings; a file that is not a baseline, or not a regular file of a
    sane size (a FIFO, ``/dev/zero``), or JSON nested past the recursion limit, is a
    BaselineError, never a hang or a traceback."""
    if not os.path.lexists(baseline_path):
        raise BaselineError(f"{baseline_path}: baseline file does not exist (write one with --write-baseline)")
    import json

    try:
        data: Any = json.loads(read_bounded(baseline_path, MAX_BASELINE_BYTES).decode("utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"unsupported version {data.get('version')!r}")
        return Counter(_row(row) for row in data["findings"])
    except RecursionError:
        raise BaselineError(f"{baseline_path}: not a lint-news baseline (nested too deeply)") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BaselineError(f"{baseline_path}: not a lint-news baseline ({exc})") from exc


def _row(row: Any) -> Key:
    key = (row["path"], row["code"], row["where"])
    if not all(isinstance(part, str) for part in key):
        raise ValueError("a finding's path, code and where must be strings")
    return key


def new_findings(findings: Iterable[Finding], recorded: Counter[Key], baseline_path: str) -> List[Finding]:
    """Findings not excused by the baseline, in their original order."""
    return list(unexcused(findings, recorded, baseline_path))


def unexcused(findings: Iterable[Finding], recorded: Counter[Key], baseline_path: str) -> Iterator[Finding]:
    """``new_findings`` one at a time (a run's findings are not all held as objects)."""
    base = os.path.dirname(os.path.abspath(baseline_path))
    left = Counter(recorded)
    for finding in findings:
        key = _key(finding, base)
        if left[key] > 0:
            left[key] -= 1
        else:
            yield finding

"""``--fix`` and ``--diff`` over the files of a run: which to fix, fixing them, writing them.

Only files whose findings include an applicable fix are read again; each is fixed in
memory (``linter.fix.apply``), then written back (``linter.fix.write``) or turned into a
diff. Nothing here prints: the command line reports what came back.
"""

from __future__ import annotations

import os

from linter.engine import FileResult, Linter
from linter.fix.apply import Outcome, applicable, fix_bytes
from linter.fix.write import Snapshot, read_snapshot, write_fixed
from linter.model import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, List, NamedTuple, Optional, Sequence

    from linter.fix.apply import Choose
else:
    from linter.named import NamedTuple


class FileFix(NamedTuple):
    """What fixing one file did: its bytes before, the outcome, and why it was not written
    ("" when it was, or when there was nothing to write)."""

    path: str
    before: bytes
    outcome: Optional[Outcome]
    problem: str = ""

    @property
    def changed(self) -> bool:
        return self.outcome is not None and not self.problem and self.outcome.data != self.before


def wants_fix(findings: Sequence[Finding], unsafe: bool) -> bool:
    return any(applicable(f, unsafe) for f in findings)


def fix_file(linter: Linter, path: str, root: str, unsafe: bool, write: bool, choose: Choose = list) -> FileFix:
    """Fix one file found under ``root`` (the path named on the command line)."""
    snapshot = read_snapshot(path, root, linter.settings.max_file_size)
    if not isinstance(snapshot, Snapshot):
        return FileFix(path, b"", None, f"not fixed: {snapshot}")
    outcome = fix_bytes(linter, path, snapshot.data, unsafe, choose)
    if not write or outcome.data == snapshot.data:
        return FileFix(path, snapshot.data, outcome)
    try:
        problem = write_fixed(path, snapshot, outcome.data)
    except OSError as exc:
        problem = f"cannot write it: {exc.strerror or exc}"
    return FileFix(path, snapshot.data, outcome, f"not written: {problem}" if problem else "")


def fix_stdin(linter: Linter, name: str, data: bytes, unsafe: bool, choose: Choose = list) -> FileFix:
    """Standard input fixed in memory (``--fix -``): nothing is written."""
    return FileFix(name, data, fix_bytes(linter, name, data, unsafe, choose))


def root_of(path: str, roots: Sequence[str]) -> str:
    """The command-line path a walked file came from."""
    for root in roots:
        if path == root or path.startswith(os.path.join(root, "")):
            return root
    return path


def fix_results(
    results: List[FileResult],
    linter: Linter,
    roots: Sequence[str],
    unsafe: bool,
    write: bool,
    choose_for: Callable[[str], Choose],
) -> List[FileFix]:
    """Fix every file whose results hold an applicable fix (after ``choose_for(path)``)."""
    done = []
    for result in results:
        choose = choose_for(result.path)
        if not result.failed and wants_fix(choose(result.findings), unsafe):
            done.append(fix_file(linter, result.path, root_of(result.path, roots), unsafe, write, choose))
    return done

"""Applying fixes to a file's bytes, verified: the fixed text is parsed again in memory
and kept only when its data equals the original's with exactly the intended changes and
no finding was added. Rounds repeat until nothing is left to fix (a repair can make
another possible), so a second ``--fix`` finds nothing to do.
"""

from __future__ import annotations

import bisect
import copy
from collections import Counter

from linter.fix.codes import SAFE, UNSAFE
from linter.fix.fixers import DELETE, SET, Edit, Fix, fixable_state, fixes_for, merged
from linter.model import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, NamedTuple, Sequence, Set, Tuple

    from linter.engine import Examined, FileResult, Linter
    from linter.model import DataPath
else:
    from linter.named import NamedTuple

#: A repair can enable another (an encoded ampWebUrl gives another AMP Cache URL); more
#: rounds than this means fixes undo each other, and the file is left as the last round made it.
_ROUNDS = 4
if TYPE_CHECKING:
    Choose = Callable[[List[Finding]], List[Finding]]


class Outcome(NamedTuple):
    """The fixed bytes (the original when nothing was fixed), the findings they still
    have, the findings repaired, notes on fixes that were not made, and the byte ranges of
    the secured fields' lines before and after (for a diff that must not print them;
    empty when nothing was fixed)."""

    data: bytes
    result: FileResult
    fixed: List[Finding]
    notes: List[str]
    secrets: Tuple[List[Tuple[int, int]], List[Tuple[int, int]]] = ([], [])


def applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix == SAFE or (unsafe and finding.fix == UNSAFE)


def fix_bytes(linter: Linter, path: str, data: bytes, unsafe: bool, choose: Choose = list) -> Outcome:
    """Fix what can be fixed in ``data``; ``choose`` keeps the findings the user sees (a
    baseline drops the rest), so only those are repaired."""
    examined = first = linter.examine(path, data)
    fixed: List[Finding] = []
    refused: Dict[Fix, Finding] = {}
    for _ in range(_ROUNDS):
        state = fixable_state(examined)
        wanted = [f for f in choose(examined.result.findings) if applicable(f, unsafe)]
        if state is None or not wanted:
            break
        fixes = [fix for fix in fixes_for(wanted, state).values() if fix not in refused]
        done = _round(linter, path, examined, _disjoint(fixes), refused)
        if done is None:
            break
        examined, repaired = done
        made = {(fix.code, fix.path) for fix in repaired}  # a set: thousands of fixes in one file
        fixed.extend(f for f in wanted if (f.code, f.data_path) in made)
    if not fixed:  # exactly the bytes given
        return Outcome(data, examined.result, fixed, _notes(path, refused, examined.result.findings))
    secrets = (_secret_ranges(first), _secret_ranges(examined))
    return Outcome(examined.data, examined.result, fixed, _notes(path, refused, examined.result.findings), secrets)


def _secret_ranges(examined: Examined) -> List[Tuple[int, int]]:
    """What a diff of the file must not print: the secret fields' lines, and the lines (at
    LF, as a diff splits them) holding a copy of a secured text written elsewhere, as a
    title or URL can repeat it (the report hides such a copy: ``Secrets.hide``). A file
    that was fixed was fixable before and verified after: it has a State."""
    state = fixable_state(examined)
    assert state is not None
    return merged(state.secret_ranges() + _copy_lines(examined))


def _copy_lines(examined: Examined) -> List[Tuple[int, int]]:
    from linter.redact import Secrets

    parsed = examined.parsed
    assert parsed is not None
    secrets = Secrets.of(parsed.data, parsed.raw, parsed.text)
    if not secrets:
        return []
    ranges, offset = [], 0
    for line in examined.data.split(b"\n"):
        text = line.decode("utf-8", "replace")
        if secrets.hide(text) != text:
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    return ranges


def _notes(path: str, refused: Dict[Fix, Finding], remaining: List[Finding]) -> List[str]:
    """A note for each fix that was refused and whose finding remains."""
    left = {(f.code, f.data_path) for f in remaining}
    notes = {
        f"{path}:{finding.line}:{finding.col}: {fix.code} not fixed: the repaired file did not verify"
        for fix, finding in refused.items()
        if (fix.code, fix.path) in left
    }
    return sorted(notes)


def _round(linter: Linter, path: str, before: Examined, fixes: List[Fix], refused: Dict[Fix, Finding]) -> Any:
    """Apply ``fixes`` together; when the result does not verify, those that verify alone.
    Returns (the new file, the fixes applied), or None when none could be."""
    if not fixes:
        return None
    after = linter.examine(path, apply_edits(before.data, [e for fix in fixes for e in fix.edits]))
    if verified(before, after, fixes):
        return after, fixes
    good = [fix for fix in fixes if verified(before, linter.examine(path, apply_edits(before.data, fix.edits)), [fix])]
    for fix in fixes:
        if fix not in good:
            refused[fix] = _finding_of(before, fix)
    if not good:
        return None
    return _round(linter, path, before, good[:1] if len(good) == len(fixes) else good, refused)


def _finding_of(examined: Examined, fix: Fix) -> Finding:
    return next(f for f in examined.result.findings if f.code == fix.code and f.data_path == fix.path)


#: Fixes that edit all over the file (every bare CR, the BOM): they come after the value
#: fixes whose edits they touch, so that values fixed together (originalUrl and webUrl)
#: are not split up by them; the next round makes them.
WHOLE_FILE = frozenset({"E014", "E015"})


def _disjoint(fixes: List[Fix]) -> List[Fix]:
    """Fixes whose edits do not overlap or touch, first come first kept (whole-file fixes
    last); one per target. The kept edits' spans stay sorted, so a fix is checked in
    log time per edit (an E015 fix has an edit per line of the file)."""
    kept: List[Fix] = []
    spans: List[Tuple[int, int]] = []
    targets: Set[DataPath] = set()
    for fix in sorted(fixes, key=lambda f: (f.code in WHOLE_FILE, min(e.start for e in f.edits))):
        mine = sorted((e.start, e.end) for e in fix.edits)
        if fix.target in targets or any(_clashes(spans, start, end) for start, end in mine):
            continue
        if fix.target:
            targets.add(fix.target)
        kept.append(fix)
        if len(mine) == 1:
            bisect.insort(spans, mine[0])
        else:
            spans = sorted(spans + mine)  # two sorted runs: merged in linear time
    return kept


def _clashes(spans: List[Tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps or touches one of ``spans`` (sorted, none overlapping
    another, so their ends are sorted too: the last one starting at or before ``end`` is
    the only one to check)."""
    at = bisect.bisect_right(spans, (end, float("inf")))
    return at > 0 and spans[at - 1][1] >= start


def apply_edits(data: bytes, edits: Sequence[Edit]) -> bytes:
    """``data`` with non-overlapping edits applied (from the end, so offsets stay true)."""
    out = data
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        out = out[: edit.start] + edit.content + out[edit.end :]
    return out


def verified(before: Examined, after: Examined, fixes: List[Fix]) -> bool:
    """Whether ``after`` parses to ``before``'s data with exactly the fixes' changes, and
    has no finding that ``before`` lacked while the fixed ones are gone."""
    if after.parsed is None or after.result.failed or fixable_state(after) is None:
        return False
    assert before.parsed is not None
    if not same(after.parsed.data, expected_data(before.parsed.data, fixes)):
        return False
    counts = Counter(f.code for f in before.result.findings)
    counts.subtract(fix.code for fix in fixes)
    now = Counter(f.code for f in after.result.findings)
    if any(now[code] > max(counts[code], 0) for code in now):
        return False
    changed = {(fix.code, fix.target) for fix in fixes if fix.op == SET}
    return not any((f.code, f.data_path) in changed for f in after.result.findings)


def expected_data(data: Any, fixes: List[Fix]) -> Any:
    """The original data with the fixes' changes made (deletions from the last index)."""
    out = copy.deepcopy(data)
    for fix in fixes:
        if fix.op == SET:
            _parent(out, fix.target)[fix.target[-1]] = fix.value
    for fix in sorted((f for f in fixes if f.op == DELETE), key=lambda f: f.target, reverse=True):
        del _parent(out, fix.target)[fix.target[-1]]
    return out


def _parent(data: Any, path: DataPath) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def same(a: Any, b: Any) -> bool:
    """Equal with equal types all the way down (``True == 1`` and ``1 == 1.0`` are not)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b) or (a != a and b != b)  # NaN equals NaN here

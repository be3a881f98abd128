"""Unified diffs of fixed files, as bytes, that ``git apply`` and ``patch -p1`` accept,
with no line holding a byte of a ``secured`` value.

Lines are split at LF only, as both tools split them, so CRLF lines keep their CR inside
the line and a CR-only file is one long line; a last line without a line break gets the
``\\ No newline at end of file`` marker.

The hunks are built here from difflib's opcodes, not by ``difflib.unified_diff``, because
context is chosen line by line: a line holding secret bytes (the lines of a secured field,
as the fixer's ``State.secret_ranges`` gives them, before and after the fix) is never
printed. A change whose own lines hold such bytes (a CR-only file is one line holding
everything), or that has no printable line after it and is not at the end of the file, is
left out and named in ``Diff.withheld``; the other hunks describe the file with only them
applied, so the patch still applies. The rules both tools apply:

- ``git apply`` matches a hunk without trailing context only at the end of the file, and
  one whose old start is line 1 (or 0) only at the beginning.
- GNU ``patch`` applies a hunk at the place its header names whatever its context (2.7.6,
  as the tests run it); where it has to search (the file changed since), it takes fewer
  leading than trailing context lines to mean the start of the file (fewer trailing, the
  end) unless it fuzzes. So where a secret cuts one side short, the other is cut to the
  same length (to one line when the short side is empty: git needs trailing context).
"""

from __future__ import annotations

import bisect
import difflib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, NamedTuple, Sequence, Tuple
else:
    from linter.named import NamedTuple

_NO_NEWLINE = b"\\ No newline at end of file\n"
_CONTEXT = 3
if TYPE_CHECKING:
    Ranges = Sequence[Tuple[int, int]]

HOLDS_SECRET = "a changed line holds the secured value"
NO_CONTEXT = "the line after it holds the secured value"


class Withheld(NamedTuple):
    """A change left out of the diff: old lines ``first:stop`` (0-based, ``first == stop``
    for lines added before ``first``) and why."""

    first: int
    stop: int
    reason: str

    def where(self) -> str:
        if self.first == self.stop:
            return f"lines added before line {self.first + 1}"
        if self.stop == self.first + 1:
            return f"line {self.first + 1}"
        return f"lines {self.first + 1}-{self.stop}"


class Diff(NamedTuple):
    text: bytes
    withheld: List[Withheld]


class _Change(NamedTuple):
    old: Tuple[int, int]
    new: Tuple[int, int]


def unified_diff(path: str, old: bytes, new: bytes, secret_old: Ranges = (), secret_new: Ranges = ()) -> Diff:
    """The diff turning ``old`` into ``new`` (``a/`` and ``b/`` prefixes on ``path``),
    printing no line that overlaps a byte range of ``secret_old`` / ``secret_new``."""
    a, b = _lines(old), _lines(new)
    hidden_a, hidden_b = _hidden(a, secret_old), _hidden(b, secret_new)
    matcher = difflib.SequenceMatcher(None, a, b)
    changes = [_Change((i1, i2), (j1, j2)) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    kept, withheld = [], []
    for change in changes:
        reason = _withheld_because(change, len(a), hidden_a, hidden_b)
        if reason:
            withheld.append(Withheld(change.old[0], change.old[1], reason))
        else:
            kept.append(change)
    hunks = [_hunk(group, a, b, hidden_a) for group in _groups(kept, hidden_a)]
    if not hunks:
        return Diff(b"", withheld)
    name = _encoded(_display(path))
    head = b"--- a/" + name + b"\n+++ b/" + name + b"\n"
    return Diff(head + b"".join(_numbered(hunks)), withheld)


def _display(path: str) -> str:
    name = path.replace("\\", "/").lstrip("/")
    return name[2:] if name.startswith("./") else name


def _encoded(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape")


def _lines(data: bytes) -> List[bytes]:
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def _hidden(lines: List[bytes], ranges: Ranges) -> List[bool]:
    """Per line: whether it holds a byte of one of ``ranges`` (sorted, not overlapping)."""
    starts = [start for start, _ in ranges]
    out, offset = [], 0
    for line in lines:
        end = offset + len(line)
        at = bisect.bisect_left(starts, end) - 1  # the last range starting before the line ends
        out.append(at >= 0 and ranges[at][1] > offset and ranges[at][0] < ranges[at][1])
        offset = end
    return out


def _withheld_because(change: _Change, size: int, hidden_a: List[bool], hidden_b: List[bool]) -> str:
    (i1, i2), (j1, j2) = change.old, change.new
    if any(hidden_a[i1:i2]) or any(hidden_b[j1:j2]):
        return HOLDS_SECRET
    if i2 < size and hidden_a[i2]:
        return NO_CONTEXT  # no trailing context: git would apply it only at the end of the file
    if i1 == i2 == size and i1 > 0 and hidden_a[i1 - 1]:
        return NO_CONTEXT  # lines added after the secret at the end: a hunk of nothing to match
    return ""


def _groups(changes: List[_Change], hidden: List[bool]) -> List[List[_Change]]:
    """Changes joined into one hunk where the lines between them are few and all shown."""
    groups: List[List[_Change]] = []
    for change in changes:
        if groups:
            gap = range(groups[-1][-1].old[1], change.old[0])
            if len(gap) <= 2 * _CONTEXT and not any(hidden[i] for i in gap):
                groups[-1].append(change)
                continue
        groups.append([change])
    return groups


class _Hunk(NamedTuple):
    old_start: int
    lines: List[bytes]  # each with its prefix
    old_count: int
    new_count: int


def _hunk(group: List[_Change], a: List[bytes], b: List[bytes], hidden: List[bool]) -> _Hunk:
    first, last = group[0].old[0], group[-1].old[1]
    lead = _shown_run(hidden, range(first - 1, max(first - 1 - _CONTEXT, -1), -1))
    trail = _shown_run(hidden, range(last, min(last + _CONTEXT, len(a))))
    at_start, at_end = first - lead == 0, last + trail == len(a)
    if lead < trail and not at_start:
        trail = max(lead, 1)  # patch takes fewer leading than trailing lines as "at the start"
    elif trail < lead and not at_end:
        lead = trail
    lines = [b" " + line for line in a[first - lead : first]]
    for index, change in enumerate(group):
        if index:
            lines += [b" " + line for line in a[group[index - 1].old[1] : change.old[0]]]
        lines += [b"-" + line for line in a[change.old[0] : change.old[1]]]
        lines += [b"+" + line for line in b[change.new[0] : change.new[1]]]
    lines += [b" " + line for line in a[last : last + trail]]
    old_count = sum(1 for line in lines if line[:1] != b"+")
    new_count = sum(1 for line in lines if line[:1] != b"-")
    return _Hunk(first - lead, lines, old_count, new_count)


def _shown_run(hidden: List[bool], indexes: range) -> int:
    """How many lines of ``indexes``, in order, come before the first hidden one."""
    count = 0
    for index in indexes:
        if hidden[index]:
            break
        count += 1
    return count


def _numbered(hunks: List[_Hunk]) -> List[bytes]:
    """Each hunk's header and lines; new line numbers are those of the file with only
    these hunks applied."""
    out, shift = [], 0
    for hunk in hunks:
        old = _range(hunk.old_start, hunk.old_count)
        new = _range(hunk.old_start + shift, hunk.new_count)
        out.append(f"@@ -{old} +{new} @@\n".encode("ascii"))
        out.extend(_terminated(line) for line in hunk.lines)
        shift += hunk.new_count - hunk.old_count
    return out


def _range(start: int, count: int) -> str:
    """As difflib writes it: 1-based first line, the count unless 1; an empty range is
    numbered by the line before it."""
    if count == 1:
        return str(start + 1)
    return f"{start if count == 0 else start + 1},{count}"


def _terminated(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n" + _NO_NEWLINE

"""One fixer per fixable code: from a finding and the file it is in to the edits that
repair it, or None when this occurrence cannot be repaired exactly.

A fixer says what it changes in the data (``Fix.target``, ``op``, ``value``); the edits
are the bytes that make that change. ``linter.fix.apply`` checks after applying them that
the file now parses to exactly that data, so a fixer that got the bytes wrong is caught
before anything is written.
"""

from __future__ import annotations

import bisect
import re

from linter.fix.codes import applicability
from linter.fix.source import Source, written
from linter.model import Finding
from linter.parse.source import secret_spans
from linter.parse.types import Parsed
from linter.values import is_secret

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

    from linter.engine import Examined
    from linter.model import DataPath
else:
    from linter.named import NamedTuple

SET, DELETE, KEEP = "set", "delete", "keep"
#: A problem the parser reports that makes the data uncertain: no fix is made in such a file.
_TRUSTED_PROBLEMS = frozenset({"Y001", "Y002", "Y003", "Y006"})
_ITEM_PREFIX = re.compile(r"( *)-( +)\Z")


class Edit(NamedTuple):
    """Replace bytes ``start:end`` of the original file with ``content``."""

    start: int
    end: int
    content: bytes


class Fix(NamedTuple):
    """The repair of one finding: its edits, and the data change they make."""

    code: str
    path: DataPath
    applicability: str
    edits: Tuple[Edit, ...]
    target: DataPath
    op: str  # SET a new value, DELETE a list item, or KEEP the data as it is
    value: Any = None


class State:
    """What fixers read: the file's bytes and what the parser made of them."""

    def __init__(self, examined: Examined) -> None:
        assert examined.block is not None and examined.parsed is not None
        self.source = Source(examined.data, examined.block.first_line)
        self.parsed: Parsed = examined.parsed
        self.close_line = examined.block.close_line
        self._secret_ranges: Optional[List[Tuple[int, int]]] = None

    def secret_ranges(self) -> List[Tuple[int, int]]:
        """Byte ranges of the lines of every secret field, sorted and merged, found once:
        the lines of each secret node, and of the spans the parser found holding a secured
        value (an anchored node that ``secured: *a`` joins)."""
        if self._secret_ranges is None:
            lines = [(mark[0], mark[2]) for path, mark in self.parsed.marks.items() if is_secret(path)]
            lines += [(span[0], span[2]) for span in secret_spans(self.parsed)]
            spans = sorted(
                (
                    self.source.line_start(self.source.file_line(first)),
                    self.source.line_end(self.source.file_line(last)),
                )
                for first, last in lines
            )
            self._secret_ranges = merged(spans)
        return self._secret_ranges

    def value(self, path: DataPath) -> Any:
        node: Any = self.parsed.data
        for part in path:
            node = node[part]
        return node


def merged(ranges: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Sorted byte ranges with the ones that touch or overlap joined."""
    out: List[Tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


if TYPE_CHECKING:
    Fixer = Callable[[Finding, State], Optional[Fix]]


def fixable_state(examined: Examined) -> Optional[State]:
    """A State when the file may be fixed at all: it parsed without any problem that
    leaves its data in doubt (syntax, duplicate keys, tags, non-string keys)."""
    parsed = examined.parsed
    if examined.block is None or parsed is None or not isinstance(parsed.data, dict):
        return None
    if any(problem.code not in _TRUSTED_PROBLEMS for problem in parsed.problems):
        return None
    return State(examined)


def fixes_for(findings: List[Finding], state: State) -> Dict[Finding, Fix]:
    """The fix of each finding that has one (a fixer that fails gives none)."""
    found = {}
    for finding in findings:
        fixer = FIXERS.get(finding.code)
        if fixer is None or is_secret(finding.data_path):
            continue
        try:
            fix = fixer(finding, state)
        except (KeyError, IndexError, TypeError, ValueError, UnicodeError):
            fix = None  # the node is not where or what the fixer expects: no fix
        if fix is not None and not _touches_secret(fix, state):
            found[finding] = fix
    return found


def mark_fixable(examined: Examined) -> List[Finding]:
    """The file's findings, each marked with the applicability of its fix when it has one."""
    findings = examined.result.findings
    state = fixable_state(examined)
    if state is None:
        return findings
    fixes = fixes_for(findings, state)
    return [f._replace(fix=fixes[f].applicability) if f in fixes else f for f in findings]


def _touches_secret(fix: Fix, state: State) -> bool:
    """Whether an edit reaches into the lines of a secret field (never touched). Replacing
    the line break at either end of those lines (E015's CR -> LF) leaves them as they are;
    inserting there would not."""
    ranges = state.secret_ranges()
    for edit in fix.edits:
        # the last range starting at or before the edit's end is the only one that can overlap
        at = bisect.bisect_right(ranges, (edit.end, float("inf"))) - 1
        if at < 0:
            continue
        start, end = ranges[at]
        if edit.start <= end if edit.start == edit.end else start < edit.end and edit.start < end:
            return True
    return False


# -- building blocks ---------------------------------------------------------------------------


def _set_text(finding: Finding, state: State, new: str, target: Optional[DataPath] = None) -> Optional[Fix]:
    """Replace the one-line string scalar at ``target`` (the finding's path) with ``new``."""
    path = finding.data_path if target is None else target
    old = state.value(path)
    mark = state.parsed.marks.get(path)
    if not isinstance(old, str) or mark is None or new == old:
        return None
    scalar = state.source.scalar(mark[2], mark[3], old)
    if scalar is None:
        return None
    edit = Edit(scalar.start, scalar.end, written(new, scalar.style).encode("utf-8"))
    return Fix(finding.code, finding.data_path, applicability(finding.code), (edit,), path, SET, new)


def _delete_item(finding: Finding, state: State, item: DataPath) -> Optional[Fix]:
    """Remove a block list item (``- ...`` and every line of it) from the file."""
    mark = state.parsed.marks.get(item)
    if mark is None or not isinstance(item[-1], int):
        return None
    source = state.source
    first = source.file_line(mark[2])
    prefix = _ITEM_PREFIX.match(source.line(first)[: mark[3]])
    if prefix is None:
        return None  # not the first thing on its line ('- - x', a flow list)
    dash = len(prefix.group(1))
    last = first
    for index in range(first + 1, state.close_line - 1):  # up to the closing fence
        line = source.line(index)
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            if len(line) - len(stripped) <= dash:
                break
            last = index
    edit = Edit(source.line_start(first), source.line_start(last + 1), b"")
    return Fix(finding.code, finding.data_path, applicability(finding.code), (edit,), item, DELETE)


# -- the fixers ----------------------------------------------------------------------------------

_WHATWG_DROPPED = re.compile(r"[\t\n\r]")
_ENCODED = re.compile(r"[\s\x00-\x1f\x7f]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def encode_whitespace(url: str) -> str:
    """A URL as a browser reads it (blanks and controls at the ends dropped, tabs and line
    breaks dropped everywhere), with every other whitespace or control character
    percent-encoded as UTF-8."""
    url = _WHATWG_DROPPED.sub("", url.strip(_C0_AND_SPACE))
    return _ENCODED.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)


def fix_url_whitespace(finding: Finding, state: State) -> Optional[Fix]:
    from linter.rules.urls import url_problem

    value = state.value(finding.data_path)
    new = encode_whitespace(value)
    return None if url_problem(new) else _set_text(finding, state, new)


def fix_url_non_ascii(finding: Finding, state: State) -> Optional[Fix]:
    """U009: the URL percent-encoded as UTF-8, its host in IDNA (``urls.encode_url``)."""
    from linter.rules.urls import encode_url, url_problem

    value = state.value(finding.data_path)
    if not isinstance(value, str) or value.isascii():
        return None
    new = encode_url(value)
    return None if url_problem(new) or _ENCODED.search(new) else _set_text(finding, state, new)


def encode_non_ascii(url: str) -> str:
    """``url`` with its host in IDNA and every other non-ASCII character percent-encoded as
    UTF-8; ASCII is kept exactly as written (escapes included), so encoding is idempotent."""
    scheme, _, rest = url.partition("://")
    end = min([i for i in (rest.find(c) for c in "/?#") if i >= 0] or [len(rest)])
    host, tail = rest[:end], rest[end:]
    if not host.isascii():
        host = host.encode("idna").decode("ascii")  # UnicodeError: no fix (fixes_for catches it)
    return f"{scheme}://{host}{_NON_ASCII.sub(_percent, tail)}"


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def fix_amp_cache(finding: Finding, state: State) -> Optional[Fix]:
    from linter.rules.urls import amp_cache_url, url_problem

    amp = state.value(finding.data_path[:-1] + ("ampWebUrl",))
    expected = amp_cache_url(amp) if isinstance(amp, str) else None
    if expected is None or url_problem(expected) or _ENCODED.search(expected):
        return None  # ampWebUrl is broken too: once it is fixed, the next round can do this
    return _set_text(finding, state, expected)


def fix_provider_domain(finding: Finding, state: State) -> Optional[Fix]:
    from linter.rules.urls import _domain_problem, split_url

    domain = state.value(finding.data_path)
    parts = split_url(domain if "://" in domain else "//" + domain)
    host = (parts.hostname or "") if parts is not None else ""
    return None if not host or _domain_problem(host) else _set_text(finding, state, host)


def fix_stray_whitespace(finding: Finding, state: State) -> Optional[Fix]:
    value = state.value(finding.data_path)
    return _set_text(finding, state, value.strip()) if value.strip() else None


def fix_quote(finding: Finding, state: State) -> Optional[Fix]:
    """S002: a boolean or number written unquoted where the schema wants text."""
    path = finding.data_path
    text = state.parsed.raw.get(path)
    value = state.value(path)
    if text is None or type(value) not in (bool, int, float) or not finding.hint.startswith("quote it"):
        return None
    return _replace_plain(finding, state, text, written(text, "double"), SET, text)


def fix_yaml11_boolean(finding: Finding, state: State) -> Optional[Fix]:
    """Y001: yes/no/on/off -> true/false; YAML 1.1 readers see the same boolean."""
    path = finding.data_path
    text, value = state.parsed.raw.get(path), state.value(path)
    if text is None or type(value) is not bool:
        return None
    return _replace_plain(finding, state, text, "true" if value else "false", KEEP, None)


def _replace_plain(finding: Finding, state: State, text: str, new: str, op: str, value: Any) -> Optional[Fix]:
    mark = state.parsed.marks.get(finding.data_path)
    scalar = state.source.scalar(mark[2], mark[3], text) if mark is not None else None
    if scalar is None or scalar.style != "plain":
        return None
    edit = Edit(scalar.start, scalar.end, new.encode("utf-8"))
    return Fix(finding.code, finding.data_path, applicability(finding.code), (edit,), finding.data_path, op, value)


def fix_duplicate_topic(finding: Finding, state: State) -> Optional[Fix]:
    return _delete_item(finding, state, finding.data_path)


def fix_duplicate_related(finding: Finding, state: State) -> Optional[Fix]:
    return _delete_item(finding, state, finding.data_path[:-1])


def fix_fence_whitespace(finding: Finding, state: State) -> Optional[Fix]:
    source = state.source
    index = finding.line - 1
    line = source.line(index)
    kept = len(line.rstrip(" \t"))
    if kept != 3 or line[:3] not in ("---", "..."):
        return None
    edit = Edit(source.byte(index, kept), source.line_end(index), b"")
    return Fix(finding.code, finding.data_path, applicability(finding.code), (edit,), (), KEEP)


def fix_bom(finding: Finding, state: State) -> Optional[Fix]:
    """E014: the UTF-8 byte order mark before the opening fence, removed."""
    if not state.source.bom:
        return None
    edit = Edit(0, state.source.bom, b"")
    return Fix(finding.code, finding.data_path, applicability(finding.code), (edit,), (), KEEP)


def fix_bare_cr(finding: Finding, state: State) -> Optional[Fix]:
    """E015: every bare CR line break of the file (CR-only line endings) written as LF,
    the one line break every reader agrees on; CRLF line breaks stay."""
    data = state.source.data
    edits = tuple(Edit(at.start(), at.end(), b"\n") for at in _BARE_CR.finditer(data))
    return Fix(finding.code, finding.data_path, applicability(finding.code), edits, (), KEEP) if edits else None


_BARE_CR = re.compile(rb"\r(?!\n)")

FIXERS: Dict[str, Fixer] = {
    "E014": fix_bom,
    "E015": fix_bare_cr,
    "E013": fix_fence_whitespace,
    "S002": fix_quote,
    "Y001": fix_yaml11_boolean,
    "U002": fix_url_whitespace,
    "U009": fix_url_non_ascii,
    "U005": fix_amp_cache,
    "U006": fix_provider_domain,
    "T001": fix_stray_whitespace,
    "T002": fix_duplicate_topic,
    "R001": fix_duplicate_related,
}

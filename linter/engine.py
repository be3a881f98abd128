"""Layer 4: run every layer on one file and turn what they found into positioned findings.

The engine, not the rules, stamps codes with positions, severities and filters. Which of
the findings are reported ("one mistake, one diagnostic": tiers per node, folds per cause)
is decided in ``linter.fold``, after the selection and the suppression comments, so that
ignoring a code and silencing it with a comment do the same.
"""

from __future__ import annotations

import os

from linter import registry
from linter.fold import Raw as _Raw
from linter.fold import needed as fold_needed
from linter.fold import one_per_cause, outside
from linter.model import Finding
from linter.parse import frontmatter, parse
from linter.parse.types import Parsed, file_position
from linter.redact import Secrets
from linter.rules.base import Context, Facts, Rule
from linter.safepath import LINK_ERRORS as _LINK_ERRORS
from linter.safepath import Roots, Unreadable, folder_problem, open_regular
from linter.settings import Settings
from linter.suppress import Suppressions, may_hold_any
from linter.values import kind as kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

    from linter.model import DataPath
    from linter.parse.types import Mark
    from linter.rules.base import Screen
    from linter.validate.schema import SchemaChecker
else:
    from linter.named import NamedTuple

#: The archive code whose keys the engine records (``linter.archive``).
ARCHIVE_CODE = "A001"


class FileResult:
    """Findings of one file; ``failed`` marks tool-side trouble (unreadable, internal error);
    ``keys``: what the archive check compares with other files (its record,
    ``linter.archive.keys``), when the file was parsed, here or in a worker; ``stat``: the
    ``fstat`` of the bytes checked, when the run read them in this process (the archive
    check's signature of the file; a worker does not send it back)."""

    __slots__ = ("path", "findings", "failed", "keys", "stat")

    def __init__(
        self,
        path: str,
        findings: Optional[List[Finding]] = None,
        failed: bool = False,
        keys: Optional[bytes] = None,
    ) -> None:
        self.path = path
        self.findings: List[Finding] = [] if findings is None else findings
        self.failed = failed
        self.keys = keys
        self.stat: Optional[os.stat_result] = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileResult):
            return NotImplemented
        return (self.path, self.findings, self.failed) == (other.path, other.findings, other.failed)

    def __repr__(self) -> str:
        return f"FileResult({self.path!r}, {self.findings!r}, failed={self.failed!r})"

    def __reduce__(self) -> Any:  # sent back from worker processes
        return FileResult, (self.path, self.findings, self.failed, self.keys)


class Examined(NamedTuple):
    """One file's result with what it was made from: the bytes, the frontmatter block and
    the parsed data (None where the file did not get that far)."""

    result: FileResult
    data: bytes
    block: Optional[frontmatter.Frontmatter] = None
    parsed: Optional[Parsed] = None


class Linter:
    """Lints files with one settings object; the schema validator is built once, lazily."""

    def __init__(self, settings: Optional[Settings] = None, roots: Optional[Sequence[str]] = None) -> None:
        self.settings = settings if settings is not None else Settings()
        # Where a symbolic link may lead (resolved folders); None: the current folder (as
        # ``Roots``: each folder of the files read is resolved once, ``folder_problem``).
        self.roots = roots if roots is None or isinstance(roots, Roots) else Roots(roots)
        self._schema: Optional[SchemaChecker] = None
        # The enabled rules under their screens, when no path changes them (``_enabled_rules``).
        self._rules: Optional[Tuple[Tuple[Optional[Screen], Tuple[Rule, ...]], ...]] = None
        self._archived = self.settings.selected(ARCHIVE_CODE)  # whether files' keys are recorded

    @property
    def schema(self) -> SchemaChecker:
        """Built on first use: a run served from the cache never imports jsonschema."""
        if self._schema is None:
            from linter.validate.schema import SchemaChecker, load_schema

            self._schema = SchemaChecker(load_schema(self.settings.schema_path))
        return self._schema

    # -- files ---------------------------------------------------------------------------
    def lint_path(self, path: str, display: Optional[str] = None) -> FileResult:
        """Read and lint one path; unreadable paths become an E010 finding."""
        shown = display if display is not None else path
        return self.lint_read(shown, read_limited(path, self.settings.max_file_size, self.roots))

    def lint_read(self, path: str, data: Union[bytes, Unreadable, None]) -> FileResult:
        """Lint what ``read_limited`` returned: the bytes, why it was not read, or None for
        a file over the size limit."""
        if isinstance(data, Unreadable):
            return self.unusable(path, data)
        if data is None:
            return self._result(path, [self._too_large("; not read")])
        return self.lint_bytes(path, data)

    def unusable(self, path: str, why: Union[str, Unreadable]) -> FileResult:
        """A path that is not checked at all (missing, unreadable, a link leaving its folder)."""
        code, text = (why.code, why.why) if isinstance(why, Unreadable) else ("E010", why)
        return self._result(path, [_Raw(code, text, position=(1, 1))], failed=True)

    def lint_bytes(self, path: str, data: bytes) -> FileResult:
        """Lint the content of one file; never raises."""
        try:
            return self._lint(path, data)
        except Exception as exc:  # the tool failed, not the file: say so and go on
            # Only where it failed, not the exception's text: that may quote file content
            # (a secured value) and nothing parsed is at hand to hide it with.
            message = f"internal error: {type(exc).__name__} {where_raised(exc)}"
            return self._result(path, [_Raw("E012", message, position=(1, 1))], failed=True)

    def _lint(self, path: str, data: bytes) -> FileResult:
        return self.examine(path, data).result

    def examine(self, path: str, data: bytes) -> Examined:
        """Lint one file's content and keep what was parsed, for the fixes (may raise)."""
        if len(data) > self.settings.max_file_size:
            return Examined(self._result(path, [self._too_large("")]), data)
        text = frontmatter.decode(data)
        if isinstance(text, frontmatter.Problem):
            return Examined(self._result(path, [_from_problem(text)]), data)
        block = frontmatter.split(text)
        if isinstance(block, frontmatter.Problem):
            hidden = frontmatter.unread_by_jekyll(data, text, None)
            return Examined(self._result(path, [_from_problem(p) for p in [block] + hidden]), data)
        problems = block.fence_warnings + frontmatter.unread_by_jekyll(data, text, block)
        raws = [_from_problem(p) for p in problems]
        parsed = parse(block.yaml_text, self.settings.limits)
        fatal = False
        if parsed.problems:
            raws.extend(_from_parse(parsed))
            fatal = parsed.fatal
        failed = False
        if not fatal:
            raws, failed = self._check_data(path, parsed, raws)
        comments = Suppressions(block.yaml_text) if may_hold_any(block.yaml_text) else None
        findings = self._findings(path, raws, parsed, comments)
        if comments is not None and self.settings.report_unused_suppressions:
            unused = [_Raw("N001", message, position=(line, col)) for line, col, message in comments.unused()]
            chosen = [raw for raw in unused if self.settings.enabled(raw.code, path)]
            findings = sorted(findings + self._stamped(path, chosen, {}, Secrets(()), None))
        # (the text only for its suppression comments: without one, nothing to look for)
        keys = self._keys(parsed, fatal, block.yaml_text if comments is not None else "") if self._archived else None
        examined = Examined(FileResult(path, findings, failed, keys), data, block, parsed)
        if findings and not failed and not registry.FIXABLE.isdisjoint([f.code for f in findings]):
            from linter.fix.fixers import mark_fixable  # only files with a fixable finding

            examined.result.findings = mark_fixable(examined)
        return examined

    def _keys(self, parsed: Parsed, fatal: bool, yaml_text: str) -> bytes:
        """The file's cross-file keys record (``linter.archive``), for a run that checks them."""
        from linter.archive.keys import EMPTY, of_parsed

        return EMPTY if fatal else of_parsed(parsed, yaml_text)

    def _too_large(self, detail: str) -> _Raw:
        limit = self.settings.max_file_size
        return _Raw("E009", f"file is larger than the {limit}-byte limit{detail}", position=(1, 1))

    def _check_data(self, path: str, parsed: Parsed, raws: List[_Raw]) -> Tuple[List[_Raw], bool]:
        if not isinstance(parsed.data, dict):
            what = "empty" if parsed.data is None else f"{_a(kind_of(parsed.data))}, not a mapping of keys"
            position = (1, 1) if parsed.data is None else locate(parsed.marks, (), False)
            return raws + [_Raw("E004", f"frontmatter is {what}", position=position)], False
        for hit in self.schema.check(parsed.data, parsed.raw, parsed.jekyll):
            raws.append(_Raw(hit.code, hit.message, hit.path, hit.on_key, hint=hit.hint, subject=hit.subject))
        return self._run_rules(path, parsed.data, raws)

    def _run_rules(self, path: str, data: Dict[str, Any], raws: List[_Raw]) -> Tuple[List[_Raw], bool]:
        plan = self._enabled_rules(path)
        if not plan:
            return raws, False
        context = Context(filename=path, options=self.settings.options)
        look = context.facts = Facts(data)
        failed = False
        for screen, group in plan:
            if screen is not None and screen(look, context):
                continue  # the first look shows nothing here for these rules: not called
            for rule in group:
                try:
                    for hit in rule.check(data, context):
                        position = None if hit.path else (1, 1)  # about the file itself (its name)
                        raws.append(_Raw(rule.info.code, hit.message, hit.path, hit.on_key, position, hit.hint))
                except Exception as exc:  # one broken rule must not hide the others
                    failure = f"{rule.info.code} ({rule.info.name}): {type(exc).__name__}: {exc} {where_raised(exc)}"
                    raws.append(_Raw("E012", f"internal error in rule {failure}", position=(1, 1)))
                    failed = True
        return raws, failed

    def _enabled_rules(self, path: str) -> Tuple[Tuple[Optional[Screen], Tuple[Rule, ...]], ...]:
        """The rules to run: the enabled ones, and those whose findings fold into an
        enabled code's (its message names them, whatever is selected; ``linter.fold``),
        in order, rules next to each other with one screen grouped under it."""
        if self._rules is not None:
            return self._rules

        def enabled(code: str) -> bool:
            return self.settings.enabled(code, path)

        plan: List[Tuple[Optional[Screen], Tuple[Rule, ...]]] = []
        for rule in registry.CHECKS:
            if fold_needed(rule.info.code, enabled):
                if plan and rule.screen is not None and plan[-1][0] is rule.screen:
                    plan[-1] = (rule.screen, plan[-1][1] + (rule,))
                else:
                    plan.append((rule.screen, (rule,)))
        if not self.settings.per_file_ignores:  # the same for every file: chosen once
            self._rules = tuple(plan)
        return tuple(plan)

    # -- raw -> findings -----------------------------------------------------------------
    def _result(self, path: str, raws: List[_Raw], failed: bool = False) -> FileResult:
        return FileResult(path, self._findings(path, raws, None), failed)

    def _findings(
        self, path: str, raws: List[_Raw], parsed: Optional[Parsed], comments: Optional[Suppressions] = None
    ) -> List[Finding]:
        """Filter (selection, comments), then keep one finding per cause (``linter.fold``)."""
        if not raws:
            return []  # the common case: nothing to place, filter or redact
        marks = parsed.marks if parsed is not None else {}
        skipped = parsed.suppressed if parsed is not None else set()
        secrets = Secrets.of(parsed.data, parsed.raw, parsed.text) if parsed is not None else Secrets(())
        data = parsed.data if parsed is not None else None
        checked = outside(raws, skipped)
        reported = [self._reported(path, raw, marks, comments) for raw in checked]
        return sorted(self._stamped(path, one_per_cause(checked, reported, data), marks, secrets, data))

    def _reported(self, path: str, raw: _Raw, marks: Dict[DataPath, Mark], comments: Optional[Suppressions]) -> bool:
        """Whether a finding passes the selection and the file's suppression comments."""
        if not registry.RULES[raw.code].silenceable:
            return True
        if not self.settings.enabled(raw.code, path):
            return False
        if comments is None:
            return True
        line = (raw.position or locate(marks, raw.path, raw.on_key))[0]
        return not comments.silences(raw.code, line)

    def _stamped(
        self, path: str, raws: List[_Raw], marks: Dict[DataPath, Mark], secrets: Secrets, data: Any
    ) -> List[Finding]:
        """Every finding is made here: positioned, given its severity and name, and cleared
        of secrets (``linter.redact``)."""
        findings = []
        for raw in raws:
            info = registry.RULES[raw.code]
            line, col = raw.position or locate(marks, raw.path, raw.on_key)
            severity = self.settings.severity(raw.code, info.severity)
            message, hint, where = secrets.finding(raw.message, raw.hint, raw.path, data)
            findings.append(Finding(path, line, col, raw.code, message, severity, info.name, where, hint))
        return findings


def locate(marks: Dict[DataPath, Mark], path: DataPath, on_key: bool) -> Tuple[int, int]:
    """File position of a data path: its key or its value, else its nearest ancestor's."""
    while path and path not in marks:
        path, on_key = path[:-1], False
    mark = marks.get(path)
    if mark is None:
        return 1, 1
    return file_position(mark[0], mark[1]) if on_key and path else file_position(mark[2], mark[3])


def _from_problem(problem: frontmatter.Problem) -> _Raw:
    return _Raw(problem.code, problem.message, position=(problem.line, problem.col))


def _from_parse(parsed: Parsed) -> List[_Raw]:
    raws = []
    for problem in parsed.problems:
        on_key = registry.RULES[problem.code].on_key
        position = file_position(problem.line, problem.col)
        raws.append(_Raw(problem.code, problem.message, problem.data_path, on_key, position))
    return raws


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def where_raised(exc: BaseException) -> str:
    """Where inside lint-news an exception was raised: file, line and function."""
    import traceback  # only when something failed

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f"(at {os.path.basename(last.filename)}:{last.lineno} in {last.name})"


# -- reading -----------------------------------------------------------------------------------


def read_limited(path: str, limit: int, roots: Optional[Sequence[str]] = None) -> Union[bytes, Unreadable, None]:
    """The file's bytes; None when larger than ``limit``; why not, when it is not read.

    Only regular files are read (a FIFO would block, a device never end), and a symbolic
    link only to a regular file inside ``roots`` (default: the current folder; see
    ``linter.safepath``), nor a path through a link to a folder outside them. Never more
    than ``limit + 1`` bytes, so a huge file costs nothing.
    """
    if _read_file is None:
        return read_stated(path, limit, roots)[0]
    # The compiled call guards only the path's last part: its folder is asked about here.
    # Known fine (nearly every file: one folder's), a dictionary lookup; else the full way.
    # ("/" alone: the compiled call is built for POSIX only.)
    known = roots.folders.get(path[: path.rfind("/")], _UNKNOWN) if roots.__class__ is Roots else _UNKNOWN
    if known is not None:
        moved = folder_problem(path, roots)
        if moved is not None:
            return moved
    found = _read_file(path, limit)
    if not isinstance(found, tuple):
        return found  # the bytes, or None: larger than the limit
    step, number = found
    if step == 0 and number in _LINK_ERRORS:  # perhaps a link: the full way decides
        return read_stated(path, limit, roots)[0]
    if step == 2:
        return Unreadable("E010", "cannot read: is a directory" if number else "cannot read: not a regular file")
    return Unreadable("E010", f"cannot read: {os.strerror(number)}")


#: Not in ``Roots.folders``. (The key ``read_limited`` looks up is the path's folder where a
#: "/" is in it; without one, a name here, which ``folder_problem`` never refuses.)
_UNKNOWN = Unreadable("", "")

_read_file: Optional[Callable[[str, int], Union[bytes, None, Tuple[int, int]]]]
try:  # the same steps compiled (``_blockreader.c``): os.open, os.fstat's stat_result and
    # os.read cost more than the rest of reading and splitting a 3 KB article
    from linter.parse._blockreader import read_file as _read_file
except ImportError:  # pragma: no cover - no compiler at install, or not POSIX
    _read_file = None


def read_stated(
    path: str, limit: int, roots: Optional[Sequence[str]] = None
) -> Tuple[Union[bytes, Unreadable, None], Optional[os.stat_result]]:
    """``read_limited``, and the ``fstat`` of the file read, taken before reading it (None
    when nothing was read): the archive check takes its signature from it instead of
    asking for the file's stat again."""
    opened = open_regular(path, roots if roots is not None else (os.path.realpath(os.curdir),))
    if isinstance(opened, Unreadable):
        return opened, None
    fd, info = opened
    try:
        if info.st_size > limit:
            return None, None
        data = _read_fd(fd, min(info.st_size, limit) + 1, limit + 1)
    except OSError as exc:
        return Unreadable("E010", f"cannot read: {exc.strerror or exc}"), None
    finally:
        os.close(fd)
    return (None, None) if len(data) > limit else (data, info)


def _read_fd(fd: int, expected: int, most: int) -> bytes:
    """Up to ``most`` bytes, asking for ``expected`` (the size plus one) first: one call for
    a file that does not grow, and no buffered file object, which costs more than the read
    itself for a 4 KB article. A regular file returns less than asked only at its end."""
    data = os.read(fd, expected)
    if len(data) < expected:
        return data
    parts, total = [data], len(data)
    while total < most:  # the file grew since fstat
        chunk = os.read(fd, min(most - total, 1 << 16))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)

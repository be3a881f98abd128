"""An ``Outcome`` reported: the report (stdout or ``-o``), the baseline file, the summary
on stderr, and the exit code."""

from __future__ import annotations

import sys

from linter import __version__, registry
from linter.cli.request import Request, UsageError
from linter.cli.session import Outcome
from linter.model import Finding, Severity
from linter.report.terminal import SourceLines, use_color, write_report
from linter.safepath import reading_roots

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Collection, Iterable, Iterator, List, Optional, Set, Union

    from linter.fix.diff import Withheld
    from linter.fix.run import FileFix

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def emit(outcome: Outcome, request: Request) -> int:
    """Write what ``request`` asks for and return the exit code."""
    if request.write_baseline:
        return _write_baseline(outcome, request.write_baseline, request.quiet)
    if outcome.fixes is not None:
        _fix_notes(outcome.fixes)
        if request.diff:
            return _diff(outcome.fixes, outcome.failed, request.quiet)
        if outcome.stdin:
            return _fixed_stdin(outcome, request)
        _say(request, _fixed_line(outcome.fixes, "fixed"))
    counted = _report(outcome, request)
    if not request.quiet:
        for note in outcome.notes:
            print(f"lint-news: note: {note}", file=sys.stderr)
    tally = counted.tally or Tally(outcome.findings)
    _say(request, summary(tally, outcome.checked) + fixable_summary(tally, request.unsafe_fixes))
    if outcome.checked == 0 and not outcome.failed:
        # As ruff does: a run that checked nothing is most likely a wrong path or pattern.
        include = ", ".join(request.include)
        print(f"lint-news: warning: no files to check under the given path(s) (include: {include})", file=sys.stderr)
    return exit_code(tally, outcome.failed, request.strict, request.exit_zero)


def _say(request: Request, text: str) -> None:
    if not request.quiet:
        print(text, file=sys.stderr)


class Tally:
    """What the summary and the exit code say of the findings, counted in one pass (a
    run's findings are read back from their compact store a file at a time)."""

    __slots__ = ("errors", "warnings", "flagged", "broken", "safe", "unsafe", "any_error", "count")

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self.errors = self.warnings = self.safe = self.unsafe = self.count = 0
        self.any_error = False  # of any finding, a path that could not be checked included
        self.flagged: Set[str] = set()  # files with findings
        self.broken: Set[str] = set()  # paths that could not be checked (E010, E012)
        for f in findings:
            self.add(f)

    def add(self, f: Finding) -> None:
        self.count += 1
        error = f.severity is Severity.ERROR
        self.any_error = self.any_error or error
        self.safe += f.fix == "safe"
        self.unsafe += f.fix == "unsafe"
        if not registry.RULES[f.code].silenceable:
            self.broken.add(f.path)
            return
        self.flagged.add(f.path)
        self.errors += error
        self.warnings += not error


class _Counted:
    """The findings, tallied while the report reads them the first time: a run's findings
    come back from their compressed store, and reading them a second time for the summary
    was a third of the work after the last file (0.05 s of CPU over 20,000 generated
    articles). ``tally`` is None until one reading went to the end."""

    __slots__ = ("findings", "tally", "_began")

    def __init__(self, findings: Collection[Finding]) -> None:
        self.findings = findings
        self.tally: Optional[Tally] = None
        self._began = False

    def __len__(self) -> int:
        return len(self.findings)

    def __contains__(self, item: object) -> bool:
        return item in self.findings

    def __iter__(self) -> Iterator[Finding]:
        if self._began:  # a renderer reading them again: counted once only
            yield from self.findings
            return
        self._began = True
        tally = Tally()
        for f in self.findings:
            tally.add(f)
            yield f
        self.tally = tally


def fixable_summary(tally: Tally, unsafe: bool) -> str:
    """``[*] N fixable with --fix`` (and how many more --unsafe-fixes would repair)."""
    safe = tally.safe + (tally.unsafe if unsafe else 0)
    hidden = 0 if unsafe else tally.unsafe
    if not safe and not hidden:
        return ""
    if not safe:
        return f"\n[*] {hidden} fixable with --fix --unsafe-fixes"
    more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
    return f"\n[*] {safe} fixable with --fix{more}"


# -- --fix and --diff ----------------------------------------------------------------------------


def _fix_notes(fixes: List[FileFix]) -> None:
    """Why a fix or a file was left as it was (always printed: something was not done)."""
    for fix in fixes:
        for note in fix.outcome.notes if fix.outcome is not None else []:
            print(f"lint-news: {note}", file=sys.stderr)
        if fix.problem:
            print(f"lint-news: {fix.path}: {fix.problem}", file=sys.stderr)


def _fixed_line(fixes: List[FileFix], verb: str) -> str:
    changed = [fix for fix in fixes if fix.changed]
    count = sum(len(fix.outcome.fixed) for fix in changed if fix.outcome is not None)
    return f"lint-news: {verb} {count} finding(s) in {len(changed)} file(s)"


def _diff(fixes: List[FileFix], failed: bool, quiet: bool) -> int:
    from linter.fix.diff import unified_diff

    changed = [fix for fix in fixes if fix.changed]
    for fix in changed:
        assert fix.outcome is not None
        diff = unified_diff(fix.path, fix.before, fix.outcome.data, *fix.outcome.secrets)
        sys.stdout.buffer.write(diff.text)
        if diff.withheld:  # always said: the diff is not all that --fix would do
            sys.stdout.flush()
            print(f"lint-news: {fix.path}: {withheld_note(diff.withheld)}", file=sys.stderr)
    if not quiet:
        print(_fixed_line(fixes, "would fix"), file=sys.stderr)
    return EXIT_ERROR if failed else EXIT_FINDINGS if changed else EXIT_CLEAN


def withheld_note(withheld: List[Withheld]) -> str:
    """Which changes the diff leaves out and why, in one line."""
    parts = [f"{change.where()} ({change.reason})" for change in withheld]
    return f"not in the diff, as that would print the secured value: {'; '.join(parts)}; run --fix to apply"


def _fixed_stdin(outcome: Outcome, request: Request) -> int:
    """``--fix -``: the fixed document on stdout, what remains on stderr."""
    from linter.report.render import ReportContext, render

    assert outcome.fixes
    fix = outcome.fixes[0]
    assert fix.outcome is not None
    sys.stdout.buffer.write(fix.outcome.data)
    context = ReportContext(rules=registry.RULES, files=[fix.path], unsafe_fixes=request.unsafe_fixes)
    sys.stderr.write(render("text", outcome.findings, context))
    return exit_code(Tally(outcome.findings), outcome.failed, request.strict, request.exit_zero)


def _write_baseline(outcome: Outcome, target: str, quiet: bool) -> int:
    from linter.baseline import dumps

    _write(dumps(outcome.findings, target), target)
    if not quiet:
        print(f"lint-news: wrote {len(outcome.findings)} finding(s) to {target}", file=sys.stderr)
    return EXIT_ERROR if outcome.failed else EXIT_CLEAN


def _report(outcome: Outcome, request: Request) -> _Counted:
    """Write the report; returns its findings, tallied if the report read them all."""
    from linter.report.render import ReportContext, pieces, statistics

    fmt = request.format
    stream_is_report = request.output_file is None
    context = ReportContext(
        rules=registry.RULES,
        files=outcome.files,
        checked=outcome.checked,
        color=fmt == "text" and use_color(request.color, sys.stdout) and stream_is_report,
        show_source=request.show_source,
        source_line=SourceLines(outcome.stdin, reading_roots(request.paths), request.settings.limits),
        tool_version=__version__,
        strict=request.strict,
        failed=outcome.failed,
        unsafe_fixes=request.unsafe_fixes,
    )
    findings = _Counted(outcome.findings)
    if request.statistics and fmt == "text":
        # the table instead of the findings, as ruff does
        _write(statistics(findings), request.output_file)
    else:
        _write(pieces(fmt, findings, context), request.output_file)
    if request.statistics and fmt != "text":
        sys.stderr.write(statistics(findings))
    return findings


def _write(text: Union[str, Iterable[str]], target: Optional[str]) -> None:
    """The report (a string, or its pieces as they are made) to stdout or ``target``."""
    try:
        write_report([text] if isinstance(text, str) else text, target)
    except OSError as exc:
        if target is None:
            raise  # stdout itself failed (a closed pipe): main() handles it
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc


def summary(tally: Tally, files: int) -> str:
    """Files checked and what they hold; paths that could not be checked (E010, E012 where
    nothing was read) are counted apart, so a missing path is not "1 with findings"."""
    counts = f"{len(tally.flagged)} with findings: {tally.errors} error(s), {tally.warnings} warning(s)"
    text = f"lint-news: {files} file(s) checked, {counts}"
    return text + (f"; {len(tally.broken)} path(s) could not be checked" if tally.broken else "")


def exit_code(tally: Tally, failed: bool, strict: bool, exit_zero: bool) -> int:
    if failed:
        return EXIT_ERROR
    failing = tally.count if strict else tally.any_error
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN

"""A ``Request`` carried out: the files found and checked (with the cache, the user's schema
and the baseline) -> one typed ``Outcome``. Nothing here formats a report."""

from __future__ import annotations

import itertools
import os
import sys
import time

from linter.batch.runner import default_jobs, run
from linter.batch.walk import discover, walked_folders
from linter.cli.request import Request, UsageError
from linter.engine import FileResult
from linter.model import Finding
from linter.report.store import FindingStore
from linter.report.terminal import Progress
from linter.safepath import reading_roots

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

    from linter.archive.compare import Checked
    from linter.archive.index import Index
    from linter.archive.prefetch import Prefetch
    from linter.batch.cache import Cache
    from linter.fix.run import FileFix


class Outcome:
    """What a run found: everything ``output`` needs to report it and choose the exit code.

    (A plain class: one is made a run, and making a NamedTuple class costs about 1 M
    instructions at every start.)"""

    __slots__ = ("findings", "checked", "files", "failed", "stdin", "notes", "fixes")

    def __init__(
        self,
        findings: FindingStore,  # without those the baseline excuses (unless writing one)
        checked: int,  # files checked
        files: List[str],  # every file checked, sorted, when the report lists them (JUnit)
        failed: bool,  # a path could not be read or the tool failed (exit 2)
        stdin: Dict[str, bytes],  # standard input as read, by its reported name (for source lines)
        notes: Tuple[str, ...] = (),  # said on stderr before the summary (a cache folder not used)
        fixes: Optional[List[FileFix]] = None,  # with --fix or --diff: what fixing each file did
    ) -> None:
        self.findings = findings
        self.checked = checked
        self.files = files
        self.failed = failed
        self.stdin = stdin
        self.notes = notes
        self.fixes = fixes


def run_request(request: Request) -> Outcome:
    """Check what ``request`` names; usage mistakes raise ``UsageError`` before any work."""
    if not request.paths:
        raise UsageError("no PATH given (use '-' for standard input; see --help)")
    _refuse_overwriting(request)
    _check_user_schema(request)
    # A file changed after this is not trusted by the archive index: taken before the
    # prefetch's thread stats any file (``Index.trusted``, the "racily clean" rule).
    started = time.time_ns()
    ahead = _prefetch(request)
    try:
        return _carry_out(request, ahead, started)
    finally:
        if ahead is not None:
            ahead.give(None)  # the thread never waits for an index after the run


def _carry_out(request: Request, ahead: Optional[Prefetch], started: int) -> Outcome:
    if request.settings.schema_path is None:  # a broken install is said once, not per file
        from linter.validate.resources import bundled_schema_path

        bundled_schema_path()
    stdin = _read_stdin(request)
    progress = Progress(not request.quiet)
    # Paths stream from the directory walk into the run; only JUnit (one test case per
    # file) and a progress line (its total) need them all at hand.
    files = Files(request, keep=request.format == "junit" or progress.enabled)
    cache, note = _cache(request)
    if cache is not None:
        cache.open_memo(request.paths, started)
    from linter.archive.compare import Checked

    stdin_name = request.stdin_filename if "-" in request.paths else None
    checked = Checked(request.archive, stdin_name, once=len(request.paths) == 1)
    store, prefetched = _index(request, cache, started, ahead)
    # Findings go to a compact store as each file's arrive; only --fix keeps the results.
    findings = FindingStore()
    kept = None if request.fixing else findings
    results, failed = _run(files, request, cache, stdin, progress, checked, kept, store is not None)
    # A file that failed was not added: the archive is then listed to find it.
    walked = () if failed else walked_folders(request.paths)
    fixes = None
    if request.fixing:
        results, fixes = _fix(results, request, stdin)
        if request.fix:  # fixed files' keys are those of their new bytes: read again
            checked.forget_keys()
        for result in results:
            findings.add(result.findings)
        failed = any(result.failed for result in results)
    across, notes = _across(checked, request, store, prefetched, walked)
    for result in files.unusable:
        findings.add(result.findings)
    findings.add(across)
    if not request.write_baseline:
        findings = _apply_baseline(findings, request.baseline)
    failed = failed or bool(files.unusable)
    notes = ([note] if note else []) + notes
    return Outcome(findings, files.count, sorted(files.kept or ()), failed, stdin, tuple(notes), fixes)


def _prefetch(request: Request) -> Optional[Prefetch]:
    """For a few named files (pre-commit's), the listing of their archives, begun in a
    thread as soon as the run knows what it checks: it runs beside opening the cache and
    checking the files (``linter.archive.prefetch``), and reads the index once ``_index``
    gives it."""
    if not request.cache or not request.settings.selected("A001") or request.fixing:
        return None  # no index to bring up to date; --fix: the files change while checked
    from linter.archive.prefetch import prefetch

    return prefetch(request.paths, request.include, request.exclude, request.archive)


def _index(
    request: Request, cache: Optional[Cache], started: int, ahead: Optional[Prefetch]
) -> Tuple[Optional[Index], Optional[Prefetch]]:
    """The archive index kept with the cache, and the listing begun ahead (``_prefetch``),
    given the index to read."""
    if cache is None or not request.settings.selected("A001"):
        return None, None
    from linter.archive.index import Index

    store = Index(cache, started)
    if ahead is not None:
        ahead.give(store)
    return store, ahead


def _across(
    checked: Checked, request: Request, store: Optional[Index], prefetched: Optional[Prefetch], walked: Sequence[str]
) -> Tuple[List[Finding], List[str]]:
    """The archive check, once, after every file (and every worker) is done."""
    if not checked or not request.settings.selected("A001"):
        return [], []
    from linter.archive.compare import Scope, check

    scope = Scope(
        request.settings,
        request.include,
        request.exclude,
        request.archive,
        store,
        reading_roots(request.paths),
        request.stdin_filename if "-" in request.paths else None,
        prefetched,
        walked,
    )
    return check(checked, scope)


def _fix(
    results: List[FileResult], request: Request, stdin: Dict[str, bytes]
) -> Tuple[List[FileResult], List[FileFix]]:
    """Fix the files whose findings have an applicable fix: the results then hold what
    remains in each file fixed (``--fix``), or stay as found (``--diff``)."""
    from linter.engine import Linter
    from linter.fix.run import fix_results, fix_stdin

    linter = Linter(request.settings)
    choose = _chooser(request.baseline)
    if stdin:
        name, data = next(iter(stdin.items()))
        fixes = [fix_stdin(linter, name, data, request.unsafe_fixes, choose(name))]
    else:
        fixes = fix_results(results, linter, request.paths, request.unsafe_fixes, request.fix, choose)
    if not request.fix:
        return results, fixes
    done = {fix.path: fix.outcome.result for fix in fixes if fix.outcome is not None and not fix.problem}
    return [done.get(result.path, result) for result in results], fixes


def _chooser(baseline: Optional[str]) -> Callable[[str], Callable[[List[Finding]], List[Finding]]]:
    """Per file, the findings a fix may repair: those a baseline does not excuse."""
    if not baseline:
        return lambda name: list
    from linter.baseline import load, new_findings

    recorded = load(baseline)
    return lambda name: lambda found: new_findings(found, recorded, baseline)


class Files:
    """The files a run checks, found while it runs: iterating walks the named paths once,
    counting files and collecting the unusable ones, so 100,000 paths are never held at
    once unless ``keep`` asks for them (``kept``)."""

    def __init__(self, request: Request, keep: bool) -> None:
        self.request = request
        self.count = 0
        self.unusable: List[FileResult] = []
        self.kept: Optional[List[str]] = [] if keep else None

    def __iter__(self) -> Iterator[str]:
        from linter.engine import Linter

        request = self.request
        for path, problem in discover(request.paths, request.include, request.exclude):
            if problem:
                self.unusable.append(Linter(request.settings).unusable(path, problem))
                continue
            self.count += 1
            if self.kept is not None:
                self.kept.append(path)
            yield path


def _check_user_schema(request: Request) -> None:
    """A user's schema is checked once, up front: a broken one is a usage error naming
    the configuration file, the key and the schema file."""
    path = request.settings.schema_path
    if path is None:
        return
    from linter.validate.schema import SchemaError, check_user_schema, load_schema

    try:
        check_user_schema(load_schema(path))
    except SchemaError as exc:
        where = f"{request.config_source}: key 'schema': " if request.config_source else ""
        named = str(exc) if path in str(exc) else f"{path}: {exc}"
        raise UsageError(f"{where}{named}") from exc


def _refuse_overwriting(request: Request) -> None:
    """A report written over a checked article would destroy it: refuse before any work."""
    targets: Sequence[Tuple[str, Optional[str]]] = (
        ("--output-file", request.output_file),
        ("--write-baseline", request.write_baseline),
    )
    # Standard input named after a file (an editor piping the buffer of A) is that file too.
    named = [request.stdin_filename] if request.stdin_filename and "-" in request.paths else []
    for flag, target in targets:
        if target and os.path.exists(target):
            found = discover(request.paths, request.include, request.exclude)
            checked = itertools.chain(named, (path for path, problem in found if not problem))
            if any(_same_file(target, path) for path in checked):
                raise UsageError(f"{flag} {target} is one of the files being checked; refusing to overwrite it")


def _same_file(a: str, b: str) -> bool:
    try:
        return b != "-" and os.path.samefile(a, b)
    except OSError:
        return False


def _read_stdin(request: Request) -> Dict[str, bytes]:
    """Standard input, read once (and never more than the size limit allows, so the engine
    reports E009 instead of holding a huge stream): it is linted and shown by --show-source."""
    if "-" not in request.paths:
        return {}
    return {request.stdin_filename or "-": sys.stdin.buffer.read(request.settings.max_file_size + 1)}


def _run(
    files: Files,
    request: Request,
    cache: Optional[Cache],
    stdin: Dict[str, bytes],
    progress: Progress,
    checked: Checked,
    findings: Optional[FindingStore],
    signed: bool,
) -> Tuple[List[FileResult], bool]:
    """Check every file: its findings go to ``findings``, or its result (with findings, or
    failed) is kept when that is None; ``checked`` gets each file's cross-file keys
    (``linter.archive``), or None where the check did not parse it (a result from the
    cache), and with ``signed`` (an archive index is kept) the ``fstat`` of its bytes:
    without an index, 40 bytes a file (4 MB at 100,000) would be kept for nothing.
    Returns the results kept and whether a file failed."""
    jobs = request.jobs if request.jobs > 0 else default_jobs()
    paths: Iterable[str] = files
    if progress.enabled:
        paths = list(files)  # the total first, for "checked N/M"
        progress.total = len(paths)
    results = []
    failed = False
    archive_on = request.settings.selected("A001")
    name, data = next(iter(stdin.items()), ("-", None))
    # With a store, the findings go there as they come (nothing of a result is kept: memory
    # stays flat); else results with findings, or failed, are kept and clean ones dropped.
    for result in run(paths, request.settings, jobs, cache, name, data, reading_roots(request.paths), findings):
        failed = failed or result.failed
        if findings is None and (result.findings or result.failed):
            results.append(result)
        if archive_on and not result.failed:
            checked.add(result.path, result.keys, result.stat if signed else None)
        progress.step()
    progress.close()
    return results, failed


def _cache(request: Request) -> Tuple[Optional[Cache], str]:
    """The cache, or None and why it is not used (said only for a configured folder)."""
    if not request.cache:
        return None, ""
    from linter.batch.cache import default_dir, open_cache

    folder = request.cache_dir or default_dir()
    checkout = not request.cache_dir and not os.environ.get("LINT_NEWS_CACHE_DIR")  # not one the user named
    return open_cache(folder, request.settings, _schema_text(request), request.cache_within, checkout)


def _schema_text(request: Request) -> str:
    if request.settings.schema_path is None:
        from linter.validate.resources import bundled_schema_text

        return bundled_schema_text()
    from linter.files import MAX_SCHEMA_BYTES, UnreadableFile, read_bounded

    try:
        return read_bounded(request.settings.schema_path, MAX_SCHEMA_BYTES).decode("utf-8", "replace")
    except UnreadableFile as exc:
        raise UsageError(str(exc)) from None


def _apply_baseline(findings: FindingStore, path: Optional[str]) -> FindingStore:
    if not path:
        return findings
    from linter.baseline import load, unexcused

    return FindingStore(unexcused(findings, load(path), path))

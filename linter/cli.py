"""The command line: ``main(argv) -> int``. The only layer that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Dict, Iterable, Iterator, List, Optional, Sequence, TextIO, Tuple

from linter import __version__, registry
from linter.baseline import BaselineError
from linter.batch.pool import WorkerError
from linter.batch.runner import default_jobs, run
from linter.batch.walk import discover
from linter.config import Config, ConfigError, check_code, load_config, with_overrides
from linter.engine import FileResult
from linter.model import Finding, Severity
from linter.report.terminal import Progress, SourceLines, use_color, write_report

if TYPE_CHECKING:
    from linter.batch.cache import Cache

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
FORMAT_NAMES = ("text", "json", "github", "sarif", "junit", "gitlab")

_EPILOG = """\
commands:
  lint-news rules                        list every code
  lint-news rule CODE                    explain one code (same as --explain CODE)
  lint-news schema                       print the bundled JSON Schema

examples:
  lint-news _news/                       check every *.md and *.markdown below _news/
  lint-news _news/2023-05-29-report.md   check one file (any extension)
  cat article.md | lint-news - --stdin-filename _news/2023-05-29-report.md
  lint-news --format sarif -o lint-news.sarif _news/
  lint-news --write-baseline .lint-news-baseline.json _news/   adopt on an old archive
  lint-news --baseline .lint-news-baseline.json _news/         then fail on new findings only

exit codes:
  0  no findings (warnings do not count unless --strict)
  1  findings
  2  usage or configuration error, unreadable path, or internal failure
  130  interrupted (Ctrl-C)
"""


class UsageError(Exception):
    """A bad flag value: reported as ``lint-news: error: ...`` with exit code 2."""


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter, told the width the way ``shutil.get_terminal_size`` finds it:
    argparse builds one for every flag it registers, and left alone it imports shutil
    (with zlib, bz2 and lzma) at every start just to ask."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return argparse.RawDescriptionHelpFormatter(prog, width=columns - 2)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lint-news",
        description="Lint news articles: YAML frontmatter checked against the article schema and rules.",
        epilog=_EPILOG,
        formatter_class=_formatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories ('-' reads standard input)")
    parser.add_argument("--version", action="version", version=f"lint-news {__version__}")
    _selection_flags(parser.add_argument_group("selection"))
    _output_flags(parser.add_argument_group("output"))
    _run_flags(parser.add_argument_group("run"))
    return parser


def _selection_flags(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--config", metavar="FILE", help="configuration file (default: nearest .lint-news.toml or pyproject.toml)"
    )
    group.add_argument("--isolated", action="store_true", help="ignore configuration files")
    group.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated codes or prefixes to check (replaces the configured selection)",
    )
    group.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to add to the selection")
    group.add_argument("--ignore", metavar="CODES", help="codes or prefixes to skip (added to the configured ones)")
    group.add_argument("--baseline", metavar="FILE", help="report only findings that are not in this baseline")
    group.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings as the baseline and exit 0"
    )
    group.add_argument(
        "--report-unused-suppressions",
        action="store_true",
        help="report lint-news: ignore comments that match nothing (N001)",
    )
    group.add_argument(
        "--max-file-size", type=int, metavar="BYTES", help="files larger than this are reported (E009), not read"
    )


def _output_flags(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--format", choices=FORMAT_NAMES, help="output format (default: text; github inside GitHub Actions)"
    )
    group.add_argument(
        "-o", "--output-file", metavar="FILE", help="write the report to FILE (atomically) instead of stdout"
    )
    group.add_argument("--show-source", action="store_true", help="text format: show the offending line with a caret")
    group.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output (auto: on a terminal; honours NO_COLOR and FORCE_COLOR)",
    )
    group.add_argument("--statistics", action="store_true", help="print the number of findings per code")
    group.add_argument("-q", "--quiet", action="store_true", help="no summary and no progress on stderr")
    group.add_argument("--explain", metavar="CODE", help="print the documentation of a code and exit")


def _run_flags(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1)")
    group.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    group.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: one per core)"
    )
    group.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    group.add_argument(
        "--cache-dir", metavar="DIR", help="result cache folder (default: .lint-news-cache or $LINT_NEWS_CACHE_DIR)"
    )
    group.add_argument("--stdin-filename", metavar="NAME", help="name to report for '-' (standard input)")


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``lint-news rules | head``): stop quietly, no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:  # Ctrl-C: the workers are already stopped; no traceback
        clear = "\r\x1b[K" if sys.stderr.isatty() else ""  # over the progress line, if any
        print(f"{clear}lint-news: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: Optional[Sequence[str]]) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = _subcommand(args_list)
    if command is not None:
        return command
    args = build_parser().parse_args(args_list)
    if args.explain:
        return explain(args.explain, sys.stdout)
    try:
        return lint(args, resolve_config(args))
    except (UsageError, ConfigError, BaselineError, WorkerError) as exc:  # a broken user schema is a UsageError
        print(f"lint-news: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _subcommand(argv: List[str]) -> Optional[int]:
    """``rule CODE``, ``rules`` and ``schema``, unless a path of that name exists."""
    if not argv or os.path.exists(argv[0]):
        return None
    if argv[0] == "rules" and len(argv) == 1:
        return list_rules(sys.stdout)
    if argv[0] == "rule" and len(argv) == 2:
        return explain(argv[1], sys.stdout)
    if argv[0] == "schema" and len(argv) == 1:
        from linter.validate.resources import bundled_schema_text

        sys.stdout.write(bundled_schema_text())
        return EXIT_CLEAN
    return None


def _codes(text: Optional[str], flag: str) -> Tuple[str, ...]:
    try:
        return tuple(check_code(c, flag) for c in (text or "").split(",") if c.strip())
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc


def resolve_config(args: argparse.Namespace) -> Config:
    """The configuration file, then the flags on top of it."""
    config = Config() if args.isolated else load_config(args.config)
    settings = config.settings
    select = _codes(args.select, "--select") or settings.select
    overrides = {
        "select": select + _codes(args.extend_select, "--extend-select"),
        "ignore": settings.ignore + _codes(args.ignore, "--ignore"),
        "max_file_size": args.max_file_size,
        "report_unused_suppressions": True if args.report_unused_suppressions else None,
    }
    if args.max_file_size is not None and args.max_file_size < 1:
        raise UsageError("--max-file-size must be at least 1")
    return with_overrides(config, **overrides)


def lint(args: argparse.Namespace, config: Config) -> int:
    if not args.paths:
        raise UsageError("no PATH given (use '-' for standard input; see --help)")
    _refuse_overwriting(args, config)
    _check_user_schema(config)
    stdin = _read_stdin(args, config.settings.max_file_size)
    progress = Progress(not args.quiet)
    # Paths stream from the directory walk into the run; only JUnit (one test case per
    # file) and a progress line (its total) need them all at hand.
    files = Files(args.paths, config, keep=args.format == "junit" or progress.enabled)
    results = _run(files, args, config, stdin, progress)
    findings = sorted(f for r in results + files.unusable for f in r.findings)
    if args.write_baseline:
        from linter.baseline import dumps

        _write(dumps(findings, args.write_baseline), args.write_baseline)
        _say(args, f"lint-news: wrote {len(findings)} finding(s) to {args.write_baseline}")
        return EXIT_ERROR if any(r.failed for r in results + files.unusable) else EXIT_CLEAN
    findings = _apply_baseline(findings, args.baseline or config.baseline)
    _report(findings, files, args, stdin)
    _say(args, summary(findings, files.count))
    failed = any(r.failed for r in results + files.unusable)
    return exit_code(findings, failed, args.strict or config.strict, args.exit_zero)


class Files:
    """The files a run checks, found while it runs: iterating walks the named paths once,
    counting files and collecting the unusable ones, so 100,000 paths are never held at
    once unless ``keep`` asks for them (``kept``)."""

    def __init__(self, paths: Sequence[str], config: Config, keep: bool) -> None:
        self.paths = paths
        self.config = config
        self.count = 0
        self.unusable: List[FileResult] = []
        self.kept: Optional[List[str]] = [] if keep else None

    def __iter__(self) -> Iterator[str]:
        from linter.engine import Linter

        for path, problem in discover(self.paths, self.config.include, self.config.exclude):
            if problem:
                self.unusable.append(Linter(self.config.settings).unusable(path, problem))
                continue
            self.count += 1
            if self.kept is not None:
                self.kept.append(path)
            yield path


def _check_user_schema(config: Config) -> None:
    """A user's schema is checked once, up front: a broken one is a usage error naming
    the configuration file, the key and the schema file."""
    path = config.settings.schema_path
    if path is None:
        return
    from linter.validate.schema import SchemaChecker, SchemaError, load_schema

    try:
        SchemaChecker(load_schema(path), accelerate=False).validator  # noqa: B018 - builds and checks it
    except SchemaError as exc:
        where = f"{config.source}: key 'schema': " if config.source else ""
        named = str(exc) if path in str(exc) else f"{path}: {exc}"
        raise UsageError(f"{where}{named}") from exc


def _refuse_overwriting(args: argparse.Namespace, config: Config) -> None:
    """A report written over a checked article would destroy it: refuse before any work."""
    for flag, target in (("--output-file", args.output_file), ("--write-baseline", args.write_baseline)):
        if target and os.path.exists(target):
            found = discover(args.paths, config.include, config.exclude)
            if any(not problem and _same_file(target, path) for path, problem in found):
                raise UsageError(f"{flag} {target} is one of the files being checked; refusing to overwrite it")


def _same_file(a: str, b: str) -> bool:
    try:
        return b != "-" and os.path.samefile(a, b)
    except OSError:
        return False


def _read_stdin(args: argparse.Namespace, limit: int) -> Dict[str, bytes]:
    """Standard input, read once (and never more than the size limit allows, so the engine
    reports E009 instead of holding a huge stream): it is linted and shown by --show-source."""
    if "-" not in args.paths:
        return {}
    return {args.stdin_filename or "-": sys.stdin.buffer.read(limit + 1)}


def _run(
    files: Files, args: argparse.Namespace, config: Config, stdin: Dict[str, bytes], progress: Progress
) -> List[FileResult]:
    jobs = args.jobs if args.jobs > 0 else default_jobs()
    paths: Iterable[str] = files
    if progress.enabled:
        paths = list(files)  # the total first, for "checked N/M"
        progress.total = len(paths)
    results = []
    name, data = next(iter(stdin.items()), ("-", None))
    for result in run(paths, config.settings, jobs, _cache(args, config), name, data):
        if result.findings or result.failed:  # clean results are dropped: memory stays flat
            results.append(result)
        progress.step()
    progress.close()
    return results


def _cache(args: argparse.Namespace, config: Config) -> Optional[Cache]:
    if args.no_cache:
        return None
    from linter.batch.cache import Cache, default_dir

    folder = args.cache_dir or config.cache_dir or default_dir()
    return Cache(folder, config.settings, _schema_text(config))


def _schema_text(config: Config) -> str:
    if config.settings.schema_path is None:
        from linter.validate.resources import bundled_schema_text

        return bundled_schema_text()
    with open(config.settings.schema_path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _apply_baseline(findings: List[Finding], path: Optional[str]) -> List[Finding]:
    if not path:
        return findings
    from linter.baseline import load, new_findings

    return new_findings(findings, load(path), path)


def _report(findings: List[Finding], files: Files, args: argparse.Namespace, stdin: Dict[str, bytes]) -> None:
    from linter.report.render import ReportContext, render, statistics

    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    stream_is_report = args.output_file is None
    context = ReportContext(
        rules=registry.RULES,
        files=sorted(files.kept or ()),
        checked=files.count,
        color=fmt == "text" and use_color(args.color, sys.stdout) and stream_is_report,
        show_source=args.show_source,
        source_line=SourceLines(stdin),
        tool_version=__version__,
    )
    text = render(fmt, findings, context)
    if args.statistics and fmt == "text":
        text += statistics(findings)
    if text or not stream_is_report:
        _write(text, args.output_file)
    if args.statistics and fmt != "text":
        sys.stderr.write(statistics(findings))


def _write(text: str, target: Optional[str]) -> None:
    try:
        write_report(text, target)
    except OSError as exc:
        if target is None:
            raise  # stdout itself failed (a closed pipe): main() handles it
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text, file=sys.stderr)


def summary(findings: Sequence[Finding], files: int) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    flagged = len({f.path for f in findings})
    return f"lint-news: {files} file(s) checked, {flagged} with findings: {errors} error(s), {warnings} warning(s)"


def exit_code(findings: Sequence[Finding], failed: bool, strict: bool, exit_zero: bool) -> int:
    if failed:
        return EXIT_ERROR
    failing = [f for f in findings if strict or f.severity is Severity.ERROR]
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN


def explain(code: str, out: TextIO) -> int:
    info = registry.RULES.get(code.upper()) or registry.BY_NAME.get(code)
    if info is None:
        print(f"lint-news: error: unknown code '{code}' (see 'lint-news rules')", file=sys.stderr)
        return EXIT_ERROR
    out.write(f"{info.code} {info.name} ({info.severity.value})\n\n{info.doc}\n")
    return EXIT_CLEAN


def list_rules(out: TextIO) -> int:
    for info in registry.RULES.values():
        out.write(f"{info.code}  {info.name:<26} {info.severity.value:<8} {info.summary}\n")
    return EXIT_CLEAN

"""The command line: ``main(argv) -> int``. The only layer that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional, Sequence, TextIO

from . import __version__, registry
from .engine import FileResult
from .model import Finding, Severity
from .runner import default_jobs, run
from .schema import SchemaError, bundled_schema_text
from .settings import Settings
from .walk import discover

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

_EPILOG = """\
examples:
  lint-news _news/                      check every *.md and *.markdown below _news/
  lint-news _news/2023-05-29-report.md  check one file (any extension)
  cat article.md | lint-news -           check standard input
  lint-news --format sarif -o out.sarif _news/
  lint-news rule S003                    explain a code
  lint-news rules                        list every code

exit codes: 0 no findings (or only warnings), 1 findings, 2 usage error, unreadable path
or internal failure.
"""


class UsageError(Exception):
    """A bad flag value: reported as ``lint-news: error: ...`` with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lint-news",
        description="Lint news articles: YAML frontmatter checked against the article schema and rules.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories ('-' for stdin)")
    parser.add_argument("--version", action="version", version=f"lint-news {__version__}")
    parser.add_argument("--select", default=None, help="comma-separated codes or prefixes to check (default: all)")
    parser.add_argument("--ignore", default=None, help="comma-separated codes or prefixes to skip")
    parser.add_argument("--extend-select", default=None, help="codes or prefixes to add to the selection")
    parser.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: one per core)")
    parser.add_argument("--explain", metavar="CODE", help="print the documentation of a code and exit")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = _subcommand(args_list)
    if command is not None:
        return command
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.explain:
        return explain(args.explain, sys.stdout)
    if not args.paths:
        parser.print_usage(sys.stderr)
        print("lint-news: error: no PATH given (use '-' for standard input)", file=sys.stderr)
        return EXIT_ERROR
    try:
        settings = settings_from_args(args)
        return lint(args, settings)
    except (UsageError, SchemaError) as exc:
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
        sys.stdout.write(bundled_schema_text())
        return EXIT_CLEAN
    return None


def _codes(text: Optional[str]) -> List[str]:
    codes = [c.strip().upper() for c in (text or "").split(",") if c.strip()]
    for code in codes:
        if not any(known.startswith(code) for known in registry.RULES):
            raise UsageError(f"unknown code or prefix '{code}' (see 'lint-news rules')")
    return codes


def settings_from_args(args: argparse.Namespace) -> Settings:
    select = tuple(_codes(args.select)) or ("",)
    select += tuple(_codes(args.extend_select))
    return Settings(select=select, ignore=tuple(_codes(args.ignore)))


def lint(args: argparse.Namespace, settings: Settings) -> int:
    files, failed = [], False
    for path, problem in discover(args.paths):
        if problem:
            print(f"{path}:1:1: E010 {problem}", file=sys.stdout)
            failed = True
        else:
            files.append(path)
    jobs = args.jobs if args.jobs > 0 else default_jobs()
    results: List[FileResult] = list(run(files, settings, jobs))
    findings = sorted(f for r in results for f in r.findings)
    for finding in findings:
        print(f"{finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.message}")
    failed = failed or any(r.failed for r in results)
    if not args.quiet:
        print(summary(findings, len(files)), file=sys.stderr)
    return exit_code(findings, failed, args.strict, args.exit_zero)


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

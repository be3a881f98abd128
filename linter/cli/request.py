"""Flags and configuration -> one typed ``Request``: what a run is asked to do.

This is the only module that sees ``argparse``; everything after it reads the Request.
A plain command line (flags spelled out in full, then or before the paths: pre-commit's)
is read without it (``parse_flags``): importing argparse, building the parser and the
translations it looks up are about a tenth of a one-file run.

How to add a flag (four lines, all here):
  1. ``group.add_argument(...)`` in the group it belongs to (selection, output or run);
  2. its names in ``_PLAIN_FLAGS``, with what it takes (a test holds the two equal);
  3. a field of ``Request``, with the default a run without the flag gets;
  4. the value in ``request_from`` (with the configuration's, when a key sets it too).
Then read ``request.<field>`` in ``session`` (what the run does) or ``output`` (what it
prints). A new subcommand (``lint-news NAME ...``) goes in ``linter.cli._subcommand``.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

from linter import __version__
from linter.batch.walk import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from linter.config import Config, ConfigError, check_code, load_config, with_overrides
from linter.settings import Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

    #: The flags' values: argparse's Namespace, or the same read by ``parse_flags``.
    Flags = Union[argparse.Namespace, SimpleNamespace]
else:
    from linter.named import NamedTuple

FORMAT_NAMES = ("text", "json", "github", "sarif", "junit", "gitlab")
COLORS = ("auto", "always", "never")

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
  lint-news --fix _news/                 repair what is safe to repair, report the rest
  lint-news --diff --unsafe-fixes _news/ show every repair as a patch, write nothing

exit codes:
  0  no findings (warnings do not count unless --strict)
  1  findings
  2  usage or configuration error, unreadable path, or internal failure
  130  interrupted (Ctrl-C)
"""


class UsageError(Exception):
    """A bad flag value or a request that cannot be carried out: ``lint-news: error: ...``
    with exit code 2."""


class Request(NamedTuple):
    """One run, fully resolved from flags, configuration file and environment.

    The defaults are a run with no flags and no configuration file.
    """

    paths: Tuple[str, ...] = ()
    # what is checked and how (the configuration file, then the flags)
    settings: Settings = Settings()
    include: Tuple[str, ...] = DEFAULT_INCLUDE
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    config_source: Optional[str] = None  # the configuration file, for messages
    archive: Tuple[str, ...] = ()  # archive roots named by the configuration (absolute)
    baseline: Optional[str] = None
    write_baseline: Optional[str] = None
    stdin_filename: Optional[str] = None
    # output
    format: str = "text"
    output_file: Optional[str] = None
    show_source: bool = False
    color: str = "auto"
    statistics: bool = False
    quiet: bool = False
    # run
    strict: bool = False
    exit_zero: bool = False
    jobs: int = 0  # 0: one per core
    cache: bool = True
    cache_dir: Optional[str] = None  # None: .lint-news-cache or $LINT_NEWS_CACHE_DIR
    # The folder a configured cache-dir must lie in (the configuration's): a repository's
    # file may not make lint-news write elsewhere on the machine.
    cache_within: Optional[str] = None
    # fixes
    fix: bool = False  # write fixed files (or, for '-', the fixed document to stdout)
    diff: bool = False  # print the diff of the fixes, write nothing
    unsafe_fixes: bool = False

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff


#: What a flag takes beside its name, for ``parse_flags``: nothing (a switch), a text, a
#: number, or one of the choices.
_SWITCH, _TEXT, _NUMBER = "switch", "text", "number"
#: Every flag of ``build_parser`` but --help and --version, as ``parse_flags`` reads them
#: without argparse: name -> (destination, what it takes).
_PLAIN_FLAGS: Dict[str, Tuple[str, Union[str, Tuple[str, ...]]]] = {
    "--config": ("config", _TEXT),
    "--isolated": ("isolated", _SWITCH),
    "--select": ("select", _TEXT),
    "--extend-select": ("extend_select", _TEXT),
    "--ignore": ("ignore", _TEXT),
    "--baseline": ("baseline", _TEXT),
    "--write-baseline": ("write_baseline", _TEXT),
    "--report-unused-suppressions": ("report_unused_suppressions", _SWITCH),
    "--max-file-size": ("max_file_size", _NUMBER),
    "--format": ("format", FORMAT_NAMES),
    "-o": ("output_file", _TEXT),
    "--output-file": ("output_file", _TEXT),
    "--show-source": ("show_source", _SWITCH),
    "--color": ("color", COLORS),
    "--statistics": ("statistics", _SWITCH),
    "-q": ("quiet", _SWITCH),
    "--quiet": ("quiet", _SWITCH),
    "--explain": ("explain", _TEXT),
    "--strict": ("strict", _SWITCH),
    "--exit-zero": ("exit_zero", _SWITCH),
    "-j": ("jobs", _NUMBER),
    "--jobs": ("jobs", _NUMBER),
    "--no-cache": ("no_cache", _SWITCH),
    "--cache-dir": ("cache_dir", _TEXT),
    "--stdin-filename": ("stdin_filename", _TEXT),
    "--fix": ("fix", _SWITCH),
    "--unsafe-fixes": ("unsafe_fixes", _SWITCH),
    "--diff": ("diff", _SWITCH),
}
#: The flags' values when not given (argparse's defaults in ``build_parser``).
_FLAG_DEFAULTS = {
    **{dest: False if takes == _SWITCH else None for dest, takes in _PLAIN_FLAGS.values()},
    "color": "auto",
    "jobs": 0,
}


def parse_flags(argv: Sequence[str]) -> Flags:
    """The flags and paths of ``argv``, as argparse reads them (``build_parser``).

    A plain command line is read here: each word a path or a flag of ``_PLAIN_FLAGS``
    spelled out in full, a flag's value a word of its own (or after ``=``) that does not
    start with ``-``, a number or a choice valid, and the paths in one run (argparse
    refuses paths on both sides of a flag). Anything else (help, the version, an
    abbreviation, ``--``, a mistake) goes to argparse, which also says what is wrong."""
    plain = _plain_flags(argv)
    if plain is not None:
        return plain
    return build_parser().parse_args(argv)


def _plain_flags(argv: Sequence[str]) -> Optional[SimpleNamespace]:
    values: Dict[str, object] = dict(_FLAG_DEFAULTS)
    paths: List[str] = []
    ended = False  # a flag came after paths: another path would be refused
    words: Iterator[str] = iter(argv)
    for word in words:
        if word == "-" or not word.startswith("-"):
            if ended:
                return None
            paths.append(word)
            continue
        ended = bool(paths)
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        flag = _PLAIN_FLAGS.get(name)
        if flag is None:
            return None
        dest, takes = flag
        if takes == _SWITCH:
            if equals:
                return None
            values[dest] = True
            continue
        if not equals:
            following = next(words, None)
            if following is None or following.startswith("-"):
                return None
            value = following
        if takes == _NUMBER:
            try:
                values[dest] = int(value)
            except ValueError:
                return None
        elif takes == _TEXT or value in takes:
            values[dest] = value
        else:
            return None
    return SimpleNamespace(paths=paths, **values)


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter, told the width the way ``shutil.get_terminal_size`` finds it:
    argparse builds one for every flag it registers, and left alone it imports shutil
    (with zlib, bz2 and lzma) at every start just to ask."""
    import argparse

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
    import argparse  # only here: see parse_flags

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
    _fix_flags(parser.add_argument_group("fixes"))
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
        choices=COLORS,
        default="auto",
        help="colour text output (auto: on a terminal; honours NO_COLOR and FORCE_COLOR)",
    )
    group.add_argument(
        "--statistics", action="store_true", help="print the number of findings per code instead of the findings"
    )
    group.add_argument("-q", "--quiet", action="store_true", help="no summary and no progress on stderr")
    group.add_argument("--explain", metavar="CODE", help="print the documentation of a code and exit")


def _run_flags(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1)")
    group.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    group.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default and 0: one per core)"
    )
    group.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    group.add_argument(
        "--cache-dir", metavar="DIR", help="result cache folder (default: .lint-news-cache or $LINT_NEWS_CACHE_DIR)"
    )
    group.add_argument("--stdin-filename", metavar="NAME", help="name to report for '-' (standard input)")


def _fix_flags(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--fix",
        action="store_true",
        help="repair what can be repaired safely, then report what remains ('-': stdin to stdout)",
    )
    group.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff: also make fixes that change a value's meaning",
    )
    group.add_argument(
        "--diff",
        action="store_true",
        help="print the unified diff that --fix would apply and write nothing (exit 1 if any)",
    )


def request_from(args: Flags) -> Request:
    """The configuration file, the flags on top of it, and the environment's defaults."""
    if args.jobs < 0:
        raise UsageError(f"--jobs must be 0 (one per core) or a positive number, not {args.jobs}")
    config = resolve_config(args)
    _check_fix_flags(args)
    return Request(
        paths=tuple(args.paths),
        settings=config.settings,
        include=config.include,
        exclude=config.exclude,
        config_source=config.source,
        archive=config.archive,
        baseline=args.baseline or config.baseline,
        write_baseline=args.write_baseline,
        stdin_filename=args.stdin_filename,
        format=args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"),
        output_file=args.output_file,
        show_source=args.show_source,
        color=args.color,
        statistics=args.statistics,
        quiet=args.quiet,
        strict=args.strict or config.strict,
        exit_zero=args.exit_zero,
        jobs=args.jobs,
        cache=not args.no_cache,
        cache_dir=args.cache_dir or config.cache_dir,
        cache_within=os.path.dirname(config.source or "") if config.cache_dir and not args.cache_dir else None,
        fix=args.fix,
        diff=args.diff,
        unsafe_fixes=args.unsafe_fixes,
    )


def _check_fix_flags(args: Flags) -> None:
    if not (args.fix or args.diff):
        return
    if args.write_baseline:
        raise UsageError("--write-baseline cannot be combined with --fix or --diff")
    if "-" in args.paths and len(args.paths) > 1:
        raise UsageError("with --fix or --diff, '-' (standard input) must be the only PATH")


def resolve_config(args: Flags) -> Config:
    """The configuration file, then the flags that change settings on top of it."""
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


def _codes(text: Optional[str], flag: str) -> Tuple[str, ...]:
    try:
        return tuple(check_code(c, flag) for c in (text or "").split(",") if c.strip())
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc

"""The command line: ``main(argv) -> int``, the only layer that prints or exits.

Three steps, one module each: ``request`` turns flags and configuration into a typed
``Request`` (add a flag there), ``session`` carries it out and returns an ``Outcome``, and
``output`` writes the report and chooses the exit code. Subcommands are below.
"""

from __future__ import annotations

import os
import sys

from linter import registry
from linter.baseline import BaselineError
from linter.batch.pool import WorkerError
from linter.cli.output import EXIT_CLEAN, EXIT_ERROR, EXIT_INTERRUPTED, emit
from linter.cli.request import UsageError, parse_flags, request_from
from linter.cli.session import run_request
from linter.config import ConfigError
from linter.validate.resources import MissingResource

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, NoReturn, Optional, Sequence, TextIO


def command() -> NoReturn:
    """The installed ``lint-news`` command: ``main()``, then the process ends without
    tearing the interpreter down. Freeing every module, object and type one by one is
    about a tenth of a one-file run (pre-commit's), and nothing is left to finish: every
    file lint-news writes is written and closed, its workers waited for, and the standard
    streams are flushed here. A tracer (coverage, a debugger) saves its data at exit, so
    with one the interpreter exits as usual."""
    code = main()
    if sys.gettrace() is not None or "coverage" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: closed when the process began (``2>&-``)
                stream.flush()
        except (OSError, ValueError):  # the reader went away: as main() treats it
            code = code or EXIT_ERROR
    os._exit(code)


def main(argv: Optional[Sequence[str]] = None) -> int:
    if sys.stderr is None:  # closed when the process began (``2>&-``): nobody reads it
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - kept for the whole process
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
    except MissingResource as exc:  # a broken installation, not a broken article
        print(f"lint-news: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug in lint-news: one line and exit 2, never a traceback
        # The type and where it was raised, not the text: that may quote a file (a secured value).
        from linter.engine import where_raised

        print(f"lint-news: internal error: {type(exc).__name__} {where_raised(exc)}; please report it", file=sys.stderr)
        return EXIT_ERROR


def _main(argv: Optional[Sequence[str]]) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = _subcommand(args_list)
    if command is not None:
        return command
    args = parse_flags(args_list)
    if args.explain:
        return explain(args.explain, sys.stdout)
    try:
        request = request_from(args)
        return emit(run_request(request), request)
    except (UsageError, ConfigError, BaselineError, WorkerError) as exc:  # a broken user schema is a UsageError
        print(f"lint-news: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _subcommand(argv: List[str]) -> Optional[int]:
    """``rule CODE``, ``rules``, ``schema`` and ``server``, unless a path of that name exists."""
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
    if argv[0] == "server" and len(argv) == 1:
        from linter.server import main as serve  # pygls is imported only here

        return serve()
    return None


def explain(code: str, out: TextIO) -> int:
    info = registry.RULES.get(code.upper()) or registry.BY_NAME.get(code)
    if info is None:
        print(f"lint-news: error: unknown code '{code}' (see 'lint-news rules')", file=sys.stderr)
        return EXIT_ERROR
    from linter.docs import fix_text

    out.write(f"{info.code} {info.name} ({info.severity.value})\n\n{info.doc}\n\n{fix_text(info)}\n")
    return EXIT_CLEAN


def list_rules(out: TextIO) -> int:
    for info in registry.RULES.values():
        out.write(f"{info.code}  {info.name:<26} {info.severity.value:<8} {info.summary}\n")
    return EXIT_CLEAN

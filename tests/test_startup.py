"""Start-up costs (see the README's design section, "Start-up counts"): what a one-file run
(pre-commit's) does before and after checking its file, held so that it stays cheap."""

from __future__ import annotations

import contextlib
import io
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from conftest import EXAMPLES

from linter.cli.request import _FLAG_DEFAULTS, _NUMBER, _PLAIN_FLAGS, _SWITCH, _TEXT, _plain_flags, build_parser

VALID = EXAMPLES / "_news" / "2024-03-11-robotics-library.md"
INVALID = EXAMPLES / "_news" / "2024-02-28-hedgehog-mowers.md"


def _unmeasured() -> Dict[str, str]:
    """The environment without coverage's start in child processes (pytest --cov): it
    imports and compiles modules of its own and keeps the interpreter's teardown."""
    return {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_PROCESS")}


def _alone(tmp_path: Path, article: Path) -> Path:
    """The article alone in a ``_news`` folder (beside the other examples, the check across
    files would read them too)."""
    target = tmp_path / "_news" / article.name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(article.read_bytes())
    return target


# -- the flags, read without argparse ------------------------------------------------------


def _parsed(argv: List[str]) -> Optional[Dict[str, Any]]:
    """argparse's reading of ``argv``, or None where it stops (an error, --help, --version)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            return vars(build_parser().parse_args(argv))
        except SystemExit:
            return None


def test_the_plain_flags_are_the_parser_s() -> None:
    """Every flag of the parser but --help and --version, with its destination, what it
    takes and its default, is in ``_PLAIN_FLAGS``, and nothing else is."""
    import argparse

    found: Dict[str, Any] = {}
    defaults: Dict[str, Any] = {}
    for action in build_parser()._actions:
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction)) or not action.option_strings:
            continue
        if isinstance(action, argparse._StoreTrueAction):
            takes: Any = _SWITCH
        elif action.type is int:
            takes = _NUMBER
        elif action.choices is not None:
            takes = tuple(action.choices)
        else:
            assert type(action) is argparse._StoreAction and action.type is None and action.nargs is None
            takes = _TEXT
        found.update({name: (action.dest, takes) for name in action.option_strings})
        defaults[action.dest] = action.default
    assert found == _PLAIN_FLAGS
    assert defaults == _FLAG_DEFAULTS


@pytest.mark.parametrize(
    "argv",
    [
        ["--no-cache", "_news/2024-03-11-a.md", "_news/2024-03-12-b.md"],  # pre-commit's call
        ["_news"],
        [],
        ["-"],
        ["--format", "json", "-o", "report.json", "--jobs=2", "-q", "_news"],
        ["_news", "--select=", "--color", "never", "--max-file-size", "100"],
        ["--stdin-filename", "_news/2024-03-11-a.md", "-", "--fix"],
    ],
)
def test_a_plain_command_line_is_read_without_argparse(argv: List[str]) -> None:
    plain = _plain_flags(argv)
    assert plain is not None and vars(plain) == _parsed(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["a.md", "--no-cache", "b.md"],  # paths on both sides of a flag: argparse refuses
        ["--no-c", "a.md"],  # an abbreviation
        ["--", "-a.md"],
        ["-h"],
        ["--version"],
        ["--jobs", "-1", "a.md"],  # a value that looks like a flag
        ["-j2", "a.md"],
        ["-qj", "2"],
        ["--format", "yaml", "a.md"],
        ["--jobs", "two"],
        ["--no-cache=yes", "a.md"],
        ["--config"],
        ["-5"],
    ],
)
def test_anything_else_goes_to_argparse(argv: List[str]) -> None:
    assert _plain_flags(argv) is None


def test_plain_reading_agrees_with_argparse_on_random_command_lines() -> None:
    """Command lines made of flags, abbreviations, values good and bad and paths: wherever
    the plain reading answers, argparse reads exactly the same."""
    words = [
        *_PLAIN_FLAGS,
        "--no-c",
        "--form",
        "-qj",
        "-j2",
        "--",
        "--format=json",
        "--format=yaml",
        "--jobs=2",
        "--jobs=",
        "--config=",
        "--config=a=b",
        "--no-cache=1",
        "-o=x",
        "json",
        "text",
        "never",
        "yaml",
        "2",
        " 3",
        "-1",
        "0x10",
        "",
        "=",
        "-",
        "a.md",
        "_news",
        "- x",
        "S001,D",
    ]
    rng = random.Random(11)
    answered = 0
    for _ in range(3000):
        argv = [rng.choice(words) for _ in range(rng.randint(0, 6))]
        plain = _plain_flags(argv)
        if plain is not None:
            answered += 1
            assert vars(plain) == _parsed(argv), argv
    assert answered > 300  # the comparison did compare


# -- what a one-file run does --------------------------------------------------------------

COMPILES = """
import builtins, sys
made = []
real = builtins.compile
def counted(*args, **kwargs):
    caller = sys._getframe(1).f_code.co_filename
    if not caller.startswith("<frozen importlib"):  # a module read without its .pyc
        made.append(caller)
    return real(*args, **kwargs)
builtins.compile = counted
from linter.cli import main
code = main(["--no-cache", "--quiet", sys.argv[1]])
print(code, sorted(set(made)))
"""


def test_a_one_file_run_compiles_no_source(tmp_path: Path) -> None:
    """The first ``compile()`` of a process builds Python's AST types (about 10 M
    instructions, 4 % of a one-file run), and ``typing`` compiles every field annotation
    of a ``NamedTuple`` written as a string (``from __future__ import annotations``) and
    every quoted name in a ``Union[...]`` evaluated at run time: a valid article's run
    makes no such call (see the README's design section)."""
    article = _alone(tmp_path, VALID)
    command = [sys.executable, "-c", COMPILES, str(article)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=_unmeasured(), cwd=tmp_path)
    assert out.stdout.split("\n")[0] == "0 []"


FORGOTTEN = """
import sys
# The editable install's finder imports these at start-up: forgotten, a run that imports
# them again is seen.
for name in ("pathlib", "urllib.parse", "urllib", "ipaddress"):
    sys.modules.pop(name, None)
from linter.cli import main
code = main(["--no-cache", "--quiet", sys.argv[1]])
print(code, sorted(name for name in ("pathlib", "urllib.parse", "ipaddress") if name in sys.modules))
"""


def test_a_one_file_run_imports_neither_pathlib_nor_urllib(tmp_path: Path) -> None:
    """``urllib.parse`` imports ``ipaddress`` (about 9 M instructions together): only the
    SARIF report needs it; ``pathlib`` only a configuration file found or a report format
    that names files as URIs."""
    article = _alone(tmp_path, VALID)
    command = [sys.executable, "-c", FORGOTTEN, str(article)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=_unmeasured(), cwd=tmp_path)
    assert out.stdout.split("\n")[0] == "0 []"


TYPING = """
import sys
from linter.cli import main
code = main(["--no-cache", "--quiet", sys.argv[1]])
print(code, "typing" in sys.modules)
"""


def test_a_one_file_run_never_imports_typing(tmp_path: Path) -> None:
    """Importing ``typing`` is about 12 M instructions, and making its generics and its
    ``NamedTuple`` classes (each field annotation compiled) was 20 M more: the package's
    modules import it only for type checkers, and ``linter.named`` makes the records."""
    article = _alone(tmp_path, VALID)
    command = [sys.executable, "-c", TYPING, str(article)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=_unmeasured(), cwd=tmp_path)
    assert out.stdout.split("\n")[0] == "0 False"


ENDING = """
import atexit, sys
atexit.register(lambda: print("torn down", file=sys.stderr))
{before}
sys.argv = ["lint-news", "--no-cache", sys.argv[1]]
from linter.cli import command
command()
"""


@pytest.mark.parametrize(("before", "torn_down"), [("", False), ("sys.settrace(lambda *args: None)", True)])
def test_the_command_ends_without_the_interpreter_s_teardown(tmp_path: Path, before: str, torn_down: bool) -> None:
    """The installed command leaves without freeing every module and object one by one (a
    tenth of a one-file run), after flushing its report; a process being traced (coverage,
    a debugger) exits as usual, so that the tracer saves what it saw."""
    article = _alone(tmp_path, INVALID)
    command = [sys.executable, "-c", ENDING.format(before=before), str(article)]
    out = subprocess.run(command, capture_output=True, text=True, env=_unmeasured(), cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout.count(f"{article}:") == 10 and out.stdout.endswith("\n")  # the whole report
    assert ("torn down" in out.stderr) is torn_down
    assert "file(s) checked" in out.stderr


# -- the end of a run ----------------------------------------------------------------------


def _findings() -> List[Any]:
    from linter.model import Finding, Severity

    return [
        Finding("a.md", 1, 1, "E010", Severity.ERROR, "cannot be read"),
        Finding("b.md", 2, 3, "T001", Severity.WARNING, "title ends with a space", fix="safe"),
        Finding("b.md", 4, 1, "S002", Severity.ERROR, "expected integer"),
        Finding("c.md", 5, 1, "U005", Severity.WARNING, "not the AMP Cache URL", fix="unsafe"),
    ]


def _counts(tally: Any) -> Tuple[Any, ...]:
    return tuple(getattr(tally, name) for name in tally.__slots__)


def test_the_report_s_first_reading_is_the_tally() -> None:
    """The summary's counts are made while the report reads the findings (not in a second
    reading of the store): read to the end once, they equal a tally of their own; read
    again, nothing is counted twice; read in part, there is no tally (it is made apart)."""
    from linter.cli.output import Tally, _Counted

    found = _findings()
    counted = _Counted(found)
    assert len(counted) == 4 and found[2] in counted and counted.tally is None
    assert list(counted) == found and list(counted) == found
    assert counted.tally is not None and _counts(counted.tally) == _counts(Tally(found))
    assert counted.tally.count == 4 and counted.tally.broken == {"a.md"} and counted.tally.flagged == {"b.md", "c.md"}
    partly = _Counted(found)
    next(iter(partly))
    assert list(partly) == found and partly.tally is None


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit", "gitlab"])
@pytest.mark.parametrize("statistics", [False, True])
def test_every_report_says_the_same_summary(tmp_path: Path, fmt: str, statistics: bool) -> None:
    from conftest import run_main

    article = _alone(tmp_path, INVALID)
    flags = ["--statistics"] if statistics else []
    done = run_main("--no-cache", "--format", fmt, *flags, str(article), cwd=tmp_path)
    assert done.rc == 1
    assert done.err.splitlines()[-2:] == [
        "lint-news: 1 file(s) checked, 1 with findings: 10 error(s), 0 warning(s)",
        "[*] 3 fixable with --fix (1 more with --unsafe-fixes)",
    ]

"""Start-up costs (see the README's design section, "Start-up counts"): what a one-file run
(pre-commit's) does before and after checking its file, held so that it stays cheap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

from conftest import EXAMPLES

VALID = EXAMPLES / "_news" / "2024-03-11-robotics-library.md"


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

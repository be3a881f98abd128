"""The code stays typed, linted and formatted: the same checks a reviewer would run."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest
from conftest import ROOT

#: One typing style (the one most of the code was written in): ``from __future__ import
#: annotations`` and the ``typing`` generics (``List[str]``, ``Optional[int]``), never the
#: builtin ones (``list[str]``) or ``X | None``, which Python 3.9 cannot evaluate at run time.
#: The package's modules import ``typing`` only for type checkers (``if TYPE_CHECKING:``),
#: and take ``NamedTuple`` from ``linter.named`` at run time: importing ``typing``, making
#: its generics and its ``NamedTuple`` classes was a fifth of a one-file run (see the
#: README's design section, "Start-up counts").
_BUILTIN_GENERICS = {"list", "dict", "tuple", "set", "frozenset", "type"}


def _run(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_mypy_strict_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_is_clean() -> None:
    result = _run("ruff", "check", "linter", "tests", "bench", "fuzz")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run("ruff", "format", "--check", "linter", "tests", "bench", "fuzz")
    assert result.returncode == 0, result.stdout + result.stderr


def typing_style_breaks(source: str) -> List[str]:
    """Where ``source`` leaves the project's one typing style, as "line: what"."""
    tree = ast.parse(source)
    found = [
        f"{node.lineno}: {node.value.id}[...]"
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in _BUILTIN_GENERICS
    ]
    for annotation in _annotations(tree):
        found += [f"{node.lineno}: X | Y" for node in ast.walk(annotation) if _is_union(node)]
    found += [f"{node.lineno}: collections.abc" for node in ast.walk(tree) if _imports_abc(node)]
    future = any(isinstance(node, ast.ImportFrom) and node.module == "__future__" for node in tree.body)
    if not future and any(True for _ in _annotations(tree)):
        found.append("1: annotations without 'from __future__ import annotations'")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def _annotations(tree: ast.AST) -> List[ast.AST]:
    found: List[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            found.append(node.returns)
        elif isinstance(node, ast.arg) and node.annotation is not None or isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    return found


def typing_at_run_time(source: str) -> List[str]:
    """Where a module imports ``typing`` when it is imported: anywhere at its top level
    (in ``if`` and ``try`` blocks too) but inside ``if TYPE_CHECKING:``, as "line: what".
    A function may import it where it needs it."""
    found: List[str] = []
    todo: List[ast.stmt] = list(ast.parse(source).body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo += node.orelse
        elif isinstance(node, (ast.If, ast.Try)):
            todo += [*node.body, *node.orelse, *getattr(node, "finalbody", ())]
            todo += [stmt for handler in getattr(node, "handlers", ()) for stmt in handler.body]
        elif isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "typing" for alias in node.names):
            found.append(f"{node.lineno}: import typing")
        elif isinstance(node, ast.ImportFrom) and node.module == "typing":
            found.append(f"{node.lineno}: from typing import")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def _is_union(node: ast.AST) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)


def _imports_abc(node: ast.AST) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "collections.abc"


def _python_files() -> List[Path]:
    return sorted(p for folder in ("linter", "tests", "bench", "fuzz") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_one_typing_style(path: Path) -> None:
    assert typing_style_breaks(path.read_text(encoding="utf-8")) == []


def test_a_second_typing_style_is_found() -> None:
    source = """
from collections.abc import Sequence
def f(a: list[int], b: int | None) -> Optional[int]:
    flags = 1 | 2
    return None
"""
    assert typing_style_breaks(source) == [
        "1: annotations without 'from __future__ import annotations'",
        "2: collections.abc",
        "3: list[...]",
        "3: X | Y",
    ]


def test_a_module_of_named_tuples_needs_the_future_import_too() -> None:
    records = "from typing import NamedTuple, Optional\nclass Hit(NamedTuple):\n    hint: Optional[str]\n"
    assert typing_style_breaks(records) == ["1: annotations without 'from __future__ import annotations'"]
    assert typing_style_breaks("from __future__ import annotations\n" + records) == []


@pytest.mark.parametrize("path", sorted((ROOT / "linter").rglob("*.py")), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_package_imports_typing_only_for_type_checkers(path: Path) -> None:
    assert typing_at_run_time(path.read_text(encoding="utf-8")) == []


def test_typing_at_run_time_is_found() -> None:
    source = """
import typing
from typing import Any
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict
else:
    from typing import List
try:
    from typing import Protocol
except ImportError:
    import typing.io
def f() -> None:
    from typing import cast
"""
    assert typing_at_run_time(source) == [
        "2: import typing",
        "3: from typing import",
        "8: from typing import",
        "10: from typing import",
        "12: import typing",
    ]

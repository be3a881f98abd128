"""The built wheel, installed into a fresh virtual environment, works on its own.

The sources are copied first, so a stale ``build/`` folder in the checkout cannot leak old
files into the wheel; dependencies come from the package index, as for a user.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import List, NamedTuple

import pytest
from conftest import BAD_FINDINGS, EXAMPLES, ROOT

from linter import __version__

TIMEOUT = 600
BAD = "examples/_news/2024-02-28-hedgehog-mowers.md"


class Installed(NamedTuple):
    wheel: Path
    bin: Path
    workdir: Path


def run(command: List[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


def checked(command: List[str], cwd: Path) -> None:
    proc = run(command, cwd)
    assert proc.returncode == 0, f"{command}\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    for name in ("linter", "schema"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    checked([sys.executable, "-m", "build", "--wheel", "--outdir", str(root / "dist"), str(source)], root)
    (wheel,) = (root / "dist").glob("*.whl")
    checked([sys.executable, "-m", "venv", str(root / "venv")], root)
    bin_dir = root / "venv" / "bin"
    checked([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], root)
    workdir = root / "work"
    shutil.copytree(EXAMPLES, workdir / "examples")
    return Installed(wheel, bin_dir, workdir)


def test_wheel_contains_the_package_and_the_schema(installed: Installed) -> None:
    assert installed.wheel.name == f"lint_news-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "lint-news = linter.cli:main" in wheel.read(entry_points).decode()
        bundled = json.loads(wheel.read("linter/schema/news-article.schema.json"))
    assert bundled == json.loads((ROOT / "schema" / "news-article.schema.json").read_text(encoding="utf-8"))
    for module in ("linter/__init__.py", "linter/__main__.py", "linter/cli/__init__.py", "linter/rules/__init__.py"):
        assert module in names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "schema/", "bench/"))]


def test_installed_command_checks_the_examples(installed: Installed) -> None:
    proc = run([str(installed.bin / "lint-news"), "--no-cache", "examples/"], installed.workdir)
    expected = "".join(f"{BAD}:{row}\n" for row in BAD_FINDINGS)
    summary = "lint-news: 3 file(s) checked, 1 with findings: 11 error(s), 0 warning(s)\n"
    summary += "[*] 3 fixable with --fix (1 more with --unsafe-fixes)\n"
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, expected, summary)


def test_installed_command_prints_the_bundled_schema(installed: Installed) -> None:
    proc = run([str(installed.bin / "lint-news"), "schema"], installed.workdir)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert json.loads(proc.stdout) == json.loads(
        (ROOT / "schema" / "news-article.schema.json").read_text(encoding="utf-8")
    )


def test_installed_module_runs(installed: Installed) -> None:
    proc = run([str(installed.bin / "python"), "-m", "linter", "--version"], installed.workdir)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"lint-news {__version__}\n", "")


def test_installed_package_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    code = (
        "import importlib.resources, linter; print(linter.__file__); "
        "print(importlib.resources.files('linter').joinpath('schema', 'news-article.schema.json').is_file())"
    )
    proc = run([str(installed.bin / "python"), "-c", code], installed.workdir)
    assert proc.returncode == 0, proc.stderr
    location, packaged = proc.stdout.splitlines()
    assert Path(location).is_relative_to(installed.bin.parent)
    assert packaged == "True"

"""The Python API: ``linter.lint_text``, ``lint_paths``, ``load_config`` and the README example."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run_cli

import linter
from linter.config import ConfigError

README = (ROOT / "README.md").read_text(encoding="utf-8")
BAD = EXAMPLES / "_news" / "2024-02-28-hedgehog-mowers.md"


def test_readme_example_prints_what_the_readme_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = README.split("## Python API", 1)[1]
    code = re.search(r"<!-- readme-test: python -->\n```python\n(.*?)```", section, re.S)
    shown = re.search(r"prints\n\n```text\n(.*?)```", section, re.S)
    assert code and shown
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.group(1), "README.md", "exec"), {})  # noqa: S102 - the README's own example
    assert out.getvalue() == shown.group(1)


def test_lint_paths_agrees_with_the_command(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    result = run_cli("--no-cache", "--format", "json", "examples", cwd=tmp_path)
    expected = [
        (f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.out)["findings"]
    ]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for jobs in (1, 2):
            found = linter.lint_paths(["examples"], jobs=jobs)
            assert [(f.path, f.line, f.column, f.code, f.message) for f in found] == expected
    finally:
        os.chdir(cwd)


def test_findings_are_immutable_and_complete() -> None:
    found = linter.lint_text(BAD.read_bytes(), path="_news/2024-02-28-hedgehog-mowers.md")
    first = found[0]
    with pytest.raises(AttributeError):
        first.line = 3  # type: ignore[misc]
    assert isinstance(found, tuple) and list(found) == sorted(found)
    for field in ("path", "line", "column", "code", "name", "severity", "message", "hint", "fixable"):
        assert hasattr(first, field)
    assert (first.line, first.column, first.code, first.name, first.severity.value) == (
        3,
        1,
        "S003",
        "unknown-field",
        "error",
    )


def test_secured_value_is_hidden() -> None:
    text = BAD.read_text(encoding="utf-8")
    secret = re.search(r"^secured: (.*)$", text, re.M)
    assert secret
    found = linter.lint_text(text)
    assert secret.group(1).strip('"') not in repr(found)


def test_load_config_reads_the_folders_file(tmp_path: Path) -> None:
    (tmp_path / ".lint-news.toml").write_text('ignore = ["X001"]\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    config = linter.load_config(tmp_path / "sub")
    assert config.source == str(tmp_path / ".lint-news.toml")
    codes = {f.code for f in linter.lint_text(BAD.read_text(encoding="utf-8"), config=config)}
    assert "X001" not in codes and "D001" in codes
    (tmp_path / ".lint-news.toml").write_text('ignore = "X001"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="ignore"):
        linter.load_config(tmp_path)


def test_import_linter_is_cheap() -> None:
    """``import linter`` loads the package alone; the API arrives on first use."""
    code = "import sys, linter; print(sorted(m for m in sys.modules if m.startswith(('linter', 'yaml', 'jsonschema'))))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "['linter']"
    assert linter.lint_text.__module__ == "linter.api"
    with pytest.raises(AttributeError):
        linter.no_such_name  # noqa: B018

"""lint-news's own failures (a bug, a broken installation) end in one line and exit 2."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sample_articles import GOOD, GOOD_NAME

import linter
from linter import cli


def test_a_bug_is_one_line_and_exit_2_without_the_exception_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(request: object) -> object:
        raise ValueError("secured: s3cr3t-from-a-file")

    monkeypatch.setattr(cli, "run_request", broken)
    article = tmp_path / GOOD_NAME
    article.write_text(GOOD, encoding="utf-8")
    assert cli.main(["--no-cache", str(article)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lint-news: internal error: ValueError (")
    assert "please report it" in err and len(err.splitlines()) == 1
    assert "s3cr3t" not in err and "Traceback" not in err


def test_a_missing_bundled_schema_is_a_clear_error(tmp_path: Path) -> None:
    """An installation without its schema file (a broken package) says so, exit 2."""
    package = tmp_path / "site" / "linter"
    shutil.copytree(Path(linter.__file__).parent, package, ignore=shutil.ignore_patterns("schema", "__pycache__"))
    article = tmp_path / GOOD_NAME
    article.write_text(GOOD, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(package.parent))
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "--no-cache", "--isolated", str(article)],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "bundled schema news-article.schema.json not found" in proc.stderr
    assert "reinstall lint-news" in proc.stderr

"""The GitHub Action (``action.yml``): valid metadata, and its shell steps run as a runner would.

GitHub itself cannot run here, so the test does what the runner does for a composite
action's ``run`` steps: it sets the runner's variables (GITHUB_ACTION_PATH, RUNNER_TEMP,
GITHUB_PATH, GITHUB_OUTPUT), puts the inputs into each step's ``env`` the way the runner
evaluates ``${{ inputs.x }}``, and runs each script with bash in a workspace.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
VALID = ROOT / "tests" / "fixtures" / "valid" / "2024-04-08-minimal-article.md"
BAD = ROOT / "examples" / "_news" / "2024-02-28-hedgehog-mowers.md"
INPUT = re.compile(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}")


def _action() -> Dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_action_metadata_is_valid_against_the_published_schema() -> None:
    """check-jsonschema ships SchemaStore's schema of action metadata files."""
    checker = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-actions", str(ACTION)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_scripts_never_paste_expressions() -> None:
    """Inputs reach the scripts only through ``env``: an expression in script text would
    let a crafted input run shell code."""
    for step in _action()["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def _run_steps(
    workspace: Path, runner: Path, inputs: Dict[str, str], install: bool = False
) -> Tuple[List[int], str, Dict[str, str]]:
    """Run the action's bash steps in order (the install step only when asked: the runner
    fixture ran it once); returns exit codes, their stdout and the outputs."""
    defaults = {name: spec.get("default", "") for name, spec in _action()["inputs"].items()}
    values = {**defaults, **inputs, "python": sys.executable}
    files = {name: runner / name for name in ("path", "output")}
    files["output"].write_text("", encoding="utf-8")
    if install:
        files["path"].write_text("", encoding="utf-8")
    env = {**os.environ, "GITHUB_ACTION_PATH": str(ROOT), "RUNNER_TEMP": str(runner)}
    env.update(GITHUB_PATH=str(files["path"]), GITHUB_OUTPUT=str(files["output"]))
    codes, out = [], ""
    for step in _action()["runs"]["steps"]:
        if "run" not in step or (step["name"].startswith("Install") and not install):
            continue
        step_env = {
            key: INPUT.sub(lambda m: values[m.group(1)], str(value)) for key, value in step.get("env", {}).items()
        }
        added = [line for line in files["path"].read_text(encoding="utf-8").splitlines() if line]
        path = os.pathsep.join([*reversed(added), env["PATH"]])
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],  # as the runner does
            cwd=workspace,
            env={**env, **step_env, "PATH": path},
            capture_output=True,
            text=True,
            timeout=600,
        )
        codes.append(proc.returncode)
        out += proc.stdout
        assert "Traceback" not in proc.stderr, proc.stderr
    outputs = dict(line.split("=", 1) for line in files["output"].read_text(encoding="utf-8").splitlines() if line)
    return codes, out, outputs


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One runner folder whose install step ran once (it builds a venv: tens of seconds);
    the tests below run the lint step with what it installed."""
    folder = tmp_path_factory.mktemp("runner")
    codes, _, _ = _run_steps(folder, folder, {"paths": "."}, install=True)
    assert codes == [0, 0]  # installed, and an empty folder is clean
    installed = folder / "lint-news-venv" / "bin" / "lint-news"
    assert installed.is_file() and (folder / "path").read_text(encoding="utf-8").strip() == str(installed.parent)
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    news = tmp_path / "site" / "_news"
    news.mkdir(parents=True)
    shutil.copy(BAD, news / BAD.name)
    shutil.copy(VALID, news / VALID.name)
    return tmp_path / "site"


def test_findings_become_annotations_and_sarif(workspace: Path, runner: Path) -> None:
    codes, out, outputs = _run_steps(workspace, runner, {"sarif-file": "lint-news.sarif", "args": "--no-cache"})
    assert codes == [1]
    assert outputs["exit-code"] == "1"
    assert f"::error file=_news/{BAD.name},line=5,col=20,title=D001 invalid-date-time::" in out
    sarif = json.loads((workspace / "lint-news.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"D001", "U002", "X001"}
    assert not list(workspace.glob(".lint-news-cache"))


def test_inputs_cannot_inject_shell_code(workspace: Path, runner: Path) -> None:
    hostile = {"paths": "_news ;touch pwned1 $(touch pwned2) `touch pwned3`", "args": "--select D001 *"}
    codes, out, _ = _run_steps(workspace, runner, hostile)
    assert not list(workspace.glob("pwned*"))
    assert codes == [2]  # the hostile words are paths that do not exist: reported (E010), not run
    assert "D001" in out and "U002" not in out


def test_a_clean_archive_passes(workspace: Path, runner: Path) -> None:
    (workspace / "_news" / BAD.name).unlink()
    codes, _, outputs = _run_steps(workspace, runner, {"paths": "_news\n"})
    assert codes == [0] and outputs["exit-code"] == "0"

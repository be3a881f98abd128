"""The pre-commit hook, with the real pre-commit, installed from this checkout.

``pre-commit try-repo`` and ``pre-commit run`` with a configuration that pins a clone of
this checkout both install the hook in a fresh environment (pip, from the package index,
without extras), as a user's ``pre-commit install`` would. Uncommitted changes to tracked
files are included (try-repo makes a shadow commit of them; the clone gets the same);
untracked files are not. Both runs start at once, each with its own store, to halve the wait.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from conftest import BAD_FINDINGS, EXAMPLES, FIXTURES, ROOT, run_cli

NEWS = EXAMPLES / "_news"
BAD_NAME = "2024-02-28-hedgehog-mowers.md"
CLEAN_NAME = "2024-03-11-robotics-library.md"
#: Clean but for a malformed ``secured`` value (X001), which the temporary repository's
#: .lint-news.toml ignores: it passes only if the hook honours that file.
SECURED_NAME = "2024-03-11-bad-envelope.md"
CONFIG = 'ignore = ["X"]\n'
TIMEOUT = 600


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


STORY = "2024/03/11/robotics-library/"


def secured_article() -> str:
    """The clean article with a malformed envelope, as a story of its own (its own URLs:
    a copy under the same URL would be A001 beside the clean one)."""
    clean = (NEWS / CLEAN_NAME).read_text(encoding="utf-8").replace(STORY, "2024/03/11/robotics-envelope/")
    return re.sub(r"secured: .*", 'secured: "not-an-envelope"', clean)


def make_repo(root: Path) -> Path:
    """A site repository: a bad and a good article under _news/, one under drafts/."""
    repo = root / "site"
    (repo / "_news").mkdir(parents=True)
    (repo / "drafts").mkdir()
    shutil.copyfile(NEWS / BAD_NAME, repo / "_news" / BAD_NAME)
    shutil.copyfile(NEWS / CLEAN_NAME, repo / "_news" / CLEAN_NAME)
    shutil.copyfile(NEWS / BAD_NAME, repo / "drafts" / BAD_NAME)  # outside _news/: not the hook's
    (repo / "_news" / SECURED_NAME).write_text(secured_article(), encoding="utf-8")
    (repo / ".lint-news.toml").write_text(CONFIG, encoding="utf-8")
    return committed(repo)


def committed(repo: Path) -> Path:
    """``repo`` made a git repository whose one commit holds every file in it."""
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "lint-news tests")
    git(repo, "config", "user.email", "tests@lint-news.invalid")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "articles")
    return repo


def start_try_repo(repo: Path, scratch: Path, files: List[str], hook: str = "lint-news") -> subprocess.Popen:
    scratch.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(scratch / "home"), TMPDIR=str(scratch), PRE_COMMIT_COLOR="never")
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--verbose", *files]
    return subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def hook_repository(scratch: Path) -> Tuple[Path, str]:
    """This checkout as a user's configuration pins it: a clone at a commit holding the
    uncommitted changes to tracked files (what try-repo runs)."""
    clone = scratch / "hook-repo"
    git(scratch, "clone", "-q", str(ROOT), str(clone))
    diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=ROOT, capture_output=True, check=True).stdout
    if diff:
        subprocess.run(["git", "apply", "--index"], input=diff, cwd=clone, capture_output=True, check=True)
        git(clone, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "--no-gpg-sign", "-m", "work")
    return clone, git(clone, "rev-parse", "HEAD").strip()


def start_run(repo: Path, scratch: Path, files: List[str]) -> subprocess.Popen:
    """``pre-commit run`` with a configuration naming the hook repository at a revision, as
    users have it; its environments stay in the store (try-repo deletes its own)."""
    scratch.mkdir()
    hook_repo, rev = hook_repository(scratch)
    config = scratch / "pre-commit-config.yaml"
    config.write_text(f"repos:\n- repo: {hook_repo}\n  rev: {rev}\n  hooks:\n  - id: lint-news\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(scratch / "home"), TMPDIR=str(scratch), PRE_COMMIT_COLOR="never")
    command = [sys.executable, "-m", "pre_commit", "run", "--config", str(config), "--verbose", *files]
    return subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("precommit")


@pytest.fixture(scope="module")
def runs(root: Path) -> Dict[str, Tuple[int, str, str]]:
    """Two hook runs: every file (blocked by the bad article, through try-repo), and the
    passing ones alone (through ``pre-commit run`` and a configuration file)."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for the pre-commit tests")
    repo = make_repo(root)
    fixable = make_fixable_repo(root)
    procs = {
        "all": start_try_repo(repo, root / "all", ["--all-files"]),
        "good": start_run(repo, root / "good", ["--files", f"_news/{CLEAN_NAME}", f"_news/{SECURED_NAME}"]),
        "fix": start_try_repo(fixable, root / "fix", ["--all-files"], hook="lint-news-fix"),
    }
    results = {}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=TIMEOUT)
        where = fixable if name == "fix" else repo
        results[name] = (proc.returncode, out, git(where, "status", "--porcelain", "--untracked-files=all"))
    results["fixed article"] = (0, (fixable / "_news" / FIXABLE_NAME).read_text(encoding="utf-8"), "")
    git(fixable, "add", ".")  # as a user adds the repaired files (pre-commit stashes unstaged changes)
    again = start_try_repo(fixable, root / "fix", ["--all-files"], hook="lint-news-fix")  # the same hook home
    out, _ = again.communicate(timeout=TIMEOUT)
    results["fix again"] = (again.returncode, out, git(fixable, "status", "--porcelain", "--untracked-files=all"))
    return results


FIXABLE_NAME = "2024-03-11-T001-stray-whitespace.md"


def make_fixable_repo(root: Path) -> Path:
    """A site whose one article has only defects the safe fixes repair (T001 warnings)."""
    repo = root / "fixable"
    (repo / "_news").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "fix" / "T001-stray-whitespace.md", repo / "_news" / FIXABLE_NAME)
    return committed(repo)


def finding_lines(out: str) -> List[str]:
    return [line for line in out.splitlines() if line.startswith(("_news/", "drafts/"))]


def test_a_bad_article_blocks_the_commit(runs: Dict[str, Tuple[int, str, str]]) -> None:
    rc, out, _ = runs["all"]
    assert rc == 1, out
    assert "lint-news" in out and "Failed" in out
    lines = finding_lines(out)
    assert (
        f"_news/{BAD_NAME}:5:20: D001 '2024-02-30T10:00:00Z' names day 30 of February 2024, which has 29 days" in lines
    )
    assert f"_news/{BAD_NAME}:{BAD_FINDINGS[0]}" in lines
    assert all(line.startswith(f"_news/{BAD_NAME}:") for line in lines), lines  # the good ones pass
    assert len(lines) == len(BAD_FINDINGS) - 1  # less the X001 the configuration ignores


def test_the_hook_checks_only_files_under_news(runs: Dict[str, Tuple[int, str, str]]) -> None:
    rc, out, _ = runs["all"]
    assert "drafts/" not in out
    errors = len(BAD_FINDINGS) - 1  # every finding of the bad example is an error; X001 is ignored
    assert f"lint-news: 3 file(s) checked, 1 with findings: {errors} error(s), 0 warning(s)" in out
    assert out.count("file(s) checked") == 1  # require_serial: one call, one report, one summary


def test_the_hook_honours_the_configuration_file(runs: Dict[str, Tuple[int, str, str]], tmp_path: Path) -> None:
    rc, out, _ = runs["all"]
    assert " X001 " not in out and f"_news/{BAD_NAME}:15:11: U006 " in out
    # without the configuration the article with the bad envelope fails (see test_good_articles_pass)
    (tmp_path / SECURED_NAME).write_text(secured_article(), encoding="utf-8")
    rc, out, err = run_cli("--no-cache", SECURED_NAME, cwd=tmp_path)
    assert (rc, out) == (
        1,
        f"{SECURED_NAME}:45:10: X001 secured must be two base64 parts separated by one ';' (found no ';')\n",
    )


def test_good_articles_pass(runs: Dict[str, Tuple[int, str, str]]) -> None:
    rc, out, _ = runs["good"]
    assert rc == 0, out
    assert "Passed" in out and finding_lines(out) == []
    assert "lint-news: 2 file(s) checked, 0 with findings: 0 error(s), 0 warning(s)" in out


def test_the_hook_leaves_the_working_tree_clean(runs: Dict[str, Tuple[int, str, str]]) -> None:
    """Its result cache (.lint-news-cache/) carries its own .gitignore: git lists nothing new."""
    for name in ("all", "good"):
        assert runs[name][2] == "", name


#: What the hook's environment must hold: the accelerator (a default dependency, and
#: pre-commit installs no extras) and the compiled reader.
FAST_PARTS = """
import jsonschema_rs
from linter.parse import blockreader
from linter.validate.schema import SchemaChecker, bundled_schema
assert blockreader._native_read is not None, "no compiled reader"
assert SchemaChecker(bundled_schema()).fast is not None, "the accelerator is not used"
print("fast parts:", jsonschema_rs.__name__)
"""


def test_the_hook_environment_has_the_fast_parts(runs: Dict[str, Tuple[int, str, str]], root: Path) -> None:
    """pre-commit installs the repository without extras: that install is the fast one."""
    pythons = sorted((root / "good" / "home").glob("repo*/py_env-*/bin/python"))
    assert len(pythons) == 1, pythons
    proc = subprocess.run([str(pythons[0]), "-c", FAST_PARTS], capture_output=True, text=True, cwd=root, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "fast parts: jsonschema_rs\n"), proc.stderr


def test_the_fix_hook_repairs_the_files_and_fails_the_commit(runs: Dict[str, Tuple[int, str, str]]) -> None:
    rc, out, status = runs["fix"]
    assert rc == 1, out
    assert "files were modified by this hook" in out
    assert "lint-news: fixed 4 finding(s) in 1 file(s)" in out
    assert status == f" M _news/{FIXABLE_NAME}\n"  # the repaired article, to review and add
    fixed = (FIXTURES / "fix" / "T001-stray-whitespace.fixed.md").read_text(encoding="utf-8")
    assert runs["fixed article"][1] == fixed


def test_the_fix_hook_passes_once_nothing_is_left_to_fix(runs: Dict[str, Tuple[int, str, str]]) -> None:
    rc, out, status = runs["fix again"]
    assert rc == 0, out
    assert "Passed" in out and status == f"M  _news/{FIXABLE_NAME}\n"


# -- one changed article in a larger archive (A001, #13) -----------------------------------------

ARCHIVE_SIZE = 300
COPY_NAME = "2024-03-12-robotics-library-again.md"


def make_archive_repo(root: Path) -> Path:
    """A site of ``ARCHIVE_SIZE`` articles with URLs of their own, committed; A001 made an
    error by its configuration (a passing hook shows nothing)."""
    repo = root / "archive-site"
    (repo / "_news").mkdir(parents=True)
    clean = (NEWS / CLEAN_NAME).read_text(encoding="utf-8")
    for index in range(ARCHIVE_SIZE):
        story = clean.replace(STORY, f"2024/03/11/robotics-library-{index:03d}/")
        (repo / "_news" / f"2024-03-11-robotics-{index:03d}.md").write_text(story, encoding="utf-8")
    (repo / ".lint-news.toml").write_text('error = ["A001"]\n', encoding="utf-8")
    return committed(repo)


@pytest.fixture(scope="module")
def archive_run(root: Path, runs: Dict[str, Tuple[int, str, str]]) -> Tuple[int, str]:
    """``pre-commit run --files`` with only a new copy of article 17 (dated a day later),
    through the hook the "good" run installed."""
    repo = make_archive_repo(root)
    copy = (NEWS / CLEAN_NAME).read_text(encoding="utf-8").replace(STORY, "2024/03/11/robotics-library-017/")
    (repo / "_news" / COPY_NAME).write_text(
        copy.replace("2024-03-11T08:30:00Z", "2024-03-12T08:30:00Z", 1), encoding="utf-8"
    )
    git(repo, "add", ".")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(root / "good" / "home"), TMPDIR=str(root / "good"), PRE_COMMIT_COLOR="never")
    config = root / "good" / "pre-commit-config.yaml"
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "run",
        "--config",
        str(config),
        "--verbose",
        "--files",
        f"_news/{COPY_NAME}",
    ]
    proc = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    return proc.returncode, proc.stdout + proc.stderr


def test_one_changed_file_is_compared_with_the_rest_of_its_archive(archive_run: Tuple[int, str]) -> None:
    rc, out = archive_run
    assert rc == 1, out
    assert finding_lines(out) == [
        f"_news/{COPY_NAME}:7:9: A001 webUrl is also the webUrl of _news/2024-03-11-robotics-017.md:7,"
        " the oldest of the 2 articles of this archive with this URL"
    ]
    assert "lint-news: 1 file(s) checked, 1 with findings: 1 error(s), 0 warning(s)" in out

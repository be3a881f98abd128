"""The release artifacts: the sdist, the binary wheel built from it, and how they install.

The sources are copied first, so a stale ``build/`` folder in the checkout cannot leak old
files into them; ``python -m build`` makes the sdist and then the wheel from that sdist (so the
sdist is shown to hold everything the compiled reader needs). The wheel, installed into a
fresh virtual environment with its dependencies from the package index as for a user, works
on its own with the compiled reader; the sdist, installed where the C compiler fails, works
with the Python reader, and the reader tests pass on that install. The cibuildwheel
configuration and the release workflow that build the wheels for every platform are checked
here as far as this machine can (see the README, Releases).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional

import pytest
import yaml
from conftest import BAD_FINDINGS, EXAMPLES, ROOT
from test_blockparse import INSIDE, LEFT_TO_REFERENCE, SOURCES

from linter import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

TIMEOUT = 600
BAD = "examples/_news/2024-02-28-hedgehog-mowers.md"
#: The compiled reader's file name in this Python (``_blockreader.cpython-311-x86_64-linux-gnu.so``).
COMPILED = "_blockreader" + sysconfig.get_config_var("EXT_SUFFIX")
#: The reader tests run on the install without a compiler: every parametrized comparison of
#: tests/test_blockparse.py (all articles, the edges in and out of the subset), the limit
#: tests, and the check of which reader is installed; READER_TEST_COUNT is how many.
READER_TESTS = "compiled_reader_is_built or every_article or the_subset or limits or deep_lists"
READER_TEST_COUNT = 1 + len(SOURCES) + len(LEFT_TO_REFERENCE) + len(INSIDE) + 2 + 1
#: Asks the installed package which reader it uses and where it was imported from.
WHICH_READER = "from linter.parse import blockreader as b; print(b.__file__); print(b._native_read is not None)"


class Dist(NamedTuple):
    sdist: Path
    wheel: Path


class Installed(NamedTuple):
    wheel: Path
    bin: Path
    workdir: Path


def run(command: List[str], cwd: Path, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env)


def checked(command: List[str], cwd: Path, env: Optional[Dict[str, str]] = None) -> str:
    proc = run(command, cwd, env)
    assert proc.returncode == 0, f"{command}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The sdist and the wheel built from it, once per test session."""
    root = tmp_path_factory.mktemp("dist")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "setup.py"):
        shutil.copyfile(ROOT / name, source / name)
    for name in ("linter", "schema"):
        ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.pyd")
        shutil.copytree(ROOT / name, source / name, ignore=ignored)
    checked([sys.executable, "-m", "build", "--outdir", str(root / "dist"), str(source)], root)
    (sdist,) = (root / "dist").glob("*.tar.gz")
    (wheel,) = (root / "dist").glob("*.whl")
    return Dist(sdist, wheel)


@pytest.fixture(scope="session")
def installed(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    checked([sys.executable, "-m", "venv", str(root / "venv")], root)
    bin_dir = root / "venv" / "bin"
    # (not byte-compiled ahead: that is a third of the install's time, and changes nothing)
    checked([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-compile", str(dist.wheel)], root)
    workdir = root / "work"
    shutil.copytree(EXAMPLES, workdir / "examples")
    return Installed(dist.wheel, bin_dir, workdir)


@pytest.fixture(scope="session")
def without_compiler(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist installed by pip where the C compiler fails (``CC=false``), as on a machine
    without one; into a folder of its own, put first on PYTHONPATH by the tests below."""
    target = tmp_path_factory.mktemp("no-compiler") / "site"
    env = dict(os.environ, CC="false", CXX="false")
    command = [sys.executable, "-m", "pip", "install", "-vv", "--no-deps", "--target", str(target), str(dist.sdist)]
    log = checked(command, target.parent, env)
    assert 'building extension "linter.parse._blockreader" failed' in log, log[-3000:]
    return target


def test_a_release_build_fails_without_the_compiler(dist: Dist, tmp_path: Path) -> None:
    """cibuildwheel sets LINT_NEWS_REQUIRE_COMPILED=1: a compile that fails there fails the
    build, where a user's install would go on with the Python reader."""
    env = dict(os.environ, CC="false", CXX="false", LINT_NEWS_REQUIRE_COMPILED="1")
    proc = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(dist.sdist)], tmp_path, env)
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert "linter/parse/_blockreader.c" in proc.stdout + proc.stderr
    assert not list(tmp_path.glob("*.whl"))


def test_the_sdist_holds_the_sources_of_the_compiled_reader(dist: Dist) -> None:
    assert dist.sdist.name == f"lint_news-{__version__}.tar.gz"
    with tarfile.open(dist.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"setup.py", "pyproject.toml", "linter/parse/_blockreader.c", "linter/parse/blockreader.py"} <= names
    assert "schema/news-article.schema.json" in names
    assert not [n for n in names if n.endswith((".so", ".pyd", ".pyc"))]


def test_the_wheel_is_a_platform_wheel_with_the_compiled_reader(dist: Dist) -> None:
    """Tagged for this interpreter and platform (``cp311-cp311-linux_x86_64`` here; never
    ``py3-none-any``, which would claim to run everywhere)."""
    interpreter = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    platform = re.sub(r"[-.]", "_", sysconfig.get_platform())
    assert dist.wheel.name == f"lint_news-{__version__}-{interpreter}-{interpreter}-{platform}.whl"
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(f"lint_news-{__version__}.dist-info/WHEEL").decode()
    assert f"linter/parse/{COMPILED}" in names
    assert "Root-Is-Purelib: false" in metadata
    assert not [n for n in names if n.endswith(".c")]  # the C source ships in the sdist only


def test_wheel_contains_the_package_and_the_schema(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "lint-news = linter.cli:command" in wheel.read(entry_points).decode()
        bundled = json.loads(wheel.read("linter/schema/news-article.schema.json"))
    assert bundled == json.loads((ROOT / "schema" / "news-article.schema.json").read_text(encoding="utf-8"))
    for module in ("linter/__init__.py", "linter/__main__.py", "linter/cli/__init__.py", "linter/rules/__init__.py"):
        assert module in names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "schema/", "bench/"))]


def test_installed_command_checks_the_examples(installed: Installed) -> None:
    proc = run([str(installed.bin / "lint-news"), "--no-cache", "examples/"], installed.workdir)
    expected = "".join(f"{BAD}:{row}\n" for row in BAD_FINDINGS)
    summary = f"lint-news: 3 file(s) checked, 1 with findings: {len(BAD_FINDINGS)} error(s), 0 warning(s)\n"
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


def test_installed_wheel_uses_the_compiled_reader(installed: Installed) -> None:
    proc = run([str(installed.bin / "python"), "-c", WHICH_READER], installed.workdir)
    assert proc.returncode == 0, proc.stderr
    location, compiled = proc.stdout.splitlines()
    assert Path(location).is_relative_to(installed.bin.parent)
    assert compiled == "True"
    assert (Path(location).parent / COMPILED).is_file()


def test_without_a_compiler_the_sdist_installs_the_python_reader(without_compiler: Path) -> None:
    parse = without_compiler / "linter" / "parse"
    assert (parse / "blockreader.py").is_file()
    assert not [p for p in parse.glob("_blockreader*") if p.suffix in (".so", ".pyd")], "built with CC=false"
    env = dict(os.environ, PYTHONPATH=str(without_compiler))
    proc = run([sys.executable, "-c", WHICH_READER], without_compiler.parent, env)
    assert proc.returncode == 0, proc.stderr
    location, compiled = proc.stdout.splitlines()
    assert Path(location).is_relative_to(without_compiler)  # that install, not the checkout
    assert compiled == "False"


def test_the_reader_tests_pass_on_the_install_without_a_compiler(without_compiler: Path) -> None:
    """With LINT_NEWS_EXPECT_READER=python, test_the_compiled_reader_is_built checks that the
    compiled reader is absent, and the comparisons run on the Python reader alone."""
    env = dict(os.environ, PYTHONPATH=str(without_compiler), LINT_NEWS_EXPECT_READER="python")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    tests = str(ROOT / "tests" / "test_blockparse.py")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", tests, "-k", READER_TESTS]
    proc = run(command, without_compiler.parent, env)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    assert re.search(rf"^{READER_TEST_COUNT} passed, \d+ deselected in ", proc.stdout, re.M), proc.stdout[-2000:]


# -- the configuration that builds the wheels everywhere else ----------------------------------

PYPROJECT: Dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CIBW: Dict[str, Any] = PYPROJECT["tool"]["cibuildwheel"]
WORKFLOW_FILE = ROOT / ".github" / "workflows" / "release.yml"
#: CPython versions the wheels are built for: every one requires-python admits that
#: cibuildwheel can build.
PYTHONS = ["39", "310", "311", "312", "313", "314"]
IDENTIFIERS = {
    "linux": [f"cp{v}-manylinux_{arch}" for arch in ("x86_64", "aarch64") for v in PYTHONS],
    "macos": [f"cp{v}-macosx_{arch}" for arch in ("x86_64", "arm64") for v in PYTHONS],
    "windows": [f"cp{v}-win_amd64" for v in PYTHONS],
}


def test_cibuildwheel_runs_the_reader_tests_on_each_wheel() -> None:
    assert CIBW["environment"] == {"LINT_NEWS_REQUIRE_COMPILED": "1"}  # no wheel without the module
    command = " && ".join(CIBW["test-command"])
    assert 'python -c "import linter.parse._blockreader"' in command  # fails where it was not built
    assert "{project}/tests/test_blockparse.py" in command
    assert "{project}/tests/test_archive_scan.py" in command  # the compiled folder scan, where built
    assert {"pytest", "hypothesis"} <= {re.split(r"[<>=]", r)[0] for r in CIBW["test-requires"]}


@pytest.mark.parametrize("platform", sorted(IDENTIFIERS))
def test_cibuildwheel_builds_the_expected_wheels(platform: str) -> None:
    """cibuildwheel reads the configuration (refusing unknown options) and lists what it
    would build on each platform's runner."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIBW_")}
    command = [sys.executable, "-m", "cibuildwheel", "--print-build-identifiers", "--platform", platform]
    proc = run(command, ROOT, env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(proc.stdout.split()) == sorted(IDENTIFIERS[platform])


def _workflow() -> Dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads a bare `on` as true
    return workflow  # type: ignore[no-any-return]


def test_release_workflow_builds_wheels_and_sdist_and_publishes_tags() -> None:
    workflow = _workflow()
    jobs = workflow["jobs"]
    assert set(jobs) == {"wheels", "sdist", "publish"}
    assert "tags" in workflow["on"]["push"]
    assert workflow["permissions"] == {"contents": "read"}

    matrix = jobs["wheels"]["strategy"]["matrix"]["include"]
    runners = {entry["os"].split("-")[0] for entry in matrix}
    assert runners == {"ubuntu", "macos", "windows"}
    assert {"x86_64", "aarch64"} <= {arch for entry in matrix for arch in entry["archs"].split()}
    steps = jobs["wheels"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(use.startswith("pypa/cibuildwheel@v") for use in uses)
    qemu = next(step for step in steps if step.get("uses", "").startswith("docker/setup-qemu-action@"))
    assert "aarch64" in qemu["if"]
    assert any("python -m build --sdist" in step.get("run", "") for step in jobs["sdist"]["steps"])

    publish = jobs["publish"]
    assert set(publish["needs"]) == {"wheels", "sdist"}
    assert publish["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing: no token stored
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"])
    download = next(step for step in publish["steps"] if step.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"] == {"path": "dist", "merge-multiple": True}  # where the publish step looks


def test_release_workflow_uploads_every_artifact() -> None:
    jobs = _workflow()["jobs"]
    uploads = {job: [s["with"] for s in jobs[job]["steps"] if "upload-artifact@" in s.get("uses", "")] for job in jobs}
    assert uploads["wheels"] == [
        {"name": "wheels-${{ strategy.job-index }}", "path": "wheelhouse/*.whl", "if-no-files-found": "error"}
    ]
    assert uploads["sdist"] == [{"name": "sdist", "path": "dist/*.tar.gz", "if-no-files-found": "error"}]


@pytest.mark.parametrize("tag,passes", [(f"v{__version__}", True), (f"v{__version__}.1", False), (__version__, False)])
def test_release_workflow_refuses_a_tag_that_is_not_the_version(tag: str, passes: bool, tmp_path: Path) -> None:
    """The sdist job's check runs as written in the workflow, on a copy of the package's
    version file."""
    step = next(s for s in _workflow()["jobs"]["sdist"]["steps"] if s.get("name", "").startswith("The tag"))
    script = step["run"].split("<<'CHECK'\n", 1)[1].split("\nCHECK", 1)[0]
    (tmp_path / "linter").mkdir()
    shutil.copyfile(ROOT / "linter" / "__init__.py", tmp_path / "linter" / "__init__.py")
    proc = run([sys.executable, "-c", script], tmp_path, dict(os.environ, GITHUB_REF_NAME=tag))
    assert (proc.returncode == 0) == passes, proc.stderr
    if not passes:
        assert f"tag {tag} does not name version {__version__}" in proc.stderr

"""Data safety: checked files are never written, reports are written atomically, a crash
in one rule is reported and the run goes on, and no ``secured`` value reaches any output."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

import pytest
from conftest import Run, lint_news_command, run_cli
from sample_articles import CANARY, CANARY_FINDING, CANARY_NAME, GOOD, GOOD_NAME, envelope, replace_line

FINDING = re.compile(r"^(.*?):(\d+):(\d+): ([A-Z]\d{3}) (.*)$", re.MULTILINE)
#: A run of this many characters of a secured value anywhere in an output is a leak.
LEAK_WINDOW = 12


def run_python(script: str, *args: str, cwd: Path) -> Run:
    """``python -c script args`` with the interpreter that has lint-news installed."""
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, cwd=str(cwd), timeout=120)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


#: Runs the real ``main`` with one rule replaced by one that raises (quoting the article's
#: secured value in its exception, as careless code might).
CRASHING_RULE = """
import sys
import linter.cli as cli
from linter import registry
from linter.rules.base import Rule

def explode(article, context):
    raise RuntimeError("boom near " + str(article.get("secured")))
    yield

code = sys.argv[1]
registry.CHECKS = tuple(Rule(r.info, explode) if r.info.code == code else r for r in registry.CHECKS)
raise SystemExit(cli.main(sys.argv[2:]))
"""


def findings(out: str) -> List[Tuple[str, str, str]]:
    return [(m[1], f"{m[2]}:{m[3]}: {m[4]}", m[5]) for m in FINDING.finditer(out)]


# -- checked files are never written -----------------------------------------------------------


def snapshot(folder: Path) -> Dict[str, Tuple[bytes, int]]:
    """Content and modification time (ns) of every file below ``folder``."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def articles(folder: Path) -> Path:
    news = folder / "_news"
    news.mkdir()
    (news / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    (news / CANARY_NAME).write_text(CANARY, encoding="utf-8")
    (news / "2024-03-11-bad.md").write_text(replace_line(GOOD, "quality: 42", "quality: -5"), encoding="utf-8")
    (news / "2024-03-11-binary.md").write_bytes(bytes(range(256)))
    (news / "2024-03-11-utf16.md").write_bytes(GOOD.encode("utf-16"))
    (news / "2024-03-11-crlf.md").write_bytes(GOOD.replace("\n", "\r\n").encode())
    (news / "2024-03-11-deep.md").write_text("---\na: " + "[" * 5000 + "\n---\n", encoding="utf-8")
    return news


RUNS: Dict[str, Sequence[str]] = {
    "default": ["_news"],
    "no-cache": ["--no-cache", "_news"],
    "show-source": ["--show-source", "_news"],
    "sarif-to-file": ["--format", "sarif", "-o", "out/report.sarif", "_news"],
    "baseline": ["--write-baseline", "out/baseline.json", "_news"],
    "fails-missing-path": ["_news", "missing.md"],
    "fails-usage-error": ["--select", "NOPE", "_news"],
    "many-jobs": ["-j", "2", "_news"],
}


def test_checked_files_are_never_written(tmp_path: Path) -> None:
    news = articles(tmp_path)
    (tmp_path / "out").mkdir()
    before = snapshot(news)
    os.utime(news / GOOD_NAME, ns=(1_000_000_000, 1_000_000_000))  # an mtime no run can match by chance
    before = snapshot(news)
    codes = {}
    for name, args in RUNS.items():
        codes[name] = run_cli(*args, cwd=tmp_path, timeout=60).rc
    codes["rule-crash"] = run_python(CRASHING_RULE, "T001", "--no-cache", "_news", cwd=tmp_path).rc
    assert codes == {
        **dict.fromkeys(RUNS, 1),
        "baseline": 0,
        "fails-missing-path": 2,
        "fails-usage-error": 2,
        "rule-crash": 2,
    }
    assert snapshot(news) == before
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".lint-news-cache", "_news", "out"], "a run left a stray file"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["baseline.json", "report.sarif"]


@pytest.mark.parametrize("flag", ["-o", "--write-baseline"])
def test_report_never_replaces_a_checked_file(tmp_path: Path, flag: str) -> None:
    (tmp_path / CANARY_NAME).write_text(CANARY, encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli(flag, CANARY_NAME, CANARY_NAME, "--no-cache", cwd=tmp_path)
    assert snapshot(tmp_path) == before
    assert result.rc == 2


# -- reports are written atomically ------------------------------------------------------------


def test_report_file_is_replaced_atomically(tmp_path: Path) -> None:
    """The report goes to a temporary file that is renamed over the target: a reader that
    opened the old report keeps seeing it whole (a hard link to it stays unchanged), and
    no temporary file is left behind."""
    (tmp_path / CANARY_NAME).write_text(CANARY, encoding="utf-8")
    report = tmp_path / "report.json"
    report.write_text("old report\n", encoding="utf-8")
    os.link(report, tmp_path / "reader-view.json")
    result = run_cli("--format", "json", "-o", "report.json", CANARY_NAME, cwd=tmp_path)
    assert result.rc == 0
    assert (tmp_path / "reader-view.json").read_text(encoding="utf-8") == "old report\n"
    assert '"code": "T001"' in report.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".lint-news-") and p.is_file()) == []


def test_failed_run_leaves_the_old_report(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old report\n", encoding="utf-8")
    result = run_cli("--format", "json", "-o", "report.json", "--select", "NOPE", "x.md", cwd=tmp_path)
    assert result.rc == 2
    assert report.read_text(encoding="utf-8") == "old report\n"


# -- a crashing rule ---------------------------------------------------------------------------


def test_crashing_rule_becomes_E012_and_the_run_goes_on(tmp_path: Path) -> None:
    news = articles(tmp_path)
    names = sorted(p.name for p in news.iterdir())
    result = run_python(CRASHING_RULE, "T001", "--no-cache", "_news", cwd=tmp_path)
    assert "Traceback" not in result.err
    crashed = [(path, where) for path, where, message in findings(result.out) if where.endswith("E012")]
    parsed = ["2024-03-11-bad.md", "2024-03-11-crlf.md", CANARY_NAME, GOOD_NAME]  # rules run on these only
    assert crashed == [(f"_news/{name}", "1:1: E012") for name in sorted(parsed)]
    messages = {message for _, where, message in findings(result.out) if where.endswith("E012")}
    assert all(
        m.startswith("internal error in rule T001 (stray-whitespace): RuntimeError: boom near ") for m in messages
    )
    # the other rules and layers still ran on the same files and on the others
    flagged = {(path, where.split()[-1]) for path, where, _ in findings(result.out)}
    assert ("_news/2024-03-11-bad.md", "S004") in flagged
    assert ("_news/2024-03-11-binary.md", "E006") in flagged
    assert ("_news/2024-03-11-deep.md", "E008") in flagged
    assert f"{len(names)} file(s) checked" in result.err
    assert result.rc == 2


def test_crash_in_worker_processes_is_reported_too(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    news.mkdir()
    for index in range(70):  # enough for the runner to use worker processes
        (news / f"2024-03-11-{index:02d}.md").write_text(GOOD, encoding="utf-8")
    result = run_python(CRASHING_RULE, "R001", "--no-cache", "-j", "2", "_news", cwd=tmp_path)
    assert [where for _, where, _ in findings(result.out)] == ["1:1: E012"] * 70
    assert result.rc == 2


#: Worker processes are forked (they inherit a patched rule) and listed in /proc.
LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc: Linux")

#: Runs the real ``main`` with T001 replaced by a rule that kills its own process (as the
#: kernel's out-of-memory killer would) on the article named in argv[1], in a worker (the
#: parent checks a share too: there, the rule would kill the whole run).
KILLING_RULE = """
import os, signal, sys
import linter.cli as cli
from linter import registry
from linter.rules.base import Rule

PARENT = os.getpid()

def kill(article, context):
    if context.filename.endswith(sys.argv[1]) and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return iter(())

registry.CHECKS = tuple(Rule(r.info, kill) if r.info.code == "T001" else r for r in registry.CHECKS)
raise SystemExit(cli.main(sys.argv[2:]))
"""


@LINUX_ONLY
def test_a_killed_worker_stops_the_run_with_a_clear_error(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    news.mkdir()
    for index in range(70):
        (news / f"2024-03-11-{index:02d}.md").write_text(GOOD, encoding="utf-8")
    result = run_python(KILLING_RULE, ".md", "--no-cache", "-j", "2", "_news", cwd=tmp_path)
    assert result == (
        2,
        "",
        "lint-news: error: a worker process was killed by signal 9; run with --jobs 1 to check the files"
        " in one process\n",
    )


def start_with_workers(tmp_path: Path) -> Tuple[subprocess.Popen[bytes], List[str]]:
    """A long parallel run, started in a session of its own; returns it once its worker runs
    (``-j 2``: the parent checks files too)."""
    news = tmp_path / "_news"
    news.mkdir()
    for index in range(3000):  # seconds of work: what the test does comes long before the end
        (news / f"2024-03-11-{index:04d}.md").write_text(GOOD, encoding="utf-8")
    command = lint_news_command() + ["--no-cache", "-j", "2", "_news"]
    pipe = subprocess.PIPE
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=pipe, stderr=pipe, start_new_session=True)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    workers: List[str] = []
    for _ in range(1000):
        workers = children.read_text().split() if children.exists() else []
        if workers or proc.poll() is not None:
            break
        time.sleep(0.01)
    assert len(workers) == 1
    return proc, workers


def running(pid: str) -> bool:
    """Whether the process exists and has not exited (a zombie has exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@LINUX_ONLY
def test_ctrl_c_stops_the_workers_and_exits_130(tmp_path: Path) -> None:
    proc, workers = start_with_workers(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, b"", b"lint-news: interrupted\n")
    assert not any(running(pid) for pid in workers), "a worker outlived the run"


@LINUX_ONLY
def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    proc, workers = start_with_workers(tmp_path)
    proc.kill()  # the parent alone, as the out-of-memory killer would
    proc.communicate(timeout=60)
    for _ in range(100):
        if not any(running(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not any(running(pid) for pid in workers), "workers went on after their parent died"


def test_crash_is_not_cached(tmp_path: Path) -> None:
    (tmp_path / CANARY_NAME).write_text(CANARY, encoding="utf-8")
    crashed = run_python(CRASHING_RULE, "T001", CANARY_NAME, cwd=tmp_path)
    assert [where for _, where, _ in findings(crashed.out)] == ["1:1: E012"]
    again = run_cli(CANARY_NAME, cwd=tmp_path)
    assert CANARY_FINDING in [f"{p}:{w.split()[0]} {w.split()[1]}" for p, w, _ in findings(again.out)]
    assert again.rc == 0


def test_crash_through_the_engine_api(monkeypatch: pytest.MonkeyPatch) -> None:
    from linter import registry
    from linter.engine import Linter
    from linter.rules.base import Rule

    def explode(article: object, context: object) -> Iterator[object]:
        raise ValueError("no")
        yield

    patched = tuple(Rule(r.info, explode) if r.info.code == "X001" else r for r in registry.CHECKS)
    monkeypatch.setattr(registry, "CHECKS", patched)
    result = Linter().lint_bytes("a.md", CANARY.encode())
    assert [(f.code, f.line, f.col) for f in result.findings] == [("E012", 1, 1), ("T001", 3, 8)]
    assert result.findings[0].message.startswith("internal error in rule X001 (secured-malformed): ValueError: no (at ")
    assert result.failed


def test_crash_outside_the_rules_names_where_but_quotes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from linter import engine

    secret = envelope("outside")

    def broken_parse(text: str, limits: object) -> object:
        raise RuntimeError(f"choked on {secret}")

    monkeypatch.setattr(engine, "parse", broken_parse)
    text = replace_line(GOOD, GOOD.split("\n")[-3], f'secured: "{secret}"')
    result = engine.Linter().lint_bytes("a.md", text.encode())
    (finding,) = result.findings
    assert (finding.code, finding.line, finding.col) == ("E012", 1, 1)
    assert finding.message.startswith("internal error: RuntimeError (at test_safety.py:")
    assert secret[:LEAK_WINDOW] not in finding.message
    assert result.failed


# -- secured never appears in any output --------------------------------------------------------


def secret_articles() -> Dict[str, Tuple[str, List[str]]]:
    """Article variants that each put a distinctive secured value somewhere hostile, with
    the secret texts that must not leak."""
    plain = envelope("leak-1").replace(";", "")  # no ';': X001 malformed
    urlsafe = envelope("leak-2").replace("+", "-").replace("/", "_")
    number = "48151623429876543210"
    cipher, iv = envelope("leak-3").split(";")
    block = envelope("leak-4")
    items = [envelope("leak-5"), envelope("leak-6")]
    valid = envelope("leak-7")
    last = GOOD.split("\n")[-3]
    assert last.startswith("secured: ")

    def secured(line: str) -> str:
        return replace_line(GOOD, last, line)

    return {
        "2024-03-11-malformed.md": (secured(f'secured: "{plain}"'), [plain]),
        "2024-03-11-urlsafe.md": (secured(f"secured: {urlsafe}"), [urlsafe]),
        "2024-03-11-number.md": (secured(f"secured: {number}"), [number]),
        "2024-03-11-spans-lines.md": (secured(f'secured: "{cipher}\n  ;{iv}"'), [cipher, iv]),
        "2024-03-11-block.md": (secured(f"secured: |\n  {block}\n  {block}"), [block]),
        "2024-03-11-list.md": (secured(f"secured: [{items[0]}, {items[1]}]"), items),
        "2024-03-11-tagged.md": (secured(f"secured: !!binary {plain}"), [plain]),
        "2024-03-11-twice.md": (secured(f'secured: "{valid}"\nsecured: "{plain}"'), [valid, plain]),
        "2024-03-11-nested.md": (
            replace_line(GOOD, "    quality: 31", f'    quality: 31\n    secured: "{valid}"'),
            [valid],
        ),
        "2024-03-11-bad-byte.md": (secured(f'secured: "{plain}\udce9{plain}"'), [plain]),
        "2024-03-11-unclosed.md": (secured(f'secured: "{plain}'), [plain]),
        "2024-03-11-beside-errors.md": (
            replace_line(secured(f'secured: "{valid}"'), "quality: 42", "quality: -1"),
            [valid],
        ),
    }


def output_formats() -> List[str]:
    """The formats ``lint-news --help`` offers, as named in ``linter.report.FORMATS``."""
    try:
        from linter.report.render import FORMATS
    except ImportError:  # pragma: no cover - before the reporters existed
        return ["text"]
    help_text = run_cli("--help").out
    return [name for name in FORMATS if name == "text" or re.search(rf"--format \{{[^}}]*\b{name}\b", help_text)]


def leaks(text: str, secrets: Sequence[str]) -> List[str]:
    return [
        secret
        for secret in secrets
        if any(secret[i : i + LEAK_WINDOW] in text for i in range(len(secret) - LEAK_WINDOW + 1))
    ]


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, List[str]]:
    folder = tmp_path_factory.mktemp("secrets")
    news = folder / "_news"
    news.mkdir()
    secrets: List[str] = []
    for name, (text, hidden) in secret_articles().items():
        (news / name).write_bytes(text.encode("utf-8", "surrogateescape"))
        secrets.extend(hidden)
    return folder, secrets


def assert_no_leak(folder: Path, result: Run, secrets: Sequence[str]) -> None:
    written = "".join(
        p.read_text("utf-8", "replace") for p in folder.rglob("*") if p.is_file() and "_news" not in p.parts
    )
    assert leaks(result.out + result.err + written, secrets) == []


@pytest.mark.parametrize("fmt", output_formats())
@pytest.mark.parametrize("extra", [[], ["--show-source", "--statistics"]], ids=["plain", "show-source"])
def test_secured_value_appears_in_no_output_format(leaky: Tuple[Path, List[str]], fmt: str, extra: List[str]) -> None:
    folder, secrets = leaky
    result = run_cli("--format", fmt, *extra, "-o", f"report.{fmt}", "_news", cwd=folder)
    assert result.rc == 1
    assert (folder / f"report.{fmt}").stat().st_size > 0
    assert_no_leak(folder, result, secrets)


def test_every_secret_article_gets_a_finding(leaky: Tuple[Path, List[str]]) -> None:
    """The leak tests mean something only if each variant is reported on."""
    folder, _ = leaky
    result = run_cli("--no-cache", "_news", cwd=folder)
    flagged = {Path(path).name for path, _, _ in findings(result.out)}
    assert flagged == set(secret_articles())


def test_secured_value_appears_in_no_baseline(leaky: Tuple[Path, List[str]]) -> None:
    folder, secrets = leaky
    result = run_cli("--write-baseline", "baseline.json", "_news", cwd=folder)
    assert result.rc == 0
    assert_no_leak(folder, result, secrets)


def test_secured_value_appears_in_no_internal_error(leaky: Tuple[Path, List[str]]) -> None:
    folder, secrets = leaky
    result = run_python(CRASHING_RULE, "T001", "--no-cache", "_news", cwd=folder)
    assert "E012 internal error in rule T001" in result.out
    assert result.rc == 2
    assert_no_leak(folder, result, secrets)


@pytest.mark.parametrize(
    "args",
    [["--select", "T001"], ["--ignore", "E012"], ["--ignore", "E"]],
    ids=["select", "ignore-E012", "ignore-E"],
)
def test_internal_error_survives_selection(tmp_path: Path, args: List[str]) -> None:
    """A run that exits 2 always says why, whatever is selected or ignored."""
    (tmp_path / CANARY_NAME).write_text(CANARY, encoding="utf-8")
    result = run_python(CRASHING_RULE, "T001", "--no-cache", *args, CANARY_NAME, cwd=tmp_path)
    assert [where for _, where, _ in findings(result.out)] == ["1:1: E012"]
    assert result.rc == 2


def test_internal_error_survives_inline_suppression(tmp_path: Path) -> None:
    text = replace_line(CANARY, "category: news", "category: news  # lint-news: ignore-file")
    (tmp_path / CANARY_NAME).write_text(text, encoding="utf-8")
    result = run_python(CRASHING_RULE, "T001", "--no-cache", CANARY_NAME, cwd=tmp_path)
    assert [where for _, where, _ in findings(result.out)] == ["1:1: E012"]
    assert result.rc == 2


@pytest.mark.parametrize("args", [["--ignore", "E010"], ["--select", "S"]], ids=["ignore-E010", "select-S"])
def test_unreadable_path_survives_selection(tmp_path: Path, args: List[str]) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    result = run_cli("--no-cache", *args, "pipe.md", "missing.md", cwd=tmp_path)
    assert [(path, where) for path, where, _ in findings(result.out)] == [
        ("missing.md", "1:1: E010"),
        ("pipe.md", "1:1: E010"),
    ]
    assert result.rc == 2

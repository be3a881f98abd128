"""Baselines through ``main(argv)`` (in-process): record today's findings, fail on new ones."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Optional

import pytest
from conftest import BAD, BAD_FINDINGS, CLEAN, SHARED, fixable, lint, run_cli, summary

pytestmark = pytest.mark.in_process

REAL = SHARED / "corpus" / "real"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def record(site: Path, baseline: str = "baseline.json", *paths: str) -> dict:
    rc, out, err = lint(site, "--write-baseline", baseline, *(paths or ("_news",)))
    assert (rc, out) == (0, "")
    data = json.loads((site / baseline).read_text(encoding="utf-8"))
    assert err == f"lint-news: wrote {len(data['findings'])} finding(s) to {baseline}\n"
    return data


def test_write_baseline_then_baseline_exits_0(site: Path) -> None:
    data = record(site)
    assert (data["version"], data["tool"], len(data["findings"])) == (1, "lint-news", len(BAD_FINDINGS))
    assert {row["path"] for row in data["findings"]} == {BAD}
    assert lint(site, "--baseline", "baseline.json", "_news") == (0, "", summary(3, 0, 0))
    assert lint(site, "_news")[0] == 1  # the findings are still there without it


def test_write_baseline_is_quiet_with_q(site: Path) -> None:
    assert lint(site, "-q", "--write-baseline", "b.json", "_news") == (0, "", "")
    assert (site / "b.json").is_file()


def test_only_a_new_defect_is_reported(site: Path) -> None:
    record(site)
    edit(site / CLEAN, "quality: 42", "quality: -3")
    edit(site / BAD, "height: 480", "height: 0")
    out = f"{BAD}:24:13: S004 0 is below the minimum 1\n{CLEAN}:11:10: S004 -3 is below the minimum 0\n"
    assert lint(site, "--baseline", "baseline.json", "_news") == (1, out, summary(3, 2, 2))


def test_fixing_a_recorded_finding_is_fine(site: Path) -> None:
    record(site)
    edit(site / BAD, "titel:", "title:")
    assert lint(site, "--baseline", "baseline.json", "_news") == (0, "", summary(3, 0, 0))


@pytest.mark.parametrize(
    "insert",
    [
        pytest.param("\n\n\n", id="blank-lines"),
        pytest.param("# a comment\n# another one\n", id="comments"),
        pytest.param("# lint-news: edited by hand\n\n", id="comment-and-blank"),
    ],
)
def test_shifted_lines_keep_old_findings_matched(site: Path, insert: str) -> None:
    record(site)
    edit(site / BAD, "---\n", "---\n" + insert)  # right after the opening fence: every line moves down
    shifted = lint(site, "_news")
    assert shifted.out.startswith(f"{BAD}:{3 + insert.count(chr(10))}:1: S003 ")
    assert lint(site, "--baseline", "baseline.json", "_news") == (0, "", summary(3, 0, 0))


def test_shifted_lines_and_a_new_defect(site: Path) -> None:
    record(site)
    edit(site / BAD, "---\n", "---\n\n\n")
    edit(site / BAD, "quality: 7", "quality: -7")
    out = f"{BAD}:11:10: S004 -7 is below the minimum 0\n"
    assert lint(site, "--baseline", "baseline.json", "_news") == (1, out, summary(3, 1, 1))


def test_matching_counts_two_recorded_three_present(site: Path) -> None:
    """Three ``category`` keys give two E005 findings on the same data path; a fourth adds one."""
    edit(site / CLEAN, "category: news\n", "category: news\ncategory: news\ncategory: news\n")
    assert lint(site, CLEAN)[1].count(" E005 ") == 2
    record(site, "baseline.json", CLEAN)
    assert lint(site, "--baseline", "baseline.json", CLEAN) == (0, "", summary(1, 0, 0))
    edit(site / CLEAN, "category: news\n", "category: news\ncategory: news\n")
    rc, out, err = lint(site, "--baseline", "baseline.json", CLEAN)
    assert (rc, out.count("\n"), err) == (1, 1, summary(1, 1, 1))
    assert out.startswith(f"{CLEAN}:") and " E005 duplicate key 'category'" in out


def test_a_finding_in_another_file_is_new(site: Path) -> None:
    """Matching is per file: the same defect copied to a second article is reported there."""
    record(site)
    shutil.copyfile(site / BAD, site / "_news" / "2024-02-28-copy.md")
    rc, out, err = lint(site, "--baseline", "baseline.json", "_news")
    assert (rc, err) == (1, summary(4, 2, len(BAD_FINDINGS), 1) + fixable(out))
    copied = [line for line in out.splitlines() if " A001 " not in line]
    assert {line.split(":")[0] for line in copied} == {"_news/2024-02-28-copy.md"}
    # and a new finding of the archive: the original now repeats the copy's URL (neither
    # has a valid date, so the first by name counts as the older)
    repeated = [line.split(": A001 ")[0] for line in out.splitlines() if " A001 " in line]
    assert repeated == [f"{BAD}:7:9"]


def test_baseline_paths_are_relative_to_the_baseline_file(site: Path) -> None:
    (site / "ci").mkdir()
    record(site, "ci/baseline.json")
    assert lint(site / "_news", "--baseline", "../ci/baseline.json", ".") == (0, "", summary(3, 0, 0))
    assert lint(site.parent, "--baseline", "site/ci/baseline.json", "site/_news") == (0, "", summary(3, 0, 0))


def test_baseline_from_the_configuration(site: Path) -> None:
    record(site, "lint-news-baseline.json")
    (site / ".lint-news.toml").write_text('baseline = "lint-news-baseline.json"\n', encoding="utf-8")
    assert lint(site, "_news") == (0, "", summary(3, 0, 0))
    assert lint(site / "_news", ".") == (0, "", summary(3, 0, 0))  # the path is relative to the file
    assert lint(site, "--isolated", "_news")[0] == 1


def test_baseline_flag_beats_the_configuration(site: Path) -> None:
    record(site, "all.json")
    record(site, "none.json", CLEAN)
    (site / ".lint-news.toml").write_text('baseline = "none.json"\n', encoding="utf-8")
    assert lint(site, "_news")[0] == 1
    assert lint(site, "--baseline", "all.json", "_news") == (0, "", summary(3, 0, 0))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param("{not json", "Expecting property name", id="not-json"),
        pytest.param("", "Expecting value", id="empty"),
        pytest.param('["a", "list"]', "", id="a-list"),
        pytest.param('{"version": 2, "findings": []}', "unsupported version 2", id="other-version"),
        pytest.param('{"version": 1}', "'findings'", id="no-findings"),
        pytest.param('{"version": 1, "findings": [{"path": "a"}]}', "'code'", id="incomplete-row"),
        pytest.param('{"version": 1, "findings": ["row"]}', "", id="row-not-an-object"),
        pytest.param('{"version": 1, "findings": 3}', "", id="findings-not-a-list"),
    ],
)
def test_a_corrupt_baseline_is_an_error(site: Path, content: Optional[str], reason: str) -> None:
    if content is not None:
        (site / "baseline.json").write_text(content, encoding="utf-8")
    rc, out, err = lint(site, "--baseline", "baseline.json", "_news")
    assert (rc, out) == (2, "")
    assert err.startswith("lint-news: error: baseline.json: not a lint-news baseline (") and reason in err
    assert err.count("\n") == 1


def test_a_missing_baseline_says_so(site: Path) -> None:
    rc, out, err = lint(site, "--baseline", "baseline.json", "_news")
    assert (rc, out) == (2, "")
    assert err == "lint-news: error: baseline.json: baseline file does not exist (write one with --write-baseline)\n"


def test_a_corrupt_baseline_from_the_configuration_is_an_error(site: Path) -> None:
    (site / "b.json").write_bytes(b"\xff\xfe not utf-8")
    (site / ".lint-news.toml").write_text('baseline = "b.json"\n', encoding="utf-8")
    rc, out, err = lint(site, "_news")
    assert (rc, out) == (2, "")
    assert err.startswith(f"lint-news: error: {site.resolve() / 'b.json'}: not a lint-news baseline (")


def test_write_baseline_still_reports_unreadable_paths(site: Path) -> None:
    rc, out, err = lint(site, "--write-baseline", "b.json", "_news", "missing.md")
    assert (rc, out, err) == (2, "", f"lint-news: wrote {len(BAD_FINDINGS) + 1} finding(s) to b.json\n")
    assert lint(site, "--baseline", "b.json", "_news") == (0, "", summary(3, 0, 0))


def test_write_baseline_to_a_missing_folder_is_an_error(site: Path) -> None:
    rc, out, err = lint(site, "--write-baseline", "no/such/b.json", "_news")
    assert (rc, out, err) == (2, "", "lint-news: error: cannot write no/such/b.json: No such file or directory\n")


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared corpus (../shared/corpus/real) is absent")
def test_newcomer_adopts_lint_news_on_the_real_archive(tmp_path: Path) -> None:
    """Record the real archive's findings in place (nothing copied), then pass against them."""
    baseline = tmp_path / "baseline.json"
    cache = ["--cache-dir", str(tmp_path / "cache")]
    rc, out, err = run_cli(*cache, "--write-baseline", str(baseline), str(REAL), cwd=tmp_path, timeout=600)
    assert (rc, out) == (0, "") and err.startswith("lint-news: wrote ")
    recorded = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert recorded, "the real archive has known defects; an empty baseline means nothing was checked"
    rc, out, err = run_cli(*cache, "--baseline", str(baseline), str(REAL), cwd=tmp_path, timeout=600)
    assert (rc, out) == (0, "")
    match = re.fullmatch(r"lint-news: (\d+) file\(s\) checked, 0 with findings: 0 error\(s\), 0 warning\(s\)\n", err)
    assert match and int(match.group(1)) >= 2000

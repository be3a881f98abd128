"""The result cache through ``main(argv)`` (in-process; concurrent runs are real processes).

To show that a run really reads the cache, an entry is "poisoned": the clean article's entry
is overwritten with the bad article's, so a run served from the cache reports the bad
article's findings under the clean article's name. Every invalidation test starts from such
a poisoned cache and expects the true result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from conftest import (
    BAD,
    BAD_FINDINGS,
    BAD_NAME,
    CLEAN,
    CLEAN_NAME,
    NEWS,
    Run,
    lint_news_command,
    run_cli,
    summary,
)

pytestmark = pytest.mark.in_process

TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
BUNDLED_ID = "https://lint-news.github.io/schema/news-article.schema.json"


CLEAN_RESULT = (0, "", summary(1, 0, 0))


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def lint(site: Path, cache: Path, *args: str, env: Optional[Dict[str, str]] = None) -> Run:
    return run_cli("--cache-dir", str(cache), *args, cwd=site, env=env)


def truth(site: Path, *args: str) -> Run:
    return run_cli("--no-cache", *args, cwd=site)


def entries(cache: Path) -> List[Path]:
    """Cache entries (every file below the versioned folder), temporary files included."""
    root = cache / "v4"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot(cache: Path) -> Dict[Path, bytes]:
    return {p: p.read_bytes() for p in entries(cache)}


def poison(site: Path, cache: Path, *args: str) -> Path:
    """Store the bad article's findings as the clean article's entry; check a run reads it."""
    lint(site, cache, *args, BAD, CLEAN)
    stored = entries(cache)
    assert len(stored) == 2
    (log,) = [p for p in stored if p.name.startswith("clean-")]  # a clean file is a key in a log
    (bad_entry,) = [p for p in stored if p != log]
    key = log.read_bytes().hex()
    assert len(key) == 40
    log.unlink()
    clean_entry = log.parent / key[:2] / key[2:]
    clean_entry.parent.mkdir(exist_ok=True)
    clean_entry.write_bytes(reseal(bad_entry, clean_entry))
    rc, out, err = lint(site, cache, *args, CLEAN)
    assert rc == 1 and out.startswith(f"{CLEAN}:{BAD_FINDINGS[0]}\n"), out
    return clean_entry


def reseal(entry: Path, target: Path) -> bytes:
    """``entry``'s findings sealed as ``target``'s, with the user's secret (an entry is bound
    to its key: copying one to another name makes a miss)."""
    from linter.batch.cache import mac_key, seal, unseal, user_secret

    secret = user_secret()
    assert secret is not None
    key = mac_key(secret, entry.parent.parent.name)
    payload = unseal(key, bytes.fromhex(entry.parent.name + entry.name), entry.read_bytes())
    assert payload is not None
    return seal(key, bytes.fromhex(target.parent.name + target.name), payload)


def logs(cache: Path) -> List[Path]:
    return [p for p in entries(cache) if p.name.startswith("clean-")]


# -- warm and cold -----------------------------------------------------------------------------


def test_warm_run_gives_the_same_output_as_cold(site: Path, cache: Path) -> None:
    cold = lint(site, cache, "_news")
    stored = snapshot(cache)
    assert sorted(len(content) for content in stored.values())[0] == 2 * 20  # the two clean files' keys
    assert len(stored) == 2  # and the bad file's findings
    warm = lint(site, cache, "_news")
    assert warm == cold == truth(site, "_news")
    assert cold.rc == 1 and cold.out.count("\n") == len(BAD_FINDINGS)
    assert snapshot(cache) == stored  # nothing rewritten


def test_warm_run_with_show_source_and_formats(site: Path, cache: Path) -> None:
    lint(site, cache, "_news")
    for args in (["--show-source", "--statistics"], ["--format", "sarif"]):
        assert lint(site, cache, *args, "_news") == truth(site, *args, "_news"), args


def test_a_run_reads_the_cache(site: Path, cache: Path) -> None:
    poison(site, cache)  # asserts the poisoned entry is served


# -- invalidation ------------------------------------------------------------------------------


def test_changed_content_misses(site: Path, cache: Path) -> None:
    poison(site, cache)
    with (site / CLEAN).open("a", encoding="utf-8") as handle:
        handle.write("\nA body paragraph.\n")
    assert lint(site, cache, CLEAN) == CLEAN_RESULT


def test_renamed_file_misses(site: Path, cache: Path) -> None:
    """D002 reads the date in the file name, so the name is part of the key."""
    poison(site, cache)
    renamed = "_news/2020-01-01-robotics-library.md"
    (site / CLEAN).rename(site / renamed)
    result = lint(site, cache, renamed)
    assert result.rc == 0
    assert (
        result.out == f"{renamed}:5:20: D002 warning: file name date 2020-01-01 is more than a day"
        " from publishedDateTime 2024-03-11\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--ignore", "T001"], id="ignore"),
        pytest.param(["--select", "S,U,D,X,C"], id="select"),
        pytest.param(["--extend-select", "N"], id="extend-select"),
        pytest.param(["--max-file-size", "1000000"], id="max-file-size"),
        pytest.param(["--report-unused-suppressions"], id="report-unused-suppressions"),
        pytest.param(["--config", "other.toml"], id="config-file"),
    ],
)
def test_changed_settings_miss(site: Path, cache: Path, args: List[str]) -> None:
    (site / "other.toml").write_text("max-image-dimension = 30000\n", encoding="utf-8")
    poison(site, cache)
    assert lint(site, cache, *args, CLEAN) == CLEAN_RESULT


def test_changed_configuration_file_misses(site: Path, cache: Path) -> None:
    config = site / ".lint-news.toml"
    config.write_text("max-image-dimension = 30000\n", encoding="utf-8")
    poison(site, cache)
    config.write_text("max-image-dimension = 1000\n", encoding="utf-8")
    out = f"{CLEAN}:25:12: I001 image width 1200 is above the maximum 1000\n"
    assert lint(site, cache, CLEAN) == (1, out, summary(1, 1, 1))


def test_a_build_with_another_set_of_codes_misses(site: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout's version stays the same from commit to commit: a build that reports a new
    code (Y007 came so) reads none of an older build's entries."""
    from linter import registry

    poison(site, cache)
    monkeypatch.setattr("linter.batch.cache.RULES", {**registry.RULES, "Y999": registry.RULES["Y007"]})
    assert lint(site, cache, CLEAN) == CLEAN_RESULT


def test_changed_schema_text_misses(site: Path, cache: Path) -> None:
    """Same schema path, new content: the schema's text is part of the key."""
    schema = site / "news.schema.json"
    schema.write_text(json.dumps({"allOf": [{"$ref": BUNDLED_ID}]}), encoding="utf-8")
    (site / ".lint-news.toml").write_text('schema = "news.schema.json"\n', encoding="utf-8")
    poison(site, cache)
    schema.write_text(json.dumps({"allOf": [{"$ref": BUNDLED_ID}], "required": ["summary"]}), encoding="utf-8")
    out = f"{CLEAN}:2:1: S001 missing required field 'summary'\n"
    assert lint(site, cache, CLEAN) == (1, out, summary(1, 1, 1))


def test_no_cache_neither_reads_nor_writes(site: Path, cache: Path, tmp_path: Path) -> None:
    poison(site, cache)
    stored = snapshot(cache)
    assert run_cli("--no-cache", "--cache-dir", str(cache), CLEAN, cwd=site) == CLEAN_RESULT
    assert snapshot(cache) == stored
    env_dir = tmp_path / "env-cache"
    assert run_cli("--no-cache", "_news", cwd=site, env={"LINT_NEWS_CACHE_DIR": str(env_dir)})[0] == 1
    assert run_cli("--no-cache", "_news", cwd=site, env={"LINT_NEWS_CACHE_DIR": ""})[0] == 1
    assert not env_dir.exists() and not (site / ".lint-news-cache").exists()


# -- where and what ----------------------------------------------------------------------------


def test_cache_folder_is_tagged_and_ignored_by_git(site: Path, cache: Path) -> None:
    lint(site, cache, "_news")
    assert (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(TAG_SIGNATURE + "\n")
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    # archive-v2: the archive index (A001), kept with the result cache
    assert sorted(p.name for p in cache.iterdir()) == [".gitignore", "CACHEDIR.TAG", "archive-v2", "v4"]


def test_gitignore_only_in_a_folder_lint_news_creates(site: Path) -> None:
    """``--cache-dir .`` must not write ``*`` into a project's own .gitignore."""
    assert run_cli("--cache-dir", ".", "_news", cwd=site)[0] == 1
    assert not (site / ".gitignore").exists()
    assert (site / "CACHEDIR.TAG").is_file() and entries(site)


@pytest.mark.parametrize(
    ("args", "env", "where"),
    [
        pytest.param([], {"LINT_NEWS_CACHE_DIR": ""}, ".lint-news-cache", id="default"),
        pytest.param([], {"LINT_NEWS_CACHE_DIR": "from-env"}, "from-env", id="environment"),
        pytest.param(["--cache-dir", "from-flag"], {"LINT_NEWS_CACHE_DIR": "from-env"}, "from-flag", id="flag"),
    ],
)
def test_cache_location(site: Path, args: List[str], env: Dict[str, str], where: str) -> None:
    assert run_cli(*args, "_news", cwd=site, env=env)[0] == 1
    made = sorted(p.name for p in site.iterdir() if p.is_dir() and p.name != "_news")
    assert made == [where]
    assert len(entries(site / where)) == 2  # the bad file's findings; the log of the clean ones


def test_default_cache_folder_is_not_walked(site: Path) -> None:
    env = {"LINT_NEWS_CACHE_DIR": ""}
    first = run_cli(".", cwd=site, env=env)
    (site / ".lint-news-cache" / "stray.md").write_text("no frontmatter\n", encoding="utf-8")
    assert run_cli(".", cwd=site, env=env) == first


CORRUPT = [
    pytest.param(b"", id="empty"),
    pytest.param(b"{not json", id="not-json"),
    pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
    pytest.param(b'{"a": 1}', id="object"),
    pytest.param(b"[1, 2]", id="rows-not-lists"),
    pytest.param(b'[["too", "short"]]', id="short-row"),
    pytest.param(b'[[1, 1, "S001", "m", "fatal", "n", [], ""]]', id="bad-severity"),
    pytest.param(b'[["x", 1, "S001", "m", "error", "n", [], ""]]', id="bad-line"),
    pytest.param(b'[[1, 1, "S001", "m", "error", "n", 5, ""]]', id="bad-data-path"),
]


@pytest.mark.parametrize("content", CORRUPT)
def test_a_corrupt_entry_is_a_miss(site: Path, cache: Path, content: bytes) -> None:
    cold = lint(site, cache, BAD)
    assert cold.rc == 1 and cold.out.count("\n") == len(BAD_FINDINGS)
    (entry,) = entries(cache)
    entry.write_bytes(content)
    assert lint(site, cache, BAD) == cold
    assert entry.read_bytes() != content  # rewritten with the true result


def test_an_entry_that_is_a_folder_is_a_miss(site: Path, cache: Path) -> None:
    lint(site, cache, CLEAN)
    (entry,) = entries(cache)
    entry.unlink()
    entry.mkdir()
    assert lint(site, cache, CLEAN) == CLEAN_RESULT


def test_an_unwritable_cache_does_not_fail_the_run(site: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go\n", encoding="utf-8")
    assert lint(site, blocker, "_news") == truth(site, "_news")


def test_clean_files_are_keys_in_one_log_per_process(site: Path, cache: Path) -> None:
    many = site / "many"
    many.mkdir()
    for index in range(5):
        shutil.copyfile(NEWS / CLEAN_NAME, many / f"2024-03-11-copy{index}.md")
    assert lint(site, cache, "--jobs", "1", "many") == truth(site, "many")
    (log,) = logs(cache)
    assert log.stat().st_size == 5 * 20
    assert len(entries(cache)) == 1  # no entry of its own for a clean file


def test_a_torn_log_record_is_not_read(site: Path, cache: Path) -> None:
    lint(site, cache, CLEAN)
    (log,) = logs(cache)
    log.write_bytes(log.read_bytes()[:19])  # a crash in the middle of the only record
    assert lint(site, cache, CLEAN) == CLEAN_RESULT
    assert len(logs(cache)) == 2  # it missed, and its key went to a new log


def test_a_torn_record_after_whole_ones_leaves_them_readable(site: Path, cache: Path) -> None:
    lint(site, cache, CLEAN)
    (log,) = logs(cache)
    log.write_bytes(log.read_bytes() + b"torn")
    assert lint(site, cache, CLEAN) == CLEAN_RESULT
    assert logs(cache) == [log]  # a hit: nothing new was written


def test_many_logs_are_merged_into_one(site: Path, cache: Path) -> None:
    lint(site, cache, CLEAN)
    (log,) = logs(cache)
    key = log.read_bytes()
    for index in range(20):  # twenty runs' logs, each with the same key
        shutil.copyfile(log, log.with_name(f"clean-{index}-0"))
    assert lint(site, cache, CLEAN) == CLEAN_RESULT
    (merged,) = logs(cache)
    assert merged != log and merged.read_bytes() == key
    assert lint(site, cache, CLEAN) == CLEAN_RESULT
    assert logs(cache) == [merged]  # a hit from the merged log


# -- per-file-ignores --------------------------------------------------------------------------


@pytest.mark.parametrize("order", [["a", "b"], ["b", "a"]], ids=["ignored-first", "ignored-second"])
def test_same_file_in_two_folders_with_per_file_ignores(site: Path, cache: Path, order: List[str]) -> None:
    """Same bytes and name, but only a/ is ignored: each needs its own result."""
    for folder in ("a", "b"):
        (site / folder).mkdir()
        shutil.copyfile(NEWS / BAD_NAME, site / folder / BAD_NAME)
    (site / ".lint-news.toml").write_text('select = ["U"]\nper-file-ignores = { "a/*" = ["U"] }\n', encoding="utf-8")
    for _ in range(2):  # cold, then warm
        for folder in order:
            rc, out, err = lint(site, cache, folder)
            if folder == "a":
                assert (rc, out) == (0, "")
            else:
                assert rc == 1 and out.count("\n") == 3 and out.startswith(f"b/{BAD_NAME}:6:14: U002 ")


# -- concurrency and failures ------------------------------------------------------------------


def test_two_concurrent_runs_share_a_cache(site: Path, cache: Path) -> None:
    archive = site / "archive"
    archive.mkdir()
    for i in range(120):
        src = sorted(NEWS.iterdir())[i % 3]
        shutil.copyfile(src, archive / f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}-n{i:03d}.md")
    command = lint_news_command() + ["--cache-dir", str(cache), "archive"]
    procs = [
        subprocess.Popen(command + jobs, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for jobs in (["--jobs", "1"], ["--jobs", "2"])
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    expected = truth(site, "archive")
    for proc, (out, err) in zip(procs, outputs):
        assert (proc.returncode, out.decode(), err.decode()) == expected
    assert expected.rc == 1
    assert not [p for p in entries(cache) if p.name.startswith(".")]  # no temporary file left
    assert lint(site, cache, "archive") == expected


def boom_schema(site: Path) -> None:
    """A user schema that breaks (a dangling $ref) only for articles with a ``boom`` key."""
    schema = {"allOf": [{"$ref": BUNDLED_ID}], "if": {"required": ["boom"]}, "then": {"$ref": "#/$defs/missing"}}
    (site / "boom.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (site / ".lint-news.toml").write_text('schema = "boom.schema.json"\n', encoding="utf-8")
    text = (NEWS / CLEAN_NAME).read_text(encoding="utf-8").replace("category: news\n", "category: news\nboom: 1\n")
    (site / "_news" / "2024-03-11-boom.md").write_text(text, encoding="utf-8")


def test_failed_files_are_never_stored(site: Path, cache: Path) -> None:
    """A schema that cannot work (a dangling $ref) is refused before any file is checked
    (#10), so nothing at all is stored; E010 below covers a file that fails on its own."""
    boom_schema(site)
    for _ in range(2):  # the second run must fail again, not read a stored result
        rc, out, err = lint(site, cache, "_news/2024-03-11-boom.md", CLEAN)
        assert (rc, out) == (2, "")
        assert "reference '#/$defs/missing'" in err and "cannot be resolved" in err
        assert entries(cache) == []


def test_unreadable_paths_are_never_stored(site: Path, cache: Path) -> None:
    os.mkfifo(site / "_news" / "2024-01-01-pipe.md")
    for _ in range(2):
        result = lint(site, cache, "_news/2024-01-01-pipe.md", "missing.md", CLEAN)
        out = "_news/2024-01-01-pipe.md:1:1: E010 cannot read: not a regular file\n" + (
            "missing.md:1:1: E010 no such file or directory\n"
        )
        assert result == (2, out, summary(2, 0, 0, unreadable=2))
        assert len(entries(cache)) == 1


# -- the logs of clean files, as a unit --------------------------------------------------------


def test_a_key_counts_only_where_a_record_starts() -> None:
    from linter.batch.cache import _holds

    key = bytes(range(20))
    assert _holds(b"\xff" * 20 + key, key)
    assert not _holds(b"\xff" * 10 + key + b"\xff" * 10, key)  # across two records
    assert _holds(b"\xff" * 10 + key[:10] + key + key, key)  # a misaligned match first, then a real one


def test_searched_and_set_lookups_agree(tmp_path: Path) -> None:
    from linter.batch.cache import _SEARCHED_LOOKUPS, Cache
    from linter.settings import Settings

    secret = bytes(32)
    writer = Cache(str(tmp_path), Settings(), "{}", secret)
    stored = [bytes([n]) * 20 for n in range(5)]
    for record in stored:
        writer._prepare()
        writer._append(record)
    reader = Cache(str(tmp_path), Settings(), "{}", secret)
    asked = stored + [bytes([n]) * 20 for n in range(5, 10)]
    answers = [reader._is_clean(record) for record in asked * 2]
    assert reader.clean is not None and reader.lookups > _SEARCHED_LOOKUPS  # both ways were used
    assert answers == [record in stored for record in asked * 2]

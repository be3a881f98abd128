"""The archive check (A001, #13): articles of one archive that share a URL.

Through the installed command (archives, suppressions, selection, formats, --jobs,
baselines, the cache, standard input) and in process for the index (what is read again,
forged and broken indexes) and the hostile cases (links, a huge folder, one URL shared by
10,000 files).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import time
from array import array
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import jsonschema
import pytest
from conftest import run_cli, run_main
from sample_articles import GOOD, GOOD_LINES

from linter.archive import compare, members
from linter.archive import index as index_module
from linter.archive import keys as archive_keys
from linter.archive import prefetch as prefetch_module
from linter.archive.compare import Scope, check
from linter.archive.index import MAGIC, Index
from linter.archive.prefetch import prefetch
from linter.archive.table import (
    EMPTY,
    NO_SIGNATURE,
    PRESENT,
    RECORD,
    SIGNATURE,
    SILENCED,
    Finder,
    Table,
    record,
    signature,
    urls_of,
)
from linter.batch import walk
from linter.batch.cache import open_cache
from linter.batch.walk import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, Globs
from linter.model import Finding
from linter.parse.types import Parsed
from linter.settings import Settings

SLUG = "2024/03/11/robotics-library"
WEB = (GOOD_LINES["webUrl"], len("webUrl: ") + 1)
ORIGINAL = (GOOD_LINES["originalUrl"], len("originalUrl: ") + 1)
SCHEMAS = Path(__file__).parent / "schemas"
OLD = 1_600_000_000  # a modification time long before any run: the index may trust it


def article(slug: str = "story", when: str = "2024-03-11T08:30:00Z", web: Optional[str] = None) -> str:
    """GOOD with its own URLs (``slug`` in every URL that names the story) and date."""
    text = GOOD.replace(SLUG, f"2024/03/11/{slug}").replace(
        "publishedDateTime: 2024-03-11T08:30:00Z", f"publishedDateTime: {when}"
    )
    if web is not None:
        text = text.replace(
            f'webUrl: "https://www.harbour-times.example.com/2024/03/11/{slug}/"', f'webUrl: "{web}"', 1
        )
    return text


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def lint(cwd: Path, *args: str, stdin: Optional[bytes] = None) -> Tuple[int, str, str]:
    return run_cli("--no-cache", "-q", *args, cwd=cwd, stdin=stdin)


def a001(path: str, where: Tuple[int, int], other: str, line: int, count: int = 2, field: str = "webUrl") -> str:
    return (
        f"{path}:{where[0]}:{where[1]}: A001 warning: {field} is also the {field} of {other}:{line},"
        f" the oldest of the {count} articles of this archive with this URL\n"
    )


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    """A site whose _news holds an article and a later copy of it."""
    news = tmp_path / "site" / "_news"
    write(news, "2024-03-11-library.md", article())
    write(news, "2024-03-12-library-again.md", article(when="2024-03-12T07:00:00Z"))
    write(news, "2024-03-12-other.md", article("other", "2024-03-12T09:00:00Z"))
    return tmp_path / "site"


AGAIN = "_news/2024-03-12-library-again.md"
FIRST = "_news/2024-03-11-library.md"


# -- what is reported, and where ----------------------------------------------------------------


def test_the_later_article_is_reported_at_its_url_naming_the_older(pair: Path) -> None:
    assert lint(pair, "_news") == (0, a001(AGAIN, WEB, FIRST, WEB[0]), "")
    assert lint(pair, "--strict", "_news")[0] == 1  # a warning: fails only with --strict


def test_one_named_file_is_compared_with_the_rest_of_its_archive_on_disk(pair: Path) -> None:
    assert lint(pair, AGAIN) == (0, a001(AGAIN, WEB, FIRST, WEB[0]), "")
    assert lint(pair, FIRST) == (0, "", "")  # the oldest is never reported
    assert lint(pair, os.path.abspath(pair / AGAIN))[1] == a001(str(pair / AGAIN), WEB, str(pair / FIRST), WEB[0])


@pytest.mark.parametrize("names", [(FIRST, FIRST), (FIRST, "./" + FIRST), ("_news", FIRST), ("_news", "_news")])
def test_a_file_named_twice_is_not_a_duplicate_of_itself(pair: Path, names: Tuple[str, ...]) -> None:
    again = a001(AGAIN, WEB, FIRST, WEB[0]) if "_news" in names else ""
    assert lint(pair, *names) == (0, again, "")


def test_a_file_named_twice_is_one_member_with_the_index_too(pair: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    for _ in range(2):  # cold, then warm
        assert run_cli("--cache-dir", cache, "-q", FIRST, "./" + FIRST, cwd=pair) == (0, "", "")


@pytest.mark.parametrize(
    ("names", "looked"), [(("_news",), False), ((FIRST,), False), (("_news", FIRST), True), ((FIRST, FIRST), True)]
)
def test_repeated_names_are_looked_for_when_more_than_one_path_is_named(
    pair: Path, names: Tuple[str, ...], looked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One path named: its walk meets each file once, so no name can repeat, and the look
    for repeats (a set of every name's hash, the peak of a run of 100,000 files) is left
    out; with two paths it is made, and a file named twice is still one member."""
    calls: List[int] = []

    def last_rows(table: Table) -> Dict[bytes, int]:
        calls.append(len(table))
        return real(table)

    real = compare._last_rows
    monkeypatch.setattr(compare, "_last_rows", last_rows)
    again = a001(AGAIN, WEB, FIRST, WEB[0]) if "_news" in names else ""
    assert run_main("--no-cache", "-q", *names, cwd=pair) == (0, again, "")
    assert bool(calls) == looked


def test_the_check_keeps_the_last_row_of_a_repeated_name(pair: Path) -> None:
    first, again = (str(pair / name) for name in (FIRST, AGAIN))
    checked = compare.Checked()
    for path in (first, again, first, first):
        checked.add(path, None)
    found, _ = check(checked, Scope(Settings(), DEFAULT_INCLUDE, DEFAULT_EXCLUDE))
    assert [(f.path, f.code) for f in found] == [(again, "A001")]
    (group,) = checked.groups.values()
    assert len(group.table) == 2 and [group.path(row) for row in range(2)] == [again, first]


def test_the_oldest_is_found_by_instant_then_by_path(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    # 10:00+02:00 is 08:00 UTC: older than 09:00Z although its text sorts after it
    write(news, "2024-03-11-b.md", article(when="2024-03-11T10:00:00+02:00"))
    write(news, "2024-03-11-a.md", article(when="2024-03-11T09:00:00Z"))
    write(news, "2024-03-11-c.md", article(when="2024-03-11T09:00:00Z"))
    out = lint(tmp_path, "_news")[1]
    assert out == a001("_news/2024-03-11-a.md", WEB, "_news/2024-03-11-b.md", WEB[0], 3) + a001(
        "_news/2024-03-11-c.md", WEB, "_news/2024-03-11-b.md", WEB[0], 3
    )


def test_an_article_without_a_valid_date_counts_as_the_newest(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    write(news, "2024-03-10-a.md", article(when='"sometime"'))
    write(news, "2024-03-11-b.md", article())
    rows = [line for line in lint(tmp_path, "--select", "A", "_news")[1].splitlines()]
    assert rows == [a001("_news/2024-03-10-a.md", WEB, "_news/2024-03-11-b.md", WEB[0]).rstrip("\n")]


def test_original_url_is_compared_with_web_urls_too(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    write(news, "2024-03-11-a.md", article())
    other = article("other", "2024-03-12T08:00:00Z").replace(
        'originalUrl: "https://www.harbour-times.example.com/2024/03/11/other/"',
        'originalUrl: "https://www.harbour-times.example.com/2024/03/11/story/"',
    )
    write(news, "2024-03-12-b.md", other)
    out = lint(tmp_path, "--select", "A", "_news")[1]
    assert out == (
        f"_news/2024-03-12-b.md:{ORIGINAL[0]}:{ORIGINAL[1]}: A001 warning: originalUrl is also the webUrl of"
        f" _news/2024-03-11-a.md:{WEB[0]}, the oldest of the 2 articles of this archive with this URL\n"
    )


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://Example.COM/news/story", "https://example.com/news/story"),
        ("HTTPS://example.com/news/story", "https://example.com/news/story"),
        ("https://example.com:443/news/story", "https://example.com/news/story"),
        ("http://example.com:80/news/story", "http://example.com/news/story"),
        ("https://example.com/news/story/", "https://example.com/news/story"),
        ("https://example.com/news/story/?id=1", "https://example.com/news/story?id=1"),
        ("https://example.com/", "https://example.com"),
    ],
)
def test_normalisation_merges_spellings_of_one_page(a: str, b: str) -> None:
    assert archive_keys.normalize(a) == archive_keys.normalize(b)
    assert archive_keys.digest(a) == archive_keys.digest(b)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://H.example.com?x=/Y/#z", "https://h.example.com?x=/Y/#z"),
        ("https://H.example.com#a?b/c/", "https://h.example.com#a?b/c/"),
        ("https://u@H.example.com:443?q/p/", "https://u@h.example.com?q/p/"),
        ("HTTP://H.example.com:80/p/?a#b/", "http://h.example.com/p?a#b/"),
        ("https://H.example.com/p/#f?x/", "https://h.example.com/p#f?x/"),
    ],
)
def test_the_host_and_the_path_end_at_the_first_mark_in_any_order(url: str, expected: str) -> None:
    """The host ends at the first of '/', '?', '#', the path at the first of '?', '#',
    whichever of them comes first in the URL."""
    assert archive_keys.normalize(url) == expected


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://example.com/news/Story", "https://example.com/news/story"),  # paths are case-sensitive
        ("https://example.com/news/story?id=1", "https://example.com/news/story?id=2"),
        ("https://example.com/news/story#part-1", "https://example.com/news/story#part-2"),
        ("https://example.com/news/story", "http://example.com/news/story"),
        ("https://example.com:8443/news/story", "https://example.com/news/story"),
        ("https://example.com:80/news/story", "https://example.com/news/story"),  # 80 is not https's
        ("https://example.com/news/caf%C3%A9", "https://example.com/news/café"),
        ("https://example.com/a//", "https://example.com/a/"),
        ("story", "Story"),
    ],
)
def test_normalisation_keeps_what_can_tell_pages_apart(a: str, b: str) -> None:
    assert archive_keys.digest(a) != archive_keys.digest(b)


def test_url_values_are_the_parsers_with_quoting_and_escapes(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    write(news, "2024-03-11-a.md", article(web="https://www.harbour-times.example.com/2024/03/11/story/"))
    # the same URL written with a double-quoted escape, and single-quoted
    write(
        news,
        "2024-03-12-b.md",
        article(when="2024-03-12T08:00:00Z", web="https://www.harbour-times.example.com/2024/03/11/st\\x6fry/"),
    )
    third = article(when="2024-03-13T08:00:00Z").replace(
        'webUrl: "https://www.harbour-times.example.com/2024/03/11/story/"',
        "webUrl: 'https://www.harbour-times.example.com/2024/03/11/story/'",
    )
    write(news, "2024-03-13-c.md", third)
    out = lint(tmp_path, "--select", "A", "_news/2024-03-12-b.md", "_news/2024-03-13-c.md")[1]
    assert out == a001("_news/2024-03-12-b.md", WEB, "_news/2024-03-11-a.md", WEB[0], 3) + a001(
        "_news/2024-03-13-c.md", WEB, "_news/2024-03-11-a.md", WEB[0], 3
    )


def test_an_unpublished_article_is_not_compared(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    write(news, "2024-03-11-a.md", article().replace("published: true", "published: false"))
    write(news, "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    assert lint(tmp_path, "_news") == (0, "", "")


# -- archives ---------------------------------------------------------------------------------------


def test_two_sites_checked_in_one_run_are_never_compared(tmp_path: Path) -> None:
    write(tmp_path / "one" / "_news", "2024-03-11-a.md", article())
    write(tmp_path / "two" / "_news", "2024-03-12-a.md", article(when="2024-03-12T08:00:00Z"))
    assert lint(tmp_path, "one", "two") == (0, "", "")


def test_outside_news_a_folder_is_an_archive_of_its_own(tmp_path: Path) -> None:
    write(tmp_path / "plain", "2024-03-11-a.md", article())
    write(tmp_path / "plain" / "sub", "2024-03-12-a.md", article(when="2024-03-12T08:00:00Z"))
    assert lint(tmp_path, "plain") == (0, "", "")
    write(tmp_path / "plain", "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    assert lint(tmp_path, "plain/2024-03-12-b.md")[1] == a001(
        "plain/2024-03-12-b.md", WEB, "plain/2024-03-11-a.md", WEB[0]
    )


def test_a_news_folder_is_walked_below_and_a_nested_one_is_apart(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    write(news / "2024", "2024-03-11-a.md", article())
    write(news / "2025", "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    write(news / "old" / "_news", "2024-03-13-c.md", article(when="2024-03-13T08:00:00Z"))
    out = lint(tmp_path, "_news/2025/2024-03-12-b.md", "_news/old/_news/2024-03-13-c.md")[1]
    assert out == a001("_news/2025/2024-03-12-b.md", WEB, "_news/2024/2024-03-11-a.md", WEB[0])


def test_configured_archive_roots(tmp_path: Path) -> None:
    (tmp_path / ".lint-news.toml").write_text('archive = ["content/news"]\n', encoding="utf-8")
    write(tmp_path / "content" / "news" / "2024", "2024-03-11-a.md", article())
    write(tmp_path / "content" / "news" / "2025", "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    out = run_cli("--no-cache", "-q", "content/news/2025/2024-03-12-b.md", cwd=tmp_path)
    assert out == (0, a001("content/news/2025/2024-03-12-b.md", WEB, "content/news/2024/2024-03-11-a.md", WEB[0]), "")
    # without the key, each folder is an archive of its own
    assert run_cli("--no-cache", "-q", "--isolated", "content/news/2025/2024-03-12-b.md", cwd=tmp_path) == (0, "", "")


@pytest.mark.parametrize("root", ["..", "../elsewhere", "/tmp", "link"])
def test_an_archive_root_outside_the_configuration_folder_is_refused(tmp_path: Path, root: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "link").symlink_to(tmp_path)
    (site / ".lint-news.toml").write_text(f'archive = ["{root}"]\n', encoding="utf-8")
    rc, out, err = run_cli("--no-cache", ".", cwd=site)
    assert (rc, out) == (2, "")
    assert f"key 'archive': folder '{root}' is outside" in err


def test_archive_key_must_be_a_list_of_folders(tmp_path: Path) -> None:
    (tmp_path / ".lint-news.toml").write_text('archive = "content"\n', encoding="utf-8")
    rc, _, err = run_cli("--no-cache", ".", cwd=tmp_path)
    assert rc == 2 and "key 'archive' must be a list of folders" in err


# -- suppressions and selection ------------------------------------------------------------------


@pytest.mark.parametrize("which", ["2024-03-11-library.md", "2024-03-12-library-again.md"])
def test_ignore_file_in_either_file_silences_the_pair(pair: Path, which: str) -> None:
    path = pair / "_news" / which
    path.write_text(
        path.read_text(encoding="utf-8").replace("category: news", "category: news\n# lint-news: ignore-file[A001]"),
        encoding="utf-8",
    )
    assert lint(pair, "--report-unused-suppressions", "_news") == (0, "", "")
    assert lint(pair, "--report-unused-suppressions", AGAIN) == (0, "", "")


def test_an_inline_ignore_on_the_url_line_silences_that_url(pair: Path) -> None:
    path = pair / AGAIN
    text = path.read_text(encoding="utf-8")
    line = text.split("\n")[WEB[0] - 1]
    path.write_text(text.replace(line, line + "  # lint-news: ignore[A001]"), encoding="utf-8")
    # the originalUrl (the same URL) is then the one reported
    assert lint(pair, "_news")[1] == a001(AGAIN, ORIGINAL, FIRST, WEB[0], field="originalUrl").replace(
        "is also the originalUrl of", "is also the webUrl of"
    )


def test_select_ignore_and_per_file_ignores(pair: Path) -> None:
    assert lint(pair, "--ignore", "A001", "_news") == (0, "", "")
    assert lint(pair, "--ignore", "A", "_news") == (0, "", "")
    assert lint(pair, "--select", "A", "_news")[1] == a001(AGAIN, WEB, FIRST, WEB[0])
    assert lint(pair, "--select", "duplicate-url", "_news")[1] == a001(AGAIN, WEB, FIRST, WEB[0])
    (pair / ".lint-news.toml").write_text('per-file-ignores = { "*again*" = ["A001"] }\n', encoding="utf-8")
    assert run_cli("--no-cache", "-q", "_news", cwd=pair) == (0, "", "")
    (pair / ".lint-news.toml").write_text('error = ["A001"]\n', encoding="utf-8")
    rc, out, _ = run_cli("--no-cache", "-q", "_news", cwd=pair)
    assert (rc, out) == (1, a001(AGAIN, WEB, FIRST, WEB[0]).replace("A001 warning: ", "A001 "))


# -- output formats ---------------------------------------------------------------------------------


def test_json_lists_the_related_location(pair: Path) -> None:
    (finding,) = json.loads(lint(pair, "--format", "json", "_news")[1])["findings"]
    assert finding["related"] == [
        {"path": FIRST, "line": WEB[0], "column": WEB[1], "message": "the oldest article with this URL (webUrl)"}
    ]
    assert (finding["line"], finding["column"], finding["data_path"]) == (WEB[0], WEB[1], ["webUrl"])


def test_sarif_has_related_locations_and_stays_valid(pair: Path) -> None:
    log = json.loads(lint(pair, "--format", "sarif", "_news")[1])
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": FIRST, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": WEB[0], "startColumn": WEB[1]},
            },
            "message": {"text": "the oldest article with this URL (webUrl)"},
        }
    ]


def test_gitlab_github_and_junit_name_the_other_file(pair: Path) -> None:
    (issue,) = json.loads(lint(pair, "--format", "gitlab", "_news")[1])
    assert issue["other_locations"] == [{"path": FIRST, "lines": {"begin": WEB[0]}}]
    assert f"of {FIRST}:{WEB[0]}," in lint(pair, "--format", "github", "_news")[1]
    assert f"of {FIRST}:{WEB[0]}," in lint(pair, "--format", "junit", "_news")[1]


# -- jobs, baselines, the cache, standard input ----------------------------------------------------


def test_jobs_give_the_serial_output(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    for index in range(80):
        write(
            news, f"2024-03-11-n{index:03d}.md", article(f"story-{index % 40}", f"2024-03-11T08:{index // 40:02d}:00Z")
        )
    serial = lint(tmp_path, "--jobs", "1", "_news")
    assert serial[1].count(" A001 ") == 40
    assert lint(tmp_path, "--jobs", "2", "_news") == serial


def test_a_baseline_keeps_old_duplicates_through_line_shifts_and_new_copies(pair: Path) -> None:
    assert lint(pair, "--write-baseline", "baseline.json", "_news")[0] == 0
    again = pair / AGAIN
    again.write_text(
        again.read_text(encoding="utf-8").replace("category: news", "category: news\n# moved down"), encoding="utf-8"
    )
    write(pair / "_news", "2024-03-13-library-third.md", article(when="2024-03-13T07:00:00Z"))
    out = lint(pair, "--baseline", "baseline.json", "_news")[1]
    assert out == a001("_news/2024-03-13-library-third.md", WEB, FIRST, WEB[0], 3)


def test_a_cached_clean_result_does_not_hide_a_new_older_duplicate(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    write(news, "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    cache = ("--cache-dir", str(tmp_path / "cache"))
    assert run_cli(*cache, "-q", "_news", cwd=tmp_path) == (0, "", "")  # b's clean result is cached
    write(news, "2024-03-11-a.md", article())
    assert run_cli(*cache, "-q", "_news", cwd=tmp_path)[1] == a001(
        "_news/2024-03-12-b.md", WEB, "_news/2024-03-11-a.md", WEB[0]
    )
    assert run_cli(*cache, "-q", "_news/2024-03-12-b.md", cwd=tmp_path)[1] == a001(
        "_news/2024-03-12-b.md", WEB, "_news/2024-03-11-a.md", WEB[0]
    )
    (news / "2024-03-11-a.md").unlink()
    assert run_cli(*cache, "-q", "_news", cwd=tmp_path) == (0, "", "")


def test_standard_input_is_compared_with_the_archive_of_its_name(pair: Path) -> None:
    data = (pair / AGAIN).read_bytes()
    (pair / AGAIN).write_text(article("elsewhere", "2024-03-12T07:00:00Z"), encoding="utf-8")  # the disk copy differs
    assert lint(pair, "-", "--stdin-filename", AGAIN, stdin=data) == (0, a001(AGAIN, WEB, FIRST, WEB[0]), "")
    assert lint(pair, "-", stdin=data) == (0, "", "")  # no name: no archive


def test_the_python_api_compares_too(pair: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import linter

    monkeypatch.chdir(pair)
    found = [f for f in linter.lint_paths(["_news"], jobs=1) if f.code == "A001"]
    assert [(f.path, f.line, f.col, f.related[0].path) for f in found] == [(AGAIN, *WEB, FIRST)]


# -- the index ----------------------------------------------------------------------------------------


def archive(folder: Path, count: int, dup_of: Optional[int] = None) -> List[Path]:
    """``count`` articles with URLs of their own, their times set long ago."""
    paths = [write(folder, f"2024-03-11-n{index:05d}.md", article(f"story-{index}")) for index in range(count)]
    for path in paths:
        os.utime(path, (OLD, OLD))
    return paths


class Reads:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = archive_keys.of_bytes

        def counted(data: bytes, limits: object) -> str:
            self.count += 1
            return real(data, limits)  # type: ignore[arg-type]

        monkeypatch.setattr(archive_keys, "of_bytes", counted)


def run_check(paths: List[Path], cache_dir: Optional[Path], checked_keys: bool = False) -> List[Finding]:
    settings = Settings()
    index = None
    if cache_dir is not None:
        cache, note = open_cache(str(cache_dir), settings, "schema")
        assert cache is not None, note
        index = Index(cache)
    scope = Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, (), index)
    given: Dict[str, Optional[bytes]] = {
        str(p): (archive_keys.of_bytes(p.read_bytes(), settings.limits) if checked_keys else None) for p in paths
    }
    findings, notes = check(given, scope)
    assert notes == []
    return findings


def test_a_warm_index_reads_only_the_changed_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    news = tmp_path / "_news"
    paths = archive(news, 200)
    cache = tmp_path / "cache"
    reads = Reads(monkeypatch)
    changed = write(news, "2024-03-12-new.md", article("story-7", "2024-03-12T08:00:00Z"))
    assert [f.path for f in run_check([changed], cache)] == [str(changed)]
    assert reads.count == 201  # cold: every file once
    reads.count = 0
    os.utime(changed, (OLD, OLD))  # as an older edit would be
    assert [f.path for f in run_check([changed], cache)] == [str(changed)]
    assert reads.count == 1  # the changed file: its times were set after the index was written
    reads.count = 0
    assert [f.path for f in run_check([changed], cache)] == [str(changed)]
    assert reads.count == 0  # warm: nothing read
    paths[3].write_text(article("story-3b"), encoding="utf-8")  # a sibling changed: read again
    os.utime(paths[3], (OLD + 5, OLD + 5))
    assert run_check([changed], cache) != [] and reads.count == 1


def checked_with_stats(paths: List[Path], stats: Dict[Path, os.stat_result]) -> compare.Checked:
    """A whole-archive run's files as the command gives them: each a result from the cache
    (no keys), with the ``fstat`` the check took of it where ``stats`` has one."""
    checked = compare.Checked()
    for path in paths:
        checked.add(str(path), None, stats.get(path))
    return checked


def indexed_scope(cache_dir: Path) -> Scope:
    settings = Settings()
    cache, note = open_cache(str(cache_dir), settings, "schema")
    assert cache is not None, note
    return Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, (), Index(cache))


def test_the_listing_takes_a_checked_files_signature_from_its_check(tmp_path: Path) -> None:
    """A file the run checked is listed with the signature of its check (here a made-up
    one, to tell it from a stat), while the folder lists the same inode; a file the run
    did not read here, or whose inode is not the one checked, is stat'ed."""
    news = tmp_path / "_news"
    paths = archive(news, 9000)  # more than a batch: the batch path and the next batch
    real = {p: os.stat(p) for p in paths}

    def stat_as(info: os.stat_result, ino: Optional[int] = None) -> os.stat_result:
        fields = list(info)[:10]
        fields[1] = info.st_ino if ino is None else ino
        return os.stat_result(fields, {"st_mtime_ns": (OLD - 50) * 10**9, "st_ctime_ns": (OLD - 60) * 10**9})

    made_up = {p: stat_as(real[p]) for p in paths}  # other times, to tell them from a stat
    made_up[paths[5]] = stat_as(real[paths[5]], 12345)  # another inode: no longer the file checked
    del made_up[paths[7]]  # read by a worker: no signature
    checked = checked_with_stats(paths, made_up)
    group = checked.groups[members.archive_of(str(paths[0]), ())]
    listed = dict(
        members.Listing(
            group.archive, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, (), known=members.Known(group.table, group.sigs)
        )
    )
    for path in paths:
        expected = real[path] if path in (paths[5], paths[7]) else made_up[path]
        assert listed[path.name.encode()] == signature(expected), path.name


def test_a_file_changed_after_its_check_is_read_again_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signature the check took is older than the listing: a file changed between its
    check and the archive check (its modification time even set back) is stored with the
    check's signature and found changed by the next run, which reads its new URL."""
    news = tmp_path / "_news"
    paths = archive(news, 40)
    cache = tmp_path / "cache"
    check(checked_with_stats(paths, {}), indexed_scope(cache))  # cold: every file read, index kept
    stats = {p: os.stat(p) for p in paths}
    late = paths[9]
    late.write_text(article("story-3", "2024-03-12T08:00:00Z"), encoding="utf-8")  # now story-3's URL
    os.utime(late, (OLD, OLD))
    reads = Reads(monkeypatch)
    findings, _ = check(checked_with_stats(paths, stats), indexed_scope(cache))
    assert findings == [] and reads.count == 0  # this run compared what it checked
    findings, _ = check(checked_with_stats(paths, {p: os.stat(p) for p in paths}), indexed_scope(cache))
    assert reads.count == 1
    assert [(f.path, f.related[0].path) for f in findings] == [(str(late), str(paths[3]))]


def test_known_signatures_answer_only_for_the_next_rows_and_the_same_inodes() -> None:
    table = Table()
    sigs = bytearray()
    for row in range(6):
        table.add(b"n%d" % row, EMPTY)
        sigs += SIGNATURE.pack(row, row, row, 100 + row, 1) if row != 4 else NO_SIGNATURE
    known = members.Known(table, sigs)
    assert known.batch(bytearray(b"n0\0n1\0"), array("Q", [100, 101])) == sigs[: 2 * SIGNATURE.size]
    assert known.batch(bytearray(b"n3\0"), array("Q", [103])) is None  # not the next row
    assert known.batch(bytearray(b"n2\0n3\0"), array("Q", [102, 999])) is None  # another inode
    assert known.batch(bytearray(b"n2\0n3\0n4\0"), array("Q", [102, 103, 104])) is None  # row 4: none
    assert known.batch(bytearray(b"n2\0n3\0n4\0n5\0n6\0"), array("Q", [102, 103, 0, 105, 106])) is None
    assert known.one(b"n5", 105) == SIGNATURE.pack(5, 5, 5, 105, 1)
    assert known.one(b"n2", 102) == SIGNATURE.pack(2, 2, 2, 102, 1)  # out of order: by name
    assert known.one(b"n4", 0) is None and known.one(b"n3", 7) is None and known.one(b"n9", 100) is None


def test_a_recently_changed_file_is_not_trusted_by_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    news = tmp_path / "_news"
    archive(news, 5)
    fresh = write(news, "2024-03-12-new.md", article("story-1", "2024-03-12T08:00:00Z"))  # mtime: now
    cache = tmp_path / "cache"
    run_check([fresh], cache)
    reads = Reads(monkeypatch)
    run_check([news / "2024-03-11-n00000.md"], cache)
    assert reads.count == 1  # "racily clean": changed within the file system's time resolution


def index_files(cache: Path) -> List[Path]:
    return sorted(p for p in (cache / "archive-v2").rglob("*") if p.is_file() and p.suffix != ".seen")


def forged_cases(real: bytes, other: bytes) -> Dict[str, bytes]:
    """Index contents an attacker can commit: anything but a MAC under this user's secret."""
    flipped = bytearray(real)
    flipped[-3] ^= 1
    url = "https://www.harbour-times.example.com/2024/03/11/story-1/"
    digest = archive_keys.digest(url)
    assert digest in real
    prefix = len(MAGIC) + 32  # the magic, the MAC
    return {
        "flipped byte": bytes(flipped),
        "truncated": real[: len(real) // 2],
        "empty": b"",
        "garbage": os.urandom(4096),
        "another archive's index": other,
        "payload changed, old MAC": real.replace(digest, b"0" * len(digest)),
        "no MAC": MAGIC + real[prefix:],
        "MAC of nothing": MAGIC + b"0" * 32 + real[prefix:],
        "not an index after a MAC": real[:prefix] + b"\xff" * 10,
        "the first version's JSON": b'["' + b"0" * 64 + b'",[],[],[]]',
        "a byte appended": real + b"\0",
    }


def test_a_forged_or_broken_index_never_changes_the_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    news, elsewhere = tmp_path / "_news", tmp_path / "other" / "_news"
    archive(news, 20)
    archive(elsewhere, 3)
    dup = write(news, "2024-03-12-dup.md", article("story-1", "2024-03-12T08:00:00Z"))
    os.utime(dup, (OLD, OLD))
    cache = tmp_path / "cache"
    truth = run_check([dup], None)
    assert len(truth) == 1
    run_check([elsewhere / "2024-03-11-n00000.md"], cache)
    other = index_files(cache)[0].read_bytes()
    assert run_check([dup], cache) == truth
    (mine,) = [p for p in index_files(cache) if p.read_bytes() != other]
    real = mine.read_bytes()
    for name, forged in forged_cases(real, other).items():
        mine.write_bytes(forged)
        reads = Reads(monkeypatch)
        assert run_check([dup], cache) == truth, name
        assert reads.count == 21, name  # not believed: every file read again


def test_a_sealed_index_whose_lengths_do_not_add_up_is_not_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second line behind the MAC: even bytes sealed with this user's key are decoded only
    when the row count, the names' NULs and the columns' sizes agree."""
    news = tmp_path / "_news"
    archive(news, 4)
    dup = write(news, "2024-03-12-dup.md", article("story-1", "2024-03-12T08:00:00Z"))
    os.utime(dup, (OLD, OLD))
    cache = tmp_path / "cache"
    truth = run_check([dup], cache)
    (index_file,) = index_files(cache)
    real = index_file.read_bytes()
    cache_obj, _ = open_cache(str(cache), Settings(), "schema")
    assert cache_obj is not None
    index = Index(cache_obj)
    root = os.path.realpath(news)
    header = len(MAGIC) + 32
    rows, names = struct.unpack_from("<II", real, header)
    body = real[header + 8 :]
    bad_bodies = {
        "one row more": struct.pack("<II", rows + 1, names) + body,
        "names one byte longer": struct.pack("<II", rows, names + 1) + body,
        "a NUL missing": struct.pack("<II", rows, names) + body.replace(b"\0", b"x", 1),
        "a column cut short": struct.pack("<II", rows, names) + body[:-1],
        "huge counts": struct.pack("<II", 2**32 - 1, 2**32 - 1) + body,
    }
    stored_names = bytearray(body[:names])
    assert index.load(root, (rows, stored_names)) is not None  # the listing's own names
    for name, rest in bad_bodies.items():
        index_file.write_bytes(MAGIC + index._mac(root, rest) + rest)
        assert index.load(root) is None, name
        # names equal to the listing's are not counted again; any others are
        assert index.load(root, (rows, stored_names)) is None, name
        reads = Reads(monkeypatch)
        assert run_check([dup], cache) == truth, name
        assert reads.count == 5, name


class Hashed:
    """Counts the index MACs computed (keyed BLAKE2b under the index's own key)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, key: bytes) -> None:
        self.count = 0
        real = index_module.hashlib.blake2b

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += kwargs.get("key") == key
            return real(*args, **kwargs)

        monkeypatch.setattr(index_module.hashlib, "blake2b", counted)


def seen_setup(tmp_path: Path) -> Tuple[Path, Index, str, Path]:
    news = tmp_path / "_news"
    archive(news, 6)
    cache = tmp_path / "cache"
    run_check([news / "2024-03-11-n00001.md"], cache)
    cache_obj, _ = open_cache(str(cache), Settings(), "schema")
    assert cache_obj is not None
    (index_file,) = index_files(cache)
    return index_file, Index(cache_obj), os.path.realpath(news), Path(str(index_file) + ".seen")


def test_a_verified_index_is_read_again_without_its_mac_while_its_file_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that verified the index notes its file's signature (once its last change is
    past a tick of the clock); the next reads the same table without hashing it. Written
    again in place (same size, its modification time set back), the file has a new ctime:
    the MAC is checked again and the forgery refused."""
    index_file, index, root, seen = seen_setup(tmp_path)
    hashed = Hashed(monkeypatch, index.key)
    fresh = Index(index.cache, started=time.time_ns() - 10**9)  # the index was written after this run began
    assert fresh.load(root) is not None and not seen.exists() and hashed.count == 1
    time.sleep(0.15)  # past any tick of the file system's clock
    first = Index(index.cache).load(root)
    assert first is not None and seen.is_file() and hashed.count == 2
    again = Index(index.cache).load(root)
    assert again is not None and hashed.count == 2  # not hashed: the file verified before
    assert (again.names, again.keys, again.sigs, again.count) == (first.names, first.keys, first.sigs, first.count)
    real = index_file.read_bytes()
    times = os.stat(index_file)
    flipped = bytearray(real)
    flipped[-3] ^= 1
    index_file.write_bytes(bytes(flipped))  # the same file, the same size
    os.utime(index_file, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert Index(index.cache).load(root) is None and hashed.count == 3


def test_a_forged_or_foreign_seen_record_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records an attacker can commit (anything not sealed under this user's key for this
    archive and this file) leave the MAC to decide: a forged index is still refused."""
    index_file, index, root, seen = seen_setup(tmp_path)
    time.sleep(0.15)
    assert Index(index.cache).load(root) is not None and seen.is_file()
    genuine = seen.read_bytes()
    real = index_file.read_bytes()
    flipped = bytearray(real)
    flipped[-3] ^= 1
    index_file.write_bytes(bytes(flipped))
    forged_identity = signature(os.stat(index_file))
    body = forged_identity + real[len(MAGIC) : len(MAGIC) + 32]
    other_root = index._seen_tag(root + "x", body)
    wrong_key = hashlib.blake2b(index_module._record(root) + b"\0" + body, digest_size=32, key=b"k" * 32).digest()
    records = {
        "genuine, of the file before": genuine,
        "this file's signature, tag of another archive": genuine[: len(index_module._SEEN)] + body + other_root,
        "this file's signature, another key": genuine[: len(index_module._SEEN)] + body + wrong_key,
        "no tag": genuine[: len(index_module._SEEN)] + body,
        "garbage": os.urandom(len(genuine)),
        "empty": b"",
        "a byte appended": genuine + b"\0",
    }
    hashed = Hashed(monkeypatch, index.key)
    for name, record_bytes in records.items():
        seen.unlink()
        seen.write_bytes(record_bytes)
        assert Index(index.cache).load(root) is None, name
    assert hashed.count == len(records)
    seen.unlink()
    os.symlink(tmp_path / "elsewhere.seen", seen)  # through a link: not read
    (tmp_path / "elsewhere.seen").write_bytes(genuine)
    assert Index(index.cache).load(root) is None and hashed.count == len(records) + 1


def test_an_index_is_noted_as_seen_only_past_its_file_systems_tick() -> None:
    class Times:
        def __init__(self, ctime: int, mtime: int) -> None:
            self.st_ctime_ns, self.st_mtime_ns = ctime, mtime

    index = Index.__new__(Index)
    index.started = 1_700_000_000 * 10**9
    start = index.started
    fine = [(start - 150_000_000 + 7, start - 10**9 + 3, True), (start - 50_000_000 + 7, start - 10**9, False)]
    whole = [(start - 3 * 10**9, start - 3 * 10**9, True), (start - 10**9, start - 10**9, False)]
    future_mtime = [(start - 10**9 + 1, start + 10**9 + 1, False)]
    for ctime, mtime, settled in fine + whole + future_mtime:
        assert index._settled(Times(ctime, mtime)) is settled, (ctime - start, mtime - start)  # type: ignore[arg-type]


def test_the_index_is_written_only_when_it_changed(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    paths = archive(news, 5)
    cache = tmp_path / "cache"
    run_check([paths[0]], cache)
    (index_file,) = index_files(cache)
    os.utime(index_file, (OLD, OLD))
    run_check([paths[1]], cache)  # nothing changed: not written again
    assert index_file.stat().st_mtime == OLD
    paths[2].write_text(article("story-2b"), encoding="utf-8")
    os.utime(paths[2], (OLD + 5, OLD + 5))
    run_check([paths[1]], cache)  # a sibling changed: its new keys are kept
    assert index_file.stat().st_mtime != OLD


def test_rows_are_found_by_name_in_any_order() -> None:
    """The finder's quick path is the listing's order; any other order (--jobs, a renamed
    file) goes through the hashes, and a name that is a prefix of another is not it."""
    table = Table()
    names = [f"2024-03-{i % 28 + 1:02d}-n{i}.md".encode() for i in range(300)] + [b"a", b"ab", b"sub/a"]
    for name in names:
        table.add(name, EMPTY)
    finder = Finder(table)
    for row in [*range(len(names))][::-1] + list(range(len(names))):
        assert finder.find(names[row]) == row
    for missing in [b"", b"b", b"a\0", b"2024-03-01-n0", b"sub", b"sub/a/b"]:
        assert finder.find(missing) is None
        assert table.row_of(missing) is None
    assert [table.row_of(name) for name in names] == list(range(len(names)))


def test_the_array_of_starts_is_made_without_every_name_as_an_object() -> None:
    """Where each of 100,000 names starts is found a small part of the buffer at a time:
    making it holds little beyond the array itself (a megabyte of names split at once,
    1.5 MB of objects, was the peak of the archive check of a run over 100,000 files)."""
    import tracemalloc

    table = Table()
    names = [b"_news/2016-01-%02d-boundbous-plol-drundot-gand-esstym-%d.md" % (row % 28, row) for row in range(100_000)]
    for name in names:
        table.add(name, EMPTY)
    tracemalloc.start()
    try:
        starts = table.starts()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 400_000 + 4 * len(names)  # the array, grown in place, and one part's names
    assert [table.name(row) for row in (0, 1, 65_432, 99_999)] == [names[row] for row in (0, 1, 65_432, 99_999)]
    assert list(starts[:3]) == [0, len(names[0]) + 1, len(names[0]) + len(names[1]) + 2]


def test_a_rows_name_is_found_by_counting_and_by_the_array_of_starts() -> None:
    """A few names are found by counting NULs in halves of the names' buffer (a warm
    one-file run looks up one or two), later ones through the array of every name's
    start: both give every row's name, in buffers longer and shorter than the window
    searched name by name, with names of one byte, empty names and very long ones."""
    import random

    rng = random.Random(13)
    for count in (1, 2, 7, 300, 3000):
        names = [b"x" * rng.choice((0, 1, 2, 90, 700)) + b"%d" % row * rng.randrange(0, 3) for row in range(count)]
        for order in (list(range(count)), list(range(count))[::-1], [rng.randrange(count) for _ in range(40)]):
            table = Table()
            for name in names:
                table.add(name, EMPTY)
            assert [table.name(row) for row in order] == [names[row] for row in order]
            assert table._starts is not None or len(set(order)) <= 8
        # rows found by name and names found by row, interleaved, on one table: the two
        # share the halves' counts, and the row found is the first with that name
        table = Table()
        for name in names:
            table.add(name, EMPTY)
        for row in [rng.randrange(count) for _ in range(12)]:
            first = names.index(names[row])
            assert table.row_of(names[row]) == first if names[row] else True
            assert table.name(row) == names[row] and table.name(first) == names[first]


@pytest.mark.skipif(os.name == "nt" or sys.platform == "darwin", reason="names must be bytes the OS keeps as given")
def test_a_file_name_that_is_not_utf8_is_compared_and_shown_as_named(tmp_path: Path) -> None:
    news = tmp_path / "site" / "_news"
    write(news, "2024-03-11-a.md", article())
    odd = os.fsdecode(b"2024-03-12-caf\xe9.md")  # Latin-1 bytes: not UTF-8
    write(news, odd, article(when="2024-03-12T08:00:00Z"))
    settings = Settings()
    findings, _ = check({str(news / odd): None}, Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE))
    assert [(f.path, f.related[0].path) for f in findings] == [(str(news / odd), str(news / "2024-03-11-a.md"))]
    older, _ = check({str(news / "2024-03-11-a.md"): None}, Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE))
    assert older == []


def test_an_article_whose_two_urls_are_one_is_no_repeat(tmp_path: Path) -> None:
    """webUrl and originalUrl of one article are mostly equal: no finding, and in a whole
    archive run not even a candidate for the dictionary of repeats."""
    news = tmp_path / "_news"
    paths = archive(news, 50)
    settings = Settings()
    given = {str(p): archive_keys.of_bytes(p.read_bytes(), settings.limits) for p in paths}
    findings, _ = check(given, Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE))
    assert findings == []
    table = Table()
    for path in paths:
        table.add(path.name.encode(), record(given[str(path)]))
    assert compare._repeating([table]) == [[]]


@pytest.mark.parametrize("at_once", [1, 3, 1 << 15])
def test_the_rows_that_may_repeat_are_every_row_sharing_a_compared_digest(
    at_once: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_repeating`` against a plain count over random tables: a few digests shared
    within and across two tables, in either slot, some silenced, some absent, some an
    article's two equal URLs. Every row that shares a compared digest with another row
    must be found (a missed row is a missed A001); shared prefixes may add a row, never
    drop one. Also with the digests sorted a few at a time (as for a large archive)."""
    import random

    monkeypatch.setattr(compare, "_SORTED_AT_ONCE", at_once)

    rng = random.Random(11)
    pool = [bytes([n]) * 20 for n in range(1, 40)]
    for _ in range(200):
        tables, rows = [Table(), Table()], []
        for t in (0, 1):
            for _ in range(rng.randrange(0, 30)):
                slots = []
                for _ in archive_keys.FIELDS:
                    digest = rng.choice(pool)
                    flags = rng.choice((0, PRESENT, PRESENT, PRESENT | SILENCED))
                    slots.append((digest, flags))
                if rng.random() < 0.3:
                    slots[1] = slots[0]
                values: List[object] = [0]
                for digest, flags in slots:
                    values += [digest, 1, 1, flags]
                tables[t].add(b"x", RECORD.pack(*values))
                compared = {d for d, flags in slots if flags & (PRESENT | SILENCED) == PRESENT}
                rows.append((t, len(tables[t]) - 1, compared))
        shared = {}
        for _, _, compared in rows:
            for digest in compared:
                shared[digest] = shared.get(digest, 0) + 1
        expected = [[row for t2, row, c in rows if t2 == t and any(shared[d] > 1 for d in c)] for t in (0, 1)]
        found = compare._repeating(tables)
        for t in (0, 1):
            assert set(expected[t]) <= set(found[t]), (t, expected[t], found[t])
            assert found[t] == sorted(set(found[t]))


def test_repeated_numbers_are_found_a_part_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search for repeated digests splits many numbers into parts by one of their
    bytes: it finds exactly the numbers a count finds (any sign, any byte shared), and no
    list it sorts is much longer than ``_SORTED_AT_ONCE`` (one list of every number as
    objects was the peak of a run of 100,000 files)."""
    import builtins
    import random
    from collections import Counter

    rng = random.Random(5)
    monkeypatch.setattr(compare, "_SORTED_AT_ONCE", 1000)
    lengths: List[int] = []

    def sorted_counted(items: Iterator[int]) -> List[int]:
        ordered = builtins.sorted(items)
        lengths.append(len(ordered))
        return ordered

    monkeypatch.setattr(compare, "sorted", sorted_counted, raising=False)
    for count in (0, 1, 999, 1000, 20_000):
        numbers = [rng.randrange(-(2**63), 2**63) for _ in range(count)]
        numbers += rng.sample(numbers, min(count, 300)) + [n ^ 1 for n in numbers[:50]]
        rng.shuffle(numbers)
        lengths.clear()
        found = compare._repeated(array("q", numbers))
        assert found == {n for n, seen in Counter(numbers).items() if seen > 1}
        assert max(lengths) <= 2 * 1000 if len(numbers) > 1000 else lengths == [len(numbers)]


def test_a_prefetched_listing_gives_the_verdict_of_the_usual_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listing read in a thread while the files are checked, and the same run with a
    thread that fails: the findings of the path without a thread, and the index kept."""
    news = tmp_path / "_news"
    paths = archive(news, 30)
    dup = write(news, "2024-03-12-dup.md", article("story-1", "2024-03-12T08:00:00Z"))
    os.utime(dup, (OLD, OLD))
    truth = run_check([dup], None)
    assert len(truth) == 1
    settings = Settings()
    cache, _ = open_cache(str(tmp_path / "cache"), settings, "schema")
    assert cache is not None
    for attempt in ("cold", "warm", "thread fails"):
        index = Index(cache)
        if attempt == "thread fails":
            monkeypatch.setattr(members.Listing, "batches", lambda self: iter([(bytearray(b"x"), None)]))
        ahead = prefetch([str(dup)], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, ())
        assert ahead is not None
        ahead.give(index)
        ahead.thread.join()
        monkeypatch.undo()
        assert bool(ahead.found) == (attempt != "thread fails")
        scope = Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, (), index, prefetched=ahead)
        reads = Reads(monkeypatch)
        assert check({str(dup): None}, scope) == (truth, []), attempt
        assert reads.count == {"cold": 31, "warm": 0, "thread fails": 0}[attempt]
    paths[4].write_text(article("story-4b"), encoding="utf-8")
    os.utime(paths[4], (OLD + 5, OLD + 5))
    ahead = prefetch([str(dup)], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, ())
    assert ahead is not None
    ahead.give(Index(cache))
    reads = Reads(monkeypatch)
    assert (
        check({str(dup): None}, Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, (), Index(cache), prefetched=ahead))[
            0
        ]
        == truth
    )
    assert reads.count == 1  # the sibling changed before the run: seen
    assert prefetch([str(news)], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, ()) is None  # a folder: a batch
    many = [str(p) for p in paths[:20]]
    assert prefetch(many, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, ()) is None


def test_a_prefetch_begun_before_the_index_lists_then_waits_for_it(tmp_path: Path) -> None:
    """The run begins the listing before it opens the cache: the thread lists, then reads
    the index it is given; given none, or asked before any was given, it reads nothing and
    never leaves anyone waiting; only the first ``give`` counts."""
    news = tmp_path / "_news"
    archive(news, 12)
    dup = write(news, "2024-03-12-dup.md", article("story-1", "2024-03-12T08:00:00Z"))
    os.utime(dup, (OLD, OLD))
    settings = Settings()
    cache, _ = open_cache(str(tmp_path / "cache"), settings, "schema")
    assert cache is not None
    truth = run_check([dup], None)
    check({str(dup): None}, Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, (), Index(cache)))  # index kept
    where = members.archive_of(str(dup), ())
    ahead = prefetch([str(dup)], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, ())
    assert ahead is not None and not ahead.ready.is_set()
    index = Index(cache)
    ahead.give(index)
    ahead.give(None)  # too late: the index was given
    scope = Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, (), index, prefetched=ahead)
    assert check({str(dup): None}, scope) == (truth, [])
    ahead.thread.join()
    assert ahead.store is index and ahead.found == {}  # taken by the check
    for last in ("none given", "asked first"):
        ahead = prefetch([str(dup)], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, ())
        assert ahead is not None
        if last == "none given":
            ahead.give(None)
        assert ahead.get(where) is None, last  # joined: the thread read no index
        assert not ahead.thread.is_alive() and ahead.store is None


def test_the_runs_start_is_taken_before_the_prefetch_stats_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index stores no signature of a file changed within ``_RACY_NS`` of the run's
    start ("racily clean"), which holds only if that start precedes every stat of the
    listing: the prefetch's thread, begun before the cache is opened, lists after it."""
    news = tmp_path / "_news"
    paths = archive(news, 3)
    times: Dict[str, int] = {}
    real_init, real_give = prefetch_module.Prefetch.__init__, prefetch_module.Prefetch.give

    def init(self: prefetch_module.Prefetch, *args: Any, **kwargs: Any) -> None:
        times.setdefault("listed", time.time_ns())  # before its thread begins
        real_init(self, *args, **kwargs)

    def give(self: prefetch_module.Prefetch, store: Optional[Index]) -> None:
        if store is not None:
            times.setdefault("started", store.started)
        real_give(self, store)

    monkeypatch.setattr(prefetch_module.Prefetch, "__init__", init)
    monkeypatch.setattr(prefetch_module.Prefetch, "give", give)
    run = run_main("-q", "--cache-dir", str(tmp_path / "cache"), str(paths[0]), cwd=tmp_path)
    assert run == (0, "", "")
    assert times["started"] <= times["listed"]


def test_checked_paths_are_reported_as_spelled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checked files of one folder share a quick path to their names; a path spelled
    another way (./, .., absolute) keeps its spelling, in the finding and as the older one."""
    site = tmp_path / "site"
    news = site / "_news"
    write(news, "2024-03-11-a.md", article())
    write(news, "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    write(news, "2024-03-13-c.md", article(when="2024-03-13T08:00:00Z"))
    monkeypatch.chdir(site)
    settings = Settings()
    scope = Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
    given = {"_news/2024-03-12-b.md": None, "./_news/2024-03-13-c.md": None, str(news / "2024-03-11-a.md"): None}
    findings, _ = check(given, scope)
    assert [(f.path, f.related[0].path) for f in findings] == [
        ("./_news/2024-03-13-c.md", str(news / "2024-03-11-a.md")),
        ("_news/2024-03-12-b.md", str(news / "2024-03-11-a.md")),
    ]
    findings, _ = check({"_news/2024-03-12-b.md": None, "_news/../_news/2024-03-13-c.md": None}, scope)
    assert [(f.path, f.related[0].path) for f in findings] == [
        ("_news/../_news/2024-03-13-c.md", "_news/2024-03-11-a.md"),
        ("_news/2024-03-12-b.md", "_news/2024-03-11-a.md"),
    ]


def test_a_linked_or_oversized_index_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    news = tmp_path / "_news"
    archive(news, 3)
    dup = write(news, "2024-03-12-dup.md", article("story-1", "2024-03-12T08:00:00Z"))
    cache = tmp_path / "cache"
    truth = run_check([dup], cache)
    (index,) = index_files(cache)
    real = index.read_bytes()
    target = tmp_path / "planted"
    target.write_bytes(real)
    index.unlink()
    index.symlink_to(target)
    reads = Reads(monkeypatch)
    assert run_check([dup], cache) == truth and reads.count == 4
    assert target.read_bytes() == real  # written beside, never through the link
    index.unlink()
    with open(index, "wb") as handle:  # a sparse file far over the cap
        handle.truncate(300 * 1024 * 1024)
    reads.count = 0
    assert run_check([dup], cache) == truth and reads.count == 4


def test_a_linked_index_folder_makes_the_index_unused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    news = tmp_path / "_news"
    archive(news, 3)
    outside = tmp_path / "outside"
    outside.mkdir()
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "archive-v1").symlink_to(outside)
    run_check([news / "2024-03-11-n00000.md"], cache)
    assert list(outside.iterdir()) == []


def test_a_one_file_run_loads_neither_openssl_nor_threads(tmp_path: Path) -> None:
    """The URLs' digests come from CPython's own BLAKE2b (``import hashlib`` loads OpenSSL's
    binding too, about 3 ms); without a cache there is no index and no listing thread."""
    news = tmp_path / "_news"
    write(news, "2024-03-11-a.md", article())
    write(news, "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    code = (
        "import sys\n"
        "from linter.cli import main\n"
        "code = main(['--no-cache', '--quiet', sys.argv[1]])\n"
        "print(code, sorted(m for m in ('hashlib', '_hashlib', 'hmac', 'threading') if m in sys.modules))\n"
    )
    env = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_PROCESS")}
    out = subprocess.run(
        [sys.executable, "-c", code, "_news/2024-03-12-b.md"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert out.stdout.splitlines()[-1] == "0 []", out.stdout + out.stderr  # A001 is a warning
    assert "A001" in out.stdout


# -- hostile archives ----------------------------------------------------------------------------------


def test_links_in_the_archive_are_never_followed_outside_it(tmp_path: Path) -> None:
    news = tmp_path / "site" / "_news"
    write(news, "2024-03-12-b.md", article(when="2024-03-12T08:00:00Z"))
    secret = write(tmp_path, "secret.md", article())
    (news / "2024-03-11-link-out.md").symlink_to(secret)
    (news / "2024-03-11-link-in.md").symlink_to(news / "2024-03-12-b.md")
    # the link out is older and has the same URL: read, it would be reported against
    assert lint(tmp_path / "site", "_news/2024-03-12-b.md") == (0, "", "")  # neither link is another article
    write(news, "2024-03-10-a.md", article(when="2024-03-10T08:00:00Z"))
    out = lint(tmp_path / "site", "_news/2024-03-12-b.md")[1]
    assert out == a001("_news/2024-03-12-b.md", WEB, "_news/2024-03-10-a.md", WEB[0])  # 2: the link in is b


def test_the_listing_leaves_out_an_excluded_name_with_a_wanted_suffix_and_keeps_each_inode(tmp_path: Path) -> None:
    """The listing asks only ``endswith`` when no excluded name ends with a wanted suffix
    (the usual patterns); an excluded ``skip.md`` must still be left out. The inodes it
    keeps for the links (gathered from the signatures a batch at a time) are the files'."""
    news = tmp_path / "_news"
    for name in ("2024-03-11-a.md", "skip.md", "notes.txt", "2024-03-12-b.markdown"):
        write(news, name, article())
    archive_ = members.Archive(str(news), True)
    for exclude, expected in (
        (DEFAULT_EXCLUDE, {b"2024-03-11-a.md", b"skip.md", b"2024-03-12-b.markdown"}),
        ((*DEFAULT_EXCLUDE, "skip.md"), {b"2024-03-11-a.md", b"2024-03-12-b.markdown"}),
    ):
        listed = dict(members.Listing(archive_, DEFAULT_INCLUDE, exclude, ()))
        assert set(listed) == expected
        for name, sig in listed.items():
            assert members._inodes(bytearray(sig)).tolist() == [os.lstat(news / os.fsdecode(name)).st_ino]


def test_a_huge_archive_is_compared_only_in_part_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    news = tmp_path / "_news"
    paths = archive(news, 30)
    monkeypatch.setattr(members, "MAX_MEMBERS", 10)
    settings = Settings()
    findings, notes = check({str(paths[0]): None}, Scope(settings, DEFAULT_INCLUDE, DEFAULT_EXCLUDE))
    assert findings == [] and len(notes) == 1 and "more files than the archive check reads" in notes[0]


def test_ten_thousand_files_sharing_one_url_are_compared_in_linear_time(tmp_path: Path) -> None:
    news = tmp_path / "_news"
    news.mkdir()
    data = article().encode()
    keys = archive_keys.of_bytes(data, Settings().limits)
    given: Dict[str, Optional[bytes]] = {}
    for index in range(10_000):
        path = news / f"2024-03-11-n{index:05d}.md"
        path.write_bytes(data)
        given[str(path)] = keys
    started = time.process_time()
    findings, _ = check(given, Scope(Settings(), DEFAULT_INCLUDE, DEFAULT_EXCLUDE))
    took = time.process_time() - started
    assert len(findings) == 9_999
    assert {f.related[0].path for f in findings} == {str(news / "2024-03-11-n00000.md")}
    assert took < 5, took  # pairwise would be 50 million comparisons


def test_the_walk_leaves_out_an_excluded_name_with_a_wanted_suffix(tmp_path: Path) -> None:
    """The walk asks only ``endswith`` when no excluded name ends with a wanted suffix; an
    excluded ``skip.md`` (or a ``*.md`` pattern of its folder) must still be left out."""
    for name in ("a.md", "skip.md", "notes.txt", "b.markdown"):
        write(tmp_path / "_news", name, article())
    news = str(tmp_path / "_news")
    walked = {
        exclude: sorted(os.path.basename(p) for p, _ in walk.discover([news], DEFAULT_INCLUDE, exclude))
        for exclude in (DEFAULT_EXCLUDE, (*DEFAULT_EXCLUDE, "skip.md"), ("_news/skip.md",))
    }
    assert walked == {
        DEFAULT_EXCLUDE: ["a.md", "b.markdown", "skip.md"],
        (*DEFAULT_EXCLUDE, "skip.md"): ["a.md", "b.markdown"],
        ("_news/skip.md",): ["a.md", "b.markdown"],
    }


@pytest.mark.parametrize(
    "patterns",
    [DEFAULT_INCLUDE, DEFAULT_EXCLUDE, ("*",), ("notes.md", "drafts"), ("*.md", "*.txt"), ("2019-*",), ("_news/*.md",)],
)
@pytest.mark.parametrize("anywhere", [False, True])
def test_the_walks_quick_glob_answers_are_the_regexs(patterns: Tuple[str, ...], anywhere: bool) -> None:
    """Literal names and "*.ext" are answered from the name alone (the archive walk asks for
    every file on every run); the answer must be the compiled pattern's."""
    globs = Globs(patterns, anywhere)
    names = [
        "a.md",
        "a.markdown",
        "A.MD",
        "notes.md",
        "drafts",
        ".git",
        "2019-01-01-x.md",
        "x.txt",
        "md",
        ".md",
        "vendor",
    ]
    for folder in ["site/_news", "_news", "drafts", "a/.git/b", "."]:
        for name in names:
            full = f"{folder}/{name}"
            expected = bool(globs.regex and (globs.regex.match(name) or globs.regex.match(full)))
            assert globs.match(name, full) == expected, (patterns, anywhere, full)
            if globs.quick_bytes() is not None:  # the archive's listing asks with bytes
                assert globs.match_bytes(name.encode()) == expected, (patterns, anywhere, full)
            excluded = Globs(DEFAULT_EXCLUDE, anywhere=True)
            chosen = expected and not excluded.match(name, full)
            assert walk._chooser(globs, excluded)(name, full) == chosen, (patterns, full)


# -- a walked archive is not listed again -------------------------------------------------------


def tangled_site(tmp_path: Path) -> Path:
    """A site whose archive holds copies of one story wherever the walk and the archive's
    listing could disagree: a subfolder, an excluded folder, a nested archive, a link to a
    sibling, a folder reached through a link, a file that is no article."""
    site = tmp_path / "site"
    news = site / "_news"
    write(news, "2024-03-11-library.md", article())
    write(news / "2024", "2024-03-12-copy.md", article(when="2024-03-12T07:00:00Z"))
    write(news / "node_modules", "2024-03-09-excluded.md", article(when="2024-03-09T07:00:00Z"))
    write(news / "inner" / "_news", "2024-03-13-nested.md", article(when="2024-03-13T07:00:00Z"))
    write(news / "inner" / "_news", "2024-03-14-nested.md", article(when="2024-03-14T07:00:00Z"))
    write(news, "notes.txt", article(when="2024-03-01T07:00:00Z"))
    write(news, "2024-03-15-other.md", article("other", "2024-03-15T07:00:00Z"))
    (news / "2024-03-16-link.md").symlink_to(news / "2024" / "2024-03-12-copy.md")
    (site / "linked").symlink_to(news, target_is_directory=True)
    write(site, "2024-03-10-page.md", article(when="2024-03-10T07:00:00Z"))
    return site


WALKS = [("_news",), (".",), ("_news/2024",), ("_news/2024-03-11-library.md",), ("linked",), ("_news", "_news/2024")]


@pytest.mark.parametrize("args", WALKS)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_walked_archive_gives_what_its_listing_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: Tuple[str, ...], jobs: str
) -> None:
    """The archive check takes the walk's files as the whole archive when the run walked
    its folder: the findings must be those of listing it again."""
    site = tangled_site(tmp_path)
    command = ("--no-cache", "-q", "--format", "json", "--jobs", jobs, *args)
    walked = run_main(*command, cwd=site)
    monkeypatch.setattr(compare, "_walked_whole", lambda group, scope: False)
    listed = run_main(*command, cwd=site)
    assert walked == listed
    assert json.loads(walked.out)["findings"] or args == ("_news/2024-03-11-library.md",)  # the oldest


def listings(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The archives whose listing is read, as the run goes."""
    read: List[str] = []
    real = members.Listing.batches

    def counted(self: members.Listing) -> Iterator[Tuple[bytearray, bytearray]]:
        read.append(os.path.basename(self.archive.root))
        return real(self)

    monkeypatch.setattr(members.Listing, "batches", counted)
    return read


def test_an_archive_is_listed_only_when_the_walk_did_not_meet_all_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tangled_site(tmp_path)
    read = listings(monkeypatch)
    run_main("--no-cache", "-q", "_news", cwd=site)
    assert read == []
    run_main("--no-cache", "-q", "_news/2024", cwd=site)  # the rest of _news is not walked
    assert read == ["_news"]
    read.clear()
    (site / ".lint-news.toml").write_text('extend-exclude = ["_news/2024"]\n', encoding="utf-8")
    assert run_main("--no-cache", "-q", "_news", cwd=site).rc == 0
    assert read == ["_news", "_news"]  # a path pattern: the walk and the listing spell paths apart


def test_a_walked_archive_with_the_index_is_not_listed_and_gives_the_listings_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache, a run that walked the whole archive takes its members and their
    signatures from its own checks (the ``fstat`` of each file read): no folder is listed,
    cold or warm, and the findings are those of listing it. A file edited between runs
    is seen by the next one."""
    site = tangled_site(tmp_path)
    command = ("-q", "--format", "json", "--jobs", "1", "_news")
    monkeypatch.setattr(compare, "_walked_whole", lambda group, scope: False)
    truth = run_main("--no-cache", *command, cwd=site).out
    monkeypatch.undo()
    read = listings(monkeypatch)
    cached = ("--cache-dir", str(tmp_path / "cache"), *command)
    assert [run_main(*cached, cwd=site).out for _ in range(3)] == [truth] * 3
    assert read == []
    (site / "_news" / "2024-03-15-other.md").write_text(article(when="2024-03-15T07:00:00Z"), encoding="utf-8")
    changed = run_main(*cached, cwd=site).out
    assert changed != truth and read == []
    monkeypatch.setattr(compare, "_walked_whole", lambda group, scope: False)
    assert changed == run_main("--no-cache", *command, cwd=site).out


def test_a_file_that_failed_makes_its_archive_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose check failed (E012) is not among the checked files: the listing finds it."""
    site = tangled_site(tmp_path)
    listed = run_main("--no-cache", "-q", "--format", "json", "_news", cwd=site)
    from linter.engine import Linter

    real = Linter._run_rules

    def failing(self: Linter, path: str, data: Dict[str, object], raws: list) -> Tuple[list, bool]:  # type: ignore[type-arg]
        if path.endswith("2024-03-11-library.md"):
            raise RuntimeError("broken rule")
        return real(self, path, data, raws)

    monkeypatch.setattr(Linter, "_run_rules", failing)
    read = listings(monkeypatch)
    failed = run_main("--no-cache", "-q", "--format", "json", "_news", cwd=site)
    assert read  # listed again, so the failed file is still the oldest with its URL
    found = [f for f in json.loads(failed.out)["findings"] if f["code"] == "A001"]
    assert found == [f for f in json.loads(listed.out)["findings"] if f["code"] == "A001"]


@pytest.mark.parametrize(
    "walked, root, whole",
    [
        ("site", "site/_news", True),
        ("site/_news", "site/_news", True),
        ("site/_news/2024", "site/_news", False),
        ("site", "site/node_modules/_news", False),  # the walk does not go in there
        ("site", "site/through/_news", False),  # nor through a link
        ("other", "site/_news", False),
        ("sit", "site/_news", False),
    ],
)
def test_which_archives_the_walk_met_whole(tmp_path: Path, walked: str, root: str, whole: bool) -> None:
    for folder in ("site/_news/2024", "site/node_modules/_news", "real/_news"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / "site" / "through").symlink_to(tmp_path / "real")
    (tmp_path / "other").mkdir()
    group = compare._Group(members.Archive(str(tmp_path / root), True), str(tmp_path / root / "a.md"))
    scope = Scope(Settings(), DEFAULT_INCLUDE, DEFAULT_EXCLUDE, walked=(str(tmp_path / walked),))
    assert compare._walked_whole(group, scope) is whole
    patterns = Scope(Settings(), ("_news/*.md",), DEFAULT_EXCLUDE, walked=(str(tmp_path / walked),))
    assert compare._walked_whole(group, patterns) is False  # a path pattern: spelled differently


@pytest.mark.parametrize(
    "web, original",
    [
        ("https://a.example.com/x/", "https://a.example.com/x/"),  # hashed once
        ("https://a.example.com/x/", "https://A.example.com/x"),  # one URL, spelled apart
        ("https://a.example.com/x/", "https://b.example.com/x/"),
    ],
)
def test_each_url_of_the_keys_is_its_own_digest(web: str, original: str) -> None:
    data = {"webUrl": web, "originalUrl": original}
    keys = archive_keys.of_parsed(Parsed(data, {("webUrl",): (1, 0, 1, 8), ("originalUrl",): (2, 0, 2, 13)}), "")
    published, urls = urls_of(keys)
    assert published == archive_keys.NO_DATE
    assert [(url.field, url.digest, url.line, url.col, url.silenced) for url in urls] == [
        ("webUrl", archive_keys.digest(web), 3, 9, False),
        ("originalUrl", archive_keys.digest(original), 4, 14, False),
    ]


MARKS = {("webUrl",): (1, 0, 1, 8), ("originalUrl",): (2, 0, 2, 13)}
WEB_ONLY_SILENCED = "x: 1\nwebUrl: u # lint-news: ignore[A001]\noriginalUrl: v\n"


@pytest.mark.parametrize(
    "data, text, expected",
    [
        ({"webUrl": "https://a.example.com/x"}, "", [("webUrl", 3, False)]),
        ({"originalUrl": "https://a.example.com/x"}, "", [("originalUrl", 4, False)]),
        ({"webUrl": " ", "originalUrl": 5}, "", None),
        ({"webUrl": "https://a.example.com/x", "published": False}, "", None),
        ({"webUrl": "u", "originalUrl": "v"}, WEB_ONLY_SILENCED, [("webUrl", 3, True), ("originalUrl", 4, False)]),
        (
            {"webUrl": "u", "originalUrl": "u"},
            "# lint-news: ignore-file[A001]",
            [("webUrl", 3, True), ("originalUrl", 4, True)],
        ),
    ],
)
def test_the_keys_record_holds_what_is_compared(
    data: Dict[str, object], text: str, expected: Optional[List[Tuple[str, int, bool]]]
) -> None:
    """The record made from the parsed data (no text between): which URLs are present, their
    positions, which a comment silences, and the date (here none: ``NO_DATE``)."""
    keys = archive_keys.of_parsed(Parsed(data, MARKS), text)
    if expected is None:
        assert keys == EMPTY
        return
    published, urls = urls_of(keys)
    assert published == archive_keys.NO_DATE
    assert [(url.field, url.line, url.silenced) for url in urls] == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2024-03-11T08:30:00Z", 1710145800 * 10**6),
        ("2024-03-11T10:30:00.25+02:00", 1710145800 * 10**6),  # to the second, as the date rules read it
        ("1969-12-31T23:59:59Z", -(10**6)),
        ("2024-02-30T08:30:00Z", archive_keys.NO_DATE),
        ("yesterday", archive_keys.NO_DATE),
    ],
)
def test_the_date_of_the_keys_is_microseconds_since_1970(written: str, expected: int) -> None:
    data = {"webUrl": "https://a.example.com/x", "publishedDateTime": written}
    assert urls_of(archive_keys.of_parsed(Parsed(data, MARKS), ""))[0] == expected

"""Configuration files through ``main(argv)`` (in-process): discovery, precedence, every
key's effect, and each kind of mistake (exit 2, naming the file and the key)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import List, Optional, Sequence

import pytest
from conftest import (
    BAD,
    BAD_FINDINGS,
    BAD_NAME,
    CLEAN,
    CLEAN_NAME,
    NEWS,
    ROOT,
    bad_report,
    fixable,
    lint,
    run_cli,
    summary,
)

pytestmark = pytest.mark.in_process

BUNDLED_ID = "https://lint-news.github.io/schema/news-article.schema.json"
TOPICS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "allOf": [{"$ref": BUNDLED_ID}],
    "properties": {"topics": {"items": {"enum": ["AI", "Robotics", "Education"]}}},
}


def expected(path: str, codes: Optional[Sequence[str]] = None) -> str:
    return bad_report(path, codes)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ALL_BAD = (1, expected(BAD), summary(3, 1, len(BAD_FINDINGS)) + fixable(expected(BAD)))


def test_no_configuration_checks_everything(site: Path) -> None:
    assert lint(site, "_news") == ALL_BAD


# -- discovery and precedence ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param(".lint-news.toml", 'select = ["D"]\n', id="lint-news-toml"),
        pytest.param(
            "pyproject.toml", '[project]\nname = "site"\n\n[tool.lint-news]\nselect = ["D"]\n', id="pyproject"
        ),
    ],
)
def test_found_walking_up_from_the_working_directory(site: Path, name: str, text: str) -> None:
    write(site / name, text)
    sub = site / "_news"
    assert lint(sub, BAD_NAME) == (1, expected(BAD_NAME, ["D001"]), summary(1, 1, 1))


def test_pyproject_without_the_table_is_passed_over(site: Path) -> None:
    write(site / ".lint-news.toml", 'select = ["D"]\n')
    write(site / "_news" / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    assert lint(site / "_news", BAD_NAME).out == expected(BAD_NAME, ["D001"])


def test_pyproject_table_spelled_with_an_escape_is_found(site: Path) -> None:
    """The text search that skips parsing most pyproject files cannot miss a quoted key
    written with a unicode escape ("lint\\u002dnews" is "lint-news")."""
    write(site / "_news" / "pyproject.toml", '[tool."lint\\u002dnews"]\nselect = ["C"]\n')
    assert lint(site / "_news", BAD_NAME).out == expected(BAD_NAME, ["C001"])


def test_nearest_file_wins_and_lint_news_toml_before_pyproject(site: Path) -> None:
    write(site / ".lint-news.toml", 'select = ["D"]\n')
    write(site / "_news" / "pyproject.toml", '[tool.lint-news]\nselect = ["C"]\n')
    assert lint(site / "_news", BAD_NAME).out == expected(BAD_NAME, ["C001"])
    write(site / "_news" / ".lint-news.toml", 'select = ["X"]\n')
    assert lint(site / "_news", BAD_NAME).out == expected(BAD_NAME, ["X001"])


def test_config_flag_names_the_file(site: Path) -> None:
    write(site / ".lint-news.toml", 'select = ["D"]\n')
    write(site / "other.toml", 'select = ["C"]\n')
    write(site / "proj" / "pyproject.toml", '[tool.lint-news]\nselect = ["X"]\n')
    assert lint(site, "--config", "other.toml", "_news").out == expected(BAD, ["C001"])
    assert lint(site, "--config", "proj/pyproject.toml", "_news").out == expected(BAD, ["X001"])


def test_config_flag_with_a_missing_file(site: Path) -> None:
    message = "lint-news: error: nope.toml: no such configuration file\n"
    assert lint(site, "--config", "nope.toml", "_news") == (2, "", message)


def test_isolated_ignores_configuration_files(site: Path) -> None:
    write(site / ".lint-news.toml", 'select = ["D"]\nmax-file-size = 10\n')
    assert lint(site, "--isolated", "_news") == ALL_BAD
    assert lint(site, "--isolated", "--config", ".lint-news.toml", "_news") == ALL_BAD


@pytest.mark.parametrize(
    ("toml", "args", "codes"),
    [
        pytest.param('select = ["D"]', ["--select", "U006"], ["U006"], id="select-replaces"),
        pytest.param('select = ["D"]', ["--extend-select", "C"], ["D001", "C001"], id="extend-select-adds"),
        pytest.param('ignore = ["S", "U"]', ["--ignore", "X"], ["D001", "C001", "Y001"], id="ignore-adds"),
        pytest.param("max-file-size = 10", ["--max-file-size", "100000"], None, id="max-file-size"),
    ],
)
def test_flags_override_the_file(site: Path, toml: str, args: List[str], codes: Optional[List[str]]) -> None:
    write(site / ".lint-news.toml", toml + "\n")
    out = expected(BAD, codes)
    warnings = out.count(" warning: ")
    assert lint(site, *args, "_news") == (1, out, summary(3, 1, out.count("\n") - warnings, warnings) + fixable(out))


#: Where N001 points: the comment, after "type: article  ".
UNUSED_T = f"{BAD}:8:16: N001 warning: suppression of 'T' matches no finding\n"


def with_unused_suppression(site: Path) -> str:
    """The bad example with a suppression on line 8 that matches nothing."""
    text = (
        (NEWS / BAD_NAME).read_text(encoding="utf-8").replace("type: article", "type: article  # lint-news: ignore[T]")
    )
    write(site / BAD, text)
    return UNUSED_T


def test_report_unused_suppressions_flag_overrides_false(site: Path) -> None:
    write(site / ".lint-news.toml", 'select = ["D001", "N"]\nreport-unused-suppressions = false\n')
    unused = with_unused_suppression(site)
    assert lint(site, BAD) == (1, expected(BAD, ["D001"]), summary(1, 1, 1))
    assert lint(site, "--report-unused-suppressions", BAD) == (1, expected(BAD, ["D001"]) + unused, summary(1, 1, 1, 1))


def test_unused_suppressions_take_the_configured_severity(site: Path) -> None:
    """N001 is stamped like every other finding: ``error = ["N001"]`` makes it fail the run."""
    write(site / ".lint-news.toml", 'select = ["N"]\nreport-unused-suppressions = true\n')
    unused = with_unused_suppression(site)
    assert lint(site, BAD) == (0, unused, summary(1, 1, 0, 1))
    write(site / ".lint-news.toml", 'select = ["N"]\nreport-unused-suppressions = true\nerror = ["N001"]\n')
    assert lint(site, BAD) == (1, unused.replace(" warning:", ""), summary(1, 1, 1, 0))


# -- every key ---------------------------------------------------------------------------------

D002_FILE = "_news/2020-01-01-robotics-library.md"
D002_WARNING = (
    f"{D002_FILE}:5:20: D002 warning: file name date 2020-01-01 is more than a day from publishedDateTime 2024-03-11\n"
)


def _layout(site: Path) -> None:
    """Extra files some keys act on: a draft, a built site, a text file, a D002 warning."""
    bad = (NEWS / BAD_NAME).read_text(encoding="utf-8")
    write(site / "drafts" / BAD_NAME, bad)
    write(site / "_site" / BAD_NAME, bad)
    write(site / "notes.txt", bad)
    # a story of its own (its own URLs): a copy under the clean article's URL would be A001
    write(site / D002_FILE, (NEWS / CLEAN_NAME).read_text(encoding="utf-8").replace(STORY, STORY[:-1] + "-again/"))


STORY = "2024/03/11/robotics-library/"
ARCHIVED = "content/b/2024-03-12-robotics-library.md"
A001_FINDING = (
    f"{ARCHIVED}:7:9: A001 warning: webUrl is also the webUrl of content/a/2024-03-11-robotics-library.md:7,"
    " the oldest of the 2 articles of this archive with this URL\n"
)


def d001(*paths: str) -> str:
    return "".join(expected(path, ["D001"]) for path in paths)


#: S and U ignored: S002 no longer takes the place of Y001 on `name: No` (linter.fold).
IGNORED_S_AND_U = expected(BAD, ["D001", "C001", "Y001", "X001"])

#: key -> (configuration text, arguments, expected (exit code, stdout, stderr)).
KEY_CASES = {
    "select": (
        'select = ["U"]',
        ["_news"],
        (1, expected(BAD, ["U002", "U006"]), summary(4, 1, 3) + fixable(expected(BAD, ["U002", "U006"]))),
    ),
    "extend-select": (
        'select = ["S001"]\nextend-select = ["D001", "c"]',
        ["_news"],
        (1, expected(BAD, ["S001", "D001", "C001"]), summary(4, 1, 3)),
    ),
    "ignore": (
        'ignore = ["S", "U", "D002"]',
        ["_news"],
        (1, IGNORED_S_AND_U, summary(4, 1, 3, 1) + fixable(IGNORED_S_AND_U)),
    ),
    "extend-ignore": (
        'ignore = ["S", "D002"]\nextend-ignore = ["U"]',
        ["_news"],
        (1, IGNORED_S_AND_U, summary(4, 1, 3, 1) + fixable(IGNORED_S_AND_U)),
    ),
    "per-file-ignores": (
        'select = ["D"]\nper-file-ignores = { "_news/2024-02-*" = ["D001"], "nothing/*" = ["D002"] }',
        ["_news"],
        (0, D002_WARNING, summary(4, 1, 0, 1)),
    ),
    "warn": (
        'select = ["D001"]\nwarn = ["D"]',
        ["_news"],
        (0, expected(BAD, ["D001"]).replace(" D001 ", " D001 warning: "), summary(4, 1, 0, 1)),
    ),
    "error": (
        'select = ["D002"]\nerror = ["D002"]',
        ["_news"],
        (1, D002_WARNING.replace(" warning:", ""), summary(4, 1, 1)),
    ),
    "include": ('select = ["D001"]\ninclude = ["*.txt"]', ["."], (1, d001("./notes.txt"), summary(1, 1, 1))),
    "exclude": (
        'select = ["D001"]\nexclude = ["drafts"]',
        ["."],
        (1, d001(f"./{BAD}", f"./_site/{BAD_NAME}"), summary(5, 2, 2)),
    ),
    "extend-exclude": (
        'select = ["D001"]\nextend-exclude = ["drafts"]',
        ["."],
        (1, d001(f"./{BAD}"), summary(4, 1, 1)),
    ),
    "max-image-dimension": (
        "max-image-dimension = 1000",
        [CLEAN],
        (1, f"{CLEAN}:25:12: I001 image width 1200 is above the maximum 1000\n", summary(1, 1, 1)),
    ),
    "max-file-size": (
        "max-file-size = 100",
        [CLEAN],
        (1, f"{CLEAN}:1:1: E009 file is larger than the 100-byte limit; not read\n", summary(1, 1, 1)),
    ),
    "max-depth": (
        "max-depth = 3",
        [CLEAN],
        (1, f"{CLEAN}:36:7: E008 nesting deeper than 3 levels\n", summary(1, 1, 1)),
    ),
    "max-nodes": (
        "max-nodes = 20",
        [CLEAN],
        (1, f"{CLEAN}:11:10: E008 document expands to more than 20 nodes (aliases or size)\n", summary(1, 1, 1)),
    ),
    "schema": (
        'schema = "schemas/topics.json"',
        [CLEAN],
        (1, f"{CLEAN}:21:5: S005 'Education' is not allowed; expected one of: 'AI', 'Robotics'\n", summary(1, 1, 1)),
    ),
    "baseline": ('baseline = "lint-news-baseline.json"', ["_news"], (0, "", summary(4, 0, 0))),
    "cache-dir": ('cache-dir = "my-cache"', ["_news"], None),
    "archive": ('select = ["A"]\narchive = ["content"]', [ARCHIVED], (0, A001_FINDING, summary(1, 1, 0, 1))),
    "strict": ("strict = true", [D002_FILE], (1, D002_WARNING, summary(1, 1, 0, 1))),
    "report-unused-suppressions": (
        'select = ["D001", "N"]\nreport-unused-suppressions = true',
        [BAD],
        (1, expected(BAD, ["D001"]) + UNUSED_T, summary(1, 1, 1, 1)),
    ),
}


def test_the_readme_lists_exactly_the_tested_keys() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("All keys: ", 1)[1].split(". Paths", 1)[0]
    assert re.findall(r"`([a-z-]+)`", listed) == list(KEY_CASES)


def _prepare_key(site: Path, key: str) -> None:
    if key == "schema":
        schema = dict(TOPICS_SCHEMA, properties={"topics": {"items": {"enum": ["AI", "Robotics"]}}})
        write(site / "schemas" / "topics.json", json.dumps(schema))
    if key == "baseline":
        assert lint(site, "--isolated", "--write-baseline", "lint-news-baseline.json", "_news")[0] == 0
    if key == "report-unused-suppressions":
        with_unused_suppression(site)
    if key == "archive":  # one story in two folders of one archive root
        clean = (NEWS / CLEAN_NAME).read_text(encoding="utf-8")
        write(site / "content" / "a" / CLEAN_NAME, clean)
        write(site / ARCHIVED, clean.replace("2024-03-11T08:30:00Z", "2024-03-12T08:30:00Z", 1))


@pytest.mark.parametrize("key", list(KEY_CASES))
def test_every_key_has_an_effect(site: Path, key: str) -> None:
    toml, args, result = KEY_CASES[key]
    _layout(site)
    _prepare_key(site, key)
    if key == "cache-dir":
        return check_cache_dir_key(site, toml)
    assert lint(site, "--isolated", *args) != result  # the key, not the files, makes the difference
    write(site / ".lint-news.toml", toml + "\n")
    assert lint(site, *args) == result


def check_cache_dir_key(site: Path, toml: str) -> None:
    default_cache = {"LINT_NEWS_CACHE_DIR": ""}
    assert run_cli("--isolated", "_news", cwd=site, env=default_cache)[0] == 1
    assert (site / ".lint-news-cache" / "CACHEDIR.TAG").is_file() and not (site / "my-cache").exists()
    shutil.rmtree(site / ".lint-news-cache")
    write(site / ".lint-news.toml", toml + "\n")
    assert run_cli("_news", cwd=site, env=default_cache)[0] == 1
    assert (site / "my-cache" / "CACHEDIR.TAG").is_file() and not (site / ".lint-news-cache").exists()


def test_paths_in_the_file_are_relative_to_it(site: Path) -> None:
    """Run from a subfolder: schema and cache-dir still resolve beside the file."""
    write(site / "schemas" / "topics.json", json.dumps(TOPICS_SCHEMA))
    text = (NEWS / CLEAN_NAME).read_text(encoding="utf-8").replace("  - Education", "  - Gardening")
    write(site / CLEAN, text)
    write(site / ".lint-news.toml", 'schema = "schemas/topics.json"\ncache-dir = "my-cache"\n')
    rc, out, err = run_cli(CLEAN_NAME, cwd=site / "_news")
    message = f"{CLEAN_NAME}:21:5: S005 'Gardening' is not allowed; expected one of: 'AI', 'Robotics', 'Education'\n"
    assert (rc, out, err) == (1, message, summary(1, 1, 1))
    assert (site / "my-cache" / "CACHEDIR.TAG").is_file()


# -- a user schema building on the bundled one -------------------------------------------------


def test_user_schema_refs_the_bundled_schema_and_restricts_topics(site: Path) -> None:
    write(site / "news.schema.json", json.dumps(TOPICS_SCHEMA, indent=2))
    write(site / ".lint-news.toml", 'schema = "news.schema.json"\n')
    text = (NEWS / CLEAN_NAME).read_text(encoding="utf-8").replace("  - Education", "  - Gardening")
    write(site / CLEAN, text)
    assert text.split("\n")[20] == "  - Gardening"  # line 21, the value at column 5
    message = f"{CLEAN}:21:5: S005 'Gardening' is not allowed; expected one of: 'AI', 'Robotics', 'Education'\n"
    rc, out, err = lint(site, "_news")
    assert (rc, err) == (1, summary(3, 2, len(BAD_FINDINGS) + 1) + fixable(out))
    assert out == expected(BAD) + message  # the bundled rules still apply through the $ref


def test_user_schema_keeps_bundled_rules_for_clean_files(site: Path) -> None:
    write(site / "news.schema.json", json.dumps(TOPICS_SCHEMA))
    write(site / ".lint-news.toml", 'schema = "news.schema.json"\n')
    assert lint(site, CLEAN, "_news/2024-03-12-line-following-robot.md") == (0, "", summary(2, 0, 0))


def test_user_schema_may_be_yaml(site: Path) -> None:
    write(site / "news.schema.yaml", f"allOf:\n  - $ref: '{BUNDLED_ID}'\nrequired: [summary]\n")
    write(site / ".lint-news.toml", 'schema = "news.schema.yaml"\n')
    assert lint(site, CLEAN) == (1, f"{CLEAN}:2:1: S001 missing required field 'summary'\n", summary(1, 1, 1))


@pytest.mark.parametrize(
    ("content", "says"),
    [
        pytest.param(None, "cannot read schema", id="missing"),
        pytest.param('{"allOf": [', "cannot parse schema", id="not-json"),
        pytest.param('["a", "list"]', "is not a JSON object", id="not-an-object"),
        pytest.param('{"type": 12}', "invalid schema", id="invalid-keyword"),
        pytest.param('{"properties": {"topics": {"minItems": -1}}}', "invalid schema", id="invalid-nested"),
    ],
)
def test_broken_user_schema_is_a_usage_error(site: Path, content: Optional[str], says: str) -> None:
    config = write(site / ".lint-news.toml", 'schema = "news.schema.json"\n').resolve()
    if content is not None:
        write(site / "news.schema.json", content)
    rc, out, err = lint(site, "_news")
    assert (rc, out) == (2, "")
    assert err.startswith(f"lint-news: error: {config}: key 'schema': ") and err.count("\n") >= 1
    assert says in err and str(site.resolve() / "news.schema.json") in err
    assert "Traceback" not in err


# -- mistakes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param(
            'selct = ["U"]',
            "unknown key 'selct'; did you mean 'select'? (known: archive, baseline, cache-dir, ",
            id="unknown-key",
        ),
        pytest.param(
            'select = ["ZZ"]', "key 'select': unknown code, prefix or rule name 'ZZ' (see 'lint-news rules')", id="code"
        ),
        pytest.param(
            'ignore = ["U", "Q1"]', "key 'ignore': unknown code, prefix or rule name 'Q1'", id="code-in-ignore"
        ),
        pytest.param('warn = ["S999"]', "key 'warn': unknown code, prefix or rule name 'S999'", id="code-in-warn"),
        pytest.param(
            'per-file-ignores = { "_news/*" = ["Q"] }',
            "key 'per-file-ignores._news/*': unknown code, prefix or rule name 'Q'",
            id="code-in-per-file-ignores",
        ),
        pytest.param('select = "U"', "key 'select' must be a list of codes, not str 'U'", id="type-list"),
        pytest.param("select = [1]", "key 'select' must be a list of codes, not list [1]", id="type-list-item"),
        pytest.param("max-depth = 0", "key 'max-depth' must be a whole number of at least 1, not int 0", id="type-min"),
        pytest.param(
            'max-nodes = "9"', "key 'max-nodes' must be a whole number of at least 1, not str '9'", id="type-int"
        ),
        pytest.param(
            "max-file-size = 1.5", "key 'max-file-size' must be a whole number of at least 1, not float", id="float"
        ),
        pytest.param("strict = 1", "key 'strict' must be true or false, not int 1", id="type-bool"),
        pytest.param('include = ""', "key 'include' must be a list of glob patterns, not str ''", id="type-globs"),
        pytest.param(
            'per-file-ignores = ["x"]', "key 'per-file-ignores' must be a table of glob = [codes]", id="table"
        ),
        pytest.param("schema = 3", "key 'schema' must be a non-empty string, not int 3", id="type-string"),
        pytest.param('select = ["U"', "", id="toml-syntax"),
    ],
)
def test_mistakes_exit_2_naming_file_and_key(site: Path, toml: str, message: str) -> None:
    config = write(site / ".lint-news.toml", toml + "\n").resolve()
    rc, out, err = lint(site, "_news")
    assert (rc, out) == (2, "")
    assert err.startswith(f"lint-news: error: {config}: {message}")


def test_mistakes_in_pyproject_name_it(site: Path) -> None:
    config = write(site / "pyproject.toml", '[tool.lint-news]\nstrict = "yes"\n').resolve()
    message = f"lint-news: error: {config}: key 'strict' must be true or false, not str 'yes'\n"
    assert lint(site, "_news") == (2, "", message)


def test_a_pyproject_that_is_not_utf8_is_a_configuration_error(site: Path) -> None:
    config = site / "pyproject.toml"
    config.write_bytes(b'[tool.lint-news]\nselect = ["\xff"]\n')
    rc, out, err = lint(site, "_news")
    assert (rc, out) == (2, "")
    assert err.startswith(f"lint-news: error: {config.resolve()}: 'utf-8' codec can't decode byte 0xff")
    assert "Traceback" not in err


def test_tool_lint_news_that_is_not_a_table(site: Path) -> None:
    config = write(site / "pyproject.toml", '[tool]\nlint-news = "strict"\n').resolve()
    message = f"lint-news: error: {config}: [tool.lint-news] must be a table of keys, not str 'strict'\n"
    assert lint(site, "_news") == (2, "", message)
    assert lint(site, "--config", str(config), "_news") == (2, "", message)


def test_pyproject_whose_tool_is_not_a_table_has_no_configuration(site: Path) -> None:
    config = write(site / "pyproject.toml", "tool = 3\n")
    assert lint(site, "_news") == ALL_BAD
    assert lint(site, "--config", str(config), "_news") == ALL_BAD


def test_mistakes_are_reported_even_with_flags_that_would_override(site: Path) -> None:
    config = write(site / ".lint-news.toml", 'select = ["ZZ"]\n').resolve()
    rc, out, err = lint(site, "--select", "D", "_news")
    assert (rc, out) == (2, "") and err.startswith(f"lint-news: error: {config}: key 'select'")

"""Bounded work on hostile schemas, baselines and configurations (#10, section 4).

A pull request can add a configuration naming its own schema or baseline. Whatever they
hold, the run must end quickly: with the findings, or with one configuration error (exit 2)
that names the problem, never a traceback, a hang or a network connection. Each case runs
the installed command with and without jsonschema-rs (``NO_ACCELERATOR`` hides it), under
a subprocess timeout that only catches a hang; speed is measured in bench/benchmark.py.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from conftest import Run, run_cli
from sample_articles import GOOD, GOOD_LINES, GOOD_NAME, replace_line

BUNDLED = "https://lint-news.github.io/schema/news-article.schema.json"
TITLE_LINE = GOOD_LINES["title"]
#: A title that ``^(a+)+$`` takes exponential time to reject with a backtracking engine.
EVIL_TITLE = "a" * 47 + "!"
#: Runs lint-news with jsonschema-rs made unimportable.
NO_ACCELERATOR = "import sys; sys.modules['jsonschema_rs'] = None; from linter.cli import main; sys.exit(main())"
KNOWN = {field: {} for field in GOOD_LINES}
HANG = 180  # seconds: only a hang (2**47 backtracking steps) gets near this


def run(folder: Path, *args: str, accelerator: bool = True) -> Run:
    if accelerator:
        return run_cli("--no-cache", *args, cwd=folder, timeout=HANG)
    proc = subprocess.run(
        [sys.executable, "-c", NO_ACCELERATOR, "--no-cache", *args], capture_output=True, cwd=str(folder), timeout=HANG
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


@pytest.fixture(params=[True, False], ids=["jsonschema-rs", "jsonschema"])
def accelerator(request: pytest.FixtureRequest) -> bool:
    if request.param:
        pytest.importorskip("jsonschema_rs", reason="the accelerator is part of the test extra")
    return bool(request.param)


def site(tmp_path: Path, schema: Any, article: str = GOOD, schema_name: str = "schema.json") -> Path:
    """An article and a configuration naming ``schema`` (written as JSON unless a str)."""
    text = schema if isinstance(schema, str) else json.dumps(schema)
    (tmp_path / schema_name).write_text(text, encoding="utf-8")
    (tmp_path / ".lint-news.toml").write_text(f'schema = "{schema_name}"\n', encoding="utf-8")
    (tmp_path / GOOD_NAME).write_text(article, encoding="utf-8")
    return tmp_path


def with_bundled(extra: Dict[str, Any]) -> Dict[str, Any]:
    return {"allOf": [{"$ref": BUNDLED}], **extra}


def assert_config_error(result: Run, *fragments: str) -> None:
    assert result.rc == 2, result
    assert result.out == ""  # checked before any file is linted: no E012 per file
    assert "Traceback" not in result.err
    assert result.err.startswith("lint-news: error: ") and ".lint-news.toml: key 'schema': " in result.err, result.err
    assert result.err.count("\n") == 1  # one error
    for fragment in fragments:
        assert fragment in result.err


# -- patterns run in linear time, the same in both validators -----------------------------------

EVIL = "^(a+)+$"


@pytest.mark.parametrize(
    "schema, expected",
    [
        (with_bundled({"properties": {"title": {"pattern": EVIL}}}), ["3:1: S003", f"{TITLE_LINE + 1}:8: S007"]),
        (
            with_bundled({"propertyNames": {"anyOf": [{"pattern": EVIL}, {"maxLength": 20}]}}),
            ["2:1: S009", "3:1: S003"],
        ),
        (
            {"properties": KNOWN, "patternProperties": {EVIL: {"type": "string"}}, "additionalProperties": False},
            ["3:1: S003"],
        ),
        ({"type": "object", "patternProperties": {EVIL: {"type": "string"}}}, []),
    ],
    ids=["pattern", "property-names", "additional-properties", "pattern-properties"],
)
def test_catastrophic_pattern_does_not_hang(
    tmp_path: Path, accelerator: bool, schema: Any, expected: List[str]
) -> None:
    """``^(a+)+$`` against 47 a's and a '!' (a title, and a key) takes a backtracking engine
    about 2**47 steps; both validators answer at once and agree."""
    article = replace_line(GOOD, 'title: "Harbour city opens a library for robotics"', f'title: "{EVIL_TITLE}"')
    article = replace_line(article, "category: news", f"category: news\n{EVIL_TITLE}: 1")
    result = run(site(tmp_path, schema, article), GOOD_NAME, accelerator=accelerator)
    assert [
        line.split(" ")[0][len(GOOD_NAME) + 1 :] + " " + line.split(" ")[1] for line in result.out.splitlines()
    ] == expected
    assert result.rc == (1 if expected else 0), result


@pytest.mark.parametrize("pattern", ["(?=a)", "(a)\\1", "(?<!a)b", "[^\\S]", "(?s)a.b"])
def test_pattern_no_linear_engine_runs_is_a_configuration_error(
    tmp_path: Path, accelerator: bool, pattern: str
) -> None:
    schema = with_bundled({"properties": {"title": {"pattern": pattern}}})
    result = run(site(tmp_path, schema), GOOD_NAME, accelerator=accelerator)
    assert_config_error(result, repr(pattern))


def test_pattern_properties_with_unevaluated_properties_is_refused(tmp_path: Path) -> None:
    schema = {"patternProperties": {"^x": {}}, "unevaluatedProperties": False}
    assert_config_error(run(site(tmp_path, schema), GOOD_NAME), "'patternProperties' together with")


# -- references stay inside the schema ---------------------------------------------------------


class BlackHole:
    """A loopback server that accepts connections and never answers."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.accepted: List[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                self.accepted.append(self.server.accept()[0])
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        for connection in self.accepted:
            connection.close()
        self.server.close()


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    server = BlackHole()
    yield server
    server.close()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_remote_reference_is_refused_without_any_connection(
    tmp_path: Path, accelerator: bool, black_hole: BlackHole, scheme: str
) -> None:
    reference = f"{scheme}://127.0.0.1:{black_hole.port}/schema.json"
    result = run(
        site(tmp_path, with_bundled({"properties": {"title": {"$ref": reference}}})), GOOD_NAME, accelerator=accelerator
    )
    assert_config_error(result, f"reference '{reference}'", "never fetches")
    assert black_hole.accepted == []


@pytest.mark.parametrize(
    "reference",
    ["#/$defs/missing", "other.json", "../outside.json", "/etc/passwd", "file:///etc/passwd", "#nowhere"],
)
def test_unresolvable_reference_is_one_configuration_error(tmp_path: Path, accelerator: bool, reference: str) -> None:
    (tmp_path / "other.json").write_text('{"type": "string"}', encoding="utf-8")
    schema = with_bundled({"properties": {"title": {"$ref": reference}}})
    assert_config_error(run(site(tmp_path, schema), GOOD_NAME, accelerator=accelerator), f"reference '{reference}'")


@pytest.mark.parametrize(
    "schema, named",
    [
        ({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}, "#/$defs/"),
        ({"$ref": "#"}, "'#'"),
        ({"$defs": {"a": {"allOf": [{"not": {"$ref": "#/$defs/a"}}]}}, "$ref": "#/$defs/a"}, "'#/$defs/a'"),
        ({"$id": "urn:x", "anyOf": [{"$ref": "urn:x"}]}, "'urn:x'"),
    ],
    ids=["two-step", "self", "through-allOf-and-not", "by-id"],
)
def test_reference_loop_is_one_configuration_error(tmp_path: Path, accelerator: bool, schema: Any, named: str) -> None:
    result = run(site(tmp_path, schema), GOOD_NAME, accelerator=accelerator)
    assert_config_error(result, named, "loops back")


def test_recursion_through_properties_is_allowed(tmp_path: Path) -> None:
    """A recursive schema that reads deeper into the value each time is fine."""
    schema = with_bundled({"$defs": {"tree": {"type": "object", "additionalProperties": {"$ref": "#/$defs/tree"}}}})
    schema["properties"] = {"provider": {"$ref": "#/$defs/tree"}}
    result = run(site(tmp_path, schema), GOOD_NAME)
    assert result.rc == 1 and f"{GOOD_NAME}:{GOOD_LINES['provider'] + 1}:9: S002" in result.out, result


# -- schemas that nest or expand too far -------------------------------------------------------


def nested(keyword: str, depth: int) -> Dict[str, Any]:
    schema: Dict[str, Any] = {}
    for _ in range(depth):
        schema = {keyword: [schema] if keyword == "allOf" else schema}
    return schema


def chained(depth: int) -> Dict[str, Any]:
    """Nested only through references: shallow as a document, deep when applied."""
    defs = {f"d{i}": {"not": {"$ref": f"#/$defs/d{i + 1}"}} for i in range(depth)}
    defs[f"d{depth}"] = {}
    return {"$defs": defs, "$ref": "#/$defs/d0"}


def laughs(levels: int = 9) -> str:
    lines = ["a: &a [{type: string}, {type: string}, {type: string}, {type: string}]"]
    for n in range(1, levels):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{name}: &{name} [" + ", ".join([f"{{allOf: *{prev}}}"] * 10) + "]")
    return "\n".join(lines + [f"allOf: *{chr(ord('a') + levels - 1)}", ""])


@pytest.mark.parametrize(
    "schema, says",
    [
        (nested("not", 900), "nests deeper than 64 levels"),
        (nested("allOf", 400), "nests deeper than 64 levels"),
        ("[" * 100_000 + "]" * 100_000, "nests deeper than 64 levels"),
        (chained(400), "more than 48 schemas in place"),
        (laughs(), "expands to more than"),
        ("a: &a {allOf: [*a]}\n", "unknown alias"),
        ("&a [*a]\n", "unknown alias"),
    ],
    ids=["not-900", "allOf-400", "json-100000", "ref-chain-400", "yaml-alias-bomb", "recursive-alias", "self-alias"],
)
def test_schema_too_deep_or_too_large_is_a_configuration_error(
    tmp_path: Path, accelerator: bool, schema: Any, says: str
) -> None:
    name = "schema.yaml" if isinstance(schema, str) and not schema.startswith("[") else "schema.json"
    result = run(site(tmp_path, schema, schema_name=name), GOOD_NAME, accelerator=accelerator)
    assert_config_error(result, says)


# -- files that are not files ------------------------------------------------------------------


@pytest.fixture(params=["fifo", "/dev/zero"])
def special(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "fifo":
        os.mkfifo(tmp_path / "special")
        return "special"
    return str(request.param)


def test_schema_that_is_a_fifo_or_a_device(tmp_path: Path, special: str) -> None:
    (tmp_path / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    (tmp_path / ".lint-news.toml").write_text(f'schema = "{special}"\n', encoding="utf-8")
    assert_config_error(run(tmp_path, GOOD_NAME), "not a regular file")


def test_baseline_that_is_a_fifo_or_a_device(tmp_path: Path, special: str) -> None:
    (tmp_path / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    result = run(tmp_path, "--baseline", special, GOOD_NAME)
    assert (result.rc, result.out) == (2, "")
    assert (
        result.err
        == f"lint-news: error: {special}: not a lint-news baseline (cannot read {special}: not a regular file)\n"
    )


def test_configuration_that_is_a_fifo_or_a_device(tmp_path: Path, special: str) -> None:
    (tmp_path / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    result = run(tmp_path, "--config", special, GOOD_NAME)
    assert (result.rc, result.out) == (2, "")
    assert "Traceback" not in result.err and result.err.startswith(f"lint-news: error: {special}: ")


@pytest.mark.parametrize("depth", [900, 100_000])
def test_baseline_nested_thousands_deep(tmp_path: Path, depth: int) -> None:
    (tmp_path / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    rows = "[" * depth + "]" * depth
    (tmp_path / "baseline.json").write_text(
        f'{{"version": 1, "findings": [{{"path": "a", "code": "S001", "where": {rows}}}]}}', encoding="utf-8"
    )
    result = run(tmp_path, "--baseline", "baseline.json", GOOD_NAME)
    assert (result.rc, result.out) == (2, "")
    assert result.err.startswith("lint-news: error: baseline.json: not a lint-news baseline ("), result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("name", [".lint-news.toml", "pyproject.toml"])
def test_configuration_nested_thousands_deep(tmp_path: Path, name: str) -> None:
    (tmp_path / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    table = "[tool.lint-news]\n" if name == "pyproject.toml" else ""
    (tmp_path / name).write_text(f"{table}select = {'[' * 5000}{']' * 5000}\n", encoding="utf-8")
    result = run(tmp_path, GOOD_NAME)
    assert (result.rc, result.out) == (2, "")
    assert result.err == f"lint-news: error: {tmp_path / name}: nested too deeply\n"

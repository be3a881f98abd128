"""jsonschema-rs may only confirm valid files faster: findings must be identical without it."""

from __future__ import annotations

import copy
import functools
import subprocess
import sys
from importlib.metadata import requires
from pathlib import Path
from typing import Any, Callable, Iterator, List, Set, Tuple

import pytest
from conftest import EXAMPLES, ROOT, every_article
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement

from linter.engine import Linter
from linter.parse.events import parse
from linter.parse.frontmatter import Frontmatter, decode, split
from linter.validate.format_checks import _PLAIN_DATETIME, _PLAIN_URI, light_formats, plain_first, plain_shapes
from linter.validate.patterns import rust_schema
from linter.validate.schema import SchemaChecker, _fast_validator, bundled_schema

jsonschema_rs = pytest.importorskip("jsonschema_rs", reason="the accelerator is part of the test extra")
#: Runs the command as it runs where jsonschema-rs is not installed: ``None`` in
#: ``sys.modules`` makes ``import jsonschema_rs`` raise ImportError. It then reports which
#: engine answered (a run over a valid file imports jsonschema only on the fallback path).
WITHOUT_ACCELERATOR = """
import sys
sys.modules["jsonschema_rs"] = None
from linter.cli import main
code = main(sys.argv[1:])
sys.stderr.write("engines: jsonschema_rs=%s jsonschema=%s\\n" % (
    sys.modules["jsonschema_rs"] is not None, "jsonschema" in sys.modules))
sys.exit(code)
"""

#: jsonschema-rs first, without the pure-Python subset (tests/test_subset.py tests that).
FAST = SchemaChecker(bundled_schema(), accelerate=True, subset=False)
REFERENCE = SchemaChecker(bundled_schema(), accelerate=False)
OTHER_VALUES: List[Any] = [
    None,
    "",
    "x",
    "2023-02-30T00:00:00Z",
    "https://a b",
    0,
    -2,
    10**30,
    1.5,
    True,
    [],
    {},
    [None],
]


def test_accelerator_is_active() -> None:
    assert FAST.fast is not None and REFERENCE.fast is None


def _data(path: Path) -> Any:
    text = decode(path.read_bytes()) if path.is_file() else None
    block = split(text) if isinstance(text, str) else None
    return parse(block.yaml_text).data if isinstance(block, Frontmatter) else None


def _hits(checker: SchemaChecker, data: Any) -> Set[Tuple[Any, ...]]:
    return {(h.code, h.path, h.message, h.on_key) for h in checker.check(data, {})}


def test_same_schema_findings_on_every_file() -> None:
    checked = 0
    for path in every_article():
        data = _data(path)
        if isinstance(data, dict):
            assert _hits(FAST, data) == _hits(REFERENCE, data), path
            checked += 1
    assert checked >= 5


def _mutations(data: Any, path: Tuple[Any, ...] = ()) -> Iterator[Tuple[Tuple[Any, ...], Any]]:
    """Every node of the article replaced, one at a time, by values of other types."""
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in children:
        for other in OTHER_VALUES:
            if other != value or type(other) is not type(value):
                yield path + (key,), other
        yield from _mutations(value, path + (key,))


def _replace(data: Any, path: Tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize("example", sorted(p.name for p in (EXAMPLES / "_news").glob("*.md")))
def test_same_schema_findings_on_mutated_articles(example: str) -> None:
    data = _data(EXAMPLES / "_news" / example)
    count = 0
    for path, value in _mutations(data):
        mutated = _replace(data, path, value)
        assert _hits(FAST, mutated) == _hits(REFERENCE, mutated), (path, value)
        count += 1
    assert count > 100


def test_linter_results_do_not_depend_on_the_accelerator() -> None:
    fast, reference = Linter(), Linter()
    reference._schema = REFERENCE
    for path in every_article():
        if path.is_file():
            data = path.read_bytes()
            assert fast.lint_bytes(str(path), data).findings == reference.lint_bytes(str(path), data).findings, path


URL_CHARS = "abAZ09-._~!$&'()*+,;=:@/?#%[] \"<>\\^`{|}é\t"


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(
    scheme=st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "http:/"]),
    host=st.text(alphabet="ab0-.", max_size=6),
    rest=st.text(alphabet=URL_CHARS, max_size=16),
)
def test_light_uri_check_agrees_with_rfc3986(scheme: str, host: str, rest: str) -> None:
    """The shortcut in formats.py only ever answers what rfc3986-validator would."""
    from rfc3986_validator import validate_rfc3986

    formats = light_formats()
    assert formats is not None
    value = scheme + host + rest
    assert formats["uri"](value) == bool(validate_rfc3986(value, rule="URI"))
    assert _rust_shape("uri").is_valid(value) == (_PLAIN_URI.match(value) is not None)


DATE_TIME_CHARS = "0123456789-:.+TtZz \n\u0661"


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(
    year=st.sampled_from(["2024", "0000", "0001", "1900", "2000", "999", "20245"]),
    month=st.sampled_from(["01", "02", "04", "12", "00", "13", "1"]),
    day=st.sampled_from(["01", "28", "29", "30", "31", "00", "32", "9"]),
    rest=st.one_of(
        st.sampled_from(
            ["T10:00:00Z", "T23:59:59.123+05:30", "t10:00:00z", "T24:00:00Z", "T10:00:60Z", "T10:00:00Z\n"]
        ),
        st.text(alphabet=DATE_TIME_CHARS, max_size=14),
    ),
)
def test_light_date_time_check_agrees_with_rfc3339(year: str, month: str, day: str, rest: str) -> None:
    """The date-time shortcut in format_checks.py only ever answers what rfc3339-validator
    answers, as jsonschema calls it (upper-cased): leap years, day 29-31, year 0000, a
    lower-case t or z, a trailing newline, non-ASCII digits."""
    from rfc3339_validator import validate_rfc3339

    formats = light_formats()
    assert formats is not None
    value = f"{year}-{month}-{day}{rest}"
    assert formats["date-time"](value) == bool(validate_rfc3339(value.upper()))
    assert _rust_shape("date-time").is_valid(value) == (_PLAIN_DATETIME.match(value) is not None)


@functools.cache
def _rust_shape(name: str) -> Any:
    """jsonschema-rs asked for a format's plain shape alone, as the accelerator asks it."""
    return jsonschema_rs.validator_for(
        rust_schema({"pattern": plain_shapes()[name]}), pattern_options=jsonschema_rs.RegexOptions()
    )


def test_the_accelerator_asks_the_plain_shape_before_the_format() -> None:
    """Each format with a shape becomes "shape or format" (in an allOf beside the node's
    own); data keywords are left as written; the Python check is then seldom called."""
    schema = {
        "allOf": [{"type": "string"}],
        "format": "uri",
        "enum": [{"format": "uri"}],
        "properties": {"date": {"format": "date-time"}, "other": {"format": "email"}},
    }
    shapes = plain_shapes()
    either = {"anyOf": [{"pattern": shapes["uri"]}, {"format": "uri"}]}
    dated = {"anyOf": [{"pattern": shapes["date-time"]}, {"format": "date-time"}]}
    assert plain_first(schema, shapes) == {
        "allOf": [{"type": "string"}, either],
        "enum": [{"format": "uri"}],
        "properties": {"date": {"allOf": [dated]}, "other": {"format": "email"}},
    }
    assert plain_first(schema, {}) == schema
    formats = light_formats()
    assert formats is not None
    calls: List[str] = []

    def counted(name: str) -> Callable[[Any], bool]:
        return lambda value: calls.append(name) or formats[name](value)

    checker = SchemaChecker(bundled_schema(), subset=False)
    checker._fast = _fast_validator(bundled_schema(), {name: counted(name) for name in formats})
    assert checker.fast is not None
    article = _data(EXAMPLES / "_news" / "2024-03-11-robotics-library.md")
    assert checker.fast(article) and calls == []
    article["webUrl"] = "https://example.com/a%ZZ"  # not the plain shape: the check decides
    assert not checker.fast(article) and calls == ["uri"]


def test_the_default_install_requires_the_accelerator_here() -> None:
    """`pip install .` (README, pre-commit) gets jsonschema-rs on this platform."""
    wanted = [Requirement(line) for line in requires("lint-news") or [] if line.startswith("jsonschema-rs")]
    default = [req for req in wanted if req.marker is None or req.marker.evaluate({"extra": ""})]
    assert default, wanted


def _run(*args: str, accelerator: bool) -> subprocess.CompletedProcess[str]:
    if accelerator:
        command = [sys.executable, "-m", "linter", *args]
    else:
        command = [sys.executable, "-c", WITHOUT_ACCELERATOR, *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize(
    "paths,asked",
    [(["examples/_news/2024-03-11-robotics-library.md"], False), (["examples", "tests/fixtures"], True)],
)
def test_without_the_accelerator_jsonschema_answers_alone(paths: List[str], asked: bool) -> None:
    """The fallback path, run for real: the same report, with jsonschema doing all the work
    the schema subset leaves (a valid article alone needs no engine at all)."""
    args = ["--no-cache", "--jobs", "1", "--format", "json", *paths]
    fast, fallback = _run(*args, accelerator=True), _run(*args, accelerator=False)
    assert "Traceback" not in fallback.stderr, fallback.stderr
    assert (fallback.returncode, fallback.stdout) == (fast.returncode, fast.stdout)
    assert f"engines: jsonschema_rs=False jsonschema={asked}" in fallback.stderr
    assert fast.returncode in (0, 1) and '"findings"' in fast.stdout


# -- schema patterns: RE2 (jsonschema) and the regex crate (jsonschema-rs) agree ---------------

PATTERN_ATOMS = [
    "a", "b", "é", "1", "٣", "_", " ", "-", ".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B",
    "[a-c]", "[^a]", "[\\d\\s]", "[\\s\\S]", "[a\\S]", "[\\w.]", "\\u00e9", "\\.", "\\/", "(?i)k", "K", "x",
]  # fmt: skip
PATTERN_TEXT = "ab é1٣_ -.\t\n\r\u00a0\u2028\u2029\ufeffKk\u212ax/!"


@st.composite
def patterns(draw: st.DrawFn) -> str:
    parts = []
    for atom in draw(st.lists(st.sampled_from(PATTERN_ATOMS), min_size=1, max_size=5)):
        quantifier = draw(st.sampled_from(["", "", "*", "+", "?", "{1,2}"]))
        parts.append(atom + (quantifier if not atom.startswith(("\\b", "\\B", "(?")) else ""))
    body = "".join(parts)
    if draw(st.booleans()):
        body = f"(?:{body})|{draw(st.sampled_from(PATTERN_ATOMS))}"
    return draw(st.sampled_from(["", "^"])) + body + draw(st.sampled_from(["", "$"]))


@settings(max_examples=400, derandomize=True, deadline=None)
@given(pattern=patterns(), texts=st.lists(st.text(alphabet=PATTERN_TEXT, max_size=6), min_size=1, max_size=4))
def test_schema_patterns_mean_the_same_in_both_validators(pattern: str, texts: List[str]) -> None:
    """``pattern``, ``patternProperties`` and ``additionalProperties`` beside them: the
    accelerator's verdict equals jsonschema's on every generated pattern and value."""
    from hypothesis import assume

    from linter.validate.schema import SchemaError, check_user_schema

    schema = {
        "type": "object",
        "properties": {"t": {"type": "string", "pattern": pattern}},
        "patternProperties": {pattern: {"type": "integer"}},
        "additionalProperties": {"type": "boolean"},
    }
    try:
        check_user_schema(schema)  # as the command does first: refused patterns never run
    except SchemaError:
        assume(False)
    fast = SchemaChecker(schema).fast
    assert fast is not None, pattern
    reference = SchemaChecker(schema, accelerate=False)
    for text in texts:
        for data in ({"t": text}, {text: 1}, {text: True}):
            assert fast(data) == (reference.check(data, {}) == []), (pattern, data)

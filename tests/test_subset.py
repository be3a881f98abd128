"""The pure-Python proof of validity (``linter.validate.subset``) is sound and useful.

Sound: whatever it proves valid, jsonschema (the reference engine, configured as lint-news
configures it) and jsonschema-rs (given the same format functions) both accept, over every
corpus file, fixture and example, generated articles, thousands of mutated ones and random
schemas of its keywords. Useful: it proves nearly every clean real article valid. And where
it proves nothing, the engines answer exactly as before.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import EXAMPLES, SHARED, every_article, load_bench_script
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.engine import Linter
from linter.parse import parse
from linter.parse.frontmatter import Frontmatter, decode, split
from linter.parse.scalars import Tagged
from linter.validate import schema as schema_module
from linter.validate.format_checks import light_formats
from linter.validate.schema import SchemaChecker, bundled_schema
from linter.validate.subset import compile_subset

pytest.importorskip("jsonschema_rs", reason="the accelerator is part of the test extra")

Proof = Callable[[Any], bool]
_FORMATS = light_formats()
assert _FORMATS is not None
FORMATS: Dict[str, Proof] = _FORMATS
BUNDLED = bundled_schema()
_PROVES = compile_subset(BUNDLED, FORMATS)
assert _PROVES is not None
PROVES: Proof = _PROVES
REFERENCE = SchemaChecker(BUNDLED, accelerate=False)
RUST = SchemaChecker(BUNDLED, subset=False).fast
assert RUST is not None
#: Values each node of an article is replaced by: every JSON type, the boundaries of the
#: schema's bounds, values the engines read differently from Python (bool and int, 1.0,
#: NaN, integers past 64 bits), strings of each format's edge, and a tag the parser kept.
ODD_VALUES: List[Any] = [
    None,
    "",
    "x",
    " ",
    "article",
    "video",
    "news",
    "https://example.com/a",
    "http://a b",
    "ftp://x",
    "2024-02-29T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "2024-03-11T08:30:00+25:00",
    "2024-03-11",
    True,
    False,
    0,
    1,
    -1,
    -2,
    1.0,
    1.5,
    -0.0,
    float("nan"),
    float("inf"),
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    10**30,
    [],
    {},
    [None],
    ["x"],
    [1],
    [{}],
    {"x": 1},
    {1: "x"},
    {"url": "https://example.com/i.png", "width": 1, "height": 1},
    Tagged("!custom", "x"),
    Tagged("tag:yaml.org,2002:int", "0o19", "invalid"),
]
EXTRA_KEYS: List[Tuple[Any, Any]] = [
    ("extra", "x"),
    ("title", "x"),
    ("webUrl", "https://example.com/a"),
    ("ampWebUrl", "https://example.com/a"),
    ("cdnAmpWebUrl", "https://example.com/a"),
    ("featuredContent", "<iframe>"),
    ("images", []),
    ("width", 1),
    ("quality", 1),
    (1, "x"),
]


def sound(
    data: Any, proves: Proof = PROVES, reference: SchemaChecker = REFERENCE, rust: Optional[Proof] = RUST
) -> bool:
    """Whether the subset proved ``data`` valid; if it did, both engines must agree (the
    second where it takes the schema at all: lint-news uses it only then)."""
    proven = proves(data)
    if proven:
        assert reference.validator.is_valid(data), data
        assert rust is None or rust(data), data
    return proven


def counting(proves: Optional[Proof], asked: List[Any]) -> Proof:
    """``proves``, noting each document it is asked about."""
    assert proves is not None

    def proof(data: Any) -> bool:
        asked.append(data)
        return proves(data)

    return proof


def data_of(raw: bytes) -> Any:
    text = decode(raw)
    block = split(text) if isinstance(text, str) else None
    return parse(block.yaml_text).data if isinstance(block, Frontmatter) else None


def generated(count: int, defect_rate: float) -> List[Any]:
    make_file = load_bench_script("generate").make_file
    return [data_of(make_file(7, index, defect_rate)[1]) for index in range(count)]


def test_sound_on_every_file() -> None:
    checked = proven = 0
    for path in every_article():
        data = data_of(path.read_bytes()) if path.is_file() else None
        if data is not None:
            checked += 1
            proven += sound(data)
    assert checked >= 20 and proven >= 5, (checked, proven)


def test_proves_nearly_every_clean_real_article() -> None:
    """Useful: nearly every real article the schema accepts (all of them today; 2,468 of
    2,477 parsed files are valid) is proven valid without an engine."""
    real = SHARED / "corpus" / "real"
    if not real.is_dir():
        pytest.skip("the shared corpus is absent")
    valid = proven = 0
    for path in sorted(real.rglob("*.md")):
        data = data_of(path.read_bytes())
        if isinstance(data, dict) and REFERENCE.validator.is_valid(data):
            valid += 1
            proven += sound(data)
    assert valid > 2000 and proven >= 0.99 * valid, (proven, valid)


def test_sound_on_generated_articles() -> None:
    """bench/generate.py's articles, a third of them with a defect of its list."""
    articles = generated(400, 0.35)
    proven = sum(sound(data) for data in articles if data is not None)
    assert 150 < proven < 390, proven  # the valid ones, not the defective ones


def _nodes(data: Any, path: Tuple[Any, ...] = ()) -> Iterator[Tuple[Tuple[Any, ...], Any]]:
    yield path, data
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in children:
        yield from _nodes(value, path + (key,))


#: ``_edited``'s value that removes the key.
REMOVED: Any = object()


def _edited(data: Any, path: Tuple[Any, ...], value: Any) -> Any:
    """A deep copy of ``data`` with the node at ``path`` set to ``value`` (or removed)."""
    changed = copy.deepcopy(data)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    if value is REMOVED:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return changed


def _replacements(value: Any) -> List[Any]:
    """Other values for one node: the odd ones, and edits of the value itself (minLength's
    boundary, neighbours of an integer, a list with an item more, fewer or none)."""
    others = list(ODD_VALUES)
    if isinstance(value, str):
        others += [value[:1], value + " ", value.upper()]
    if type(value) is int:
        others += [value - 1, value + 1, float(value), str(value), value == 1]
    if isinstance(value, list) and value:
        others += [value + value[:1], value[:1], [copy.deepcopy(value[0]), None]]
    return others


def mutants(data: Any) -> Iterator[Any]:
    """Every node replaced, every key removed, every object given extra keys."""
    for path, node in _nodes(data):
        if path:
            for other in _replacements(node):
                yield _edited(data, path, other)
            yield _edited(data, path, REMOVED)
        if isinstance(node, dict):
            for key, value in EXTRA_KEYS:
                if key not in node:
                    yield _edited(data, path + (key,), value)


def _mutated_articles() -> List[Tuple[str, Any]]:
    chosen = [(path.name, data_of(path.read_bytes())) for path in sorted((EXAMPLES / "_news").glob("*.md"))]
    chosen += [(f"generated-{index}", data) for index, data in enumerate(generated(40, 0.0)) if index % 10 == 0]
    return [(name, data) for name, data in chosen if PROVES(data)]


@pytest.mark.parametrize("name,article", _mutated_articles(), ids=lambda value: value if isinstance(value, str) else "")
def test_sound_on_mutated_articles(name: str, article: Any) -> None:
    """Each field removed, retyped, emptied, at its bounds; extra keys; related items and
    images changed the same way: some mutants stay valid and are proven, none is proven
    that an engine rejects."""
    count = proven = 0
    for mutant in mutants(article):
        count += 1
        proven += sound(mutant)
    assert count > 500 and 20 < proven < count / 2, (count, proven)


# -- each keyword, exactly ----------------------------------------------------------------

IF_THEN_ELSE = {
    "if": {"properties": {"k": {"const": "v"}}, "required": ["k"]},
    "then": {"required": ["x"]},
    "else": {"required": ["y"]},
}
ARTICLE_LIKE = {
    "type": "object",
    "required": ["a"],
    "additionalProperties": False,
    "properties": {"a": {"$ref": "#/$defs/url"}, "b": {"type": "array", "minItems": 1, "items": {"type": "integer"}}},
    "$defs": {"url": {"type": "string", "format": "uri", "minLength": 1}},
}
#: (schema, instance, proven): where both engines accept and the subset is certain, it
#: proves; where it is unsure (a float, a huge integer, a format that fails) it does not.
CASES: List[Tuple[Any, Any, bool]] = [
    ({"type": "integer"}, 1, True),
    ({"type": "integer"}, True, False),
    ({"type": "integer"}, 1.0, False),
    ({"type": "integer"}, 2**63 - 1, True),
    ({"type": "integer"}, 2**63, False),
    ({"type": "integer"}, "1", False),
    ({"type": "number"}, 3, True),
    ({"type": "number"}, 1.5, False),
    ({"type": "boolean"}, False, True),
    ({"type": "boolean"}, 0, False),
    ({"type": "null"}, None, True),
    ({"type": ["string", "null"]}, None, True),
    ({"type": ["string", "null"]}, "x", True),
    ({"type": ["string", "null"]}, 0, False),
    ({"type": "array"}, [], True),
    ({"type": "object"}, {}, True),
    ({"type": "object"}, [], False),
    ({"type": "string"}, Tagged("!x", "a"), False),
    ({"enum": ["a", 1]}, "a", True),
    ({"enum": ["a", 1]}, "b", False),
    ({"enum": ["a", 1]}, 1, False),
    ({"const": "a"}, "a", True),
    ({"const": "a"}, "A", False),
    ({"minLength": 1}, "é", True),
    ({"minLength": 2}, "é", False),
    ({"minLength": 2}, 5, True),
    ({"minLength": 2}, 1.5, False),
    ({"minimum": 0}, 0, True),
    ({"minimum": 0}, -1, False),
    ({"minimum": 0}, "x", True),
    ({"minimum": 0}, True, True),
    ({"minimum": 0}, 1.5, False),
    ({"minItems": 1}, [None], True),
    ({"minItems": 1}, [], False),
    ({"maxItems": 1}, [1, 2], False),
    ({"maxItems": 1}, "ab", True),
    ({"items": {"type": "string"}}, ["a", "b"], True),
    ({"items": {"type": "string"}}, ["a", 1], False),
    ({"items": False}, [], True),
    ({"items": False}, [1], False),
    ({"required": ["a"]}, {"a": 1}, True),
    ({"required": ["a"]}, {"b": 1}, False),
    ({"required": ["a"]}, [1], True),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1, "b": 2}, True),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1}, False),
    ({"dependentRequired": {"a": ["b"]}}, {"c": 1}, True),
    ({"properties": {"a": {"type": "string"}}}, {"a": "x"}, True),
    ({"properties": {"a": {"type": "string"}}}, {"a": 1}, False),
    ({"properties": {"a": {"type": "string"}}}, {"b": 1}, True),
    ({"properties": {"a": {"type": "string"}}}, {"b": 1.5}, False),  # a float no keyword looks at: unsure
    ({"additionalProperties": {"type": "integer"}}, {"a": 1}, True),
    ({"additionalProperties": {"type": "integer"}}, {"a": "x"}, False),
    ({"additionalProperties": False}, {}, True),
    ({"additionalProperties": False}, {"a": 1}, False),
    ({"format": "date-time"}, "2024-02-29T00:00:00Z", True),
    ({"format": "date-time"}, "2023-02-29T00:00:00Z", False),
    ({"format": "date-time"}, 5, True),
    ({"format": "uri"}, "https://example.com/a?b#c", True),
    ({"format": "uri"}, "no scheme", False),
    ({"allOf": [{"type": "string"}, {"minLength": 2}]}, "ab", True),
    ({"allOf": [{"type": "string"}, {"minLength": 2}]}, "a", False),
    (IF_THEN_ELSE, {"k": "v", "x": 1}, True),
    (IF_THEN_ELSE, {"k": "v", "y": 1}, False),
    (IF_THEN_ELSE, {"k": "w", "y": 1}, True),
    (IF_THEN_ELSE, {"k": "w", "x": 1}, False),
    (IF_THEN_ELSE, {"y": 1}, True),
    (IF_THEN_ELSE, {"k": 1, "y": 1}, False),
    ({"if": {"minimum": 5}, "then": {"const": 9}}, 1.5, False),
    ({"then": {"const": 1}}, "x", True),
    (ARTICLE_LIKE, {"a": "https://example.com/a", "b": [1]}, True),
    (ARTICLE_LIKE, {"a": "https://example.com/a", "b": []}, False),
    (ARTICLE_LIKE, {"a": "", "b": [1]}, False),
    (ARTICLE_LIKE, {"b": [1]}, False),
    (ARTICLE_LIKE, {"a": "x:y", "c": 1}, False),
    (True, 1.5, False),
    (False, 1, False),
    ({"type": "object"}, {"a": [1, {"b": 1.5}]}, False),
    ({"type": "object"}, {"a": [1, {"b": None}]}, True),
    ({"type": "object"}, {"a": 2**64}, False),
    ({"type": "object"}, {1: "a"}, False),
    ({"type": "object", "title": "t"}, {}, True),
]


@pytest.mark.parametrize("schema,instance,expected", CASES)
def test_each_keyword_decides_exactly(schema: Any, instance: Any, expected: bool) -> None:
    reference = SchemaChecker(schema if isinstance(schema, dict) else {"allOf": [schema]}, accelerate=False)
    rust = SchemaChecker(schema if isinstance(schema, dict) else {"allOf": [schema]}, subset=False).fast
    proves = compile_subset(schema if isinstance(schema, dict) else {"allOf": [schema]}, FORMATS)
    assert proves is not None
    assert sound(instance, proves, reference, rust) is expected


OUTSIDE: List[Dict[str, Any]] = [
    {"pattern": "a"},
    {"anyOf": [{"type": "string"}]},
    {"not": {"type": "string"}},
    {"oneOf": [{}]},
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"},
    {"properties": {"a": {"$schema": bundled_schema()["$schema"]}}},
    {"$ref": "https://lint-news.github.io/schema/news-article.schema.json"},
    {"$ref": "#/definitions/a", "definitions": {"a": {}}},
    {"$ref": "#/$defs/missing"},
    {"$ref": "#/$defs/a~1b", "$defs": {"a/b": {}}},
    {"format": "email"},
    {"minimum": 1.5},
    {"minimum": True},
    {"maximum": 3},
    {"maxLength": 3},
    {"minLength": -1},
    {"minItems": 1.0},
    {"required": "a"},
    {"required": [1]},
    {"enum": "a"},
    {"type": "float"},
    {"type": []},
    {"items": [{}]},
    {"prefixItems": [{}]},
    {"properties": {"a": {"$id": "https://example.com/a"}}},
    {"unevaluatedProperties": False},
    {"patternProperties": {}},
    {"dependentSchemas": {}},
    {"contains": {}},
    {"uniqueItems": True},
    {"allOf": []},
    {"properties": []},
    {"$id": BUNDLED["$id"], "type": "object"},
    {"minLenght": 1},
    {"$dynamicRef": "#a"},
    {"propertyNames": {}},
]


@pytest.mark.parametrize("schema", OUTSIDE)
def test_schemas_outside_the_subset_are_refused(schema: Dict[str, Any]) -> None:
    """A keyword it does not interpret exactly, anywhere: the engines do all the work."""
    assert compile_subset(schema, FORMATS) is None
    assert compile_subset({"type": "object", "properties": {"a": schema}}, FORMATS) is None
    assert SchemaChecker(schema).proves_valid is None


def test_the_bundled_schema_and_users_schemas_within_the_subset_are_interpreted() -> None:
    assert PROVES is not None
    assert compile_subset({**BUNDLED, "$id": "https://example.com/mine.json"}, FORMATS) is not None
    assert compile_subset(copy.deepcopy(BUNDLED), FORMATS) is not None  # an equal copy of the bundled one
    assert SchemaChecker(BUNDLED, accelerate=False).proves_valid is None  # the reference alone


# -- random schemas of the subset's keywords -----------------------------------------------

NAMES = ["a", "b", "k"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, -1, 5, 2**63, 1.0, 1.5]),
    st.sampled_from(["", "a", "v", "é", "ab"]),
)
INSTANCES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(NAMES), inner, max_size=3)),
    max_leaves=8,
)


TYPE_NAMES = ["string", "integer", "number", "boolean", "null", "object", "array"]


def _schemas(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    names = st.lists(st.sampled_from(NAMES), max_size=2, unique=True)
    keywords = st.fixed_dictionaries(
        {},
        optional={
            "type": st.one_of(
                st.sampled_from(TYPE_NAMES),
                st.lists(st.sampled_from(TYPE_NAMES), min_size=1, max_size=2, unique=True),
            ),
            "enum": st.lists(SCALARS, min_size=1, max_size=3),
            "const": SCALARS,
            "required": names,
            "dependentRequired": st.dictionaries(st.sampled_from(NAMES), names, max_size=2),
            "properties": st.dictionaries(st.sampled_from(NAMES), inner, max_size=2),
            "additionalProperties": inner,
            "items": inner,
            "minLength": st.integers(0, 2),
            "minItems": st.integers(0, 2),
            "maxItems": st.integers(0, 2),
            "minimum": st.integers(-1, 2),
            "allOf": st.lists(inner, min_size=1, max_size=2),
            "if": inner,
            "then": inner,
            "else": inner,
        },
    )
    return st.one_of(st.booleans(), keywords)


SCHEMAS: st.SearchStrategy[Any] = st.recursive(st.booleans() | st.just({}), _schemas, max_leaves=6)


@settings(max_examples=600, derandomize=True, deadline=None)
@given(schema=SCHEMAS, instances=st.lists(INSTANCES, min_size=1, max_size=6))
def test_sound_on_random_schemas_of_its_keywords(schema: Any, instances: List[Any]) -> None:
    """Generated schemas of exactly the keywords it interprets (nested in if/then/else,
    allOf, properties, items...): never a proof that an engine would not confirm."""
    document = schema if isinstance(schema, dict) else {"allOf": [schema]}
    proves = compile_subset(document, FORMATS)
    assert proves is not None, document
    reference = SchemaChecker(document, accelerate=False)
    rust = SchemaChecker(document, subset=False).fast
    for instance in instances:
        sound(instance, proves, reference, rust)


# -- in the engine -------------------------------------------------------------------------


def test_the_engines_are_asked_only_where_nothing_is_proven(monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid article builds no jsonschema-rs validator; an invalid one does, and from then
    on jsonschema-rs answers alone (it is cheaper per file, its import paid)."""
    article = data_of((EXAMPLES / "_news" / "2024-03-11-robotics-library.md").read_bytes())
    checker = SchemaChecker(BUNDLED)
    assert checker.check(article, {}) == []
    assert checker._fast is schema_module._UNBUILT
    asked: List[Any] = []
    checker.proves_valid = counting(checker.proves_valid, asked)
    invalid = {**article, "quality": -1}
    assert [hit.code for hit in checker.check(invalid, {})] == ["S004"]
    assert checker._fast is not schema_module._UNBUILT and checker._fast is not None
    assert checker.check(article, {}) == [] and len(asked) == 1


def test_long_runs_switch_to_jsonschema_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    """After ``SUBSET_FILES`` files the subset's extra cost per file has paid for the import."""
    monkeypatch.setattr(schema_module, "SUBSET_FILES", 3)
    article = data_of((EXAMPLES / "_news" / "2024-03-11-robotics-library.md").read_bytes())
    checker = SchemaChecker(BUNDLED)
    for _ in range(3):
        assert checker.check(article, {}) == []
    assert checker._fast is schema_module._UNBUILT
    assert checker.check(article, {}) == []
    assert checker._fast is not schema_module._UNBUILT


def test_without_jsonschema_rs_the_subset_answers_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_module, "SUBSET_FILES", 1)
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)
    article = data_of((EXAMPLES / "_news" / "2024-03-11-robotics-library.md").read_bytes())
    checker = SchemaChecker(BUNDLED)
    assert [hit.code for hit in checker.check({**article, "quality": -1}, {})] == ["S004"]
    assert checker._fast is None
    asked: List[Any] = []
    checker.proves_valid = counting(checker.proves_valid, asked)
    for _ in range(3):
        assert checker.check(article, {}) == []
    assert len(asked) == 3


def test_the_same_findings_with_and_without_the_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the subset proves nothing the engines answer as before: same findings, messages
    and positions on every file (the invalid fixtures among them), the subset asked first
    for each (not only for a run's first files)."""
    monkeypatch.setattr(SchemaChecker, "_subset_pays", lambda self: True)
    with_subset, without = Linter(), Linter()
    without._schema = SchemaChecker(BUNDLED, subset=False)
    reference = Linter()
    reference._schema = SchemaChecker(BUNDLED, accelerate=False)
    invalid = 0
    for path in every_article():
        if path.is_file():
            data = path.read_bytes()
            found = with_subset.lint_bytes(str(path), data).findings
            assert (
                found == without.lint_bytes(str(path), data).findings == reference.lint_bytes(str(path), data).findings
            )
            invalid += any(finding.code.startswith("S") for finding in found)
    assert invalid >= 10


def test_the_same_schema_hits_on_mutated_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SchemaChecker, "_subset_pays", lambda self: True)
    article = data_of((EXAMPLES / "_news" / "2024-03-11-robotics-library.md").read_bytes())
    with_subset = SchemaChecker(BUNDLED)
    reference = SchemaChecker(BUNDLED, accelerate=False)
    differs = 0
    for mutant in mutants(article):
        if not _string_keys(mutant):
            continue  # the parser makes keys text (the reference's messages assume it)
        hits = with_subset.check(mutant, {})
        assert hits == reference.check(mutant, {}), mutant
        differs += bool(hits)
    assert differs > 500


def _string_keys(data: Any) -> bool:
    return all(type(key) is str for _, node in _nodes(data) if isinstance(node, dict) for key in node)


FAN_OUT = """
import json, sys
from linter.validate.format_checks import light_formats
from linter.validate.subset import compile_subset
defs = {f"d{i}": {"type": "object", "additionalProperties": False,
                  "properties": {"x": {"$ref": f"#/$defs/d{i + 1}"}, "y": {"$ref": f"#/$defs/d{i + 1}"}}}
        for i in range(40)}
defs["d40"] = {"type": "string"}
proves = compile_subset({"$ref": "#/$defs/d0", "$defs": defs}, light_formats())
print(proves is not None and proves({"x": {"y": {}}}) and not proves({"x": {"y": 1}}))
"""


def test_a_schema_whose_references_fan_out_is_read_in_linear_time() -> None:
    """A user's schema where each definition names the next twice: reading it must not take
    2**40 steps (a hang here is caught by the timeout)."""
    proc = subprocess.run([sys.executable, "-c", FAN_OUT], capture_output=True, text=True, timeout=60)
    assert proc.stdout == "True\n", proc.stderr

"""The fast block reader answers exactly what the reference parser answers, or not at all.

Three parsers read a frontmatter block: ``yamlparse.parse`` (libyaml's events, the
reference), the block-subset reader in Python (``blockparse.read_python``) and the same
reader compiled (``blockparse.read_native``). Wherever the Python reader answers, its result
must equal the reference's: data with exact types, marks, raw texts, problems. The compiled
reader must answer exactly when the Python one does, with the same result.
"""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

import pytest
import yaml
from conftest import EXAMPLES, FIXTURES, SHARED, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.engine import Linter
from linter.parse import blockreader as blockparse
from linter.parse.events import parse as reference
from linter.parse.frontmatter import Frontmatter, decode, split
from linter.parse.scalars import MAX_SIMPLE_KEY, RESOLVERS, construct, resolve
from linter.parse.types import Limits, Parsed
from linter.redact import Secrets
from linter.settings import Settings

LIMITS = Limits()


def typed(value: Any) -> Any:
    """A value with its exact types spelled out (1, True and 1.0 are equal in Python)."""
    if isinstance(value, dict):
        return ("map", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def canon(parsed: Optional[Parsed]) -> Any:
    if parsed is None:
        return None
    marks = list(parsed.marks.items())
    raw, jekyll = list(parsed.raw.items()), list(parsed.jekyll.items())
    return typed(parsed.data), marks, raw, jekyll, parsed.problems, sorted(parsed.suppressed, key=repr)


def answer(read: Any, text: str, limits: Limits = LIMITS) -> Any:
    try:
        parsed = read(text, limits)
    except blockparse._Outside:
        return None
    if parsed is not None:
        secrets_as_collected(parsed, text)
    return canon(parsed)


def secrets_as_collected(parsed: Parsed, text: str) -> None:
    """A fast reader's answer carries its text, and the secrets found from it
    (``redact._written_once``) are those a walk of the whole data collects."""
    assert parsed.text == text
    walked = Secrets.of(parsed.data, parsed.raw).texts
    assert Secrets.of(parsed.data, parsed.raw, parsed.text).texts == walked, text


#: Which fast reader the installed package has: "compiled" (the test environment builds
#: it), or "python" where tests/test_wheel.py runs these tests on an install built without
#: a C compiler; there the Python reader is checked against the reference alone.
EXPECTED_READER = os.environ.get("LINT_NEWS_EXPECT_READER", "compiled")
FAST_READERS = [blockparse.read_python] + ([blockparse.read_native] if blockparse._native_read is not None else [])


def check(text: str, parsed: Optional[Parsed] = None) -> bool:
    """Assert the three parsers agree on ``text``; True when the fast readers answered.
    (``parsed``: the reference's result when the caller has it already.)"""
    python = answer(blockparse.read_python, text)
    for read in FAST_READERS[1:]:
        assert answer(read, text) == python, text
    if python is not None:
        assert python == canon(parsed or reference(text, LIMITS)), text
    return python is not None


class _TextTimestamps(yaml.CSafeLoader):
    """PyYAML's safe loader on libyaml, with timestamps kept as the text written (as
    lint-news keeps them: date formats are checked on what was written)."""


_TextTimestamps.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)
#: Problems after which lint-news's data may differ from PyYAML's: syntax and limits, keys
#: (duplicate, not strings), tags, merge keys, scalars PyYAML cannot construct.
_DATA_IN_DOUBT = ("E", "Y003", "Y006")


def check_with_pyyaml(text: str) -> bool:
    """``check``, and the reference against PyYAML itself: where PyYAML refuses the text,
    lint-news reports a problem; where lint-news reports nothing that puts the data in
    doubt, PyYAML loads exactly the same data (types and float bits included)."""
    parsed = reference(text, LIMITS)
    answered = check(text, parsed)
    try:
        loaded = yaml.load(text, Loader=_TextTimestamps)
    except (yaml.YAMLError, ValueError, OverflowError):
        assert parsed.problems, f"PyYAML refuses {text!r}; lint-news reports nothing"
        return answered
    if not any(problem.code.startswith(_DATA_IN_DOUBT) for problem in parsed.problems):
        assert typed(parsed.data) == typed(loaded), text
    return answered


def test_the_compiled_reader_is_built() -> None:
    """The test environment builds it (CI has a C compiler); without it nothing below would
    compare it. The tool itself works without it (see test_python_reader_alone_gives_the_same_findings
    and tests/test_wheel.py, which runs these tests on such an install)."""
    assert EXPECTED_READER in ("compiled", "python")
    assert (blockparse._native_read is not None) == (EXPECTED_READER == "compiled")


# -- every article we have -------------------------------------------------------------


def _blocks(root: Path) -> Iterator[Tuple[Path, str]]:
    for path in sorted(root.rglob("*")):
        text = decode(path.read_bytes()) if path.is_file() else None
        block = split(text) if isinstance(text, str) else None
        if isinstance(block, Frontmatter):
            yield path, block.yaml_text


SOURCES = [("examples", EXAMPLES, 2), ("fixtures", FIXTURES, 100)]
if SHARED.is_dir():
    SOURCES += [("real", SHARED / "corpus" / "real", 2400), ("generic", SHARED / "corpus" / "generic", 1000)]
    SOURCES += [("seeds", SHARED / "seeds", 2)]


@pytest.mark.parametrize("root,least", [(root, least) for _, root, least in SOURCES], ids=[s[0] for s in SOURCES])
def test_same_result_on_every_article(root: Path, least: int) -> None:
    """Each source also shows that the fast path is taken: at least ``least`` answers."""
    answered = sum(check(text) for _, text in _blocks(root))
    assert answered >= least


# -- documented edges: what the subset leaves to the reference -------------------------

LEFT_TO_REFERENCE = [
    "a:\n- x",  # an indentless list
    "a: 1\na: 2",  # a duplicate key
    "yes: 1",  # a key that YAML 1.1 reads as a boolean
    "a: [1, 2]",  # a flow collection
    "a: &x 1\nb: *x",  # anchors and aliases
    "a: !!str 1",  # a tag
    "a: |\n  x",  # a block scalar
    "a: x\n  y",  # a plain scalar over two lines
    'a: "x\n  y"',  # a quoted scalar over two lines
    'a: "\\q"',  # an escape YAML does not have
    'a: "\\ud800"',  # a surrogate escape libyaml refuses
    "a: x: y",  # a mapping where a scalar was expected
    "a:\tx",  # a tab
    "a: \u2028",  # a YAML 1.1 line break
    "- a",  # a list at the top
    "  a: 1",  # an indented top mapping
    "",  # nothing
    "a:\n  - - x",  # a list right inside a list
    "a:\n  -",  # an empty entry
    "a: 0x_",  # a number that cannot be converted
    "a: <<",  # a merge key as a value
    "---\na: 1",  # a document marker
]


@pytest.mark.parametrize("text", LEFT_TO_REFERENCE)
def test_outside_the_subset(text: str) -> None:
    assert not check(text)


INSIDE = [
    ("a:", {"a": None}, (0, 0, 0, 2)),  # libyaml puts an empty value right after the ':'
    ("a: 'it''s' # c", {"a": "it's"}, (0, 0, 0, 3)),
    ('a: "\\u00e9\\"\\x41"', {"a": 'é"A'}, (0, 0, 0, 3)),
    ("a:   -1", {"a": -1}, (0, 0, 0, 5)),
    ("a: 2023-05-29T23:00:00Z", {"a": "2023-05-29T23:00:00Z"}, (0, 0, 0, 3)),  # dates stay text
    ("a: http://x/#y", {"a": "http://x/#y"}, (0, 0, 0, 3)),
    ("a: x #y", {"a": "x"}, (0, 0, 0, 3)),
]


@pytest.mark.parametrize("text,data,mark", INSIDE)
def test_inside_the_subset(text: str, data: Any, mark: Tuple[int, ...]) -> None:
    assert check(text)
    parsed = blockparse.read_python(text, LIMITS)
    assert parsed is not None and typed(parsed.data) == typed(data) and parsed.marks[("a",)] == mark


def test_limits_hand_over_to_the_reference() -> None:
    """Near the depth or node limit the reference decides (it reports E008 itself)."""
    deep = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(10)) + " " * 20 + "v: 1"
    for read in FAST_READERS:
        assert answer(read, deep) is not None
        assert answer(read, deep, Limits(max_depth=5)) is None
        assert answer(read, "a: 1\nb: 2", Limits(max_nodes=6)) is None
        assert answer(read, "a: 1\nb: 2", Limits(max_nodes=11)) is not None


def test_deep_lists_of_mappings_stay_inside() -> None:
    """A line may open two collections ('key:' then '- key:' deeper): the compiled reader's
    stack is sized for that (a review found it giving up here while Python answered)."""
    chain = "".join(" " * (1 + 3 * i) + f"- k{i}:\n" for i in range(30))
    assert check("a:\n" + chain + " " * 91 + "- x")
    assert check("a:\n - b:\n    - c:\n       - d: 1")


def test_huge_limits_mean_no_limit() -> None:
    huge = Limits(max_depth=10**30, max_nodes=10**30)
    for read in FAST_READERS:
        assert answer(read, "a: 1\nb:\n  - c", huge) == answer(read, "a: 1\nb:\n  - c")


class _Unsure:
    def __bool__(self) -> bool:
        raise ValueError("no answer")


def test_a_failing_callback_raises_its_own_error() -> None:
    assert blockparse._native_read is not None
    args = (64, 50_000, blockparse._RESOLVED_FIRST, lambda text: (text, _Unsure()), blockparse._unescape)
    with pytest.raises(ValueError, match="no answer"):
        blockparse._native_read("a: 1.5", *args)


# -- parity with PyYAML: keys over libyaml's limit, '=' and '<<' values, base-60 floats -----

LONG = "k" * (MAX_SIMPLE_KEY + 1)
LONG_KEY_TEXTS = [
    LONG + ": x",  # the first key: "mapping values are not allowed in this context"
    "a: 1\n" + LONG + ": x",  # a later key: "could not find expected ':'"
    "a:\n  - " + LONG + ": x",  # a key in a list item
    "a: 1\n" + LONG + ":\n  b: 1",  # a key whose value is on the next lines
    "a:\n  b: 1\n  " + LONG + ": 2",  # an indented key
]


@pytest.mark.parametrize("text", LONG_KEY_TEXTS, ids=[str(i) for i in range(len(LONG_KEY_TEXTS))])
def test_a_key_longer_than_libyaml_takes_is_left_to_the_reference(text: str) -> None:
    """libyaml and PyYAML refuse an implicit key over 1024 characters; so must lint-news,
    on every path: both fast readers give up, and the reference reports E003."""
    for read in FAST_READERS:
        assert answer(read, text) is None
    assert not check_with_pyyaml(text)
    assert [p.code for p in reference(text, LIMITS).problems] == ["E003"]
    with pytest.raises(yaml.YAMLError):
        yaml.load(text, Loader=yaml.CSafeLoader)


def test_a_key_of_1024_characters_stays_inside() -> None:
    for text in ("k" * MAX_SIMPLE_KEY + ": x", "a:\n  - " + "k" * MAX_SIMPLE_KEY + ":\n      b: 1"):
        assert check_with_pyyaml(text)


def _article_with_long_key(suppressed: bool) -> bytes:
    lines = (EXAMPLES / "_news" / "2024-03-11-robotics-library.md").read_text(encoding="utf-8").split("\n")
    comment = "  # lint-news: ignore[S003]" if suppressed else ""
    lines.insert(3, LONG + ": x" + comment)  # file line 4
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize("native", [True, False], ids=["compiled", "python"])
def test_a_long_key_with_s003_ignored_still_fails(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #11: the fast readers took the key, so ignoring S003 let the file pass though
    PyYAML, Jekyll and every libyaml reader refuse it. Now it is E003 where libyaml says."""
    if not native:
        monkeypatch.setattr(blockparse, "_native_read", None)
    expected = [("E003", 4, 1)]
    for data, chosen in (
        (_article_with_long_key(False), Settings(ignore=("S003",))),
        (_article_with_long_key(True), Settings()),
    ):
        findings = Linter(chosen).lint_bytes("_news/2024-03-11-long-key.md", data).findings
        assert [(f.code, f.line, f.col) for f in findings] == expected
        assert "could not find expected ':'" in findings[0].message


def test_a_long_key_with_s003_ignored_fails_on_the_command_line() -> None:
    run = run_cli("--no-cache", "--isolated", "--ignore", "S003", "-", stdin=_article_with_long_key(False))
    assert run.rc == 1 and ":4:1: E003 " in run.out


#: (text, where Y006 is reported, 0-based (line, col) of the YAML text)
INDICATOR_VALUES = [
    ("a: =", [(0, 3)]),
    ("a: <<", [(0, 3)]),
    ("a: = # c", [(0, 3)]),
    ("a:\n  - =\n  - x\n  - <<", [(1, 4), (3, 4)]),
    ("a:\n  b: =", [(1, 5)]),
    ("- a: =", [(0, 5)]),  # a list at the top (E004 later): Y006 all the same
    ("a: [=, <<]", [(0, 4), (0, 7)]),
    ("a: {b: =}", [(0, 7)]),
    ("a: ! =", [(0, 3)]),  # the non-specific tag '!' resolves as a plain scalar does
]


@pytest.mark.parametrize("text,where", INDICATOR_VALUES)
def test_plain_indicator_values_are_y006_on_every_path(text: str, where: List[Tuple[int, int]]) -> None:
    """PyYAML's safe loaders cannot construct a plain '=' or '<<' value (tags value and
    merge): the fast readers leave them to the reference, which reports Y006 where they are."""
    with pytest.raises(yaml.constructor.ConstructorError, match="could not determine a constructor"):
        yaml.safe_load(text)
    for read in FAST_READERS:
        assert answer(read, text) is None
    found = [p for p in reference(text, LIMITS).problems if p.code == "Y006"]
    assert [(p.line, p.col) for p in found] == where
    assert all(p.message.endswith("PyYAML's loaders refuse the file; quote it") for p in found)


@pytest.mark.parametrize("text", ["a: '='", 'a: "<<"', "=: x", "a: ==", "a: <<x", "a: x =", "<<: {b: 1}", "a: =x"])
def test_quoted_keys_and_longer_texts_are_not_y006(text: str) -> None:
    yaml.safe_load(text)  # PyYAML reads these
    assert not [p for p in reference(text, LIMITS).problems if p.code == "Y006"]


def test_y006_is_the_same_with_either_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / "invalid" / "Y006-indicator-values.md"
    compiled = Linter().lint_path(str(path)).findings
    monkeypatch.setattr(blockparse, "_native_read", None)
    assert Linter().lint_path(str(path)).findings == compiled
    assert [(f.code, f.line, f.col) for f in compiled] == [("Y006", 4, 10), ("Y006", 15, 5)]


def _sexagesimal(rng: random.Random, fraction: bool) -> str:
    """A base-60 integer or float as YAML 1.1 writes it: sign, a first part of any size
    (underscores allowed), parts of 0 to 59 (one or two digits), a fraction of 0-17 digits."""
    first = str(rng.randint(1, 10 ** rng.randint(1, 7)))
    if rng.random() < 0.05:
        first = first[:1] + "_" + first[1:]
    parts = [first] + [str(rng.randint(0, 59)).zfill(rng.choice([1, 2])) for _ in range(rng.randint(1, 4))]
    text = rng.choice(["", "", "-", "+"]) + ":".join(parts)
    if fraction:
        text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 17)))
    return text


def _summed_from_the_first(text: str) -> float:
    """The formula lint-news used before: total * 60 + part, from the first part."""
    sign = -1.0 if text[0] == "-" else 1.0
    total = 0.0
    for part in text.lstrip("+-").replace("_", "").split(":"):
        total = total * 60 + float(part)
    return sign * total


def test_base_60_numbers_are_read_bit_for_bit_as_pyyaml_reads_them() -> None:
    """Issue #11: PyYAML sums digit * 60**k from the last part; summed from the first, about
    one float in a thousand differs in the last bit. Both of PyYAML's safe loaders, on
    thousands of generated numbers, among them such floats."""
    rng = random.Random(60)
    texts = [_sexagesimal(rng, fraction) for fraction in [True] * 6000 + [False] * 1000]
    document = "".join(f"- {text}\n" for text in texts)
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        loaded = yaml.load(document, Loader=loader)
        assert [typed(construct(resolve(text), text)) for text in texts] == [typed(value) for value in loaded]
    floats = [text for text in texts if "." in text]
    differing = [text for text in floats if _summed_from_the_first(text) != construct(resolve(text), text)]
    assert len(differing) >= 2, "the generator no longer reaches the floats the old formula got wrong"


def test_a_base_60_float_beyond_the_float_range_is_e003() -> None:
    """PyYAML raises OverflowError on it (60 ** 200 is no float); lint-news reports it."""
    text = "a: 1" + ":0" * 200 + ".5"
    with pytest.raises(OverflowError):
        yaml.load(text, Loader=yaml.CSafeLoader)
    assert [p.code for p in reference(text, LIMITS).problems] == ["E003"]
    assert not check(text)


# -- generated documents -----------------------------------------------------------------

KEYS = ["a", "b", "title", "a-b", "_x", "x1", "url", "c"]
SCALARS = [
    "x", "x y", "1", "-1", "0x1F", "017", "1_000", "1:30", "1e3", ".inf", "-.nan", "yes", "No", "~", "null",
    "true", "2023-05-29", "2023-05-29T23:00:00Z", "=", "<<", "é", "x\u00a0", '"q"', '"a\\"b"', '"\\n\\t"',
    '"\\u00e9"', '"\\x4"', '"\\ud800"', '"\\z"', "'s'", "'it''s'", "''", '""', "'", '"', "-", "- x", "-x",
    "?", "? x", "?x", ":x", ": x", "a: b", "a:", "a:b", "#c", "x #c", "x#c", "[1]", "{a: 1}", "&a x", "*a",
    "!!str x", "!x y", "|", ">", "%x", "@x", "`x", ",x", "x,y", "\t", "x\ty", "x\u2028y", "x\x85", "\ufeff",
    "x\x00", "https://a.b/c?d=e#f", "", " ", "x  ", '"x"  # c', '"x"#c', "'x' y",
    # single characters and pairs that YAML gives a meaning of their own
    ":", "!", "&", "*", "[", "]", "{", "}", "#", ",", "%", "@", "`", "<", ">>", "==", "=x", "<<x", "~x", "- -",
    "!!", "? ", "-:", "=:", "<<:",
    # spellings the compiled reader types itself, and near misses it leaves to Python
    "0", "-0", "+7", "00", "tRUE", "FALSE", "Null", "NULL", "nULL", "On", "y", "nope", "trueish", "123456789012345678",
    "1234567890123456789", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2023-05-29T24:00:00Z",
]  # fmt: skip
#: Keys at libyaml's length limit for an implicit key, and just over it.
LONG_KEYS = ["k" * (MAX_SIMPLE_KEY - 1), "k" * MAX_SIMPLE_KEY, "k" * (MAX_SIMPLE_KEY + 1), "_" * (MAX_SIMPLE_KEY + 9)]
#: What articles mostly hold, so that most generated documents stay inside the subset.
COMMON = ["x", "x y", "1", "-1", '"q x"', "'s'", "https://a.b/c", "true", "2023-05-29T23:00:00Z", '"a\\"b"']


#: Base-60 numbers (``4:35:0.01``), integers and floats, made once: drawn from a list, they
#: cost the generator nothing (drawing their parts one by one tripled its time).
_RANDOM = random.Random(1960)
SEXAGESIMALS = [_sexagesimal(_RANDOM, index % 4 != 0) for index in range(3000)]


@st.composite
def documents(draw: Any) -> str:
    """Block-style documents shaped like articles (nested mappings, lists of scalars and of
    mappings, blank and comment lines), with tricky scalars and keys (base-60 numbers, YAML
    indicators, keys at libyaml's length limit) and, now and then, a line moved left or right
    by one column."""
    common = st.sampled_from(COMMON)
    scalar = st.one_of(common, common, common, common, st.sampled_from(SCALARS), st.sampled_from(SEXAGESIMALS))
    good = st.sampled_from(KEYS * 25 + LONG_KEYS)  # a long key in about one document of ten
    key = st.one_of(good, good, good, good, st.sampled_from(["yes", "Null", "on"]))
    space = st.sampled_from([" ", " ", "  "])

    def block(indent: int, depth: int) -> List[str]:
        lines: List[str] = []
        for name in draw(st.lists(key, min_size=1, max_size=4, unique=draw(st.integers(0, 9)) > 0)):
            kind = draw(st.sampled_from(["scalar", "scalar", "empty", "map", "list"] if depth < 3 else ["scalar"]))
            head = " " * indent + name + ":"
            if kind == "scalar":
                lines.append(head + draw(space) + draw(scalar))
            elif kind == "empty":
                lines.append(head)
            elif kind == "map":
                lines += [head] + block(indent + draw(st.sampled_from([1, 2, 4])), depth + 1)
            else:
                lines += [head] + items(indent + draw(st.sampled_from([0, 2, 2, 2, 3])), depth + 1)
        return lines

    def items(indent: int, depth: int) -> List[str]:
        lines: List[str] = []
        for _ in range(draw(st.integers(1, 3))):
            dash = " " * indent + draw(st.sampled_from(["- ", "-  "]))
            if draw(st.booleans()):
                lines.append(dash + draw(scalar))
            else:
                inner = block(len(dash), depth + 1)
                lines += [dash + inner[0][len(dash) :]] + inner[1:]
        return lines

    lines = block(0, 0)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines) - 1))
        lines.insert(at, draw(st.sampled_from(["", "  ", "# note", "  # note"])))
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] = lines[at][1:] if lines[at][:1] == " " and draw(st.booleans()) else " " + lines[at]
    return "\n".join(lines)


@settings(max_examples=4000, derandomize=True, deadline=None, database=None)
@given(documents())
def test_same_result_on_generated_documents(text: str) -> None:
    check_with_pyyaml(text)


def _valid_text() -> str:
    path = EXAMPLES / "_news" / "2024-03-11-robotics-library.md"
    block = split(decode(path.read_bytes()))  # type: ignore[arg-type]
    assert isinstance(block, Frontmatter)
    return block.yaml_text


VALID = _valid_text()
EDITS = [" ", "-", ":", "#", '"', "'", "\\", "\n", "x", "1", "\t", "[", "&", "é", "  ", "- ", ": "]


@settings(max_examples=3000, derandomize=True, deadline=None, database=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 3), st.sampled_from(EDITS)), max_size=4))
def test_same_result_on_edited_articles(edits: List[Tuple[int, int, str]]) -> None:
    """A valid article with characters inserted, deleted or replaced here and there."""
    text = VALID
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut :]
    check_with_pyyaml(text)


def test_python_reader_alone_gives_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the compiled reader (a machine without a C compiler) nothing changes."""
    paths = [p for root in (EXAMPLES, FIXTURES) for p in sorted(root.rglob("*.md"))]
    compiled = [Linter().lint_path(str(p)).findings for p in paths]
    monkeypatch.setattr(blockparse, "_native_read", None)
    assert [Linter().lint_path(str(p)).findings for p in paths] == compiled
    assert sum(map(len, compiled)) > 100


# -- plain scalars the compiled reader types itself ----------------------------------------


def _cases(word: str) -> List[str]:
    """Every spelling of a word in upper and lower case ('on', 'oN', 'On', 'ON')."""
    spellings = [""]
    for char in word:
        spellings = [head + variant for head in spellings for variant in {char.lower(), char.upper()}]
    return spellings


#: What the compiled reader types without asking Python: decimal integers of up to 18
#: digits, true/false/null as YAML 1.1 spells them, UTC date-times on real days, the empty
#: scalar, and words that only look like booleans or null. Each must read as the Python
#: reader reads it, without the callback.
TYPED_IN_C = [
    "0", "-0", "+0", "1", "-1", "+1", "7", "42", "-250", "+99", "123456789012345678", "-999999999999999999",
    "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "",
    "2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "2023-12-31T19:05:00Z", "0000-02-29T00:00:00Z",
    "news", "article", "Fedrat Casttres", "nylda.com", "tech", "Yesterday", "nope", "offline", "off-line", "on-air",
    "trues", "nulls", "ye", "y", "n", "N", "o", "Tru", "fals", "onn", "nul", "o.k", "yes!", "no1", "True story",
    "ON\u00a0", "nö", "tÜe", "t\u0130ue", "Ok \U0001f600", "f_",
]  # fmt: skip
#: Near misses the compiled reader leaves to Python (which types or refuses them).
WORDS = ("yes", "no", "on", "off", "true", "false", "null")
ASKED_OF_PYTHON = (
    [case for word in WORDS for case in _cases(word) if case not in TYPED_IN_C]
    + ["~", "00", "01", "-01", "0x1F", "0o17", "0b11", "017", "1_000", "1,000", "+", "-", "1e3", "1.0", "-1.5", ".5"]
    + ["1234567890123456789", "-1234567890123456789", "12345678901234567890123", "9" * 1001, "1:30", "1:30.5"]
    + ["2023-02-29T12:00:00Z", "1900-02-29T12:00:00Z", "2023-04-31T12:00:00Z", "2023-00-10T12:00:00Z"]
    + ["2023-13-10T12:00:00Z", "2023-05-00T12:00:00Z", "2023-05-29T24:00:00Z", "2023-05-29T23:60:00Z"]
    + ["2023-05-29T23:00:60Z", "2023-05-29t23:00:00Z", "2023-05-29T23:00:00z", "2023-05-29T23:00:00.5Z"]
    + ["2023-05-29T23:00:00+01:00", "2023-05-29 23:00:00", "2023-05-29", "2023-5-29T23:00:00Z", "12:30"]
    + ["-.inf", ".nan", "_x", ":x", "=", "<<", "1 2", "12 monkeys", "3D", "2024 elections", "-1 x", "+ 1"]
)
PLAIN_SPELLINGS = TYPED_IN_C + ASKED_OF_PYTHON


def _in_documents(spelling: str) -> List[str]:
    value = spelling.encode("ascii").decode("unicode_escape") if "\\" in spelling else spelling
    return [f"a: {value}", f"a:   {value}  # c", f"a:\n  - {value}\n  - x", f"a:\n  - b: {value}", f"{value}: 1"]


@pytest.mark.parametrize("spelling", PLAIN_SPELLINGS)
def test_plain_spellings_read_alike_on_every_path(spelling: str) -> None:
    """As a value, a list item and a key: both fast readers and the reference agree, and
    with PyYAML (the compiled reader types these in C or asks Python: a divergence fails)."""
    for text in _in_documents(spelling):
        check_with_pyyaml(text)


def test_the_compiled_reader_types_common_spellings_itself() -> None:
    """The callback runs only for the uncommon spellings: for the common ones it would cost
    a Python call per scalar (about 26 an article)."""
    assert blockparse._native_read is not None
    asked: List[str] = []

    def plain(text: str) -> Tuple[Any, bool]:
        asked.append(text)
        return blockparse._plain(text)

    # (a lone '-' is an entry indicator: it leaves the subset before any typing)
    reaching = [spelling for spelling in ASKED_OF_PYTHON if spelling != "-"]
    for spellings, expected in ((TYPED_IN_C, []), (ASKED_OF_PYTHON, reaching)):
        asked.clear()
        for spelling in spellings:
            with contextlib.suppress(blockparse._Outside):  # '=', '<<', 1,001 digits
                read = blockparse._native_read
                read(f"a: {spelling}", 64, 50_000, blockparse._RESOLVED_FIRST, plain, blockparse._unescape)
        assert asked == expected


def test_resolver_table_is_pyyaml_s() -> None:
    """The YAML 1.1 table kept in yamlscalars (so that articles are read without importing
    PyYAML) is exactly the installed PyYAML's: first characters, tags, patterns, flags."""

    def spelled(table: Any) -> Any:
        return {first: [(tag, rx.pattern, rx.flags) for tag, rx in rows] for first, rows in table.items()}

    assert spelled(RESOLVERS) == spelled(yaml.resolver.Resolver.yaml_implicit_resolvers)


IMPORTS = """
import sys
from linter.cli import main
code = main(["--no-cache", "--quiet", sys.argv[1]])
heavy = ("yaml", "jsonschema", "jsonschema_rs", "dataclasses", "inspect", "shutil", "difflib", "traceback",
         "pickle", "multiprocessing", "rfc3339_validator", "tomllib", "html",
         "argparse", "gettext", "locale", "unicodedata",
         "linter.docs", "linter.fix", "linter.server", "linter.api", "linter.batch.cache")
print(code, sorted(name for name in heavy if name in sys.modules))
"""


def test_a_valid_article_needs_neither_pyyaml_nor_a_validator(tmp_path: Path) -> None:
    """Start-up cost: the block reader and the schema subset (``linter.validate.subset``)
    handle a valid article alone, without jsonschema or jsonschema-rs (36 ms to import), and
    nothing else heavy is imported on the way (see the README's design section). Alone:
    beside the examples' defective articles the check across files (A001) reads them too,
    and one of those needs PyYAML to be reported. Run in a folder without a configuration
    file (tomllib is imported only to read one; so is pathlib, which this test cannot see:
    the editable install's finder imports it at start-up)."""
    example = EXAMPLES / "_news" / "2024-03-11-robotics-library.md"
    article = tmp_path / "_news" / example.name
    article.parent.mkdir()
    article.write_bytes(example.read_bytes())
    # Not measured by coverage (pytest --cov), which imports some of these modules itself.
    unmeasured = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_PROCESS")}
    command = [sys.executable, "-c", IMPORTS, str(article)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=unmeasured, cwd=tmp_path)
    assert out.stdout.split("\n")[0] == "0 []"

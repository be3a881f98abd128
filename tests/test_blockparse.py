"""The fast block reader answers exactly what the reference parser answers, or not at all.

Three parsers read a frontmatter block: ``yamlparse.parse`` (libyaml's events, the
reference), the block-subset reader in Python (``blockparse.read_python``) and the same
reader compiled (``blockparse.read_native``). Wherever the Python reader answers, its result
must equal the reference's: data with exact types, marks, raw texts, problems. The compiled
reader must answer exactly when the Python one does, with the same result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

import pytest
import yaml
from conftest import EXAMPLES, FIXTURES, SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.engine import Linter
from linter.parse import blockreader as blockparse
from linter.parse.events import parse as reference
from linter.parse.frontmatter import Frontmatter, decode, split
from linter.parse.scalars import RESOLVERS
from linter.parse.types import Limits, Parsed

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
        return canon(read(text, limits))
    except blockparse._Outside:
        return None


#: Which fast reader the installed package has: "compiled" (the test environment builds
#: it), or "python" where tests/test_wheel.py runs these tests on an install built without
#: a C compiler; there the Python reader is checked against the reference alone.
EXPECTED_READER = os.environ.get("LINT_NEWS_EXPECT_READER", "compiled")
FAST_READERS = [blockparse.read_python] + ([blockparse.read_native] if blockparse._native_read is not None else [])


def check(text: str) -> bool:
    """Assert the three parsers agree on ``text``; True when the fast readers answered."""
    python = answer(blockparse.read_python, text)
    for read in FAST_READERS[1:]:
        assert answer(read, text) == python, text
    if python is not None:
        assert python == canon(reference(text, LIMITS)), text
    return python is not None


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
    args = (64, 50_000, blockparse._RESOLVED_FIRST, blockparse._plain, lambda key: _Unsure(), blockparse._unescape)
    with pytest.raises(ValueError, match="no answer"):
        blockparse._native_read("yes_: x", *args)


# -- generated documents -----------------------------------------------------------------

KEYS = ["a", "b", "title", "a-b", "_x", "x1", "url", "c"]
SCALARS = [
    "x", "x y", "1", "-1", "0x1F", "017", "1_000", "1:30", "1e3", ".inf", "-.nan", "yes", "No", "~", "null",
    "true", "2023-05-29", "2023-05-29T23:00:00Z", "=", "<<", "é", "x\u00a0", '"q"', '"a\\"b"', '"\\n\\t"',
    '"\\u00e9"', '"\\x4"', '"\\ud800"', '"\\z"', "'s'", "'it''s'", "''", '""', "'", '"', "-", "- x", "-x",
    "?", "? x", "?x", ":x", ": x", "a: b", "a:", "a:b", "#c", "x #c", "x#c", "[1]", "{a: 1}", "&a x", "*a",
    "!!str x", "!x y", "|", ">", "%x", "@x", "`x", ",x", "x,y", "\t", "x\ty", "x\u2028y", "x\x85", "\ufeff",
    "x\x00", "https://a.b/c?d=e#f", "", " ", "x  ", '"x"  # c', '"x"#c', "'x' y",
]  # fmt: skip
#: What articles mostly hold, so that most generated documents stay inside the subset.
COMMON = ["x", "x y", "1", "-1", '"q x"', "'s'", "https://a.b/c", "true", "2023-05-29T23:00:00Z", '"a\\"b"']


@st.composite
def documents(draw: Any) -> str:
    """Block-style documents shaped like articles (nested mappings, lists of scalars and of
    mappings, blank and comment lines), with tricky scalars and, now and then, a line moved
    left or right by one column."""
    common = st.sampled_from(COMMON)
    scalar = st.one_of(common, common, common, common, st.sampled_from(SCALARS))
    good = st.sampled_from(KEYS)
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
    check(text)


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
    check(text)


def test_python_reader_alone_gives_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the compiled reader (a machine without a C compiler) nothing changes."""
    paths = [p for root in (EXAMPLES, FIXTURES) for p in sorted(root.rglob("*.md"))]
    compiled = [Linter().lint_path(str(p)).findings for p in paths]
    monkeypatch.setattr(blockparse, "_native_read", None)
    assert [Linter().lint_path(str(p)).findings for p in paths] == compiled
    assert sum(map(len, compiled)) > 100


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
heavy = ("yaml", "jsonschema", "dataclasses", "inspect", "shutil", "difflib", "traceback",
         "pickle", "multiprocessing", "rfc3339_validator")
print(code, sorted(name for name in heavy if name in sys.modules))
"""


def test_a_valid_article_needs_neither_pyyaml_nor_jsonschema() -> None:
    """Start-up cost: the block reader and the accelerator handle a valid article alone,
    and nothing else heavy is imported on the way (see the README's design section)."""
    article = EXAMPLES / "_news" / "2024-03-11-robotics-library.md"
    out = subprocess.run([sys.executable, "-c", IMPORTS, str(article)], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "0 []"

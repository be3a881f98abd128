"""Meta tests of the registry: every rule function written is run, every code is documented.

Each check here is a function with a test of its own that feeds it a broken case, so a
check that could never fail would show.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
import types
from typing import Any, List

import pytest

from linter import registry, rules
from linter.rules.base import Rule

#: The sections every code's documentation has, in this order.
SECTIONS = ("Why", "Example", "Fix")


def rule_modules() -> List[types.ModuleType]:
    """Every module in ``linter/rules/``, those the registry's discovery skips included."""
    names = sorted(info.name for info in pkgutil.iter_modules(rules.__path__))
    return [importlib.import_module(f"linter.rules.{name}") for name in names]


def unregistered(module: types.ModuleType) -> List[str]:
    """Names in ``module`` of checks the registry does not run: a ``Rule`` missing from
    ``registry.CHECKS``, or a function shaped like a check that ``@rule`` never wrapped."""
    running = {rule.check for rule in registry.CHECKS}
    found = []
    for name, value in vars(module).items():
        if isinstance(value, Rule):
            lost = value.check not in running
        else:
            lost = inspect.isfunction(value) and value.__module__ == module.__name__ and _shaped_like_check(value)
        if lost:
            found.append(name)
    return found


def _shaped_like_check(function: types.FunctionType) -> bool:
    """Yields ``Hit`` values, or takes a ``Context`` and returns an iterator: what only a
    check does (the walks that rules share take a ``Context`` too, and return lists)."""
    signature = inspect.signature(function)
    takes_context = any(_spelled(p.annotation) == "Context" for p in signature.parameters.values())
    returns = _spelled(signature.return_annotation)
    return re.search(r"\bHit\b", returns) is not None or (takes_context and "Iterator" in returns)


def _spelled(annotation: Any) -> str:
    """An annotation as written ("" where there is none): every module of the package has
    ``from __future__ import annotations`` (``tests/test_quality.py``), so a string."""
    return annotation if isinstance(annotation, str) else ""


def missing_sections(doc: str) -> List[str]:
    """The sections of ``SECTIONS`` that ``doc`` lacks as paragraphs, or has out of order."""
    starts = [re.search(rf"(?:\A|\n\n)\*\*{name}\*\*[ :(]", doc) for name in SECTIONS]
    missing = [name for name, start in zip(SECTIONS, starts) if start is None]
    places = [start.start() for start in starts if start is not None]
    if not missing and places != sorted(places):
        return ["order of " + ", ".join(SECTIONS)]
    return missing


@pytest.mark.parametrize("module", rule_modules(), ids=lambda module: module.__name__)
def test_every_check_in_the_rules_folder_is_registered(module: types.ModuleType) -> None:
    assert unregistered(module) == []


def test_the_registry_runs_exactly_the_rules_of_the_rules_folder() -> None:
    written = {
        value.info.code for module in rule_modules() for value in vars(module).values() if isinstance(value, Rule)
    }
    assert written == {rule.info.code for rule in registry.CHECKS}
    assert written <= set(registry.RULES)


def quoted_by_hand(source: str) -> List[str]:
    """Lines of ``source`` that quote a value in a message themselves (``'{value}'``) instead
    of through ``linter.values.shown``, which cuts, escapes and hides secrets."""
    return [line.strip() for line in source.splitlines() if re.search(r"f[\"'].*'\{", line)]


@pytest.mark.parametrize("module", rule_modules(), ids=lambda module: module.__name__)
def test_rules_quote_values_through_one_helper(module: types.ModuleType) -> None:
    assert quoted_by_hand(inspect.getsource(module)) == []


def test_a_value_quoted_by_hand_is_found() -> None:
    source = """yield Hit(path, f"topic '{topic}' repeats")\nyield Hit(path, f"topic {shown(topic, path)}")"""
    assert quoted_by_hand(source) == ["""yield Hit(path, f"topic '{topic}' repeats")"""]


def test_a_check_written_but_not_registered_is_found() -> None:
    module = types.ModuleType("linter.rules.draft")
    source = '''
from __future__ import annotations

from linter.rules.base import Context, Hit, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, List

    from linter.rules.base import Article

def forgotten(article: Article, context: Context) -> Iterator[Hit]:
    yield Hit(("title",), "never run")

def forgotten_untyped_hits(article: Article, context: Context) -> Iterator[Any]:
    yield Hit(("title",), "never run")

def shared_walk(article: Article, context: Context) -> List[str]:
    return []

@rule("Z001", "never-collected")
def collected_nowhere(article: Article, context: Context) -> Iterator[Hit]:
    """Not in a module the registry reads."""
    yield Hit(("title",), "never run")

def helper(article: Article) -> list:
    return []
'''
    sys.modules[module.__name__] = module
    try:
        exec(compile(source, "draft.py", "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    assert unregistered(module) == ["forgotten", "forgotten_untyped_hits", "collected_nowhere"]


@pytest.mark.parametrize("code", sorted(registry.RULES))
def test_every_code_has_why_example_and_fix(code: str) -> None:
    assert missing_sections(registry.RULES[code].doc) == []


@pytest.mark.parametrize(
    ("doc", "missing"),
    [
        pytest.param("Summary.\n\n**Why**: a.\n\n**Fix**: c.", ["Example"], id="no-example"),
        pytest.param("Summary.\n\n**Example** (fails): b.\n\n**Fix**: c.", ["Why"], id="no-why"),
        pytest.param("Summary.\n\nWhy **Why**: a. **Example**: b.\n\n**Fix**: c.", ["Why", "Example"], id="inline"),
        pytest.param(
            "Summary.\n\n**Fix**: c.\n\n**Why**: a.\n\n**Example**: b.", ["order of Why, Example, Fix"], id="order"
        ),
        pytest.param("Summary.\n\n**Why**: a.\n\n**Example**: b.\n\n**Fix**: c.", [], id="complete"),
    ],
)
def test_a_missing_section_is_found(doc: str, missing: List[str]) -> None:
    assert missing_sections(doc) == missing

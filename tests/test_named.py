"""``linter.named.NamedTuple``: the records of ``typing.NamedTuple`` at the cost of
``collections.namedtuple`` (see the README's design section, "Start-up counts")."""

from __future__ import annotations

import pickle
import typing
from typing import Optional

import pytest

from linter.model import Finding, Severity
from linter.named import NamedTuple


class Point(NamedTuple):
    """A point."""

    x: int
    y: Optional[int] = None
    label: str = ""

    def twice(self) -> Point:
        return self._replace(x=self.x * 2)

    @property
    def first(self) -> int:
        return self.x


class Typed(typing.NamedTuple):
    """A point."""

    x: int
    y: Optional[int] = None
    label: str = ""


def test_a_record_behaves_as_typing_s() -> None:
    ours, theirs = Point(1, label="a"), Typed(1, label="a")
    assert tuple(ours) == tuple(theirs) == (1, None, "a")
    assert Point._fields == Typed._fields
    assert Point._field_defaults == Typed._field_defaults
    assert repr(ours) == repr(theirs).replace("Typed", "Point")
    assert ours == theirs and hash(ours) == hash(theirs)
    assert Point.__doc__ == Typed.__doc__ == "A point."
    assert Point.__qualname__ == "Point" and Point.__module__ == __name__
    assert Point.__annotations__ == {"x": "int", "y": "Optional[int]", "label": "str"}  # never evaluated
    assert ours._asdict() == theirs._asdict()
    assert isinstance(ours, tuple) and issubclass(Point, tuple)


def test_a_record_keeps_its_methods_and_properties() -> None:
    assert Point(3).twice() == Point(6)
    assert Point(3).first == 3
    with pytest.raises(AttributeError):
        Point(3).x = 4  # type: ignore[misc]


def test_a_record_pickles() -> None:
    finding = Finding("a.md", 3, 7, "E003", "duplicate anchor '&a'", Severity.ERROR)
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert pickle.loads(pickle.dumps(Point(1, 2))) == Point(1, 2)


def test_a_field_without_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):

        class Broken(NamedTuple):
            a: int = 1
            b: int


def test_a_body_without_annotations_dict_goes_to_typing() -> None:
    """Python 3.14 without the ``__future__`` import evaluates annotations lazily (PEP 649)
    and a class body holds no ``__annotations__``: typing's own class machinery makes it."""
    made = type(NamedTuple)("Lazy", (NamedTuple,), {"__module__": __name__, "__qualname__": "Lazy", "k": 1})
    assert issubclass(made, tuple) and made._fields == () and made.k == 1
    assert made.__module__ == __name__ and made() == ()

"""``NamedTuple`` classes at the cost of ``collections.namedtuple``.

Every module writes ``from __future__ import annotations``, so a class's field annotations
are strings, and ``typing.NamedTuple`` compiles each of them into a ``ForwardRef`` when it
makes the class: about 1.4 M instructions a class, and a one-file run (pre-commit's) makes
about twenty of them before it reads its file. The classes made here are the same
``collections.namedtuple``, from the annotations' names and the class body's defaults, with
the body's methods, properties and docstring; the annotations are kept as the strings they
are and never read.

Modules take it at run time only; type checkers are given ``typing.NamedTuple``::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from linter.named import NamedTuple
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Tuple

#: What ``collections.namedtuple`` makes itself (the class body's other names are kept).
_OWN = frozenset(("__module__", "__qualname__", "__annotations__"))


class _Maker(type):
    def __new__(mcs, name: str, bases: Tuple[type, ...], namespace: Dict[str, Any]) -> Any:
        if not bases:  # the base class itself
            return super().__new__(mcs, name, bases, namespace)
        if "__annotations__" not in namespace:  # lazily evaluated annotations (PEP 649)
            import typing

            base = typing.NamedTuple.__mro_entries__((typing.NamedTuple,))[0]  # type: ignore[attr-defined]
            return type(base)(name, (base,), namespace)
        fields = list(namespace["__annotations__"])
        defaults = [namespace[field] for field in fields if field in namespace]
        if any(field not in namespace for field in fields[len(fields) - len(defaults) :]):
            raise TypeError(f"{name}: a field without a default follows one with a default")
        made = collections.namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])  # type: ignore[misc]
        for key, value in namespace.items():
            if key not in _OWN and key not in fields:
                setattr(made, key, value)
        made.__qualname__ = namespace["__qualname__"]
        made.__annotations__ = dict(namespace["__annotations__"])
        return made


class NamedTuple(metaclass=_Maker):
    """Base class: ``class Point(NamedTuple): x: int; y: int = 0``."""

"""Regular expressions compiled on first use.

Python compiles a pattern with Python code (``re._parser``, ``re._compiler``): compiling
every pattern of lint-news at import took about a sixth of a one-file run's start-up, and a
run needs only some of them (the Jekyll readers' patterns for unusual scalars, the line
patterns of the Python reader when the compiled one is installed, the HTML rules' patterns
for text with a '<'). A ``LazyPattern`` compiles on its first use; from then on its
methods are the compiled pattern's own bound methods, kept as attributes, so a use costs
what a compiled pattern's costs.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, List, Optional


class LazyPattern:
    """``re.compile(pattern, flags)``, done on the first use of any attribute."""

    __slots__ = ("_args", "match", "search", "fullmatch", "sub", "split", "finditer", "findall", "pattern", "flags")

    match: Callable[..., Optional[re.Match[str]]]
    search: Callable[..., Optional[re.Match[str]]]
    fullmatch: Callable[..., Optional[re.Match[str]]]
    sub: Callable[..., str]
    split: Callable[..., List[Any]]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., List[Any]]
    pattern: str
    flags: int

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only while not compiled: then every slot is set
        if name == "_args":
            raise AttributeError(name)
        compiled = re.compile(*self._args)
        for attribute in LazyPattern.__slots__[1:]:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """A pattern compiled when first used (see the module's docstring)."""
    return LazyPattern(pattern, flags)

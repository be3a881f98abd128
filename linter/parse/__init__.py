"""Layer 1, the YAML subsystem: a frontmatter's text to plain data with a mark per node.

The rest of lint-news enters it through ``parse(text, limits) -> Parsed`` alone (and
``frontmatter`` for the fences before it). Inside: ``types`` (what it returns),
``blockreader`` (the fast reader of block-style articles, compiled from ``_blockreader.c``),
``events`` (the reference parser on libyaml's events, for everything else), ``scalars``
(YAML 1.1's plain scalars and Jekyll's two readers of them) and ``source`` (the file's lines
with every ``secured`` value hidden, for ``--show-source``).
"""

from linter.parse.blockreader import parse
from linter.parse.types import Limits, Parsed

__all__ = ["Limits", "Parsed", "parse"]

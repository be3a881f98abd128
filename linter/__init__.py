"""lint-news: a linter and validator for news articles with YAML frontmatter.

The Python API (see the README) is loaded on first use, so ``import linter`` costs
almost nothing: ``linter.lint_text``, ``linter.lint_paths``, ``linter.load_config``,
``linter.Finding`` and ``linter.Config``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"
__all__ = ["Config", "Finding", "__version__", "lint_paths", "lint_text", "load_config"]

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from linter import api

        return getattr(api, name)
    raise AttributeError(f"module 'linter' has no attribute {name!r}")

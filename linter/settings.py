"""Resolved settings for one run: which codes, what severity, which limits and options.

``linter.config`` builds this from files and flags; the engine only reads it.
"""

from __future__ import annotations

import fnmatch
from functools import lru_cache

from linter.model import Severity
from linter.parse.types import Limits
from linter.rules.base import Options

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple, Optional, Tuple
else:
    from linter.named import NamedTuple

DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024


class Settings(NamedTuple):
    """Everything that changes what a run reports. Hashable, so it can key the cache."""

    select: Tuple[str, ...] = ("",)  # code prefixes; "" selects everything
    ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    severities: Tuple[Tuple[str, Severity], ...] = ()
    options: Options = Options()
    limits: Limits = Limits()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    schema_path: Optional[str] = None
    report_unused_suppressions: bool = False

    def enabled(self, code: str, path: str) -> bool:
        """Whether ``code`` is reported for the file at ``path`` (most specific prefix wins)."""
        return _selected(self.select, self.ignore, code) and not (
            self.per_file_ignores and self._ignored_for(code, path)
        )

    def selected(self, code: str) -> bool:
        """Whether ``code`` is reported for some file (``per-file-ignores`` aside)."""
        return _selected(self.select, self.ignore, code)

    def _ignored_for(self, code: str, path: str) -> bool:
        posix = path.replace("\\", "/")
        return any(
            any(code.startswith(prefix) for prefix in prefixes) and _glob_match(posix, pattern)
            for pattern, prefixes in self.per_file_ignores
        )

    def severity(self, code: str, default: Severity) -> Severity:
        chosen = default
        best = -1
        for prefix, severity in self.severities:
            if code.startswith(prefix) and len(prefix) > best:
                chosen, best = severity, len(prefix)
        return chosen


@lru_cache(maxsize=1024)  # asked for every rule of every file
def _selected(select: Tuple[str, ...], ignore: Tuple[str, ...], code: str) -> bool:
    chosen = max((len(p) for p in select if code.startswith(p)), default=-1)
    ignored = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return chosen > ignored


def _glob_match(path: str, pattern: str) -> bool:
    """Match a glob against the path or any of its trailing parts (like flake8/ruff)."""
    if fnmatch.fnmatchcase(path, pattern):
        return True
    parts = path.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[i:]), pattern) for i in range(1, len(parts)))

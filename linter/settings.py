"""Resolved settings for one run: which codes, what severity, which limits and options.

``linter.config`` builds this from files and flags; the engine only reads it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

from .model import Severity
from .rulebase import Options
from .yamlscalars import Limits

DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
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
    _memo: Dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def enabled(self, code: str, path: str) -> bool:
        """Whether ``code`` is reported for the file at ``path`` (most specific prefix wins)."""
        selected = self._memo.get(code)
        if selected is None:
            selected = self._memo[code] = self._enabled(code)
        return selected and not (self.per_file_ignores and self._ignored_for(code, path))

    def _enabled(self, code: str) -> bool:
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected > ignored

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


def _glob_match(path: str, pattern: str) -> bool:
    """Match a glob against the path or any of its trailing parts (like flake8/ruff)."""
    if fnmatch.fnmatchcase(path, pattern):
        return True
    parts = path.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[i:]), pattern) for i in range(1, len(parts)))

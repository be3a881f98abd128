"""Which files a run checks: named files as they are, directories walked for articles."""

from __future__ import annotations

import fnmatch
import os
from typing import Iterator, List, Sequence, Tuple

DEFAULT_INCLUDE = ("*.md", "*.markdown")
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", "node_modules", "_site", ".venv", "venv", ".tox", ".lint-news-cache")


def discover(
    paths: Sequence[str], include: Sequence[str] = DEFAULT_INCLUDE, exclude: Sequence[str] = DEFAULT_EXCLUDE
) -> Iterator[Tuple[str, str]]:
    """Yield (path, "") for each file to check, or (path, why) for a path that is unusable.

    Named files are checked whatever their name; directories are walked in sorted order,
    without following symbolic links to directories found inside them, so a link loop
    cannot trap the walk. A directory named here is walked even through a link: the user
    asked for it, and following one named link cannot loop.
    """
    for path in paths:
        if path == "-":
            yield path, ""
        elif os.path.isdir(path):
            yield from _walk(path, include, exclude)
        elif os.path.lexists(path):
            yield path, ""
        else:
            yield path, "no such file or directory"


def _walk(root: str, include: Sequence[str], exclude: Sequence[str]) -> Iterator[Tuple[str, str]]:
    errors: List[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not _excluded(os.path.join(folder, d), d, exclude))
        for name in sorted(files):
            full = os.path.join(folder, name)
            if _matches(name, full, include) and not _excluded(full, name, exclude):
                yield full, ""
        while errors:
            error = errors.pop()
            yield str(error.filename or folder), f"cannot read directory: {error.strerror}"


def _matches(name: str, full: str, patterns: Sequence[str]) -> bool:
    posix = full.replace(os.sep, "/")
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(posix, p) for p in patterns)


def _excluded(full: str, name: str, patterns: Sequence[str]) -> bool:
    return _matches(name, full, patterns) or any(
        fnmatch.fnmatchcase(full.replace(os.sep, "/"), f"*/{p}") for p in patterns
    )

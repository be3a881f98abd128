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

    Named files are checked whatever their name; directories are walked (see ``_walk``)
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
    """Depth first, subdirectories in sorted order. A directory's files are yielded as the
    file system lists them, while it is read: a folder of 100,000 articles is never held as
    a list (every report is sorted, so the order does not show)."""
    folders = [root]
    while folders:
        folder = folders.pop()
        inner: List[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if _is_dir(entry):
                        # Links to directories inside the tree are not followed: no loops.
                        if not entry.is_symlink() and not _excluded(entry.path, entry.name, exclude):
                            inner.append(entry.path)
                    elif _matches(entry.name, entry.path, include) and not _excluded(entry.path, entry.name, exclude):
                        yield entry.path, ""
        except OSError as error:
            yield str(error.filename or folder), f"cannot read directory: {error.strerror}"
        folders.extend(sorted(inner, reverse=True))


def _is_dir(entry: os.DirEntry) -> bool:  # type: ignore[type-arg]
    try:
        return entry.is_dir()
    except OSError:  # as os.walk does: what cannot be examined is not walked into
        return False


def _matches(name: str, full: str, patterns: Sequence[str]) -> bool:
    posix = full.replace(os.sep, "/")
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(posix, p) for p in patterns)


def _excluded(full: str, name: str, patterns: Sequence[str]) -> bool:
    return _matches(name, full, patterns) or any(
        fnmatch.fnmatchcase(full.replace(os.sep, "/"), f"*/{p}") for p in patterns
    )

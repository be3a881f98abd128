"""Which files a run checks: named files as they are, directories walked for articles."""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Iterator, List, Sequence, Tuple

DEFAULT_INCLUDE = ("*.md", "*.markdown")
#: Version control, dependencies (Jekyll's ``vendor/bundle`` holds gems' READMEs), build
#: output and tool folders; documented in the README.
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "vendor",
    "_site",
    ".venv",
    "venv",
    ".tox",
    ".lint-news-cache",
)


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
    wanted, unwanted = _Globs(include), _Globs(exclude, anywhere=True)
    folders = [root]
    while folders:
        folder = folders.pop()
        inner: List[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if _is_dir(entry):
                        # Links to directories inside the tree are not followed: no loops.
                        if not entry.is_symlink() and not unwanted.match(entry.name, entry.path):
                            inner.append(entry.path)
                    elif wanted.match(entry.name, entry.path) and not unwanted.match(entry.name, entry.path):
                        yield entry.path, ""
        except OSError as error:
            yield str(error.filename or folder), f"cannot read directory: {error.strerror}"
        folders.extend(sorted(inner, reverse=True))


def _is_dir(entry: os.DirEntry) -> bool:  # type: ignore[type-arg]
    try:
        return entry.is_dir()
    except OSError:  # as os.walk does: what cannot be examined is not walked into
        return False


class _Globs:
    """Glob patterns matched against a name or its whole path (and, with ``anywhere``, any
    trailing part of the path), compiled into one regex: the walk asks for every file."""

    def __init__(self, patterns: Sequence[str], anywhere: bool = False) -> None:
        globs = list(patterns) + ([f"*/{p}" for p in patterns] if anywhere else [])
        self.regex = re.compile("|".join(fnmatch.translate(g) for g in globs)) if globs else None

    def match(self, name: str, full: str) -> bool:
        if self.regex is None:
            return False
        return bool(self.regex.match(name) or self.regex.match(full.replace(os.sep, "/")))

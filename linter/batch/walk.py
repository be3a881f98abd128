"""Which files a run checks: named files as they are, directories walked for articles."""

from __future__ import annotations

import fnmatch
import os

from linter.regex import lazy
from linter.safepath import Roots, Unreadable, link_problem, named_problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, FrozenSet, Iterator, List, Optional, Sequence, Tuple

DEFAULT_INCLUDE = ("*.md", "*.markdown")
_SPECIAL = frozenset("*?[")
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
) -> Iterator[Tuple[str, Optional[Unreadable]]]:
    """Yield (path, None) for each file to check, or (path, why) for a path that is not read.

    Named files are checked whatever their name; directories are walked (see ``_walk``)
    without following symbolic links to directories found inside them, so a link loop
    cannot trap the walk. A named link (to a file or a directory, or a folder on the way:
    ``dirlink/``, ``dirlink/x.md``) is followed only to a target inside the current folder;
    a link met in the walk only to a regular file inside the folder walked
    (``linter.safepath``). Nothing refused here is ever opened.
    """
    here = Roots([os.path.realpath(os.curdir)])
    for path in paths:
        refused = None if path == "-" else named_problem(path, here)
        if path == "-":
            yield path, None
        elif refused is not None:
            yield path, refused
        elif os.path.isdir(path):
            yield from _walk(path, include, exclude)
        elif os.path.lexists(path):
            yield path, None
        else:
            yield path, Unreadable("E010", "no such file or directory")


def walked_folders(paths: Sequence[str]) -> List[str]:
    """The folders ``discover`` walks (absolute, as named): each file below them that the
    patterns take is found."""
    here = Roots([os.path.realpath(os.curdir)])
    return [
        os.path.abspath(path)
        for path in paths
        if path != "-" and named_problem(path, here) is None and os.path.isdir(path)
    ]


def _walk(root: str, include: Sequence[str], exclude: Sequence[str]) -> Iterator[Tuple[str, Optional[Unreadable]]]:
    """Depth first, subdirectories in sorted order. A directory's files are yielded as the
    file system lists them, while it is read: a folder of 100,000 articles is never held as
    a list (every report is sorted, so the order does not show)."""
    wanted, unwanted = Globs(include), Globs(exclude, anywhere=True)
    take = _chooser(wanted, unwanted)
    suffixes = _suffixes_alone(wanted, unwanted)
    folders = [root]
    while folders:
        folder = folders.pop()
        inner: List[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:  # as os.walk does: what cannot be examined is not walked into
                        is_dir = False
                    if is_dir:
                        # Links to directories inside the tree are not followed: no loops.
                        if not entry.is_symlink() and not unwanted.match(entry.name, entry.path):
                            inner.append(entry.path)
                    elif entry.name.endswith(suffixes) if suffixes is not None else take(entry.name, entry.path):
                        # A regular file, the usual case, is known from the listing alone.
                        yield entry.path, None if entry.is_file(follow_symlinks=False) else _file_problem(entry, root)
        except OSError as error:
            yield str(error.filename or folder), Unreadable("E010", f"cannot read directory: {error.strerror}")
        folders.extend(sorted(inner, reverse=True))


def _chooser(wanted: Globs, unwanted: Globs) -> Callable[[str, str], bool]:
    """Whether a file is checked: for the usual patterns (suffixes in, literal names out)
    one expression on the name, else both patterns."""
    if wanted.suffixes is not None and unwanted.names is not None:
        suffixes, names = wanted.suffixes, unwanted.names
        return lambda name, path: name.endswith(suffixes) and name not in names
    return lambda name, path: wanted.match(name, path) and not unwanted.match(name, path)


def _suffixes_alone(wanted: Globs, unwanted: Globs) -> Optional[Tuple[str, ...]]:
    """The wanted suffixes when they alone decide (no excluded name ends with one: the
    usual ``*.md`` and folder names), so the walk asks ``endswith`` and calls nothing."""
    if wanted.suffixes is None or unwanted.names is None:
        return None
    suffixes = wanted.suffixes
    return None if any(name.endswith(suffixes) for name in unwanted.names) else suffixes


def _file_problem(entry: os.DirEntry, root: str) -> Optional[Unreadable]:  # type: ignore[type-arg]
    """Why a walked file is not read: a link leaving ``root`` or to no regular file, or a
    FIFO, socket or device (opening a device can have effects of its own)."""
    try:
        if entry.is_symlink():
            return link_problem(entry.path, root)
    except OSError:
        return None  # the reader says what is wrong with it
    return Unreadable("E010", "cannot read: not a regular file")


class Globs:
    """Glob patterns matched against a name or its whole path (and, with ``anywhere``, any
    trailing part of the path), compiled into one regex: the walk asks for every file."""

    def __init__(self, patterns: Sequence[str], anywhere: bool = False) -> None:
        globs = list(patterns) + ([f"*/{p}" for p in patterns] if anywhere else [])
        # Compiled on first use: the usual patterns never need it (5 M instructions a start).
        self.regex = lazy("|".join(fnmatch.translate(g) for g in globs)) if globs else None
        # The usual patterns, answered without a regex: the full path of a walked file is
        # its folder, a separator and its name, so for literal names (".git") and "*.md"
        # suffixes the name alone decides, as the regex would.
        literal = [p for p in patterns if "/" not in p and not _SPECIAL.intersection(p)]
        suffixes = [p[1:] for p in patterns if p[:1] == "*" and "/" not in p and not _SPECIAL.intersection(p[1:])]
        self.names = frozenset(literal) if patterns and len(literal) == len(patterns) else None
        self.suffixes = tuple(suffixes) if patterns and len(suffixes) == len(patterns) else None
        self._quick: Optional[Tuple[Optional[FrozenSet[bytes]], Optional[Tuple[bytes, ...]]]] = None

    def quick_bytes(self) -> Optional[Tuple[Optional[FrozenSet[bytes]], Optional[Tuple[bytes, ...]]]]:
        """The literal names or suffixes as bytes (the archive's listing reads bytes), when
        the name alone decides; None when the patterns need the regex."""
        if self.regex is None:
            return None, None
        if self.names is None and self.suffixes is None:
            return None
        if self._quick is None:
            names = frozenset(os.fsencode(n) for n in self.names) if self.names is not None else None
            suffixes = tuple(os.fsencode(s) for s in self.suffixes) if self.suffixes is not None else None
            self._quick = (names, suffixes)
        return self._quick

    def match_bytes(self, name: bytes) -> bool:
        """``match`` for a file name as bytes, when ``quick_bytes`` is not None."""
        names, suffixes = self.quick_bytes() or (None, None)
        if names is not None:
            return name in names
        return suffixes is not None and name.endswith(suffixes)

    def match(self, name: str, full: str) -> bool:
        if self.regex is None:
            return False
        if self.names is not None:
            return name in self.names
        if self.suffixes is not None:
            return name.endswith(self.suffixes)
        return bool(self.regex.match(name) or self.regex.match(full.replace(os.sep, "/")))

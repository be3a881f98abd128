"""Result cache: unchanged files are not parsed again.

An entry is keyed on the file's bytes, its name (D002 reads the date in it; the whole path
when ``per-file-ignores`` may match on folders), the settings, the schema text and the tool
version, so any change to one of them misses. Entries are small JSON files written
atomically (temporary file + rename), so concurrent runs and crashed runs never leave a
half-written entry that a later run would trust. A clean file's entry is an empty file
whose name says so: one stat answers, and there is nothing in it to tear.

Default folder: ``.lint-news-cache/`` in the working directory, or ``$LINT_NEWS_CACHE_DIR``,
or ``cache-dir`` in the configuration, or ``--cache-dir``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from typing import Any, List, Optional, Set

from . import __version__
from .engine import FileResult
from .model import Finding, Severity
from .output import write_atomic
from .settings import Settings

DEFAULT_DIR = ".lint-news-cache"
#: Suffix of a clean file's entry (an empty file), beside where its findings would be.
_CLEAN = "-clean"
_TAG = "CACHEDIR.TAG"
_TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# lint-news result cache; safe to delete.\n"
#: Written only into a folder lint-news creates, so ``cache-dir = "."`` cannot hide a project.
_GITIGNORE = ".gitignore"
_GITIGNORE_TEXT = "# Created by lint-news automatically.\n*\n"


def default_dir() -> str:
    return os.environ.get("LINT_NEWS_CACHE_DIR") or DEFAULT_DIR


class Cache:
    """Findings by content key, under ``folder/v1/<settings hash>/``."""

    def __init__(self, folder: str, settings: Settings, schema_text: str) -> None:
        salt = json.dumps([__version__, repr(settings), hashlib.sha256(schema_text.encode()).hexdigest()])
        self.salt = hashlib.sha256(salt.encode()).hexdigest()[:16]
        self.folder = os.path.join(folder, "v1", self.salt)
        self.root = folder
        self.ready = False
        self.folders: Set[str] = set()
        self.whole_path = bool(settings.per_file_ignores)

    def key(self, name: str, data: bytes) -> str:
        shown = name if self.whole_path else os.path.basename(name)
        digest = hashlib.blake2b(data, digest_size=20)
        digest.update(b"\0" + shown.encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def get(self, key: str, path: str) -> Optional[FileResult]:
        entry = self._entry(key)
        if os.path.isfile(entry + _CLEAN):
            return FileResult(path)  # a clean file: one stat, nothing to read
        try:
            with open(entry, "rb") as handle:
                rows = json.loads(handle.read())
        except (OSError, ValueError):
            return None
        try:
            return FileResult(path, [_finding(path, row) for row in rows])
        except (TypeError, ValueError, KeyError):
            return None  # an entry from a broken write: treat as a miss

    def put(self, key: str, result: FileResult) -> None:
        if result.failed:
            return  # tool trouble is never remembered
        rows = [_row(f) for f in result.findings]
        entry = self._entry(key)
        try:
            self._prepare()
            folder = os.path.dirname(entry)
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            if rows:
                write_atomic(entry, json.dumps(rows, separators=(",", ":")).encode())
            else:
                _touch(entry + _CLEAN)
        except OSError:
            pass  # a read-only or full disk makes the cache useless, not the run wrong

    def _entry(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key[2:])

    def _prepare(self) -> None:
        if self.ready:
            return
        created = not os.path.exists(self.root)
        os.makedirs(self.folder, exist_ok=True)
        if created:
            write_atomic(os.path.join(self.root, _GITIGNORE), _GITIGNORE_TEXT.encode())
        tag = os.path.join(self.root, _TAG)
        if not os.path.exists(tag):
            write_atomic(tag, _TAG_TEXT.encode())
        self.ready = True


def _touch(entry: str) -> None:
    """A clean file's entry: its existence is the whole answer, so nothing written can be
    torn (a crash can lose it, which is a miss). Created exclusively, so a planted link is
    not followed; one already there says the same."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(entry, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666))


def _row(f: Finding) -> List[Any]:
    return [f.line, f.col, f.code, f.message, f.severity.value, f.name, list(f.data_path), f.hint]


def _finding(path: str, row: List[Any]) -> Finding:
    line, col, code, message, severity, name, data_path, hint = row
    return Finding(
        path, int(line), int(col), str(code), str(message), Severity(severity), str(name), tuple(data_path), str(hint)
    )

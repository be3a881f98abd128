"""Result cache: unchanged files are not parsed again.

An entry is keyed on the file's bytes, its name (D002 reads the date in it; the whole path
when ``per-file-ignores`` may match on folders), the settings, the schema text and the tool
version, so any change to one of them misses.

- A file with findings has an entry of its own: a small JSON file written atomically
  (temporary file + rename), so concurrent runs and crashed runs never leave a
  half-written entry that a later run would trust.
- A clean file (most of an archive) is a 20-byte key appended to a log, one log per
  process. Creating a file per clean article cost more than linting it on some file
  systems; an append costs a write. The first lookup reads every log: a few lookups
  (pre-commit's one or two files) search their bytes, more make them a set (a parallel
  run makes it before its workers start, and they inherit it). A torn last
  record (a crash, a run still writing) is ignored: a record is whole or not read. When
  there are more than ``_MERGE_AT`` logs, the reader writes their union as one log
  (atomically) and deletes them.

Default folder: ``.lint-news-cache/`` in the working directory, or ``$LINT_NEWS_CACHE_DIR``,
or ``cache-dir`` in the configuration, or ``--cache-dir``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from typing import Any, List, Optional, Set

from linter import __version__
from linter.engine import FileResult
from linter.model import Finding, Severity
from linter.report.terminal import write_atomic
from linter.settings import Settings

DEFAULT_DIR = ".lint-news-cache"
#: The layout's version: a folder of its own, so another layout's entries are never read.
_LAYOUT = "v2"
#: Logs of clean files' keys, in the settings' folder: ``clean-<pid>-<random>``.
_LOG = "clean-"
_KEY_SIZE = 20
_MERGE_AT = 16
#: Lookups answered by searching the logs' bytes before they are made into a set.
_SEARCHED_LOOKUPS = 8
_TAG = "CACHEDIR.TAG"
_TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# lint-news result cache; safe to delete.\n"
#: Written only into a folder lint-news creates, so ``cache-dir = "."`` cannot hide a project.
_GITIGNORE = ".gitignore"
_GITIGNORE_TEXT = "# Created by lint-news automatically.\n*\n"


def default_dir() -> str:
    return os.environ.get("LINT_NEWS_CACHE_DIR") or DEFAULT_DIR


class Cache:
    """Findings by content key, under ``folder/v2/<settings hash>/``."""

    def __init__(self, folder: str, settings: Settings, schema_text: str) -> None:
        salt = json.dumps([__version__, repr(settings), hashlib.sha256(schema_text.encode()).hexdigest()])
        self.salt = hashlib.sha256(salt.encode()).hexdigest()[:16]
        self.folder = os.path.join(folder, _LAYOUT, self.salt)
        self.root = folder
        self.ready = False
        self.folders: Set[str] = set()
        self.whole_path = bool(settings.per_file_ignores)
        self.logs: Optional[List[bytes]] = None  # the logs' whole records, read on the first lookup
        self.clean: Optional[Set[bytes]] = None  # the same as a set, once lookups are many
        self.lookups = 0
        self.log: Optional[int] = None  # this process's log (a worker opens its own)
        self.log_pid = 0

    def read_all(self) -> None:
        """Before worker processes start: the logs are read (and merged) once, here, and
        every worker inherits the set."""
        self.clean = _key_set(self._read_logs())

    def key(self, name: str, data: bytes) -> bytes:
        shown = name if self.whole_path else os.path.basename(name)
        digest = hashlib.blake2b(data, digest_size=_KEY_SIZE)
        digest.update(b"\0" + shown.encode("utf-8", "surrogateescape"))
        return digest.digest()  # a log's record as it is; an entry's name in hex

    def get(self, key: bytes, path: str) -> Optional[FileResult]:
        if self._is_clean(key):
            return FileResult(path)
        entry = self._entry(key)
        try:
            with open(entry, "rb") as handle:
                rows = json.loads(handle.read())
        except (OSError, ValueError):
            return None
        try:
            return FileResult(path, [_finding(path, row) for row in rows])
        except (TypeError, ValueError, KeyError):
            return None  # an entry from a broken write: treat as a miss

    def put(self, key: bytes, result: FileResult) -> None:
        if result.failed:
            return  # tool trouble is never remembered
        try:
            self._prepare()
            if result.findings:
                self._write_entry(key, [_row(f) for f in result.findings])
            else:
                self._append(key)
        except OSError:
            pass  # a read-only or full disk makes the cache useless, not the run wrong

    def _write_entry(self, key: bytes, rows: List[List[Any]]) -> None:
        entry = self._entry(key)
        folder = os.path.dirname(entry)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        write_atomic(entry, json.dumps(rows, separators=(",", ":")).encode())

    def _append(self, record: bytes) -> None:
        """One write per clean file, unbuffered: nothing is lost when a worker exits."""
        if self.log_pid != os.getpid():  # the first clean file of this process
            self.log_pid = os.getpid()
            self.log = _open_log(self._new_log())
        if self.log is not None and os.write(self.log, record) != len(record):
            os.close(self.log)  # a short write (full disk): stop here, so no record is torn
            self.log = None

    def _is_clean(self, record: bytes) -> bool:
        """Whether ``record`` is in a log. The first few lookups search the logs' bytes
        (pre-commit's one or two files need no set of the whole archive); after that, a set."""
        if self.clean is None:
            if self.logs is None:
                self.logs = self._read_logs()
            self.lookups += 1
            if self.lookups <= _SEARCHED_LOOKUPS:
                return any(_holds(log, record) for log in self.logs)
            self.clean, self.logs = _key_set(self.logs), None
        return record in self.clean

    def _read_logs(self) -> List[bytes]:
        try:
            # a dot: a merge's temporary file, not yet whole
            names = [name for name in os.listdir(self.folder) if name.startswith(_LOG) and "." not in name]
        except OSError:
            return []
        logs = []
        for name in names:
            try:
                with open(os.path.join(self.folder, name), "rb") as handle:
                    data = handle.read()
            except OSError:
                continue  # merged away by another run meanwhile: a miss at worst
            logs.append(data[: len(data) - len(data) % _KEY_SIZE])  # a torn last record is not read
        if len(names) > _MERGE_AT:
            logs = [self._merge(logs, names)]
        return logs

    def _merge(self, logs: List[bytes], names: List[str]) -> bytes:
        """One log for many; a run still appending to one of them loses the rest of its
        records, which is a miss next time, never a wrong answer."""
        merged = b"".join(sorted(_key_set(logs)))
        try:
            write_atomic(self._new_log(), merged)
        except OSError:
            return merged
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.folder, name))
        return merged

    def _entry(self, key: bytes) -> str:
        name = key.hex()
        return os.path.join(self.folder, name[:2], name[2:])

    def _new_log(self) -> str:
        return os.path.join(self.folder, f"{_LOG}{os.getpid()}-{os.urandom(6).hex()}")

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


def _key_set(logs: List[bytes]) -> Set[bytes]:
    return {log[start : start + _KEY_SIZE] for log in logs for start in range(0, len(log), _KEY_SIZE)}


def _holds(log: bytes, record: bytes) -> bool:
    """Whether ``record`` is one of the log's records (found where a record starts)."""
    start = log.find(record)
    while start >= 0 and start % _KEY_SIZE:
        start = log.find(record, start + 1)
    return start >= 0


def _open_log(path: str) -> int:
    """A new log, created exclusively: a planted link is never followed."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o666)


def _row(f: Finding) -> List[Any]:
    return [f.line, f.col, f.code, f.message, f.severity.value, f.name, list(f.data_path), f.hint]


def _finding(path: str, row: List[Any]) -> Finding:
    line, col, code, message, severity, name, data_path, hint = row
    return Finding(
        path, int(line), int(col), str(code), str(message), Severity(severity), str(name), tuple(data_path), str(hint)
    )

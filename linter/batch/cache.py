"""Result cache: unchanged files are not parsed again.

An entry is keyed on the file's bytes, its name (D002 reads the date in it; the whole path
when ``per-file-ignores`` may match on folders), the settings, the schema text and the tool
version, so any change to one of them misses.

Only this user's lint-news can write an entry that a run trusts. A pull request can commit
a cache folder, and every input of a plain hash is public, so keys are MACs under a random
32-byte secret kept in the user's cache directory (``user_secret``), which no repository can
hold. A file's key is HMAC-SHA-256, cut to 20 bytes: hashing every file's bytes is a third of
a warm run, and OpenSSL's SHA-256 (with the CPU's SHA instructions) hashes an article in
about two thirds of the time hashlib's BLAKE2b takes; HMAC, not a prefix-keyed SHA-256, which
length extension would break. Entries are sealed with keyed BLAKE2b (a MAC by design).
Without a usable secret there is no cache. A record or entry that does not verify is a
miss, never an error.

- A file with findings has an entry of its own: its MAC over the key and the rows, then the
  rows as JSON, written atomically (temporary file + rename), so concurrent runs and crashed
  runs never leave a half-written entry that a later run would trust.
- A clean file (most of an archive) is its 20-byte key appended to a log, one log per
  process. Creating a file per clean article cost more than linting it on some file
  systems; an append costs a write. The first lookup reads every log: a few lookups
  (pre-commit's one or two files) search their bytes, more make them a set (a parallel
  run makes it before its workers start, and they inherit it). A torn last
  record (a crash, a run still writing) is ignored: a record is whole or not read. When
  there are more than ``_MERGE_AT`` logs, the reader writes their union as one log
  (atomically) and deletes them.

A warm run does not read or hash an unchanged file at all: ``linter.batch.memo`` keeps,
in the settings folder, a sealed memo of each file's stat signature and findings, and a
file whose ``lstat`` still has that signature is answered from it (``open_memo``; the
racy and Windows rules are there). The entries and logs answer every other file.

Reading is bounded, as the folder may be hostile: files are opened without following a
symbolic link, only regular files are read, never more than a size cap, and the folders
below the cache folder must be real folders (a link there makes the cache unusable: nothing
is read through it, written into it or deleted from it). So must the cache folder itself
when it comes from the checkout (the default, or ``cache-dir`` in a configuration): a
committed ``.lint-news-cache`` link turns the cache off, with a note (``open_cache``). The
memo and the archive index ask the same check (``usable_folders``, ``prepare_folder``).

Default folder: ``.lint-news-cache/`` in the working directory, or ``$LINT_NEWS_CACHE_DIR``,
or ``cache-dir`` in the configuration (only a folder inside the configuration's own folder),
or ``--cache-dir``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat

from linter import __version__, files
from linter.engine import FileResult
from linter.model import Finding, Severity
from linter.registry import RULES
from linter.settings import Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Sequence, Set, Tuple

    from linter.batch.memo import Memo

DEFAULT_DIR = ".lint-news-cache"
#: The layout's version: a folder of its own, so another layout's entries are never read.
_LAYOUT = "v4"
#: Logs of clean files' keys, in the settings' folder: ``clean-<pid>-<random>``.
_LOG = "clean-"
_KEY_SIZE = 20
_MAC_SIZE = 32
_SECRET_SIZE = 32
_MERGE_AT = 16
#: Lookups answered by searching the logs' bytes before they are made into a set.
_SEARCHED_LOOKUPS = 8
#: The most bytes read from one entry, and from all logs together (2.5 million clean files'
#: keys): a hostile folder costs a bounded read, never all the memory.
_ENTRY_CAP = 64 * 1024 * 1024
_LOGS_CAP = 50 * 1024 * 1024
_TAG = "CACHEDIR.TAG"
_TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# lint-news result cache; safe to delete.\n"
#: Written only into a folder lint-news creates, so ``cache-dir = "."`` cannot hide a project.
_GITIGNORE = ".gitignore"
_GITIGNORE_TEXT = "# Created by lint-news automatically.\n*\n"
_SEVERITIES = {severity.value: severity for severity in Severity}  # Severity(value) costs an Enum call
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def default_dir() -> str:
    return os.environ.get("LINT_NEWS_CACHE_DIR") or DEFAULT_DIR


def open_cache(
    folder: str, settings: Settings, schema_text: str, within: Optional[str] = None, checkout: bool = False
) -> Tuple[Optional[Cache], str]:
    """The cache in ``folder``, or None and why not. ``within`` is the folder of the
    configuration file that named ``folder``: a repository's configuration may not make
    lint-news write outside the repository. ``checkout``: the folder comes from the
    checkout (the default one, or ``within``'s), so it must be a real folder or absent: a
    committed link there would have lint-news write and delete wherever it points. A
    folder the user named (``--cache-dir``, ``$LINT_NEWS_CACHE_DIR``) may be a link."""
    if within is not None and not _inside(folder, within):
        return None, f"cache-dir {folder} is outside {within}; the result cache is not used"
    checkout = checkout or within is not None
    if checkout and os.path.lexists(folder) and not real_folder(folder):
        return None, f"cache folder {folder} is a link or not a folder; the result cache is not used"
    secret = user_secret()
    if secret is None:
        return None, ""
    cache = Cache(folder, settings, schema_text, secret)
    cache.real_root = checkout
    return cache, ""


class Cache:
    """Findings by content key, under ``folder/v4/<settings hash>/``."""

    def __init__(self, folder: str, settings: Settings, schema_text: str, secret: bytes) -> None:
        # The registry's codes too: a build that reports a new code (the version of a
        # checkout stays the same from commit to commit) never reads an older build's entries.
        codes = ",".join(RULES)
        salt = json.dumps([__version__, codes, repr(settings), hashlib.sha256(schema_text.encode()).hexdigest()])
        self.salt = hashlib.sha256(salt.encode()).hexdigest()[:32]
        self.folder = os.path.join(folder, _LAYOUT, self.salt)
        self.root = folder
        self.real_root = False  # whether the root itself must be a real folder (``open_cache``)
        # One MAC key per settings folder: a record made under other settings never verifies here.
        self.mac_key = mac_key(secret, self.salt)
        self._secret = secret
        self._keyed = hmac.new(self.mac_key, digestmod=hashlib.sha256)  # its key blocks hashed once
        self.ready = False
        self.usable: Optional[bool] = None  # whether the folders below the root are real folders
        self.folders: Set[str] = set()
        self.whole_path = bool(settings.per_file_ignores)
        self.logs: Optional[List[bytes]] = None  # the logs' whole records, read on the first lookup
        self.clean: Optional[Set[bytes]] = None  # the same as a set, once lookups are many
        self.lookups = 0
        self.log: Optional[int] = None  # this process's log (a worker opens its own)
        self.log_pid = 0
        self.memo: Optional[Memo] = None  # unchanged files' keys by stat signature (``open_memo``)

    def open_memo(self, paths: Sequence[str], started: int) -> None:
        """Answer files by their stat signature (``linter.batch.memo``) in a run over
        ``paths``, begun at ``started`` (before any file was read)."""
        from linter.batch.memo import Memo

        self.memo = Memo(self, paths, started)

    def derived_key(self, purpose: str) -> bytes:
        """A key of this user's secret and these settings for another use (the archive
        index), distinct from the entries' by its purpose: neither verifies the other."""
        return hashlib.blake2b(f"{purpose}\0{self.salt}".encode(), digest_size=_MAC_SIZE, key=self._secret).digest()

    def prepare_folder(self) -> bool:
        """The cache folder and its settings folder made, when they can be: whether files
        may be written in the cache folder (the archive index keeps a folder there too)."""
        try:
            return self._prepare()
        except OSError:
            return False

    def read_all(self) -> None:
        """Before worker processes start: the logs are read (and merged) once, here, and
        every worker inherits the set."""
        self.clean = _key_set(self._read_logs())

    def key(self, name: str, data: bytes) -> bytes:
        shown = name if self.whole_path else _basename(name)
        digest = self._keyed.copy()  # the padded key's blocks were hashed once, not per file
        digest.update(data)
        digest.update(b"\0" + shown.encode("utf-8", "surrogateescape"))
        return digest.digest()[:_KEY_SIZE]  # a log's record as it is; an entry's name in hex

    def get(self, key: bytes, path: str) -> Optional[FileResult]:
        if self._is_clean(key):
            return FileResult(path)
        if not self._usable():
            return None
        payload = unseal(self.mac_key, key, read_bounded(self._entry(key), _ENTRY_CAP))
        if payload is None:
            return None
        try:
            return FileResult(path, [_finding(path, row) for row in json.loads(payload)])
        except (TypeError, ValueError, KeyError, OverflowError, RecursionError):
            return None  # our own writes never fail here; a miss all the same

    def put(self, key: bytes, result: FileResult) -> None:
        if result.failed:
            return  # tool trouble is never remembered
        try:
            if not self._prepare():
                return
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
            if not real_folder(folder, create=True):
                return
            self.folders.add(folder)
        files.write_atomic(entry, seal(self.mac_key, key, json.dumps(rows, separators=(",", ":")).encode()))

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
        if not self._usable():
            return []
        try:
            # a dot: a merge's temporary file, not yet whole
            names = [name for name in os.listdir(self.folder) if name.startswith(_LOG) and "." not in name]
        except OSError:
            return []
        logs, room = [], _LOGS_CAP
        for name in names:
            data = read_bounded(os.path.join(self.folder, name), room)
            if data is None:
                continue  # merged away by another run meanwhile, or not a log: a miss at worst
            room -= len(data)
            logs.append(data[: len(data) - len(data) % _KEY_SIZE])  # a torn last record is not read
        if len(names) > _MERGE_AT:
            logs = [self._merge(logs, names)]
        return logs

    def _merge(self, logs: List[bytes], names: List[str]) -> bytes:
        """One log for many; a run still appending to one of them loses the rest of its
        records, which is a miss next time, never a wrong answer."""
        merged = b"".join(sorted(_key_set(logs)))
        try:
            files.write_atomic(self._new_log(), merged)
        except OSError:
            return merged
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.folder, name))
        return merged

    def _entry(self, key: bytes) -> str:
        name = key.hex()
        return f"{self.folder}{os.sep}{name[:2]}{os.sep}{name[2:]}"  # os.path.join, without its calls

    def _new_log(self) -> str:
        return os.path.join(self.folder, f"{_LOG}{os.getpid()}-{os.urandom(6).hex()}")

    def usable_folders(self) -> bool:
        return self._usable()

    def _usable(self) -> bool:
        """Whether the layout and settings folders (and the root, when it comes from the
        checkout), where they exist, are real folders: a committed link there would have
        lint-news read, write and delete elsewhere. The memo and the archive index ask this
        too, so one check covers every file under the root."""
        if self.usable is None:
            folders = [self.root] if self.real_root else []
            folders += (os.path.dirname(self.folder), self.folder)
            self.usable = all(not os.path.lexists(f) or real_folder(f) for f in folders)
        return self.usable

    def _prepare(self) -> bool:
        if self.ready:
            return True
        if not self._usable():
            return False
        created = not os.path.exists(self.root)
        os.makedirs(self.root, exist_ok=True)
        if created:
            files.write_atomic(os.path.join(self.root, _GITIGNORE), _GITIGNORE_TEXT.encode())
        if not (real_folder(os.path.dirname(self.folder), create=True) and real_folder(self.folder, create=True)):
            self.usable = False
            return False
        tag = os.path.join(self.root, _TAG)
        if not os.path.lexists(tag):
            files.write_atomic(tag, _TAG_TEXT.encode())
        self.ready = True
        return True


def mac_key(secret: bytes, salt: str) -> bytes:
    return hashlib.blake2b(salt.encode(), digest_size=_MAC_SIZE, key=secret).digest()


def seal(key: bytes, record: bytes, payload: bytes) -> bytes:
    """An entry's bytes: the MAC of its key and payload, then the payload."""
    return hashlib.blake2b(record + payload, digest_size=_MAC_SIZE, key=key).digest() + payload


def unseal(key: bytes, record: bytes, data: Optional[bytes]) -> Optional[bytes]:
    """The payload of an entry that ``seal`` made for ``record``; None for anything else."""
    if data is None or len(data) < _MAC_SIZE:
        return None
    mac, payload = data[:_MAC_SIZE], data[_MAC_SIZE:]
    expected = hashlib.blake2b(record + payload, digest_size=_MAC_SIZE, key=key).digest()
    return payload if hmac.compare_digest(mac, expected) else None


def read_bounded(path: str, cap: int, accept: Optional[Callable[[os.stat_result], bool]] = None) -> Optional[bytes]:
    """A regular file's bytes, opened without following a link; None when it is anything
    else (a link, FIFO, device, folder), missing, larger than ``cap`` or not ``accept``-ed:
    a miss."""
    try:
        return files.read_bounded(path, cap, follow=False, accept=accept)
    except files.UnreadableFile:
        return None


def user_secret() -> Optional[bytes]:
    """The random secret that keys this user's cache: ``$XDG_CACHE_HOME/lint-news/key``
    (``~/.cache/lint-news/key``; ``%LOCALAPPDATA%\\lint-news\\key`` on Windows), made on first
    use. None, so no cache, when it cannot be made or is not a regular file of this user's
    that only this user can read."""
    folder = _secret_folder()
    if folder is None:
        return None
    path = os.path.join(folder, "key")
    secret = _read_secret(path)
    if secret is None and not os.path.lexists(path):
        with contextlib.suppress(OSError):
            _make_secret(folder, path)
        secret = _read_secret(path)
    return secret


def _secret_folder() -> Optional[str]:
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA", "")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
            home = os.path.expanduser("~")
            base = os.path.join(home, ".cache") if os.path.isabs(home) else ""
    return os.path.join(base, "lint-news") if base else None


def _read_secret(path: str) -> Optional[bytes]:
    data = read_bounded(path, _SECRET_SIZE, accept=_secret_file)
    return data if data is not None and len(data) == _SECRET_SIZE else None


def _secret_file(info: os.stat_result) -> bool:
    return info.st_size == _SECRET_SIZE and _private(info)


def _private(info: os.stat_result) -> bool:
    """Owned by this user, and no one else may read or write it (Windows: the folder's ACL)."""
    if os.name == "nt":
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & 0o077


def _make_secret(folder: str, path: str) -> None:
    """Written whole under a temporary name, then linked into place: a concurrent first run
    either wins or reads the winner's secret, never a half-written one."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    temp = os.path.join(folder, f"key.{os.getpid()}.{os.urandom(6).hex()}")
    fd = os.open(temp, _CREATE | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_SECRET_SIZE))
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another run made it first: use that one
        except OSError:
            os.rename(temp, path)  # no hard links here (Windows FAT): rename, not replace
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _inside(folder: str, within: str) -> bool:
    real, base = os.path.realpath(folder), os.path.realpath(within)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def real_folder(path: str, create: bool = False) -> bool:
    """Whether ``path`` is a folder itself, not a link to one (made first when asked)."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _basename(path: str) -> str:
    """``os.path.basename`` for the cache key, without its function calls (once a file)."""
    base = path.rpartition(os.sep)[2]
    return base.rpartition(os.altsep)[2] if os.altsep else base


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
    return os.open(path, _CREATE | os.O_APPEND, 0o666)


def _row(f: Finding) -> List[Any]:
    return [f.line, f.col, f.code, f.message, f.severity.value, f.name, list(f.data_path), f.hint, f.fix]


def _finding(path: str, row: List[Any]) -> Finding:
    line, col, code, message, severity, name, data_path, hint, fix = row
    return Finding(
        path,
        int(line),
        int(col),
        str(code),
        str(message),
        _SEVERITIES[severity],  # a KeyError for any other value: a miss
        str(name),
        tuple(data_path),
        str(hint),
        str(fix),
    )

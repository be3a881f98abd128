"""A file's cross-file keys: its URLs, normalised and hashed, where they are, and its date.

The keys are one fixed-size record per file (``of_parsed``), made where the file is parsed,
so that a worker sends them back as they are and the run and the index keep them in
compact columns (``linter.archive.table``) without converting them again:

``RECORD``: the publishedDateTime in microseconds since 1970 UTC (``NO_DATE`` when missing
or invalid: it sorts last, as the newest), then one slot per compared field (``FIELDS``:
webUrl, then originalUrl), each the BLAKE2b digest of the normalised URL (``normalize``),
the 1-based line and column of the value and flags: ``PRESENT``, and ``SILENCED`` when a
``# lint-news: ignore`` comment of the file silences A001 there. ``UNKNOWN`` in the first
slot marks a row whose keys were not given (a result from the cache): they come from the
index or the file. The values are the parser's own (``linter.parse.parse``), so quoting and
escapes mean what they mean everywhere else.
"""

from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone

from linter.parse.types import Limits, Parsed, file_position

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Tuple

    from linter.model import DataPath

try:  # BLAKE2b from CPython's own module, which ``hashlib.blake2b`` is: ``import hashlib``
    # also loads OpenSSL's binding (about 3 ms, a tenth of a one-file run's own work)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - another interpreter: hashlib's, the same function
    from hashlib import blake2b as _blake2b

#: The fields compared, in the order a file's finding picks them.
FIELDS = (("w", "webUrl"), ("o", "originalUrl"))
NAMES = dict(FIELDS)
CODE = "A001"
DIGEST_SIZE = 20
RECORD = struct.Struct("<q" + "20sIIB" * len(FIELDS))
NO_DATE = 2**63 - 1
PRESENT, SILENCED, UNKNOWN = 1, 2, 4
_NO_URL = (bytes(DIGEST_SIZE), 0, 0, 0)
EMPTY = RECORD.pack(NO_DATE, *_NO_URL * len(FIELDS))
UNKNOWN_RECORD = RECORD.pack(NO_DATE, bytes(DIGEST_SIZE), 0, 0, UNKNOWN, *_NO_URL * (len(FIELDS) - 1))
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def normalize(url: str) -> str:
    """The URL as compared: scheme and host lower-cased, a default port dropped and the
    slash that ends the path dropped. Nothing else changes (query, fragment, the path's
    case, escapes): each of those can tell two pages apart."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.isascii() or not scheme.isalpha():
        return url  # not an absolute URL: compared exactly as written
    scheme = scheme.lower()
    cut = _first(rest, "/?#")
    authority, tail = rest[:cut], rest[cut:]
    user, at, host = authority.rpartition("@")
    host = host.lower()
    port = _DEFAULT_PORTS.get(scheme)
    if port and host.endswith(port):
        host = host[: -len(port)]
    path_end = _first(tail, "?#")
    path, after = tail[:path_end], tail[path_end:]
    path = path[:-1] if path.endswith("/") else path  # one slash: "/a//" may be another page
    return f"{scheme}://{user}{at}{host}{path}{after}"


def _first(text: str, marks: str) -> int:
    """Where the first of ``marks`` (characters) is in ``text``, else its length: each
    later mark is searched for only before the earliest found so far."""
    cut = len(text)
    for mark in marks:
        found = text.find(mark, 0, cut)
        if found >= 0:
            cut = found
    return cut


def digest(url: str) -> bytes:
    """The digest of the normalised URL, as a record holds it."""
    hashed: bytes = _blake2b(normalize(url).encode("utf-8", "surrogatepass"), digest_size=DIGEST_SIZE).digest()
    return hashed


def of_parsed(parsed: Parsed, yaml_text: str) -> bytes:
    """The keys record of parsed frontmatter data (``EMPTY``: nothing to compare)."""
    data = parsed.data
    if not isinstance(data, dict) or data.get("published") is False:
        return EMPTY
    slots: List[Any] = []
    lines: List[int] = []
    last = ("", b"")  # an article's originalUrl is mostly its webUrl: hashed once
    for _, field in FIELDS:
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            line, col = _position(parsed, (field,))
            last = last if value == last[0] else (value, digest(value))
            slots += (last[1], line, col, PRESENT)
            lines.append(line)
        else:
            slots += _NO_URL
    if not lines:
        return EMPTY
    silenced = _silenced(yaml_text, lines)
    for start in range(0, len(slots), 4) if silenced else ():  # digest, line, column, flags
        if slots[start + 3] and slots[start + 1] in silenced:
            slots[start + 3] |= SILENCED
    return RECORD.pack(_published(data.get("publishedDateTime")), *slots)


def of_bytes(data: bytes, limits: Limits) -> bytes:
    """The keys record of a file's bytes, read with the parser the engine uses (the
    frontmatter only); ``EMPTY`` for a file that does not parse. Never raises."""
    from linter.parse import frontmatter, parse

    try:
        text = frontmatter.decode(data)
        if isinstance(text, frontmatter.Problem):
            return EMPTY
        block = frontmatter.split(text)
        if isinstance(block, frontmatter.Problem):
            return EMPTY
        parsed = parse(block.yaml_text, limits)
        if parsed.fatal:
            return EMPTY
        return of_parsed(parsed, block.yaml_text)
    except Exception:  # a file the parser fails on is the engine's to report (E012), not ours
        return EMPTY


def _position(parsed: Parsed, path: DataPath) -> Tuple[int, int]:
    mark = parsed.mark(path)  # not parsed.marks: most files never need the others
    return file_position(mark[2], mark[3]) if mark is not None else (1, 1)


def _published(value: Any) -> int:
    if not isinstance(value, str):
        return NO_DATE
    from linter.rules.dates import parse_date_time  # cached: the date rules read it first

    moment, _ = parse_date_time(value)
    return (moment - _EPOCH) // _MICROSECOND if moment is not None else NO_DATE


def _silenced(yaml_text: str, lines: List[int]) -> List[int]:
    """The URL lines where a suppression comment of the file silences A001."""
    if "lint-news:" not in yaml_text:
        return []
    from linter.suppress import silenced_lines

    return silenced_lines(yaml_text, CODE, lines)

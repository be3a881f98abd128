"""A file's cross-file keys: its URLs, normalised and hashed, where they are, and its date.

The keys are one short string per file (``of_parsed``), so that a worker can send them back
cheaply and the index can keep them as they are:

    published <TAB> url <TAB> url

``published`` is the publishedDateTime in microseconds since 1970 UTC ("" when missing or
invalid); each ``url`` is ``field,digest,line,col,silenced``: the field (``w`` webUrl,
``o`` originalUrl), the hex BLAKE2b digest of the normalised URL (``normalize``), the
1-based position of the value, and ``1`` when a ``# lint-news: ignore`` comment of the file
silences A001 there. The values are the parser's own (``linter.parse.parse``), so
quoting and escapes mean what they mean everywhere else.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

from linter.model import DataPath
from linter.parse.types import Limits, Mark, file_position

#: The fields compared, in the order a file's finding picks them.
FIELDS = (("w", "webUrl"), ("o", "originalUrl"))
NAMES = dict(FIELDS)
CODE = "A001"
_DIGEST_SIZE = 20
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
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    authority, tail = rest[:cut], rest[cut:]
    user, at, host = authority.rpartition("@")
    host = host.lower()
    port = _DEFAULT_PORTS.get(scheme)
    if port and host.endswith(port):
        host = host[: -len(port)]
    path_end = min((i for i in (tail.find("?"), tail.find("#")) if i >= 0), default=len(tail))
    path, after = tail[:path_end], tail[path_end:]
    path = path[:-1] if path.endswith("/") else path  # one slash: "/a//" may be another page
    return f"{scheme}://{user}{at}{host}{path}{after}"


def digest(url: str) -> str:
    hexed: str = _blake2b()(normalize(url).encode("utf-8", "surrogatepass"), digest_size=_DIGEST_SIZE).hexdigest()
    return hexed


def _blake2b() -> Any:
    """BLAKE2b from CPython's own module, which ``hashlib.blake2b`` is: ``import hashlib``
    also loads OpenSSL's binding (about 3 ms, a tenth of a one-file run's own work)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - another interpreter: hashlib's, the same function
        from hashlib import blake2b
    return blake2b


def of_parsed(data: Any, marks: Dict[DataPath, Mark], yaml_text: str) -> str:
    """The keys of parsed frontmatter data ("": nothing to compare)."""
    if not isinstance(data, dict) or data.get("published") is False:
        return ""
    urls: List[Tuple[str, str, int, int]] = []
    last = ("", "")  # an article's originalUrl is mostly its webUrl: hashed once
    for letter, field in FIELDS:
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            line, col = _position(marks, (field,))
            last = last if value == last[0] else (value, digest(value))
            urls.append((letter, last[1], line, col))
    if not urls:
        return ""
    silenced = _silenced(yaml_text, [line for _, _, line, _ in urls])
    parts = [_published(data.get("publishedDateTime"))]
    parts += [f"{letter},{hexed},{line},{col},{int(line in silenced)}" for letter, hexed, line, col in urls]
    return "\t".join(parts)


def of_bytes(data: bytes, limits: Limits) -> str:
    """The keys of a file's bytes, read with the parser the engine uses (the frontmatter
    only); "" for a file that does not parse. Never raises."""
    from linter.parse import frontmatter, parse

    try:
        text = frontmatter.decode(data)
        if isinstance(text, frontmatter.Problem):
            return ""
        block = frontmatter.split(text)
        if isinstance(block, frontmatter.Problem):
            return ""
        parsed = parse(block.yaml_text, limits)
        if parsed.fatal:
            return ""
        return of_parsed(parsed.data, parsed.marks, block.yaml_text)
    except Exception:  # a file the parser fails on is the engine's to report (E012), not ours
        return ""


class Url:
    """One URL of a file's keys, decoded."""

    __slots__ = ("field", "digest", "line", "col", "silenced")

    def __init__(self, part: str) -> None:
        letter, self.digest, line, col, silenced = part.split(",")
        self.field = NAMES[letter]
        self.line, self.col, self.silenced = int(line), int(col), silenced == "1"


def decode(keys: str) -> Tuple[Optional[int], List[Url]]:
    """(publishedDateTime in microseconds or None, the URLs) of ``of_parsed``'s keys."""
    if not keys:
        return None, []
    published, *urls = keys.split("\t")
    return (int(published) if published else None), [Url(part) for part in urls]


def _position(marks: Dict[DataPath, Mark], path: DataPath) -> Tuple[int, int]:
    mark = marks.get(path)
    return file_position(mark[2], mark[3]) if mark is not None else (1, 1)


def _published(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    from linter.rules.dates import parse_date_time

    moment, _ = parse_date_time(value)
    return str((moment - _EPOCH) // _MICROSECOND) if moment is not None else ""


def _silenced(yaml_text: str, lines: List[int]) -> List[int]:
    """The URL lines where a suppression comment of the file silences A001."""
    if "lint-news:" not in yaml_text:
        return []
    from linter.suppress import silenced_lines

    return silenced_lines(yaml_text, CODE, lines)

"""Keeping ``secured`` values out of messages, hints and data paths.

The secret texts are every string (value or key) under a key that resolves to ``secured``,
at any depth, collected from the parsed data itself: an alias shares its anchor's objects,
so a secured value reached through an alias (``secured: *t``) is found, and the other
places that alias the same node (``title: &t ...``) are hidden with it. An article the block
reader read is a tree whose keys are written as they are, so its text says when the walk
is not needed: most hold the word ``secured`` once, as the top mapping's key of a text.

Hiding is near-linear: the secrets' 8-character windows at every fourth offset are indexed
once per file, and a message is scanned once, each hit grown to the whole run it shares
with a secret. Any run of 11 or more characters of a secret is hidden (an 11-character run
always holds an indexed window).
"""

from __future__ import annotations

import re

from linter.regex import lazy
from linter.values import SECRET_KEY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

    from linter.model import DataPath

HIDDEN = "(value hidden)"
#: Window length and step of the index; secrets shorter than the window are matched only
#: as whole quoted values of a node that holds one (``title: *s`` with a short ``s``).
WINDOW = 8
STEP = 4
#: Most windows a text is searched for one by one (``Secrets._shares_window``): a
#: ``secured`` value of 1,000 characters has about 250.
SCAN_LIMIT = 256
_QUOTED = lazy(r"'.*'", re.S)

_native_shares: Optional[Callable[[str, Sequence[str]], Optional[bool]]]
try:  # compiled: asking ``in`` of each of a secured value's ~100 windows, for every message
    # and hint of every finding, cost a file with findings more than linting it
    from linter.parse._blockreader import shares_window as _native_shares
except ImportError:  # pragma: no cover - depends on the build
    _native_shares = None


class Secrets:
    """The secured texts of one document, and the means to hide them."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts: Set[str] = set(texts)
        self._joined = ""
        self._index: Optional[Dict[str, int]] = None
        self._texts: Optional[List[str]] = None
        self._starts: List[int] = []
        self._secrets: Optional[Tuple[str, ...]] = None

    @classmethod
    def of(cls, data: Any, raw: Mapping[DataPath, str], text: Optional[str] = None) -> Secrets:
        """The secrets of parsed data; ``text``: the YAML text when the data is a tree whose
        keys are all written in it as they are (``Parsed.text``), which answers for most
        articles without a walk of the whole document (``_written_once``)."""
        if text is not None:
            found = _written_once(data, text)
            if found is not None:
                return cls(found)
        texts = collect(data)
        texts.extend(text for path, text in raw.items() if SECRET_KEY in path)  # only str parts can equal it
        return cls(texts)

    def __bool__(self) -> bool:
        return bool(self.texts)

    def hide(self, text: str) -> str:
        """``text`` with every run it shares with a secret (11 characters or more) hidden."""
        if len(text) < WINDOW or not self._shares_window(text):
            return text  # most texts: no window of a secret in them
        index = self._windows()
        joined, done, at = self._joined, 0, 0
        out: List[str] = []
        while at + WINDOW <= len(text):
            found = index.get(text[at : at + WINDOW])
            if found is None:
                at += 1
                continue
            start, source = at, found
            while start > done and source > 0 and text[start - 1] == joined[source - 1]:
                start, source = start - 1, source - 1
            end, source = at + WINDOW, found + WINDOW
            while end < len(text) and source < len(joined) and text[end] == joined[source]:
                end, source = end + 1, source + 1
            out.extend((text[done:start], HIDDEN))
            done = at = end
        out.append(text[done:])
        return "".join(out)

    def _shares_window(self, text: str) -> bool:
        """Whether ``text`` holds one of the indexed windows: for a document's few secrets
        (the usual one secured value), one compiled call, linear in the text and the
        secrets, without making the windows (``_blockreader.c``); else
        ``shares_window_python``, its twin, whose index of many windows is made once for
        all the texts (8,000 findings over 8,000 secured texts: a compiled call each, which
        hashes every window again, would be quadratic)."""
        if self._secrets is None:
            few = _native_shares is not None and sum(map(len, self.texts)) <= STEP * SCAN_LIMIT
            self._secrets = tuple(self.texts) if few else ()
        if not self._secrets:  # none, or so many that the twin's index, made once, is cheaper
            return self.shares_window_python(text)  # than hashing their windows at each call
        assert _native_shares is not None
        found = _native_shares(text, self._secrets)
        if found is None:  # windows made to crowd the compiled table: the twin, from now on
            self._secrets = ()
            return self.shares_window_python(text)
        return found

    def shares_window_python(self, text: str) -> bool:
        """Whether ``text`` holds one of the indexed windows. With few windows (a document's
        one ``secured`` value) one ``in`` each, at C speed; with many (a document holding
        thousands of secured texts) every window of the text looked up instead, whose cost
        does not grow with the secrets: ``in`` each would be findings x windows (8,000 x
        8,000 took minutes)."""
        windows = self._window_texts()
        if len(windows) <= SCAN_LIMIT:
            return any(map(text.__contains__, windows))
        return not self._windows().keys().isdisjoint(_windows_of(text))

    def _window_texts(self) -> List[str]:
        """The indexed windows, in order: a text holds one of them exactly when it shares a
        window with the index, asked with one ``in`` each (the index itself, with where
        each window is, is made only for a text that holds one)."""
        if self._texts is None:
            long = sorted(text for text in self.texts if len(text) >= WINDOW)
            joined = self._joined = "\0".join(long)
            starts: List[int] = []
            offset = 0
            for text in long:
                starts.extend(range(offset, offset + len(text) - WINDOW + 1, STEP))
                starts.append(offset + len(text) - WINDOW)
                offset += len(text) + 1
            self._starts = starts
            self._texts = [joined[at : at + WINDOW] for at in starts]
        return self._texts

    def _windows(self) -> Dict[str, int]:
        if self._index is None:
            texts = self._window_texts()
            # Built backwards, so each window keeps the first place it occurs.
            self._index = dict(zip(reversed(texts), reversed(self._starts)))
        return self._index

    def finding(self, message: str, hint: str, path: DataPath, data: Any) -> Tuple[str, str, DataPath]:
        """A finding's message, hint and data path with every secret hidden. A finding on a
        node elsewhere whose value is a secured text (an alias of it) quotes nothing at all
        (findings on ``secured`` itself never quote its value: ``values.shown``)."""
        if not self.texts:
            return message, hint, path
        if _secret_at(path) is None and _value_is_secret(data, path, self.texts):
            message, hint = _QUOTED.sub(HIDDEN, message), ""
        return self.hide(message), self.hide(hint), self.path(path)

    def path(self, path: DataPath) -> DataPath:
        """A data path cut before any part that is secret: below ``secured``, or a key
        that is a secured text (``{*s: 1}``)."""
        cut = _secret_at(path)
        if cut is not None:
            path = path[: cut + 1]
        for index, part in enumerate(path):
            if isinstance(part, str) and part != SECRET_KEY and part in self.texts:
                return path[:index]
        return path


def _windows_of(text: str) -> Set[str]:
    """Every window of ``text``, at every offset."""
    return {text[at : at + WINDOW] for at in range(len(text) - WINDOW + 1)}


def _secret_at(path: DataPath) -> Optional[int]:
    """Index of the first ``secured`` key in a data path."""
    for index, part in enumerate(path):
        if part == SECRET_KEY and isinstance(part, str):
            return index
    return None


def _value_is_secret(data: Any, path: DataPath, texts: Set[str]) -> bool:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, str) and node in texts


def _written_once(data: Any, text: str) -> Optional[List[str]]:
    """The secrets of a tree whose every key is written in ``text`` as it is, when the text
    settles them: without ``secured`` in it no key is ``secured``; with it once, and that
    is the top mapping's key of a text, the text is the one secret (a non-string value
    would have its source in ``raw``, and anything else means a walk: None)."""
    written = text.count(SECRET_KEY)
    if written == 0:
        return []
    value = data.get(SECRET_KEY) if written == 1 and isinstance(data, dict) else None
    return [value] if isinstance(value, str) else None


def collect(data: Any) -> List[str]:
    """Every string under a ``secured`` key at any depth: values and keys. Each object is
    visited at most twice (outside and inside a secret), so aliases cost nothing extra.

    Most of a document is outside any secret: that walk looks only for ``secured`` keys and
    steps only into containers; the strings are gathered from the secured values alone."""
    found: List[str] = []
    outside: Set[int] = set()
    inside: Set[int] = set()
    stack: List[Any] = [data] if isinstance(data, (dict, list)) else []
    secured: List[Any] = []
    while stack:
        node = stack.pop()
        if id(node) in outside:
            continue
        outside.add(id(node))
        if isinstance(node, dict):
            if SECRET_KEY in node:  # (a secured value is walked here too: it finds nothing new)
                secured.append(node[SECRET_KEY])
            node = node.values()
        stack.extend([item for item in node if isinstance(item, (dict, list))])
    while secured:
        node = secured.pop()
        if isinstance(node, str):
            found.append(node)
            continue
        if not isinstance(node, (dict, list)) or id(node) in inside:
            continue
        inside.add(id(node))
        if isinstance(node, list):
            secured.extend(node)
            continue
        for key, value in node.items():
            if isinstance(key, str):
                found.append(key)
            secured.append(value)
    return found

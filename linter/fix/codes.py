"""What ``--fix`` does for each fixable code, in a sentence for the docs.

Whether a code is fixable, and how safely, is a fact of the registry (``RuleInfo.fixable``).
A *safe* fix keeps what the article means (the site shows the same thing, or what the
writer evidently meant); an *unsafe* one changes a value's meaning or drops data, so it
runs only with ``--unsafe-fixes``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict

SAFE, UNSAFE = "safe", "unsafe"

DOES: Dict[str, str] = {
    "E013": "removes the blanks after the fence",
    "E014": "removes the UTF-8 byte order mark before the opening fence",
    "E015": "writes every bare CR line break of the file as LF (CRLF line breaks stay as they are)",
    "S002": 'quotes a boolean or number written where text is expected, keeping the text as written (`"No"`)',
    "Y001": "writes the boolean as `true` or `false`, which every YAML version reads alike",
    "U002": (
        "percent-encodes each whitespace or control character as UTF-8 (`%20`), after dropping those a "
        "browser drops (at the ends, and tabs and line breaks anywhere)"
    ),
    "U009": "percent-encodes each raw non-ASCII character as UTF-8 (`%E2%80%99`) and writes a non-ASCII host in IDNA",
    "U005": "sets cdnAmpWebUrl to the AMP Cache URL computed from ampWebUrl",
    "U006": "keeps the bare host name (`https://www.example.com/news` becomes `www.example.com`)",
    "T001": "strips the whitespace at both ends",
    "T002": "removes the later duplicate topic",
    "R001": "removes the later related item with the repeated URL",
}


def applicability(code: str) -> str:
    """ "safe", "unsafe" or "" for a code, from the registry."""
    from linter import registry

    info = registry.RULES.get(code)
    return (info.fixable or "") if info is not None else ""

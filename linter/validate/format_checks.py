"""The ``date-time`` and ``uri`` format checks, without importing jsonschema.

They mirror what ``jsonschema``'s format checker runs (``jsonschema/_format.py``): rfc3339
for date-times, and for URIs ``rfc3987`` when installed, else ``rfc3986-validator``. The
accelerator uses them to confirm valid files, so a one-file run on a valid article never
pays for importing jsonschema; a differential test keeps both paths equal.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional

FormatCheck = Callable[[Any], bool]
#: http(s)://host/path?query#fragment made only of characters RFC 3986 allows there, with
#: well-formed escapes: a strict subset of what rfc3986-validator accepts, so answering
#: True for it changes nothing, and most URLs never need the validator's import. (Written
#: as runs of a character class between escapes, which the regex engine matches in C.)
_PCHARS = r"A-Za-z0-9\-._~!$&'()*+,;=:@"
_ESCAPE = r"%[0-9A-Fa-f]{2}"
_PATH = rf"/[{_PCHARS}/]*(?:{_ESCAPE}[{_PCHARS}/]*)*"
_QUERY = rf"[{_PCHARS}/?]*(?:{_ESCAPE}[{_PCHARS}/?]*)*"
_PLAIN_URI = re.compile(rf"https?://[A-Za-z0-9.-]+(?:{_PATH})?(?:\?{_QUERY})?(?:#{_QUERY})?\Z")
#: A date-time rfc3339-validator accepts without doubt: its own pattern, with upper-case T and
#: Z, a year other than 0000 and a day the month has in every year (01 to 28; 29 and 30
#: except in February; 31 in the seven long months). A strict subset, like _PLAIN_URI: most
#: date-times never call the validator (nor import it, with ``six``), which then only
#: decides February 29th.
_PLAIN_DATETIME = re.compile(
    r"(?!0000)[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])\Z"
)


def light_formats() -> Optional[Dict[str, FormatCheck]]:
    """The two checks, or None when a package they need is missing."""
    import importlib.util

    if importlib.util.find_spec("rfc3339_validator") is None:
        return None
    uri = _uri_check()
    if uri is None:
        return None
    validate: List[Callable[[str], Any]] = []

    def is_datetime(value: Any) -> bool:
        if not isinstance(value, str) or _PLAIN_DATETIME.match(value):
            return True
        if not validate:  # imported on first need, as jsonschema calls it
            from rfc3339_validator import validate_rfc3339

            validate.append(validate_rfc3339)
        return bool(validate[0](value.upper()))

    return {"date-time": is_datetime, "uri": uri}


def _uri_check() -> Optional[FormatCheck]:
    try:
        import rfc3987
    except ImportError:
        return _rfc3986_check()

    def is_uri(value: Any) -> bool:
        try:
            return not isinstance(value, str) or bool(rfc3987.parse(value, rule="URI"))
        except ValueError:
            return False

    return is_uri


def _rfc3986_check() -> Optional[FormatCheck]:
    import importlib.util

    if importlib.util.find_spec("rfc3986_validator") is None:
        return None
    validate: List[Callable[..., Any]] = []

    def is_uri(value: Any) -> bool:
        if not isinstance(value, str) or _PLAIN_URI.match(value):
            return True
        if not validate:  # imported on first need: it compiles large regexes at import
            from rfc3986_validator import validate_rfc3986

            validate.append(validate_rfc3986)
        return bool(validate[0](value, rule="URI"))

    return is_uri


def formats_used(schema: Any) -> set:  # type: ignore[type-arg]
    """Every ``format`` value named anywhere in a schema."""
    found = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found

"""The ``date-time`` and ``uri`` format checks, without importing jsonschema.

They mirror what ``jsonschema``'s format checker runs (``jsonschema/_format.py``): rfc3339
for date-times, and for URIs ``rfc3987`` when installed, else ``rfc3986-validator``. The
accelerator uses them to confirm valid files, so a one-file run on a valid article never
pays for importing jsonschema; a differential test keeps both paths equal.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional

if TYPE_CHECKING:
    FormatCheck = Callable[[Any], bool]
#: Keywords whose values are data, not schemas (``plain_first`` leaves them as they are).
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})
#: http(s)://host/path?query#fragment made only of characters RFC 3986 allows there, with
#: well-formed escapes: a strict subset of what rfc3986-validator accepts, so answering
#: True for it changes nothing, and most URLs never need the validator's import. (Written
#: as runs of a character class between escapes, which the regex engine matches in C.)
_PCHARS = r"A-Za-z0-9\-._~!$&'()*+,;=:@"
_ESCAPE = r"%[0-9A-Fa-f]{2}"
_PATH = rf"/[{_PCHARS}/]*(?:{_ESCAPE}[{_PCHARS}/]*)*"
_QUERY = rf"[{_PCHARS}/?]*(?:{_ESCAPE}[{_PCHARS}/?]*)*"
_URI_SHAPE = rf"https?://[A-Za-z0-9.-]+(?:{_PATH})?(?:\?{_QUERY})?(?:#{_QUERY})?"
_PLAIN_URI = re.compile(_URI_SHAPE + r"\Z")
#: A date-time rfc3339-validator accepts without doubt: its own pattern, with upper-case T and
#: Z, a year other than 0000 and a day the month has in every year (01 to 28; 29 and 30
#: except in February; 31 in the seven long months). A strict subset, like _PLAIN_URI: most
#: date-times never call the validator (nor import it, with ``six``), which then only
#: decides February 29th.
_DATETIME_SHAPE = (
    r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"  # a year other than 0000
    r"-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_PLAIN_DATETIME = re.compile(_DATETIME_SHAPE + r"\Z")


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


def plain_shapes() -> Dict[str, str]:
    """The plain shapes that the light checks accept without asking a validator, as
    patterns for jsonschema-rs's regex engine (ECMA-262 syntax, anchored; the shapes use
    no look-ahead and no class that the engines read differently). The accelerator tries
    them before calling the Python check (``plain_first``), so a plain value is answered
    without a call from Rust into Python: about half of jsonschema-rs's time per article.
    The URI shape only where the light check takes it (not with rfc3987)."""
    import importlib.util

    shapes = {"date-time": f"^(?:{_DATETIME_SHAPE})$"}
    if importlib.util.find_spec("rfc3987") is None:
        shapes["uri"] = f"^(?:{_URI_SHAPE})$"
    return shapes


def plain_first(schema: Any, shapes: Dict[str, str]) -> Any:
    """A copy of a schema where each ``format`` with a plain shape is asked as "the shape's
    pattern, or else the format": the same answer, since the shape is a strict subset of
    what the format check accepts (and neither keyword looks at anything but a string)."""
    if isinstance(schema, list):
        return [plain_first(item, shapes) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: value if key in _DATA_KEYWORDS else plain_first(value, shapes) for key, value in schema.items()}
    name = schema.get("format")
    if isinstance(name, str) and name in shapes and isinstance(copy.get("allOf", []), list):
        del copy["format"]
        either = {"anyOf": [{"pattern": shapes[name]}, {"format": name}]}
        copy["allOf"] = [*copy.get("allOf", []), either]
    return copy


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

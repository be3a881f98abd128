"""The ``date-time`` and ``uri`` format checks, without importing jsonschema.

They mirror what ``jsonschema``'s format checker runs (``jsonschema/_format.py``): rfc3339
for date-times, and for URIs ``rfc3987`` when installed, else ``rfc3986-validator``. The
accelerator uses them to confirm valid files, so a one-file run on a valid article never
pays for importing jsonschema; a differential test keeps both paths equal.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

FormatCheck = Callable[[Any], bool]


def light_formats() -> Optional[Dict[str, FormatCheck]]:
    """The two checks, or None when a package they need is missing."""
    try:
        from rfc3339_validator import validate_rfc3339
    except ImportError:
        return None
    uri = _uri_check()
    if uri is None:
        return None

    def is_datetime(value: Any) -> bool:
        return not isinstance(value, str) or bool(validate_rfc3339(value.upper()))

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
    try:
        from rfc3986_validator import validate_rfc3986
    except ImportError:
        return None

    def is_uri(value: Any) -> bool:
        return not isinstance(value, str) or bool(validate_rfc3986(value, rule="URI"))

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

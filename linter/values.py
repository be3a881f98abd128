"""How values are shown in messages: short, escaped, and never a secret."""

from __future__ import annotations

import re

from linter.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

    from linter.model import DataPath

#: The field whose value must never appear in any output, at any depth.
SECRET_KEY = "secured"
SECRET_FIELDS = frozenset({SECRET_KEY})
_MAX_SHOWN = 80
#: Characters a terminal or log would act on; everything else is shown as written.
_CONTROL = lazy(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def is_secret(path: DataPath) -> bool:
    """True when the path is, or lies inside, a secret field."""
    return any(part in SECRET_FIELDS for part in path if isinstance(part, str))


def kind(value: Any) -> str:
    """The JSON Schema type name of a plain YAML value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "mapping"
    return "list"


def shown(value: Any, path: DataPath, raw: Optional[str] = None) -> str:
    """A value as a message quotes it: the written text when known, cut and escaped."""
    if is_secret(path):
        return "(value hidden)"
    if isinstance(value, (dict, list)):
        return "a " + kind(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return raw if raw is not None else repr(value)
    text = raw if raw is not None else value if isinstance(value, str) else repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return "'" + _CONTROL.sub(_escape, text) + "'"


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")

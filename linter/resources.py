"""The bundled schema file, found without importing jsonschema (start-up stays fast)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_NAME = "news-article.schema.json"


def bundled_schema_text() -> str:
    """The bundled schema, from the installed package or from a source checkout."""
    packaged = resources.files("linter") / "schema" / BUNDLED_NAME
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parent.parent / "schema" / BUNDLED_NAME).read_text(encoding="utf-8")

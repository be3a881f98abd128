"""The bundled schema file, found without importing jsonschema (start-up stays fast)."""

from __future__ import annotations

import os

BUNDLED_NAME = "news-article.schema.json"


def bundled_schema_text() -> str:
    """The bundled schema, from the installed package or from a source checkout.

    Read beside this file rather than through importlib.resources, whose import (zipfile,
    shutil) costs more than the read; lint-news is never run from a zip archive."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "schema", BUNDLED_NAME)
    for path in (installed, os.path.join(package, os.pardir, "schema", BUNDLED_NAME)):
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                return handle.read()
    raise FileNotFoundError(f"bundled schema {BUNDLED_NAME} not found in {package}")

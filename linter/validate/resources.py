"""The bundled schema file, found without importing jsonschema (start-up stays fast)."""

from __future__ import annotations

import os

BUNDLED_NAME = "news-article.schema.json"


class MissingResource(RuntimeError):
    """A file of lint-news's own installation is missing: the install is broken."""


def bundled_schema_path() -> str:
    """Where the bundled schema is: in the installed package or in a source checkout.

    Found beside this file rather than through importlib.resources, whose import (zipfile,
    shutil) costs more than the read; lint-news is never run from a zip archive."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "schema", BUNDLED_NAME)
    for path in (installed, os.path.join(package, os.pardir, "schema", BUNDLED_NAME)):
        if os.path.isfile(path):
            return path
    raise MissingResource(
        f"bundled schema {BUNDLED_NAME} not found in {package}: the installation is broken; reinstall lint-news"
    )


def bundled_schema_text() -> str:
    """The bundled schema's text (``MissingResource`` when the installation lacks it)."""
    with open(bundled_schema_path(), encoding="utf-8") as handle:
        return handle.read()

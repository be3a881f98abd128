"""Only the optional compiled reader lives here; everything else is in pyproject.toml.

``optional=True``: where no C compiler is at hand the build goes on without it, and
lint-news uses the same reader written in Python (linter/parse/blockreader.py).
Release builds (cibuildwheel, see pyproject.toml) set LINT_NEWS_REQUIRE_COMPILED=1: there a
failed compile fails the build, instead of making a wheel that lacks the compiled reader.
"""

import os

from setuptools import Extension, setup

required = os.environ.get("LINT_NEWS_REQUIRE_COMPILED") == "1"
setup(ext_modules=[Extension("linter.parse._blockreader", ["linter/parse/_blockreader.c"], optional=not required)])

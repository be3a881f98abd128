"""Only the optional compiled reader lives here; everything else is in pyproject.toml.

``optional=True``: where no C compiler is at hand the build goes on without it, and
lint-news uses the same reader written in Python (linter/parse/blockreader.py).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("linter.parse._blockreader", ["linter/parse/_blockreader.c"], optional=True)])

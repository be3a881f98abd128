"""Coverage-guided fuzz target for lint-news (atheris / libFuzzer).

What it checks, for any bytes: the engine never raises, never reports an internal error
(E012), and every finding points inside the file (1 <= line <= number of lines,
1 <= col <= length of that line + 1).

Run it (about two minutes; atheris needs a CPython with a matching wheel, 3.8-3.11 on
x86-64 Linux at the time of writing)::

    pip install atheris
    mkdir -p /tmp/fuzz-corpus /tmp/fuzz-crashes
    python fuzz/fuzz_lint.py /tmp/fuzz-corpus examples/_news \
        -max_total_time=120 -timeout=10 -rss_limit_mb=2048 -artifact_prefix=/tmp/fuzz-crashes/

libFuzzer writes each input that crashes, hangs or runs out of memory to
``/tmp/fuzz-crashes/``; reproduce one with ``python fuzz/fuzz_lint.py CRASH-FILE``. Every
crasher found goes into ``tests/test_properties.py`` (``FUZZ_REGRESSIONS``) as a regression
test, written there as a small bytes literal.

The seeds in ``examples/_news`` are the project's own articles; never seed the fuzzer with
``../shared/corpus`` files and never commit the generated corpus.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["linter"]):
    from linter.engine import Linter
    from linter.parse.frontmatter import split_lines

_LINTER = Linter()
#: A file name in the article form, so the file-name rules run too.
_NAME = "_news/2023-05-29-fuzz.md"


def _lines(data: bytes) -> list:
    """The file's lines as the linter counts them (CRLF, CR and LF each end one line)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return split_lines(data.decode("utf-8", "replace"))


def check(data: bytes) -> None:
    """Lint ``data`` and fail loudly on any broken invariant."""
    result = _LINTER.lint_bytes(_NAME, data)
    lines = _lines(data)
    for finding in result.findings:
        if finding.code == "E012":
            raise AssertionError(f"internal error: {finding.message}")
        if not 1 <= finding.line <= len(lines):
            raise AssertionError(f"line outside the file ({len(lines)} lines): {finding}")
        if not 1 <= finding.col <= len(lines[finding.line - 1]) + 1:
            raise AssertionError(f"column outside line {finding.line}: {finding}")


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

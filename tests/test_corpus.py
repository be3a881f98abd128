"""Real-corpus acceptance: the whole of ``../shared/corpus`` through the installed command.

- no traceback and no tool failure (E010 unreadable, E012 internal error, exit code 2);
- every real article gets a verdict (it is checked: clean, or with findings);
- every generic frontmatter file, none of which is a news article, gets findings, whether
  it is found by walking the folder or named on the command line whatever its extension;
- the set of real files flagged, as ``relative/path CODE`` pairs, equals
  ``tests/corpus_expected.txt``, so any change of behaviour on real data is deliberate.

After a deliberate change, rewrite the list and review its diff::

    LINT_NEWS_UPDATE_CORPUS_EXPECTED=1 python -m pytest tests/test_corpus.py

The list holds file paths and codes only, never content from the corpus. The tests skip
when the corpus is not beside the checkout (a contributor's machine); CI has it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest
from conftest import ROOT, SHARED, Run, run_cli

CORPUS = SHARED / "corpus"
EXPECTED = ROOT / "tests" / "corpus_expected.txt"
UPDATE = os.environ.get("LINT_NEWS_UPDATE_CORPUS_EXPECTED") == "1"
FINDING = re.compile(r"^(.*?):(\d+):(\d+): ([A-Z]\d{3}) ", re.MULTILINE)
SUMMARY = re.compile(r"lint-news: (\d+) file\(s\) checked")
TOOL_FAILURES = {"E010", "E012"}

pytestmark = pytest.mark.skipif(not (CORPUS / "real").is_dir(), reason="../shared/corpus is not present")


def walked(folder: Path, patterns: Tuple[str, ...] = ("*.md", "*.markdown")) -> List[str]:
    """Files below ``folder`` the command's default walk checks, relative to the corpus."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and any(path.match(p) for p in patterns):
            found.append(path.relative_to(CORPUS).as_posix())
    return sorted(found)


def flagged(out: str) -> Dict[str, Set[str]]:
    """Relative path -> codes reported for it."""
    codes: Dict[str, Set[str]] = {}
    for match in FINDING.finditer(out):
        codes.setdefault(match[1].removeprefix("./"), set()).add(match[4])
    return codes


@pytest.fixture(scope="module")
def corpus_run() -> Run:
    """One run over the whole corpus (the default walk, worker processes, no cache)."""
    return run_cli("--no-cache", ".", cwd=CORPUS, timeout=900)


def test_corpus_run_has_no_traceback_and_no_tool_failure(corpus_run: Run) -> None:
    assert "Traceback" not in corpus_run.err
    codes = {code for per_file in flagged(corpus_run.out).values() for code in per_file}
    assert not codes & TOOL_FAILURES
    assert corpus_run.rc == 1


def test_every_real_article_gets_a_verdict(corpus_run: Run) -> None:
    real = walked(CORPUS / "real")
    assert len(real) > 2000
    summary = SUMMARY.search(corpus_run.err)
    assert summary is not None, corpus_run.err
    everything = walked(CORPUS)
    assert int(summary[1]) == len(everything)
    assert set(flagged(corpus_run.out)) <= set(everything)


def test_every_generic_file_gets_findings(corpus_run: Run) -> None:
    generic = walked(CORPUS / "generic")
    missing = sorted(set(generic) - set(flagged(corpus_run.out)))
    assert missing == []


def test_every_generic_file_named_explicitly_gets_findings() -> None:
    """Files the walk skips (``.txt``, ``.html``, ``.yaml``, ...) are checked when named."""
    others = sorted(set(walked(CORPUS / "generic", ("*",))) - set(walked(CORPUS / "generic")))
    assert others
    result = run_cli("--no-cache", *others, cwd=CORPUS, timeout=300)
    assert "Traceback" not in result.err
    assert sorted(set(others) - set(flagged(result.out))) == []
    assert result.rc == 1


def expected_pairs() -> List[str]:
    lines = EXPECTED.read_text(encoding="utf-8").splitlines() if EXPECTED.exists() else []
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_real_files_flagged_match_the_expectation_list(corpus_run: Run) -> None:
    actual = sorted(
        f"{path} {code}"
        for path, codes in flagged(corpus_run.out).items()
        if path.startswith("real/")
        for code in codes
    )
    if UPDATE:
        header = "# Real corpus files lint-news flags, as 'relative/path CODE' (see tests/test_corpus.py).\n"
        EXPECTED.write_text(header + "".join(f"{line}\n" for line in actual), encoding="utf-8")
    expected = expected_pairs()
    assert actual == expected, "behaviour on real data changed; if deliberate, rewrite the list (see the docstring)"

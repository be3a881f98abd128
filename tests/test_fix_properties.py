"""Fixes over many generated articles (hypothesis, seeded): real-shaped articles with the
defects real archives have, in every line ending, with and without a BOM, then mangled.

- Fixing twice changes nothing the second time, and a fixed file lints clean for every
  finding fixed.
- Only the lines that hold a fixed value change (a removed duplicate removes its lines and
  nothing else).
- ``--diff`` applied with ``git apply`` and with ``patch`` gives exactly the bytes ``--fix``
  writes, over a folder of such articles.
"""

from __future__ import annotations

import codecs
import difflib
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable, List, Tuple

from conftest import FIXTURES, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample_articles import GOOD

from linter.engine import Linter
from linter.fix.apply import fix_bytes

settings.register_profile(
    "lint-news-fix",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("lint-news-fix")
LINTER = Linter()
NAME = "_news/2024-03-11-fix-property.md"
BASES = [GOOD] + [path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "fix").glob("*.fixed.md"))]
DELETING = ("T002", "R001")
WHOLE_FILE = ("E014", "E015")  # a BOM removed, CR-only line breaks made LF: not one value's line
BARE_CR = re.compile(rb"\r(?!\n)")

Defect = Callable[[List[str], random.Random], List[str]]


def _pick(lines: List[str], rng: random.Random, test: Callable[[str], bool]) -> int:
    found = [i for i, line in enumerate(lines) if test(line)]
    return rng.choice(found) if found else -1


def url_whitespace(lines: List[str], rng: random.Random) -> List[str]:
    i = _pick(lines, rng, lambda line: 'Url: "https://' in line or 'url: "https://' in line)
    if i >= 0:
        start = lines[i].index("https://") + len("https://x")
        end = lines[i].index('"', start)
        at = rng.randrange(start, end)
        lines[i] = lines[i][:at] + rng.choice([" ", "\u00a0", "\\t", "  ", "\\u2009"]) + lines[i][at:]
    return lines


def text_padding(lines: List[str], rng: random.Random) -> List[str]:
    i = _pick(lines, rng, lambda line: line.lstrip().startswith(('title: "', 'excerpt: "')) and len(line) > 12)
    if i >= 0:
        key, _, value = lines[i].partition(': "')
        pad = rng.choice([" ", "  ", "\\u00a0", "\\n", "\\t "])
        lines[i] = f'{key}: "{pad}{value}' if rng.random() < 0.5 else f'{key}: "{value[:-1]}{pad}"'
    return lines


def boolean_name(lines: List[str], rng: random.Random) -> List[str]:
    i = _pick(lines, rng, lambda line: line.strip().startswith("name: ") or line.startswith("  - "))
    if i >= 0 and not lines[i].lstrip().startswith("- url"):
        head = lines[i][: lines[i].index("name: ") + 6] if "name: " in lines[i] else "  - "
        lines[i] = head + rng.choice(["No", "yes", "OFF", "on", "2020", "1.5", "0x1F"])
    return lines


def yaml11_published(lines: List[str], rng: random.Random) -> List[str]:
    i = _pick(lines, rng, lambda line: line.strip() in ("published: true", "published: false", "isCached: true"))
    if i >= 0:
        key, _, value = lines[i].partition(": ")
        lines[i] = f"{key}: " + rng.choice(["yes", "Yes", "on"] if value == "true" else ["no", "Off"])
    return lines


def fence_blanks(lines: List[str], rng: random.Random) -> List[str]:
    fences = [i for i, line in enumerate(lines) if line.rstrip(" \t") == "---"]
    lines[rng.choice(fences[:1] + fences[-1:])] += rng.choice([" ", "\t", "  \t"])
    return lines


def duplicate_topic(lines: List[str], rng: random.Random) -> List[str]:
    i = _pick(lines, rng, lambda line: line.startswith("  - ") and ":" not in line)
    if i >= 0:
        lines.insert(i + rng.randint(1, 2), lines[i].replace("  - ", "  - " + rng.choice(["", " "]), 1))
    return lines


def duplicate_related(lines: List[str], rng: random.Random) -> List[str]:
    starts = [i for i, line in enumerate(lines) if line.startswith("  - title: ")]
    if not starts:
        return lines
    start = rng.choice(starts)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return lines[:end] + lines[start:end] + lines[end:]


def amp_mismatch(lines: List[str], rng: random.Random) -> List[str]:
    i = _pick(lines, rng, lambda line: line.lstrip().startswith("cdnAmpWebUrl: "))
    if i >= 0:
        lines[i] = lines[i].replace("/c/s/", "/c/", 1).replace("--", "-", 1)
    return lines


def domain_scheme(lines: List[str], rng: random.Random) -> List[str]:
    i = _pick(lines, rng, lambda line: line.lstrip().startswith("domain: "))
    if i >= 0:
        key, _, value = lines[i].partition(": ")
        lines[i] = f"{key}: " + rng.choice([f"https://{value}/", f"{value}/news", f"http://www.{value}:8080/x"])
    return lines


def mangle(lines: List[str], rng: random.Random) -> List[str]:
    """A change outside the defects: a line removed, duplicated or re-indented."""
    i = rng.randrange(1, max(2, len(lines) - 1))
    kind = rng.randrange(3)
    if kind == 0:
        return lines[:i] + lines[i + 1 :]
    if kind == 1:
        return lines[: i + 1] + lines[i:]
    return lines[:i] + [" " * rng.randint(1, 3) + lines[i]] + lines[i + 1 :]


DEFECTS: List[Defect] = [url_whitespace, text_padding, boolean_name, yaml11_published, fence_blanks]
DEFECTS += [duplicate_topic, duplicate_related, amp_mismatch, domain_scheme]
ENDINGS = {
    "lf": lambda data: data,
    "crlf": lambda data: data.replace(b"\n", b"\r\n"),
    "cr": lambda data: data.replace(b"\n", b"\r"),
    "bom": lambda data: codecs.BOM_UTF8 + data,
    "bom-cr": lambda data: codecs.BOM_UTF8 + data.replace(b"\n", b"\r"),
    "no-final-newline": lambda data: data.rstrip(b"\n"),
}


def article(seed: int, defects: int, mangled: bool, ending: str) -> bytes:
    rng = random.Random(seed)
    lines = rng.choice(BASES).split("\n")
    for _ in range(defects):
        lines = rng.choice(DEFECTS)(lines, rng)
    if mangled:
        lines = mangle(lines, rng)
    return ENDINGS[ending]("\n".join(lines).encode("utf-8"))


ARTICLES = st.builds(
    article,
    st.integers(0, 2**32),
    st.integers(1, 5),
    st.sampled_from([False, False, False, True]),
    st.sampled_from(sorted(ENDINGS)),
)


def lines_of(data: bytes) -> List[bytes]:
    """Lines as the file has them (CRLF, CR or LF), line endings kept."""
    return data.splitlines(keepends=True)


@settings(PROFILE, max_examples=300)
@given(ARTICLES)
def test_fixing_is_idempotent_and_fixed_findings_are_gone(data: bytes) -> None:
    outcome = fix_bytes(LINTER, NAME, data, unsafe=True)
    again = fix_bytes(LINTER, NAME, outcome.data, unsafe=True)
    assert (again.data, again.fixed) == (outcome.data, [])
    if outcome.data == data:
        return
    fixed = {f.code for f in outcome.fixed}
    # the BOM goes only with E014's fix; after E015's, no bare CR is left
    assert outcome.data.startswith(codecs.BOM_UTF8) == (data.startswith(codecs.BOM_UTF8) and "E014" not in fixed)
    assert "E015" not in fixed or BARE_CR.search(outcome.data) is None
    assert outcome.data.endswith((b"\n", b"\r")) == data.endswith((b"\n", b"\r"))
    left = {(f.code, f.data_path) for f in LINTER.lint_bytes(NAME, outcome.data).findings}
    assert not {(f.code, f.data_path) for f in outcome.fixed if f.code not in DELETING} & left


@settings(PROFILE, max_examples=300)
@given(ARTICLES)
def test_only_the_lines_of_fixed_values_change(data: bytes) -> None:
    """Without removals, the file keeps its lines and only those of fixed findings change."""
    kept = DELETING + WHOLE_FILE
    outcome = fix_bytes(LINTER, NAME, data, unsafe=True, choose=lambda fs: [f for f in fs if f.code not in kept])
    before, after = lines_of(data), lines_of(outcome.data)
    assert len(before) == len(after)
    changed = {i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b}
    assert changed <= {f.line for f in outcome.fixed}
    for a, b in zip(before, after):  # every line keeps its line ending
        assert a[len(a.rstrip(b"\r\n")) :] == b[len(b.rstrip(b"\r\n")) :]


@settings(PROFILE, max_examples=200)
@given(ARTICLES)
def test_removing_a_duplicate_removes_lines_and_nothing_else(data: bytes) -> None:
    outcome = fix_bytes(LINTER, NAME, data, unsafe=True, choose=lambda fs: [f for f in fs if f.code in DELETING])
    matcher = difflib.SequenceMatcher(None, lines_of(data), lines_of(outcome.data), autojunk=False)
    assert {tag for tag, *_ in matcher.get_opcodes()} <= {"equal", "delete"}
    assert (outcome.data != data) == bool(outcome.fixed)


def corpus(folder: Path, count: int) -> List[Tuple[str, bytes]]:
    rng = random.Random(12)
    files = []
    for index in range(count):
        ending = sorted(ENDINGS)[index % len(ENDINGS)]
        data = article(rng.randrange(2**32), rng.randint(1, 5), rng.random() < 0.2, ending)
        name = f"2024-03-{index % 28 + 1:02d}-generated-{index}.md"
        (folder / name).write_bytes(data)
        files.append((name, data))
    return files


def test_diff_applied_with_git_and_patch_gives_what_fix_writes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_news").mkdir(parents=True)
    corpus(site / "_news", 250)
    env = {"LINT_NEWS_CACHE_DIR": str(tmp_path / "cache")}
    diff = run_cli("--diff", "--unsafe-fixes", "_news", cwd=site, env=env)
    assert diff.rc == 1 and diff.out.count("\n--- a/_news/") > 100
    fixed = tmp_path / "fixed"
    shutil.copytree(site, fixed)
    run_cli("--fix", "--unsafe-fixes", "-q", "_news", cwd=fixed, env=env)
    patch_file = tmp_path / "fixes.patch"
    patch_file.write_bytes(diff.out.encode("utf-8"))
    commands = {
        "git": ["git", "apply", "--whitespace=nowarn", "--unsafe-paths", str(patch_file)],
        "patch": ["patch", "-p1", "-s", "--binary", "-i", str(patch_file)],
    }
    for tool, command in commands.items():
        copy = tmp_path / tool
        shutil.copytree(site, copy)
        subprocess.run(command, cwd=copy, check=True, capture_output=True)
        for path in sorted((fixed / "_news").iterdir()):
            assert (copy / "_news" / path.name).read_bytes() == path.read_bytes(), (tool, path.name)
    changed = [p.name for p in (fixed / "_news").iterdir() if p.read_bytes() != (site / "_news" / p.name).read_bytes()]
    assert len(changed) == diff.out.count("+++ b/_news/")
    pairs = [((site / "_news" / name).read_bytes(), (fixed / "_news" / name).read_bytes()) for name in changed]
    # the whole-file fixes are among them: BOMs removed (E014), CR-only files made LF (E015)
    assert sum(old.startswith(codecs.BOM_UTF8) and not new.startswith(codecs.BOM_UTF8) for old, new in pairs) > 20
    assert sum(BARE_CR.search(old) is not None and BARE_CR.search(new) is None for old, new in pairs) > 20

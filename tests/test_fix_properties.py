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
from typing import Callable, Dict, List, Tuple

from conftest import FIXTURES, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample_articles import GOOD

from linter.engine import Linter
from linter.fix.apply import fix_bytes
from linter.fix.diff import unified_diff

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


SECURED_LINE = re.compile(rb'^secured: "([^"]*)"\r?$', re.M)
SECURED_VALUE = re.compile(rb'secured: "([^"]+)"')


def secured_moved(data: bytes, rng: random.Random) -> bytes:
    """The `secured` line moved before another top-level key, so it sits among the lines a
    fix changes and the context around them (LF and CRLF files; CR-only ones are one line)."""
    lines = data.split(b"\n")
    at = [i for i, line in enumerate(lines) if SECURED_LINE.match(line)]
    keys = [i for i, line in enumerate(lines[:-1]) if re.match(rb"[a-zA-Z]+:", line) and i not in at]
    if not at or not keys:
        return data
    line = lines.pop(at[0])
    lines.insert(rng.choice([k for k in keys if k < at[0]] or keys), line)
    return b"\n".join(lines)


MOVED = st.builds(lambda data, seed: secured_moved(data, random.Random(seed)), ARTICLES, st.integers(0, 2**32))


def where(i1: int, i2: int) -> str:
    """How the note names a change of old lines ``i1:i2`` (0-based)."""
    if i1 == i2:
        return f"lines added before line {i1 + 1}"
    return f"line {i1 + 1}" if i2 == i1 + 1 else f"lines {i1 + 1}-{i2}"


def fixed_but_withheld(old: bytes, fixed: bytes, withheld: List[str]) -> bytes:
    """``fixed`` with the changes named in ``withheld`` not made: what the diff gives."""
    a, b = _split(old), _split(fixed)
    out: List[bytes] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        out += a[i1:i2] if tag == "equal" or where(i1, i2) in withheld else b[j1:j2]
    return b"".join(out)


def _split(data: bytes) -> List[bytes]:
    """Lines as git and patch split them: at LF only."""
    return re.findall(rb"[^\n]*\n|[^\n]+$", data)


def hunk_lines(body: bytes) -> List[Tuple[bytes, bytes]]:
    """(kind, line) of a hunk's lines, the marker taking the LF off the line before it."""
    out: List[Tuple[bytes, bytes]] = []
    for line in _split(body):
        if line == b"\\ No newline at end of file\n":
            out[-1] = (out[-1][0], out[-1][1][:-1])
        else:
            out.append((line[:1], line[1:]))
    return out


def applied(old: bytes, diff: bytes) -> bytes:
    """``diff`` (one file's hunks) applied to ``old`` strictly: every context and removed
    line must be exactly where its header says."""
    lines, out, at = _split(old), [], 0
    body = diff.split(b"\n", 2)[2] if diff else b""
    for hunk in re.split(rb"(?m)^@@ ", body)[1:]:
        header, _, rest = hunk.partition(b"\n")
        start, count = (int(n) for n in (header.split(b" ")[0][1:].split(b",") + [b"1"])[:2])
        start = start - 1 if count else start
        assert start >= at
        out += lines[at:start]
        at = start
        for kind, text in hunk_lines(rest):
            if kind in (b" ", b"-"):
                assert lines[at] == text, (at, text)
                at += 1
            if kind in (b" ", b"+"):
                out.append(text)
    return b"".join(out + lines[at:])


@settings(PROFILE, max_examples=300)
@given(MOVED)
def test_diff_never_prints_a_secured_line_and_applies(data: bytes) -> None:
    """Over generated articles with `secured` anywhere: no line of the diff holds its value
    or its key, and the hunks give exactly the fixed file but for the changes withheld."""
    outcome = fix_bytes(LINTER, NAME, data, unsafe=True)
    diff = unified_diff(NAME, data, outcome.data, *outcome.secrets)
    secret = SECURED_VALUE.search(data)
    assert secret is not None
    assert secret.group(1) not in diff.text and b"secured" not in diff.text
    named = [change.where() for change in diff.withheld]
    assert applied(data, diff.text) == fixed_but_withheld(data, outcome.data, named)
    if not diff.withheld:
        assert applied(data, diff.text) == outcome.data


def corpus(folder: Path, count: int) -> List[Tuple[str, bytes]]:
    """Generated articles; one in three with its `secured` line moved among the others."""
    rng = random.Random(12)
    files = []
    for index in range(count):
        ending = sorted(ENDINGS)[index % len(ENDINGS)]
        data = article(rng.randrange(2**32), rng.randint(1, 5), rng.random() < 0.2, ending)
        if index % 3 == 0:
            data = secured_moved(data, rng)
        name = f"2024-03-{index % 28 + 1:02d}-generated-{index}.md"
        (folder / name).write_bytes(data)
        files.append((name, data))
    return files


def withheld_notes(err: str) -> Dict[str, List[str]]:
    """File name -> the changes its note says the diff leaves out."""
    notes = {}
    note = r"lint-news: _news/(\S+): not in the diff, as that would print the secured value: (.*); run --fix to apply"
    for path, parts in re.findall(note, err):
        notes[path] = [part.rsplit(" (", 1)[0] for part in parts.split("; ")]
    return notes


def test_diff_applied_with_git_and_patch_gives_what_fix_writes(tmp_path: Path) -> None:
    """... but for the changes the diff leaves out, as its notes say, not to print `secured`:
    the CR-only files (one line holding it) and those with no shown line after a change."""
    site = tmp_path / "site"
    (site / "_news").mkdir(parents=True)
    generated = corpus(site / "_news", 250)
    env = {"LINT_NEWS_CACHE_DIR": str(tmp_path / "cache")}
    diff = run_cli("--diff", "--unsafe-fixes", "_news", cwd=site, env=env)
    assert diff.rc == 1 and diff.out.count("\n--- a/_news/") > 100
    for _, data in generated:
        found = SECURED_VALUE.search(data)
        assert found is not None and found.group(1).decode() not in diff.out
    assert not re.search(r"(?m)^[-+ ]secured", diff.out)
    withheld = withheld_notes(diff.err)
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
            old = (site / "_news" / path.name).read_bytes()
            expected = fixed_but_withheld(old, path.read_bytes(), withheld.get(path.name, []))
            assert (copy / "_news" / path.name).read_bytes() == expected, (tool, path.name)
    changed = [p.name for p in (fixed / "_news").iterdir() if p.read_bytes() != (site / "_news" / p.name).read_bytes()]
    shown = [name for name in changed if f"+++ b/_news/{name}\n" in diff.out]
    assert len(shown) == diff.out.count("+++ b/_news/") and set(changed) == set(shown) | set(withheld)
    pairs = [((site / "_news" / name).read_bytes(), (fixed / "_news" / name).read_bytes()) for name in shown]
    # the whole-file fixes are among them: BOMs removed (E014); CR-only files are left out
    assert sum(old.startswith(codecs.BOM_UTF8) and not new.startswith(codecs.BOM_UTF8) for old, new in pairs) > 20
    cr_only = [name for name in changed if b"\n" not in (site / "_news" / name).read_bytes()]
    assert len(cr_only) > 20 and all(withheld[name] == ["line 1"] for name in cr_only)
    # a change next to a moved `secured` line: left out where no line after it can be shown
    assert sum(len(parts) for name, parts in withheld.items() if name not in cr_only) > 0

"""``--fix``, ``--diff`` and ``--unsafe-fixes``: byte-exact, verified, atomic repairs.

Fixtures: ``fixtures/fix/<CODE>-<name>.md`` is an article with defects that code's fix
repairs and ``<CODE>-<name>.fixed.md`` is exactly what fixing it must give. Every pair is
also checked as CRLF, CR-only, with a BOM and without a final newline: the other fixes keep
those as they are, and fixing everything also removes the BOM (E014) and writes bare CRs as
LF (E015). The E014 pair has a BOM and the E015 pair CR-only line endings of their own, so
they are not combined with the variants that would change those.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import pytest
from conftest import BAD, BAD_NAME, CLEAN, FIXTURES, NEWS, ROOT, Run, lint_news_command, run_cli

from linter import registry
from linter.engine import Linter
from linter.fix.apply import fix_bytes
from linter.fix.codes import DOES, SAFE
from linter.fix.diff import HOLDS_SECRET, NO_CONTEXT, Withheld, unified_diff
from linter.fix.source import scalar_at, written
from linter.fix.write import read_snapshot, write_fixed
from linter.model import Finding

FIX = FIXTURES / "fix"
PAIRS = sorted(path for path in FIX.glob("*.md") if not path.name.endswith(".fixed.md"))


def fixed_of(path: Path) -> Path:
    return path.with_name(path.name[: -len(".md")] + ".fixed.md")


def code(pair: Path) -> str:
    return pair.name.split("-")[0]


def as_crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def as_cr(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r")


def with_bom(data: bytes) -> bytes:
    return codecs.BOM_UTF8 + data


def without_final_newline(data: bytes) -> bytes:
    return data.rstrip(b"\r\n")


def unchanged(data: bytes) -> bytes:
    return data


VARIANTS: Dict[str, Callable[[bytes], bytes]] = {
    "lf": unchanged,
    "crlf": as_crlf,
    "cr": as_cr,
    "bom": with_bom,
    "bom-crlf": lambda data: with_bom(as_crlf(data)),
    "no-final-newline": without_final_newline,
}
#: A variant with every finding fixed, from the fixed fixture: no BOM (E014), no bare CR (E015).
ALL_FIXED: Dict[str, Callable[[bytes], bytes]] = {
    "lf": unchanged,
    "crlf": as_crlf,
    "cr": unchanged,
    "bom": unchanged,
    "bom-crlf": as_crlf,
    "no-final-newline": without_final_newline,
}
WHOLE_FILE = ("E014", "E015")
#: Variants that would change what the E014 and E015 pairs are about (their BOM, their CRs).
NOT_FOR = {"E014": {"bom", "bom-crlf"}, "E015": {"crlf", "cr", "bom-crlf"}}
CASES = [
    (pair, variant) for pair in PAIRS for variant in sorted(VARIANTS) if variant not in NOT_FOR.get(code(pair), ())
]


def lint(site: Path, *args: str, stdin: Optional[bytes] = None) -> Run:
    return run_cli(*args, cwd=site, env={"LINT_NEWS_CACHE_DIR": str(site.parent / "cache")}, stdin=stdin)


# -- fixtures ------------------------------------------------------------------------------------


def test_every_fixable_code_has_a_fixture() -> None:
    assert {code(path) for path in PAIRS} == set(DOES) == registry.FIXABLE
    assert all(fixed_of(path).exists() for path in PAIRS)


def case_id(case: Tuple[Path, str]) -> str:
    return f"{case[0].stem}-{case[1]}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fixture_is_fixed_exactly(case: Tuple[Path, str]) -> None:
    """Fixing the pair's code (and all but the whole-file codes) keeps the variant's line
    endings and BOM."""
    before, variant = case
    change, fixed = VARIANTS[variant], code(before)
    data, wanted = change(before.read_bytes()), change(fixed_of(before).read_bytes())
    linter = Linter()
    found = [f for f in linter.lint_bytes(before.name, data).findings if f.code == fixed]
    assert found and all(f.fix == registry.RULES[fixed].fixable for f in found)

    def choose(findings: List[Finding]) -> List[Finding]:
        return [f for f in findings if f.code == fixed or f.code not in WHOLE_FILE]

    outcome = fix_bytes(linter, before.name, data, unsafe=True, choose=choose)
    assert outcome.data == wanted
    assert outcome.notes == []
    assert sorted(f.line for f in outcome.fixed if f.code == fixed) == sorted(f.line for f in found)
    assert not [f for f in outcome.result.findings if f.code == fixed]  # lints clean for the code
    again = fix_bytes(linter, before.name, outcome.data, unsafe=True, choose=choose)
    assert (again.data, again.fixed) == (outcome.data, [])  # idempotent


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fixing_everything_also_removes_the_bom_and_bare_crs(case: Tuple[Path, str]) -> None:
    before, variant = case
    data = VARIANTS[variant](before.read_bytes())
    linter = Linter()
    outcome = fix_bytes(linter, before.name, data, unsafe=True)
    assert outcome.data == ALL_FIXED[variant](fixed_of(before).read_bytes())
    assert outcome.notes == []
    assert not [f for f in linter.lint_bytes(before.name, outcome.data).findings if f.code in WHOLE_FILE]
    again = fix_bytes(linter, before.name, outcome.data, unsafe=True)
    assert (again.data, again.fixed) == (outcome.data, [])


def _mixed(data: bytes) -> bytes:
    """CRLF line endings but a bare CR after the opening fence (E015 at 1:4)."""
    return as_crlf(data).replace(b"\r\n", b"\r", 1)


WHOLE_FILE_CASES: Dict[str, Tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]] = {
    # the file as given, and as the whole-file fixes must leave it
    "bom": (with_bom, unchanged),
    "cr": (as_cr, unchanged),
    "bom-cr": (lambda data: with_bom(as_cr(data)), unchanged),
    "bom-crlf": (lambda data: with_bom(as_crlf(data)), as_crlf),
    "crlf-and-a-bare-cr": (_mixed, lambda data: as_crlf(data).replace(b"\r\n", b"\n", 1)),
}


@pytest.mark.parametrize("case", sorted(WHOLE_FILE_CASES))
def test_whole_file_fixes_keep_every_other_finding_where_it_was(case: str) -> None:
    """Removing the BOM and writing bare CRs as LF moves no other finding: positions count a
    bare CR as a line ending and skip the BOM, before the fix and after it."""
    data = (FIX / "U002-space-in-urls.md").read_bytes()
    broken, expected = (change(data) for change in WHOLE_FILE_CASES[case])
    linter = Linter()

    def others(content: bytes) -> List[Tuple[int, int, str]]:
        found = linter.lint_bytes("a.md", content).findings
        return sorted((f.line, f.col, f.code) for f in found if f.code not in WHOLE_FILE)

    def whole_file(findings: List[Finding]) -> List[Finding]:
        return [f for f in findings if f.code in WHOLE_FILE]

    outcome = fix_bytes(linter, "a.md", broken, unsafe=False, choose=whole_file)
    assert outcome.data == expected and outcome.fixed
    assert not whole_file(linter.lint_bytes("a.md", outcome.data).findings)
    assert others(outcome.data) == others(broken) == others(data) != []


@pytest.mark.parametrize("before", PAIRS, ids=lambda path: path.stem)
def test_unsafe_fixes_need_the_flag(before: Path) -> None:
    outcome = fix_bytes(Linter(), before.name, before.read_bytes(), unsafe=False)
    if registry.RULES[code(before)].fixable == SAFE:
        assert outcome.data == fixed_of(before).read_bytes()
    else:
        assert outcome.data == before.read_bytes() and outcome.fixed == []


def test_the_readme_lists_every_fix() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Fixes", 1)[1].split("\n## ", 1)[0]
    for code, does in DOES.items():
        assert f"| `{code}` | {does[0].upper() + does[1:]} | {registry.RULES[code].fixable} |" in section


# -- what is never fixed ---------------------------------------------------------------------------


def test_a_file_with_a_yaml_problem_is_not_fixed() -> None:
    data = (FIX / "U002-space-in-urls.md").read_bytes().replace(b"category: news", b"category: news\ncategory: news")
    linter = Linter()
    assert [f.fix for f in linter.lint_bytes("a.md", data).findings if f.code == "U002"] == ["", "", "", ""]
    assert fix_bytes(linter, "a.md", data, unsafe=True).data == data


def test_a_suppressed_finding_is_not_fixed() -> None:
    data = (FIX / "U002-space-in-urls.md").read_bytes()
    data = data.replace(b'robotics library/"\n', b'robotics library/"  # lint-news: ignore[U002]\n', 1)
    outcome = fix_bytes(Linter(), "a.md", data, unsafe=True)
    assert b'robotics library/"  # lint-news: ignore[U002]' in outcome.data
    # webUrl alone encoded would differ from originalUrl (a new U008): refused, with a note
    assert [f.line for f in outcome.fixed] == [24, 40]
    assert outcome.notes == ["a.md:7:9: U002 not fixed: the repaired file did not verify"]


def test_secured_is_never_touched() -> None:
    data = (NEWS / "2024-03-11-robotics-library.md").read_bytes().replace(b'secured: "', b'secured: " ', 1)
    linter = Linter()
    assert fix_bytes(linter, "a.md", data, unsafe=True).data == data


def test_a_multi_line_value_is_not_fixed() -> None:
    data = (NEWS / "2024-03-11-robotics-library.md").read_bytes()
    data = data.replace(b'title: "Harbour city', b'title: " Harbour\n  city', 1)
    finding = [f for f in Linter().lint_bytes("a.md", data).findings if f.code == "T001"]
    assert [f.fix for f in finding] == [""]
    assert fix_bytes(Linter(), "a.md", data, unsafe=True).data == data


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(NEWS.parent, root)
    for before in PAIRS:
        shutil.copyfile(before, root / "_news" / f"2024-03-11-{before.name}")
    return root


def test_fix_repairs_and_reports_what_remains(site: Path) -> None:
    rc, out, err = lint(site, "--fix", "_news")
    assert rc == 1
    assert "lint-news: fixed " in err and "[*] " in err  # the unsafe ones remain, marked as such
    assert " [*] " not in out  # every safe fix was made
    for before in PAIRS:
        target = site / "_news" / f"2024-03-11-{before.name}"
        if registry.RULES[code(before)].fixable == SAFE:
            assert target.read_bytes() == fixed_of(before).read_bytes()
        else:
            assert target.read_bytes() == before.read_bytes()
    rc, out, err = lint(site, "--fix", "--unsafe-fixes", "_news")
    assert all((site / "_news" / f"2024-03-11-{b.name}").read_bytes() == fixed_of(b).read_bytes() for b in PAIRS)
    assert lint(site, "--fix", "--unsafe-fixes", "_news") == (
        rc,
        out,
        err.replace(err.split("\n")[0], "lint-news: fixed 0 finding(s) in 0 file(s)"),
    )


def test_fix_exits_0_when_nothing_remains(site: Path) -> None:
    path = "_news/2024-03-11-T001-stray-whitespace.md"
    assert lint(site, path).rc == 0  # warnings only
    # the fix fixtures are variants of one article: A001 (same webUrl) is not about fixing
    rc, out, err = lint(site, "--strict", "--fix", "--ignore", "A001", path)
    assert (rc, out) == (0, "")
    assert err.startswith("lint-news: fixed 4 finding(s) in 1 file(s)\n")


def test_diff_writes_nothing_and_applies_with_git_and_patch(site: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in (site / "_news").iterdir()}
    rc, diff, err = lint(site, "--diff", "--unsafe-fixes", "_news")
    assert rc == 1 and diff.startswith("--- a/_news/")
    assert {p: p.read_bytes() for p in (site / "_news").iterdir()} == before
    cr_only = "2024-03-11-E015-cr-line-endings.md"
    withheld = {cr_only}
    assert f"lint-news: _news/{cr_only}: not in the diff, as that would print the secured value: line 1" in err
    assert err.count("not in the diff") == 1 and f"b/_news/{cr_only}" not in diff
    fixed = tmp_path / "fixed"
    shutil.copytree(site, fixed)
    assert lint(fixed, "--fix", "--unsafe-fixes", "-q", "_news").rc == 1
    for tool in ("git", "patch"):
        copy = tmp_path / tool
        shutil.copytree(site, copy)
        (tmp_path / "d.patch").write_bytes(diff.encode("utf-8"))
        command = (
            ["git", "apply", "--whitespace=nowarn", str(tmp_path / "d.patch")]
            if tool == "git"
            else ["patch", "-p1", "-s", "-i", str(tmp_path / "d.patch")]
        )
        subprocess.run(command, cwd=copy, check=True, env={**os.environ, "GIT_DIR": str(copy / "no-git")})
        for path in (copy / "_news").iterdir():
            # the CR-only file is one line to both tools, holding `secured`: left out, named
            expected = site if path.name in withheld else fixed
            assert path.read_bytes() == (expected / "_news" / path.name).read_bytes(), (tool, path.name)


def test_diff_is_empty_and_exit_0_when_nothing_to_fix(site: Path) -> None:
    assert lint(site, "--diff", CLEAN) == (0, "", "lint-news: would fix 0 finding(s) in 0 file(s)\n")


def test_fix_stdin_writes_the_fixed_document_to_stdout(site: Path) -> None:
    data = (site / BAD).read_bytes()
    proc = subprocess.run(
        [*lint_news_command(), "--fix", "-", "--stdin-filename", BAD],
        input=data,
        capture_output=True,
        cwd=site,
    )
    assert proc.returncode == 1
    assert proc.stdout == fix_bytes(Linter(), BAD, data, unsafe=False).data != data
    assert f"{BAD}:15:11: U006 provider domain" in proc.stderr.decode()
    assert (site / BAD).read_bytes() == data


def test_fix_keeps_the_mode_of_the_file(site: Path) -> None:
    path = site / "_news" / "2024-03-11-U002-plain-url.md"
    path.chmod(0o640)
    assert lint(site, "--fix", "-q", str(path.relative_to(site))).rc == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes() == fixed_of(FIX / "U002-plain-url.md").read_bytes()
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []  # no temporary files


def test_a_symbolic_link_is_not_fixed(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    shutil.copyfile(FIX / "U002-plain-url.md", outside)
    (site / "_news" / "link.md").symlink_to(outside)
    rc, out, err = lint(site, "--fix", "_news/link.md")
    # the link leaves the folder: not even read (E016); inside it, --fix refuses to write through it
    assert "not fixed: it is a symbolic link" in err or " E016 " in out
    assert outside.read_bytes() == (FIX / "U002-plain-url.md").read_bytes()


def test_a_file_with_other_hard_links_is_not_fixed(site: Path, tmp_path: Path) -> None:
    path = site / "_news" / "2024-03-11-U002-plain-url.md"
    os.link(path, tmp_path / "other-name.md")
    rc, out, err = lint(site, "--fix", str(path.relative_to(site)))
    assert "not fixed: it has other hard links" in err and " [*] " in out
    assert path.read_bytes() == (tmp_path / "other-name.md").read_bytes() == (FIX / "U002-plain-url.md").read_bytes()


def test_a_baselined_finding_is_not_fixed(site: Path) -> None:
    assert lint(site, "--write-baseline", "baseline.json", BAD).rc == 0
    assert lint(site, "--fix", "--baseline", "baseline.json", BAD).rc == 0
    assert (site / BAD).read_bytes() == (NEWS / BAD_NAME).read_bytes()


def test_fix_with_jobs_and_cache_gives_what_a_serial_run_gives(site: Path, tmp_path: Path) -> None:
    for index in range(40):
        shutil.copyfile(FIX / "T001-stray-whitespace.md", site / "_news" / f"2024-01-{index:02d}-copy.md")
    serial = tmp_path / "serial"
    shutil.copytree(site, serial)
    assert lint(site, "_news").rc == 1  # fills the cache with the unfixed files' findings
    parallel = lint(site, "--fix", "--jobs", "2", "_news")
    assert parallel == lint(serial, "--fix", "--jobs", "1", "--no-cache", "_news")
    after = lint(site, "_news")  # never served from an entry of the unfixed bytes
    assert after == lint(serial, "--no-cache", "_news")
    assert " T001 " not in after.out  # (A001 names the copies' files, "...-T001-...")


def test_json_output_says_which_findings_are_fixable(site: Path) -> None:
    rc, out, err = lint(site, "--format", "json", BAD)
    fixes = {(f["line"], f["code"]): f["fix"] for f in json.loads(out)["findings"]}
    assert fixes[(6, "U002")] == "safe" and fixes[(15, "U006")] == "unsafe" and fixes[(3, "S003")] is None


def test_rule_documentation_says_whether_a_code_is_fixable() -> None:
    assert "Fixable (safe, with `--fix`)" in run_cli("rule", "U002").out
    assert "Fixable (unsafe, with `--fix --unsafe-fixes`)" in run_cli("rule", "U006").out
    assert "Not fixable automatically." in run_cli("rule", "D001").out


def test_fix_and_write_baseline_are_exclusive(site: Path) -> None:
    rc, out, err = lint(site, "--fix", "--write-baseline", "b.json", "_news")
    assert (rc, out) == (2, "") and "cannot be combined" in err


# -- writing ----------------------------------------------------------------------------------------


def test_a_file_changed_after_it_was_read_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old\n")
    snapshot = read_snapshot(str(path), str(tmp_path), 1 << 20)
    assert not isinstance(snapshot, str)
    path.write_bytes(b"new!\n")
    assert write_fixed(str(path), snapshot, b"fixed\n") == "it changed since it was read"
    assert path.read_bytes() == b"new!\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_file_replaced_by_one_of_the_same_size_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old\n")
    snapshot = read_snapshot(str(path), str(tmp_path), 1 << 20)
    assert not isinstance(snapshot, str)
    os.utime(path, ns=(snapshot.status.st_atime_ns, snapshot.status.st_mtime_ns))
    path.write_bytes(b"odd\n")
    os.utime(path, ns=(snapshot.status.st_atime_ns, snapshot.status.st_mtime_ns))  # same size and time
    assert write_fixed(str(path), snapshot, b"fixed\n") == "it changed since it was read"
    assert path.read_bytes() == b"odd\n"


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff("a.md", b"x\r\ny", b"x\r\nz")
    marker = b"\\ No newline at end of file\n"
    assert diff.text == b"--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,2 @@\n x\r\n-y\n" + marker + b"+z\n" + marker
    assert unified_diff("a.md", b"x\n", b"x\n") == (b"", [])


# -- --diff never prints a secured line ---------------------------------------------------------

NUMBERED = b"".join(b"l%d\n" % n for n in range(1, 21))  # l1 .. l20, 3 bytes a line up to l9


def span_of(data: bytes, line: bytes) -> Tuple[int, int]:
    """The byte range of ``line`` (without its LF) in ``data``, as State.secret_ranges gives it."""
    start = data.index(line + b"\n")
    return start, start + len(line)


def test_a_secret_line_inside_the_context_splits_the_hunk() -> None:
    new = NUMBERED.replace(b"l8\n", b"L8\n").replace(b"l12\n", b"L12\n")
    secret = [span_of(NUMBERED, b"l10")]
    diff = unified_diff("a.md", NUMBERED, new, secret, [span_of(new, b"l10")])
    assert diff.withheld == []
    # one hunk l5..l15 but for the secret: split at l10, each side's context cut to the other's
    assert diff.text == (
        b"--- a/a.md\n+++ b/a.md\n@@ -7,3 +7,3 @@\n l7\n-l8\n+L8\n l9\n@@ -11,3 +11,3 @@\n l11\n-l12\n+L12\n l13\n"
    )


def test_a_change_right_after_a_secret_has_one_trailing_line_only() -> None:
    new = NUMBERED.replace(b"l11\n", b"L11\n")
    diff = unified_diff("a.md", NUMBERED, new, [span_of(NUMBERED, b"l10")], [span_of(new, b"l10")])
    assert diff == (b"--- a/a.md\n+++ b/a.md\n@@ -11,2 +11,2 @@\n-l11\n+L11\n l12\n", [])


def test_a_change_right_before_a_secret_is_withheld_unless_at_the_end() -> None:
    new = NUMBERED.replace(b"l9\n", b"L9\n").replace(b"l3\n", b"L3\n")
    diff = unified_diff("a.md", NUMBERED, new, [span_of(NUMBERED, b"l10")], [span_of(new, b"l10")])
    assert diff.withheld == [Withheld(8, 9, NO_CONTEXT)] and diff.withheld[0].where() == "line 9"
    assert diff.text == b"--- a/a.md\n+++ b/a.md\n@@ -1,6 +1,6 @@\n l1\n l2\n-l3\n+L3\n l4\n l5\n l6\n"
    last = NUMBERED[:-4] + b"L20\n"  # a change after the secret line at the very end: no context needed
    secret = [span_of(NUMBERED, b"l19")]
    assert unified_diff("a.md", NUMBERED, last, secret, secret).text.endswith(b"@@ -20 +20 @@\n-l20\n+L20\n")


def test_a_changed_line_holding_a_secret_is_withheld() -> None:
    old = b"---\rs: x\r---\r"
    diff = unified_diff("a.md", old, old.replace(b"\r", b"\n"), [(4, 8)], [(4, 8)])
    assert diff == (b"", [Withheld(0, 1, HOLDS_SECRET)])


def test_diff_of_the_e013_fixture_shows_no_secured_line(site: Path) -> None:
    """The closing fence right after `secured`, at the end: its hunk has no context at all."""
    path = "_news/2024-03-11-E013-fence-blanks.md"
    rc, out, err = lint(site, "--diff", "--ignore", "A001", path)
    assert (rc, err) == (1, "lint-news: would fix 2 finding(s) in 1 file(s)\n")
    title = 'title: "Harbour city opens its first public library for robotics"'
    excerpt = (
        'excerpt: "The new library lends soldering kits and small robot arms to anyone with a city card, '
        'and runs evening classes for beginners."'
    )
    assert out == (
        f"--- a/{path}\n+++ b/{path}\n@@ -1,4 +1,4 @@\n---- \t\n+---\n category: news\n {title}\n {excerpt}\n"
        "@@ -46 +46 @@\n----  \n+---\n"
    )
    assert "secured" not in out


def test_diff_of_a_cr_only_file_leaves_it_out_and_says_so(site: Path) -> None:
    path = "_news/2024-03-11-E015-cr-line-endings.md"
    rc, out, err = lint(site, "--diff", "--ignore", "A001", path)
    assert (rc, out) == (1, "")
    assert err == (
        f"lint-news: {path}: not in the diff, as that would print the secured value: "
        "line 1 (a changed line holds the secured value); run --fix to apply\n"
        "lint-news: would fix 1 finding(s) in 1 file(s)\n"
    )


def test_diff_hides_a_value_an_alias_joins_to_secured(tmp_path: Path) -> None:
    """`secured: *s` makes the anchored line a secret too: no context line shows it."""
    data = FIX.joinpath("Y001-yes-no.fixed.md").read_bytes()
    secret = data.split(b'secured: "', 1)[1].split(b'"', 1)[0]
    data = data.replace(b'secured: "' + secret + b'"', b"secured: *s")
    data = data.replace(b"type: article\n", b'type: article\nnote: &s "' + secret + b'"\n', 1)
    data = data.replace(b"published: true", b"published: yes")
    outcome = fix_bytes(Linter(), "a.md", data, unsafe=True)
    assert outcome.fixed, "the published: yes line is fixed"
    diff = unified_diff("a.md", data, outcome.data, *outcome.secrets)
    assert diff.text.count(b"@@ -") == 1 and secret not in diff.text


def test_diff_hides_a_copy_of_the_secured_text_in_another_line(site: Path, tmp_path: Path) -> None:
    """A title or body line that repeats the secured text is not printed, as --show-source
    does not print it: the copy sits in the context of the fixed line."""
    data = FIX.joinpath("Y001-yes-no.fixed.md").read_bytes()
    secret = data.split(b'secured: "', 1)[1].split(b'"', 1)[0][:40]
    data = data.replace(b"type: article\n", b'type: article\nnote: "copy ' + secret + b' here"\n', 1)
    data = data.replace(b"published: true", b"published: yes")
    data += b"Body text with " + secret + b" in it.\n"
    outcome = fix_bytes(Linter(), "a.md", data, unsafe=True)
    assert outcome.fixed, "the published: yes line is fixed"
    diff = unified_diff("a.md", data, outcome.data, *outcome.secrets)
    assert b"-published: yes\n+published: true\n" in diff.text and b"note:" not in diff.text
    assert all(secret[i : i + 12] not in diff.text for i in range(len(secret) - 11))
    path = site / "_news" / "2024-03-11-copy-of-secured.md"
    path.write_bytes(data)
    rc, out, err = lint(site, "--diff", "--ignore", "A001", "_news/2024-03-11-copy-of-secured.md")
    assert rc == 1 and "-published: yes\n+published: true\n" in out
    assert all(secret[i : i + 12].decode() not in out + err for i in range(len(secret) - 11))


# -- interrupted runs ------------------------------------------------------------------------------


def interrupted_run(tmp_path: Path, count: int, sig: int, after_files: int) -> Tuple[int, Path, bytes, bytes]:
    """``lint-news --fix`` over ``count`` fixable files, sent ``sig`` once ``after_files`` of
    them were rewritten; returns its exit code, the folder and a file's old and new bytes."""
    folder = tmp_path / f"site-{sig}-{after_files}" / "_news"
    folder.mkdir(parents=True)
    old, new = (FIX / "T001-stray-whitespace.md").read_bytes(), fixed_of(FIX / "T001-stray-whitespace.md").read_bytes()
    for index in range(count):
        (folder / f"2024-01-01-a{index:04d}.md").write_bytes(old)
    command = [*lint_news_command(), "--fix", "--no-cache", "-q", "--jobs", "1", str(folder)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if sum(size_of(path) == len(new) for path in folder.iterdir()) >= after_files:
            break
        time.sleep(0.002)
    proc.send_signal(sig)
    return proc.wait(timeout=60), folder, old, new


def size_of(path: Path) -> int:
    """A file's size, or -1 when it went away between listing and asking (the run's
    temporary file, renamed into place in the meantime)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


@pytest.mark.parametrize("after_files", [1, 60])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_an_interrupted_fix_leaves_every_file_old_or_new_and_no_temporary_file(
    tmp_path: Path, sig: int, after_files: int
) -> None:
    rc, folder, old, new = interrupted_run(tmp_path, 200, sig, after_files)
    names = sorted(path.name for path in folder.iterdir())
    assert names == [f"2024-01-01-a{index:04d}.md" for index in range(200)]  # nothing left behind
    contents = [(folder / name).read_bytes() for name in names]
    assert all(data in (old, new) for data in contents)
    assert contents.count(new) >= min(after_files, 1)
    assert rc in (-sig, 130, 0)  # killed, interrupted (Ctrl-C), or done before the signal came


# -- writing new values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "style", "written_as"),
    [
        ("Harbour Times", "plain", "Harbour Times"),
        ("No", "plain", '"No"'),  # YAML 1.1 would read a boolean
        ("2020", "plain", '"2020"'),
        ("a: b", "plain", '"a: b"'),  # a plain scalar would become a mapping
        ("a #b", "plain", '"a #b"'),  # ... or lose a comment
        ("#b", "plain", '"#b"'),
        ("- x", "plain", '"- x"'),
        ("", "plain", '""'),
        ("x:", "plain", '"x:"'),
        ('say "hi" \\ bye', "double", '"say \\"hi\\" \\\\ bye"'),
        ("tab\there\u2028", "double", '"tab\\there\\L"'),
        ("nbsp\u00a0é", "double", '"nbsp\u00a0é"'),
        ("\x07bell", "single", '"\\x07bell"'),  # a control character needs double quotes
        ("it's", "single", "'it''s'"),
    ],
)
def test_new_values_are_written_so_they_read_back_exactly(value: str, style: str, written_as: str) -> None:
    import yaml

    assert written(value, style) == written_as
    assert yaml.safe_load(f"key: {written_as}") == {"key": value}


@pytest.mark.parametrize(
    ("line", "col", "found"),
    [
        ('key: "a \\" b"  # c', 5, (13, "double")),
        ("key: 'it''s' # c", 5, (12, "single")),
        ("key: plain text  # c", 5, (15, "plain")),
        ("key: plain#not-a-comment", 5, (24, "plain")),
        ('key: "open', 5, None),
        ("key: [a, b]", 5, None),
        ('key: "a" b', 5, None),
    ],
)
def test_the_extent_of_a_one_line_scalar(line: str, col: int, found: object) -> None:
    assert scalar_at(line, col) == found


@pytest.mark.parametrize(
    "data",
    [b"", b"no frontmatter\n", b"---\ntitle: x\n", b"\xff\xfe\x00", b"---\n: [\n---\n", b"\xef\xbb\xbf---\rx: 1\r"],
    ids=["empty", "no-frontmatter", "unclosed", "utf-16", "syntax-error", "bom-cr-unclosed"],
)
def test_a_document_that_cannot_be_fixed_comes_back_unchanged(data: bytes) -> None:
    assert fix_bytes(Linter(), "a.md", data, unsafe=True).data == data
    proc = subprocess.run([*lint_news_command(), "--fix", "-"], input=data, capture_output=True)
    assert proc.stdout == data

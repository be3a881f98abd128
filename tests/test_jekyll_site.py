"""Acceptance: a real Jekyll builds every fixture and example, and every file it breaks gets an
error from lint-news.

The contract: a file that Jekyll publishes raw (as a static file, ``secured`` included),
builds without its data (a "YAML Exception", "could not read file"), builds with a value
other than the text written, or aborts the whole build on, has at least one error-severity
finding. Jekyll is Debian's ``jekyll`` package (``apt-get install jekyll``; .ci/run installs
it), which reads frontmatter with Psych.safe_load; a plugin (``tests/jekyll/site/_plugins``)
also reads every article as upstream Jekyll does, with SafeYAML.load, when a copy of
safe_yaml is named by ``LINT_NEWS_SAFE_YAML_LIB`` (its ``lib`` folder: Debian has no package
of it and RubyGems is out of reach here), and that reading must hold to the same contract.
Without it, upstream's reader is checked by the pinned table of ``test_jekyll_readers.py``.

All files are built in one site, one per folder of the ``news`` collection; a file that
aborts the build is noted and taken out, and the site built again.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Set, Tuple

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT, require_tool

from linter.engine import Linter
from linter.model import Severity
from linter.parse import frontmatter
from linter.parse.blockreader import parse
from linter.parse.scalars import MAX_SIMPLE_KEY
from linter.settings import Settings
from linter.validate.schema import bundled_schema, time_keys

SITE = ROOT / "tests" / "jekyll" / "site"
SAFE_YAML = os.environ.get("LINT_NEWS_SAFE_YAML_LIB", "")
_MINIMAL = FIXTURES / "valid" / "2024-04-08-minimal-article.md"
#: Where Jekyll names the file that stopped the build.
_CULPRIT = re.compile(r"(_news/f[0-9]+/[^:'\s]+)")
_NO_DATA = re.compile(r"(?:YAML Exception reading|could not read file) \S*?(_news/f[0-9]+/[^:\s]+):")


def _variants() -> Dict[str, bytes]:
    """Files no fixture can be (fixtures are LF-only UTF-8 without a BOM), made from one; and
    a key over libyaml's 1,024 characters with its S003 suppressed (issue #16), too wide a
    line for a fixture."""
    data = _MINIMAL.read_bytes()
    text = data.decode("utf-8").replace("Old Gazette", "Old Gazetté")
    lines = data.split(b"\n")
    long_key = b"k" * (MAX_SIMPLE_KEY + 1) + b": x  # lint-news: ignore[S003]"
    return {
        "2024-04-08-long-key.md": b"\n".join(lines[:3] + [long_key] + lines[3:]),
        "2024-04-08-bom.md": codecs.BOM_UTF8 + data,
        "2024-04-08-bom-crlf.md": codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n"),
        "2024-04-08-cr.md": data.replace(b"\n", b"\r"),
        "2024-04-08-crlf.md": data.replace(b"\n", b"\r\n"),
        "2024-04-08-latin-1.md": text.encode("latin-1"),
        "2024-04-08-utf-16.md": text.encode("utf-16"),
    }


def inputs() -> Dict[str, bytes]:
    """Every file to build, by a name for the test ids: fixtures, examples and variants."""
    found = {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in sorted(FIXTURES.rglob("*.md"))}
    found.update({path.relative_to(ROOT).as_posix(): path.read_bytes() for path in sorted(EXAMPLES.rglob("*.md"))})
    found.update({f"variant/{name}": data for name, data in _variants().items()})
    return found


class Built(NamedTuple):
    """What Jekyll did with one file."""

    raw: bool  # copied as a static file
    aborted: bool  # stopped the whole build
    no_data: bool  # built, but its frontmatter could not be read ("YAML Exception", ...)
    psych: Any  # the page data (Debian's Jekyll), or None
    safe_yaml: Any  # what upstream Jekyll's reader makes of the frontmatter, or None


@cache
def build() -> Dict[str, Built]:
    jekyll = require_tool("jekyll", "the acceptance test builds every fixture with a real Jekyll")
    import tempfile

    files = inputs()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(SITE, site)
        where = {}
        for number, (name, data) in enumerate(files.items()):
            target = site / "_news" / f"f{number:03d}" / name.rsplit("/", 1)[-1]
            target.parent.mkdir(parents=True)
            target.write_bytes(data)
            where[name] = target.relative_to(site).as_posix()
        aborted, log = _build_until_done(jekyll, site, where)
        data = json.loads((site / "lint-news-data.json").read_text(encoding="utf-8"))
        no_data = set(_NO_DATA.findall(log))
        return {
            name: _built(site, path, path in aborted, path in no_data, data.get(path)) for name, path in where.items()
        }


def _build_until_done(jekyll: str, site: Path, where: Dict[str, str]) -> Tuple[Set[str], str]:
    """Build; while the build stops on a file, note it, take it out and build again."""
    aborted: Set[str] = set()
    env = dict(os.environ, RUBYLIB=SAFE_YAML, TZ="UTC", JEKYLL_ENV="production")
    for _ in range(len(where)):
        run = subprocess.run([jekyll, "build"], cwd=site, capture_output=True, env=env, timeout=600)
        log = run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace")
        if run.returncode == 0:
            return aborted, log
        named = _CULPRIT.findall(log)  # the last one is in the error that stopped the build
        assert named and (site / named[-1]).exists(), f"jekyll failed on no article:\n{log}"
        aborted.add(named[-1])
        (site / named[-1]).unlink()
    raise AssertionError("every file aborted the build")


def _built(site: Path, path: str, aborted: bool, no_data: bool, read: Optional[Dict[str, Any]]) -> Built:
    raw = (site / "_site" / path.replace("_news/", "news/", 1)).exists()
    psych = read.get("psych") if read else None
    safe = read.get("safe_yaml") if read else None
    return Built(raw, aborted, no_data, psych, safe)


# -- what lint-news says ---------------------------------------------------------------------------


def lint_errors(name: str, data: bytes) -> List[str]:
    result = Linter(Settings()).lint_bytes(name.rsplit("/", 1)[-1], data)
    return [f"{f.line}:{f.col} {f.code}" for f in result.findings if f.severity is Severity.ERROR]


def written(data: bytes) -> Any:
    """The frontmatter as lint-news reads it (timestamps kept as the text written)."""
    text = frontmatter.decode(data)
    block = frontmatter.split(text) if isinstance(text, str) else None
    if not isinstance(block, frontmatter.Frontmatter):
        return None
    return parse(block.yaml_text).data


# -- comparing what was written with what Jekyll read ----------------------------------------------

TIME_KEYS = time_keys(bundled_schema())


def differences(wrote: Any, read: Any, path: str = "", top: bool = True) -> List[str]:
    """Where Jekyll's reading differs from the text written (in type or value); Jekyll adds
    keys of its own at the top (slug, date, layout...), so only written keys count there."""
    if isinstance(wrote, dict):
        if not isinstance(read, dict):
            return [f"{path or 'frontmatter'}: a mapping, read as {read!r}"]
        keys = set(wrote) if top else set(wrote) | set(read)
        return [d for key in sorted(keys, key=str) for d in _item(wrote, read, key, path)]
    if isinstance(wrote, list):
        if not isinstance(read, list) or len(read) != len(wrote):
            return [f"{path}: a list of {len(wrote)}, read as {read!r}"]
        return [d for i, (w, r) in enumerate(zip(wrote, read)) for d in differences(w, r, f"{path}[{i}]", False)]
    return [] if _same_scalar(wrote, read, path) else [f"{path}: written {wrote!r}, read as {read!r}"]


def _item(wrote: Dict[str, Any], read: Dict[str, Any], key: str, path: str) -> List[str]:
    where = f"{path}.{key}" if path else key
    if key not in wrote or key not in read:
        return [f"{where}: {'not written' if key not in wrote else 'missing'} in Jekyll's data"]
    return differences(wrote[key], read[key], where, False)


def _same_scalar(wrote: Any, read: Any, path: str) -> bool:
    if isinstance(wrote, str) and read == {"ruby": "Time"}:
        return path.rsplit(".", 1)[-1] in TIME_KEYS  # a date-time field: Jekyll reads a time
    if isinstance(wrote, float):
        return isinstance(read, dict) and read.get("ruby") == "Float" and _same_float(wrote, read.get("value"))
    return type(wrote) is type(read) and wrote == read


def _same_float(wrote: float, read: Any) -> bool:
    if isinstance(read, str):  # NaN, Infinity, -Infinity
        return str(wrote).replace("inf", "Infinity").replace("nan", "NaN") == read
    return isinstance(read, (int, float)) and wrote == read


def broken(built: Built, wrote: Any) -> List[str]:
    """How Jekyll breaks the file, or [] when both readers give exactly what was written."""
    if built.aborted:
        return ["aborts the whole build"]
    if built.raw:
        return ["published raw as a static file"]
    if built.no_data or built.psych is None:
        return ["built without its data (Debian's Jekyll)"]
    if isinstance(built.safe_yaml, dict) and built.safe_yaml.get("ruby") in ("error", "no frontmatter"):
        return ["built without its data (upstream Jekyll)"]
    if wrote is None:
        return ["lint-news reads no frontmatter, Jekyll does"]
    psych = [f"Debian's Jekyll: {d}" for d in differences(wrote, built.psych)]
    if built.safe_yaml is None:  # no safe_yaml here: upstream's reading is the pinned table's
        return psych
    return psych + [f"upstream Jekyll: {d}" for d in differences(wrote, built.safe_yaml)]


# -- the contract ----------------------------------------------------------------------------------

NAMES = sorted(inputs())


@pytest.mark.parametrize("name", NAMES)
def test_every_file_jekyll_breaks_has_an_error(name: str) -> None:
    data = inputs()[name]
    how = broken(build()[name], written(data))
    if how:
        assert lint_errors(name, data), f"Jekyll breaks {name} ({'; '.join(how)}) but lint-news reports no error"


VALID = [name for name in NAMES if name.startswith("tests/fixtures/valid/")]


@pytest.mark.parametrize("name", VALID)
def test_jekyll_reads_valid_fixtures_as_written(name: str) -> None:
    """The comparison itself: what lint-news passes, both Jekylls read exactly as written."""
    assert broken(build()[name], written(inputs()[name])) == []


#: What Jekyll was seen to do with some files, so that the contract above cannot pass by
#: finding nothing broken.
SEEN = {
    "variant/2024-04-08-bom.md": "published raw as a static file",
    "variant/2024-04-08-cr.md": "published raw as a static file",
    "variant/2024-04-08-long-key.md": "built without its data (Debian's Jekyll)",
    "variant/2024-04-08-latin-1.md": "aborts the whole build",
    "variant/2024-04-08-utf-16.md": "published raw as a static file",
    "tests/fixtures/invalid/E001-first-line-not-fence.md": "published raw as a static file",
    "tests/fixtures/invalid/D003-filename-date-invalid/2024-13-01-rescue-drill.md": "aborts the whole build",
    "tests/fixtures/invalid/E003-missing-colon.md": "built without its data (Debian's Jekyll)",
    "tests/fixtures/invalid/Y005-symbol-title.md": "built without its data (Debian's Jekyll)",
    "tests/fixtures/invalid/Y005-sexagesimal-heat.md": "Debian's Jekyll: heat: written 90, read as 5400",
    "tests/fixtures/invalid/Y004-comma-integer-title.md": "Debian's Jekyll: title: written '10,000', read as 10000",
    "tests/fixtures/invalid/E011-null-key-in-provider.md": "upstream Jekyll: provider",
}
if not SAFE_YAML:  # upstream's reader is not run here: its breakages cannot be seen
    SEEN = {name: how for name, how in SEEN.items() if not how.startswith("upstream Jekyll")}


@pytest.mark.parametrize("name", sorted(SEEN))
def test_jekyll_breaks_what_it_was_seen_to_break(name: str) -> None:
    how = broken(build()[name], written(inputs()[name]))
    assert any(item.startswith(SEEN[name]) for item in how), how

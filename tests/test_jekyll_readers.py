"""Jekyll's two YAML readers, as lint-news models them (``linter/parse/scalars.py``).

Debian's `jekyll` reads frontmatter with Psych.safe_load, upstream Jekyll with SafeYAML.load.
The table below pins what each makes of a plain scalar and runs everywhere; where Ruby is
installed (always in CI), the same texts and more go through the real readers
(``tests/jekyll/readers.rb``, with Debian's Psych) and the model must give the same class
and value for every one of them. SafeYAML is checked against the real one too when
``LINT_NEWS_SAFE_YAML_LIB`` names a copy of safe_yaml 1.0.5's ``lib`` folder: Debian has no
package of it and RubyGems is out of reach here, so elsewhere its column of the pinned
table (recorded from the real safe_yaml 1.0.5) stands for it.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from functools import cache
from typing import Any, Dict, List, Tuple

import pytest
from conftest import ROOT, require_tool

from linter.parse.scalars import DATE, REFUSED, TIME, psych_value, safe_yaml_value

JEKYLL_TESTS = ROOT / "tests" / "jekyll"
SAFE_YAML_LIB = os.environ.get("LINT_NEWS_SAFE_YAML_LIB", "")
inf, nan = math.inf, math.nan

#: text -> (Psych, SafeYAML), as Ruby 3.1's Psych 4.0.3 and safe_yaml 1.0.5 read it.
PINNED: Dict[str, Tuple[Any, Any]] = {
    # times and dates: the examples, then the edges of each reader
    "2024-04-15T10:30:00Z": (TIME, TIME),
    "2024-04-15 10:30:00": (TIME, TIME),
    "2024-04-15t10:30:00.5+02:00": (TIME, TIME),
    "2001-12-14 21:59:43.10 -5": (TIME, TIME),
    "2024-04-15T10:30:60Z": (TIME, TIME),
    "2024-02-30T10:00:00Z": (TIME, "2024-02-30T10:00:00Z"),
    "2024-13-01T10:00:00Z": ("2024-13-01T10:00:00Z", "2024-13-01T10:00:00Z"),
    "2024-04-15T25:00:00Z": ("2024-04-15T25:00:00Z", "2024-04-15T25:00:00Z"),
    "2024-01-01T24:00:00Z": (TIME, TIME),
    "2024-01-01T24:30:00Z": ("2024-01-01T24:30:00Z", "2024-01-01T24:30:00Z"),
    "2024-04-15T10:30:00+0530": (TIME, TIME),
    "2024-04-15T10:30:00+24": ("2024-04-15T10:30:00+24", "2024-04-15T10:30:00+24"),
    "2024-04-15T10:30:00+25": ("2024-04-15T10:30:00+25", TIME),
    "2024-4-5 1:02:03": (TIME, TIME),
    "2024-04-15T1:2:03Z": ("2024-04-15T1:2:03Z", "2024-04-15T1:2:03Z"),
    "-2024-04-15T10:30:00Z": (TIME, "-2024-04-15T10:30:00Z"),
    "2024-04-15": (DATE, DATE),
    "2024-4-15": (DATE, "2024-4-15"),
    "2024-02-30": ("2024-02-30", "2024-02-30"),
    "2024-00-15": ("2024-00-15", "2024-00-15"),
    # numbers
    "10,000": (10000, 10000),
    "1,000.5": (1000.5, "1,000.5"),
    "1,,000": ("1,,000", 1000),
    "1:30": (5400, 90.0),
    "1:30:00": (5400, 5400.0),
    "1:2:3:4": ("1:2:3:4", 223384.0),
    "1:30.5": (5430.0, 90.5),
    "-1:30": (-1800, 30.0),
    "1:30.": (5400.0, 90.0),
    "1:60": ("1:60", "1:60"),
    "017": (15, 15),
    "-017": (-15, "-017"),
    "0o17": ("0o17", "0o17"),
    "0x1F": (31, 31),
    "+0x1F": (31, 31),
    "0X1F": ("0X1F", 31),
    "0b1_01": (5, 5),
    "0b_": (REFUSED, "0b_"),
    "1_000": (1000, 1000),
    "1__0": ("1__0", 10),
    "_1": ("_1", 1),
    "08": ("08", "08"),
    "-.5": (-0.5, -0.5),
    ".5": (0.5, 0.5),
    "0.": (0.0, "0."),
    "1.0_0": ("1.0_0", 1.0),
    "1_.5": (1.5, REFUSED),
    "1.e+5": (100000.0, "1.e+5"),
    "-.e+5": (REFUSED, "-.e+5"),
    "1e5": ("1e5", "1e5"),
    ".inf": (inf, inf),
    "+.inf": (inf, "+.inf"),
    ".iNf": (inf, ".iNf"),
    "-.Inf": (-inf, -inf),
    ".NaN": (nan, nan),
    ".nAn": (nan, ".nAn"),
    "Infinity": ("Infinity", "Infinity"),
    # booleans, nulls, symbols, words
    "yEs": (True, True),
    "No": (False, False),
    "oFF": (False, False),
    "y": ("y", "y"),
    "n": ("n", "n"),
    "nUll": (None, None),
    "~": (None, None),
    "": (None, None),
    ":foo": (REFUSED, ":foo"),
    "news": ("news", "news"),
    "Old Gazette": ("Old Gazette", "Old Gazette"),
}

#: More texts that only the real readers check (their expected values are Ruby's own).
EXTRA = [
    "2024-04-15T10:30:00.1234567Z",
    "2024-04-15T10:30:00.",
    "2024-04-15T10:30:00+23:59",
    "2024-04-15T10:30:00+23:60",
    "2024-04-15T10:30:00+2399",
    "2024-04-15T10:30:00+00:99",
    "2024-04-15T10:30:00 Z",
    "2024-04-15T24:00:00.5Z",
    "2024-04-15T24:00:01Z",
    "2024-02-31T10:00:00+02:00",
    "2024-04-31T10:30:00Z",
    "2023-02-29",
    "2024-02-29",
    "0024-04-15",
    "-1:30.5",
    "+1:30",
    "1:5",
    "1:05:07",
    "100:30:30",
    "1:30:30.5",
    "0_",
    "-0_7",
    "0x_",
    "._5",
    "1._5",
    "1.5_",
    "1,",
    "_,_1",
    "+.5",
    "1.5e+3",
    "-0",
    "+1",
    "0",
    "TRUE",
    "On",
    "NULL",
    "Null",
    "+.INF",
    "Yes please",
    "2020",
    "3.14",
    "1,000,000",
    "12:30",
    "190:30",
]


def model(text: str) -> Tuple[Any, Any]:
    return psych_value(text), safe_yaml_value(text)


def same(found: Any, wanted: Any) -> bool:
    if isinstance(found, float) and isinstance(wanted, float) and math.isnan(wanted):
        return math.isnan(found)
    return type(found) is type(wanted) and found == wanted


@pytest.mark.parametrize("text", sorted(PINNED))
def test_the_model_gives_the_pinned_readings(text: str) -> None:
    psych, safe = model(text)
    wanted_psych, wanted_safe = PINNED[text]
    assert same(psych, wanted_psych), f"Psych: {psych!r}, pinned {wanted_psych!r}"
    assert same(safe, wanted_safe), f"SafeYAML: {safe!r}, pinned {wanted_safe!r}"


# -- the real readers ---------------------------------------------------------------------------


def ruby_class(value: Any) -> Dict[str, Any]:
    """A model reading in the shape readers.rb prints Ruby's."""
    if value is REFUSED:
        return {"class": "error"}
    if value is TIME or value is DATE:
        return {"class": "Time" if value is TIME else "Date"}
    if value is None:
        return {"class": "NilClass"}
    if isinstance(value, bool):
        return {"class": "TrueClass" if value else "FalseClass"}
    if isinstance(value, float):
        shown: Any = (
            value if math.isfinite(value) else ("NaN" if math.isnan(value) else str(value).replace("inf", "Infinity"))
        )
        return {"class": "Float", "value": shown}
    return {"class": "Integer" if isinstance(value, int) else "String", "value": value}


@cache
def ruby_readings(texts: Tuple[str, ...]) -> List[Any]:
    ruby = require_tool("ruby", "the model of Jekyll's YAML readers is checked against the real ones")
    script = JEKYLL_TESTS / "readers.rb"
    proc = subprocess.run(
        [ruby, *(["-I", SAFE_YAML_LIB] if SAFE_YAML_LIB else []), str(script)],
        input=json.dumps(list(texts)).encode("utf-8"),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    readings: List[Any] = json.loads(proc.stdout)
    return readings


ALL_TEXTS = tuple(sorted(set(PINNED) | set(EXTRA)))


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_the_model_reads_as_psych(text: str) -> None:
    psych, _ = ruby_readings(ALL_TEXTS)[ALL_TEXTS.index(text)]
    assert ruby_class(psych_value(text)) == psych


def test_the_model_reads_as_safe_yaml() -> None:
    if not SAFE_YAML_LIB:
        pytest.skip("no safe_yaml here (not a Debian package; RubyGems is out of reach): set LINT_NEWS_SAFE_YAML_LIB")
    wrong = [
        (text, safe, ruby_class(safe_yaml_value(text)))
        for text, (_, safe) in zip(ALL_TEXTS, ruby_readings(ALL_TEXTS))
        if ruby_class(safe_yaml_value(text)) != safe
    ]
    assert wrong == []

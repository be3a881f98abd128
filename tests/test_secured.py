"""``secured`` is hidden by structure, in every output (#10, section 3).

An attacker who can write an article tries to make lint-news print a ``secured`` value:
by spelling the key in another YAML way, by placing it in a flow mapping or deep inside,
by reaching the value through an alias, by joining lines with YAML-only line breaks, by
spreading the value over lines, or by making the file fail to parse. Each try is a case
below; the property test combines them with a random secret and checks every output
format, ``--show-source`` on every line of the file, the hints, statistics and baseline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_articles import GOOD, GOOD_NAME, replace_line
from test_properties import PROFILE

from linter import registry
from linter.baseline import dumps
from linter.engine import Linter
from linter.model import Finding
from linter.parse.blockreader import parse
from linter.report.render import FORMATS, ReportContext, render, statistics
from linter.report.terminal import SourceLines

#: A leak is any run of this many characters of the secret; every secret is at least twice
#: as long, so each half of one spread over two lines is caught too.
LEAK = 12
LAST = GOOD.split("\n")[-3]
assert LAST.startswith("secured: ")
NAME = f"_news/{GOOD_NAME}"
TITLE = 'title: "Harbour city opens a library for robotics"'
WEB_URL = 'webUrl: "https://www.harbour-times.example.com/2024/03/11/robotics-library/"'
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def article(lines: str) -> str:
    """GOOD with its secured line replaced by ``lines``."""
    return replace_line(GOOD, LAST, lines)


def secured_first(value: str, title: str) -> str:
    """GOOD with ``secured: value`` as its first field and its title line replaced."""
    text = replace_line(article(""), "category: news", f"category: news\nsecured: {value}")
    return replace_line(text, TITLE, title)


def leaked(text: str, secret: str) -> List[str]:
    return [secret[i : i + LEAK] for i in range(len(secret) - LEAK + 1) if secret[i : i + LEAK] in text]


def every_output(data: bytes, name: str = NAME) -> Tuple[List[Finding], str]:
    """Findings of one article and all that lint-news can print of it, concatenated:
    every format with --show-source, statistics, a baseline, and each source line."""
    findings = Linter().lint_bytes(name, data).findings
    source = SourceLines({name: data})
    context = ReportContext(rules=registry.RULES, files=[name], show_source=True, source_line=source)
    outputs = [render(fmt, findings, context) for fmt in FORMATS]
    outputs.append(statistics(findings))
    outputs.append(dumps(findings, "baseline.json"))
    outputs.extend(repr(f) for f in findings)
    lines = data.count(b"\n") + data.count(b"\r") + 2
    outputs.extend(source(name, number) or "" for number in range(1, lines + 1))
    return findings, "\n".join(outputs)


def shown_lines(data: bytes) -> List[Optional[str]]:
    source = SourceLines({NAME: data})
    return [source(NAME, number) for number in range(1, data.count(b"\n") + 2)]


# -- each attack on its own ------------------------------------------------------------------

SECRET = "Qz7hWm3Kp9Lx2Rv8Tn4Yb6Jc"
HALF = len(SECRET) // 2


class Attack(NamedTuple):
    text: str
    #: A line shown as it is written, proving the file was understood (not blanked whole).
    shown: str = "category: news"


ATTACKS: Dict[str, Attack] = {
    "escaped-key": Attack(article(f'"secur\\x65d": {SECRET}')),
    "unicode-escaped-key": Attack(article(f'"\\u0073ecured": "{SECRET}"')),
    "tagged-key": Attack(article(f"!!str secured: {SECRET}")),
    "anchored-key": Attack(article(f"&k secured: '{SECRET}'")),
    "explicit-key": Attack(article(f"? secured\n: {SECRET}")),
    "flow-mapping": Attack(article(f"meta: {{secured: {SECRET}, note: x}}")),
    "nested-flow": Attack(article(f"meta: [{{a: 1}}, {{secured: [{SECRET}]}}]")),
    "deep-block": Attack(replace_line(GOOD, "    quality: 31", f"    quality: 31\n    secured: {SECRET}")),
    "alias-to-title": Attack(secured_first(f"&s ' {SECRET}'", "title: *s")),
    "anchor-on-title": Attack(replace_line(article("secured: *t"), TITLE, f"title: &t {SECRET}")),
    "anchor-held-by-alias": Attack(
        replace_line(
            article("secured: *box"),
            TITLE,
            f"box: &box [&inner {SECRET}]\ntitle: *inner",
        )
    ),
    "alias-as-key": Attack(article(f"secured: &s {SECRET}\nmeta: {{*s : 1}}")),
    "line-separator": Attack(article(f"secured: x\nnote: y\u2028secured: {SECRET}")),
    "next-line": Attack(article(f"note: y\x85secured: {SECRET}")),
    "quoted-continuation": Attack(article(f'secured: "{SECRET[:HALF]}\n  {SECRET[HALF:]}"')),
    "escaped-quote-continuation": Attack(article(f'secured: "{SECRET[:HALF]} \\"\n{SECRET[HALF:]}"')),
    "plain-continuation": Attack(article(f"secured: {SECRET[:HALF]}\n  {SECRET[HALF:]}")),
    "single-quoted-continuation": Attack(article(f"secured: '{SECRET[:HALF]}\n\n  {SECRET[HALF:]}'")),
    "folded": Attack(article(f"secured: >\n  {SECRET[:HALF]}\n  {SECRET[HALF:]}")),
    "key-under-secured": Attack(article(f"secured:\n  {SECRET}: 1")),
    "duplicate-key-under-secured": Attack(article(f"secured: {{{SECRET}: 1, {SECRET}: 2}}")),
    "duplicate-block-key-under-secured": Attack(article(f"secured:\n  {SECRET}: 1\n  {SECRET}: 2")),
    "list-item": Attack(replace_line(GOOD, "  - Education", f"  - Education\n  - secured: {SECRET}")),
    "tagged-value": Attack(article(f"secured: !!binary {SECRET}")),
    "custom-tag": Attack(article(f"secured: !vault {SECRET}")),
    "merge-key": Attack(article(f"base: &b {{secured: {SECRET}}}\nmeta:\n  <<: *b")),
    "syntax-error-after": Attack(article(f'secured: "{SECRET}"\nbroken: [')),
    "syntax-error-inside": Attack(article(f'secured: "{SECRET}\nbroken: [')),
    "unclosed-flow": Attack(article(f"secured: [{SECRET},\n  b\nbroken: ]]")),
    "second-document": Attack(article(f"title2: x\n---\nsecured: {SECRET}")),
    "unknown-alias-after": Attack(article(f"secured: {SECRET}\nnote: *nowhere")),
    # The value written again elsewhere, not through an alias: the copy's line is shown
    # with the copy hidden, as in messages (a block-read file, and one the reference reads).
    "copy-in-title": Attack(secured_first(f"'{SECRET}'", f'title: "Harbour &amp; {SECRET}"')),
    "copy-in-url": Attack(
        article(f'secured: "{SECRET}"').replace(WEB_URL, f'webUrl: "https://h.example.com/{SECRET} x"')
    ),
    "copy-beside-flow": Attack(secured_first(f"'{SECRET}'", f"title: [Harbour {SECRET}]")),
}


@pytest.mark.parametrize("case", ATTACKS.values(), ids=list(ATTACKS))
def test_attack_leaks_nothing(case: Attack) -> None:
    data = case.text.encode("utf-8")
    findings, printed = every_output(data)
    assert leaked(printed, SECRET) == []
    assert findings, "each attack must draw at least one finding to be printed"
    assert case.shown in shown_lines(data), "the file's harmless lines must still be shown"


@pytest.mark.parametrize(
    "case, expected",
    [
        ("escaped-key", '"secur\\x65d": (value hidden)'),
        ("flow-mapping", "meta: {secured: (value hidden), note: x}"),
        ("anchor-on-title", "title: (value hidden)"),
        ("next-line", "note: y\x85secured: (value hidden)"),
        ("copy-in-title", 'title: "Harbour &amp; (value hidden)"'),
    ],
)
def test_only_the_secret_span_is_hidden(case: str, expected: str) -> None:
    assert expected in shown_lines(ATTACKS[case].text.encode("utf-8"))


def test_quoted_continuation_hides_both_lines() -> None:
    lines = shown_lines(ATTACKS["quoted-continuation"].text.encode("utf-8"))
    assert lines[-4:-2] == ["secured: (value hidden)", "  (value hidden)"]


def test_unparsed_rest_of_the_frontmatter_is_not_shown() -> None:
    lines = shown_lines(ATTACKS["syntax-error-inside"].text.encode("utf-8"))
    assert lines[1] == "category: news"
    assert lines[-4:] == ["secured (not shown: the frontmatter could not be read past this point)", None, "---", None]


def test_duplicate_key_under_secured_names_no_key() -> None:
    data = ATTACKS["duplicate-key-under-secured"].text.encode("utf-8")
    (duplicate,) = [f for f in Linter().lint_bytes(NAME, data).findings if f.code == "E005"]
    assert duplicate.message.startswith("duplicate key (value hidden) (previously defined on line")
    assert duplicate.data_path == ("secured",)


@pytest.mark.parametrize(
    ("secured", "code", "message"),
    [
        ("[&tok1 a, &tok1 b]", "Y007", "an anchor in the secured value is named again"),
        ("&tok1 [&tok1 a]", "Y007", "an anchor in the secured value is named again"),
        ("[*tok1]", "E003", "unknown alias in the secured value (name hidden)"),
    ],
)
def test_an_anchor_or_alias_name_in_the_secured_value_is_not_said(secured: str, code: str, message: str) -> None:
    data = secured_first(secured, "title: x").encode()
    (found,) = [f for f in Linter().lint_bytes(NAME, data).findings if f.code == code]
    assert found.message.startswith(message) and "tok1" not in found.message


def test_alias_of_a_short_secret_quotes_nothing() -> None:
    """Too short to search for in messages, but a finding on a node that holds it quotes nothing."""
    text = secured_first("&s 'ab:c'", "title: x").replace(WEB_URL, "webUrl: *s")
    findings = Linter().lint_bytes(NAME, text.encode()).findings
    (invalid,) = [f for f in findings if f.code == "U001"]
    assert "ab:c" not in invalid.message and "(value hidden)" in invalid.message


def test_redaction_through_the_command_every_format_and_the_cache(tmp_path: Path) -> None:
    """End to end through the installed command, with the cache on: reports, baseline and
    cache entries hold no secret (the cache is read back by a second run)."""
    news = tmp_path / "_news"
    news.mkdir()
    for number, case in enumerate(ATTACKS.values()):
        (news / f"2024-03-11-attack-{number}.md").write_text(case.text, encoding="utf-8")
    for fmt in FORMATS:
        for _ in range(2):  # the second run is served from the cache
            args = ["--format", fmt, "--show-source", "--statistics", "-o", f"r.{fmt}", "--cache-dir", "cache"]
            result = run_cli(*args, "_news", cwd=tmp_path)
            assert result.rc == 1, result.err
            assert leaked(result.out + result.err, SECRET) == []
    assert run_cli("--write-baseline", "b.json", "_news", cwd=tmp_path).rc == 0
    files = [p for p in tmp_path.rglob("*") if p.is_file() and "_news" not in p.parts]
    written = [p.read_bytes().decode("utf-8", "replace") for p in files]
    assert [p for p in files if p.relative_to(tmp_path).parts[0] == "cache"], "the cache was written"
    assert leaked("".join(written), SECRET) == []


# -- the property: any spelling, any place, any secret -------------------------------------------

KEYS = [
    "secured",
    '"secured"',
    "'secured'",
    '"secur\\x65d"',
    '"\\x73ecured"',
    '"secur\\u0065d"',
    "!!str secured",
    "&key secured",
    "!!str &key secured",
]
Value = Callable[[str], str]  # secret -> how the value is written (may span lines)
VALUES: List[Value] = [
    lambda s: s,
    lambda s: f'"{s}"',
    lambda s: f"'{s}'",
    lambda s: f'"{s[:HALF]}\n   {s[HALF:]}"',
    lambda s: f"'{s[:HALF]}\n   {s[HALF:]}'",
    lambda s: f"{s[:HALF]}\n   {s[HALF:]}",
    lambda s: f"|\n   {s[:HALF]}\n   {s[HALF:]}",
    lambda s: f">-\n   {s}",
    lambda s: f"[{s}]",
    lambda s: f"[{s[:HALF]},\n   {s[HALF:]}]",
    lambda s: f"{{{s}: 1}}",
    lambda s: f"{{{s}: 1, {s}: 2}}",
    lambda s: f"\n   - {s}\n   - {s}",
    lambda s: f"\n   {s}: 1\n   {s}: 2",
    lambda s: f"!!binary {s}",
    lambda s: f"!secret {s}",
    lambda s: f"&anchor {s}",
    lambda s: f"!!str &anchor {s}",
]


@st.composite
def hostile_articles(draw: st.DrawFn) -> Tuple[str, str]:
    secret = "Xq" + draw(st.text(alphabet=ALPHABET, min_size=24, max_size=40))
    key = draw(st.sampled_from(KEYS))
    value = draw(st.sampled_from(VALUES))(secret)
    place = draw(st.sampled_from(["top", "flow", "deep", "item", "line-separator", "next-line", "explicit"]))
    if place == "flow":
        entry = f"meta: {{{key}: {value}}}" if "\n" not in value else f"meta: {{\n  {key}: {value} }}"
    elif place == "deep":
        entry = "meta:\n  inner:\n    " + f"{key}: {value}".replace("\n", "\n    ")
    elif place == "item":
        entry = "meta:\n  - " + f"{key}: {value}".replace("\n", "\n    ")
    elif place == "explicit":
        entry = f"? {key}\n: {value}"
    else:
        joint = {"top": "\n", "line-separator": "\u2028", "next-line": "\x85"}[place]
        entry = f"note: x{joint}{key}: {value}"
    reuse = draw(st.sampled_from(["", "title: *anchor", "topics: [*anchor]", "meta2: {*anchor : 1}"]))
    if reuse and "&anchor" in entry:
        entry += "\n" + reuse
    return article(entry), secret


@settings(PROFILE, max_examples=120)
@given(hostile_articles())
def test_secured_never_printed_whatever_the_spelling(case: Tuple[str, str]) -> None:
    text, secret = case
    for ending in ("\n", "\r\n"):
        data = text.replace("\n", ending).encode("utf-8")
        _, printed = every_output(data)
        assert leaked(printed, secret) == [], printed


@pytest.mark.parametrize("key", KEYS)
def test_every_generated_spelling_is_read_as_secured(key: str) -> None:
    """The property means something only if each spelling really is the ``secured`` key."""
    block = article(f"{key}: {SECRET}").split("---\n")[1]
    assert parse(block).data["secured"] == SECRET


@pytest.mark.parametrize("limit", [256, 0], ids=["window by window", "every window of the text"])
def test_a_text_is_searched_only_when_it_holds_an_indexed_window(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """``hide``'s quick answer, either way it is asked (one ``in`` per indexed window, or
    every window of the text looked up), is "shares a window with the index" exactly: runs
    of 7 to 12 characters of a secret, at every offset, inside and across its ends."""
    import random

    from linter import redact
    from linter.redact import WINDOW, Secrets

    monkeypatch.setattr(redact, "SCAN_LIMIT", limit)
    chooser = random.Random(11)
    secret = "".join(chooser.choice("ABCDEFabcdef0123456789+/") for _ in range(61)) + "=="
    secrets = Secrets([secret, "short", "another-secret-text"])
    index = secrets._windows()
    for start in range(-3, len(secret)):
        for size in range(7, 13):
            text = "x" * 5 + secret[max(0, start) : start + size] + "yy"
            every = {text[at : at + WINDOW] for at in range(len(text) - WINDOW + 1)}
            held = not index.keys().isdisjoint(every)
            assert secrets._shares_window(text) == held
            assert (secrets.hide(text) == text) == (not held), text


class _Unscanned(list):  # type: ignore[type-arg]
    """The indexed windows, refusing to be searched one by one."""

    def __iter__(self) -> Any:
        raise AssertionError("searched window by window")


def test_many_secrets_are_not_searched_window_by_window() -> None:
    """A document of 8,000 secured texts with 8,000 findings (the benchmark's hostile row):
    one ``in`` per window for every finding was 8,000 x 16,000 searches (minutes); past
    ``SCAN_LIMIT`` windows a text's own windows are looked up instead, and the secrets are
    still hidden."""
    import random

    from linter.redact import HIDDEN, SCAN_LIMIT, Secrets

    chooser = random.Random(8000)
    texts = ["".join(chooser.choice("ABCDEFabcdef0123456789+/") for _ in range(20)) for _ in range(8000)]
    secrets = Secrets(texts)
    assert len(secrets._window_texts()) > SCAN_LIMIT
    secrets._texts = _Unscanned(secrets._window_texts())
    assert secrets.hide("no secret in this message at all") == "no secret in this message at all"
    assert secrets.hide(f"value {texts[4321]} is bad") == f"value {HIDDEN} is bad"


# -- the secrets of a block-read article, found from its text -------------------------------------

#: Documents the block reader reads, with the ``secured`` key where ``_written_once`` must
#: answer or hand over to the walk: at the top, deep, in a list, twice, inside its value,
#: in a longer key, with a value that is not a text.
WRITTEN = {
    "top": "title: x\nsecured: abcdefghijklmnop",
    "none": "title: x\nnote: y",
    "quoted": "title: x\nsecured: 'abc def ghi jkl'",
    "deep-only": "meta:\n  secured: abcdefghijklmnop",
    "deep-and-top": "meta:\n  secured: deepdeepdeepdeep\nsecured: toptoptoptoptop",
    "in-a-list": "items:\n  - secured: abcdefghijklmnop\n  - y\nsecured: toptoptoptoptop",
    "in-its-value": "secured: a secured value here",
    "longer-key": "unsecured: abcdefghijklmnop\nsecured: toptoptoptoptop",
    "longer-key-only": "secured_not: abcdefghijklmnop",
    "mapping": "secured:\n  inner: abcdefghijklmnop\n  n: 1",
    "list": "secured:\n  - abcdefghijklmnop\n  - 12",
    "number": "secured: 1234567890123",
    "boolean": "secured: true",
    "null": "secured:",
    "in-a-comment": "title: x # secured: abcdefghijklmnop\nsecured: toptoptoptoptop",
}


@pytest.mark.parametrize("text", WRITTEN.values(), ids=list(WRITTEN))
def test_secrets_from_the_text_are_those_of_a_walk(text: str) -> None:
    """Both fast readers mark their answer with the text, and ``Secrets.of`` finds from it
    exactly what a walk of the data collects; the reference reader's answer (aliases may
    share nodes, keys may be escaped) carries no text, so its data is always walked."""
    from linter.parse import blockreader
    from linter.parse.events import parse as reference
    from linter.parse.types import Limits
    from linter.redact import Secrets

    readers = [blockreader.read_python] + ([blockreader.read_native] if blockreader._native_read else [])
    for read in readers:
        parsed = read(text, Limits())
        assert parsed is not None and parsed.text == text
        walked = Secrets.of(parsed.data, parsed.raw).texts
        assert Secrets.of(parsed.data, parsed.raw, parsed.text).texts == walked
    assert reference(text, Limits()).text is None


def test_a_deep_secured_key_of_a_block_article_is_hidden() -> None:
    """A second ``secured`` key deep in a block-read article (the text then holds the word
    twice, so the data is walked): neither value is printed, in any format."""
    deep = replace_line(GOOD, "    quality: 31", f"    quality: 31\n    secured: {SECRET}")
    assert parse(deep.split("---\n")[1]).text is not None  # the block reader's answer
    findings, printed = every_output(deep.encode("utf-8"))
    assert findings and leaked(printed, SECRET) == []

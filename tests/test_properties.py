"""Property-based tests (hypothesis), bounded and reproducible.

Three properties, each over a bounded number of generated examples with a fixed seed
(``derandomize=True``), so a CI run is the same run every time and the file takes well under
a minute:

- any bytes: the engine never raises, never fails internally, and every finding points
  inside the file;
- mutated valid articles (lines deleted, duplicated or re-indented, characters swapped,
  values replaced by other YAML types): the same;
- articles generated from the schema's own shape, with the invariants of the format: clean.

``FUZZ_REGRESSIONS`` holds inputs that once broke an invariant (found by the atheris target
in ``fuzz/fuzz_lint.py`` or by hand); each is checked on every run.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any, Callable, Dict, List, Sequence

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sample_articles import GOOD

from linter.engine import FileResult, Linter
from linter.parse.frontmatter import split_lines

settings.register_profile(
    "lint-news",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("lint-news")
LINTER = Linter()
NAME = "_news/2024-03-11-property.md"

#: Inputs that once broke an invariant; each is kept as a regression example.
FUZZ_REGRESSIONS: Sequence[bytes] = (
    b"---\nquality: " + b"9" * 400 + b":30\n---\n",  # OverflowError in base-60 integers (E012)
    b"---\nquality: 0x_\n---\n",  # reported as a disallowed '!!int' tag
    b"---\nquality: " + b"9" * 5000 + b"\n---\n",  # Python's 4,300-digit limit
    b"---\na: " + b"[" * 2000 + b"\n---\n",  # libyaml's own nesting limit
    '---\na: "x\u2028\u2028y"\nb: [\n---\n'.encode(),  # YAML-only line breaks shift lines
    b'---\na: "x\xc2\x85y"\nb: c: d\n---\n',  # NEL, likewise
    b"---\n1: x\nnull: y\n---\n",  # keys shown as Python values
    b"---\nsecured: 0x1F\n---\n",
)


def lines_of(data: bytes) -> List[str]:
    """The file's lines as the linter counts them (CRLF, CR and LF each end one line)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return split_lines(data.decode("utf-8", "replace"))


def check_invariants(data: bytes, name: str = NAME) -> FileResult:
    result = LINTER.lint_bytes(name, data)
    lines = lines_of(data)
    for finding in result.findings:
        assert finding.code != "E012", finding.message
        assert 1 <= finding.line <= len(lines), f"{finding} outside {len(lines)} lines"
        assert 1 <= finding.col <= len(lines[finding.line - 1]) + 1, f"{finding} outside its line"
    assert not result.failed
    return result


# -- 1. any bytes ------------------------------------------------------------------------------

YAMLISH = st.text(
    alphabet=st.sampled_from(
        list("ab:-[]{}#&*!|>'\"%@`,?~.0123456789 \t\n\r") + ["\x85", "\u2028", "\ufeff", "\0", "é"]
    ),
    max_size=300,
)
ANY_BYTES = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda body: b"---\n" + body + b"\n---\n", st.binary(max_size=600)),
    st.builds(lambda body: ("---\n" + body + "\n---\n").encode("utf-8", "surrogatepass"), YAMLISH),
    st.builds(lambda body: ("---\n" + body).encode("utf-8", "surrogatepass"), YAMLISH),
)


@settings(PROFILE, max_examples=400)
@given(ANY_BYTES)
@example(b"")
@example(b"---")
@example(b"---\r\r---\r")
@example(b"\xef\xbb\xbf---\n---\n")
@example(b"\xff\xfe-\x00-\x00-\x00")
def test_any_bytes_never_raise_and_stay_inside_the_file(data: bytes) -> None:
    check_invariants(data)


@pytest.mark.parametrize("data", FUZZ_REGRESSIONS, ids=lambda data: repr(data[:24]))
def test_fuzz_regressions(data: bytes) -> None:
    check_invariants(data)


# -- 2. mutated valid articles ---------------------------------------------------------------------

OTHER_VALUES = ["~", "", "yes", "No", "1.5", "-1", ".inf", "0x1F", "1_000", "[a, b]", "{a: 1}", '"x"', "'y'",
                "!!binary eA==", "!custom x", "*nowhere", "&anchor x", "|", ">-", "2024-02-30", "[", "{", "'", '"',
                "- item", ": x", "? x", "%TAG", "@x", "`x`", "<<: {a: 1}", "a: b: c"]  # fmt: skip

Mutation = Callable[[List[str]], List[str]]


def mutations() -> st.SearchStrategy[Mutation]:
    index = st.integers(min_value=0, max_value=10_000)
    return st.one_of(
        index.map(lambda i: lambda lines: lines[: i % len(lines)] + lines[i % len(lines) + 1 :]),
        index.map(lambda i: lambda lines: lines[: i % len(lines) + 1] + lines[i % len(lines) :]),
        st.tuples(index, st.integers(-4, 4)).map(lambda t: lambda lines: _reindent(lines, t[0], t[1])),
        st.tuples(index, index).map(lambda t: lambda lines: _swap(lines, t[0], t[1])),
        st.tuples(index, st.sampled_from(OTHER_VALUES)).map(lambda t: lambda lines: _revalue(lines, t[0], t[1])),
    )


def _reindent(lines: List[str], i: int, by: int) -> List[str]:
    i %= len(lines)
    line = lines[i]
    changed = " " * by + line if by > 0 else line[min(-by, len(line) - len(line.lstrip(" "))) :]
    return lines[:i] + [changed] + lines[i + 1 :]


def _swap(lines: List[str], i: int, j: int) -> List[str]:
    text = "\n".join(lines)
    if len(text) < 2:
        return lines
    i, j = sorted((i % len(text), j % len(text)))
    chars = list(text)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars).split("\n")


def _revalue(lines: List[str], i: int, value: str) -> List[str]:
    i %= len(lines)
    key, colon, _ = lines[i].partition(":")
    if not colon:
        return lines[:i] + [value] + lines[i + 1 :]
    return lines[:i] + [f"{key}: {value}"] + lines[i + 1 :]


ARTICLES = [GOOD, GOOD.replace("\n", "\r\n")]


@settings(PROFILE, max_examples=300)
@given(st.sampled_from(ARTICLES), st.lists(mutations(), min_size=1, max_size=4))
def test_mutated_articles_never_raise_and_stay_inside_the_file(article: str, changes: List[Mutation]) -> None:
    lines = article.split("\n")
    for change in changes:
        lines = change(lines) or [""]
    check_invariants("\n".join(lines).encode("utf-8", "surrogatepass"))


# -- 3. articles generated from the schema's shape lint clean --------------------------------------

WORD = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12)
TEXT = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
DOMAIN = st.builds(lambda labels, tld: ".".join(labels + [tld]), st.lists(LABEL, min_size=1, max_size=2),
                   st.sampled_from(["com", "org", "net", "co.uk", "example"]))  # fmt: skip
SLUG = st.from_regex(r"[a-z0-9]+(?:-[a-z0-9]+){0,4}", fullmatch=True)
MOMENT = st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2030, 12, 31))


def when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def cdn(amp: str) -> str:
    host = amp.split("://", 1)[1].split("/", 1)[0]
    return f"https://{host.replace('-', '--').replace('.', '-')}.cdn.ampproject.org/c/s/{amp.split('://', 1)[1]}"


@st.composite
def images(draw: st.DrawFn, domain: str, count: st.SearchStrategy[int]) -> List[Dict[str, Any]]:
    out = []
    for _ in range(draw(count)):
        image: Dict[str, Any] = {
            "url": f"https://cdn.{domain}/img/{draw(SLUG)}.jpg",
            "width": draw(st.integers(1, 6202)),
            "height": draw(st.integers(1, 6202)),
        }
        if draw(st.booleans()):
            image["isCached"] = draw(st.booleans())
        out.append(image)
    return out


@st.composite
def providers(draw: st.DrawFn, domain: str) -> Dict[str, Any]:
    provider: Dict[str, Any] = {"name": draw(TEXT), "domain": domain}
    if draw(st.booleans()):
        provider["images"] = draw(images(domain, st.integers(1, 2)))
    return provider


@st.composite
def related_items(draw: st.DrawFn, own: str) -> List[Dict[str, Any]]:
    items, seen = [], {own}
    for _ in range(draw(st.integers(1, 4))):
        domain = draw(DOMAIN)
        url = f"https://www.{domain}/{draw(SLUG)}"
        if url in seen:
            continue
        seen.add(url)
        item: Dict[str, Any] = {"title": draw(TEXT), "excerpt": draw(TEXT), "publishedDateTime": when(draw(MOMENT))}
        item.update({"webUrl": url, "type": "article", "provider": draw(providers(domain))})
        item["quality"] = draw(st.integers(0, 189))
        items.append(item)
    return items


@st.composite
def articles(draw: st.DrawFn) -> Dict[str, Any]:
    """An article that satisfies the schema and every invariant of the format."""
    domain, moment, kind = draw(DOMAIN), draw(MOMENT), draw(st.sampled_from(["article", "video"]))
    url = f"https://www.{domain}/{moment:%Y/%m/%d}/{draw(SLUG)}/"
    article: Dict[str, Any] = {"category": "news", "title": draw(TEXT), "excerpt": draw(st.one_of(st.just(""), TEXT))}
    article["publishedDateTime"] = when(moment)
    if kind == "video":
        article["originalUrl"] = f"https://www.youtube.com/watch?v={draw(SLUG)}"
    else:
        article["originalUrl"] = article["webUrl"] = url
        if draw(st.booleans()):
            article["ampWebUrl"] = url + "amp/"
            article["cdnAmpWebUrl"] = cdn(url + "amp/")
    article["type"] = kind
    if draw(st.booleans()):
        heat = draw(st.integers(-1, 3694))
        article.update(quality=draw(st.integers(0, 189)), heat=heat, published=heat != -1 and draw(st.booleans()))
    if kind == "video":
        article["featuredContent"] = '<iframe src="https://www.youtube.com/embed/x" allowfullscreen></iframe>'
    article["provider"] = draw(providers(domain))
    topics = draw(st.lists(TEXT, min_size=1, max_size=5, unique_by=lambda t: t.casefold()))
    article["topics"] = topics
    if draw(st.booleans()):
        article["images"] = draw(images(domain, st.just(1)))
    if draw(st.booleans()):
        article["related"] = draw(related_items(url))
    cipher = draw(st.binary(min_size=16, max_size=96).map(lambda b: b[: len(b) // 16 * 16]))
    iv = draw(st.binary(min_size=16, max_size=16))
    article["secured"] = base64.b64encode(cipher).decode() + ";" + base64.b64encode(iv).decode()
    return article


def to_file(article: Dict[str, Any]) -> bytes:
    """Frontmatter as the generator writes it: keys in order, dates unquoted."""
    body = yaml.safe_dump(article, sort_keys=False, allow_unicode=True, width=10_000)
    lines = [_unquote_date(line) for line in body.split("\n")]
    return ("---\n" + "\n".join(lines) + "---\n").encode("utf-8")


def _unquote_date(line: str) -> str:
    key, _, value = line.partition("publishedDateTime: ")
    return f"{key}publishedDateTime: {value.strip(chr(39))}" if value else line


@settings(PROFILE, max_examples=150)
@given(articles())
def test_articles_of_the_schema_shape_lint_clean(article: Dict[str, Any]) -> None:
    name = f"_news/{article['publishedDateTime'][:10]}-generated.md"
    result = check_invariants(to_file(article), name)
    assert [(f.code, f.line, f.col, f.message) for f in result.findings] == []

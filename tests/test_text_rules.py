"""U009, T003 and T004 on dict literals: what the fixtures cannot pin down (hints, counts,
every URL field), and ``encode_url``, which the U009 hint and its fix share."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.rules import content, urls
from linter.rules.base import Context, Hit, Rule

PROFILE = settings(derandomize=True, database=None, deadline=None)


def hits(rule: Rule, article: Dict[str, Any]) -> List[Hit]:
    return list(rule.check(article, Context()))


# -- encode_url --------------------------------------------------------------------------------

ENCODED = [
    ("https://example.com/crew’s-drill", "https://example.com/crew%E2%80%99s-drill"),
    ("https://example.com/a b?q=é#frag–x", "https://example.com/a%20b?q=%C3%A9#frag%E2%80%93x"),
    ("https://bücher.example/", "https://xn--bcher-kva.example/"),
    ("https://user:pässword@bücher.example:8080/ü", "https://user:p%C3%A4ssword@xn--bcher-kva.example:8080/%C3%BC"),
    ("https://[::1]:80/é", "https://[::1]:80/%C3%A9"),
    ("https://example.com/already%20encoded%E2%80%99", "https://example.com/already%20encoded%E2%80%99"),
    ("no scheme/é", "no%20scheme/%C3%A9"),
]


@pytest.mark.parametrize(("url", "expected"), ENCODED)
def test_encode_url(url: str, expected: str) -> None:
    assert urls.encode_url(url) == expected


_URL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(PROFILE, max_examples=300)
@given(_URL_TEXT, _URL_TEXT)
def test_encode_url_gives_ascii_keeps_ascii_and_is_idempotent(path: str, query: str) -> None:
    url = f"https://example.com/{path}?{query}"
    encoded = urls.encode_url(url)
    assert encoded.isascii() and encoded == urls.encode_url(encoded)
    assert encoded.startswith("https://example.com/")
    if "%" not in url:  # nothing to mistake for an escape: decoding gives the URL back
        assert unquote(encoded) == url


def test_encode_url_host_is_idna_and_splits_like_the_original() -> None:
    encoded = urls.encode_url("https://www.bäy-courier.example.com/logo.png")
    assert urlsplit(encoded).hostname == "www.xn--by-courier-q5a.example.com"


# -- U009 -----------------------------------------------------------------------------------------


def test_u009_checks_every_url_field_of_the_article_and_of_related_items() -> None:
    bad = "https://example.com/é"
    image = {"url": bad}
    entry = {
        "webUrl": bad,
        "originalUrl": bad,
        "ampWebUrl": bad,
        "cdnAmpWebUrl": bad,
        "images": [image],
        "provider": {"images": [image]},
    }
    article = {**entry, "related": [dict(entry)]}
    paths = [hit.path for hit in hits(urls.url_non_ascii, article)]
    own: List[Tuple[Any, ...]] = [
        ("originalUrl",),
        ("webUrl",),
        ("ampWebUrl",),
        ("cdnAmpWebUrl",),
        ("images", 0, "url"),
        ("provider", "images", 0, "url"),
    ]
    assert sorted(paths, key=repr) == sorted(own + [("related", 0) + p for p in own], key=repr)


def test_u009_names_the_first_character_counts_the_rest_and_hints_the_encoded_url() -> None:
    (hit,) = hits(urls.url_non_ascii, {"webUrl": "https://example.com/a’b–c"})
    assert "'’' (U+2019) at character 22 (2 such characters in all)" in hit.message
    assert hit.hint == "percent-encoded: https://example.com/a%E2%80%99b%E2%80%93c"


def test_u009_leaves_whitespace_to_u002() -> None:
    article = {"webUrl": "https://example.com/a\u00a0b"}
    assert hits(urls.url_non_ascii, article) == []
    assert [h.path for h in hits(urls.url_whitespace, article)] == [("webUrl",)]


# -- T003 -----------------------------------------------------------------------------------------


def test_t003_hint_decodes_entities_encoded_twice() -> None:
    (hit,) = hits(content.html_entity, {"excerpt": "We&amp;#39;re here &#8211; now"})
    assert hit.message == "excerpt has the HTML entity '&amp;' at character 3 (2 entities in all)"
    assert hit.hint == "decoded: We're here – now"


@pytest.mark.parametrize("text", ["AT&T", "R&D; fish & chips", "&notanentity;", "a & b;", "&#;"])
def test_t003_ignores_ampersands_that_are_not_entities(text: str) -> None:
    assert hits(content.html_entity, {"title": text}) == []


def test_t003_and_t004_check_titles_excerpts_and_image_titles_everywhere() -> None:
    text = "A&amp;B\tC"
    entry = {"title": text, "excerpt": text, "images": [{"title": text}]}
    article = {**entry, "related": [dict(entry)]}
    for rule in (content.html_entity, content.control_character):
        paths = [hit.path for hit in hits(rule, article)]
        own: List[Tuple[Any, ...]] = [("title",), ("excerpt",), ("images", 0, "title")]
        assert paths == own + [("related", 0) + p for p in own]


# -- T004 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\r\ntwo", "title has a carriage return (U+000D) at character 4 (2 control characters in all)"),
        ("one\ntwo", "title has a line feed (U+000A) at character 4"),
        ("  one\x07two", "title has the control character (U+0007) at character 6"),
        ("one\u2028two", "title has the control character (U+2028) at character 4"),
    ],
)
def test_t004_names_the_character_and_its_position(text: str, expected: str) -> None:
    assert [hit.message for hit in hits(content.control_character, {"title": text})] == [expected]


@pytest.mark.parametrize("text", ["one two", "one two\n", "\tone two", "one\u00a0two"])
def test_t004_leaves_whitespace_at_the_ends_to_t001(text: str) -> None:
    assert hits(content.control_character, {"title": text}) == []

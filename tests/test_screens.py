"""The rules' first look at an article (``linter.rules.base.Facts``) and the screens built
on it: each may only let a rule skip an article in which the rule finds nothing, so each
is checked against the per-value test it stands for, on values at every edge, on values
that YAML escapes decode into, and on hostile sizes."""

from __future__ import annotations

import base64
import gc
import time
from typing import Any, Dict, Iterator, List

import pytest
from conftest import every_article
from test_regex import _urls

from linter.engine import Linter
from linter.parse import frontmatter, parse
from linter.parse.types import Limits
from linter.rules import content, dates, markup, urls
from linter.rules.base import Context, Facts, facts, items


def test_all_plainly_valid_answers_as_plainly_valid_one_by_one() -> None:
    candidates = _urls() + ["", "\n", "https://a.com/\nhttps://b.com/", "https://a.com/%4", "https://a.com/%41"]
    for url in candidates:
        assert urls.all_plainly_valid([url]) == urls.plainly_valid(url), repr(url)
    valid = [url for url in candidates if urls.plainly_valid(url)]
    assert len(valid) > 400 and urls.all_plainly_valid(valid)
    for url in candidates:
        if not urls.plainly_valid(url):  # one bad URL among valid ones, wherever it stands
            assert not urls.all_plainly_valid(valid[:7] + [url] + valid[7:14]), repr(url)
    assert urls.all_plainly_valid([])


def test_a_line_break_inside_a_url_is_not_taken_for_two_urls() -> None:
    joined = "https://a.com/x\nhttps://b.com/y"
    assert not urls.all_plainly_valid([joined, "https://c.com/"])
    assert not urls.all_plainly_valid(["https://a.com/x%", "\nhttps://b.com/"])


def test_the_date_screen_takes_only_valid_date_times() -> None:
    days = [f"{year}-{month:02d}-{day:02d}" for year in ("0000", "0001", "2023", "2024", "9999", "٢٠٢٤")
            for month in range(14) for day in range(33)]  # fmt: skip
    times = ["T00:00:00Z", "T23:59:59.5z", "T24:00:00Z", "T23:60:00Z", "T10:00:00+01:00", "T10:00:00", " "]
    taken = 0
    for day in days:
        for time_ in times:
            value = day + time_
            if dates.all_valid([value]):
                taken += 1
                assert dates.parse_date_time(value)[1] == "", value
                assert dates.all_valid(["2024-01-01T00:00:00Z", value])
            elif dates.parse_date_time(value)[1]:
                assert not dates.all_valid(["2024-01-01T00:00:00Z", value, "2024-01-02T00:00:00Z"]), value
    # four ASCII years but 0000, every day but a leap year's Feb 29 (left to the full check), two times
    assert taken == 4 * 365 * 2
    assert dates.all_valid([]) and not dates.all_valid(["2024-01-01T00:00:00Z\n2024-01-01T00:00:00Z"])


def test_printable_is_str_isprintable() -> None:
    for code in range(0x3100):
        for text in (chr(code), f"a{chr(code)}b", f"é{chr(code)}"):
            assert content.printable(text) == text.isprintable(), hex(code)


def _article(**fields: Any) -> Dict[str, Any]:
    related = {"title": "t", "webUrl": "", "provider": {"name": "p", "images": [{"url": "u", "width": 9}]}}
    return {"webUrl": "https://a.com/", "related": [related, "not a mapping"], **fields}


def test_facts_gather_every_value_the_rules_walk() -> None:
    found = Facts(_article(images=[{"url": "https://a.com/i.png", "title": "it", "height": 7}], excerpt="e"))
    assert sorted(found.urls) == ["https://a.com/", "https://a.com/i.png", "u"]  # the related video's webUrl "" is not
    assert sorted(found.texts.split(" ")) == ["e", "it", "p", "t"]
    assert found.largest == 9 and found.dates == []
    assert [path for path, _, _ in found.mappings] == [(), ("related", 0)]


def test_a_context_reused_for_another_article_takes_a_new_look() -> None:
    context = Context()
    first, second = _article(title="a"), _article(title="b &amp; c")
    assert "&" not in facts(first, context).texts
    assert facts(second, context).article is second and "&" in facts(second, context).texts
    assert [hit.path for hit in content.html_entity.check(second, context)] == [("title",)]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ('title: "What\\x26#8217;s next"', "T003"),
        ('title: "Read\\x3cscript>alert(1)\\x3c/script>"', "H001"),
        ('title: "Line\\x0Abreak"', "T004"),
        ('webUrl: "https://a.com/\\x20b"', "U002"),
        ('webUrl: "https://a.com/\\u00e9"', "U009"),
        ('webUrl: "https://a.com/100\\x25-sure"', "U003"),
    ],
)
def test_a_character_written_as_an_escape_is_seen(line: str, code: str) -> None:
    """The screens read the parsed values, so a character that the raw text only names as
    a double-quoted escape still reaches the rule."""
    article = f"---\n{line}\n---\n".encode()
    codes = [finding.code for finding in Linter().lint_bytes("a.md", article).findings]
    assert code in codes


def _timed(check: Any, article: Dict[str, Any]) -> float:
    gc.disable()  # the collector's passes over 100,000 items are not the rule's
    try:
        start = time.process_time()
        list(check(article, Context()))
        return time.process_time() - start
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "rule", [urls.invalid_url, content.html_entity, content.control_character, dates.invalid_date_time]
)
def test_a_hundred_thousand_values_are_screened_in_linear_time(rule: Any) -> None:
    """An attacker's article with 100,000 related items, each with its URLs, texts and date:
    the first look and the screens are linear (ten times the items: about ten times the
    time; a quadratic path would take a hundred times)."""

    def article(count: int) -> Dict[str, Any]:
        item = {"webUrl": "https://www.example.com/a/b", "title": "t", "publishedDateTime": "2024-01-01T00:00:00Z"}
        return {"related": [dict(item) for _ in range(count)]}

    small, large = article(10_000), article(100_000)
    times: List[float] = []
    for sized in (small, large):
        times.append(min(_timed(rule.check, sized) for _ in range(3)))
    assert times[1] < 40 * max(times[0], 1e-3) and times[1] < 5.0


def _parsed_articles() -> Iterator[Dict[str, Any]]:
    for path in every_article():
        text = frontmatter.decode(path.read_bytes())
        block = frontmatter.split(text) if isinstance(text, str) else None
        if isinstance(block, frontmatter.Frontmatter):
            data = parse(block.yaml_text, Limits()).data
            if isinstance(data, dict):
                yield data


def test_the_first_look_holds_every_value_the_walks_find() -> None:
    """On every example, fixture and corpus article: the look's URLs and dates are the
    walks' strings, its text holds every text they find, and no image is larger than it."""
    checked = 0
    for article in _parsed_articles():
        context = Context()
        found = facts(article, context)
        assert sorted(found.urls) == sorted(v for _, v in urls.url_fields(article, context) if isinstance(v, str))
        assert found.dates == [v for _, v in dates.date_fields(article, context) if isinstance(v, str)]
        related = [item for _, item in items(article, "related")]
        assert found.related_urls == [u for u in (i.get("webUrl") for i in related) if isinstance(u, str) and u]
        providers = [data.get("provider") for _, data, _ in found.mappings]
        domains = [p.get("domain") for p in providers if isinstance(p, dict)]
        assert found.domains == [d for d in domains if isinstance(d, str) and d]
        own = [article.get(key) for key in ("webUrl", "originalUrl")]
        assert found.own_urls == [u for u in own if isinstance(u, str) and u]
        published = article.get("publishedDateTime")
        assert found.published == (published if isinstance(published, str) else None)
        pairs = [(data.get("ampWebUrl"), data.get("cdnAmpWebUrl")) for _, data, _ in found.mappings]
        assert found.amp_pairs == [(a, c) for a, c in pairs if isinstance(a, str) and isinstance(c, str)]
        homes = [(data.get("webUrl"), p.get("domain")) for _, data, p in found.mappings
                 if data.get("type") == "article" and isinstance(p, dict)]  # fmt: skip
        assert found.homes == [(u, d) for u, d in homes if isinstance(u, str) and u and isinstance(d, str)]
        texts = content.one_line_texts(article, context) + markup.text_fields(article, context)
        assert all(text in found.texts for _, text in texts)
        sizes = [image.get(key) for _, image in content.image_fields(article, context) for key in ("width", "height")]
        assert found.largest >= max([size for size in sizes if type(size) is int], default=0)
        checked += 1
    assert checked > 100


def test_one_line_texts_are_the_titles_and_excerpts_of_every_entry_and_its_images() -> None:
    """T003 and T004's walk reads the look's mappings; it finds what the entries hold, in
    their order, on every example, fixture and corpus article and changed copies."""
    from linter.rules.base import entries

    checked = 0
    for article in _parsed_articles():
        for changed in _mutants(article):
            context = Context()
            expected = []
            for entry in entries(changed, context):
                expected += [
                    (entry.path + (k,), entry.data[k])
                    for k in ("title", "excerpt")
                    if isinstance(entry.data.get(k), str)
                ]
                own = entry.images[: entry.own_images]
                expected += [
                    (path + ("title",), image["title"]) for path, image in own if isinstance(image.get("title"), str)
                ]
            assert content.one_line_texts(changed, context) == expected
            checked += bool(expected)
    assert checked > 100


@pytest.mark.parametrize("iv", [0, 12, 15, 16, 17, 32])
def test_the_secured_shortcut_takes_exactly_whole_aes_envelopes(iv: int) -> None:
    """X001's one-match shortcut and its full check agree with what the parts decode to."""
    for cipher in range(70):
        for spelled in (base64.b64encode(bytes(range(cipher))), base64.b64encode(bytes([251] * cipher))):
            value = f"{spelled.decode()};{base64.b64encode(bytes(iv)).decode()}"
            assert (content.secured_problem(value) == "") == (cipher > 0 and cipher % 16 == 0 and iv == 16), value
            assert content.secured_problem(value.rstrip("=") + "=") != "" or iv != 16, value


def _mutants(article: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
    """The article, and copies with a value changed where a screen looks: so each screen is
    also asked where it must say no."""
    yield article
    yield {**article, "title": "a &amp; b\tc <b>d</b> "}
    yield {**article, "publishedDateTime": "2024-02-30T10:00:00Z", "published": True, "heat": -1}
    yield {**article, "webUrl": "https://other.example/a b", "topics": ["x", "X "], "secured": "a;b"}
    related = article.get("related")
    if isinstance(related, list) and related and isinstance(related[0], dict):
        first = {**related[0], "webUrl": article.get("webUrl"), "ampWebUrl": "https://a.com/x"}
        yield {**article, "related": [first, first], "images": [{"width": 10**9}]}
    provider = article.get("provider")
    if isinstance(provider, dict):
        yield {**article, "provider": {**provider, "domain": "Elsewhere.COM."}, "type": "article"}


def test_a_rule_whose_screen_holds_finds_nothing() -> None:
    """Every screen, on every example, fixture and corpus article and on changed copies:
    where it lets the engine skip a rule, the rule finds nothing; and it does let the
    engine skip most rules on most articles, so the test is not empty."""
    from linter import registry

    screened = [rule for rule in registry.CHECKS if rule.screen is not None]
    assert len(screened) == len(registry.CHECKS)
    skipped = asked = 0
    for number, article in enumerate(_parsed_articles()):
        for changed in _mutants(article):
            for name in ("_news/2024-01-05-a.md", f"_news/{str(changed.get('publishedDateTime'))[:10]}-b.md"):
                look = Facts(changed)
                for rule in screened:
                    context = Context(name)
                    context.facts = look
                    asked += 1
                    assert rule.screen is not None
                    if rule.screen(look, context):
                        skipped += 1
                        assert list(rule.check(changed, context)) == [], (rule.info.code, number)
    assert skipped > asked / 2


def _home(url: str, domain: str) -> Dict[str, Any]:
    return {"type": "article", "webUrl": url, "provider": {"domain": domain}}


_HOSTS = ["a.com", "www.a.com", "wwwa.com", "A.com", "a.com.", ".a.com", "b.a.com", "a-b.com", "xa.com", "a..com"]


def test_the_provider_domain_screen_is_u007() -> None:
    """U007's screen (one match of domain-tab-URL lines, else the rule's own test) says
    "nothing" exactly where U007 finds nothing, one item or several."""
    urls_ = [f"{scheme}://{host}{tail}" for scheme in ("https", "HTTP", "ftp") for host in _HOSTS
             for tail in ("", "/p", "?q", "#f", ":80/", "/x\ny")] + ["", "a.com", "https://a.com/\t"]  # fmt: skip
    domains = _HOSTS + ["", "com", "a.com/", "https://a.com", "a.com\n", "\ta.com"]
    for url in urls_:
        for domain in domains:
            article = _home(url, domain)
            look, found = Facts(article), list(urls.host_not_provider_domain.check(article, Context()))
            assert urls.homes_on_domain(look, Context()) == (found == []), (url, domain)
            pair = {**article, "related": [_home("https://www.a.com/", "a.com"), article]}
            found = list(urls.host_not_provider_domain.check(pair, Context()))
            assert urls.homes_on_domain(Facts(pair), Context()) == (found == []), (url, domain)


def test_the_amp_screen_builds_the_cache_url_as_amp_cache_url() -> None:
    for amp in _urls():
        expected = urls.amp_cache_url(amp)
        for cdn in {expected or "", "https://x.cdn.ampproject.org/c/s/", amp}:
            look = Facts({"ampWebUrl": amp, "cdnAmpWebUrl": cdn})
            assert urls.amp_pairs_match(look, Context()) == (expected is None or cdn == expected), (amp, cdn)


@pytest.mark.parametrize(
    "text", ["a & b", "a&b;", "&amp;", "&#8217;", "&#x2019;", "&notaname;", "& amp;", "&a", "x&#;", "&AMP;", "&a1b2;"]
)
def test_the_entity_screen_lets_through_every_text_t003_reports(text: str) -> None:
    for article in ({"title": text}, {"excerpt": "e", "related": [{"title": f"t {text} u"}]}, {"title": text[:2]}):
        found = list(content.html_entity.check(article, Context()))
        assert not found or not content.no_entities(Facts(article), Context()), article
    assert not content.no_entities(Facts({"title": "a &amp; b"}), Context())
    assert content.no_entities(Facts({"title": "a & b;", "excerpt": "&a", "related": [{"title": "b;"}]}), Context())


def test_the_engine_calls_no_rule_whose_screen_holds() -> None:
    """The engine asks a rule's screen first and calls the rule only when it does not
    hold; rules next to each other with one screen are asked once; a rule without a
    screen is always called."""
    from linter import registry
    from linter.rules.base import Hit, Rule

    called: List[str] = []

    def check(code: str) -> Any:
        def run(article: Any, context: Context) -> Iterator[Hit]:
            called.append(code)
            yield Hit(("title",), code)

        return run

    asked: List[str] = []

    def screen(look: Facts, context: Context) -> bool:
        asked.append("screen")
        return "skip" in look.texts

    info = registry.CHECKS[0].info
    rules = (Rule(info, check("a"), screen), Rule(info, check("b"), screen), Rule(info, check("c")))
    linter = Linter()
    original = registry.CHECKS
    registry.CHECKS = rules
    try:
        linter._rules = None
        assert [len(group) for _, group in linter._enabled_rules("a.md")] == [2, 1]
        raws, failed = linter._run_rules("a.md", {"title": "skip"}, [])
        assert (called, asked, [raw.message for raw in raws], failed) == (["c"], ["screen"], ["c"], False)
        raws, _ = linter._run_rules("a.md", {"title": "keep"}, [])
        assert called == ["c", "a", "b", "c"] and [raw.message for raw in raws] == ["a", "b", "c"]
    finally:
        registry.CHECKS = original


@pytest.mark.parametrize("size", [120, 126, 127, 5_000])
def test_the_provider_domain_screen_is_fast_on_long_hosts(size: int) -> None:
    """A host of many labels against a domain that nearly ends it: each dot is a place where
    the domain may start, so without bounds one line would cost its length squared."""
    host = "a." * size + "b"
    items = [_home(f"https://{host}/", "a." * 100 + "c") for _ in range(2_000)]
    article: Dict[str, Any] = {"related": items}
    start = time.process_time()
    assert not urls.homes_on_domain(Facts(article), Context())
    assert time.process_time() - start < 2.0
    assert urls.homes_on_domain(Facts({"related": [_home(f"https://{host}/", host)]}), Context())

"""Every rule function on dict literals: the exact hits (data path, message, hint) of a
failing article, none for a passing one, and the line:col the engine makes of a hit.

The fixtures (``tests/test_fixtures.py``) check the same rules through whole files; these
cases name the data each rule reads and nothing else, as the house style promises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Tuple

import pytest

from linter import registry
from linter.engine import locate
from linter.rules.base import Context, Options, Rule

if TYPE_CHECKING:
    from linter.model import DataPath
    from linter.parse.types import Mark

IV = "A" * 22 + "=="  # 16 bytes
CIPHER = "A" * 43 + "="  # 32 bytes, two AES blocks
NEWS = "_news/2024-04-15-drill.md"


class Case(NamedTuple):
    code: str
    article: Dict[str, Any]
    #: (data path, message, hint) of every hit, in order.
    hits: List[Tuple[DataPath, str, str]]
    filename: str = NEWS
    max_image_dimension: Optional[int] = None


def check(code: str, article: Dict[str, Any], filename: str = NEWS, maximum: Optional[int] = None) -> List[Any]:
    rule = _rule(code)
    options = Options(max_image_dimension=maximum) if maximum is not None else None
    return [(hit.path, hit.message, hit.hint) for hit in rule.check(article, Context(filename, options))]


def _rule(code: str) -> Rule:
    return next(rule for rule in registry.CHECKS if rule.info.code == code)


FAILING = [
    Case(
        "I001",
        {"images": [{"url": "https://a.example/i.jpg", "width": 800000, "height": 600}]},
        [(("images", 0, "width"), "image width 800000 is above the maximum 20000", "")],
    ),
    Case(
        "I001",
        {"related": [{"images": [{"height": 1200}]}]},
        [(("related", 0, "images", 0, "height"), "image height 1200 is above the maximum 1000", "")],
        max_image_dimension=1000,
    ),
    Case(
        "X001",
        {"secured": "no-semicolon"},
        [(("secured",), "secured must be two base64 parts separated by one ';' (found no ';')", "")],
    ),
    Case(
        "X001",
        {"secured": CIPHER + ";AAAA"},
        [(("secured",), "secured IV part decodes to 3 bytes; AES-CBC needs 16", "")],
    ),
    Case("T001", {"title": " Over half of models are open sourced "}, [(("title",), "title starts with a space", "")]),
    Case(
        "T001",
        {"topics": ["AI", "Robotics\t"]},
        [(("topics", 1), "topic ends with the whitespace character U+0009", "")],
    ),
    Case("T002", {"topics": ["AI", "Robotics", "ai "]}, [(("topics", 2), "topic 'ai ' repeats topic 1", "")]),
    Case(
        "T003",
        {"title": "What&#8217;s next for AI &amp; robots"},
        [
            (
                ("title",),
                "title has the HTML entity '&#8217;' at character 5 (2 entities in all)",
                "decoded: What\u2019s next for AI & robots",
            )
        ],
    ),
    Case(
        "T004",
        {"related": [{"excerpt": "First.\r\nSecond."}]},
        [
            (
                ("related", 0, "excerpt"),
                "excerpt has a carriage return (U+000D) at character 7 (2 control characters in all)",
                "",
            )
        ],
    ),
    Case(
        "R001",
        {
            "related": [
                {"webUrl": "https://a.example/1"},
                {"webUrl": "https://a.example/2"},
                {"webUrl": "https://a.example/1"},
            ]
        },
        [(("related", 2, "webUrl"), "related item 3 repeats the URL of item 1", "")],
    ),
    Case(
        "R002",
        {
            "webUrl": "https://a.example/self",
            "related": [{"webUrl": "https://a.example/x"}, {"webUrl": "https://a.example/self"}],
        },
        [(("related", 1, "webUrl"), "related item 2 is the article itself", "")],
    ),
    Case(
        "C001",
        {"heat": -1, "published": True},
        [(("published",), "published is true although heat is -1 (not promoted)", "")],
    ),
    Case(
        "D001",
        {"publishedDateTime": "2023-02-30T23:00:00Z"},
        [(("publishedDateTime",), "'2023-02-30T23:00:00Z' names day 30 of February 2023, which has 28 days", "")],
    ),
    Case(
        "D001",
        {"related": [{"publishedDateTime": "2023-05-29T23:00:00"}]},
        [(("related", 0, "publishedDateTime"), "'2023-05-29T23:00:00' has no UTC offset; add 'Z' or '+hh:mm'", "")],
    ),
    Case(
        "D002",
        {"publishedDateTime": "2023-05-29T23:00:00Z"},
        [
            (
                ("publishedDateTime",),
                "file name date 2023-06-02 is more than a day from publishedDateTime 2023-05-29",
                "",
            )
        ],
        filename="_news/2023-06-02-report.md",
    ),
    Case(
        "D002",
        {"publishedDateTime": "2024-02-29T23:00:00Z"},
        [(("publishedDateTime",), "file name date 2024-02-30 does not exist; Jekyll dates the article 2024-03-01", "")],
        filename="_news/2024-02-30-report.md",
    ),
    Case(
        "D003",
        {},
        [
            (
                (),
                "file name '2024-13-01-report.md' starts with 2024-13-01, which is not a date:"
                " Jekyll aborts the site build",
                "",
            )
        ],
        filename="_news/2024-13-01-report.md",
    ),
    Case(
        "H001",
        {"excerpt": "Read <script>alert(1)</script> now"},
        [(("excerpt",), "excerpt contains the element <script> at character 6; pages print it unescaped", "")],
    ),
    Case(
        "H002", {"title": "A <b>bold</b> title"}, [(("title",), "title contains the HTML tag '<b>' at character 3", "")]
    ),
    Case(
        "U001",
        {"webUrl": "https://a..example/x"},
        [(("webUrl",), "URL 'https://a..example/x' has an invalid host 'a..example'", "")],
    ),
    Case(
        "U001",
        {"originalUrl": "ftp://a.example/x"},
        [(("originalUrl",), "URL 'ftp://a.example/x' is not an absolute http(s) URL", "")],
    ),
    Case(
        "U002",
        {"webUrl": "https://a.example/PR Newswire/x"},
        [(("webUrl",), "URL 'https://a.example/PR Newswire/x' has a space at character 21", "")],
    ),
    Case(
        "U003",
        {"webUrl": "https://a.example/100%/x"},
        [(("webUrl",), "URL 'https://a.example/100%/x' has an invalid percent-escape at character 22", "")],
    ),
    Case(
        "U004",
        {"webUrl": "https://user:pw@a.example/x"},
        [(("webUrl",), "URL contains credentials (user or password before '@')", "")],
    ),
    Case(
        "U009",
        {"webUrl": "https://a.example/caf\u00e9"},
        [
            (
                ("webUrl",),
                "URL 'https://a.example/caf\u00e9' has the raw non-ASCII character '\u00e9' (U+00E9) at character 22",
                "percent-encoded: https://a.example/caf%C3%A9",
            )
        ],
    ),
    Case(
        "U005",
        {
            "ampWebUrl": "https://a.example/amp/x",
            "cdnAmpWebUrl": "https://a-example.cdn.ampproject.org/c/s/a.example/amp/y",
        },
        [
            (
                ("cdnAmpWebUrl",),
                "cdnAmpWebUrl is not the AMP Cache URL of ampWebUrl",
                "expected https://a-example.cdn.ampproject.org/c/s/a.example/amp/x",
            )
        ],
    ),
    Case(
        "U006",
        {"provider": {"domain": "https://a.example/"}},
        [(("provider", "domain"), "provider domain 'https://a.example/' has a scheme; write the host name alone", "")],
    ),
    Case(
        "U006",
        {"related": [{"provider": {"domain": "A.example"}}]},
        [(("related", 0, "provider", "domain"), "provider domain 'A.example' has upper-case letters", "")],
    ),
    Case(
        "U007",
        {"type": "article", "webUrl": "https://b.example/x", "provider": {"domain": "a.example"}},
        [(("webUrl",), "webUrl host 'b.example' is not provider domain 'a.example' or a subdomain of it", "")],
    ),
    Case(
        "U008",
        {"originalUrl": "https://a.example/x", "webUrl": "https://a.example/y"},
        [(("webUrl",), "webUrl differs from originalUrl at character 19, both on host 'a.example'", "")],
    ),
]

#: One article per rule that the rule passes, close to its failing case.
PASSING: Dict[str, Dict[str, Any]] = {
    "I001": {"images": [{"width": 20000, "height": 600}]},
    "X001": {"secured": CIPHER + ";" + IV},
    "T001": {"title": "Over half of models are open sourced", "topics": ["AI"]},
    "T002": {"topics": ["AI", "Robotics"]},
    "T003": {"title": "Salt & pepper; R&D"},
    "T004": {"excerpt": "First. Second.\n"},
    "R001": {"related": [{"webUrl": "https://a.example/1"}, {"webUrl": "https://a.example/2"}]},
    "R002": {"webUrl": "https://a.example/self", "related": [{"webUrl": "https://a.example/x"}]},
    "C001": {"heat": -1, "published": False},
    "D001": {"publishedDateTime": "2024-02-29T23:00:00+02:00"},
    "D002": {"publishedDateTime": "2024-04-14T23:00:00Z"},
    "D003": {},
    "H001": {"excerpt": "1 < 2 and a & b"},
    "H002": {"title": "x < y > z"},
    "U001": {"webUrl": "https://a.example/x?q=1#f"},
    "U002": {"webUrl": "https://a.example/PR%20Newswire/x"},
    "U003": {"webUrl": "https://a.example/100%25/x"},
    "U004": {"webUrl": "https://a.example/x@y"},
    "U009": {"webUrl": "https://a.example/caf%C3%A9"},
    "U005": {
        "ampWebUrl": "https://a.example/amp/x",
        "cdnAmpWebUrl": "https://a-example.cdn.ampproject.org/c/s/a.example/amp/x",
    },
    "U006": {"provider": {"domain": "a.example"}},
    "U007": {"type": "article", "webUrl": "https://www.a.example/x", "provider": {"domain": "a.example"}},
    "U008": {"originalUrl": "https://a.example/x", "webUrl": "https://a.example/x"},
}


@pytest.mark.parametrize(
    "case", FAILING, ids=lambda case: f"{case.code}-{'.'.join(map(str, case.hits[0][0])) or 'file'}"
)
def test_failing_article(case: Case) -> None:
    assert check(case.code, case.article, case.filename, case.max_image_dimension) == case.hits


@pytest.mark.parametrize("code", sorted(PASSING))
def test_passing_article(code: str) -> None:
    assert check(code, PASSING[code]) == []


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    codes = {rule.info.code for rule in registry.CHECKS}
    assert {case.code for case in FAILING} == codes
    assert set(PASSING) == codes


#: Marks as the parser records them for the lines below (0-based, after the opening fence):
#:   0 title: " Drill"
#:   1 publishedDateTime: 2023-02-30T23:00:00Z
#:   2 provider:
#:   3   domain: https://a.example/
MARKS: Dict[DataPath, Mark] = {
    ("title",): (0, 0, 0, 7),
    ("publishedDateTime",): (1, 0, 1, 19),
    ("provider",): (2, 0, 3, 2),
    ("provider", "domain"): (3, 2, 3, 10),
}


@pytest.mark.parametrize(
    ("code", "article", "position"),
    [
        pytest.param("T001", {"title": " Drill"}, (2, 8), id="T001-title"),
        pytest.param("D001", {"publishedDateTime": "2023-02-30T23:00:00Z"}, (3, 20), id="D001-date"),
        pytest.param("U006", {"provider": {"domain": "https://a.example/"}}, (5, 11), id="U006-nested"),
    ],
)
def test_a_hit_is_placed_at_its_value(code: str, article: Dict[str, Any], position: Tuple[int, int]) -> None:
    """The engine turns a hit's data path into the value's file line and column (the YAML
    text starts on line 2, after the opening fence)."""
    (hit,) = _rule(code).check(article, Context(NEWS))
    assert (_rule(code).info.code, locate(MARKS, hit.path, hit.on_key)) == (code, position)

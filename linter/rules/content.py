"""Content: image sizes, the secured envelope, topics, text and related articles."""

from __future__ import annotations

import re
from itertools import chain

from linter.model import Severity
from linter.regex import lazy
from linter.rules.base import Context, Facts, Hit, entries, facts, items, rule, shared
from linter.values import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Tuple

    from linter.model import DataPath
    from linter.rules.base import Article, Images

_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}\Z")
#: A base64 ciphertext, ';', and a base64 IV of 16 bytes (22 characters and '==').
_ENVELOPE = re.compile(r"([A-Za-z0-9+/]*)(={0,2});[A-Za-z0-9+/]{22}==\Z")
_STR = str.__instancecheck__  # for filter: isinstance(value, str) in C
_TEXT_FIELDS = ("title", "excerpt")
_FIELD_LABELS = {"provider": "provider name", "topics": "topic"}
#: A character reference or a named entity, with its ';' (html.unescape decides if it is one).
_ENTITY = lazy(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_NAMES = {"\n": "a line feed", "\r": "a carriage return", "\t": "a tab"}
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def image_fields(article: Article, context: Context) -> Images:
    """Every image mapping: the article's, its provider's, and each related item's."""
    return [image for entry in entries(article, context) for image in entry.images]


def small_images(look: Facts, context: Context) -> bool:
    """I001's screen: no image width or height is above the maximum."""
    return look.largest <= context.options.max_image_dimension


@rule("I001", "image-too-large", screen=small_images)
def image_too_large(article: Article, context: Context) -> Iterator[Hit]:
    """An image's width or height is above the configured maximum (default 20,000 px).

    **Why**: real images are 50 to about 6,200 pixels wide; a larger number is a typo or a
    byte count written where pixels belong, and breaks layouts that reserve space for it.

    **Example** (fails): `width: 800000`.

    **Jekyll**: Jekyll prints the number as written into `width`/`height` attributes; the
    browser reserves that much space.

    **Fix**: write the real pixel size; raise `max-image-dimension` if such images are real.
    """
    if small_images(facts(article, context), context):
        return
    limit = context.options.max_image_dimension
    for path, image in image_fields(article, context):
        for key in ("width", "height"):
            value = image.get(key)
            if type(value) is int and value > limit:
                yield Hit(path + (key,), f"image {key} {value} is above the maximum {limit}")


def secured_problem(value: str) -> str:
    """Why a secured value is not `base64(ciphertext);base64(iv)`, or "". Never quotes it."""
    envelope = _ENVELOPE.match(value)  # the usual shape, confirmed in one match
    if envelope is not None and _whole_blocks(envelope.group(1), envelope.group(2)):
        return ""
    parts = value.split(";")
    if len(parts) != 2:
        found = "no ';'" if len(parts) == 1 else f"{len(parts) - 1} of them"
        return f"must be two base64 parts separated by one ';' (found {found})"
    for name, part in zip(("ciphertext", "IV"), parts):
        if not part:
            return f"{name} part is empty"
        if not _BASE64.match(part) or len(part) % 4:
            return f"{name} part is not padded standard base64"
    # Standard base64 that passed the checks above always decodes; only the lengths matter.
    cipher, iv = (len(part) // 4 * 3 - len(part) + len(part.rstrip("=")) for part in parts)
    if iv != 16:
        return f"IV part decodes to {iv} bytes; AES-CBC needs 16"
    if not cipher or cipher % 16:
        return f"ciphertext part decodes to {cipher} bytes; expected a non-empty multiple of 16"
    return ""


def _whole_blocks(cipher: str, padding: str) -> bool:
    """Whether padded base64 decodes to a non-empty whole number of AES blocks (16 bytes)."""
    size = len(cipher) + len(padding)
    return size % 4 == 0 and (size // 4 * 3 - len(padding)) % 16 == 0 and size > 0


def secured_fine(look: Facts, context: Context) -> bool:
    """X001's screen: `secured` is not a non-empty string, or it is a well-formed envelope."""
    value = look.article.get("secured")
    return not (isinstance(value, str) and value) or not secured_problem(value)


@rule("X001", "secured-malformed", screen=secured_fine)
def secured_malformed(article: Article, context: Context) -> Iterator[Hit]:
    """`secured` is not `base64(ciphertext);base64(iv)` of an AES-CBC envelope.

    **Why**: the site decrypts this value; a truncated or re-encoded value cannot be
    decrypted and the article's protected part is lost. The value is never printed.

    **Example** (fails): a value without `;`, an IV that decodes to 12 bytes, a ciphertext of
    20 bytes, URL-safe base64 (`-`, `_`).

    **Jekyll**: Jekyll copies the value as it is into the page; only the decrypting script
    fails, silently for the reader.

    **Fix**: copy the value again from the pipeline's output.
    """
    value = article.get("secured")
    if isinstance(value, str) and value:
        problem = secured_problem(value)
        if problem:
            yield Hit(("secured",), f"secured {problem}")


def _text_fields(article: Article) -> Iterator[Tuple[DataPath, Any]]:
    for key in _TEXT_FIELDS:
        yield (key,), article.get(key)
    provider = article.get("provider")
    if isinstance(provider, dict):
        yield ("provider", "name"), provider.get("name")
    topics = article.get("topics")
    if isinstance(topics, list):
        for index, topic in enumerate(topics):
            yield ("topics", index), topic


def trimmed(look: Facts, context: Context) -> bool:
    """T001's screen: every text it reads is trimmed (``_trimmed``)."""
    return _trimmed(look.article)


@rule("T001", "stray-whitespace", Severity.WARNING, fixable="safe", screen=trimmed)
def stray_whitespace(article: Article, context: Context) -> Iterator[Hit]:
    """A title, excerpt, provider name or topic starts or ends with whitespace.

    **Why**: stray spaces and non-breaking spaces come from scraping; they show up as
    misaligned headlines and make equal topics compare unequal.

    **Example** (fails): `title: " Over half of models are open sourced "`.

    **Jekyll**: Jekyll keeps the whitespace; the page shows it.

    **Fix**: trim the value.
    """
    if _trimmed(article):
        return
    for path, value in _text_fields(article):
        if isinstance(value, str) and value and value != value.strip():
            where, char = ("starts", value[0]) if value[:1].isspace() else ("ends", value[-1])
            yield Hit(path, f"{_FIELD_LABELS.get(str(path[0]), str(path[0]))} {where} with {_whitespace_name(char)}")


def _trimmed(article: Article) -> bool:
    """Whether no text that T001 reads starts or ends with whitespace, asked of all at once."""
    provider, topics = article.get("provider"), article.get("topics")
    name = provider.get("name") if isinstance(provider, dict) else None
    texts = [*filter(_STR, chain(map(article.get, _TEXT_FIELDS), (name,), topics if isinstance(topics, list) else ()))]
    return [*map(str.strip, texts)] == texts


def _whitespace_name(char: str) -> str:
    return "a space" if char == " " else f"the whitespace character U+{ord(char):04X}"


@shared
def one_line_texts(article: Article, context: Context) -> List[Tuple[DataPath, str]]:
    """Titles and excerpts shown on one line: the article's, its image titles, and those of
    each related item."""
    found = []
    for path, data, _ in facts(article, context).mappings:  # not ``entries``: no provider logos needed
        for key in _TEXT_FIELDS:
            value = data.get(key)
            if isinstance(value, str):
                found.append((path + (key,), value))
        images = data.get("images")
        if isinstance(images, list):
            for index, image in enumerate(images):
                title = image.get("title") if isinstance(image, dict) else None
                if isinstance(title, str):
                    found.append((path + ("images", index, "title"), title))
    return found


def _label(path: DataPath) -> str:
    return "image title" if "images" in path else str(path[-1])


def no_entities(look: Facts, context: Context) -> bool:
    """T003's screen: no text holds what could be an entity. A '&' alone is common (`AI &
    robots`); an entity holds no space, so none stands across two of the joined texts."""
    texts = look.texts
    return "&" not in texts or _ENTITY.search(texts) is None


@rule("T003", "html-entity", Severity.WARNING, screen=no_entities)
def html_entity(article: Article, context: Context) -> Iterator[Hit]:
    """A title or excerpt holds an HTML entity (`&#8217;`, `&#8211;`, `&amp;`).

    Checked in titles and excerpts, image titles, and the titles and excerpts of related
    items.

    **Why**: the text is plain text, not HTML. Once a template escapes it, readers see
    `What&#8217;s next` literally, and Jekyll's slugs turn it into `what8217s`.

    **Example** (fails): `title: "What&#8217;s next for AI &amp; robots"`.

    **Jekyll**: passes the text through as written; a template or plugin that escapes it
    (`{{ page.title | escape }}`, feeds, `jekyll-seo-tag`) shows the entity literally.

    **Fix**: write the character itself, `What’s next for AI & robots` (the hint shows the
    decoded text).
    """
    if no_entities(facts(article, context), context):
        return
    for path, value in one_line_texts(article, context):
        if "&" in value:
            from html.entities import html5  # only for texts that hold an '&' (8 M instructions)

            found = [m for m in _ENTITY.finditer(value) if m.group()[1] == "#" or m.group()[1:] in html5]
            if found:
                first = found[0]
                what = f"the HTML entity {shown(first.group(), path)} at character {first.start() + 1}"
                more = f" ({len(found)} entities in all)" if len(found) > 1 else ""
                message = f"{_label(path)} has {what}{more}"
                yield Hit(path, message, hint=f"decoded: {_decoded(value)}")


def _decoded(text: str) -> str:
    """Entities decoded until none is left: real excerpts hold `&amp;#39;`, encoded twice."""
    import html

    for _ in range(4):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def printable_texts(look: Facts, context: Context) -> bool:
    """T004's screen: every text is printable, so none holds a control character."""
    return printable(look.texts)


@rule("T004", "control-character", Severity.WARNING, screen=printable_texts)
def control_character(article: Article, context: Context) -> Iterator[Hit]:
    """A title or excerpt holds a line break, a tab or another control character inside it.

    Checked in titles and excerpts, image titles, and the titles and excerpts of related
    items. Whitespace at either end is T001's.

    **Why**: these texts are shown on one line (headlines, teasers, `<title>`, feeds); a
    `\\r\\n` written as a double-quoted escape breaks the line or shows as a stray symbol,
    and other control characters are invalid in XML feeds.

    **Example** (fails): `excerpt: "First paragraph.\\r\\n\\r\\nSecond paragraph."`.

    **Jekyll**: keeps the character; the page, its `<title>` and the feed get it as is.

    **Fix**: replace the character by a space, or remove it.
    """
    if printable_texts(facts(article, context), context):  # most files: nothing to find
        return
    for path, value in one_line_texts(article, context):
        if value.isprintable():
            continue
        inner = value.strip()
        found = [] if inner.isprintable() else list(_CONTROL.finditer(inner))  # all of them are unprintable
        if found:
            first = found[0]
            where = value.index(inner) + first.start() + 1
            more = f" ({len(found)} control characters in all)" if len(found) > 1 else ""
            yield Hit(path, f"{_label(path)} has {_control_name(first.group())} at character {where}{more}")


def printable(text: str) -> bool:
    """``str.isprintable``, three times faster for ASCII: what is left once every printable
    ASCII character is deleted at C speed."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def _control_name(char: str) -> str:
    return f"{_CONTROL_NAMES.get(char, 'the control character')} (U+{ord(char):04X})"


def distinct_topics(look: Facts, context: Context) -> bool:
    """T002's screen: no topic string is listed twice (trimmed and case-folded)."""
    topics = look.article.get("topics")
    if not isinstance(topics, list):
        return True
    strings = [*filter(_STR, topics)]
    return len(set(map(str.casefold, map(str.strip, strings)))) == len(strings)


@rule("T002", "duplicate-topic", Severity.WARNING, fixable="unsafe", screen=distinct_topics)
def duplicate_topic(article: Article, context: Context) -> Iterator[Hit]:
    """The same topic is listed twice.

    **Why**: topic pages list the article twice, and counts are off.

    **Example** (fails): `topics: [AI, Robotics, AI]`.

    **Jekyll**: Jekyll keeps both; topic lists and tag pages show the article twice.

    **Fix**: remove the repeat.
    """
    topics = article.get("topics")
    if not isinstance(topics, list) or distinct_topics(facts(article, context), context):  # the usual case
        return
    seen: Dict[str, int] = {}
    for index, topic in enumerate(topics):
        if isinstance(topic, str):
            if topic.strip().casefold() in seen:
                first = seen[topic.strip().casefold()] + 1
                yield Hit(("topics", index), f"topic {shown(topic, ('topics', index))} repeats topic {first}")
            seen.setdefault(topic.strip().casefold(), index)


def distinct_related(look: Facts, context: Context) -> bool:
    """R001's screen: no related webUrl is listed twice."""
    related = look.related_urls
    return len(set(related)) == len(related)


@rule("R001", "duplicate-related", Severity.WARNING, fixable="unsafe", screen=distinct_related)
def duplicate_related(article: Article, context: Context) -> Iterator[Hit]:
    """Two related items have the same webUrl.

    **Why**: readers see the same story twice in the related list.

    **Example** (fails): `related[0].webUrl` and `related[3].webUrl` both
    `https://example.com/a`.

    **Jekyll**: Jekyll keeps both items; the related box shows the story twice.

    **Fix**: remove the repeated item.
    """
    if distinct_related(facts(article, context), context):  # no URL twice, the usual case
        return
    seen: Dict[str, int] = {}
    for index, item in items(article, "related"):
        url = item.get("webUrl")
        if isinstance(url, str) and url:
            if url in seen:
                message = f"related item {index + 1} repeats the URL of item {seen[url] + 1}"
                yield Hit(("related", index, "webUrl"), message)
            seen.setdefault(url, index)


def not_self_related(look: Facts, context: Context) -> bool:
    """R002's screen: no related webUrl is the article's own webUrl or originalUrl."""
    return not look.own_urls or set(look.own_urls).isdisjoint(look.related_urls)


@rule("R002", "self-related", Severity.WARNING, screen=not_self_related)
def self_related(article: Article, context: Context) -> Iterator[Hit]:
    """The article lists itself among its related articles.

    **Why**: a "related" link to the page the reader is on is wasted space.

    **Example** (fails): `related[2].webUrl` equal to the article's `webUrl`.

    **Jekyll**: Jekyll keeps the item; the page links to itself.

    **Fix**: remove that item.
    """
    if not_self_related(facts(article, context), context):  # the usual case
        return
    own = {url for url in (article.get("webUrl"), article.get("originalUrl")) if isinstance(url, str) and url}
    for index, item in items(article, "related"):
        url = item.get("webUrl")
        if isinstance(url, str) and url in own:
            yield Hit(("related", index, "webUrl"), f"related item {index + 1} is the article itself")


def not_published(look: Facts, context: Context) -> bool:
    """C001's screen: `published` is not true, the usual pair with any heat."""
    return look.article.get("published") is not True


@rule("C001", "unpromoted-but-published", screen=not_published)
def unpromoted_but_published(article: Article, context: Context) -> Iterator[Hit]:
    """`heat: -1` (not promoted) together with `published: true`.

    **Why**: the pipeline never publishes an article it did not promote; this pair means one
    of the two was edited by hand and the site shows an article it should not.

    **Example** (fails): `heat: -1` and `published: true`.

    **Jekyll**: Jekyll builds and lists the article as `published: true` says; `heat` means
    nothing to Jekyll itself.

    **Fix**: set `published: false`, or give the article its real heat.
    """
    if article.get("heat") == -1 and type(article.get("heat")) is int and article.get("published") is True:
        yield Hit(("published",), "published is true although heat is -1 (not promoted)")

"""URLs: shape of every URL field, the AMP Cache pair, and agreement with the provider."""

from __future__ import annotations

import re
from functools import lru_cache

from linter.regex import lazy
from linter.rules.base import URL_KEYS, Context, Entry, Facts, Hit, entries, facts, rule, shared
from linter.values import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, List, Optional, Tuple
    from urllib.parse import SplitResult

    from linter.model import DataPath
    from linter.rules.base import Article

_LABEL = lazy(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
#: A plain ASCII host name, the common case, checked without idna or ipaddress.
_PLAIN_HOST = re.compile(r"(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)*(?!-)[a-z0-9-]{1,63}(?<!-)\.?\Z")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: scheme://host followed by a path, query, fragment or the end: the shape of most URLs.
_COMMON_URL = re.compile(r"(?i)https?://([a-z0-9.-]+)(?=[/?#]|\Z)")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
#: Raw non-ASCII that is not whitespace (whitespace is U002's, so one character is one finding).
_NON_ASCII = lazy(r"(?!\s)[^\x00-\x7f]")
#: What ``encode_url`` keeps as written: printable ASCII (a ``%`` escape stays an escape).
_KEPT = "".join(chr(code) for code in range(0x21, 0x7F))
#: A plainly valid URL (``plainly_valid``): http(s) and a host of at most 253 name
#: characters (``_COMMON_URL``'s shape in ASCII classes only: no case folding of 'ſ' or 'K'),
#: then nothing or a path, query or fragment of printable ASCII without a space or '@', where
#: every '%' starts a two-digit escape. (``[!-$&-?A-~]`` is '!' to '~' but '%' and '@'.)
_PLAIN_URL = re.compile(
    r"[hH][tT][tT][pP][sS]?://([a-zA-Z0-9.-]{1,253})(?:[/?#][!-$&-?A-~]*(?:%[0-9A-Fa-f]{2}[!-$&-?A-~]*)*)?\Z"
)
#: URLs one a line, each plainly valid (``plainly_valid``): ``_PLAIN_URL``, its host (at most
#: 253 characters before a path, query, fragment or the line's end) in ``_PLAIN_HOST``'s
#: labels, in either case.
_PLAIN_LINES = re.compile(
    r"(?:[hH][tT][tT][pP][sS]?://(?=[a-zA-Z0-9.-]{1,253}[/?#\n])"
    r"(?:(?!-)[a-zA-Z0-9-]{1,63}(?<!-)\.)*(?!-)[a-zA-Z0-9-]{1,63}(?<!-)\.?"
    r"(?:[/?#][!-$&-?A-~]*(?:%[0-9A-Fa-f]{2}[!-$&-?A-~]*)*)?\n)*"
)
#: Lines of a provider domain, a tab and a webUrl whose host is that domain or below it
#: (``on_domain``), all in lower-case ASCII; the domain without a dot at either end, as
#: U007 reads it. The domain is tried after each label of the host in turn, first at its
#: start (most hosts are the domain or one label below it); both are at most 253
#: characters, so a line costs at most 253 squared steps.
_HOMES = re.compile(
    r"(?:(?=[a-z0-9.-]{1,253}\t)(?!\.)([a-z0-9.-]+)(?<!\.)\t"
    r"[hH][tT][tT][pP][sS]?://(?=[a-z0-9.-]{1,253}[/?#\n])(?:[a-z0-9-]+\.)*?\1(?=[/?#\n])[^\n]*\n)*"
)


@shared
def url_fields(article: Article, context: Context) -> List[Tuple[DataPath, Any]]:
    """Every URL in an article: its own, each image's, each related item's and theirs."""
    found: List[Tuple[DataPath, Any]] = []
    for entry in entries(article, context):
        _add_urls(found, entry)
    return found


def _add_urls(found: List[Tuple[DataPath, Any]], entry: Entry) -> None:
    data, base = entry.data, entry.path
    for key in URL_KEYS:
        if key in data and not (base and key == "webUrl" and data[key] == ""):
            found.append((base + (key,), data[key]))  # related videos carry webUrl: ""
    for path, image in entry.images:
        if "url" in image:
            found.append((path + ("url",), image["url"]))


@shared
def suspect_urls(article: Article, context: Context) -> List[Tuple[DataPath, str]]:
    """The URL strings that U001-U004 and U009 must look at: all but the plainly valid ones
    (``plainly_valid``), which none of them reports. Most URLs are, usually all of a file's,
    which ``plain_urls`` tells without a walk."""
    if plain_urls(facts(article, context), context):
        return []
    found = url_fields(article, context)
    return [(path, value) for path, value in found if isinstance(value, str) and not plainly_valid(value)]


def plainly_valid(url: str) -> bool:
    """Whether U001-U004 and U009 all accept a URL, asked in one scan at C speed:
    printable ASCII without a space or '@', a plain http(s) start, every '%' an escape."""
    plain = _PLAIN_URL.match(url)  # hosts repeat: host_problem answers most from its cache
    return plain is not None and not host_problem(plain.group(1).lower())


def all_plainly_valid(urls: List[str]) -> bool:
    """Whether every URL is ``plainly_valid``, asked of all of them at once in one match at C
    speed: one a line (none holds a line break), each line in ``_PLAIN_LINES``. A host in
    ASCII letters, digits, dots and hyphens is valid exactly when its labels are
    ``_PLAIN_HOST``'s (neither ``ipaddress`` nor IDNA takes another)."""
    joined = "\n".join(urls)
    return not urls or joined.count("\n") == len(urls) - 1 and _PLAIN_LINES.fullmatch(joined + "\n") is not None


def plain_urls(look: Facts, context: Context) -> bool:
    """U001-U004 and U009's screen: every URL of the article is ``plainly_valid`` (asked
    once a file)."""
    plain = look.plain_urls
    if plain is None:
        plain = look.plain_urls = all_plainly_valid(look.urls)
    return plain


@lru_cache(maxsize=4096)
def split_url(value: str) -> Optional[SplitResult]:
    """urlsplit, or None when Python cannot split it (bad port, bad IPv6 literal)."""
    from urllib.parse import urlsplit  # most URLs never get here (see _COMMON_URL)

    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
        return parts
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def host_problem(host: str) -> str:
    """Why a host name is not valid, or "" when it is."""
    if not host:
        return "has no host"
    if len(host) <= 253 and _PLAIN_HOST.match(host):
        return ""
    try:
        import ipaddress  # rare: most hosts are names, matched above

        ipaddress.ip_address(host.strip("[]"))
        return ""
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return f"has an invalid host {shown(host, ())}"
    labels = ascii_host.rstrip(".").split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        return f"has an invalid host {shown(host, ())}"
    return ""


@lru_cache(maxsize=1024)  # U001 and U003 ask about the same URLs of a file
def url_problem(value: str) -> str:
    """Why a URL is not an absolute http(s) URL with a valid host, or ""."""
    common = _COMMON_URL.match(value)
    if common is not None:  # most URLs: no port, user or IPv6 literal; skip urlsplit
        return host_problem(common.group(1).lower())
    parts = split_url(value)
    if parts is None:
        return "cannot be parsed as a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an absolute http(s) URL"
    return host_problem(parts.hostname or "")


@rule("U001", "invalid-url", screen=plain_urls)
def invalid_url(article: Article, context: Context) -> Iterator[Hit]:
    """A URL is not an absolute http(s) URL with a valid host.

    **Why**: links are rendered as they are; a relative path, a missing scheme or a broken
    host name is a dead link on the site.

    **Example** (fails): `webUrl: "www.example.com/news/1"`, `"ftp://example.com/a"`,
    `"https://exa_mple.com/"`.

    **Jekyll**: Jekyll prints the value as it is; the link or image is broken.

    **Fix**: write the full URL, `https://www.example.com/news/1`.
    """
    for path, value in suspect_urls(article, context):
        if not _space_or_control(value):
            problem = url_problem(value)
            if problem:
                yield Hit(path, f"URL {shown(value, path)} {problem}")


@rule("U002", "url-whitespace", fixable="safe", screen=plain_urls)
def url_whitespace(article: Article, context: Context) -> Iterator[Hit]:
    """A URL contains whitespace or a control character.

    **Why**: browsers and crawlers split or reject such URLs; real archives contain
    `https://apnews.com/PR Newswire/...`, which leads nowhere.

    **Example** (fails): `webUrl: "https://apnews.com/PR Newswire/abc"`.

    **Jekyll**: Jekyll prints the URL as it is; browsers and crawlers cut or reject it.

    **Folded**: when webUrl and originalUrl differ only by such characters (one of them is
    encoded, the other not), this finding, on the one not encoded, is the only one: U008 is
    folded into it; so is U005 when cdnAmpWebUrl is the AMP Cache URL of the encoded
    ampWebUrl. The schema's S008 (`format: uri`) on the same URL is not reported either
    (a format hint gives way to a rule on the same value). Both come back, each with its own
    message, when this code is not reported (not selected, ignored or silenced).

    **Fix**: percent-encode the character (`%20` for a space) or drop it.
    """
    for path, value in suspect_urls(article, context):
        found = _space_or_control(value)
        if found:
            where = found.start()
            yield Hit(path, f"URL {shown(value, path)} has {_describe(found.group())} at character {where + 1}")


def _space_or_control(value: str) -> Optional[re.Match[str]]:
    """The first whitespace or control character of a URL, if any. Every such character but
    the space is unprintable, so ``str.isprintable`` answers for most URLs at C speed."""
    if value.isprintable() and " " not in value:
        return None
    return _SPACE_OR_CONTROL.search(value)


def _describe(char: str) -> str:
    return "a space" if char == " " else f"the character U+{ord(char):04X}"


@rule("U003", "url-bad-escape", screen=plain_urls)
def url_bad_escape(article: Article, context: Context) -> Iterator[Hit]:
    """A URL has a `%` that does not start a two-digit hex escape.

    **Why**: `%` must introduce an escape like `%20`; a lone `%` makes the URL invalid and
    servers answer 400.

    **Example** (fails): `url: "https://example.com/100%-sure.jpg"`.

    **Jekyll**: Jekyll prints the URL as it is; browsers reject or mangle the escape.

    **Fix**: write `%25` for a literal percent sign.
    """
    for path, value in suspect_urls(article, context):
        if not url_problem(value):
            found = _BAD_ESCAPE.search(value)
            if found:
                where = found.start() + 1
                yield Hit(path, f"URL {shown(value, path)} has an invalid percent-escape at character {where}")


@rule("U004", "url-credentials", screen=plain_urls)
def url_credentials(article: Article, context: Context) -> Iterator[Hit]:
    """A URL carries a user name or password (`https://user:pass@host/`).

    **Why**: credentials in a public archive leak, and browsers warn about or block such
    links.

    **Example** (fails): `webUrl: "https://editor:secret@example.com/a"`.

    **Jekyll**: Jekyll publishes the URL as written, credentials included.

    **Fix**: remove the `user:pass@` part.
    """
    for path, value in suspect_urls(article, context):
        if "@" in value:
            parts = split_url(value)
            if parts is not None and "@" in parts.netloc:
                yield Hit(path, "URL contains credentials (user or password before '@')")


@rule("U009", "url-non-ascii", fixable="safe", screen=plain_urls)
def url_non_ascii(article: Article, context: Context) -> Iterator[Hit]:
    """A URL holds a raw non-ASCII character (`’`, `é`, `–`).

    Checked in every URL field: `webUrl`, `originalUrl`, the AMP pair, image URLs and
    provider logos, in the article and in each related item.

    **Why**: a URL is ASCII (RFC 3986); other characters must be percent-encoded as UTF-8,
    and a host name written in IDNA (`xn--...`). Browsers repair some raw characters, but
    feeds, crawlers and the AMP Cache do not, and the same page then has two spellings.
    Related items are not checked by the schema's `format: uri` (their videos carry
    `webUrl: ""`), so this is the only check that sees them.

    **Example** (fails): `webUrl: "https://example.com/news/device-authority’s-keyscaler"`.

    **Jekyll**: writes the URL into links as written; browsers encode it when followed,
    but feeds, sitemaps and `jekyll-seo-tag` output an invalid URL.

    **Folded**: as with U002, a webUrl that differs from originalUrl only by the encoding
    of such characters is this one finding; U008 is folded into it (and U005 where
    cdnAmpWebUrl is the AMP Cache URL of the encoded ampWebUrl), and S008 on the same URL
    is not reported. Both come back when this code is not reported.

    **Fix**: percent-encode it, `https://example.com/news/device-authority%E2%80%99s-keyscaler`
    (the hint shows the whole encoded URL).
    """
    for path, value in suspect_urls(article, context):
        if not value.isascii():
            found = list(_NON_ASCII.finditer(value))
            if found:
                first = found[0]
                what = f"{shown(first.group(), path)} (U+{ord(first.group()):04X}) at character {first.start() + 1}"
                more = f" ({len(found)} such characters in all)" if len(found) > 1 else ""
                message = f"URL {shown(value, path)} has the raw non-ASCII character {what}{more}"
                yield Hit(path, message, hint=f"percent-encoded: {encode_url(value)}")


def encode_url(url: str) -> str:
    """``url`` with every character outside printable ASCII percent-encoded as UTF-8, and a
    non-ASCII host name in IDNA (``xn--``) form. Everything already ASCII is kept exactly
    as written, escapes included, so encoding twice changes nothing."""
    scheme, separator, rest = url.partition("://")
    if not separator or not scheme.isascii():
        return _quote(url)
    end = min((index for index in (rest.find(c) for c in "/?#") if index >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    userinfo, at, host_port = authority.rpartition("@")
    host, port = (host_port, "") if host_port.startswith("[") else _split_port(host_port)
    return f"{scheme}{separator}{_quote(userinfo)}{at}{_idna(host)}{port}{_quote(tail)}"


def _split_port(host_port: str) -> Tuple[str, str]:
    host, colon, port = host_port.partition(":")
    return host, colon + _quote(port)


def _idna(host: str) -> str:
    if host.isascii():
        return _quote(host)
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a valid IDN: percent-encoding is still a valid reg-name
        return _quote(host)


def _quote(text: str) -> str:
    from urllib.parse import quote  # only for the rare URL that needs it

    return quote(text, safe=_KEPT, errors="surrogatepass")


def scheme_and_netloc(url: str) -> Optional[Tuple[str, str]]:
    """The lower-case scheme and the network location of a URL, or None if it has none."""
    common = _COMMON_URL.match(url)
    if common is not None:  # the usual shape: no need for urlsplit
        return url[: url.index(":")].lower(), common.group(1)
    parts = split_url(url)
    return (parts.scheme.lower(), parts.netloc) if parts is not None else None


def host_of(url: str) -> str:
    """The lower-case host name of a URL, "" when it has none."""
    common = _COMMON_URL.match(url)
    if common is not None:
        return common.group(1).lower()
    parts = split_url(url)
    return (parts.hostname or "") if parts is not None else ""


def amp_cache_url(amp: str) -> Optional[str]:
    """The Google AMP Cache URL of an AMP URL, or None when it is not http(s)."""
    found = scheme_and_netloc(amp)
    if found is None or found[0] not in ("http", "https") or not found[1]:
        return None
    rest = amp.split("://", 1)[1]
    host = found[1].lower().replace("-", "--").replace(".", "-")
    secure = "s/" if found[0] == "https" else ""
    return f"https://{host}.cdn.ampproject.org/c/{secure}{rest}"


def amp_pairs_match(look: Facts, context: Context) -> bool:
    """U005's screen: every cdnAmpWebUrl is the AMP Cache URL of its ampWebUrl (or that has
    none). The usual https AMP URL's is built here without a call (as ``amp_cache_url``)."""
    for amp, cdn in look.amp_pairs:
        common = _COMMON_URL.match(amp)
        if common is not None and amp.startswith("https://"):
            host = common.group(1).lower().replace("-", "--").replace(".", "-")
            if cdn != f"https://{host}.cdn.ampproject.org/c/s/{amp[8:]}":
                return False
        else:
            expected = amp_cache_url(amp)
            if expected is not None and cdn != expected:
                return False
    return True


@rule("U005", "amp-cache-mismatch", fixable="safe", screen=amp_pairs_match)
def amp_cache_mismatch(article: Article, context: Context) -> Iterator[Hit]:
    """cdnAmpWebUrl is not the Google AMP Cache URL of ampWebUrl.

    **Why**: the pipeline derives one from the other; when they disagree one of them was
    edited by hand and readers of the AMP page land on another article.

    **Example** (fails): `ampWebUrl: "https://www.example.com/a/amp/"` with
    `cdnAmpWebUrl: "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/b/amp/"`.

    **Jekyll**: Jekyll prints the value as it is; the AMP link goes to the wrong page.

    **Folded**: when cdnAmpWebUrl is the AMP Cache URL of ampWebUrl once a space or a raw
    non-ASCII character in ampWebUrl is percent-encoded, the mistake is that character: it
    is reported once, as U002 or U009 on ampWebUrl, and this finding is folded into it.

    **Fix**: `https://` + the AMP host with `-` doubled and `.` turned into `-` +
    `.cdn.ampproject.org/c/s/` + the AMP URL without `https://`.
    """
    if amp_pairs_match(facts(article, context), context):
        return
    for path, data, _ in facts(article, context).mappings:
        amp, cdn = data.get("ampWebUrl"), data.get("cdnAmpWebUrl")
        if isinstance(amp, str) and isinstance(cdn, str):
            expected = amp_cache_url(amp)
            if expected is not None and cdn != expected:
                message = "cdnAmpWebUrl is not the AMP Cache URL of ampWebUrl"
                yield Hit(path + ("cdnAmpWebUrl",), message, hint=f"expected {expected}")


def _providers(article: Article, context: Context) -> List[Tuple[DataPath, Article, Article]]:
    mappings = facts(article, context).mappings
    return [(path, data, provider) for path, data, provider in mappings if isinstance(provider, dict)]


def domains_fine(look: Facts, context: Context) -> bool:
    """U006's screen: no provider domain has a problem (domains repeat: each is asked once)."""
    return not any(map(_domain_problem, look.domains))


@rule("U006", "provider-domain-not-bare", fixable="unsafe", screen=domains_fine)
def provider_domain_not_bare(article: Article, context: Context) -> Iterator[Hit]:
    """provider.domain is not a bare host name.

    **Why**: the domain identifies the publisher and is matched against article URLs; a
    scheme, a path, a port or upper case breaks that match.

    **Example** (fails): `domain: https://www.example.com/`, `domain: example.com/news`.

    **Jekyll**: Jekyll prints the value as it is; templates that build links from it break.

    **Fix**: write the host name alone, `example.com`.
    """
    if domains_fine(facts(article, context), context):
        return
    for base, _, provider in _providers(article, context):
        domain = provider.get("domain")
        if isinstance(domain, str) and domain:
            problem = _domain_problem(domain)
            if problem:
                path = base + ("provider", "domain")
                yield Hit(path, f"provider domain {shown(domain, path)} {problem}")


@lru_cache(maxsize=4096)  # providers repeat across articles; U006 and U007 both ask
def _domain_problem(domain: str) -> str:
    if "://" in domain:
        return "has a scheme; write the host name alone"
    if any(char in domain for char in "/?#"):
        return "has a path; write the host name alone"
    if ":" in domain or "@" in domain:
        return "has a port or user; write the host name alone"
    if domain != domain.lower():
        return "has upper-case letters"
    if "." not in domain.strip("."):
        return "is not a full domain name"
    problem = host_problem(domain)
    return "is not a valid host name" if problem else ""


def homes_on_domain(look: Facts, context: Context) -> bool:
    """U007's screen: every article-type webUrl is on its provider's domain (or the domain has
    a problem, U006's). Most are asked in one match of the lines domain, tab, URL."""
    homes = look.homes
    joined = "".join([f"{domain}\t{url}\n" for url, domain in homes])
    if joined.count("\n") == len(homes) and _HOMES.fullmatch(joined) is not None:
        return True
    return not any(_off_domain(url, domain) for url, domain in homes)


def _off_domain(url: str, domain: str) -> str:
    """The lower-case domain that a webUrl's host is not on, or "" when it is on it (or has
    no host, or the domain is empty or not valid)."""
    host = host_of(url)
    wanted = domain.lower().strip(".")
    off = host and wanted and host != wanted and not host.endswith("." + wanted)  # not on_domain
    return wanted if off and not _domain_problem(wanted) else ""


@rule("U007", "host-not-provider-domain", screen=homes_on_domain)
def host_not_provider_domain(article: Article, context: Context) -> Iterator[Hit]:
    """An article's webUrl is not on its provider's domain.

    **Why**: for `type: article` the provider is the site the URL points to
    (`www.macaubusiness.com` belongs to `macaubusiness.com`); a mismatch means the URL or the
    provider is wrong. Videos are exempt: their provider is the publisher, the URL YouTube's.

    **Example** (fails): `webUrl: "https://www.other.com/a"` with `domain: example.com`.

    **Jekyll**: Jekyll prints both as written; the link credits the wrong publisher.

    **Folded**: when originalUrl is on the provider's domain and webUrl differs from it, the
    mistake is webUrl: it is reported once, as U008 (which names both hosts), with this
    finding's information in its message. With U008 not reported (not selected, ignored or
    silenced), this finding is reported on its own.

    **Fix**: correct the URL or the provider.
    """
    if homes_on_domain(facts(article, context), context):
        return
    for base, entry, provider in _providers(article, context):
        url, domain = entry.get("webUrl"), provider.get("domain")
        if entry.get("type") != "article" or not isinstance(url, str) or not isinstance(domain, str) or not url:
            continue
        wanted = _off_domain(url, domain)
        if wanted:
            host = shown(host_of(url), ())
            message = f"webUrl host {host} is not provider domain {shown(wanted, ())} or a subdomain of it"
            yield Hit(base + ("webUrl",), message)


def on_domain(host: str, domain: str) -> bool:
    """Whether a (lower-case) host is the provider domain or below it."""
    wanted = domain.lower().strip(".")
    return bool(host) and bool(wanted) and (host == wanted or host.endswith("." + wanted))


def same_web_url(look: Facts, context: Context) -> bool:
    """U008's screen: the article's originalUrl and webUrl are not two different strings."""
    original, web = look.article.get("originalUrl"), look.article.get("webUrl")
    return not (isinstance(original, str) and isinstance(web, str) and original != web)


@rule("U008", "weburl-mismatch", screen=same_web_url)
def weburl_mismatch(article: Article, context: Context) -> Iterator[Hit]:
    """originalUrl and webUrl differ.

    **Why**: the generator writes the same URL into both; when they differ one was edited by
    hand and the site links somewhere else than the archive records.

    The message names both hosts, or where the URLs part when they share one.

    **Example** (fails): `originalUrl: "https://example.com/a"` with
    `webUrl: "https://example.com/b"`.

    **Jekyll**: Jekyll prints both as written; the page links to two different articles.

    **Folded**: when webUrl is also off the provider's domain while originalUrl is on it,
    this one finding says so and U007 is not reported on its own (one mistake: webUrl). When
    the two differ only by a space or a raw non-ASCII character, the finding is U002 or
    U009, at that character, and this one is folded into it.

    **Fix**: make them equal.
    """
    original, web = article.get("originalUrl"), article.get("webUrl")
    if isinstance(original, str) and isinstance(web, str) and original != web:
        yield Hit(("webUrl",), _mismatch(original, web))


def _mismatch(original: str, web: str) -> str:
    web_host, original_host = host_of(web), host_of(original)
    if web_host != original_host:
        return f"webUrl differs from originalUrl: host {_host(web_host)} where originalUrl has {_host(original_host)}"
    at = next((i for i, (a, b) in enumerate(zip(original, web)) if a != b), min(len(original), len(web)))
    same = f", both on host {_host(web_host)}" if web_host else ""
    return f"webUrl differs from originalUrl at character {at + 1}{same}"


def _host(host: str) -> str:
    return shown(host, ("webUrl",)) if host else "none"

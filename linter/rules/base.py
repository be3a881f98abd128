"""What a rule is: a documented function from plain article data to hits.

A rule never sees YAML nodes or positions. It yields the data path of what is wrong and the
engine turns that into a line and column, so a rule can be tested with a dict literal.
"""

from __future__ import annotations

from linter.model import RuleInfo, Severity, summary_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterator, List, Mapping, NamedTuple, Optional, Tuple, TypeVar

    from linter.model import DataPath
else:
    from linter.named import NamedTuple


class Hit(NamedTuple):
    """What a rule found: where (data path), what (message), and optional advice."""

    path: DataPath
    message: str
    hint: str = ""
    on_key: bool = False


class Options(NamedTuple):
    """Rule options a configuration file may set."""

    max_image_dimension: int = 20_000


class Context:
    """What a rule may know beside the article: the file name and the options."""

    __slots__ = ("filename", "options", "memo", "facts")

    def __init__(self, filename: str = "", options: Optional[Options] = None) -> None:
        self.filename = filename
        self.options = options if options is not None else Options()
        #: Walks that several rules share, done once per file (see ``shared``).
        self.memo: Dict[str, Tuple[Any, Any]] = {}
        #: The first look at the article (see ``facts``).
        self.facts: Optional[Facts] = None


if TYPE_CHECKING:
    Article = Mapping[str, Any]
    Check = Callable[[Article, Context], Iterator[Hit]]
    #: A rule's screen: True when the first look shows that the rule has nothing to find in
    #: the article, so the engine need not call its check (which asks the same itself).
    Screen = Callable[["Facts", Context], bool]


class Rule(NamedTuple):
    info: RuleInfo
    check: Check
    screen: Optional[Screen] = None


def rule(
    code: str,
    name: str,
    severity: Severity = Severity.ERROR,
    *,
    fixable: Optional[str] = None,
    screen: Optional[Screen] = None,
) -> Callable[[Check], Rule]:
    """Turn a check function into a Rule; its docstring is the user-facing doc (with Why,
    Example and Fix sections). ``linter.registry`` finds every Rule in ``linter/rules/``
    and documents the other facts a code can carry. ``screen``, when given, is what the
    check asks first: True means it yields nothing for this article."""

    def wrap(check: Check) -> Rule:
        doc = check.__doc__ or ""
        return Rule(RuleInfo(code, name, severity, summary_line(doc) or name, doc, fixable=fixable), check, screen)

    return wrap


if TYPE_CHECKING:
    _T = TypeVar("_T")


def shared(walk: Callable[[Article, Context], List[_T]]) -> Callable[[Article, Context], List[_T]]:
    """A walk over the article that several rules need, done once per file.

    The result is kept in the file's context together with the article it came from, so a
    context reused for another article never gets a stale walk. A walk may build on
    another (most start from ``entries``).
    """
    name = f"{walk.__module__}.{walk.__qualname__}"

    def cached(article: Article, context: Context) -> List[_T]:
        hit = context.memo.get(name)
        if hit is None or hit[0] is not article:
            hit = context.memo[name] = (article, walk(article, context))
        return hit[1]

    cached.__doc__ = walk.__doc__
    return cached


def items(article: Article, key: str) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """The mapping items of a list field, with their index; anything else is skipped."""
    value = article.get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


if TYPE_CHECKING:
    Images = List[Tuple[DataPath, Dict[str, Any]]]


class Entry(NamedTuple):
    """The article or one related item (a mapping), with what most rules read in it."""

    path: DataPath  #: () for the article, ("related", index) for an item
    data: Article
    #: Its own image mappings, then its provider's (a logo), each with its data path.
    images: Images
    #: How many of ``images`` are its own (the rest are its provider's).
    own_images: int
    provider: Optional[Dict[str, Any]]


@shared
def entries(article: Article, context: Context) -> List[Entry]:
    """The article and each related item that is a mapping: one walk that the rules share,
    in document order (the article first)."""
    found = [_entry((), article)]
    related = article.get("related")
    if isinstance(related, list):
        found.extend(_entry(("related", index), item) for index, item in enumerate(related) if isinstance(item, dict))
    return found


def _entry(path: DataPath, data: Article) -> Entry:
    images = _images(data, path + ("images",))
    provider = data.get("provider")
    if not isinstance(provider, dict):
        return Entry(path, data, images, len(images), None)
    return Entry(path, data, images + _images(provider, path + ("provider", "images")), len(images), provider)


def _images(owner: Article, path: DataPath) -> Images:
    value = owner.get("images")
    if not isinstance(value, list):
        return []
    return [(path + (index,), image) for index, image in enumerate(value) if isinstance(image, dict)]


#: The URL fields of the article and of each related item (an image's is ``url``).
URL_KEYS = ("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl")
_TEXT_KEYS = ("title", "excerpt")


class Facts:
    """A first look at the article, taken once per file: the values most rules check,
    gathered without their data paths. Most articles are clean, and from these a rule's
    screen tells in one step at C speed that it has nothing to find (every URL plainly
    valid, no '&' or '<' in any text), so the engine skips the rule and the rule skips the
    walk that would place a finding.

    The values are the parsed ones, escapes decoded: a screen never reads the raw text.
    """

    __slots__ = (
        "article", "mappings", "urls", "related_urls", "own_urls", "domains", "texts", "dates", "published",
        "largest", "amp_pairs", "homes", "plain_urls",
    )  # fmt: skip

    def __init__(self, article: Article) -> None:
        self.article = article
        #: The article and each related item that is a mapping, with its data path and its
        #: provider (any value; the rules want a mapping): the order of ``entries``.
        self.mappings: List[Tuple[DataPath, Article, Any]] = []
        #: Every URL string that ``urls.url_fields`` lists.
        self.urls: List[str] = []
        #: The related items' webUrl strings but "" (a video's).
        self.related_urls: List[str] = []
        #: The article's own webUrl and originalUrl strings but "".
        self.own_urls: List[str] = []
        #: The providers' domain strings but "".
        self.domains: List[str] = []
        #: Every publishedDateTime that is a string.
        self.dates: List[str] = []
        #: The article's own publishedDateTime, when it is a string.
        self.published: Optional[str] = None
        #: The largest image width or height that is an int (0 when none is larger).
        self.largest = 0
        #: (ampWebUrl, cdnAmpWebUrl) of each mapping where both are strings.
        self.amp_pairs: List[Tuple[str, str]] = []
        #: (webUrl, provider domain) of each mapping of type article, webUrl not "".
        self.homes: List[Tuple[str, str]] = []
        #: Whether every URL is plainly valid, once a rule asked (``urls.plain_urls``).
        self.plain_urls: Optional[bool] = None
        texts: List[str] = []
        self._look((), article, texts)
        published = article.get("publishedDateTime")
        if isinstance(published, str):
            self.published = published
        for url in (article.get("webUrl"), article.get("originalUrl")):
            if isinstance(url, str) and url:
                self.own_urls.append(url)
        related = article.get("related")
        if isinstance(related, list):
            for index, item in enumerate(related):
                if isinstance(item, dict):
                    self._look(("related", index), item, texts)
        #: Titles, excerpts, image titles and provider names, joined by spaces.
        self.texts = " ".join(texts)

    def _look(self, path: DataPath, data: Article, texts: List[str]) -> None:
        get, urls = data.get, self.urls
        original, web, amp, cdn = get("originalUrl"), get("webUrl"), get("ampWebUrl"), get("cdnAmpWebUrl")
        if isinstance(original, str):
            urls.append(original)
        if isinstance(web, str) and (web or not path):  # a related video's webUrl: ""
            urls.append(web)
            if path:
                self.related_urls.append(web)
        if isinstance(amp, str):
            urls.append(amp)
        if isinstance(cdn, str):
            urls.append(cdn)
            if isinstance(amp, str):
                self.amp_pairs.append((amp, cdn))
        title, excerpt, published = get("title"), get("excerpt"), get("publishedDateTime")
        if isinstance(title, str):
            texts.append(title)
        if isinstance(excerpt, str):
            texts.append(excerpt)
        if isinstance(published, str):
            self.dates.append(published)
        self._images(get("images"), texts)
        provider = get("provider")
        self.mappings.append((path, data, provider))
        if isinstance(provider, dict):
            domain = self._provider(provider, texts)
            if isinstance(domain, str) and isinstance(web, str) and web and get("type") == "article":
                self.homes.append((web, domain))

    def _provider(self, provider: Dict[str, Any], texts: List[str]) -> Any:
        """Take in a provider's name, domain and logos; its domain, whatever it is."""
        name, domain = provider.get("name"), provider.get("domain")
        if isinstance(name, str):
            texts.append(name)
        if isinstance(domain, str) and domain:
            self.domains.append(domain)
        self._images(provider.get("images"), None)
        return domain

    def _images(self, images: Any, texts: Optional[List[str]]) -> None:
        """The URLs and sizes of a list of images, and their titles when ``texts`` is given."""
        if not isinstance(images, list):
            return
        urls, largest = self.urls, self.largest
        for image in images:
            if isinstance(image, dict):
                url, width, height = image.get("url"), image.get("width"), image.get("height")
                if isinstance(url, str):
                    urls.append(url)
                if type(width) is int and width > largest:
                    largest = width
                if type(height) is int and height > largest:
                    largest = height
                if texts is not None and isinstance(image.get("title"), str):
                    texts.append(image["title"])
        self.largest = largest


def facts(article: Article, context: Context) -> Facts:
    """The first look at ``article``, taken once per file (a context reused for another
    article takes it again)."""
    found = context.facts
    if found is None or found.article is not article:
        found = context.facts = Facts(article)
    return found

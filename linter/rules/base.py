"""What a rule is: a documented function from plain article data to hits.

A rule never sees YAML nodes or positions. It yields the data path of what is wrong and the
engine turns that into a line and column, so a rule can be tested with a dict literal.
"""

from typing import Any, Callable, Dict, Iterator, List, Mapping, NamedTuple, Optional, Tuple, TypeVar

from linter.model import DataPath, RuleInfo, Severity, summary_line


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


Article = Mapping[str, Any]
Check = Callable[[Article, Context], Iterator[Hit]]


class Rule(NamedTuple):
    info: RuleInfo
    check: Check


def rule(
    code: str, name: str, severity: Severity = Severity.ERROR, *, fixable: Optional[str] = None
) -> Callable[[Check], Rule]:
    """Turn a check function into a Rule; its docstring is the user-facing doc (with Why,
    Example and Fix sections). ``linter.registry`` finds every Rule in ``linter/rules/``
    and documents the other facts a code can carry."""

    def wrap(check: Check) -> Rule:
        doc = check.__doc__ or ""
        return Rule(RuleInfo(code, name, severity, summary_line(doc) or name, doc, fixable=fixable), check)

    return wrap


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
    gathered without their data paths. Most articles are clean, and from these a rule can
    tell in one step at C speed that it has nothing to find (every URL plainly valid, no
    '&' or '<' in any text) and skip the walk that would place a finding.

    The values are the parsed ones, escapes decoded: a screen never reads the raw text.
    """

    __slots__ = ("article", "mappings", "urls", "related_urls", "domains", "texts", "dates", "largest")

    def __init__(self, article: Article) -> None:
        self.article = article
        #: The article and each related item that is a mapping, with its data path and its
        #: provider (any value; the rules want a mapping): the order of ``entries``.
        self.mappings: List[Tuple[DataPath, Article, Any]] = []
        #: Every URL string that ``urls.url_fields`` lists.
        self.urls: List[str] = []
        #: The related items' webUrl strings but "" (a video's).
        self.related_urls: List[str] = []
        #: The providers' domain strings but "".
        self.domains: List[str] = []
        #: Every publishedDateTime that is a string.
        self.dates: List[str] = []
        #: The largest image width or height that is an int (0 when none is larger).
        self.largest = 0
        texts: List[str] = []
        self._look((), article, texts)
        related = article.get("related")
        if isinstance(related, list):
            for index, item in enumerate(related):
                if isinstance(item, dict):
                    self._look(("related", index), item, texts)
        #: Titles, excerpts, image titles and provider names, joined by spaces.
        self.texts = " ".join(texts)

    def _look(self, path: DataPath, data: Article, texts: List[str]) -> None:
        urls = self.urls
        for key in URL_KEYS:
            value = data.get(key)
            if isinstance(value, str) and (value or not path or key != "webUrl"):  # a related video's webUrl: ""
                urls.append(value)
        web = data.get("webUrl")
        if path and isinstance(web, str) and web:
            self.related_urls.append(web)
        for key in _TEXT_KEYS:
            value = data.get(key)
            if isinstance(value, str):
                texts.append(value)
        value = data.get("publishedDateTime")
        if isinstance(value, str):
            self.dates.append(value)
        self._images(data.get("images"), texts)
        provider = data.get("provider")
        self.mappings.append((path, data, provider))
        if isinstance(provider, dict):
            self._provider(provider, texts)

    def _provider(self, provider: Dict[str, Any], texts: List[str]) -> None:
        name, domain = provider.get("name"), provider.get("domain")
        if isinstance(name, str):
            texts.append(name)
        if isinstance(domain, str) and domain:
            self.domains.append(domain)
        self._images(provider.get("images"), None)

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

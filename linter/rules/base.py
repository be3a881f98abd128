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


class Facts:
    """A first look at the article, taken once per file in one walk: the values most rules
    check, gathered without their data paths. Most articles are clean, and from these a
    rule can tell in one step at C speed that it has nothing to find (every URL plainly
    valid, no '&' or '<' in any text) and skip the walk that would place a finding.

    The values are the parsed ones, escapes decoded: a screen never reads the raw text.
    """

    __slots__ = ("article", "mappings", "urls", "texts", "dates", "largest")

    def __init__(self, article: Article) -> None:
        self.article = article
        #: The article and each related item that is a mapping, with its data path and
        #: its provider (when a mapping): the order of ``entries``.
        self.mappings: List[Tuple[DataPath, Article, Optional[Dict[str, Any]]]] = []
        #: Every URL string that ``urls.url_fields`` lists.
        self.urls: List[str] = []
        #: Titles, excerpts, image titles and provider names, joined by spaces.
        self.texts = ""
        #: Every publishedDateTime that is a string.
        self.dates: List[str] = []
        #: The largest image width or height that is an int (0 when there is none).
        self.largest = 0
        texts: List[str] = []
        self._look((), article, texts)
        related = article.get("related")
        if isinstance(related, list):
            for index, item in enumerate(related):
                if isinstance(item, dict):
                    self._look(("related", index), item, texts)
        self.texts = " ".join(texts)

    def _look(self, path: DataPath, data: Article, texts: List[str]) -> None:
        urls = self.urls
        for key in URL_KEYS:
            value = data.get(key)
            if isinstance(value, str) and (value or not path or key != "webUrl"):  # related videos: webUrl ""
                urls.append(value)
        for key in ("title", "excerpt"):
            value = data.get(key)
            if isinstance(value, str):
                texts.append(value)
        value = data.get("publishedDateTime")
        if isinstance(value, str):
            self.dates.append(value)
        self._images(data, texts)
        provider = data.get("provider")
        if not isinstance(provider, dict):
            self.mappings.append((path, data, None))
            return
        self.mappings.append((path, data, provider))
        name = provider.get("name")
        if isinstance(name, str):
            texts.append(name)
        self._images(provider, None)

    def _images(self, owner: Article, texts: Optional[List[str]]) -> None:
        """An owner's image URLs and sizes, and their titles when ``texts`` is given."""
        images = owner.get("images")
        if not isinstance(images, list):
            return
        for image in images:
            if isinstance(image, dict):
                self._image(image, texts)

    def _image(self, image: Dict[str, Any], texts: Optional[List[str]]) -> None:
        url, width, height = image.get("url"), image.get("width"), image.get("height")
        if isinstance(url, str):
            self.urls.append(url)
        if type(width) is int and width > self.largest:
            self.largest = width
        if type(height) is int and height > self.largest:
            self.largest = height
        title = image.get("title") if texts is not None else None
        if isinstance(title, str) and texts is not None:
            texts.append(title)


def facts(article: Article, context: Context) -> Facts:
    """The first look at ``article``, taken once per file (a context reused for another
    article takes it again)."""
    found = context.facts
    if found is None or found.article is not article:
        found = context.facts = Facts(article)
    return found

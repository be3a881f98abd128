"""Generate a synthetic, realistic corpus of news-article files for the lint-news benchmark.

    python bench/generate.py OUT_DIR [-n 20000] [--seed 0] [--defect-rate 0.05]

Writes ``OUT_DIR/_news/YYYY-MM-DD-slug.md`` files and ``OUT_DIR/MANIFEST.tsv`` (one line per
defective file: relative path, defect name). The output is deterministic for ``(n, seed,
defect_rate)`` and file ``i`` does not depend on ``n``.

Shape (key order, quoting, blank lines) follows the generator described in FORMAT.md. The
distributions below (sizes, ``related`` list lengths, string lengths, image sizes, field
presence) are numbers measured on ``corpus/real`` (2,477 files); all text is random
pseudo-words and all URLs, names and ``secured`` values are synthetic.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import random
import re
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple, TypeVar, Union

GENERATOR_VERSION = 1

# ---------------------------------------------------------------------------------------------
# Distributions measured on corpus/real (2,477 files). Quantile tables are evenly spaced.
# ---------------------------------------------------------------------------------------------
RELATED_EMPTY_P = 0.609  # files without a `related` list
#: 5 %-step quantiles of the length of non-empty `related` lists.
RELATED_Q = (1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 12, 20, 39)
#: FORMAT.md: the full survey has lists up to 179 items; the top 0.5 % of non-empty lists
#: is drawn from 39..179 to keep that tail.
RELATED_TAIL = (0.995, 179)
TITLE_Q = (15, 38, 46, 51, 57, 62, 67, 72, 78, 88, 180)  # 10 %-step quantiles
EXCERPT_Q = (20, 119, 138, 157, 189, 199, 201, 203, 239, 301, 339)
REL_TITLE_Q = (19, 36, 45, 51, 56, 60, 65, 70, 75, 84, 124)
REL_EXCERPT_Q = (20, 125, 138, 161, 197, 199, 201, 202, 203, 204, 255)
QUALITY_Q = (0, 62, 71, 77, 87, 87, 87, 96, 107, 127, 189)
REL_QUALITY_Q = (44, 80, 87, 87, 87, 87, 100, 107, 107, 137, 164)
HEAT_Q = (0, 54, 67, 72, 84, 87, 87, 104, 113, 147, 942)  # when not -1
P_VIDEO = 0.075
P_HEAT_NEG = 0.27  # heat == -1 (then published is false)
P_PUBLISHED = 0.78  # published when heat >= 0
P_NO_QUALITY_ARTICLE = 0.008
P_NO_QUALITY_VIDEO = 0.5
P_NO_ORIGINAL = 0.08  # FORMAT.md: originalUrl missing in 374 of 4,586
P_AMP = 0.19
P_REL_AMP = 0.32
P_IMAGES = 0.92
P_REL_IMAGES = 0.95
P_REL_VIDEO = 0.052
P_PROVIDER_LOGO = 0.42
P_FEATURED_ARTICLE = 0.002
P_EXCERPT_EMPTY = 0.01
P_EXCERPT_NEWLINE = 0.023
P_EXCERPT_ENTITY = 0.058
P_FILENAME_DAY_OFF = 0.021
P_CRLF = 0.023
P_BOM = 0.003  # not in the real files, but FORMAT.md says a BOM must be tolerated
P_BODY = 0.003  # a Markdown body (containing a `---` line)
P_DOTS_CLOSER = 0.002  # `...` closes the block
TOPIC_COUNT_W = ((1, 0.91), (2, 0.086), (3, 0.003), (4, 0.0007), (5, 0.0003))
#: ciphertext length in bytes -> weight
SECURED_CT_W = ((272, 0.879), (336, 0.052), (400, 0.045), (304, 0.013), (320, 0.011), (352, 0.001))
IMAGE_DIMS = (
    (1200, 630),
    (1280, 720),
    (1200, 675),
    (1920, 1080),
    (1200, 800),
    (1600, 1600),
    (640, 360),
    (1600, 900),
    (600, 315),
    (568, 320),
    (1800, 900),
    (2000, 1270),
    (800, 480),
    (720, 480),
    (1024, 576),
    (3000, 2000),
    (96, 96),
)
IMAGE_DIMS_W = (598, 212, 165, 139, 95, 80, 57, 47, 40, 40, 33, 14, 30, 30, 25, 10, 5)
YEAR_W = ((2016, 2), (2017, 1), (2018, 7), (2019, 74), (2020, 218), (2021, 660), (2022, 583), (2023, 893), (2024, 40))

BLANK_BEFORE = frozenset(
    {"featuredContent", "provider", "topics", "images", "related", "secured", "topic", "secure"}
)  # the last two: key typos (defects)
YAML_SPECIAL = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})

Rec = Dict[str, Any]  # an article or a nested mapping, in the generator's key order


class Plain(str):
    """A scalar the real generator writes unquoted (dates, type, provider name, topics)."""


# ---------------------------------------------------------------------------------------------
# Synthetic vocabulary, providers, sites (fixed, independent of the corpus seed)
# ---------------------------------------------------------------------------------------------
_ONSETS = (
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "ch",
    "dr",
    "pl",
    "st",
    "tr",
    "th",
    "",
    "",
    "",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "y")
_CODAS = ("", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st")
_CJK = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 400))
_TLDS = ("com", "com", "com", "com", "net", "org", "co.uk", "com.cn", "io", "news", "com.au")
_PUNCT = (":", "?", "'s", "\u2019s", " \u2014", ",", "!", " -", "")
_ENTITIES = ("&amp;", "&#39;", "&quot;", "&nbsp;", "&#8217;")


def _pseudo_word(rng: random.Random) -> str:
    n = rng.choice((1, 1, 1, 2, 2, 2, 2, 3))
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(n))


def _make_vocab(size: int = 4000) -> Tuple[str, ...]:
    rng = random.Random(20240601)
    words = {w for w in (_pseudo_word(rng) for _ in range(size * 2)) if w not in YAML_SPECIAL}
    return tuple(sorted(words))[:size]


VOCAB = _make_vocab()


def _title_case(words: Sequence[str]) -> str:
    return " ".join(w.capitalize() for w in words)


def _make_providers(n: int = 800) -> Tuple[Tuple[str, str, str], ...]:
    """(name, domain, host prefix) triples."""
    rng = random.Random(7)
    out = []
    for _ in range(n):
        base = rng.choice(VOCAB)
        if rng.random() < 0.15:
            base += "-" + rng.choice(VOCAB)
        domain = f"{base}.{rng.choice(_TLDS)}"
        r = rng.random()
        name = (
            "".join(rng.choice(_CJK) for _ in range(rng.randint(2, 5)))
            if r < 0.04
            else _title_case([base.replace("-", " ")]) + ".com"
            if r < 0.08
            else _title_case(rng.choices(VOCAB, k=rng.randint(1, 3)))
        )
        prefix = rng.choices(("www.", "", "news.", "edition."), (70, 20, 7, 3))[0]
        out.append((name, domain, prefix))
    return tuple(out)


PROVIDERS = _make_providers()
CHANNELS = tuple(_title_case(random.Random(i).choices(VOCAB, k=1 + i % 3)) for i in range(300))


def _make_sites(n: int = 6) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """(main topic, sub topics): each synthetic site writes about one main topic."""
    rng = random.Random(11)
    sites = []
    for i in range(n):
        main = _title_case(rng.choices(VOCAB, k=rng.randint(1, 2)))
        if i % 2 == 0:
            main += f" {rng.randint(2, 9)}"
        subs = tuple(_title_case(rng.choices(VOCAB, k=rng.randint(1, 3))) for _ in range(rng.randint(3, 9)))
        sites.append((main, subs))
    return tuple(sites)


SITES = _make_sites()
SITE_W = (65, 27, 8, 5, 3, 2)


# ---------------------------------------------------------------------------------------------
# Sampling helpers
# ---------------------------------------------------------------------------------------------
def sample_q(rng: random.Random, q: Sequence[int]) -> int:
    """Sample from an evenly spaced quantile table by linear interpolation."""
    x = rng.random() * (len(q) - 1)
    i = int(x)
    if i >= len(q) - 1:
        return q[-1]
    return int(round(q[i] + (q[i + 1] - q[i]) * (x - i)))


T = TypeVar("T")


def weighted(rng: random.Random, pairs: Sequence[Tuple[T, float]]) -> T:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def related_count(rng: random.Random) -> int:
    if rng.random() < RELATED_EMPTY_P:
        return 0
    u = rng.random()
    cut, top = RELATED_TAIL
    if u >= cut:
        return rng.randint(RELATED_Q[-1], top)
    x = u / cut * (len(RELATED_Q) - 1)
    i = int(x)
    return int(round(RELATED_Q[i] + (RELATED_Q[i + 1] - RELATED_Q[i]) * (x - i)))


def words_of_len(rng: random.Random, n: int) -> str:
    """Random words, about n characters long."""
    words = rng.choices(VOCAB, k=max(1, n // 6 + 2))
    out, length = [], 0
    for w in words:
        if length >= n:
            break
        out.append(w)
        length += len(w) + 1
    return " ".join(out)[: max(n, 1)].rstrip()


def make_title(rng: random.Random, q: Sequence[int]) -> str:
    words = words_of_len(rng, sample_q(rng, q)).split(" ")
    if rng.random() < 0.5:
        words = [w.capitalize() for w in words]
    else:
        words[0] = words[0].capitalize()
    if len(words) > 3 and rng.random() < 0.4:
        k = rng.randrange(1, len(words) - 1)
        words[k] += rng.choice(_PUNCT)
    if rng.random() < 0.05:
        words[-1] = f'"{words[-1]}"'
    return " ".join(words)


def make_excerpt(rng: random.Random, q: Sequence[int], video: bool = False) -> str:
    if rng.random() < P_EXCERPT_EMPTY:
        return ""
    words = words_of_len(rng, sample_q(rng, q)).split(" ")
    words[0] = words[0].capitalize()
    for _ in range(len(words) // 12):
        k = rng.randrange(len(words))
        words[k] += "."
        if k + 1 < len(words):
            words[k + 1] = words[k + 1].capitalize()
    if rng.random() < P_EXCERPT_ENTITY:
        words.insert(rng.randrange(len(words)), rng.choice(_ENTITIES))
    text = " ".join(words)
    if rng.random() < P_EXCERPT_NEWLINE:
        text = text.replace(" ", "\n", 1)
    return text + (" ..." if video else "")


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:120] or "article"


def make_datetime(rng: random.Random, seconds: bool) -> dt.datetime:
    year = weighted(rng, YEAR_W)
    start = dt.datetime(year, 1, 1)
    t = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
    return t if seconds else t.replace(second=0)


def fmt_dt(t: dt.datetime) -> Plain:
    return Plain(t.strftime("%Y-%m-%dT%H:%M:%SZ"))


def youtube_id(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(9)).decode()[:11]


# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------
def article_url(rng: random.Random, host: str, slug: str, t: dt.datetime) -> str:
    digits = str(rng.randrange(10**6, 10**9))
    path = rng.choice(
        (
            f"/{slug}/",
            f"/news/{slug}",
            f"/en-us/blog/{slug}/",
            f"/{t:%Y/%m/%d}/{slug}/",
            f"/article/{digits}/{slug}",
            f"/news/{digits}/{slug}",
            f"/a/{t:%Y%m}/{t:%d}/WS{rng.randbytes(12).hex()}.html",
            f"/{rng.choice(VOCAB)}/{slug}.html",
        )
    )
    if rng.random() < 0.03:
        path += f"?utm_source={rng.choice(VOCAB)}"
    return f"https://{host}{path}"


def amp_url(rng: random.Random, url: str) -> str:
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    if "?" in path:
        return url + "&amp=1"
    choice = rng.randrange(6)
    if choice == 0 and path.endswith("/"):
        amp = f"{scheme}://{host}/{path}amp/"
    elif choice == 1 and path.endswith(".html"):
        amp = f"{scheme}://{host}/{path[:-5]}.amp.html"
    elif choice == 2:
        amp = f"{scheme}://{host}/amp/{path}"
    elif choice == 3:
        amp = f"{scheme}://amp.{host.split('.', 1)[1] if host.startswith('www.') else host}/{path}"
    else:
        amp = url + rng.choice(("?amp", "?amp=1", "/amp"))
    if rng.random() < 0.02:
        amp = "http://" + amp.split("://", 1)[1]
    return amp


def cdn_amp_url(amp: str) -> str:
    """The Google AMP Cache URL of an AMP URL (FORMAT.md)."""
    scheme, rest = amp.split("://", 1)
    host = rest.split("/", 1)[0]
    cdn_host = host.replace("-", "--").replace(".", "-")
    return f"https://{cdn_host}.cdn.ampproject.org/c/{'s/' if scheme == 'https' else ''}{rest}"


def image(rng: random.Random, url: str, dims: Optional[Tuple[int, int]] = None) -> Rec:
    w, h = dims or rng.choices(IMAGE_DIMS, IMAGE_DIMS_W)[0]
    return {"url": url, "width": w, "height": h, "isCached": True}


def image_url(rng: random.Random, domain: str) -> str:
    scheme = "http" if rng.random() < 0.02 else "https"
    host = rng.choice(("cdn.", "images.", "static.", "i.", "media.")) + domain
    ext = rng.choice((".jpg", ".jpg", ".png", ".jpeg", ".webp"))
    return f"{scheme}://{host}/{rng.choice(VOCAB)}/{rng.randbytes(8).hex()}{ext}"


def secured(rng: random.Random) -> str:
    n = weighted(rng, SECURED_CT_W)
    ct = base64.b64encode(rng.randbytes(n)).decode()
    return f"{ct};{base64.b64encode(rng.randbytes(16)).decode()}"


def featured(vid: str) -> str:
    return (
        '<iframe width="800" height="500" frameborder="0" '
        f'src="https://www.youtube.com/embed/{vid}" allow="accelerometer; autoplay; '
        'encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe>'
    )


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------
def provider_rec(name: str, domain: str, rng: Optional[random.Random] = None) -> Rec:
    rec: Rec = {"name": Plain(name), "domain": Plain(domain)}
    if rng is not None and rng.random() < P_PROVIDER_LOGO:
        logo = f"https://example-sites.github.io/news/assets/images/organizations/{domain}-50x50.jpg"
        rec["images"] = [{"url": logo, "width": 50, "height": 50}]
    return rec


def related_item(rng: random.Random, t: dt.datetime) -> Rec:
    when = t + dt.timedelta(seconds=rng.randrange(-5 * 86400, 3 * 86400))
    video = rng.random() < P_REL_VIDEO
    item: Rec = {
        "title": make_title(rng, REL_TITLE_Q),
        "excerpt": make_excerpt(rng, REL_EXCERPT_Q, video)[:255],
        "publishedDateTime": fmt_dt(when if video else when.replace(second=0)),
    }
    if video:
        vid = youtube_id(rng)
        item.update(webUrl="", type=Plain("video"), provider=provider_rec(rng.choice(CHANNELS), "youtube.com"))
        img = image(rng, f"https://i.ytimg.com/vi/{vid}/maxresdefault.jpg", (1280, 720))
    else:
        name, domain, prefix = rng.choice(PROVIDERS)
        url = article_url(rng, prefix + domain, slugify(str(item["title"])), when)
        item["webUrl"] = url
        if rng.random() < P_REL_AMP:
            amp = amp_url(rng, url)
            item.update(ampWebUrl=amp, cdnAmpWebUrl=cdn_amp_url(amp))
        item.update(type=Plain("article"), provider=provider_rec(name, domain))
        img = image(rng, image_url(rng, domain))
    item["quality"] = sample_q(rng, REL_QUALITY_Q)
    if rng.random() < P_REL_IMAGES:
        item["images"] = [img]
    return item


def topics(rng: random.Random) -> List[Plain]:
    main, subs = rng.choices(SITES, SITE_W)[0]
    n = weighted(rng, TOPIC_COUNT_W)
    return [Plain(main)] + [Plain(s) for s in rng.sample(subs, min(n - 1, len(subs)))]


def scores(rng: random.Random, video: bool) -> Rec:
    if rng.random() < (P_NO_QUALITY_VIDEO if video else P_NO_QUALITY_ARTICLE):
        return {}
    heat = -1 if rng.random() < P_HEAT_NEG else sample_q(rng, HEAT_Q)
    published = heat >= 0 and rng.random() < P_PUBLISHED
    return {"quality": sample_q(rng, QUALITY_Q), "heat": heat, "published": published}


def article(rng: random.Random) -> Tuple[Rec, dt.datetime]:
    """A clean top-level record and its publication time."""
    video = rng.random() < P_VIDEO
    t = make_datetime(rng, seconds=video or rng.random() < 0.3)
    rec: Rec = {
        "category": Plain("news"),
        "title": make_title(rng, TITLE_Q),
        "excerpt": make_excerpt(rng, EXCERPT_Q, video),
        "publishedDateTime": fmt_dt(t),
    }
    if video:
        vid = youtube_id(rng)
        rec.update(originalUrl=f"https://youtube.com/watch?v={vid}", type=Plain("video"))
        rec.update(scores(rng, True))
        rec["featuredContent"] = featured(vid)
        rec["provider"] = provider_rec(rng.choice(CHANNELS), "youtube.com", rng)
        img = image(rng, f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg", (480, 360))
    else:
        name, domain, prefix = rng.choice(PROVIDERS)
        url = article_url(rng, prefix + domain, slugify(str(rec["title"])), t)
        if rng.random() >= P_NO_ORIGINAL:
            rec["originalUrl"] = url
        rec["webUrl"] = url
        if rng.random() < P_AMP:
            amp = amp_url(rng, url)
            rec.update(ampWebUrl=amp, cdnAmpWebUrl=cdn_amp_url(amp))
        rec["type"] = Plain("article")
        rec.update(scores(rng, False))
        if rng.random() < P_FEATURED_ARTICLE:
            rec["featuredContent"] = featured(youtube_id(rng))
        rec["provider"] = provider_rec(name, domain, rng)
        img = image(rng, image_url(rng, domain))
    rec["topics"] = topics(rng)
    if rng.random() < P_IMAGES:
        rec["images"] = [img]
    n_rel = related_count(rng)
    if n_rel:
        rec["related"] = [related_item(rng, t) for _ in range(n_rel)]
    rec["secured"] = secured(rng)
    return rec, t


# ---------------------------------------------------------------------------------------------
# Rendering (the real generator's style: quoted strings, plain dates/names/topics)
# ---------------------------------------------------------------------------------------------
def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def scalar(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Plain)):
        return str(v)
    return quote(str(v))


def emit(key: str, value: object, indent: str, out: List[str]) -> None:
    if isinstance(value, dict):
        out.append(f"{indent}{key}:")
        emit_map(value, indent + "  ", out)
    elif isinstance(value, list) and value:
        out.append(f"{indent}{key}:")
        for item in value:
            emit_item(item, indent + "  ", out)
    elif isinstance(value, list):
        out.append(f"{indent}{key}: []")
    else:
        out.append(f"{indent}{key}: {scalar(value)}")


def emit_map(m: Rec, indent: str, out: List[str]) -> None:
    for k, v in m.items():
        emit(k, v, indent, out)


def emit_item(item: object, indent: str, out: List[str]) -> None:
    if isinstance(item, dict):
        sub: List[str] = []
        emit_map(item, indent + "  ", sub)
        sub[0] = f"{indent}- {sub[0][len(indent) + 2 :]}"
        out.extend(sub)
    else:
        out.append(f"{indent}- {scalar(item)}")


def render(rec: Rec) -> List[str]:
    """Frontmatter lines, including the opening and closing `---`."""
    out = ["---"]
    for k, v in rec.items():
        if k in BLANK_BEFORE:
            out.append("")
        emit(k, v, "", out)
    out.append("---")
    return out


# ---------------------------------------------------------------------------------------------
# Defects: one per defective file. Record-level ones run before rendering, line-level after.
# ---------------------------------------------------------------------------------------------
def _replace_key(rec: Rec, old: str, new: str) -> Rec:
    return {(new if k == old else k): v for k, v in rec.items()}


def _url_keys(rec: Rec) -> List[str]:
    return [k for k in ("originalUrl", "webUrl") if k in rec]


def d_bad_date(rec: Rec, rng: random.Random) -> Rec:
    bad = rng.choice(
        (
            "2023-02-30T10:00:00Z",
            "2022-13-01T08:00:00Z",
            "2021-04-31T23:00:00Z",
            "2023-05-29T25:61:00Z",
            "2023-05-29",
            "29/05/2023 10:00",
        )
    )
    rec["publishedDateTime"] = Plain(bad)
    return rec


def d_url_space(rec: Rec, rng: random.Random) -> Rec:
    for k in _url_keys(rec) or ["originalUrl"]:
        url = str(rec[k])
        cut = url.index("/", 8) + 1
        rec[k] = url[:cut] + "PR Newswire/" + url[cut:]
    return rec


def d_null_topic(rec: Rec, rng: random.Random) -> Rec:
    t: List[Optional[Plain]] = list(rec["topics"])
    t.insert(rng.randrange(len(t) + 1), None)
    rec["topics"] = t
    return rec


def d_bad_topics(rec: Rec, rng: random.Random) -> Rec:
    """An empty list, or an unquoted topic that YAML reads as a number or a boolean."""
    kind = rng.randrange(3)
    if kind == 0:
        rec["topics"] = []
    else:
        rec["topics"] = [*rec["topics"][:1], Plain(rng.choice(("2020", "Yes", "No", "On", "3.5")))]
    return rec


def d_bad_secured(rec: Rec, rng: random.Random) -> Rec:
    ct = base64.b64encode(rng.randbytes(272)).decode()
    iv = base64.b64encode(rng.randbytes(16)).decode()
    rec["secured"] = rng.choice(
        (
            f"{ct};{base64.b64encode(rng.randbytes(12)).decode()}",  # 12-byte IV
            f"{base64.b64encode(rng.randbytes(271)).decode()};{iv}",  # not a multiple of 16
            f"{ct[:40]}*{ct[41:]};{iv}",  # not base64
            ct,  # no IV
            f";{iv}",  # empty ciphertext
        )
    )
    return rec


def d_unknown_key(rec: Rec, rng: random.Random) -> Rec:
    old, new = rng.choice(
        (
            ("excerpt", "exerpt"),
            ("publishedDateTime", "publishedDatetime"),
            ("title", "tittle"),
            ("topics", "topic"),
            ("secured", "secure"),
        )
    )
    if rng.random() < 0.3:
        return {**rec, "author": make_title(rng, TITLE_Q)}
    return _replace_key(rec, old, new)


def d_missing_required(rec: Rec, rng: random.Random) -> Rec:
    key = rng.choice(("title", "category", "publishedDateTime", "provider", "topics", "secured", "type", "excerpt"))
    rec.pop(key, None)
    return rec


def d_bad_image_size(rec: Rec, rng: random.Random) -> Rec:
    imgs = rec.setdefault("images", [image(rng, "https://cdn.example.com/x.jpg")])
    img = dict(imgs[0])
    key, val = rng.choice((("width", 0), ("height", 0), ("width", -300), ("height", "480")))
    img[key] = val
    rec["images"] = [img]
    return _reorder(rec)


def d_two_images(rec: Rec, rng: random.Random) -> Rec:
    rec["images"] = [image(rng, image_url(rng, "example.com")) for _ in range(2)]
    return _reorder(rec)


def d_amp_mismatch(rec: Rec, rng: random.Random) -> Rec:
    url = str(rec.get("webUrl") or rec.get("originalUrl"))
    amp = str(rec.get("ampWebUrl") or amp_url(rng, url))
    good = cdn_amp_url(amp)
    scheme, rest = amp.split("://", 1)
    wrong = [good.replace("/c/s/", "/c/"), f"https://{rest.split('/')[0]}.cdn.ampproject.org/c/s/{rest}"]
    if "--" in good:
        wrong.append(good.replace("--", "-"))
    rec["ampWebUrl"], rec["cdnAmpWebUrl"] = amp, rng.choice([w for w in wrong if w != good])
    if rng.random() < 0.3:
        del rec["cdnAmpWebUrl"]  # unpaired
    return _reorder(rec)


def d_host_mismatch(rec: Rec, rng: random.Random) -> Rec:
    prov, wrong = rng.sample(PROVIDERS, 2)
    other = "www." + wrong[1]
    if rec.get("type") != "article":  # videos: break a related article instead
        item = related_item(rng, dt.datetime(2023, 5, 1))
        item.update(webUrl=f"https://{other}/news/{rng.choice(VOCAB)}", type=Plain("article"))
        item["provider"] = provider_rec(prov[0], prov[1])
        item.pop("ampWebUrl", None)
        item.pop("cdnAmpWebUrl", None)
        rec["related"] = list(rec.get("related") or []) + [item]
        return _reorder(rec)
    for k in _url_keys(rec):
        rec[k] = re.sub(r"^(https?://)[^/]+", lambda m: m.group(1) + other, str(rec[k]))
    return rec


def d_weburl_ne_original(rec: Rec, rng: random.Random) -> Rec:
    if "webUrl" not in rec:
        rec["webUrl"] = str(rec["originalUrl"])
    rec["originalUrl"] = str(rec["webUrl"]).rstrip("/") + "/?ref=feed"
    return _reorder(rec)


def d_heat_published(rec: Rec, rng: random.Random) -> Rec:
    rec.update(quality=rec.get("quality", 40), heat=-1, published=True)
    return _reorder(rec)


def d_bad_scores(rec: Rec, rng: random.Random) -> Rec:
    key, val = rng.choice((("quality", -5), ("quality", "high"), ("heat", -7), ("published", "yes")))
    rec.update(quality=rec.get("quality", 40), heat=rec.get("heat", 10), published=rec.get("published", True))
    rec[key] = val
    return _reorder(rec)


def d_type(rec: Rec, rng: random.Random) -> Rec:
    key, val = rng.choice((("type", "podcast"), ("category", "blog"), ("type", "Article")))
    rec[key] = Plain(val)
    return rec


def d_video_no_featured(rec: Rec, rng: random.Random) -> Rec:
    rec["type"] = Plain("video")
    rec.pop("featuredContent", None)
    return rec


def d_related_dup(rec: Rec, rng: random.Random) -> Rec:
    rel = list(rec.get("related") or [related_item(rng, dt.datetime(2023, 5, 1))])
    if rng.random() < 0.5 and rec.get("webUrl"):
        item = dict(rel[0])
        item["webUrl"] = rec["webUrl"]
        item.pop("ampWebUrl", None)
        item.pop("cdnAmpWebUrl", None)
        rel.insert(rng.randrange(len(rel) + 1), item)
    else:
        rel.insert(rng.randrange(len(rel) + 1), dict(rel[rng.randrange(len(rel))]))
    rec["related"] = rel
    return _reorder(rec)


def d_related_broken(rec: Rec, rng: random.Random) -> Rec:
    rel = list(rec.get("related") or [related_item(rng, dt.datetime(2023, 5, 1))])
    item = dict(rel[-1])
    key = rng.choice(("title", "publishedDateTime", "provider", "type"))
    item.pop(key)
    rel[-1] = item
    rec["related"] = rel
    return _reorder(rec)


def d_provider(rec: Rec, rng: random.Random) -> Rec:
    prov = dict(rec["provider"])
    if rng.random() < 0.6:
        prov["name"] = Plain(rng.choice(("Yes", "No", "null", "2020", "On", "true")))
    else:
        prov["domain"] = Plain(rng.choice(("https://", "")) + str(prov["domain"]) + rng.choice(("/", "/news")))
    rec["provider"] = prov
    return rec


def d_title_whitespace(rec: Rec, rng: random.Random) -> Rec:
    rec["title"] = rng.choice((" ", "\u00a0", "")) + str(rec.get("title", "x")) + rng.choice((" ", "\u00a0 "))
    return rec


def _reorder(rec: Rec) -> Rec:
    """Put keys back into the generator's order after a defect added one."""
    order = (
        "category",
        "title",
        "excerpt",
        "publishedDateTime",
        "originalUrl",
        "webUrl",
        "ampWebUrl",
        "cdnAmpWebUrl",
        "type",
        "quality",
        "heat",
        "published",
        "featuredContent",
        "provider",
        "topics",
        "images",
        "related",
        "secured",
    )
    known = {k: rec[k] for k in order if k in rec}
    return {**known, **{k: v for k, v in rec.items() if k not in known}}


def l_duplicate_key(lines: List[str], rng: random.Random) -> List[str]:
    cands = [i for i, s in enumerate(lines) if re.match(r"(title|quality|type|heat):", s)]
    i = rng.choice(cands or [1])
    return lines[: i + 1] + [lines[i]] + lines[i + 1 :]


def l_yaml_syntax(lines: List[str], rng: random.Random) -> List[str]:
    lines = list(lines)
    kind = rng.randrange(4)

    def find(prefix: str) -> int:
        return next((j for j, s in enumerate(lines) if s.startswith(prefix)), 1)

    if kind == 0:
        j = find("title:")
        lines[j] = lines[j][:-1]  # unterminated quote
    elif kind == 1:
        j = find("  name:")
        lines[j] += ": Extra"  # mapping value inside a plain scalar
    elif kind == 2:
        j = find("  - ")
        lines[j] = "\t" + lines[j].lstrip()  # tab indentation
    else:
        lines.insert(find("provider:") + 1, "   badly: indented")  # inconsistent indentation
    return lines


def l_no_closing(lines: List[str], rng: random.Random) -> List[str]:
    return lines[:-1]


RecDefect = Callable[[Rec, random.Random], Rec]
LineDefect = Callable[[List[str], random.Random], List[str]]
REC_DEFECTS: Dict[str, RecDefect] = {
    "bad_date": d_bad_date,
    "url_space": d_url_space,
    "null_topic": d_null_topic,
    "bad_topics": d_bad_topics,
    "bad_secured": d_bad_secured,
    "unknown_key": d_unknown_key,
    "missing_required": d_missing_required,
    "bad_image_size": d_bad_image_size,
    "two_images": d_two_images,
    "amp_mismatch": d_amp_mismatch,
    "host_mismatch": d_host_mismatch,
    "weburl_ne_original": d_weburl_ne_original,
    "heat_published": d_heat_published,
    "bad_scores": d_bad_scores,
    "bad_type": d_type,
    "video_no_featured": d_video_no_featured,
    "related_duplicate": d_related_dup,
    "related_incomplete": d_related_broken,
    "provider": d_provider,
    "title_whitespace": d_title_whitespace,
}
LINE_DEFECTS: Dict[str, LineDefect] = {
    "duplicate_key": l_duplicate_key,
    "yaml_syntax": l_yaml_syntax,
    "no_closing": l_no_closing,
}
FILE_DEFECTS = ("filename_date", "invalid_utf8")
DEFECTS: Tuple[str, ...] = tuple(REC_DEFECTS) + tuple(LINE_DEFECTS) + FILE_DEFECTS


# ---------------------------------------------------------------------------------------------
# One file
# ---------------------------------------------------------------------------------------------
def file_date(rng: random.Random, t: dt.datetime, defect: Optional[str]) -> str:
    if defect == "filename_date":
        return (t + dt.timedelta(days=rng.choice((-9, -3, 5, 40)))).strftime("%Y-%m-%d")
    if rng.random() < P_FILENAME_DAY_OFF:
        t += dt.timedelta(days=rng.choice((-1, 1)))
    return t.strftime("%Y-%m-%d")


def to_bytes(rng: random.Random, lines: List[str], defect: Optional[str]) -> bytes:
    if defect is None and rng.random() < P_DOTS_CLOSER:
        lines = lines[:-1] + ["..."]
    text = "\n".join(lines) + "\n\n"
    if defect is None and rng.random() < P_BODY:
        text += f"{words_of_len(rng, 200)}\n\n---\n\n{words_of_len(rng, 120)}\n"
    if rng.random() < P_CRLF:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if defect == "invalid_utf8":
        data = data.replace(b'title: "', b'title: "\x92', 1)
    elif defect is None and rng.random() < P_BOM:
        data = b"\xef\xbb\xbf" + data
    return data


def make_file(seed: int, i: int, defect_rate: float) -> Tuple[str, bytes, Optional[str]]:
    """(file name, content, defect name or None) for file number i."""
    rng = random.Random(f"lint-news-bench:{seed}:{i}")
    rec, t = article(rng)
    defect = rng.choice(DEFECTS) if rng.random() < defect_rate else None
    slug = slugify(str(rec["title"]))
    if defect in REC_DEFECTS:
        rec = REC_DEFECTS[defect](rec, rng)
    lines = render(rec)
    if defect in LINE_DEFECTS:
        lines = LINE_DEFECTS[defect](lines, rng)
    name = f"{file_date(rng, t, defect)}-{slug}.md"
    return name, to_bytes(rng, lines, defect), defect


def generate(out_dir: Union[str, Path], n: int, seed: int = 0, defect_rate: float = 0.05) -> Dict[str, int]:
    """Write n article files under out_dir/_news and a MANIFEST.tsv; return defect counts."""
    news = Path(out_dir) / "_news"
    news.mkdir(parents=True, exist_ok=True)
    used: Set[str] = set()
    counts: Dict[str, int] = {}
    manifest: List[str] = []
    for i in range(n):
        name, data, defect = make_file(seed, i, defect_rate)
        if name in used:
            name = f"{name[:-3]}-{i}.md"
        used.add(name)
        (news / name).write_bytes(data)
        if defect:
            counts[defect] = counts.get(defect, 0) + 1
            manifest.append(f"_news/{name}\t{defect}")
    (Path(out_dir) / "MANIFEST.tsv").write_text("".join(m + "\n" for m in manifest), encoding="utf-8")
    return counts


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("-n", "--files", type=int, default=20000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--defect-rate", type=float, default=0.05)
    a = p.parse_args(argv)
    counts = generate(a.out_dir, a.files, a.seed, a.defect_rate)
    total = sum(counts.values())
    print(f"wrote {a.files} files to {a.out_dir}/_news ({total} defective)", file=sys.stderr)
    for name, c in sorted(counts.items()):
        print(f"  {name}: {c}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

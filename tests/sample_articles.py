"""Synthetic articles for the hostile, property and safety tests.

Written here from the format description, never copied from the corpus or the seeds. Line
numbers of the fields are part of the contract the tests pin, so keep the layout stable:
``GOOD_LINES`` says where each field is.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Dict


def envelope(seed: str) -> str:
    """A well-formed ``secured`` value: base64(48-byte ciphertext) ';' base64(16-byte IV),
    made from a hash of ``seed`` so each test article has its own."""
    digest = hashlib.sha512(seed.encode()).digest()
    return base64.b64encode(digest[:48]).decode() + ";" + base64.b64encode(digest[48:64]).decode()


SECRET = envelope("lint-news hostile tests")
GOOD_NAME = "2024-03-11-harbour-library.md"

GOOD = f"""\
---
category: news
title: "Harbour city opens a library for robotics"
excerpt: "The library lends soldering kits and small robot arms."
publishedDateTime: 2024-03-11T08:30:00Z
originalUrl: "https://www.harbour-times.example.com/2024/03/11/robotics-library/"
webUrl: "https://www.harbour-times.example.com/2024/03/11/robotics-library/"
ampWebUrl: "https://www.harbour-times.example.com/2024/03/11/robotics-library/amp/"
cdnAmpWebUrl: "https://www-harbour--times-example-com.cdn.ampproject.org/c/s/www.harbour-times.example.com/2024/03/11/robotics-library/amp/"
type: article
quality: 42
heat: 17
published: true

provider:
  name: Harbour Times
  domain: harbour-times.example.com

topics:
  - Robotics
  - Education

images:
  - url: "https://cdn.harbour-times.example.com/images/library-1200.jpg"
    width: 1200
    height: 800
    isCached: true

related:
  - title: "Makerspaces spread to small towns"
    excerpt: "Three towns opened shared workshops this winter."
    publishedDateTime: 2024-03-09T17:05:00Z
    webUrl: "https://news.valley-post.example.org/makerspaces"
    type: article
    provider:
      name: Valley Post
      domain: valley-post.example.org
    quality: 31

secured: "{SECRET}"
---
"""

#: 1-based file line of each top-level field of GOOD, and the column where its value starts.
GOOD_LINES: Dict[str, int] = {
    line.split(":", 1)[0]: number for number, line in enumerate(GOOD.splitlines(), 1) if line[:1].isalpha()
}
QUALITY_LINE, QUALITY_COL = GOOD_LINES["quality"], len("quality: ") + 1
PROVIDER_NAME_LINE, PROVIDER_NAME_COL = GOOD_LINES["provider"] + 1, len("  name: ") + 1
PUBLISHED_LINE, PUBLISHED_COL = GOOD_LINES["published"], len("published: ") + 1

#: The canary: GOOD with one known warning (T001, trailing space in the title), so a test
#: can see that a file beside a hostile one was really checked without changing exit codes.
CANARY_NAME = "2024-03-11-canary.md"
#: A story of its own (its own URLs, no longer than GOOD's): beside a copy of GOOD it must not be a
#: repeated article (A001).
CANARY = GOOD.replace(
    'title: "Harbour city opens a library for robotics"', 'title: "Harbour city opens a library "'
).replace("2024/03/11/robotics-library/", "2024/03/11/robotics-lanterns/")
CANARY_FINDING = f"{CANARY_NAME}:{GOOD_LINES['title']}:8: T001"


def replace_line(text: str, old: str, new: str) -> str:
    """``text`` with the one line ``old`` replaced by ``new`` (which may span lines)."""
    lines = text.split("\n")
    assert lines.count(old) == 1, f"{old!r} is not exactly one line of the article"
    return "\n".join(new if line == old else line for line in lines)

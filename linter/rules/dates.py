"""Dates: real RFC 3339 date-times, and file names that agree with them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterator, Optional, Tuple

from linter.model import DataPath, Severity
from linter.rules.base import Article, Context, Hit, items, rule

_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_NO_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\Z")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")


def date_fields(article: Article) -> Iterator[Tuple[DataPath, Any]]:
    """Every publishedDateTime: the article's and each related item's."""
    if "publishedDateTime" in article:
        yield ("publishedDateTime",), article["publishedDateTime"]
    for index, item in items(article, "related"):
        if "publishedDateTime" in item:
            yield ("related", index, "publishedDateTime"), item["publishedDateTime"]


@lru_cache(maxsize=256)  # D001 and D002 both read the article's own date
def parse_date_time(text: str) -> Tuple[Optional[datetime], str]:
    """(UTC datetime, "") for a valid RFC 3339 date-time, else (None, why not)."""
    match = _RFC3339.match(text)
    if match is None:
        return None, _shape_problem(text)
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    if year == 0:
        return None, "names the year 0000, which date libraries cannot represent"
    if not 1 <= month <= 12:
        return None, f"names month {month:02d}, which does not exist"
    last = _days_in_month(year, month)
    if not 1 <= day <= last:
        return None, f"names day {day:02d} of {_MONTHS[month - 1]} {year}, which has {last} days"
    if hour > 23 or minute > 59 or second > 60:
        return None, f"names the time {hour:02d}:{minute:02d}:{second:02d}, which does not exist"
    offset = _offset(match.group(8))
    if offset is timezone.utc:  # already UTC, the usual case
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=offset), ""
    if offset is None:
        return None, f"has the UTC offset {match.group(8)}, which does not exist"
    moment = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=offset)
    try:
        return moment.astimezone(timezone.utc), ""
    except OverflowError:  # 0001-01-01T00:30:00+01:00 is in year 0000 in UTC
        return None, "falls outside the years 0001-9999 in UTC"


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _shape_problem(text: str) -> str:
    stripped = text.strip()
    if stripped != text and _RFC3339.match(stripped):
        return "has spaces around it"
    if _DATE_ONLY.match(stripped):
        return "is a date without a time; write e.g. 2023-05-29T23:00:00Z"
    if _NO_OFFSET.match(stripped):
        return "has no UTC offset; add 'Z' or '+hh:mm'"
    return "is not an RFC 3339 date-time like 2023-05-29T23:00:00Z"


def _offset(text: str) -> Optional[timezone]:
    if text in ("Z", "z"):
        return timezone.utc
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        return None
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


@rule("D001", "invalid-date-time")
def invalid_date_time(article: Article, context: Context) -> Iterator[Hit]:
    """A publishedDateTime is not a real RFC 3339 date-time with a UTC offset.

    **Why**: sites sort, filter and show articles by this value. A date that does not
    exist (`2023-02-30`), a bare date, or a time without an offset is read differently by
    every tool, or not at all.

    **Example** (fails): `publishedDateTime: 2023-02-30T23:00:00Z`, `2023-05-29`,
    `2023-05-29T23:00:00`, `May 29, 2023`.

    **Fix**: write the UTC time as `2023-05-29T23:00:00Z` (or with an offset, `+02:00`).
    """
    for path, value in date_fields(article):
        if isinstance(value, str):
            moment, why = parse_date_time(value)
            if moment is None:
                yield Hit(path, f"'{value[:60]}' {why}")


@rule("D002", "filename-date-mismatch", Severity.WARNING)
def filename_date_mismatch(article: Article, context: Context) -> Iterator[Hit]:
    """The date in a `YYYY-MM-DD-slug.md` file name is more than a day from publishedDateTime.

    **Why**: Jekyll takes the post date from the file name; the generator names files by the
    publication date in the site's local time zone, so the two differ by one day at most. A
    larger gap means the file was renamed or the date edited by hand.

    **Example** (fails): `_news/2023-06-02-report.md` with
    `publishedDateTime: 2023-05-29T23:00:00Z`.

    **Fix**: rename the file or correct the date.
    """
    named = _file_date(context.filename)
    value = article.get("publishedDateTime")
    if named is None or not isinstance(value, str):
        return
    moment, _ = parse_date_time(value)
    if moment is not None and abs((moment.date() - named).days) > 1:
        published = moment.date().isoformat()
        message = f"file name date {named.isoformat()} is more than a day from publishedDateTime {published}"
        yield Hit(("publishedDateTime",), message)


def _file_date(filename: str) -> Optional[date]:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    match = _FILE_DATE.match(name)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None

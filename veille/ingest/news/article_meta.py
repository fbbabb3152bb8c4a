"""What an article page's metadata says of when and by whom, and how far to trust it.

Internal helper of ``veille.ingest.news.reader``: not a stable API.

- ``page_timestamp``: the publication time the page declares (``article:published_time``,
  ``datePublished``, Dublin Core...), with its time and UTC offset when given. htmldate, which
  trafilatura calls, returns only a day and sometimes a wrong one (a "2020" in a footer), so a
  declared timestamp is preferred.
- ``date_precision``: htmldate turns a year alone into 1 January and a month alone into its 1st;
  a 1st is taken as a day only when the page writes that day somewhere.
- ``is_placeholder``: author values that content systems fill in by default ("Username",
  "admin"), which name no one.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from veille.ingest.news.article_dates import DAY_DATES, dated_line

__all__ = ["date_precision", "is_placeholder", "page_timestamp"]

# Where pages declare when they were published, most specific first.
_TIMESTAMP_XPATHS = (
    ("article:published_time", "//meta[@property='article:published_time']/@content"),
    ("og:published_time", "//meta[@property='og:article:published_time']/@content"),
    ("datePublished", "//*[@itemprop='datePublished']/@content"),
    ("datePublished", "//*[@itemprop='datePublished']/@datetime"),
    (
        "meta date",
        "//meta[@name='pubdate' or @name='publishdate' or @name='publish-date' or "
        "@name='parsely-pub-date' or @name='sailthru.date' or @name='DC.date.issued' or "
        "@name='dcterms.created' or @name='dc.date' or @name='DC.date']/@content",
    ),
    (
        "dc:date",
        "//*[@property='dc:date' or @property='dcterms:created' or @property='dc:created' or "
        "@property='dcterms:issued']/@content",
    ),
    ("time pubdate", "//time[@pubdate]/@datetime"),
)
_JSON_LD = "//script[@type='application/ld+json']/text()"
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_PLACEHOLDER = re.compile(
    r"(?:user ?(?:name)?|admin(?:istrator)?|site ?admin|super ?user|author|auteur|editor|"
    r"staff|webmaster|web ?master|guest|anonymous|anonyme|unknown|inconnu|none|null|n/?a|root|"
    r"test|default|wordpress|wp ?admin|by|par)\d*",
    re.IGNORECASE,
)
_EVIDENCE_MATCHES = 5_000  # dates looked at when checking that a 1st is written in the page


def page_timestamp(tree: Any) -> tuple[datetime, str, str] | None:
    """(moment, "time" or "day", where it was declared), or None; aware when an offset is given."""
    for where, xpath in _TIMESTAMP_XPATHS:
        for value in tree.xpath(xpath):
            found = _iso(value)
            if found is not None:
                return (*found, where)
    for script in tree.xpath(_JSON_LD):
        for match in _JSON_LD_DATE.finditer(str(script)):
            found = _iso(match[1])
            if found is not None:
                return (*found, "JSON-LD datePublished")
    return None


def _iso(value: object) -> tuple[datetime, str] | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment, "time" if len(text) > 10 else "day"


def date_precision(found: datetime, text: str) -> str:
    """ "day", "month" or "year": how much of ``found`` (htmldate's answer) the page supports."""
    if found.day != 1:
        return "day"
    seen = 0
    for pattern in DAY_DATES:
        for match in pattern.finditer(text):
            seen += 1
            if seen > _EVIDENCE_MATCHES:
                break
            written = dated_line(match[0], month_first=False)
            if written is not None and written[0].date() == found.date():
                return "day"
            written = dated_line(match[0], month_first=True)
            if written is not None and written[0].date() == found.date():
                return "day"
    if found.month != 1:
        return "month"
    month = re.compile(rf"(?<!\d){found.year}[-/.]0?1(?!\d)|(?<!\d)0?1[-/.]{found.year}(?!\d)")
    return "month" if month.search(text) else "year"


def is_placeholder(name: str) -> bool:
    """Whether an author value is a content system's default rather than a person or desk."""
    return _PLACEHOLDER.fullmatch(name.strip().strip(".:").strip()) is not None

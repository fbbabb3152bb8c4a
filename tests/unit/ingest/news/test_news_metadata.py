"""News metadata: declared timestamps kept whole, dates kept to their precision, placeholder
authors dropped, and a huge paragraph read whole."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml.html import fromstring

from veille.ingest.base import ReadOptions
from veille.ingest.news.article_meta import date_precision, is_placeholder, page_timestamp
from veille.ingest.news.html_page import load_tree
from veille.ingest.news.reader import NewsReader
from veille.model import Note, Post, Record

BODY = (
    "<p>The council met on Tuesday to discuss the new budget, which has been debated for "
    "months by residents and officials alike in the town hall.</p>"
    "<p>Several speakers raised concerns about road repairs, school funding and the water "
    "supply, asking for a public report before the vote next spring.</p>"
)


def page(head: str = "", body: str = BODY) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>Council budget</title>{head}</head>"
        f"<body><article><h1>Council budget</h1>{body}</article></body></html>"
    )


def read(tmp_path: Path, html: str, **options: Any) -> list[Record]:
    path = tmp_path / "article.html"
    path.write_text(html, encoding="utf-8")
    return list(NewsReader().read(path, ReadOptions(**options)))


def post_of(records: list[Record]) -> Post:
    (post,) = [record for record in records if isinstance(record, Post)]
    return post


def notes(records: list[Record]) -> str:
    return "\n".join(record.text for record in records if isinstance(record, Note))


def test_declared_timestamp_keeps_time_and_offset(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2021-03-04T18:05:00+02:00">'
    records = read(tmp_path, page(head))
    post = post_of(records)
    assert post.posted_at == datetime(2021, 3, 4, 16, 5, tzinfo=UTC)
    assert post.utc_offset_min == 120
    assert "2021-03-04T18:05:00+02:00" in notes(records)


def test_json_ld_date_published(tmp_path: Path) -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2019-11-02T07:30:00Z"}</script>'
    )
    post = post_of(read(tmp_path, page(head)))
    assert post.posted_at == datetime(2019, 11, 2, 7, 30, tzinfo=UTC)
    assert post.utc_offset_min == 0


def test_year_only_date_is_not_made_the_first_of_january(tmp_path: Path) -> None:
    body = BODY + "<p>Archive 2017</p>"
    records = read(tmp_path, page(body=body))
    post = post_of(records)
    if post.posted_at is not None:  # htmldate found a real day somewhere: then it must not be 1/1
        assert (post.posted_at.month, post.posted_at.day) != (1, 1)
    else:
        assert post.extra["published"] == "2017"
        assert post.extra["published_precision"] == "year"
        assert "gives no day" in notes(records)


def test_text_article_month_without_day(tmp_path: Path) -> None:
    paragraph = (
        "Le conseil municipal s'est réuni mardi pour discuter du nouveau budget, débattu "
        "depuis des mois par les habitants et les élus de la commune."
    )
    path = tmp_path / "dated.txt"
    path.write_text(f"Titre\njuin 2017\n{paragraph}\n{paragraph}\n", encoding="utf-8")
    records = list(NewsReader().read(path, ReadOptions()))
    post = post_of(records)
    assert post.posted_at is None
    assert post.extra["published"] == "2017-06"
    assert post.extra["published_precision"] == "month"


def test_date_precision() -> None:
    assert date_precision(datetime(2017, 3, 4), "") == "day"
    assert date_precision(datetime(2017, 1, 1), "© 2017 The Paper") == "year"
    assert date_precision(datetime(2017, 1, 1), "Posted 2017-01-01 by staff") == "day"
    assert date_precision(datetime(2017, 1, 1), "Published 1 January 2017") == "day"
    assert date_precision(datetime(2017, 5, 1), "May 2017 issue") == "month"
    assert date_precision(datetime(2017, 1, 1), "issue 2017-01") == "month"


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("Username", True),
        ("admin", True),
        ("Administrator", True),
        ("user1", True),
        ("Author", True),
        ("By", True),
        ("Jill Serjeant", False),
        ("Adminah Smith", False),
        ("آسيا العتروس", False),
    ],
)
def test_placeholder_authors(name: str, placeholder: bool) -> None:
    assert is_placeholder(name) is placeholder


def test_username_author_is_dropped(tmp_path: Path) -> None:
    body = '<p class="byline">By Username</p>' + BODY
    records = read(tmp_path, page(body=body))
    post = post_of(records)
    assert "Username" not in (post.extra.get("authors") or [])
    assert "placeholder" in notes(records)


def test_page_timestamp_order() -> None:
    tree = fromstring(
        "<html><head><meta name='date' content='2020-02-02'>"
        "<meta property='article:published_time' content='2020-02-03T10:00:00Z'></head>"
        "<body><p>x</p></body></html>"
    )
    found = page_timestamp(tree)
    assert found is not None
    assert found[1:] == ("time", "article:published_time")


def test_a_paragraph_over_lxml_limit_is_parsed_whole() -> None:
    # lxml cuts text nodes over 10,000,000 characters unless huge_tree is on; trafilatura's own
    # parser does not set it (a 50 MB paragraph became a 216-character article). Reading such a
    # page end to end takes about a minute in trafilatura, so the parse is what is tested here.
    huge = "x" * 10_500_000
    tree = load_tree(page(body=BODY + f"<p id='huge'>{huge}</p>"))
    assert tree is not None
    (paragraph,) = tree.xpath("//p[@id='huge']")
    assert len(paragraph.text) == len(huge)

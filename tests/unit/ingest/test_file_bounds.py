"""Readers that take a file whole refuse one past their documented bound, before reading it."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.textfile import FileTooLarge, read_text
from veille.ingest.news import reader as news
from veille.ingest.news.reader import NewsReader
from veille.ingest.telegram import html_export
from veille.ingest.telegram.reader import TelegramReader
from veille.model import Post, Reject

ARTICLE = (
    "<!DOCTYPE html><html lang='en'><head><title>Council budget</title></head><body><article>"
    "<h1>Council budget</h1><p>The council met on Tuesday to discuss the new budget, which has "
    "been debated for months by residents and officials alike in the town hall.</p></article>"
    "</body></html>"
)
TEXT = (
    "Council budget\n\nThe council met on Tuesday to discuss the new budget, which has been "
    "debated for months by residents and officials alike in the town hall.\n"
)


def test_read_text_refuses_a_larger_file_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(40):
            out.write("a" * 1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(FileTooLarge, match="40,000,000 bytes, over the limit of 1,000,000"):
            read_text(path, 1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # the encoding sample, not the file
    assert read_text(path, 40_000_000)[0] == "a" * 40_000_000


@pytest.mark.parametrize(("name", "content"), [("a.html", ARTICLE), ("a.txt", TEXT)])
def test_news_refuses_an_article_past_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert any(isinstance(r, Post) for r in NewsReader().read(path, ReadOptions()))
    monkeypatch.setattr(news, "_MAX_BYTES", len(content) - 1)
    message = f"{len(content):,} bytes, over the limit of {len(content) - 1:,} for one article"
    with pytest.raises(InputError, match=message):
        list(NewsReader().read(path, ReadOptions()))


def _page(ident: int, text: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"/></head><body><div class="page_wrap">'
        '<div class="page_header"><div class="content"><div class="text bold">Chan</div></div>'
        '</div><div class="history">'
        f'<div class="message default clearfix" id="message{ident}"><div class="body">'
        '<div class="pull_right date details" title="01.05.2024 10:00:00 UTC+02:00">10:00</div>'
        f'<div class="from_name">Alice</div><div class="text">{text}</div></div></div>'
        "</div></div></body></html>"
    )


def test_telegram_html_refuses_a_first_page_past_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_export, "MAX_PAGE_BYTES", 2_000)
    (tmp_path / "messages.html").write_text(_page(1, "x" * 3_000), encoding="utf-8")
    with pytest.raises(InputError, match=r"messages\.html: .* bytes, over the limit of 2,000"):
        list(TelegramReader().read(tmp_path, ReadOptions()))


def test_telegram_html_skips_a_later_page_past_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_export, "MAX_PAGE_BYTES", 2_000)
    (tmp_path / "messages.html").write_text(_page(1, "one"), encoding="utf-8")
    (tmp_path / "messages2.html").write_text(_page(2, "x" * 3_000), encoding="utf-8")
    records = list(TelegramReader().read(tmp_path, ReadOptions()))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [r.locator for r in rejects] == ["messages2.html"]
    assert "over the limit of 2,000 for one page; page skipped" in rejects[0].reason
    assert any(isinstance(r, Post) for r in records)

"""The news reader's own text handling is linear: long runs of blanks, many title parts and
huge lines cost time in proportion, never the minutes the fuzzer found (bench/fuzz.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from veille.ingest.base import ReadOptions
from veille.ingest.news import reader as news
from veille.ingest.news.boilerplate import guess_site_name, separate
from veille.ingest.news.reader import NewsReader
from veille.ingest.news.titles import clean_title, site_keys_of
from veille.model import Note, Post, Record

# A run of blanks as long as the fuzzer's (300,000 characters): before, the site-name patterns
# tried it against every split between their quantifiers (cubic) and a page took minutes.
BLANKS = " " * 300_000
# Linear code handles each of these in milliseconds; the bound leaves room for a busy machine.
SECONDS = 5.0

BODY = (
    "<p>The council met on Tuesday to discuss the new budget, which has been debated for "
    "months by residents and officials alike in the town hall.</p>"
    "<p>Several speakers raised concerns about road repairs, school funding and the water "
    "supply, asking for a public report before the vote next spring.</p>"
)


def _timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "line",
    [
        "<" + BLANKS + "meta property",  # the fuzzer's page: blanks after one character
        "© " + BLANKS + "x",
        "Follow " + BLANKS + "x",
        "Follow us" + BLANKS + "on Telegram",
        "Le Monde" + BLANKS + "utilise des cookies",
        "\t" * 300_000,
    ],
)
def test_site_name_patterns_are_linear_in_blank_runs(line: str) -> None:
    assert _timed(lambda: guess_site_name([line])) < SECONDS
    assert _timed(lambda: separate(line + "\nBody text here.", title="T")) < SECONDS


def test_site_names_are_still_found() -> None:
    assert guess_site_name(["Suivez Sputnik Afrique sur Telegram"]) == "Sputnik Afrique"
    assert guess_site_name(["« Le Monde » utilise des cookies pour mesurer l'audience"]) == (
        "Le Monde"
    )


def test_a_huge_line_is_not_scanned_whole_for_banners_and_scripts() -> None:
    line = "mot " * 2_000_000  # 8 MB, one paragraph
    separation = None

    def run() -> None:
        nonlocal separation
        separation = separate(line, structural=False)

    assert _timed(run) < 4 * SECONDS
    assert separation is not None
    assert separation.body == line


def test_title_of_many_parts_is_cleaned_in_linear_time() -> None:
    keys = {"dw", "dw.com"}
    assert clean_title("X | DW | 23.05.2011", keys) == "X"
    assert clean_title("DW - X - Y", keys) == "X - Y"
    assert clean_title("23.05.2011 - DW - A - B - dw", keys) == "A - B"
    assert clean_title("DW | DW", keys) == "DW"
    many = "dw | " * 60_000 + "x"  # every part but the last is the site: was quadratic
    assert _timed(lambda: clean_title(many, keys)) < SECONDS
    assert clean_title(many, keys) == "x"


def test_site_keys_of_brackets_and_blanks_are_linear() -> None:
    assert site_keys_of("DW (www.dw.com)") >= {"dw"}
    assert _timed(lambda: site_keys_of("(" * 200_000)) < SECONDS
    assert _timed(lambda: site_keys_of("a" + BLANKS + "b")) < SECONDS


def _read(tmp_path: Path, html: str) -> list[Record]:
    path = tmp_path / "article.html"
    path.write_text(html, encoding="utf-8")
    return list(NewsReader().read(path, ReadOptions()))


def test_a_page_with_a_long_blank_run_reads_quickly(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>Council budget</title></head><body>"
        f"<article><h1>Council budget</h1>{BODY}<p>&lt;{BLANKS}meta property</p></article>"
        "</body></html>"
    )
    records: list[Record] = []
    assert _timed(lambda: records.extend(_read(tmp_path, html))) < 6 * SECONDS
    assert any(isinstance(record, Post) for record in records)


def test_a_huge_page_without_a_declared_date_says_where_its_date_was_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(news, "_DATE_SEARCH_CHARS", 100)  # as if the page were huge
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>Council budget</title></head><body>"
        f"<article><h1>Council budget</h1>{BODY}<p>Published 3 June 2017.</p></article>"
        "</body></html>"
    )
    notes = [record.text for record in _read(tmp_path, html) if isinstance(record, Note)]
    assert any("looked for in its markup only" in text for text in notes)
    declared = html.replace(
        "</title>", '</title><meta property="article:published_time" content="2021-03-04">'
    )
    notes = [record.text for record in _read(tmp_path, declared) if isinstance(record, Note)]
    assert not any("markup only" in text for text in notes)


def test_a_deeply_nested_page_skips_the_fallback_extractors(tmp_path: Path) -> None:
    """The fuzzer's shape: 1,000 unclosed <div> before thousands of elements. justext builds a
    path through every open element for each paragraph, so this took minutes."""
    paragraphs = "".join(f"<p>Paragraph {n} of the page.</p><span>x</span>" for n in range(3_000))
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>Council budget</title></head><body>"
        f"<article><h1>Council budget</h1>{BODY}{'<div>' * 1_000}{paragraphs}</article>"
        "</body></html>"
    )
    records: list[Record] = []
    assert _timed(lambda: records.extend(_read(tmp_path, html))) < 6 * SECONDS
    notes = [record.text for record in records if isinstance(record, Note)]
    assert any("fallback extractors" in text for text in notes)
    assert any(isinstance(record, Post) for record in records)

"""Golden files for the news reader: every page and text in the shared news fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.golden import assert_golden
from veille.ingest.base import ReadOptions
from veille.ingest.news.reader import NewsReader

FIXTURES = [
    "news-html/ar-assabah.com.tn.article.html",
    "news-html/en-reuters.com.parasite.html",
    "news-html/fr-dw.com-elephants.html",
    "news-text/rt-2016-daesh-messageries.txt",
    "news-text/sputnik-2017-daech-reseaux-sociaux.txt",
]


@pytest.mark.parametrize("name", FIXTURES)
def test_news_golden(fixtures_dir: Path, update_golden: bool, name: str) -> None:
    path = fixtures_dir / name
    records = list(NewsReader().read(path, ReadOptions()))
    assert_golden(records, f"news/{path.stem}", update_golden)


def test_every_news_fixture_has_a_golden_test(fixtures_dir: Path) -> None:
    on_disk = {
        f"{folder}/{path.name}"
        for folder in ("news-html", "news-text")
        for path in (fixtures_dir / folder).iterdir()
        if path.suffix in {".html", ".txt"}
    }
    assert on_disk == set(FIXTURES)

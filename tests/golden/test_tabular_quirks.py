"""The tables with the quirks of real scraped data (``tabular-quirks``) are read whole.

``scraped-tweets.csv`` is a scraper's ``pandas.to_csv`` output whose apostrophes fooled
``csv.Sniffer``; ``excel-fr.csv`` a French Excel export (BOM, ``;``, CRLF with LF inside quotes,
day-first dates). Both paths of the CSV reader, bulk and row by row, must give the golden records.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.golden.golden import assert_golden
from veille.ingest.base import ReadOptions
from veille.ingest.records_json import records_to_jsonl
from veille.ingest.tabular import csv_bulk
from veille.ingest.tabular import reader as tabular
from veille.ingest.tabular.reader import TabularReader
from veille.model import Columns, Note, Record, Reject


@pytest.fixture(autouse=True)
def _bulk_path_for_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tables are small: let them take the bulk path, which they are here to test."""
    monkeypatch.setattr(csv_bulk, "BULK_MIN_BYTES", 0)


# file -> (mapping the SOURCES.md gives, records expected)
FILES = {
    "scraped-tweets.csv": ({"author": "username", "time": "time", "text": "tweets"}, 60),
    "excel-fr.csv": ({"author": "Auteur", "time": "Date", "text": "Texte"}, 12),
}


def _read(path: Path, mapping: dict[str, str], bulk: bool) -> list[Record]:
    options = ReadOptions(mapping=mapping)
    if bulk:
        return list(TabularReader().read(path, options))
    original = tabular.plain_csv
    tabular.plain_csv = lambda *args, **kwargs: None  # force the row path
    try:
        return list(TabularReader().read(path, options))
    finally:
        tabular.plain_csv = original


def _posts(records: list[Record]) -> Iterator[dict[str, object]]:
    for record in records:
        if isinstance(record, Columns) and record.kind == "post":
            names = list(record.values)
            columns = [_as_list(record.values[name]) for name in names]
            for row in zip(*columns, strict=True):
                yield dict(zip(names, row, strict=True))


def _as_list(column: object) -> list[object]:
    """A column of the bulk path (Arrow) or of the row path (a list) as Python values."""
    to_pylist = getattr(column, "to_pylist", None)
    return list(to_pylist() if to_pylist else column)  # type: ignore[call-overload]


@pytest.mark.parametrize("name", sorted(FILES))
def test_quirky_tables_read_whole_on_both_paths(
    fixtures_dir: Path, update_golden: bool, name: str
) -> None:
    mapping, expected = FILES[name]
    path = fixtures_dir / "tabular-quirks" / name
    bulk = _read(path, mapping, bulk=True)
    by_row = _read(path, mapping, bulk=False)
    assert not [r for r in bulk if isinstance(r, Reject)]
    assert len(list(_posts(bulk))) == expected
    assert_golden(by_row, f"tabular/quirks-{Path(name).stem}", update_golden)
    # The same records; actors may come out in another order within a batch.
    assert Counter(records_to_jsonl(bulk).splitlines()) == Counter(
        records_to_jsonl(by_row).splitlines()
    )
    notes = " | ".join(r.text for r in bulk if isinstance(r, Note))
    assert 'quote "' in notes


def test_texts_are_exact_as_the_csv_module_reads_them(fixtures_dir: Path) -> None:
    """Line breaks, commas, apostrophes and doubled quotes survive, record for record."""
    path = fixtures_dir / "tabular-quirks" / "scraped-tweets.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        truth = [row["tweets"] for row in csv.DictReader(stream)]
    posts = list(_posts(_read(path, FILES["scraped-tweets.csv"][0], bulk=True)))
    assert [post["text"] for post in posts] == truth
    record_42 = posts[41]
    assert record_42["locator"] == "lines 43-45"
    assert str(record_42["text"]).startswith("Breaking:\nclashes reported near the 'old bridge'")


def test_excel_export_keeps_its_line_breaks_and_day_first_dates(fixtures_dir: Path) -> None:
    path = fixtures_dir / "tabular-quirks" / "excel-fr.csv"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        truth = list(csv.DictReader(stream, delimiter=";"))
    posts = list(_posts(_read(path, FILES["excel-fr.csv"][0], bulk=True)))
    assert [post["text"] for post in posts] == [row["Texte"] for row in truth]
    assert any("\n" in str(post["text"]) for post in posts)
    first = posts[0]["posted_at"]
    assert isinstance(first, datetime)
    assert (first.month, first.day) == (1, 13)

"""The bulk CSV path gives exactly the records of the row path, on tables hypothesis writes.

Both paths read the same generated file; the bulk one must have been taken (the file is
plain), and the two outputs must hold the same records, ids, times, locators and rejects.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.property.reader_settings import SETTINGS
from veille.ingest.base import ReadOptions
from veille.ingest.common.dates import DateColumn
from veille.ingest.records_json import records_to_jsonl
from veille.ingest.tabular import csv_bulk
from veille.ingest.tabular import reader as tabular
from veille.ingest.tabular.reader import TabularReader


@pytest.fixture(autouse=True)
def _bulk_path_for_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tables are small: let them take the bulk path, which they are here to test."""
    monkeypatch.setattr(csv_bulk, "BULK_MIN_BYTES", 0)


# Column name -> the field the mapping guess gives it.
COLUMNS = {
    "username": "author",
    "name": "author_name",
    "user_id": "author_id",
    "time": "time",
    "tweets": "text",
    "tweet_id": "id",
    "in_reply_to_screen_name": "reply_to",
    "in_reply_to_status_id": "reply_to_id",
    "location": "location",
    "description": "description",
    "followers": "followers",
    "lang": "lang",
    "channel": "chat",
    "title": "title",
    "url": "url",
}

handles = st.sampled_from(["abu_1", "@abu_2", "Abu_1", "ABU_1", "x", "", "@", "أبو", "Ève"])
words = st.sampled_from(
    ["news", "RT", "@abu_1", "@Abu_1", "@abu_2:", "@x", "a@b.org", "@@y", "@é", "é@abu_3",
     "@abu_4é", "الموصل", "@abu_5،", "#Mossoul", "\U0001f600", '"quoted"', "comma,", " ", "\t",
     "the 'market'", "l'armée", "x;y", "two\nlines", "crlf\r\nend", "\n\n", "a|b"]
)  # fmt: skip
texts = st.one_of(
    st.lists(words, max_size=8).map(" ".join),
    st.lists(words, min_size=1, max_size=6).map(lambda parts: "RT " + " ".join(parts)),
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20),
)
times = st.one_of(
    st.builds(
        "{}/{}/{}{}".format,
        st.integers(0, 32),
        st.integers(0, 32),
        st.sampled_from(["2016", "16", "1999", "0000"]),
        st.sampled_from(
            [
                "",
                " 21:07",
                " 9:05 PM",
                " 12:00 a.m.",
                " 24:00",
                " 10:61",
                " 10:30:59",
                "  ",
                "T10:30",
                ", 8:00 pm",
            ]
        ),
    ),
    st.sampled_from(
        [
            "",
            " ",
            "2016-11-14T10:00:00Z",
            "2016-11-14 10:00:00+03:00",
            "1479117600",
            "Mon Nov 14 10:00:00 +0000 2016",
            "not a date",
            "14.11.2016",
            "١/٢/٢٠١٦",
        ]
    ),
)
cells = {
    "author": handles,
    "author_name": st.sampled_from(["Abu 1", "", "أبو ٢"]),
    "author_id": st.sampled_from(["", "123", "456"]),
    "time": times,
    "text": texts,
    "id": st.sampled_from(["", "1", "2", "3"]),
    "reply_to": handles,
    "reply_to_id": st.sampled_from(["", "9"]),
    "location": st.sampled_from(["", "Mosul", 'Paris, "FR"', "الرقة", "a\\b"]),
    "description": st.sampled_from(["", "bio", "two\nlines", "وصف"]),
    "followers": st.sampled_from(["", "1200", "1200,0", "1,200", "1.2K", "12,5", "x", "-3"]),
    "lang": st.sampled_from(["", "fr", "ar"]),
    "chat": st.sampled_from(["", "Canal 1", "canal 1"]),
    "title": st.sampled_from(["", "t"]),
    "url": st.sampled_from(["", "https://example.org/x"]),
}


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], int]:
    header = draw(
        st.lists(st.sampled_from(sorted(COLUMNS)), min_size=1, max_size=8, unique=True).filter(
            lambda names: "tweets" in names or "username" in names
        )
    )
    rows = draw(
        st.lists(
            st.tuples(*(cells[COLUMNS[name]] for name in header)).map(list),
            min_size=1,
            max_size=25,
        )
    )
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    return header, rows, quoting


# How real exports end lines and separate fields: pandas (LF, comma), Excel (CRLF, semicolon).
dialects = st.tuples(st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n"]))


def read_both(path: Path, options: ReadOptions | None = None) -> tuple[bool, str, str]:
    """(whether the bulk path was taken, its records, the row path's records) as JSON lines."""
    options = options or ReadOptions()
    original = tabular.plain_csv
    taken: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        taken.append(found is not None)
        return found

    tabular.plain_csv = spy
    try:
        bulk = records_to_jsonl(TabularReader().read(path, options))
        tabular.plain_csv = lambda *args, **kwargs: None
        by_row = records_to_jsonl(TabularReader().read(path, options))
    finally:
        tabular.plain_csv = original
    return taken == [True], bulk, by_row


@SETTINGS
@given(
    table=tables(),
    dialect=dialects,
    zone=st.sampled_from(["UTC", "Europe/Paris", "Asia/Baghdad"]),
    date_order=st.sampled_from([None, "day", "month"]),
)
def test_bulk_path_matches_row_path(
    tmp_path: Path,
    table: tuple[list[str], list[list[str]], int],
    dialect: tuple[str, str],
    zone: str,
    date_order: str | None,
) -> None:
    header, rows, quoting = table
    delimiter, line_end = dialect
    path = tmp_path / "table.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=quoting, delimiter=delimiter, lineterminator=line_end)
        writer.writerow(header)
        writer.writerows(rows)
    options = ReadOptions(zone=ZoneInfo(zone), date_order=date_order, delimiter=delimiter)
    plain, bulk, by_row = read_both(path, options)
    # Not plain: a lone CR inside a field under LF line ends (the row path reads it).
    assume(plain or "\r" in path.read_text(encoding="utf-8").replace("\r\n", ""))
    assert Counter(bulk.splitlines()) == Counter(by_row.splitlines())
    # Every record comes in whole, as a post or a reject, as Python's csv module reads it.
    with path.open(encoding="utf-8", newline="") as stream:
        truth = [row for row in list(csv.reader(stream, delimiter=delimiter))[1:] if row]
    kinds = Counter(json.loads(line)["type"] for line in by_row.splitlines())
    assert kinds["post"] + kinds["reject"] == len(truth)
    assert not any("fields where the header has" in line for line in by_row.splitlines())


@pytest.mark.parametrize(
    ("content", "plain"),
    [
        ("username,tweets\na,hello\nb,world\n", True),
        ("username,tweets\r\na,hello\r\nb,world", True),
        ("\ufeffusername,tweets\na,hello\n", True),
        ("username,tweets\na,hello\n\nb,world\n", False),  # blank line
        ('username,tweets\na,"two\nlines"\nb,x\n', True),  # a record over two lines
        ('username,tweets\r\na,"two\nlines"\r\nb,x\r\n', True),  # Excel: LF inside CRLF
        ('username,tweets\na,"two\n\nlines"\n\nb,x\n', False),  # and a blank line
        ("username,tweets\na,hello\rb,world\n", False),  # a lone carriage return
        ("username,tweets\na,hello,extra\nb,world\n", False),  # a row too wide
        ("username,tweets\na,hel\0lo\n", False),  # a NUL byte
    ],
)
def test_which_files_are_plain(tmp_path: Path, content: str, plain: bool) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content.encode("utf-8"))
    taken, bulk, by_row = read_both(path)
    assert taken is plain
    assert Counter(bulk.splitlines()) == Counter(by_row.splitlines())


def test_cp1252_file_is_not_plain(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("username,tweets\na,café\n".encode("cp1252"))
    taken, bulk, _ = read_both(path)
    assert not taken
    assert "café" in bulk


def test_batches_cut_anywhere_keep_lines_and_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small pyarrow blocks regrouped into batches of 7 rows: lines run on across batches."""
    monkeypatch.setattr(csv_bulk, "_BLOCK", 256)
    monkeypatch.setattr(csv_bulk, "BATCH_ROWS", 7)
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["username", "time", "tweets"])
        for number in range(100):
            when = "31/02/2016 10:00" if number == 50 else f"{number % 28 + 1}/11/2016 10:00"
            writer.writerow([f"abu_{number % 9}", when, f"RT @abu_{number % 5}: post {number}"])
    taken, bulk, by_row = read_both(path)
    assert taken
    assert Counter(bulk.splitlines()) == Counter(by_row.splitlines())
    assert '"provenance_locator": "line 101"' in bulk
    assert '"locator": "line 52", "raw": "abu_5,31/02/2016 10:00' in bulk  # quarantined


def test_a_row_of_the_wrong_width_stops_the_bulk_read_instead_of_vanishing(tmp_path: Path) -> None:
    """As if the file changed after its first scan: the read stops, no row is skipped silently."""
    path = tmp_path / "t.csv"
    path.write_text("username,tweets\na,one\nb\nc,three\n", encoding="utf-8")
    plain = csv_bulk.PlainCsv(2, DateColumn("time"))
    with pytest.raises(pa.ArrowInvalid, match="Expected 2 columns, got 1"):
        list(csv_bulk.csv_batches(path, csv.excel, plain, {"author": 0, "text": 1}))

"""The tabular reader: mappings, per-column date order, bad rows, and the Twitter API shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.tabular.reader import TabularReader
from veille.model import Columns, Interaction, Note, Post, Record, Reject


def read(path: Path, **options: object) -> list[Record]:
    """Everything the reader yields, with column batches expanded into single records."""
    records: list[Record] = []
    for record in TabularReader().read(path, ReadOptions(**options)):  # type: ignore[arg-type]
        records.extend(record.records() if isinstance(record, Columns) else [record])
    return records


def posts(records: list[Record]) -> list[Post]:
    return [r for r in records if isinstance(r, Post)]


def test_month_first_is_decided_by_the_whole_column(tmp_path: Path) -> None:
    # Row 1 alone is ambiguous; row 3 (day 13 in second place) settles month-first for all.
    csv_file = tmp_path / "tweets.csv"
    csv_file.write_text(
        "name,username,time,tweets\n"
        "Abu A,abu_a,1/6/2015 21:07,first @abu_b\n"
        "Abu B,abu_b,1/7/2015 08:00,second\n"
        "Abu A,abu_a,1/13/2015 09:30,RT @abu_b: second\n",
        encoding="utf-8",
    )
    records = read(csv_file)
    times = [p.posted_at for p in posts(records)]
    assert times == [
        datetime(2015, 1, 6, 21, 7, tzinfo=UTC),
        datetime(2015, 1, 7, 8, 0, tzinfo=UTC),
        datetime(2015, 1, 13, 9, 30, tzinfo=UTC),
    ]
    notes = " ".join(r.text for r in records if isinstance(r, Note))
    assert "month-first" in notes
    assert "platform twitter" in notes
    kinds = sorted(r.kind for r in records if isinstance(r, Interaction))
    assert kinds == ["mention", "retweet"]  # the RT's handle is the retweet, not also a mention


def test_day_first_column(tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("author,date,text\nx,25/12/2016 10:00,a\nx,01/02/2017 10:00,b\n")
    assert [p.posted_at for p in posts(read(csv_file))] == [
        datetime(2016, 12, 25, 10, tzinfo=UTC),
        datetime(2017, 2, 1, 10, tzinfo=UTC),
    ]


def test_explicit_mapping_and_constant_platform(tmp_path: Path) -> None:
    csv_file = tmp_path / "scrape.csv"
    csv_file.write_text("who;when;what\nalice;2020-01-01T10:00:00+02:00;hello\n", encoding="utf-8")
    mapping = {"author": "who", "time": "when", "text": "what", "platform": "vk"}
    (post,) = posts(read(csv_file, mapping=mapping))
    assert post.platform == "vk"
    assert post.posted_at == datetime(2020, 1, 1, 8, tzinfo=UTC)
    assert post.utc_offset_min == 120
    assert post.text == "hello"


def test_unknown_mapped_column_is_a_clear_error(tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not in the file: nope"):
        read(csv_file, mapping={"text": "nope"})


def test_bad_rows_are_quarantined_and_the_rest_goes_in(tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_text(
        "username,time,text\n"
        "a,1/6/2015 21:07,ok one\n"
        "b,31/02/2015 10:00,impossible date\n"
        "c,1/6/2015 21:08\n"
        "d,1/6/2015 21:09,ok two\n"
    )
    records = read(csv_file)
    assert [p.text for p in posts(records)] == ["ok one", "ok two"]
    rejects = sorted((r for r in records if isinstance(r, Reject)), key=lambda r: r.locator)
    assert [r.locator for r in rejects] == ["line 3", "line 4"]
    assert "impossible date" in rejects[0].reason
    assert "2 fields where the header has 3" in rejects[1].reason


def test_cp1252_csv_decodes(tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_bytes(
        "username,time,text\na,2016-11-14,Mossoul: réseaux coupés\n".encode("cp1252")
    )
    (post,) = posts(read(csv_file))
    assert post.text == "Mossoul: réseaux coupés"


def test_multiline_quoted_fields_keep_line_numbers(tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_text('username,time,text\na,2016-01-01,"two\nlines"\nb,2016-01-02,x\n')
    found = posts(read(csv_file))
    assert [p.provenance.locator for p in found] == ["lines 2-3", "line 4"]
    assert found[0].text == "two\nlines"


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text(
        '{"user": "a", "created_at": "2020-01-01T00:00:00Z", "text": "one"}\n'
        '{"user": "b", "created_at": \n'
        '{"user": "c", "created_at": "2020-01-02T00:00:00Z", "text": "three"}\n'
    )
    records = read(jsonl)
    assert [p.text for p in posts(records)] == ["one", "three"]
    (reject,) = [r for r in records if isinstance(r, Reject)]
    assert reject.locator == "line 2"
    assert "not valid JSON" in reject.reason


def test_truncated_json_array_keeps_the_items_before_the_cut(tmp_path: Path) -> None:
    array = tmp_path / "posts.json"
    array.write_text('[{"user": "a", "date": "2020-01-01", "text": "one"}, {"user": "b", "da')
    records = read(array)
    assert [p.text for p in posts(records)] == ["one"]
    assert any(isinstance(r, Reject) for r in records)


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read(empty)


def test_twarc2_page(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "posts-jsonl" / "twarc2-edited.jsonl")
    (post,) = posts(records)
    assert post.native_id == "1576994789110992896"
    assert post.posted_at == datetime(2022, 10, 3, 17, 57, 11, tzinfo=UTC)
    assert post.url == "https://twitter.com/wongmjane/status/1576994789110992896"
    assert post.extra["edit_history_ids"] == ["1576994746135764992", "1576994789110992896"]

"""JSON tables are bounded in memory: an over-long JSON line costs its record, not the run."""

from __future__ import annotations

import functools
import json
import tracemalloc
from pathlib import Path

import pytest

from veille.ingest.base import ReadOptions
from veille.ingest.common.json_stream import stream_json
from veille.ingest.tabular.reader import TabularReader
from veille.model import Columns, Post, Reject


def _read(path: Path, limit: int) -> list[object]:
    return list(TabularReader().read(path, ReadOptions(max_record_chars=limit)))


def _posts(records: list[object]) -> int:
    columns = [r for r in records if isinstance(r, Columns) and r.kind == "post"]
    return sum(len(r.values["id"]) for r in columns) + sum(isinstance(r, Post) for r in records)


def _line(number: int, text: str) -> str:
    return json.dumps({"id": str(number), "username": "a", "text": text}) + "\n"


def test_an_over_long_json_line_is_quarantined_and_the_rest_goes_in(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(_line(1, "one") + _line(2, "x" * 50_000) + _line(3, "three"), "utf-8")
    records = _read(path, 10_000)
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [r.locator for r in rejects] == ["line 2"]
    length = len(_line(2, "x" * 50_000)) - 1
    assert f"record is {length:,} characters long, over the limit of 10,000" in rejects[0].reason
    assert "--max-record-chars" in rejects[0].reason
    assert rejects[0].raw == _line(2, "x" * 50_000)[:4096]
    assert _posts(records) == 2


def test_a_line_at_the_limit_is_read(tmp_path: Path) -> None:
    line = _line(1, "x" * 9_000)
    path = tmp_path / "t.jsonl"
    path.write_text(line, "utf-8")
    records = _read(path, len(line) - 1)  # the line break is not counted
    assert not [r for r in records if isinstance(r, Reject)]
    assert _posts(records) == 1


def test_a_json_line_with_no_line_break_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """40 MB without a line break: read a limit at a time and dropped, never held whole."""
    path = tmp_path / "t.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(_line(1, "one"))
        out.write('{"id": "2", "text": "')
        for _ in range(40):
            out.write("a" * 1_000_000)
        out.write('"}\n')
        out.write(_line(3, "three"))
    tracemalloc.start()
    try:
        records = _read(path, 100_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 << 20
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [r.locator for r in rejects] == ["line 2"]
    assert "40,000,023 characters long" in rejects[0].reason
    assert _posts(records) == 2


def test_an_over_long_json_array_item_is_quarantined_and_the_next_read(tmp_path: Path) -> None:
    items = [
        {"id": str(n), "username": "a", "text": t} for n, t in enumerate(["a", "x" * 50_000, "c"])
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(items), "utf-8")
    records = _read(path, 10_000)
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [r.locator for r in rejects] == ["[1]"]
    length = len(json.dumps(items[1]))
    assert f"record is {length:,} characters long, over the limit of 10,000" in rejects[0].reason
    assert json.dumps(items[1]).startswith(rejects[0].raw or "-")
    assert _posts(records) == 2


def test_an_over_long_telegram_message_is_quarantined_and_the_next_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veille.ingest.telegram import json_export
    from veille.ingest.telegram.reader import TelegramReader

    monkeypatch.setattr(
        json_export, "stream_json", functools.partial(stream_json, max_value=10_000)
    )
    messages = [
        {"id": n, "type": "message", "date": "2024-05-01T10:00:00", "date_unixtime": "1714550400",
         "from": "Alice", "from_id": "user1", "text": text}
        for n, text in enumerate(["one", "x" * 50_000, "three"], 1)
    ]  # fmt: skip
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "C", "type": "public_channel", "id": 1,
                                "messages": messages}), "utf-8")  # fmt: skip
    records = list(TelegramReader().read(path, ReadOptions()))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [r.locator for r in rejects] == ["messages[1]"]
    assert "over the limit of 10,000; quarantined unread" in rejects[0].reason
    assert _posts(records) == 2


def test_an_over_long_archive_tweet_is_quarantined_and_the_next_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veille.ingest.twitter import archive_reader

    monkeypatch.setattr(archive_reader, "_MAX_ITEM", 10_000)
    when = "Wed May 01 10:00:00 +0000 2024"
    tweets = [
        {"tweet": {"id_str": str(n), "full_text": text, "created_at": when}}
        for n, text in enumerate(["one", "x" * 50_000, "three"], 1)
    ]
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(tweets), "utf-8")
    records = list(archive_reader.TwitterArchiveReader().read(path, ReadOptions()))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [r.locator for r in rejects] == ["tweets.js[1]"]
    assert "over the limit of 10,000 characters (a tweet is far shorter)" in rejects[0].reason
    assert _posts(records) == 2


def test_a_json_line_with_an_escaped_lone_surrogate_is_read(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: "\\udb40" decoded to a lone surrogate, which no id can hash."""
    path = tmp_path / "t.jsonl"
    path.write_text(_line(1, "one") + '{"id": "2", "username": "a\\udb40", "text": "x"}\n', "utf-8")
    records = _read(path, 10_000)
    assert not [r for r in records if isinstance(r, Reject)]
    assert _posts(records) == 2

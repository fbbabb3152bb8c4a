"""WhatsApp memory bounds: over-long messages, names and lines are quarantined, never held."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from veille.ingest.base import ReadOptions
from veille.ingest.whatsapp import reader as whatsapp
from veille.ingest.whatsapp.lines import MAX_NAME_CHARS
from veille.ingest.whatsapp.reader import MAX_MESSAGE_CHARS, RAW_KEPT_CHARS, WhatsAppReader
from veille.model import Actor, Post, Record, Reject


def read(path: Path) -> list[Record]:
    return list(WhatsAppReader().read(path, ReadOptions()))


def of(records: list[Record], kind: type) -> list:  # type: ignore[type-arg]
    return [record for record in records if isinstance(record, kind)]


def test_a_message_over_the_cap_is_quarantined_and_the_next_one_read(tmp_path: Path) -> None:
    long = "w" * (MAX_MESSAGE_CHARS + 10)
    path = tmp_path / "chat.txt"
    path.write_text(
        f"30/01/19, 20:49 - Ann: hi\n30/01/19, 20:50 - Bob: {long}\n30/01/19, 20:51 - Ann: bye\n",
        encoding="utf-8",
    )
    records = read(path)
    assert [post.text for post in of(records, Post)] == ["hi", "bye"]
    (reject,) = of(records, Reject)
    assert reject.locator == "line 2"
    assert f"over the {MAX_MESSAGE_CHARS:,}" in reject.reason
    assert reject.raw is not None
    assert len(reject.raw) == RAW_KEPT_CHARS
    assert reject.raw.startswith("30/01/19, 20:50 - Bob: www")


def test_many_continuation_lines_over_the_cap(tmp_path: Path) -> None:
    body = "\n".join(["line of text"] * (MAX_MESSAGE_CHARS // 10))
    path = tmp_path / "chat.txt"
    path.write_text(f"30/01/19, 20:49 - Ann: {body}\n30/01/19, 20:51 - Ann: bye\n", "utf-8")
    records = read(path)
    (reject,) = of(records, Reject)
    last = MAX_MESSAGE_CHARS // 10
    assert reject.locator == f"lines 1-{last}"
    assert [post.text for post in of(records, Post)] == ["bye"]


def test_an_over_long_name_is_quarantined_not_made_an_actor(tmp_path: Path) -> None:
    name = "N" * (MAX_NAME_CHARS * 10)
    path = tmp_path / "chat.txt"
    path.write_text(
        f"30/01/19, 20:49 - {name}: hello\n30/01/19, 20:50 - {name} added Bob\n"
        "30/01/19, 20:51 - Ann: bye\n",
        encoding="utf-8",
    )
    records = read(path)
    (reject,) = of(records, Reject)
    assert reject.locator == "line 1"
    assert f"{MAX_NAME_CHARS * 10:,} characters long" in reject.reason
    assert all(len(actor.name or "") <= MAX_NAME_CHARS for actor in of(records, Actor))
    # The system line keeps its text, without an author named by 1,000 characters.
    service = [post for post in of(records, Post) if post.kind == "service"]
    assert service
    assert service[0].author_id is None


def test_text_before_the_first_header_over_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("b" * (MAX_MESSAGE_CHARS + 5) + "\n30/01/19, 20:51 - Ann: bye\n", "utf-8")
    records = read(path)
    (reject,) = of(records, Reject)
    assert "text before the first message header" in reject.reason
    assert [post.text for post in of(records, Post)] == ["bye"]


def test_a_line_without_breaks_is_never_held_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 40 MB in one line, read with a bound of 10,000 characters: peak memory stays far below.
    monkeypatch.setattr(whatsapp, "MAX_MESSAGE_CHARS", 9_000)
    monkeypatch.setattr(whatsapp, "LINE_LIMIT", 10_000)
    path = tmp_path / "chat.txt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("30/01/19, 20:49 - Ann: hi\n30/01/19, 20:50 - Bob: ")
        for _ in range(40):
            handle.write("q" * 1_000_000)
        handle.write("\n30/01/19, 20:51 - Ann: bye\n")
    tracemalloc.start()
    try:
        records = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000
    assert [post.text for post in of(records, Post)] == ["hi", "bye"]
    (reject,) = of(records, Reject)
    assert "of 40,000,023 characters" in reject.reason

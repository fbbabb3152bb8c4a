"""A Telegram user who changes display name keeps every name, each with when it was first shown."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from veille.ingest.base import ReadOptions
from veille.ingest.telegram.reader import TelegramReader
from veille.model import Actor


def _message(number: int, name: str, day: int) -> dict[str, object]:
    stamp = int(datetime(2016, 1, day, 12, tzinfo=UTC).timestamp())
    return {
        "id": number, "type": "message", "date": f"2016-01-{day:02d}T12:00:00",
        "date_unixtime": str(stamp), "from": name, "from_id": "user42", "text": f"post {number}",
    }  # fmt: skip


def test_each_name_of_a_user_is_an_actor_state_with_its_time(tmp_path: Path) -> None:
    export = {
        "name": "Canal", "type": "public_supergroup", "id": 77,
        "messages": [
            _message(1, "Abu A", 1), _message(2, "Abu A", 2), _message(3, "Abu B", 3),
            _message(4, "Abu B", 4), _message(5, "Abu A", 5),
        ],
    }  # fmt: skip
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    actors = [
        record
        for record in TelegramReader().read(path, ReadOptions())
        if isinstance(record, Actor) and record.native_id == "user42"
    ]
    assert [(a.name, a.seen_at and a.seen_at.day) for a in actors] == [
        ("Abu A", 1), ("Abu B", 3), ("Abu A", 5),
    ]  # fmt: skip
    assert len({a.id for a in actors}) == 1

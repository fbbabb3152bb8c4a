"""Ingest reports progress as posts come in, whether one at a time or in column batches."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from veille.case import Case


def ingest_with_progress(tmp_path: Path, path: Path) -> list[int]:
    seen: list[int] = []
    with Case.init(tmp_path / "case") as case:
        case.ingest([path], progress=lambda label, read: seen.append(read))
    return seen


def test_csv_in_one_column_batch_still_reports(tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["username", "time", "tweets"])
        writer.writerows(
            [f"abu_{n % 7}", f"1/{n % 28 + 1}/2016 10:00", f"post {n}"] for n in range(5000)
        )
    seen = ingest_with_progress(tmp_path, path)
    assert seen[-1] == 5000
    assert seen == sorted(seen)


def test_telegram_batches_report_along_the_way(tmp_path: Path) -> None:
    messages = [
        {"id": n, "type": "message", "date": "2016-11-14T10:00:00",
         "date_unixtime": str(1479117600 + n), "from": "Abu", "from_id": "user1",
         "text": f"message {n}"}
        for n in range(1, 10_001)
    ]  # fmt: skip
    path = tmp_path / "result.json"
    path.write_text(
        json.dumps({"name": "Canal", "type": "public_channel", "id": 1, "messages": messages}),
        encoding="utf-8",
    )
    seen = ingest_with_progress(tmp_path, path)
    assert seen[-1] == 10_000
    assert len([read for read in seen if read < 10_000]) >= 2  # reported before the end

"""The activity analysis on sources that cover different days: no blackout where nothing was
collected, real drops still found, each blackout compared with series that had data."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from veille.case import Case

FIRST = date(2016, 1, 1)
DAYS = 240


def _day(index: int) -> date:
    return FIRST + timedelta(days=index)


def _write(path: Path, platform: str, channel: str, per_day: dict[int, int], authors: int) -> None:
    lines = ["id,author,time,text,channel,platform"]
    for index, posts in sorted(per_day.items()):
        for k in range(posts):
            at = f"{_day(index).isoformat()}T{(k * 23) // max(posts, 1):02d}:{k % 60:02d}:00+00:00"
            author = f"{channel or 'user'}_{k % authors}"
            lines.append(f"{path.stem}-{index}-{k},{author},{at},post {k},{channel},{platform}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("coverage")
    files = {
        # a scrape of many accounts, with 30 days when the collector ran dry
        "scrape.csv": ("twitter", "", {d: 12 for d in range(DAYS) if not 120 <= d < 150}, 6),
        # a channel that goes quiet from day 200 to the end
        "alpha.csv": ("telegram", "alpha", {d: 10 if d < 200 else 1 for d in range(DAYS)}, 1),
        # a channel whose export ends on day 129
        "beta.csv": ("telegram", "beta", dict.fromkeys(range(130), 10), 1),
        # a channel created on day 100 that falls silent 60 days later, for 30 days
        "gamma.csv": (
            "telegram",
            "gamma",
            {d: 1 if 160 <= d < 190 else 10 for d in range(100, DAYS)},
            1,
        ),
    }
    for name, (platform, channel, per_day, authors) in files.items():
        _write(root / name, platform, channel, per_day, authors)
    case = Case.init(root / "case", time_zone="UTC")
    case.ingest(sorted(root.glob("*.csv")))
    result = case.activity()
    run = result.run_id
    verdicts = case.con.execute(
        "SELECT * FROM blackouts WHERE run_id = ? ORDER BY dimension, key", [run]
    )
    columns = [d[0] for d in verdicts.description]
    rows = [dict(zip(columns, row, strict=True)) for row in verdicts.fetchall()]
    # Channels read from a table have no actor to name them: name them after their file.
    files = dict(
        case.con.execute(
            "SELECT DISTINCT p.chat_id, s.path FROM posts p JOIN sources s ON s.id = p.source_id "
            "WHERE p.chat_id IS NOT NULL"
        ).fetchall()
    )
    names = {chat: Path(path).stem for chat, path in files.items()}
    for row in rows:
        row["label"] = names.get(row["key"], row["label"])
        if row["comparison"]:
            held = json.loads(row["comparison"])
            for c in held:
                c["label"] = names.get(c["series"].split(":", 1)[1], c["label"])
            row["comparison"] = json.dumps(held)
    sources = case.con.execute(
        "SELECT path, rule, first_day, last_day, covered_from, gaps FROM source_coverage "
        "WHERE run_id = ?",
        [run],
    ).fetchall()
    case.close()
    return {"rows": rows, "sources": sources}


def _verdicts(found: dict[str, Any], label: str) -> list[dict[str, Any]]:
    return [row for row in found["rows"] if row["label"] == label]


def test_the_collection_gap_is_recorded_on_the_source(found: dict[str, Any]) -> None:
    scrape = [s for s in found["sources"] if s[0].endswith("scrape.csv")]
    assert len(scrape) == 1
    _, rule, first, last, covered_from, gaps = scrape[0]
    assert rule == "collection"
    assert (first, last, covered_from) == (_day(0), _day(DAYS - 1), _day(0))
    assert json.loads(gaps) == [
        {"from": _day(120).isoformat(), "to": _day(149).isoformat(), "days": 30}
    ]
    rules = {Path(path).name: rule for path, rule, *_ in found["sources"]}
    assert rules["beta.csv"] == "one voice"


def test_a_collection_gap_gives_no_blackout(found: dict[str, Any]) -> None:
    [twitter] = _verdicts(found, "twitter")
    assert twitter["status"] == "steady", twitter
    [gap] = json.loads(twitter["no_data"])
    assert (gap["from"], gap["to"]) == (_day(120).isoformat(), _day(149).isoformat())
    assert gap["why"].startswith("collection gap in ")


def test_a_series_whose_export_ends_gives_no_blackout(found: dict[str, Any]) -> None:
    [beta] = _verdicts(found, "beta")
    assert beta["status"] == "steady", beta
    assert beta["covered_to"] == _day(129)
    telegram = _verdicts(found, "telegram")
    assert not [
        row
        for row in telegram
        if row["status"] == "blackout" and abs((row["start_day"] - _day(130)).days) <= 5
    ], "the end of beta's export is not a drop of telegram"


def test_a_drop_60_days_after_a_late_start_is_found(found: dict[str, Any]) -> None:
    [gamma] = _verdicts(found, "gamma")
    assert gamma["status"] == "blackout", gamma
    assert abs((gamma["start_day"] - _day(160)).days) <= 3
    assert gamma["covered_from"] == _day(100)  # its export begins with it
    assert gamma["judged_from"] >= _day(100 + 28)
    held = [c["label"] for c in json.loads(gamma["comparison"])]
    assert "alpha" in held
    assert "beta" not in held, "beta's export had ended: it is no comparison"
    assert "held their level: " in gamma["reason"]


def test_a_real_drop_is_still_found_and_ongoing(found: dict[str, Any]) -> None:
    [alpha] = _verdicts(found, "alpha")
    assert alpha["status"] == "blackout", alpha
    assert abs((alpha["start_day"] - _day(200)).days) <= 3
    assert alpha["ongoing"]
    assert alpha["depth"] > 0.8
    assert alpha["covered_to"] == _day(DAYS - 1)
    assert "beta" not in [c["label"] for c in json.loads(alpha["comparison"])]


def test_every_verdict_says_what_it_covered(found: dict[str, Any]) -> None:
    for row in found["rows"]:
        if row["status"] != "too sparse":
            assert row["covered_from"] is not None, row
            assert row["covered_to"] is not None, row

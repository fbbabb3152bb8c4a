"""The geometry behind the timeline and the map: buckets, stacked finding marks, circles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from veille.web.graph_style import NO_COMMUNITY, PALETTE, styled
from veille.web.map_marks import located, place_marks
from veille.web.timeline_chart import bucketed, timeline_chart

DAY = date(2016, 11, 1)


def _span(kind: str, number: int, start: date, end: date | None) -> dict[str, Any]:
    return {"kind": kind, "number": number, "start": start, "end": end, "words": kind}


def test_short_spans_by_day_long_ones_by_week() -> None:
    days = [(DAY, 2), (DAY + timedelta(days=30), 3)]
    assert bucketed(days) == ("day", days)
    long = [(date(2016, 10, 31), 1), (date(2016, 11, 6), 2), (date(2017, 6, 1), 4)]
    bucket, weeks = bucketed(long)
    assert bucket == "week"
    assert weeks == [(date(2016, 10, 31), 3), (date(2017, 5, 29), 4)]  # Mondays


def test_overlapping_findings_are_stacked_and_each_links() -> None:
    days = [(DAY + timedelta(days=n), 1 + n % 3) for n in range(40)]
    spans = [
        _span("blackout", 1, DAY + timedelta(days=10), None),  # still going: to the end
        _span("blackout", 2, DAY + timedelta(days=12), DAY + timedelta(days=20)),
        _span("blackout", 3, DAY + timedelta(days=25), DAY + timedelta(days=30)),
        _span("move", 1, DAY + timedelta(days=5), DAY + timedelta(days=5)),
        _span("wave", 1, DAY + timedelta(days=400), DAY + timedelta(days=406)),  # outside
    ]
    chart = timeline_chart(days, spans)
    assert chart is not None
    assert chart.bucket == "day"
    assert len(chart.bars) == 40
    marks = {m.href: m for m in chart.marks}
    assert set(marks) == {"/finding/blackout/1", "/finding/blackout/2", "/finding/blackout/3",
                          "/finding/move/1"}  # fmt: skip
    first, second, third = (marks[f"/finding/blackout/{n}"] for n in (1, 2, 3))
    assert second.y > first.y  # overlaps the first: the row below
    assert third.y == second.y  # after the second ended: its row again
    assert round(first.x + first.width) == chart.width  # still going
    assert marks["/finding/move/1"].y > first.y  # a lane of its own
    assert marks["/finding/move/1"].width >= 3  # one day is still clickable
    assert "still going" in first.label
    assert timeline_chart([], spans) is None


class _Flat:
    width, height = 100.0, 50.0

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return lon, lat


def test_circles_share_one_scale_and_skip_what_cannot_be_placed() -> None:
    about = [
        {"place_id": "a", "name": "A", "level": "city", "latitude": 10, "longitude": 10,
         "accounts": 100, "posts": 300},
        {"place_id": "b", "name": "B", "level": "country", "latitude": 20, "longitude": 20,
         "accounts": 25, "posts": 30},
        {"place_id": "c", "name": "C", "level": "city", "latitude": None, "longitude": 5,
         "accounts": 9, "posts": 9},
    ]  # fmt: skip
    from_ = [{"place_id": "a", "name": "A", "level": "city", "latitude": 10, "longitude": 10,
              "accounts": 1, "posts": 1}]  # fmt: skip
    marks = place_marks(_Flat(), [("about", about), ("from", from_)], lambda p, o: f"/{o}/{p}")
    by = {(m.layer, m.place_id): m for m in marks}
    assert set(by) == {("about", "a"), ("about", "b"), ("from", "a")}
    assert by["about", "a"].r == 22.0
    assert by["about", "b"].r == 3.0 + 19.0 * 0.5  # a quarter of the accounts: half the radius
    assert by["about", "b"].area
    assert by["from", "a"].href == "/from/a"
    assert [m.r for m in marks] == sorted((m.r for m in marks), reverse=True)
    assert located({"latitude": 91, "longitude": 0}) is None
    assert located({"latitude": True, "longitude": 0}) is None
    assert located({"latitude": float("nan"), "longitude": 0}) is None


def test_graph_style_colours_by_community_and_sizes_by_rank() -> None:
    view: dict[str, Any] = {
        "ranked": True,
        "nodes": [
            {"id": "a", "community": 0, "score": 0.4, "interactions": 1},
            {"id": "b", "community": 13, "score": 0.1, "interactions": 9},
            {"id": "c", "community": None, "score": None, "interactions": 5},
        ],
    }
    nodes = {n["id"]: n for n in styled(view)["nodes"]}
    assert nodes["a"]["color"] == PALETTE[0]
    assert nodes["b"]["color"] == PALETTE[13 % len(PALETTE)]
    assert nodes["c"]["color"] == NO_COMMUNITY
    assert nodes["a"]["size"] == 18.0
    assert nodes["b"]["size"] == 3.0 + 15.0 * 0.5
    assert nodes["c"]["size"] == 3.0
    assert [c["community"] for c in view["communities"]] == [0, 13, None]

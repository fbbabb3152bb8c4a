"""Scoring the analyses against the demo's truth: what counts as found, missed or misplaced."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from veille.demo.scores import (
    misplaced_blackouts,
    silence_scores,
    successor_scores,
    wave_scores,
)


def _account(n: int) -> dict[str, Any]:
    return {"id": f"acc{n}", "handle": f"h{n}", "actor_id": f"a{n}"}


TRUTH: dict[str, Any] = {
    "successors": [
        {"old": _account(1), "new": _account(2)},
        {"old": _account(3), "new": _account(4)},
    ],
    "decoys": [{**_account(5), "kind": "look-alike"}],
    "silences": [
        {**_account(1), "why": "suspended", "last_post_id": "p1", "posts": 20, "active_days": 9},
        {**_account(3), "why": "suspended", "last_post_id": "p3", "posts": 3, "active_days": 2},
    ],
    "silence_waves": [{"week_start": "2016-10-17"}, {"week_start": "2016-12-05"}],
    "collection": {
        "first_day": "2016-06-02",
        "last_day": "2017-02-28",
        "thin_start": {"real_volume_from": "2016-09-01"},
        "gaps": [{"from": "2017-01-23", "to": "2017-02-06"}],
    },
}


def _pair(old: int, new: int) -> dict[str, str]:
    return {"old_actor_id": f"a{old}", "new_actor_id": f"a{new}"}


def test_successors_scored_on_every_reported_pair() -> None:
    found = successor_scores(TRUTH, [_pair(1, 2), _pair(3, 5), _pair(3, 4)])
    assert (found["precision"], found["recall"]) == (round(2 / 3, 4), 1.0)
    assert found["decoys_reported"] == ["look-alike: @h5"]
    missing = successor_scores(TRUTH, [_pair(1, 2)])
    assert (missing["precision"], missing["recall"]) == (1.0, 0.5)
    assert missing["missed"] == ["@h3 -> @h4"]


def test_a_silence_counts_with_its_planted_last_post_only() -> None:
    rows = [
        {"actor_id": "a1", "status": "silent", "last_post_id": "p1"},
        {"actor_id": "a3", "status": "silent", "last_post_id": "another"},
    ]
    found = silence_scores(TRUTH, rows, min_posts=5, min_days=4)
    assert (found["planted"], found["reported"], found["unusual"]) == (2, 1, 1)
    assert found["too_little_history"] == 1
    assert found["not_unusual"] == [
        {"handle": "h3", "why": "suspended", "status": "silent, last post another"}
    ]
    paused = silence_scores(
        TRUTH, [{**rows[0], "status": "pause"}, {**rows[1], "last_post_id": "p3"}], 5, 4
    )
    assert (paused["reported"], paused["unusual"]) == (2, 1)  # reported, not judged unusual


def test_waves_found_missed_and_others() -> None:
    found = wave_scores(TRUTH, [date(2016, 10, 17), "2017-01-09"])
    assert found["found"] == ["2016-10-17"]
    assert found["missed"] == ["2016-12-05"]
    assert found["other_weeks"] == ["2017-01-09"]


def _blackout(start: str, key: str = "k") -> dict[str, str]:
    return {"dimension": "place", "key": key, "label": key, "start_day": start}


def test_blackouts_where_the_collection_says_nothing_are_misplaced() -> None:
    rows = [
        _blackout("2016-09-03"),  # the thin start's end
        _blackout("2016-11-14"),  # a real one
        _blackout("2017-01-20"),  # days before the gap
        _blackout("2017-01-30"),  # in the gap
        _blackout("2017-02-25"),  # the export's last week
        _blackout("2016-11-20", "late"),  # the first weeks of a series that began late
    ]
    firsts = {("place", "k"): date(2016, 6, 5), ("place", "late"): date(2016, 11, 1)}
    found = misplaced_blackouts(TRUTH, rows, firsts, [date(2017, 2, 28)])
    assert [(b["start"], b["where"]) for b in found] == [
        ("2016-09-03", "series start"),
        ("2017-01-20", "collection gap"),
        ("2017-01-30", "collection gap"),
        ("2017-02-25", "export end"),
        ("2016-11-20", "series start"),
    ]


@given(st.sets(st.integers(1, 6)), st.sets(st.integers(1, 6)))
def test_precision_and_recall_are_shares(planted: set[int], reported: set[int]) -> None:
    truth = {
        "successors": [{"old": _account(n), "new": _account(n + 10)} for n in sorted(planted)],
        "decoys": [],
    }
    found = successor_scores(truth, [_pair(n, n + 10) for n in sorted(reported)])
    assert 0 <= found["precision"] <= 1
    assert 0 <= found["recall"] <= 1
    assert (found["recall"] == 1) == (planted <= reported)
    assert (found["precision"] == 1) == (reported <= planted)

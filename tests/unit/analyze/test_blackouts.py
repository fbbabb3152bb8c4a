"""Blackout detection on hand-built series: planted drops, rises, cycles, bursts, sparsity."""

from __future__ import annotations

import json

import numpy as np
import pytest

from veille.analyze.blackouts import DetectorSettings, Shift, Verdict, detect_shifts
from veille.analyze.move_pairs import MovePair, pair_moves

DAYS = 200
WEEK = np.array([1.2, 1.1, 1.1, 1.0, 1.2, 0.6, 0.5])  # a weekday cycle with a quiet weekend
WEEK = WEEK * 7 / WEEK.sum()


def series(
    level: float,
    seed: int,
    days: int = DAYS,
    theta: float = 10.0,
    factor: np.ndarray | None = None,
    first_weekday: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """NB daily counts around ``level * weekday * factor``, and their weekdays."""
    rng = np.random.default_rng(seed)
    weekdays = (first_weekday + np.arange(days)) % 7
    mean = level * WEEK[weekdays] * (np.ones(days) if factor is None else factor)
    return rng.poisson(mean * rng.gamma(theta, 1 / theta, days)), weekdays


def with_span(value: float, start: int, end: int, days: int = DAYS) -> np.ndarray:
    factor = np.ones(days)
    factor[start:end] = value
    return factor


def only(verdict: Verdict) -> Shift:
    assert verdict.status == "shift", verdict
    assert len(verdict.shifts) == 1, verdict.shifts
    return verdict.shifts[0]


@pytest.mark.parametrize("seed", range(5))
def test_deep_drop_found_with_start_and_depth(seed: int) -> None:
    counts, weekdays = series(50, seed, factor=with_span(0.15, 120, 150))
    shift = only(detect_shifts(counts, weekdays))
    assert shift.direction == "drop"
    assert abs(shift.start - 120) <= 3
    assert abs(shift.end - 150) <= 3
    assert not shift.ongoing
    assert abs(shift.depth - 0.85) <= 0.10
    assert shift.observed == counts[shift.start : shift.end].sum()
    assert shift.start <= shift.alarm < shift.end
    assert shift.alarm - 120 <= 7  # a 85 % drop at 50/day shows within days
    assert shift.confidence > 0.999


def test_total_blackout_of_a_sparse_series_is_found() -> None:
    counts, weekdays = series(3, seed=11, factor=with_span(0.0, 100, 121), theta=20)
    shift = only(detect_shifts(counts, weekdays))
    assert abs(shift.start - 100) <= 3
    assert shift.depth > 0.9


def test_drop_at_the_end_is_ongoing() -> None:
    counts, weekdays = series(30, seed=3, factor=with_span(0.1, 185, DAYS))
    shift = only(detect_shifts(counts, weekdays))
    assert shift.ongoing
    assert shift.end == DAYS
    assert abs(shift.start - 185) <= 3
    assert abs(shift.depth - 0.9) <= 0.10


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("level", [2.0, 20.0, 150.0])
def test_weekly_cycle_without_drop_is_steady(seed: int, level: float) -> None:
    counts, weekdays = series(level, seed, days=365, first_weekday=seed % 7)
    verdict = detect_shifts(counts, weekdays)
    assert verdict.status == "steady", verdict.shifts
    assert verdict.shifts == ()
    assert verdict.baseline_mean == pytest.approx(level, rel=0.25)


def test_weekend_silence_is_not_a_drop_when_weekdays_are_given() -> None:
    rng = np.random.default_rng(5)
    weekdays = (3 + np.arange(DAYS)) % 7  # starts on a Thursday: index % 7 would be wrong
    counts = np.where(weekdays >= 5, 0, rng.poisson(20, DAYS))
    assert detect_shifts(counts, weekdays).status == "steady"


@pytest.mark.parametrize("seed", range(5))
def test_slow_decline_is_not_a_drop(seed: int) -> None:
    trend = np.exp(np.log(0.5) * np.arange(365) / 365)  # halves over the year
    counts, weekdays = series(40, seed, days=365, factor=trend)
    assert detect_shifts(counts, weekdays).status == "steady"


@pytest.mark.parametrize("seed", range(5))
def test_bursts_and_the_return_after_them_are_not_drops(seed: int) -> None:
    factor = np.ones(DAYS)
    factor[60:63] = [10.0, 6.0, 3.0]  # a spike
    factor[100:114] = 3.0  # two busy weeks, then back to normal
    counts, weekdays = series(20, seed, factor=factor)
    verdict = detect_shifts(counts, weekdays)
    assert verdict.status == "steady", verdict.shifts


@pytest.mark.parametrize("weeks", [3, 6, 10])
def test_the_end_of_a_campaign_of_weeks_is_not_a_drop(weeks: int) -> None:
    factor = np.ones(300)
    factor[100 : 100 + 7 * weeks] = 3.0
    counts, weekdays = series(20, seed=weeks, days=300, factor=factor)
    assert detect_shifts(counts, weekdays).status == "steady"
    # ... nor, the other way round, the end of a dip of weeks a rise.
    dipped, _ = series(20, seed=weeks, days=300, factor=1 / factor)
    assert detect_shifts(dipped, weekdays, direction="rise").status == "steady"


def test_burst_is_not_a_rise_but_a_lasting_rise_is() -> None:
    factor = np.ones(DAYS)
    factor[60:63] = [10.0, 6.0, 3.0]
    factor[130:] = 4.0
    counts, weekdays = series(10, seed=2, factor=factor)
    shift = only(detect_shifts(counts, weekdays, direction="rise"))
    assert shift.direction == "rise"
    assert abs(shift.start - 130) <= 3
    assert shift.ongoing
    assert shift.depth == pytest.approx(3.0, abs=0.6)  # observed / expected - 1
    assert detect_shifts(counts, weekdays, direction="drop").status == "steady"


def test_too_short() -> None:
    verdict = detect_shifts(np.full(30, 50))
    assert verdict.status == "too sparse"
    assert "30 days" in verdict.reason
    assert verdict.shifts == ()


def test_too_sparse_says_why() -> None:
    rng = np.random.default_rng(0)
    verdict = detect_shifts(rng.poisson(0.3, 365))
    assert verdict.status == "too sparse"
    assert "posts/day" in verdict.reason
    assert verdict.baseline_mean == pytest.approx(0.3, abs=0.1)


@pytest.mark.parametrize("direction", ["drop", "rise"])
def test_zeros_only(direction: str) -> None:
    verdict = detect_shifts(np.zeros(365, dtype=int), direction=direction)
    assert verdict.status == "too sparse"
    assert "no posts" in verdict.reason
    assert verdict.baseline_mean == 0.0


def test_empty_series() -> None:
    verdict = detect_shifts(np.array([], dtype=int))
    assert verdict.status == "too sparse"
    assert verdict.baseline_mean == 0.0


def test_settings_round_trip_and_change_the_result() -> None:
    settings = DetectorSettings(threshold=14.0, drop_ratio=0.3, min_depth=0.5)
    assert DetectorSettings(**settings.as_dict()) == settings
    assert DetectorSettings(**json.loads(json.dumps(settings.as_dict()))) == settings
    assert DetectorSettings().as_dict()["threshold"] != 14.0
    counts, weekdays = series(50, seed=1, factor=with_span(0.55, 120, 150))
    assert detect_shifts(counts, weekdays).status == "shift"  # 45 % drop: found by default
    strict = DetectorSettings(min_depth=0.8)
    assert detect_shifts(counts, weekdays, settings=strict).status == "steady"


@pytest.mark.parametrize(
    "bad",
    [
        {"counts": np.array([[1, 2], [3, 4]])},
        {"counts": np.array([1, -1, 2])},
        {"counts": np.array([1.5, 2.0])},
        {"counts": np.array([1.0, np.nan])},
        {"counts": np.ones(40, dtype=int), "weekdays": np.zeros(39, dtype=int)},
        {"counts": np.ones(40, dtype=int), "weekdays": np.full(40, 7)},
        {"counts": np.ones(40, dtype=int), "weekdays": np.zeros(40, dtype=int)},
        {"counts": np.ones(40, dtype=int), "direction": "both"},
    ],
)
def test_malformed_input_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        detect_shifts(**bad)  # type: ignore[arg-type]


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="drop_ratio"):
        DetectorSettings(drop_ratio=1.5)
    with pytest.raises(ValueError, match="history_days"):
        DetectorSettings(history_days=3)


def test_drop_on_one_channel_and_rise_on_another_pair_up() -> None:
    gone, weekdays = series(40, seed=7, factor=with_span(0.1, 140, DAYS))
    moved = series(8, seed=8, factor=with_span(5.0, 142, DAYS))[0]
    unrelated = series(8, seed=9, factor=with_span(5.0, 60, DAYS))[0]
    drops = [("twitter", s.start) for s in detect_shifts(gone, weekdays).shifts]
    rises = [
        (key, s.start)
        for key, counts in [("telegram", moved), ("forum", unrelated)]
        for s in detect_shifts(counts, weekdays, direction="rise").shifts
    ]
    assert {key for key, _ in rises} == {"telegram", "forum"}
    pairs = pair_moves(drops, rises, margin_days=7)
    assert [(p.drop, p.rise) for p in pairs] == [("twitter", "telegram")]
    assert abs(pairs[0].lag - 2) <= 4


def test_pairing_by_margin_and_order() -> None:
    drops = [("a", 100), ("b", 50)]
    rises = [("c", 103), ("a", 101), ("d", 96), ("e", 107), ("f", 55)]
    assert pair_moves(drops, rises, margin_days=4) == [
        MovePair("a", "c", 100, 103),  # lag 3; ("a", "a") is the same series
        MovePair("a", "d", 100, 96),  # lag -4: the rise came first
    ]
    pairs = pair_moves(drops, rises, margin_days=5)
    assert [(p.drop, p.rise, p.lag) for p in pairs] == [
        ("a", "c", 3),
        ("a", "d", -4),
        ("b", "f", 5),
    ]
    assert pair_moves(drops, [], 30) == []
    with pytest.raises(ValueError, match="margin_days"):
        pair_moves(drops, rises, -1)


# Coverage: days without data are never a drop, and a series is judged from its own start.


def test_zeros_before_a_series_starts_are_not_a_drop() -> None:
    verdict = detect_shifts([0] * 200 + [5] * 100)
    assert verdict.status == "steady", verdict.shifts
    assert verdict.first_judged is not None
    assert verdict.first_judged >= 200 + 28


def test_a_baseline_without_evidence_judges_nothing() -> None:
    # A stray post, months of nothing, then the real volume: the long run of zeros has a
    # baseline under one post a day, so it is not judged at all (no floor makes it a drop).
    verdict = detect_shifts([1] + [0] * 199 + [5] * 100)
    assert verdict.status == "steady", verdict.shifts
    sparse = detect_shifts(np.r_[np.tile([1, 0, 0], 40), np.zeros(200, dtype=int)])
    assert sparse.status == "too sparse"
    assert sparse.shifts == ()


@pytest.mark.parametrize("seed", range(4))
def test_a_drop_60_days_after_a_late_start_is_found(seed: int) -> None:
    begin = 150
    factor = with_span(0.1, begin + 60, begin + 90, days=330)
    factor[:begin] = 0.0
    counts, weekdays = series(30, seed, days=330, factor=factor)
    shift = only(detect_shifts(counts, weekdays))
    assert abs(shift.start - (begin + 60)) <= 3
    assert shift.depth > 0.8


def test_a_collection_gap_gives_no_blackout() -> None:
    counts, weekdays = series(20, seed=4, days=300)
    counts[150:180] = 0  # 30 days with nothing collected
    assert detect_shifts(counts, weekdays).status == "shift", "judged as zeros, it is a drop"
    covered = np.ones(300, dtype=bool)
    covered[150:180] = False
    verdict = detect_shifts(counts, weekdays, covered=covered)
    assert verdict.status == "steady", verdict.shifts


def test_a_drop_across_a_gap_skips_the_days_without_data() -> None:
    counts, weekdays = series(40, seed=6, factor=with_span(0.1, 120, DAYS))
    covered = np.ones(DAYS, dtype=bool)
    covered[140:160] = False
    counts[140:160] = 0
    shift = only(detect_shifts(counts, weekdays, covered=covered))
    assert abs(shift.start - 120) <= 3
    assert shift.ongoing
    assert shift.observed == counts[shift.start : shift.end][covered[shift.start : shift.end]].sum()


def test_an_export_that_ends_gives_no_blackout() -> None:
    counts, weekdays = series(25, seed=8, days=300)
    counts[260:] = 0  # the export ended; the calendar goes on for other sources
    assert detect_shifts(counts, weekdays).status == "shift"
    covered = np.arange(300) < 260
    assert detect_shifts(counts, weekdays, covered=covered).status == "steady"


def test_a_drop_until_the_export_ends_is_ongoing_at_its_end() -> None:
    counts, weekdays = series(30, seed=9, days=300, factor=with_span(0.1, 230, 300, days=300))
    counts[260:] = 0
    shift = only(detect_shifts(counts, weekdays, covered=np.arange(300) < 260))
    assert abs(shift.start - 230) <= 3
    assert shift.ongoing
    assert shift.end == 260  # one past the last covered day


def test_rises_count_the_days_before_a_series_began() -> None:
    counts = np.r_[np.zeros(100, dtype=int), np.full(100, 12)]
    shift = only(detect_shifts(counts, direction="rise"))
    assert abs(shift.start - 100) <= 1


def test_covered_must_be_one_bool_per_day() -> None:
    with pytest.raises(ValueError, match="covered"):
        detect_shifts(np.ones(40, dtype=int), covered=np.ones(39, dtype=bool))
    with pytest.raises(ValueError, match="covered"):
        detect_shifts(np.ones(40, dtype=int), covered=np.ones(40, dtype=int))

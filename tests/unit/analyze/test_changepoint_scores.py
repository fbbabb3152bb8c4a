"""Change-point scores on hand-worked examples (TCPDBench F1 with margin, delay, false alarms)."""

from __future__ import annotations

import math

import pytest

from veille.analyze.changepoint_scores import (
    Counts,
    Scores,
    delay_summary,
    delays,
    f_measure,
    false_alarms_per_year,
    matches,
    pooled,
    precision_recall,
)


def test_exact_hit_scores_one() -> None:
    # T = {0, 50}, X = {0, 52}: both matched.
    assert f_measure([[50]], [52], margin=5) == Scores(1.0, 1.0, 1.0)


def test_silent_detector_scores_two_thirds_because_of_the_added_zero() -> None:
    # T = {0, 50}, X = {0}: P = 1/1, R = 1/2, F1 = 2 * 0.5 / 1.5.
    scores = f_measure([[50]], [], margin=5)
    assert scores.precision == 1.0
    assert scores.recall == 0.5
    assert scores.f1 == pytest.approx(2 / 3)
    # Without the added 0 the same silent detector finds nothing: recall 0, precision undefined.
    plain = precision_recall([50], [], margin=5)
    assert plain.recall == 0.0
    assert math.isnan(plain.precision)
    assert math.isnan(plain.f1)


def test_a_miss_outside_the_margin() -> None:
    # T = {0, 50}, X = {0, 60}: only the zeros match: P = 1/2, R = 1/2.
    assert f_measure([[50]], [60], margin=5) == Scores(0.5, 0.5, 0.5)
    assert precision_recall([50], [60], margin=5) == Scores(0.0, 0.0, 0.0)


def test_margin_is_inclusive() -> None:
    assert precision_recall([10], [15], margin=5).recall == 1.0
    assert precision_recall([10], [15], margin=4).recall == 0.0


def test_matching_is_one_to_one() -> None:
    # Two true changes, one detection between them: it counts once.
    assert matches([10, 12], [11], margin=3) == [(10, 11)]
    assert precision_recall([10, 12], [11], margin=3) == Scores(2 / 3, 1.0, 0.5)
    # Two detections of one change: the second is a false positive.
    assert precision_recall([10], [9, 11], margin=3) == Scores(2 / 3, 0.5, 1.0)


def test_closest_wins_and_ties_go_to_the_earlier() -> None:
    assert matches([10], [7, 12], margin=3) == [(10, 12)]
    assert matches([10], [8, 12], margin=3) == [(10, 8)]
    # In order of the true changes: 10 takes 12 (distance 2), 14 then takes 17 (distance 3).
    assert matches([14, 10], [17, 12], margin=3) == [(10, 12), (14, 17)]


def test_two_annotators() -> None:
    # Union {0, 10, 20}, X = {0, 10}: P = 2/2; recall (2/2 + 1/2) / 2 = 0.75.
    scores = f_measure([[10], [20]], [10], margin=2)
    assert scores.precision == 1.0
    assert scores.recall == 0.75
    assert scores.f1 == pytest.approx(2 * 0.75 / 1.75)
    with pytest.raises(ValueError, match="annotator"):
        f_measure([], [10], margin=2)


def test_a_change_at_day_zero_is_not_counted_twice() -> None:
    # T = {0} (the 0 is already there), X = {0}: P = R = 1.
    assert f_measure([[0]], [0], margin=5) == Scores(1.0, 1.0, 1.0)


def test_pooled_counts_add_up_over_series() -> None:
    total = pooled([50], [52], 5) + pooled([80], [], 5) + pooled([30], [31, 90], 5)
    assert total == Counts(matched=2, found=3, true=3)
    assert total.precision == pytest.approx(2 / 3)
    assert total.recall == pytest.approx(2 / 3)
    assert math.isnan(Counts(0, 0, 0).precision)


def test_delays_use_the_alarm_of_matched_detections_only() -> None:
    # Start 98 matches 100 (alarm 104: delay 4); start 150 matches nothing.
    assert delays([100], [98, 150], [104, 152], margin=5) == [4]
    assert delays([100], [], [], margin=5) == []
    with pytest.raises(ValueError, match="one entry"):
        delays([100], [98], [], margin=5)


def test_delay_summary() -> None:
    median, p90 = delay_summary([1, 2, 3, 4, 10])
    assert median == 3
    assert p90 == pytest.approx(7.6)  # position 0.9 * 4 = 3.6: 4 + 0.6 * (10 - 4)
    assert delay_summary([5]) == (5, 5)
    assert all(math.isnan(v) for v in delay_summary([]))


def test_false_alarms_per_series_year() -> None:
    assert false_alarms_per_year(2, 730) == 1.0
    assert false_alarms_per_year(1, 3650) == pytest.approx(0.1)
    assert false_alarms_per_year(0, 365) == 0.0
    assert math.isnan(false_alarms_per_year(0, 0))
    with pytest.raises(ValueError, match="non-negative"):
        false_alarms_per_year(-1, 365)

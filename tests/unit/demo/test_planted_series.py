"""Planted series: deterministic per seed, and the truth matches the counts."""

from __future__ import annotations

import numpy as np
import pytest

from veille.demo.planted_series import MIN_START, PlantedSet, plant_series


@pytest.fixture(scope="module")
def planted() -> PlantedSet:
    return plant_series(300, 100, days=365, seed=5)


def test_same_seed_same_set(planted: PlantedSet) -> None:
    again = plant_series(300, 100, days=365, seed=5)
    assert np.array_equal(again.counts, planted.counts)
    assert np.array_equal(again.weekdays, planted.weekdays)
    assert again.blackouts == planted.blackouts
    other = plant_series(300, 100, days=365, seed=6)
    assert not np.array_equal(other.counts, planted.counts)


def test_shapes_and_controls(planted: PlantedSet) -> None:
    assert planted.counts.shape == (400, 365)
    assert planted.counts.min() >= 0
    assert planted.is_control.sum() == 100
    assert not planted.is_control[:300].any()
    assert planted.bursty[planted.is_control].sum() == 50
    assert [b.series for b in planted.blackouts] == list(range(300))
    assert np.all(np.diff(planted.weekdays, axis=1) % 7 == 1)  # consecutive days
    assert planted.levels.min() >= 1
    assert planted.levels.max() <= 200


def test_truth_is_within_the_stated_ranges(planted: PlantedSet) -> None:
    blackouts = planted.blackouts
    assert all(0.3 <= b.depth <= 0.95 for b in blackouts)
    assert all(3 <= b.duration <= 60 for b in blackouts)
    assert all(b.start >= MIN_START for b in blackouts)
    assert all(b.ongoing == (b.end == 365) for b in blackouts)
    assert 0.1 < np.mean([b.ongoing for b in blackouts]) < 0.35


def test_planted_span_is_lower_by_the_depth(planted: PlantedSet) -> None:
    # The daily means are exactly (1 - depth) x what they would have been.
    for b in planted.blackouts:
        span = planted.means[b.series, b.start : b.end].sum()
        assert span == pytest.approx(b.expected * (1 - b.depth))
    # And the counts follow, within the noise: observed / expected ≈ 1 - depth.
    gaps = np.array(
        [
            1 - planted.counts[b.series, b.start : b.end].sum() / b.expected - b.depth
            for b in planted.blackouts
        ]
    )
    assert abs(gaps.mean()) < 0.02
    big = [
        gap
        for gap, b in zip(gaps, planted.blackouts, strict=True)
        if b.expected >= 300 and b.duration >= 20
    ]
    assert len(big) > 50
    assert np.abs(big).max() < 0.15


def test_the_blackout_is_visible_against_the_weeks_before(planted: PlantedSet) -> None:
    for b in planted.blackouts:
        if b.depth >= 0.6 and b.duration >= 14 and b.mean >= 20:
            before = planted.counts[b.series, b.start - 28 : b.start].mean()
            during = planted.counts[b.series, b.start : b.end].mean()
            assert during < before * 0.75


def test_too_few_days_are_refused() -> None:
    with pytest.raises(ValueError, match="days"):
        plant_series(1, 0, days=30, seed=0)

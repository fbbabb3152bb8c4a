"""Hotspots: a busy week against the place's own usual weeks, not every noisy day."""

from __future__ import annotations

import numpy as np

from veille.analyze.hotspots import HotspotSettings, find_hotspots


def test_a_week_five_times_busier_is_a_hotspot() -> None:
    rng = np.random.default_rng(3)
    counts = rng.poisson(10, 140)
    counts[100:107] = rng.poisson(50, 7)
    spots = find_hotspots(counts)
    assert len(spots) == 1
    spot = spots[0]
    assert spot.start <= 100 < spot.end <= 114
    assert spot.ratio >= 2.0
    assert spot.observed == int(counts[spot.start : spot.end].sum())


def test_steady_noise_and_short_series_give_nothing() -> None:
    rng = np.random.default_rng(4)
    assert find_hotspots(rng.poisson(10, 365)) == []
    assert find_hotspots([50] * 20) == []


def test_a_few_posts_on_a_quiet_place_are_not_a_hotspot() -> None:
    counts = np.zeros(120, dtype=int)
    counts[100] = 4  # four posts where there were none: below min_posts
    assert find_hotspots(counts, HotspotSettings(min_posts=10)) == []

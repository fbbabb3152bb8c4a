"""The hotspot detector: a week with far more people than the place's own usual weeks, judged
only where the place's sources collected."""

from __future__ import annotations

import numpy as np

from veille.analyze.coverage import NoData, SeriesCoverage
from veille.analyze.hotspots import HotspotSettings, find_hotspots, judged_windows

EVERYWHERE = np.ones(140, dtype=bool)


def _judged(days: int = 140) -> np.ndarray:
    return judged_windows(SeriesCoverage.everywhere(days), days, HotspotSettings())


def test_a_week_with_five_times_the_usual_people_is_a_hotspot() -> None:
    rng = np.random.default_rng(3)
    people = rng.poisson(4, 140)
    people[100:107] = 25
    (spot,) = find_hotspots(people, _judged())
    assert spot.start <= 100 < spot.end <= 114
    assert spot.peak_people == 25
    assert 94 <= spot.peak <= 100
    assert spot.ratio == spot.peak_people / spot.expected >= 2.0


def test_steady_people_and_short_series_give_nothing() -> None:
    rng = np.random.default_rng(4)
    assert find_hotspots(rng.poisson(10, 365), _judged(365)) == []
    assert find_hotspots([50] * 20, _judged(20)) == []


def test_fewer_than_the_minimum_of_people_are_never_a_hotspot() -> None:
    people = np.zeros(140, dtype=int)
    people[100] = 4  # four people where there were none
    assert find_hotspots(people, _judged()) == []
    people[100] = 5
    assert len(find_hotspots(people, _judged())) == 1
    assert find_hotspots(people, _judged(), HotspotSettings(min_accounts=6)) == []


def test_windows_need_their_history_inside_one_covered_stretch() -> None:
    settings = HotspotSettings()
    reach = settings.window * settings.history
    assert not _judged()[:reach].any()  # not enough history yet
    assert _judged()[reach : 140 - 6].all()
    assert not _judged()[140 - 6 :].any()  # windows past the calendar's end
    covered = EVERYWHERE.copy()
    covered[70:80] = False  # a collection gap
    gap = SeriesCoverage(covered, ((0, 70), (80, 140)), (NoData(70, 79, "gap"),))
    judged = judged_windows(gap, 140, settings)
    assert not judged[70 - 6 : 80 + reach].any()
    assert judged[: 70 - 6].sum() == 70 - 6 - reach
    # A place first collected on day 80 with many people that week: not judged, no hotspot.
    people = np.zeros(140, dtype=int)
    people[80:87] = 30
    assert find_hotspots(people, judged) == []

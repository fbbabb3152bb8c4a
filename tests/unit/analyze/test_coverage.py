"""Coverage of sources and series: spans, thin starts, collection gaps, major sources."""

from __future__ import annotations

import numpy as np

from veille.analyze.blackouts import DetectorSettings
from veille.analyze.coverage import (
    GAP_MIN_DAYS,
    SeriesCoverage,
    SourceCoverage,
    series_coverage,
    source_coverage,
)
from veille.analyze.covered_shifts import covered_shifts, rise_mask


def daily(level: float, days: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).poisson(level, days).astype(np.int64)


def collection(x: np.ndarray, name: str = "scrape.csv") -> SourceCoverage:
    return source_coverage(name, name, x, several_voices=True)


def test_a_month_without_records_is_a_collection_gap() -> None:
    x = daily(30, 300)
    x[120:150] = 0
    source = collection(x)
    assert source.rule == "collection"
    assert (source.first, source.last, source.start) == (0, 299, 0)
    assert source.gaps == ((120, 149),)
    assert source.missing(300)[120:150].all()
    assert not source.missing(300)[:120].any()


def test_a_short_pause_is_not_a_gap() -> None:
    x = daily(30, 300)
    x[120 : 120 + GAP_MIN_DAYS - 1] = 0
    assert collection(x).gaps == ()


def test_gaps_follow_the_source_own_rhythm() -> None:
    # Records one day in five: a month of silence is ordinary for it, three months are not.
    rng = np.random.default_rng(3)
    x = (rng.random(365) < 0.2).astype(np.int64) * 3
    x[[0, 364]] = 3
    x[100:130] = 0
    assert collection(x).gaps == ()
    x[200:290] = 0
    gaps = collection(x).gaps
    assert len(gaps) == 1
    first, last = gaps[0]
    assert first <= 200
    assert last >= 289


def test_one_voice_is_complete_by_construction() -> None:
    x = daily(30, 300)
    x[120:150] = 0
    alone = source_coverage("chat", "chat.json", x, several_voices=False)
    assert alone.rule == "one voice"
    assert alone.gaps == ()  # a channel silent for a month is its own silence: judged


def test_few_records_have_no_span() -> None:
    x = np.zeros(100, dtype=np.int64)
    x[40] = 1
    article = source_coverage("a", "article.html", x, several_voices=False)
    assert article.rule == "few records"
    assert not article.has_span


def test_a_thin_start_is_not_covered() -> None:
    x = np.r_[daily(0.3, 200, seed=1), daily(60, 200, seed=2)]
    x[0] = 1
    source = collection(x)
    assert source.first == 0
    assert 194 <= source.start <= 200
    assert source.span(400)[source.start :].all()
    assert not source.span(400)[:194].any()


def test_a_steady_start_stays_covered() -> None:
    assert collection(daily(20, 200)).start == 0


def test_a_series_ends_with_its_export() -> None:
    x = daily(20, 300)
    x[250:] = 0
    coverage = series_coverage(x, [(collection(x), int(x.sum()))])
    assert coverage.last == 249
    assert coverage.segments == ((0, 250),)
    assert coverage.no_data == ()


def test_a_major_source_gap_is_no_data_a_minor_one_is_not() -> None:
    major = daily(20, 300, seed=1)
    major[100:130] = 0
    minor = daily(2, 300, seed=2)
    minor[200:230] = 0
    series = major + minor
    big, small = collection(major, "big.csv"), collection(minor, "small.csv")
    assert small.gaps == ((200, 229),)
    coverage = series_coverage(series, [(big, int(major.sum())), (small, int(minor.sum()))])
    assert not coverage.covered[100:130].any()
    assert coverage.covered[200:230].all()  # a tenth of the series: cannot make a blackout
    assert [(g.first, g.last) for g in coverage.no_data] == [(100, 129)]
    assert coverage.no_data[0].why == "collection gap in big.csv"
    assert coverage.segments == ((0, 300),)  # a gap pauses the history, it does not restart it


def test_where_major_sources_change_the_series_is_judged_afresh() -> None:
    first = np.r_[daily(20, 200, seed=1), np.zeros(100, dtype=np.int64)]
    second = np.r_[np.zeros(100, dtype=np.int64), daily(20, 200, seed=2)]
    coverage = series_coverage(
        first + second, [(collection(first), int(first.sum())), (collection(second), 1)]
    )
    assert coverage.segments == ((0, 200), (200, 300)), "one post does not make a major source"
    both = series_coverage(
        first + second,
        [(collection(first), int(first.sum())), (collection(second), int(second.sum()))],
    )
    assert both.segments == ((0, 100), (100, 200), (200, 300))


def test_a_source_ending_while_another_goes_on_is_no_blackout() -> None:
    rng = np.random.default_rng(5)
    weekdays = np.arange(300) % 7
    ending = np.r_[rng.poisson(20, 200), np.zeros(100, dtype=np.int64)]
    going_on = rng.poisson(20, 300)
    total = ending + going_on
    settings = DetectorSettings()
    assert covered_shifts(total, weekdays, SeriesCoverage.everywhere(300), "drop", settings).shifts
    coverage = series_coverage(
        total,
        [(collection(ending), int(ending.sum())), (collection(going_on), int(going_on.sum()))],
    )
    verdict = covered_shifts(total, weekdays, coverage, "drop", settings)
    assert verdict.status == "steady", verdict.shifts
    assert "2 stretches of coverage" in verdict.reason


def test_a_drop_in_a_later_segment_is_found_on_the_calendar() -> None:
    rng = np.random.default_rng(7)
    weekdays = np.arange(300) % 7
    ending = np.r_[rng.poisson(20, 100), np.zeros(200, dtype=np.int64)]
    going_on = rng.poisson(20, 300)
    going_on[220:250] = rng.poisson(1, 30)
    total = ending + going_on
    coverage = series_coverage(
        total,
        [(collection(ending), int(ending.sum())), (collection(going_on), int(going_on.sum()))],
    )
    verdict = covered_shifts(total, weekdays, coverage, "drop", DetectorSettings())
    assert [abs(s.start - 220) <= 3 for s in verdict.shifts] == [True]
    assert verdict.first_judged is not None
    assert verdict.first_judged >= 28


def test_only_point_sources_cover_everything() -> None:
    x = np.zeros(50, dtype=np.int64)
    x[10] = 1
    article = source_coverage("a", "a.html", x, several_voices=False)
    coverage = series_coverage(x, [(article, 1)])
    assert coverage.covered.all()
    assert coverage.segments == ((0, 50),)


def test_rises_are_judged_from_the_calendar_start() -> None:
    # A channel exported alone is complete from its start: before it, it did not exist.
    x = np.r_[np.zeros(100, dtype=np.int64), daily(20, 100)]
    x[150:170] = 0
    channel = source_coverage("c", "channel", x, several_voices=False)
    coverage = series_coverage(x, [(channel, int(x.sum()))])
    assert coverage.first == 100
    assert not coverage.opened_by_collection
    mask = rise_mask(coverage)
    assert mask[:100].all()
    assert mask[150:170].all()  # one voice: its silences are its own
    weekdays = np.arange(200) % 7
    rises = covered_shifts(x, weekdays, coverage, "rise", DetectorSettings()).shifts
    assert abs(rises[0].start - 100) <= 3


def test_a_collection_starting_late_is_no_rise_of_its_series() -> None:
    # A Telegram account export beginning 100 days after the case's first record (a Twitter
    # scrape): its channels did not appear on its first day, the collecting began.
    x = np.r_[np.zeros(100, dtype=np.int64), daily(20, 100)]
    x[150:170] = 0
    coverage = series_coverage(x, [(collection(x), int(x.sum()))])
    assert coverage.first == 100
    assert coverage.opened_by_collection
    mask = rise_mask(coverage)
    assert not mask[:100].any()
    assert not mask[150:170].any()
    weekdays = np.arange(200) % 7
    assert covered_shifts(x, weekdays, coverage, "rise", DetectorSettings()).shifts == ()
    later = np.r_[np.zeros(100, dtype=np.int64), daily(6, 50, seed=3), daily(30, 50, seed=4)]
    inside = series_coverage(later, [(collection(later), int(later.sum()))])
    found = covered_shifts(later, weekdays, inside, "rise", DetectorSettings()).shifts
    assert [abs(s.start - 150) <= 3 for s in found] == [True]  # a rise inside it still shows


def test_a_thin_collection_filling_in_is_no_rise() -> None:
    x = np.r_[daily(0.3, 200, seed=1), daily(60, 200, seed=2)]
    x[0] = 1
    coverage = series_coverage(x, [(collection(x), int(x.sum()))])
    mask = rise_mask(coverage)
    assert not mask[:190].any()
    weekdays = np.arange(400) % 7
    assert covered_shifts(x, weekdays, coverage, "rise", DetectorSettings()).shifts == ()
    everywhere = SeriesCoverage.everywhere(400)
    assert covered_shifts(x, weekdays, everywhere, "rise", DetectorSettings()).shifts

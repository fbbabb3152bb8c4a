"""Blackout detection on arbitrary counts: never raises, results within bounds, monotone gate."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.property.reader_settings import SETTINGS
from veille.analyze.blackouts import detect_shifts

# Runs of equal-ish values make level shifts common; plain lists make noise.
RUNS = st.lists(st.tuples(st.integers(0, 500), st.integers(1, 60)), min_size=1, max_size=8).map(
    lambda runs: np.concatenate([np.full(length, value) for value, length in runs])
)
NOISE = st.lists(st.integers(0, 10**6), max_size=200).map(lambda v: np.array(v, dtype=np.int64))


@st.composite
def noisy_runs(draw: st.DrawFn) -> np.ndarray:
    levels = draw(RUNS)
    seed = draw(st.integers(0, 2**32 - 1))
    return np.random.default_rng(seed).poisson(levels)


COUNTS = st.one_of(RUNS, NOISE, noisy_runs())


@SETTINGS
@given(COUNTS, st.sampled_from(["drop", "rise"]), st.integers(0, 6))
def test_never_raises_and_stays_in_bounds(counts: np.ndarray, direction: str, first: int) -> None:
    n = counts.size
    weekdays = (first + np.arange(n)) % 7
    verdict = detect_shifts(counts, weekdays, direction=direction)
    assert verdict.status in ("shift", "steady", "too sparse")
    assert (verdict.status == "shift") == bool(verdict.shifts)
    assert verdict.reason
    assert np.isfinite(verdict.baseline_mean)
    assert verdict.baseline_mean >= 0
    previous_end = 0
    for shift in verdict.shifts:
        assert shift.direction == direction
        assert previous_end <= shift.start <= shift.alarm < shift.end <= n
        assert shift.ongoing == (shift.end == n)
        assert shift.observed == int(counts[shift.start : shift.end].sum())
        assert shift.expected > 0
        assert 0.0 <= shift.confidence <= 1.0
        if direction == "drop":
            assert 0.0 <= shift.depth <= 1.0
            assert shift.observed < shift.expected
        else:
            assert shift.depth >= 0.0
            assert shift.observed > shift.expected
        previous_end = shift.end


@SETTINGS
@given(
    level=st.floats(1.0, 60.0),
    start=st.integers(60, 250),
    length=st.integers(20, 80),
    scale=st.integers(1, 25),
    seed=st.integers(0, 2**32 - 1),
)
def test_more_posts_before_a_deep_drop_never_make_it_too_sparse(
    level: float, start: int, length: int, scale: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    mean = np.full(300, level)
    mean[start : start + length] *= 0.05
    counts = rng.poisson(mean)
    found = detect_shifts(counts)
    assume(any(s.depth >= 0.6 for s in found.shifts))
    busier = counts.copy()
    busier[:start] *= scale
    assert detect_shifts(busier).status != "too sparse"
    assert detect_shifts(counts * scale).status != "too sparse"


# Coverage: what the detector may not see must not change what it says.
MASKS = st.lists(st.tuples(st.booleans(), st.integers(1, 60)), min_size=1, max_size=8)


def _mask(runs: list[tuple[bool, int]], n: int) -> np.ndarray:
    mask = np.concatenate([np.full(length, flag) for flag, length in runs] + [np.ones(n, bool)])
    return mask[:n]


@SETTINGS
@given(COUNTS, MASKS, st.sampled_from(["drop", "rise"]), st.integers(0, 6))
def test_covered_days_bound_every_shift(
    counts: np.ndarray, runs: list[tuple[bool, int]], direction: str, first: int
) -> None:
    n = counts.size
    covered = _mask(runs, n)
    weekdays = (first + np.arange(n)) % 7
    verdict = detect_shifts(counts, weekdays, direction=direction, covered=covered)
    assert verdict.status in ("shift", "steady", "too sparse")
    assert (verdict.status == "shift") == bool(verdict.shifts)
    last_covered = int(np.flatnonzero(covered)[-1]) if covered.any() else -1
    for shift in verdict.shifts:
        assert covered[shift.start]
        assert covered[shift.alarm]
        assert shift.start <= shift.alarm < shift.end <= last_covered + 1
        assert shift.observed == int(
            counts[shift.start : shift.end][covered[shift.start : shift.end]].sum()
        )
    if verdict.first_judged is not None:
        assert covered[verdict.first_judged]


@SETTINGS
@given(COUNTS, MASKS, st.integers(0, 10**4), st.sampled_from(["drop", "rise"]))
def test_counts_on_days_without_data_change_nothing(
    counts: np.ndarray, runs: list[tuple[bool, int]], seed: int, direction: str
) -> None:
    covered = _mask(runs, counts.size)
    noise = np.random.default_rng(seed).integers(0, 1000, counts.size)
    other = np.where(covered, counts, noise)
    assert detect_shifts(other, direction=direction, covered=covered) == detect_shifts(
        counts, direction=direction, covered=covered
    )


@SETTINGS
@given(COUNTS, st.integers(1, 400), st.integers(0, 6))
def test_zeros_before_a_series_only_move_its_drops(
    counts: np.ndarray, lead: int, first: int
) -> None:
    weekdays = (first + lead + np.arange(counts.size)) % 7
    alone = detect_shifts(counts, weekdays)
    late = detect_shifts(
        np.r_[np.zeros(lead, dtype=np.int64), counts], (first + np.arange(lead + counts.size)) % 7
    )
    assert late.status == alone.status
    assert [(s.start - lead, s.end - lead, s.alarm - lead) for s in late.shifts] == [
        (s.start, s.end, s.alarm) for s in alone.shifts
    ]
    assert [s.depth for s in late.shifts] == [s.depth for s in alone.shifts]

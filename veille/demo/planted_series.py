"""Synthetic daily post counts with planted blackouts, for evaluating blackout detection.

Each series is a daily mean ``level * weekday factor * trend * slow wiggle * bursts``, drawn
with negative-binomial noise (a Poisson whose rate is Gamma-mixed with shape ``theta``, so
variance = mean + mean²/theta), as real activity counts are overdispersed:

- ``level``: posts/day, log-uniform in [``min_level``, ``max_level``];
- weekly cycle: a random weekend dip (factor 0.4-1.0) plus a random sinusoid (amplitude up to
  0.3), normalised to average 1 over the week; each series starts on a random weekday;
- trend: log-linear, the level multiplied by 0.5-2 over the whole series;
- slow wiggle: an AR(1) on the log level (coefficient 0.95, stationary sd about 0.1), the
  drift of a channel's audience that no weekly model captures;
- bursts: 1-4 day spikes, x3-x10 on their first day and fading, Poisson(1) of them per
  series-year (Poisson(4) on the bursty controls);
- ``theta`` log-uniform in [3, 50] per series.

Planted series get exactly one blackout: the mean is multiplied by ``1 - depth`` over
``[start, end)``, depth uniform in [0.30, 0.95], duration 3-60 days, start at least
``MIN_START`` days in (the detector needs weeks of history); a fifth are still ongoing at the
end of the series. Controls get none; half the controls are bursty. A burst never overlaps
the blackout, so the blackout's depth is what was planted.

``plant_coverage_cases`` makes the series where coverage decides (a late start, a thin start,
a collection gap, an export that ends), each with what its source collected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "COVERAGE_CASES",
    "MIN_START",
    "CoverageCase",
    "PlantedBlackout",
    "PlantedSet",
    "plant_coverage_cases",
    "plant_series",
]

MIN_START = 56  # eight weeks of history before any blackout
_DEPTH = (0.30, 0.95)
_DURATION = (3, 60)
_ONGOING_SHARE = 0.2
_THETA = (3.0, 50.0)
_AR = 0.95
_AR_SD = 0.03  # stationary sd 0.03 / sqrt(1 - 0.95**2) ≈ 0.096 on the log scale
_BURSTS_PER_YEAR = 1.0
_BURSTS_PER_YEAR_BURSTY = 4.0


@dataclass(frozen=True, slots=True)
class PlantedBlackout:
    """The truth about one planted blackout."""

    series: int  # row in PlantedSet.counts
    start: int  # first day of the blackout
    end: int  # one past its last day (== days when ongoing)
    depth: float  # the planted drop: mean multiplied by 1 - depth over [start, end)
    mean: float  # the series' level parameter, posts/day
    expected: float  # sum of the daily means over [start, end) had there been no blackout
    ongoing: bool  # still under way on the last day of the series

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class PlantedSet:
    """Series (rows of ``counts``), their weekdays, which are controls, and the truth."""

    counts: npt.NDArray[np.int64]  # (series, days)
    weekdays: npt.NDArray[np.int64]  # (series, days), 0 = Monday
    means: npt.NDArray[np.float64]  # (series, days): the daily means the counts were drawn from
    levels: npt.NDArray[np.float64]  # (series,): level parameter, posts/day
    is_control: npt.NDArray[np.bool_]  # (series,)
    bursty: npt.NDArray[np.bool_]  # (series,): bursty controls
    blackouts: tuple[PlantedBlackout, ...]  # one per planted series, in row order
    seed: int

    @property
    def days(self) -> int:
        return int(self.counts.shape[1])


def _bursts(
    rng: np.random.Generator, days: int, rate_per_year: float, avoid: tuple[int, int] | None
) -> npt.NDArray[np.float64]:
    factor = np.ones(days)
    for _ in range(rng.poisson(rate_per_year * days / 365)):
        start = int(rng.integers(0, days))
        length = int(rng.integers(1, 5))
        stop = min(days, start + length)
        if avoid is not None and start < avoid[1] and stop > avoid[0]:
            continue  # keep the planted depth exact
        peak = float(np.exp(rng.uniform(np.log(3.0), np.log(10.0))))
        fade = peak ** (1.0 - np.arange(stop - start) / length)  # peak, then back towards 1
        factor[start:stop] *= fade
    return factor


def _weekly(rng: np.random.Generator) -> npt.NDArray[np.float64]:
    weekend = rng.uniform(0.4, 1.0)
    amplitude = rng.uniform(0.0, 0.3)
    phase = rng.uniform(0.0, 7.0)
    day = np.arange(7)
    factor = 1.0 + amplitude * np.cos(2 * np.pi * (day - phase) / 7)
    factor[5:] *= weekend
    return np.asarray(factor * 7 / factor.sum(), dtype=np.float64)


def _wiggle(rng: np.random.Generator, days: int) -> npt.NDArray[np.float64]:
    steps = rng.normal(0.0, _AR_SD, days)
    out = np.empty(days)
    value = rng.normal(0.0, _AR_SD / np.sqrt(1 - _AR**2))
    for day in range(days):
        value = _AR * value + steps[day]
        out[day] = value
    return np.asarray(np.exp(out - out.mean()), dtype=np.float64)


def plant_series(
    n_series: int,
    n_controls: int,
    days: int = 365,
    seed: int = 0,
    min_level: float = 1.0,
    max_level: float = 200.0,
) -> PlantedSet:
    """``n_series`` series with one planted blackout each, then ``n_controls`` without.

    Deterministic for a given seed. ``days`` must leave room for a blackout after
    ``MIN_START`` days of history.
    """
    if days < MIN_START + _DURATION[0] + 1:
        raise ValueError(f"days must be at least {MIN_START + _DURATION[0] + 1}, got {days}")
    rng = np.random.default_rng(seed)
    total = n_series + n_controls
    counts = np.zeros((total, days), dtype=np.int64)
    weekdays = np.zeros((total, days), dtype=np.int64)
    means = np.zeros((total, days))
    levels = np.exp(rng.uniform(np.log(min_level), np.log(max_level), total))
    is_control = np.arange(total) >= n_series
    bursty = is_control & (np.arange(total) % 2 == 1)
    blackouts: list[PlantedBlackout] = []
    for row in range(total):
        first_weekday = int(rng.integers(0, 7))
        weekdays[row] = (first_weekday + np.arange(days)) % 7
        trend = np.exp(rng.uniform(np.log(0.5), np.log(2.0)) * np.arange(days) / days)
        mean = levels[row] * _weekly(rng)[weekdays[row]] * trend * _wiggle(rng, days)
        span: tuple[int, int] | None = None
        depth = 0.0
        if not is_control[row]:
            duration = int(rng.integers(_DURATION[0], _DURATION[1] + 1))
            duration = min(duration, days - MIN_START)
            if rng.random() < _ONGOING_SHARE:
                start = days - duration
            else:
                start = int(rng.integers(MIN_START, max(MIN_START + 1, days - duration)))
            span = (start, min(days, start + duration))
            depth = float(rng.uniform(*_DEPTH))
        rate = _BURSTS_PER_YEAR_BURSTY if bursty[row] else _BURSTS_PER_YEAR
        mean = mean * _bursts(rng, days, rate, span)
        if span is not None:
            blackouts.append(
                PlantedBlackout(
                    series=row,
                    start=span[0],
                    end=span[1],
                    depth=depth,
                    mean=float(levels[row]),
                    expected=float(mean[span[0] : span[1]].sum()),
                    ongoing=span[1] >= days,
                )
            )
            mean[span[0] : span[1]] *= 1.0 - depth
        theta = float(np.exp(rng.uniform(np.log(_THETA[0]), np.log(_THETA[1]))))
        means[row] = mean
        counts[row] = rng.poisson(mean * rng.gamma(theta, 1.0 / theta, days))
    return PlantedSet(
        counts=counts,
        weekdays=weekdays,
        means=means,
        levels=levels,
        is_control=is_control,
        bursty=bursty,
        blackouts=tuple(blackouts),
        seed=seed,
    )


COVERAGE_CASES = ("late start", "thin start", "collection gap", "export ends")
_CASE_LEVEL = (20.0, 200.0)  # posts/day: busy enough that only coverage can go wrong
_CASE_DEPTH = (0.60, 0.95)
_CASE_DURATION = (10, 45)
_AFTER_START = (35, 90)  # days from the start to a planted drop: within the old 13-week shadow
_THIN = (0.01, 0.03)  # share of the level a thin collection gets
_GAP = (14, 45)


@dataclass(frozen=True, slots=True)
class CoverageCase:
    """One series where coverage matters, what its source collected, and its planted drop."""

    kind: str  # one of COVERAGE_CASES
    counts: npt.NDArray[np.int64]
    weekdays: npt.NDArray[np.int64]
    collected: npt.NDArray[np.bool_]  # days its source collected in full (the truth)
    begins: int  # first day of the series proper (after a late or thin start; else 0)
    blackout: PlantedBlackout | None  # every other series has one; ``series`` is its row


def plant_coverage_cases(per_case: int, days: int = 365, seed: int = 0) -> list[CoverageCase]:
    """``per_case`` series of each of ``COVERAGE_CASES``, half of them with a planted drop.

    - late start: the series begins 60 to ``days - 150`` days in (zeros before, its source
      collecting all along: a channel created late);
    - thin start: the collection gets 1-3 % of the posts until 120 to ``days - 150`` days in;
    - collection gap: 14-45 days with nothing collected, 100 days in or later;
    - export ends: nothing collected over the last 20-120 days (other sources go on).

    Drops are 60-95 % deep, 10-45 days long, at 20-200 posts a day; after a late or thin
    start they begin 35-90 days after it, and never within 14 days of a gap or the end.
    """
    rng = np.random.default_rng(seed)
    out: list[CoverageCase] = []
    for kind in COVERAGE_CASES:
        for i in range(per_case):
            out.append(_coverage_case(rng, kind, len(out), days, planted=i % 2 == 0))
    return out


def _coverage_case(
    rng: np.random.Generator, kind: str, row: int, days: int, planted: bool
) -> CoverageCase:
    level = float(np.exp(rng.uniform(*np.log(_CASE_LEVEL))))
    weekdays = (int(rng.integers(0, 7)) + np.arange(days)) % 7
    trend = np.exp(rng.uniform(np.log(0.5), np.log(2.0)) * np.arange(days) / days)
    mean = level * _weekly(rng)[weekdays] * trend * _wiggle(rng, days)
    collected = np.ones(days, dtype=bool)
    duration = int(rng.integers(_CASE_DURATION[0], _CASE_DURATION[1] + 1))
    begin = 0
    if kind in ("late start", "thin start"):
        begin = int(rng.integers(60 if kind == "late start" else 120, days - 150))
        if kind == "late start":
            mean[:begin] = 0.0
        else:
            mean[:begin] *= rng.uniform(*_THIN)
            collected[:begin] = False
        start = begin + int(rng.integers(_AFTER_START[0], _AFTER_START[1] + 1))
    elif kind == "collection gap":
        gap = int(rng.integers(100, days - 80))
        length = int(rng.integers(_GAP[0], _GAP[1] + 1))
        collected[gap : gap + length] = False
        allowed = [d for d in range(MIN_START, days - duration) if _clear(d, duration, gap, length)]
        start = int(rng.choice(allowed))
    else:
        end = days - int(rng.integers(20, 121))
        collected[end:] = False
        start = int(rng.integers(MIN_START, max(MIN_START + 1, end - duration - 14)))
    duration = min(duration, days - start)
    span = (start, start + duration) if planted else None
    mean = mean * _bursts(rng, days, _BURSTS_PER_YEAR, span)
    blackout = None
    depth = float(rng.uniform(*_CASE_DEPTH))
    if span is not None:
        expected = float(mean[span[0] : span[1]].sum())
        blackout = PlantedBlackout(row, span[0], span[1], depth, level, expected, span[1] >= days)
        mean[span[0] : span[1]] *= 1.0 - depth
    if kind != "thin start":
        mean[~collected] = 0.0  # a gap or the end of the export: no record at all
    theta = float(np.exp(rng.uniform(np.log(_THETA[0]), np.log(_THETA[1]))))
    counts = rng.poisson(mean * rng.gamma(theta, 1.0 / theta, days)).astype(np.int64)
    return CoverageCase(kind, counts, weekdays.astype(np.int64), collected, begin, blackout)


def _clear(start: int, duration: int, gap: int, length: int) -> bool:
    """A drop at ``start`` stays 14 days clear of the gap, and 35 days after its end."""
    return start + duration + 14 <= gap or start >= gap + length + 35

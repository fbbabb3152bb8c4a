"""The expected count of each day of a series, learnt from the days before it only.

See ``veille.analyze.blackouts`` for the method: a level (median of weekly totals) times a
weekday factor, with a floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from veille.analyze.shift_settings import DetectorSettings

__all__ = ["Baseline"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Baseline:
    """Internal helper: the expected count per day, from the days before it."""

    level: Floats  # (n + 1,) posts/day; entry n is the level after the last day
    recent: Floats  # (n + 1,) the recent level alone (level_weeks)
    clipped: Floats  # (n,) counts with bursts clipped, for the weekday profile
    mu: Floats  # (n,) expected count per day
    s: DetectorSettings

    @classmethod
    def of(cls, x: Floats, s: DetectorSettings, drop: bool) -> Baseline:
        n = x.size
        recent = _rolling_level(x, s.level_weeks, s.history_days)
        level = recent
        if s.reference_weeks > s.level_weeks:
            # After a campaign of a few weeks the recent level is high and the return to
            # normal would read as a drop: a drop must also be one against the longer past.
            reference = _rolling_level(x, s.reference_weeks, s.history_days)
            level = np.minimum(recent, reference) if drop else np.maximum(recent, reference)
        clipped = np.minimum(x, s.burst_cap * (recent[:n] + 1.0))
        mu = np.maximum(level[:n] * _own_weekday_factor(clipped, s), s.level_floor)
        return cls(level, recent, clipped, mu, s)

    def frozen(self, start: int, wd: Ints) -> Floats:
        """Expected counts from ``start`` on, with level and profile as they were at start."""
        s = self.s
        span = 7 * min(s.profile_weeks, start // 7)
        week = wd[start - span : start]
        totals = np.bincount(week, weights=self.clipped[start - span : start], minlength=7)
        factors = 7.0 * (totals + s.profile_prior) / (totals.sum() + 7.0 * s.profile_prior)
        level = float(self.level[start])
        return np.asarray(np.maximum(level * factors[wd[start:]], s.level_floor))


@lru_cache(maxsize=32)
def _week_grid(n: int, weeks: int, first: int) -> tuple[Ints, npt.NDArray[np.bool_], Ints, Ints]:
    """Index arrays for :func:`_rolling_level`, shared by every series of the same length."""
    t = np.arange(first, n + 1)
    ends = t[:, None] - 7 * np.arange(weeks)[None, :]  # week k covers [ends - 7, ends)
    valid = ends >= 7
    k = valid.sum(axis=1)  # at least first // 7 >= 1 whole weeks
    rows = np.arange(t.size)
    low = rows * weeks + (k - 1) // 2  # flat positions of the two middle totals
    high = rows * weeks + k // 2
    arrays = (np.where(valid, ends, 7), ~valid, low, high)
    for array in arrays:
        array.setflags(write=False)
    return arrays


def _rolling_level(x: Floats, weeks: int, first: int) -> Floats:
    """Median weekly total / 7 over the whole weeks before each day t in [first, n]."""
    n = x.size
    safe, invalid, low, high = _week_grid(n, weeks, first)
    cum = np.concatenate(([0.0], np.cumsum(x)))
    totals = cum[safe] - cum[safe - 7]
    totals[invalid] = np.inf  # sorts last
    totals.sort(axis=1)
    flat = totals.ravel()
    median = (flat[low] + flat[high]) / 14.0
    # Before `first` nothing is judged; the first level stands in (it only clips bursts).
    return np.asarray(np.concatenate((np.full(first, median[0]), median)), dtype=np.float64)


def _own_weekday_factor(x: Floats, s: DetectorSettings) -> Floats:
    """Per day: 7 x its weekday's share of the whole weeks before it, shrunk towards 1.

    Days are consecutive, so day t's weekday falls on t - 7, t - 14, ...: a cumulative sum
    along each residue mod 7 gives the weekday's total over any whole number of weeks.
    """
    n = x.size
    rows = -(-n // 7)
    padded = np.zeros(7 * (rows + 1))
    padded[7 : 7 + n] = x  # a zero week first, so "before day 0" is an index too
    same_day = padded.reshape(rows + 1, 7).cumsum(axis=0).ravel()
    cum = np.concatenate(([0.0], np.cumsum(x)))
    t = np.arange(n)
    span = 7 * np.minimum(s.profile_weeks, t // 7)  # whole weeks: each weekday counts equally
    own = same_day[t] - same_day[t - span]  # same_day[t] sums the same weekday before t
    total = cum[t] - cum[t - span]
    prior = s.profile_prior
    return np.asarray(7.0 * (own + prior) / (total + 7.0 * prior), dtype=np.float64)

"""The expected count of each day of a series, learnt from the days before it only.

See ``veille.analyze.blackouts`` for the method: a level (median of weekly totals) times a
weekday factor, with a floor. The days are the days *with data*: a series whose coverage has
gaps is passed without them, so "the last 8 weeks" are the last 56 days with data and the
weekdays need not advance one at a time.
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
    def of(cls, x: Floats, wd: Ints, s: DetectorSettings, drop: bool) -> Baseline:
        n = x.size
        recent = _rolling_level(x, s.level_weeks, s.history_days)
        level = recent
        if s.reference_weeks > s.level_weeks:
            # After a campaign of a few weeks the recent level is high and the return to
            # normal would read as a drop: a drop must also be one against the longer past.
            reference = _rolling_level(x, s.reference_weeks, s.history_days)
            level = np.minimum(recent, reference) if drop else np.maximum(recent, reference)
        clipped = np.minimum(x, s.burst_cap * (recent[:n] + 1.0))
        mu = np.maximum(level[:n] * _own_weekday_factor(clipped, wd, s), s.level_floor)
        return cls(level, recent, clipped, mu, s)

    def frozen(self, start: int, wd: Ints) -> Floats:
        """Expected counts from ``start`` on, with level and profile as they were at start."""
        s = self.s
        span = 7 * min(s.profile_weeks, start // 7)
        week = wd[start - span : start]
        totals = np.bincount(week, weights=self.clipped[start - span : start], minlength=7)
        factors = 7.0 * (totals + s.profile_prior) / (totals.sum() + 7.0 * s.profile_prior)
        seen = np.bincount(week, minlength=7)
        if np.any(7 * seen != span):  # a gap left weekdays unevenly represented: per-day means
            share = np.divide(span, 7.0 * seen, out=np.full(7, np.nan), where=seen > 0)
            factors = np.where(seen > 0, factors * share, 1.0)
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


def _own_weekday_factor(x: Floats, wd: Ints, s: DetectorSettings) -> Floats:
    """Per day: 7 x its weekday's share of the whole weeks before it, shrunk towards 1.

    On consecutive days, day t's weekday falls on t - 7, t - 14, ...: a cumulative sum along
    each residue mod 7 gives the weekday's total over any whole number of weeks. Across a gap
    the weekdays of the last 7k days with data are not all equally represented, so each
    weekday's total is divided by its own number of days (:func:`_uneven_weekday_factor`).
    """
    n = x.size
    if n > 1 and np.any((np.diff(wd) - 1) % 7):
        return _uneven_weekday_factor(x, wd, s)
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


def _uneven_weekday_factor(x: Floats, wd: Ints, s: DetectorSettings) -> Floats:
    """:func:`_own_weekday_factor` when gaps were taken out: (own + prior) / own days, over
    (total + 7 prior) / days, which is the same thing when every weekday has span / 7 days."""
    n = x.size
    onehot = wd[None, :] == np.arange(7)[:, None]  # (7, n)
    own_sum = np.zeros((7, n + 1))
    own_sum[:, 1:] = np.cumsum(onehot * x, axis=1)
    own_days = np.zeros((7, n + 1))
    own_days[:, 1:] = np.cumsum(onehot, axis=1)
    cum = np.concatenate(([0.0], np.cumsum(x)))
    t = np.arange(n)
    span = 7 * np.minimum(s.profile_weeks, t // 7)
    own = own_sum[wd, t] - own_sum[wd, t - span]
    days = own_days[wd, t] - own_days[wd, t - span]
    total = cum[t] - cum[t - span]
    prior = s.profile_prior
    ratio = np.divide(span, days, out=np.zeros(n), where=days > 0)
    factor = (own + prior) * ratio / (total + 7.0 * prior)
    return np.asarray(np.where(days > 0, factor, 1.0), dtype=np.float64)

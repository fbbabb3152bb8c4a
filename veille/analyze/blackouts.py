"""Blackouts: sustained drops (or rises) of a series' daily post count against its own baseline.

Method: a one-sided negative-binomial CUSUM (Page 1954; the Poisson form is Lucas 1985) on a
weekday-aware baseline learnt from data *before* each day only, as
``shared/notes/change-points.md`` describes under "Seasonal baseline + count test" and "CUSUM".
Offline segmenters (PELT, binary segmentation) were set aside: they fit segments over the
span that contains the drop, need a tuned penalty per series length, and give no alarm day;
the CUSUM gives the alarm day (hence the detection delay), the start (its last reset) and
runs in a few vectorised passes per series. As the note draws from TCPDBench, the series is
deseasonalised first and the threshold was tuned once against a false-alarm budget
(``bench/blackouts.py --tune``), never per series.

**Days with data.** A zero is evidence of a drop only on a day the series' sources collected
(``covered``; ``veille.analyze.coverage`` works it out from the sources): days before a
collection starts, in a gap of it or after the export ends are *no data*, and are taken out
before anything is computed, so "the last 8 weeks" are the last 56 days with data. A drop is
also judged only from the series' own first post: before it the series did not exist (a
channel not yet created, a place nobody named yet). Indices in the result are still the
calendar's. (A rise is judged on every covered day: a series appearing is a rise.)

**Minimum evidence** (the rule that decides which days are judged for a drop): a day is
judged only when at least ``history_days`` days with data of the series lie before it *and*
its baseline level (below) reaches ``min_mean`` posts a day; on other days the chart neither
gains nor loses. So a baseline never rests on a long run of zeros or a stray post: before
this rule, ``level_floor`` (0.1 post/day, a numerical guard) served as the expected count of
a series with no posts yet, and 172 days of zeros before a series began summed to an alarm
(``[0]*200 + [5]*100`` read as a drop from day 28, confidence 0.99999996). Below one post a
day a drop takes too long to tell from noise (see *Too sparse*); on planted series the rule
costs recall only on series of 1-5 posts a day (0.43 to 0.39 within 5 days), none on the goal.

**Baseline for day t** (only days with data before t are used):

- level: the median of the last ``level_weeks`` weekly totals, divided by 7. Weekly totals
  sum over the weekly cycle, and the median ignores a burst (or the first weeks of a drop)
  until it covers half the window. For drops, the lower of that and the same median over
  ``reference_weeks`` (for rises, the higher): a campaign of a few weeks lifts the recent
  median, and the return to normal after it must not read as a drop (nor, for rises, the
  return after a dip as a rise);
- weekday factor: the share of the last ``profile_weeks`` whole weeks' posts that fell on
  t's weekday, times 7, with ``profile_prior`` pseudo-posts per weekday pulling a sparse
  profile towards flat; days above ``burst_cap * (level + 1)`` are clipped first;
- expected count ``mu0[t] = max(level * factor, level_floor)``.

**Noise**: negative binomial, ``var = mu + phi * mu²``, one ``phi`` per series from the
Pearson residuals against the baseline, winsorised at 3 so bursts do not inflate it.

**Detection** of a drop (a rise is symmetric): the CUSUM of the NB log-likelihood ratio of
``drop_ratio * mu0`` against ``mu0``, each day's term clipped to ``±threshold /
drop_min_days`` so no fewer than ``drop_min_days`` days can raise an alarm (a single zero
day, a single spike). The alarm is the first day the sum reaches ``threshold``; the shift
starts the day after the sum's last reset. The end is found by a second CUSUM from the day
after the alarm, "back to the baseline" against "still at the observed ratio"; its last
reset is the first day back. With no return, the shift is ``ongoing`` and ends at
``len(counts)``. The start is then refined: the day, from ``_REFINE_DAYS`` before the
reset up to the alarm, that maximises the summed log-likelihood ratio up to the alarm for
the ratio actually observed over the shift rather than the designed one. During the shift
the baseline is frozen at its value on the start day.

A candidate is kept when its depth reaches ``min_depth`` and its ``confidence`` reaches
``min_confidence``; ``confidence`` is 1 minus the NB tail probability of the observed total
over ``[start, end)`` given the frozen baseline (moment-matched NB for the sum; for a drop
the lower tail, for a rise the upper). It is not corrected for the search, so read it as a
ranking, not a p-value. Then the shift's days are replaced by their expected counts (so they
do not drag the baseline down) and the CUSUM restarts at the end.

**Too sparse**: fewer than ``history_days + 7`` days with data, or (for a drop) no day whose
baseline level reaches ``min_mean``, (for a rise) no ``level_weeks`` stretch whose median
weekly total reaches ``7 * min_mean`` posts. Below one post a day a drop takes too
long to tell from noise: P(d zero days | mean m/day) = e^(-m d), so at m = 1 it takes five
silent days to reach p < 0.01, and a partial drop many more.

Speed (``bench/blackouts.py``): about 2,800 series of 365 days per second on one core (measured
before coverage; the days-with-data step costs 10-20 % more).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special  # type: ignore[import-untyped]

from veille.analyze.shift_settings import DetectorSettings
from veille.analyze.weekday_baseline import Baseline

__all__ = ["DetectorSettings", "Shift", "Verdict", "detect_shifts"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

_WINSOR = 3.0  # Pearson residuals beyond ±3 count as ±3 when estimating phi
_WINSOR_MEAN = 0.9950  # E[min(Z², 9)] for a standard normal Z
_RATIO_FLOOR = 0.05  # the "still dropped" level of the end test, even after a total blackout
_RATIO_CEILING = 20.0
_REFINE_DAYS = 14  # how far before the CUSUM's last reset the start may move
_DEFAULTS = DetectorSettings()  # frozen, so one shared default is safe


@dataclass(frozen=True, slots=True)
class Shift:
    """One sustained shift of the daily count against the series' own baseline."""

    direction: str  # "drop" | "rise"
    start: int  # index of the first day of the shift
    end: int  # one past the last day (ongoing: one past the last day with data)
    ongoing: bool
    depth: float  # drop: 1 - observed/expected, in [0, 1]; rise: observed/expected - 1
    expected: float  # expected total over the same days, from the frozen baseline
    observed: int  # observed total over the days with data in [start, end)
    confidence: float  # 1 - NB tail probability of `observed` (see module docstring)
    alarm: int  # day the CUSUM first reached the threshold (alarm - start = delay)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What :func:`detect_shifts` concluded about one series."""

    status: str  # "shift" | "steady" | "too sparse"
    shifts: tuple[Shift, ...]
    baseline_mean: float  # posts/day expected over the days judged (whole series if too sparse)
    reason: str
    judged_days: int = 0  # days judged: with data, enough history and a baseline to judge by
    first_judged: int | None = None  # index of the first of them


def _validate(counts: npt.ArrayLike, weekdays: npt.ArrayLike | None) -> tuple[Floats, Ints]:
    x = np.asarray(counts)
    if x.ndim != 1:
        raise ValueError(f"counts must be one-dimensional, got shape {x.shape}")
    if x.size and (x.dtype.kind not in "iuf" or not np.all(np.isfinite(x))):
        raise ValueError("counts must be finite numbers")
    x = x.astype(np.float64)
    if np.any(x < 0) or np.any(x != np.floor(x)):
        raise ValueError("counts must be non-negative whole numbers")
    if weekdays is None:
        wd = np.arange(x.size, dtype=np.int64) % 7
    else:
        wd = np.asarray(weekdays)
        if wd.shape != x.shape or (wd.size and wd.dtype.kind not in "iu"):
            raise ValueError("weekdays must be integers, one per day")
        wd = wd.astype(np.int64)
        if np.any((wd < 0) | (wd > 6)):
            raise ValueError("weekdays must lie in 0..6")
        if np.any((np.diff(wd) - 1) % 7):
            raise ValueError("weekdays must advance one day at a time (consecutive days)")
    return x, wd


def _dispersion(x: Floats, mu: Floats, s: DetectorSettings) -> float:
    """NB phi from winsorised Pearson residuals: a few moment iterations."""
    busy = mu >= 1.0
    if busy.sum() < 28:
        return s.dispersion_default
    x, mu = x[busy], mu[busy]
    mu2 = mu * mu
    sq = (x - mu) ** 2
    phi = s.dispersion_default
    for _ in range(4):
        var = mu + phi * mu2
        excess = np.minimum(sq, _WINSOR**2 * var) / _WINSOR_MEAN - mu
        phi = float(np.clip(excess.sum() / mu2.sum(), 0.0, s.dispersion_max))
    return phi


def _llr(x: Floats, mu_alt: Floats, mu_null: Floats, phi: float) -> Floats:
    """Per-day NB log-likelihood ratio, mean ``mu_alt`` against ``mu_null``, same phi."""
    theta = 1.0 / max(phi, 1e-9)  # phi -> 0 is the Poisson ratio x ln(a/b) - (a - b)
    step = np.log1p((mu_alt - mu_null) / (mu_null + theta))
    return np.asarray(x * (np.log(mu_alt / mu_null) - step) - theta * step, dtype=np.float64)


def _first_alarm(z: Floats, threshold: float) -> tuple[int, int] | None:
    """(start, alarm) of the first CUSUM alarm on increments ``z``, or None.

    S_t = max(0, S_{t-1} + z_t) equals C_t - min(0, C_1..C_t) with C the cumulative sum, so
    the whole chart is two numpy scans; the start is the day after the last minimum.
    """
    cum = np.concatenate(([0.0], np.cumsum(z)))
    hits = np.flatnonzero(cum - np.minimum.accumulate(cum) >= threshold)
    if hits.size == 0:
        return None
    i = int(hits[0])
    last_min = i - int(np.argmin(cum[i::-1]))  # argmin of the reversed: the latest minimum
    return last_min, i - 1


def _tail(observed: float, mu: Floats, phi: float, lower: bool) -> float:
    """P(total <= observed) (lower) or P(total >= observed) of a sum of NB days."""
    mean = float(mu.sum())
    excess = phi * float((mu * mu).sum())
    if excess <= 1e-9 * mean:  # Poisson
        if lower:
            return float(special.gammaincc(observed + 1.0, mean))
        return 1.0 if observed <= 0 else float(special.gammainc(observed, mean))
    theta = mean * mean / excess  # NB with the sum's mean and variance
    p = theta / (theta + mean)
    if lower:
        return float(special.betainc(theta, observed + 1.0, p))
    return 1.0 if observed <= 0 else float(special.betainc(observed, theta, 1.0 - p))


def _end(
    x: Floats,
    expected: Floats,
    start: int,
    alarm: int,
    ratio: float,
    phi: float,
    s: DetectorSettings,
    min_days: int,
) -> int:
    """First day back at the baseline after ``alarm``, or len(x) if it never returns."""
    seen = float(x[start : alarm + 1].sum()) / float(expected[: alarm + 1 - start].sum())
    # "Still shifted" means at least as far off as the designed ratio, so a mild shift
    # does not make every ordinary day look like a return.
    if ratio < 1.0:
        level = float(np.clip(seen, _RATIO_FLOOR, ratio))
    else:
        level = float(np.clip(seen, ratio, _RATIO_CEILING))
    mu0 = expected[alarm + 1 - start :]
    cap = s.end_threshold / min_days
    z = np.clip(_llr(x[alarm + 1 :], mu0, level * mu0, phi), -cap, cap)
    back = _first_alarm(z, s.end_threshold)
    return x.size if back is None else alarm + 1 + back[0]


def _refine_start(
    x: Floats,
    mu: Floats,
    judged: Bools,
    expected: Floats,
    pos: int,
    start: int,
    alarm: int,
    phi: float,
    cap: float,
    drop: bool,
) -> int:
    """The likeliest start given the shift's observed ratio, not the ratio designed for.

    With a designed drop of 50 %, a few low days before a 90 % drop keep the CUSUM above 0
    and its last reset comes early; the chart's change-point estimate with the ratio seen
    over the shift (the argmax over starts of the summed log-likelihood ratio up to the alarm)
    does not.
    """
    seen = float(x[start : start + expected.size].sum() / expected.sum())
    ratio = min(max(seen, _RATIO_FLOOR), 0.95) if drop else max(min(seen, _RATIO_CEILING), 1.05)
    low = max(pos, start - _REFINE_DAYS)
    days = slice(low, alarm + 1)
    z = np.clip(_llr(x[days], ratio * mu[days], mu[days], phi), -cap, cap)
    z[~judged[days]] = 0.0  # as in the chart: a day not judged is no evidence
    cum = np.concatenate(([0.0], np.cumsum(z)))
    # The sum from day k to the alarm is cum[-1] - cum[k]: largest at the latest minimum of cum.
    return low + cum.size - 2 - int(np.argmin(cum[-2::-1]))


def detect_shifts(
    counts: npt.ArrayLike,
    weekdays: npt.ArrayLike | None = None,
    direction: str = "drop",
    settings: DetectorSettings = _DEFAULTS,
    covered: npt.ArrayLike | None = None,
) -> Verdict:
    """Sustained drops (or rises) of ``counts`` against its weekday-aware baseline.

    ``counts``: one whole number per consecutive day, zeros included. ``weekdays``: 0..6 per
    day, advancing by one each day (None: ``index % 7``). ``direction``: "drop" or "rise".
    ``covered``: one bool per day, False where the series' sources collected nothing (before
    they started, in a collection gap, after the export ended): those days are no data, never
    a drop (None: every day). Shifts and ``first_judged`` are indices into ``counts``.
    Raises ValueError on malformed input; any non-negative whole counts give a Verdict.
    """
    if direction not in ("drop", "rise"):
        raise ValueError(f'direction must be "drop" or "rise", got {direction!r}')
    x, wd = _validate(counts, weekdays)
    drop = direction == "drop"
    days = _days_with_data(x, covered, drop)
    return _on_calendar(_detect(x[days], wd[days], drop, settings), days)


def _days_with_data(x: Floats, covered: npt.ArrayLike | None, drop: bool) -> Ints:
    """The days a series is judged on: covered ones and, for a drop, from its first post on."""
    mask = np.ones(x.size, dtype=bool)
    if covered is not None:
        given = np.asarray(covered)
        if given.shape != x.shape or (given.size and given.dtype.kind != "b"):
            raise ValueError("covered must be booleans, one per day")
        mask = given.astype(bool)
    if drop:
        # Before its first post the series did not exist (a channel not yet created, a place
        # nobody named yet): its zeros there say nothing about a drop.
        mask &= np.cumsum(x * mask) > 0
    return np.flatnonzero(mask)


def _on_calendar(verdict: Verdict, days: Ints) -> Verdict:
    """A verdict on the days with data, with its indices put back on the whole calendar."""
    if days.size == 0:
        return verdict

    def at(i: int) -> int:
        return int(days[i]) if i < days.size else int(days[-1]) + 1

    shifts = tuple(
        replace(shift, start=at(shift.start), end=at(shift.end), alarm=at(shift.alarm))
        for shift in verdict.shifts
    )
    first = None if verdict.first_judged is None else at(verdict.first_judged)
    return replace(verdict, shifts=shifts, first_judged=first)


def _judged(base: Baseline, n: int, s: DetectorSettings, drop: bool) -> Bools:
    """Days with enough history, and for drops a baseline of at least ``min_mean`` posts/day."""
    enough = np.arange(n) >= s.history_days
    return enough & (base.level[:n] >= s.min_mean) if drop else enough


def _detect(x: Floats, wd: Ints, drop: bool, s: DetectorSettings) -> Verdict:
    """:func:`detect_shifts` on the days with data only (consecutive in ``x``)."""
    n = x.size
    if not x.any():
        return Verdict("too sparse", (), 0.0, "no posts at all on the days with data")
    if n < s.history_days + 7:
        return Verdict(
            "too sparse",
            (),
            float(x.mean()),
            f"only {n} days with data: need {s.history_days} days of history and a week to judge",
        )
    base = Baseline.of(x, wd, s, drop)
    judged = _judged(base, n, s, drop)
    # Drops: the lower of the recent and reference levels must reach min_mean on a day for it
    # to be judged; rises keep the series-wide rule (a rise from nothing is still a rise).
    levels = base.level[s.history_days : n] if drop else base.recent[s.history_days :]
    busiest = float(levels.max())
    if busiest < s.min_mean:
        what = "no posts at all" if not x.any() else f"at most {busiest:.2f} posts/day"
        return Verdict(
            "too sparse",
            (),
            float(x.mean()),
            f"{what} over any {s.level_weeks} weeks (median weekly total); below "
            f"{s.min_mean:g} posts/day a drop cannot be told from noise",
        )
    ratio = s.drop_ratio if drop else s.rise_ratio
    min_days = s.drop_min_days if drop else s.rise_min_days
    cap = s.threshold / min_days
    phi = _dispersion(x[s.history_days :], base.mu[s.history_days :], s)
    clean = x.copy()
    shifts: list[Shift] = []
    pos = s.history_days
    while pos < n:
        mu = base.mu[pos:]
        z = np.clip(_llr(x[pos:], ratio * mu, mu, phi), -cap, cap)
        z[~judged[pos:]] = 0.0  # no evidence either way on a day without a judged baseline
        hit = _first_alarm(z, s.threshold)
        if hit is None:
            break
        start, alarm = pos + hit[0], pos + hit[1]
        expected = base.frozen(start, wd)
        end = _end(x, expected, start, alarm, ratio, phi, s, min_days)
        start = _refine_start(
            x, base.mu, judged, expected[: end - start], pos, start, alarm, phi, cap, drop
        )
        expected = base.frozen(start, wd)
        shift = _describe(x, expected[: end - start], start, end, alarm, phi, drop)
        if shift.depth >= s.min_depth and shift.confidence >= s.min_confidence:
            shifts.append(shift)
            clean[start:end] = expected[: end - start]  # the baseline must not learn the shift
            base = Baseline.of(clean, wd, s, drop)
            judged = _judged(base, n, s, drop)
        pos = end
    mean = float(base.mu[judged].mean()) if judged.any() else float(x.mean())
    first = int(np.argmax(judged)) if judged.any() else None
    word = "drop" if drop else "rise"
    if shifts:
        reason = f"{len(shifts)} sustained {word}(s) against the weekday baseline"
        return Verdict("shift", tuple(shifts), mean, reason, int(judged.sum()), first)
    reason = f"no sustained {word} against the weekday baseline (phi={phi:.2f})"
    return Verdict("steady", (), mean, reason, int(judged.sum()), first)


def _describe(
    x: Floats, expected: Floats, start: int, end: int, alarm: int, phi: float, drop: bool
) -> Shift:
    observed = int(x[start:end].sum())
    total = float(expected.sum())
    ratio = observed / total
    depth = min(1.0, max(0.0, 1.0 - ratio)) if drop else max(0.0, ratio - 1.0)
    tail = _tail(float(observed), expected, phi, lower=drop)
    return Shift(
        direction="drop" if drop else "rise",
        start=start,
        end=end,
        ongoing=end == x.size,
        depth=depth,
        expected=total,
        observed=observed,
        confidence=min(1.0, max(0.0, 1.0 - tail)),
        alarm=alarm,
    )

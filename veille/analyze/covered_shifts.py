"""Shifts of a series on the days its sources cover (``veille.analyze.coverage``).

Drops: each stretch where the same major sources collect is judged on its own history
(``detect_shifts`` with the days of no data masked), and the verdicts are put together.
Rises: one pass over the whole calendar with gaps and the days after the export masked, but
the days before the series' sources began counted as zeros: a series that appears is a rise
(a new channel taking over from a banned one), while one that ends with its export is no drop.
Not when its coverage opens with a collection: a Telegram account export beginning months
after a Twitter scrape would make each of its channels "appear" on the export's first day.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from veille.analyze.blackouts import DetectorSettings, Shift, Verdict, detect_shifts
from veille.analyze.coverage import SeriesCoverage

__all__ = ["covered_shifts", "rise_mask"]


def rise_mask(coverage: SeriesCoverage) -> npt.NDArray[np.bool_]:
    """Days a rise is judged on: covered ones, and the days before the coverage begins when it
    begins with a chat or account exported alone (the series appeared) and no major source was
    collecting them thinly (a thin collection filling in is no rise)."""
    mask = coverage.covered.copy()
    if coverage.opened_by_collection:
        return mask
    first = coverage.first
    before = slice(0, 0 if first is None else first)
    mask[before] = True if coverage.missing is None else ~coverage.missing[before]
    return mask


def covered_shifts(
    counts: npt.ArrayLike,
    weekdays: npt.ArrayLike,
    coverage: SeriesCoverage,
    direction: str,
    settings: DetectorSettings,
) -> Verdict:
    """:func:`detect_shifts` on the covered days of ``counts`` (indices on its calendar)."""
    x = np.asarray(counts)
    wd = np.asarray(weekdays)
    if direction == "rise":
        return detect_shifts(x, wd, "rise", settings, covered=rise_mask(coverage))
    if not coverage.segments:
        return Verdict("too sparse", (), 0.0, "its sources cover no day")
    verdicts = []
    for start, end in coverage.segments:
        found = detect_shifts(
            x[start:end], wd[start:end], direction, settings, coverage.covered[start:end]
        )
        verdicts.append((start, found))
    return _together(verdicts)


def _together(verdicts: list[tuple[int, Verdict]]) -> Verdict:
    """One verdict from the verdicts on each stretch (``(offset, verdict)``)."""
    if len(verdicts) == 1 and verdicts[0][0] == 0:
        return verdicts[0][1]
    shifts: list[Shift] = []
    judged = 0
    weighted = 0.0
    first: int | None = None
    for offset, verdict in verdicts:
        shifts.extend(
            replace(s, start=s.start + offset, end=s.end + offset, alarm=s.alarm + offset)
            for s in verdict.shifts
        )
        judged += verdict.judged_days
        weighted += verdict.baseline_mean * verdict.judged_days
        if first is None and verdict.first_judged is not None:
            first = verdict.first_judged + offset
    statuses = [verdict.status for _, verdict in verdicts]
    status = "shift" if shifts else "steady" if "steady" in statuses else "too sparse"
    if judged:
        mean = weighted / judged
    else:
        mean = float(np.mean([verdict.baseline_mean for _, verdict in verdicts]))
    stretches = f"{len(verdicts)} stretches of coverage" if len(verdicts) > 1 else "its coverage"
    reasons = "; ".join(dict.fromkeys(v.reason for _, v in verdicts if v.status == status))
    return Verdict(status, tuple(shifts), mean, f"{reasons} (judged on {stretches})", judged, first)

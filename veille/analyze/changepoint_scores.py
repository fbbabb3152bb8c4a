"""Scores for change-point detectors, as ``shared/notes/change-points.md`` "Evaluation" defines.

- :func:`f_measure`: TCPDBench's F1 with a margin (van den Burg & Williams, arXiv:2003.06222):
  index 0 is added to every annotator's set and to the detector's; true positives are
  matched one to one, each true change (in increasing order) taking the closest remaining
  detection within ``margin`` (ties: the earlier); precision is against the union of the
  annotators, recall the mean over annotators. The added 0 gives a silent detector a high
  score, so :func:`precision_recall` gives the same matching without it.
- :func:`matches`: the (true, found) pairs of that matching, for delays.
- :func:`delays`, :func:`delay_summary`: alarm day - true start for matched detections.
- :func:`false_alarms_per_year`: alarms on control series or spans per series-year.

Pure functions on lists of day indices.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Counts",
    "Scores",
    "delay_summary",
    "delays",
    "f_measure",
    "false_alarms_per_year",
    "matches",
    "pooled",
    "precision_recall",
]


@dataclass(frozen=True, slots=True)
class Scores:
    f1: float
    precision: float
    recall: float


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched, found and true changes, to pool over series before dividing."""

    matched: int
    found: int
    true: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.matched + other.matched, self.found + other.found, self.true + other.true
        )

    @property
    def precision(self) -> float:
        """matched / found; NaN when nothing was found (precision is undefined)."""
        return self.matched / self.found if self.found else math.nan

    @property
    def recall(self) -> float:
        """matched / true; NaN when there was nothing to find."""
        return self.matched / self.true if self.true else math.nan


def matches(true: Iterable[int], found: Iterable[int], margin: int) -> list[tuple[int, int]]:
    """One-to-one (true, found) pairs: each true change, in order, takes the closest left."""
    left = sorted(set(found))
    pairs = []
    for tau in sorted(set(true)):
        close = [(abs(tau - x), x) for x in left if abs(tau - x) <= margin]
        if close:
            _, best = min(close)
            pairs.append((tau, best))
            left.remove(best)
    return pairs


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def f_measure(annotations: Sequence[Iterable[int]], found: Iterable[int], margin: int) -> Scores:
    """TCPDBench F1, precision and recall: 0 added to each set (see the module docstring)."""
    if not annotations:
        raise ValueError("f_measure needs at least one annotator's set (it may be empty)")
    sets = [set(a) | {0} for a in annotations]
    predicted = set(found) | {0}
    union = set().union(*sets)
    precision = len(matches(union, predicted, margin)) / len(predicted)
    recall = sum(len(matches(t, predicted, margin)) / len(t) for t in sets) / len(sets)
    return Scores(_f1(precision, recall), precision, recall)


def pooled(true: Iterable[int], found: Iterable[int], margin: int) -> Counts:
    """The counts behind :func:`precision_recall`, without the added 0, to sum over series."""
    truth, predicted = set(true), set(found)
    return Counts(len(matches(truth, predicted, margin)), len(predicted), len(truth))


def precision_recall(true: Iterable[int], found: Iterable[int], margin: int) -> Scores:
    """F1, precision and recall without the added 0. Undefined ratios (0/0) are NaN."""
    counts = pooled(true, found, margin)
    p, r = counts.precision, counts.recall
    f1 = math.nan if math.isnan(p) or math.isnan(r) else _f1(p, r)
    return Scores(f1, p, r)


def delays(
    true: Iterable[int], found: Sequence[int], alarms: Sequence[int], margin: int
) -> list[int]:
    """alarm - true start for each detection matched (by its start) to a true start.

    ``found[i]`` is a detection's start and ``alarms[i]`` the day it was raised.
    """
    if len(found) != len(alarms):
        raise ValueError("found and alarms must have one entry per detection")
    alarm_of: dict[int, int] = {}
    for start, alarm in zip(found, alarms, strict=True):
        alarm_of.setdefault(start, alarm)  # two detections cannot share a start in practice
    return [alarm_of[x] - tau for tau, x in matches(true, found, margin)]


def _quantile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def delay_summary(values: Sequence[float]) -> tuple[float, float]:
    """(median, 90th percentile) of delays; NaN for both when there are none."""
    if not values:
        return math.nan, math.nan
    return _quantile(values, 0.5), _quantile(values, 0.9)


def false_alarms_per_year(alarms: int, days: int) -> float:
    """Alarms on changeless series or spans per series-year (365 days); NaN for no days."""
    if days < 0 or alarms < 0:
        raise ValueError("alarms and days must be non-negative")
    return alarms / (days / 365) if days else math.nan

"""What a blackout is compared with: series of the same kind, and the platforms, over the same days.

A series is comparable when its sources covered at least half of the 4 weeks before the
drop and ``DURING_COVERED`` of the drop's days, and it averaged ``MIN_USUAL`` posts a day on
its covered days before. It *held* when it kept ``HELD`` of that level over the drop's covered
days, else it *fell too*. A drop that every comparable series shared is likelier a
collection or a platform-wide event than a local blackout, so the note says so; and when no
series is comparable, the note says that too, rather than leaving the list empty.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from veille.analyze.blackouts import Shift
from veille.analyze.daily_series import Series

__all__ = ["COMPARISONS", "compare"]

COMPARISONS = 5  # series named at most
BEFORE_DAYS = 28
DURING_COVERED = 0.8
MIN_USUAL = 1.0
HELD = 0.8


def compare(
    series: Series, shift: Shift, all_series: list[Series]
) -> tuple[list[dict[str, Any]], str]:
    """Comparable series that held their level (busiest first), and a sentence about them."""
    before = slice(max(0, shift.start - BEFORE_DAYS), shift.start)
    during = slice(shift.start, shift.end)
    held: list[dict[str, Any]] = []
    fell: list[tuple[float, str]] = []
    for other in all_series:
        if other is series or other.dimension not in (series.dimension, "platform"):
            continue
        ratio_usual = _ratio(other, before, during)
        if ratio_usual is None:
            continue
        ratio, usual = ratio_usual
        if ratio >= HELD:
            held.append(
                {
                    "series": other.name,
                    "label": other.label,
                    "before_per_day": round(usual, 2),
                    "ratio": round(ratio, 3),
                }
            )
        else:
            fell.append((usual, other.label))
    held.sort(key=lambda row: -float(row["before_per_day"]))
    fell.sort(key=lambda pair: -pair[0])
    return held[:COMPARISONS], _note(held, [label for _, label in fell])


def _ratio(other: Series, before: slice, during: slice) -> tuple[float, float] | None:
    """(level during / level before, level before) over covered days, or None if not comparable."""
    covered = other.covered.covered
    days_before = covered[before]
    days_during = covered[during]
    if days_before.size == 0 or days_during.size == 0:
        return None
    if days_before.sum() * 2 < days_before.size:
        return None
    if days_during.sum() < DURING_COVERED * days_during.size:
        return None
    usual = float(other.counts[before][days_before].mean())
    if usual < MIN_USUAL:
        return None
    return float(np.mean(other.counts[during][days_during])) / usual, usual


def _note(held: list[dict[str, Any]], fell: list[str]) -> str:
    if held:
        names = ", ".join(str(row["label"]) for row in held[:COMPARISONS])
        return f"held their level: {names}"
    if fell:
        names = ", ".join(fell[:COMPARISONS])
        return (
            f"no comparable series held its level ({names} fell too): "
            "a collection or platform-wide drop is as likely as a local blackout"
        )
    return (
        f"no comparable series: none of its kind nor any platform had data over these days "
        f"and {MIN_USUAL:g}+ posts a day over the {BEFORE_DAYS} days before"
    )

"""Small bar charts as SVG geometry for the templates (no script, no inline style)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["Bar", "Chart", "bar_chart"]


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "2016-11-14: 12"


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    first: str
    last: str
    peak: int


def bar_chart(
    counts: Sequence[tuple[date, int] | Any], width: int = 720, height: int = 80
) -> Chart:
    """Bars for (week, count) pairs, oldest first, scaled to the highest."""
    pairs = [(day, int(n)) for day, n in counts]
    if not pairs:
        return Chart(width, height, [], "", "", 0)
    peak = max(n for _, n in pairs) or 1
    step = width / len(pairs)
    bars = [
        Bar(
            x=round(i * step, 2),
            y=round(height - n / peak * height, 2),
            width=round(max(step - 1, 1), 2),
            height=round(n / peak * height, 2),
            label=f"{day}: {n:,}",
        )
        for i, (day, n) in enumerate(pairs)
    ]
    return Chart(width, height, bars, str(pairs[0][0]), str(pairs[-1][0]), peak)

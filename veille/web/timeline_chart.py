"""The timeline of a selection as SVG geometry: posts per day or week, and the findings that
fall in its span marked in lanes below (blackouts, moves, silence waves), each a link.

Geometry only, for the template: no script, no inline style. Days run left to right on one
scale, so a finding's mark lines up with the bars of the same days.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

__all__ = ["Mark", "Tick", "TimelineChart", "bucketed", "timeline_chart"]

Bucket = Literal["day", "week"]
WIDTH, BARS_HEIGHT = 960, 150
_ROW, _GAP = 9, 6  # a mark's height; the space between bars and lanes, and between lanes
DAILY_UP_TO = 120  # days: a longer span is drawn by week
_LANES = ("blackout", "move", "wave")


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str
    x: float
    y: float
    width: float
    height: float
    href: str
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class TimelineChart:
    width: int
    height: int
    bars_height: int
    bucket: Bucket
    bars: list[Bar]
    marks: list[Mark]
    ticks: list[Tick]
    ticks_y: int  # the baseline of the tick labels
    peak: int
    first: date
    last: date  # the last day drawn


def bucketed(days: Sequence[tuple[date, int]]) -> tuple[Bucket, list[tuple[date, int]]]:
    """Days as they are for a short span, else summed by week (Mondays)."""
    if not days or (days[-1][0] - days[0][0]).days <= DAILY_UP_TO:
        return "day", list(days)
    weeks: dict[date, int] = {}
    for day, count in days:
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + count
    return "week", sorted(weeks.items())


def _ticks(first: date, end: date, x: Callable[[date], float]) -> list[Tick]:
    """Month starts (years only when the span is long), labelled."""
    months = (end.year - first.year) * 12 + end.month - first.month
    step = 1 if months <= 14 else 3 if months <= 40 else 12
    ticks = []
    year, month = first.year, first.month
    while True:
        day = date(year, month, 1)
        if day >= end:
            break
        if day >= first and (month - 1) % step == 0:
            label = str(year) if step == 12 else day.strftime("%b %Y" if month == 1 else "%b")
            ticks.append(Tick(round(x(day), 1), label))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return ticks


def _rows(
    spans: list[tuple[float, float, dict[str, Any]]],
) -> list[tuple[int, tuple[float, float, dict[str, Any]]]]:
    """Each span with the first row of its lane where it overlaps none before it, so that
    findings of the same days lie one under the other and each stays clickable."""
    ends: list[float] = []
    placed = []
    for span in sorted(spans, key=lambda s: (s[0], s[1])):
        row = next((i for i, end in enumerate(ends) if end <= span[0]), len(ends))
        if row == len(ends):
            ends.append(span[1])
        else:
            ends[row] = span[1]
        placed.append((row, span))
    return placed


def timeline_chart(
    days: Sequence[tuple[date, int]], spans: Sequence[dict[str, Any]]
) -> TimelineChart | None:
    """The chart of ``days`` ((day, posts), oldest first) with the ``spans`` that overlap it
    (``veille.store.finding_view.finding_spans``); None when there is nothing to draw."""
    bucket, counts = bucketed(days)
    if not counts:
        return None
    step = timedelta(days=1 if bucket == "day" else 7)
    first, end = counts[0][0], counts[-1][0] + step  # end: the day after the last drawn
    total_days = max((end - first).days, 1)

    def x(day: date) -> float:
        return (day - first).days / total_days * WIDTH

    peak = max(n for _, n in counts) or 1
    width = WIDTH * step.days / total_days
    bars = [
        Bar(
            x=round(x(day), 2),
            y=round(BARS_HEIGHT - n / peak * BARS_HEIGHT, 2),
            width=round(max(width - 1, 1), 2),
            height=round(n / peak * BARS_HEIGHT, 2),
            label=f"{'week of ' if bucket == 'week' else ''}{day}: {n:,} posts",
        )
        for day, n in counts
    ]
    placed: dict[str, list[tuple[float, float, dict[str, Any]]]] = {k: [] for k in _LANES}
    for span in spans:
        start, last = span["start"], span["end"] or end - timedelta(days=1)
        if start is None or start >= end or last < first or span["kind"] not in placed:
            continue
        left, right = x(max(start, first)), x(min(last + timedelta(days=1), end))
        placed[span["kind"]].append((left, max(right, left + 3), span))
    marks: list[Mark] = []
    top = BARS_HEIGHT + _GAP
    for kind in _LANES:
        rows = _rows(placed[kind])
        for row, (left, right, span) in rows:
            ongoing = "" if span["end"] else ", still going"
            marks.append(
                Mark(
                    kind=kind,
                    x=round(left, 2),
                    y=top + row * (_ROW + 2),
                    width=round(right - left, 2),
                    height=_ROW,
                    href=f"/finding/{kind}/{span['number']}",
                    label=f"{span['words']}: {span['start']} to {span['end'] or '…'}{ongoing}",
                )
            )
        depth = max((row for row, _ in rows), default=-1) + 1
        top += max(depth, 1) * (_ROW + 2) + _GAP
    lanes_end = top
    return TimelineChart(
        width=WIDTH,
        height=lanes_end + 14,
        bars_height=BARS_HEIGHT,
        bucket=bucket,
        bars=bars,
        marks=marks,
        ticks=_ticks(first, end, x),
        ticks_y=lanes_end + 11,
        peak=peak,
        first=first,
        last=end - timedelta(days=1),
    )

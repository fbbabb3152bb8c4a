"""The report's timelines: one small inline SVG bar chart of posts per day per series.

Internal helper of ``veille.report.html_report``: not a stable API.

Every chart shares one calendar (the union of the series' days) so dates line up down the
page; each has its own vertical scale, since a blackout is a fall against the series' own
usual level. Blackouts are shaded bands, moves vertical markers on both series involved,
hotspots a bar along the top (one colour for places named, another for places posted
from). Case text reaches the SVG only in escaped ``<title>`` tooltips.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from veille.report.html_captions import (
    blackout_sentence,
    hotspot_label,
    hotspot_sentence,
    move_sentence,
)
from veille.report.html_parts import (
    Markup,
    bidi_flag,
    el,
    fmt_date,
    fmt_int,
    fmt_pct,
    join,
    parse_day,
    svg_num,
)

__all__ = ["SERIES_LIMIT", "Calendar", "calendar", "render_timelines", "select_series"]

SERIES_LIMIT = 12
_WIDTH, _LEFT, _RIGHT = 920.0, 44.0, 8.0
_TOP, _PLOT = 18.0, 70.0
_HEIGHT = _TOP + _PLOT + 20.0


class Calendar:
    """The days every chart spans, and where a day falls on the x axis."""

    def __init__(self, first: date, days: int) -> None:
        self.first, self.days = first, max(days, 1)
        self.step = (_WIDTH - _LEFT - _RIGHT) / self.days

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)

    def index(self, value: object) -> int | None:
        day = parse_day(value)
        return None if day is None else (day - self.first).days

    def x(self, index: float) -> float:
        return _LEFT + min(max(index, 0.0), float(self.days)) * self.step


def calendar(series: Sequence[Mapping[str, Any]]) -> Calendar | None:
    """The span of every readable day in ``series``; None when there is none."""
    days = [d for s in series for v in s.get("days") or [] if (d := parse_day(v)) is not None]
    if not days:
        return None
    return Calendar(min(days), (max(days) - min(days)).days + 1)


def _same(a: object, b: object) -> bool:
    return str(a).casefold() == str(b).casefold()


def _of(blackout: Mapping[str, Any], series: Mapping[str, Any]) -> bool:
    if blackout.get("key") is not None and series.get("key") is not None:
        return bool(
            blackout.get("dimension") == series.get("dimension")
            and blackout.get("key") == series.get("key")
        )
    return _same(blackout.get("label"), series.get("label"))


def _total(series: Mapping[str, Any]) -> int:
    return sum(int(v) for v in series.get("posts") or [] if isinstance(v, int))


def select_series(
    series: Sequence[Mapping[str, Any]],
    blackouts: Sequence[Mapping[str, Any]],
    moves: Sequence[Mapping[str, Any]],
    limit: int = SERIES_LIMIT,
) -> list[Mapping[str, Any]]:
    """Series with a finding first (in the given order), then the busiest, up to ``limit``;
    a series with a finding is always shown, even past ``limit``."""
    labels = [m.get(k) for m in moves for k in ("source_label", "target_label")]

    def flagged(s: Mapping[str, Any]) -> bool:
        return any(_of(b, s) for b in blackouts) or any(_same(lb, s.get("label")) for lb in labels)

    first = [s for s in series if flagged(s)]
    rest = sorted((s for s in series if not flagged(s)), key=_total, reverse=True)
    return first + rest[: max(limit - len(first), 0)]


def _nice(value: float) -> float:
    """The round number (1, 2 or 5 times a power of ten) at or above ``value``."""
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= value)


def _counts(series: Mapping[str, Any], cal: Calendar) -> list[float]:
    counts = [0.0] * cal.days
    for day, posts in zip(series.get("days") or [], series.get("posts") or [], strict=False):
        i = cal.index(day)
        if i is not None and 0 <= i < cal.days and isinstance(posts, int | float):
            counts[i] += max(float(posts), 0.0) if math.isfinite(posts) else 0.0
    return counts


def _bars(counts: list[float], cal: Calendar, top: float) -> Markup:
    """One bar per day; past a few hundred days, where bars would be under 3 px wide, one
    stepped outline instead (a third of the size, the same picture)."""
    base = _TOP + _PLOT

    def y(value: float) -> str:
        return svg_num(base - _PLOT * value / top)

    if cal.step >= 3:
        width, bottom = svg_num(cal.step - 1), svg_num(base)
        data = "".join(
            f"M{svg_num(cal.x(i))} {bottom}V{y(v)}h{width}V{bottom}Z"
            for i, v in enumerate(counts)
            if v > 0
        )
    else:
        steps = "".join(f"V{y(v)}H{svg_num(cal.x(i + 1))}" for i, v in enumerate(counts))
        data = f"M{svg_num(cal.x(0))} {svg_num(base)}{steps}V{svg_num(base)}Z"
    return el("path", {"class": "bars", "d": data})


def _ticks(cal: Calendar) -> Markup:
    """A tick and grid line every Monday; labels every week, or fewer when crowded."""
    first_monday = (7 - cal.first.weekday()) % 7
    every = max(1, math.ceil(46 / (7 * cal.step)))
    base = _TOP + _PLOT
    grid, labels = [], []
    for n, i in enumerate(range(first_monday, cal.days, 7)):
        x = svg_num(cal.x(i))
        grid.append(f"M{x} {svg_num(_TOP)}V{svg_num(base + 4)}")
        if n % every == 0:
            day = cal.first + timedelta(days=i)
            labels.append(
                el(
                    "text",
                    {"class": "tick", "x": x, "y": svg_num(base + 15)},
                    fmt_date(day, year=False),
                )
            )
    return join([el("path", {"class": "grid", "d": "".join(grid)}), *labels])


def _band(blackout: Mapping[str, Any], cal: Calendar, top: float, number: int) -> Markup:
    start = cal.index(blackout.get("start"))
    if start is None:
        return Markup()
    end = cal.index(blackout.get("end"))
    stop = cal.days if end is None or blackout.get("ongoing") else end + 1
    x0, x1 = cal.x(start), cal.x(stop)
    sparse = blackout.get("status") == "too sparse"
    label = "too sparse" if sparse else f"↓ {fmt_pct(blackout.get('depth'))}"
    label += f" from {fmt_date(blackout.get('start'), year=False)}"
    parts = [
        el(
            "rect",
            {
                "class": "band sparse" if sparse else "band blackout",
                "data-blackout": number,
                "x": svg_num(x0),
                "y": svg_num(_TOP),
                "width": svg_num(max(x1 - x0, 1.0)),
                "height": svg_num(_PLOT),
            },
            el("title", {}, blackout_sentence(blackout, cal.last)),
        ),
        el("text", {"class": "band-label", "x": svg_num(x0 + 3), "y": svg_num(_TOP - 4)}, label),
    ]
    usual = blackout.get("baseline_mean")
    if not sparse and isinstance(usual, int | float) and 0 < usual <= top:
        y = svg_num(_TOP + _PLOT - _PLOT * usual / top)
        parts.append(
            el(
                "path",
                {"class": "baseline", "d": f"M{svg_num(x0)} {y}H{svg_num(x1)}"},
                el("title", {}, f"Usual level before: about {fmt_int(usual)} posts a day"),
            )
        )
    return join(parts)


def _marker(move: Mapping[str, Any], cal: Calendar, outgoing: bool) -> Markup:
    i = cal.index(move.get("start"))
    if i is None:
        return Markup()
    x = svg_num(cal.x(i))
    other = move.get("target_label" if outgoing else "source_label")
    arrow = f"→ {other}" if outgoing else f"← {other}"
    return join(
        [
            el(
                "path",
                {"class": "move", "d": f"M{x} {svg_num(_TOP - 2)}V{svg_num(_TOP + _PLOT)}"},
                el("title", {}, move_sentence(move)),
            ),
            el(
                "text",
                {"class": "move-label", "x": svg_num(cal.x(i) - 3), "y": svg_num(_TOP + 10)},
                arrow,
            ),
        ]
    )


def _hotspot(hotspot: Mapping[str, Any], cal: Calendar) -> Markup:
    start, end = cal.index(hotspot.get("start")), cal.index(hotspot.get("end"))
    if start is None:
        return Markup()
    stop = cal.days if end is None else end + 1
    x0, x1 = cal.x(start), cal.x(stop)
    return el(
        "rect",
        {
            "class": "hotspot from" if hotspot.get("kind") == "from" else "hotspot",
            "x": svg_num(x0),
            "y": svg_num(_TOP),
            "width": svg_num(max(x1 - x0, 1.0)),
            "height": "4",
        },
        el("title", {}, hotspot_sentence(hotspot)),
    )


def _chart(
    series: Mapping[str, Any],
    cal: Calendar,
    blackouts: Sequence[tuple[int, Mapping[str, Any]]],
    moves: Sequence[Mapping[str, Any]],
    hotspots: Sequence[Mapping[str, Any]],
) -> Markup:
    counts = _counts(series, cal)
    top = _nice(max(counts, default=0.0))
    label = series.get("label")
    outgoing = [m for m in moves if _same(m.get("source_label"), label)]
    incoming = [m for m in moves if _same(m.get("target_label"), label)]
    mine = [
        h for h in hotspots if series.get("dimension") == "place" and _same(hotspot_label(h), label)
    ]
    svg = el(
        "svg",
        {
            "class": "timeline",
            "viewBox": f"0 0 {svg_num(_WIDTH)} {svg_num(_HEIGHT)}",
            "role": "img",
            "data-series": series.get("key"),
        },
        el("title", {}, f"Posts per day: {label}"),
        _ticks(cal),
        [_band(b, cal, top, n) for n, b in blackouts],
        _bars(counts, cal, top),
        [_hotspot(h, cal) for h in mine],
        [_marker(m, cal, True) for m in outgoing],
        [_marker(m, cal, False) for m in incoming],
        el(
            "path",
            {
                "class": "axis",
                "d": f"M{svg_num(_LEFT)} {svg_num(_TOP + _PLOT)}H{svg_num(_WIDTH - _RIGHT)}",
            },
        ),
        el(
            "text", {"class": "ymax", "x": svg_num(_LEFT - 4), "y": svg_num(_TOP + 4)}, fmt_int(top)
        ),
        el("text", {"class": "ymax", "x": svg_num(_LEFT - 4), "y": svg_num(_TOP + _PLOT)}, "0"),
    )
    sentences = [blackout_sentence(b, cal.last) for _, b in blackouts]
    sentences += [move_sentence(m) for m in outgoing + incoming]
    sentences += [hotspot_sentence(h) for h in mine]
    caption = el(
        "figcaption",
        {},
        el("strong", {"dir": "auto"}, label),
        bidi_flag(label),
        el(
            "span",
            {"class": "muted"},
            f" {series.get('dimension')} · {fmt_int(sum(counts))} posts, "
            f"up to {fmt_int(max(counts, default=0))} a day",
        ),
        [el("span", {"class": "finding", "dir": "auto"}, s) for s in sentences],
    )
    return el("figure", {"class": "series"}, caption, svg)


def render_timelines(
    series: Sequence[Mapping[str, Any]],
    blackouts: Sequence[Mapping[str, Any]],
    moves: Sequence[Mapping[str, Any]],
    hotspots: Sequence[Mapping[str, Any]],
    limit: int = SERIES_LIMIT,
) -> Markup:
    """One chart per selected series (see :func:`select_series`), on a shared calendar."""
    chosen = select_series(series, blackouts, moves, limit)
    cal = calendar(chosen)
    if cal is None:
        return el("p", {"class": "empty"}, "No activity over time to show.")
    numbered = list(enumerate(blackouts))
    charts = [
        _chart(s, cal, [(n, b) for n, b in numbered if _of(b, s)], moves, hotspots) for s in chosen
    ]
    left_out = len(series) - len(chosen)
    intro = el(
        "p",
        {"class": "muted"},
        f"Posts per day from {fmt_date(cal.first)} to {fmt_date(cal.last)}; ticks mark "
        "Mondays. Each chart has its own vertical scale (the number top left is its maximum).",
        f" {left_out} quieter series are not shown." if left_out > 0 else None,
    )
    key = el(
        "div",
        {"class": "legend"},
        el("span", {"class": "swatch"}, el("i", {"class": "key-blackout"}), "blackout"),
        el(
            "span",
            {"class": "swatch"},
            el("i", {"class": "key-sparse"}),
            "drop, too few posts to tell",
        ),
        el(
            "span",
            {"class": "swatch"},
            el("i", {"class": "key-baseline"}),
            "usual level before the drop",
        ),
        el(
            "span",
            {"class": "swatch"},
            el("i", {"class": "key-move"}),
            "start of a move between platforms or channels",
        ),
        el(
            "span",
            {"class": "swatch"},
            el("i", {"class": "key-hotspot"}),
            "far more accounts than usual named the place",
        ),
        el(
            "span",
            {"class": "swatch"},
            el("i", {"class": "key-hotspot-from"}),
            "far more accounts than usual posted from it",
        ),
    )
    return join([intro, key, *charts])

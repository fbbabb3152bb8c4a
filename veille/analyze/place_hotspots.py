"""Hotspots of the ``activity`` analysis: places far more people wrote about, or posted from,
than usual, each kind apart.

Places *about* (named in the text) and places *from* (profile location, photo GPS) are judged
as separate series (``veille.store.place_people``), both counted in distinct people
(``veille.analyze.hotspots``), on the days the place's sources collected. Each row carries its
evidence: the first post of each account over its days, so every person counted can be read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypedDict

import numpy as np

from veille.analyze.daily_series import Calendar, Series
from veille.analyze.hotspots import (
    Hotspot,
    HotspotSettings,
    find_hotspots,
    judged_windows,
    usual_level,
)
from veille.store.declared import Json
from veille.store.place_people import place_days, span_figures

__all__ = ["HotspotRow", "place_hotspots"]


class HotspotRow(TypedDict):
    """A row of ``hotspots``: a place far more people wrote about (or posted from) than usual."""

    place_id: str
    label: str | None
    kind: str  # about (named in the text) | from (profile location, photo GPS) | mixed (old)
    start_day: date
    end_day: date
    accounts: int | None  # distinct people over the days (same_as merged); None in old rows
    peak_accounts: int | None  # the most in one window: what was judged
    expected_accounts: float | None  # usual in a window before the peak one
    ratio: float  # peak_accounts / expected_accounts
    posts: int  # over the days
    expected_posts: float | None  # usual in a window before the peak one
    communities: int | None  # of the accounts in the network run; None without one
    evidence: Json | None  # post ids: each account's first post of the days


def place_hotspots(
    calendar: Calendar,
    places: Sequence[Series],
    same_as: Mapping[str, str],
    network_run: str | None,
    settings: HotspotSettings,
) -> list[HotspotRow]:
    """The hotspots of every place and kind (after ``prepare_local_posts``); ``places`` are the
    run's place series, whose coverage says which days can be judged. Most people first."""
    if not places:
        return []
    days = places[0].counts.size
    coverage = {series.key: series.covered for series in places}
    labels = {series.key: series.label for series in places}
    con = calendar.con
    found: list[tuple[str, str, Hotspot, float]] = []
    w = settings.window
    for series in place_days(con, same_as, calendar.first_day, days, w):
        place_coverage = coverage.get(series.place_id)
        if place_coverage is None:
            continue
        judged = judged_windows(place_coverage, days, settings)
        spots = find_hotspots(series.people, judged, settings)
        if not spots:
            continue
        post_sums = np.convolve(series.posts, np.ones(w, dtype=np.int64))[w - 1 :]
        peaks = np.array([spot.peak for spot in spots], dtype=np.int64)
        usual_posts = usual_level(post_sums, peaks, settings)
        found.extend(
            (series.place_id, series.kind, spot, float(posts))
            for spot, posts in zip(spots, usual_posts.tolist(), strict=True)
        )
    spans = [
        (place, kind, calendar.day(spot.start), calendar.day(spot.end - 1))
        for place, kind, spot, _ in found
    ]
    rows: list[HotspotRow] = []
    for (place, kind, spot, usual), figures in zip(
        found, span_figures(con, same_as, spans, network_run), strict=True
    ):
        rows.append(
            {
                "place_id": place,
                "label": labels.get(place),
                "kind": kind,
                # The busy windows' days, trimmed to the posts they hold.
                "start_day": figures.first_day or calendar.day(spot.start),
                "end_day": figures.last_day or calendar.day(spot.end - 1),
                "accounts": figures.accounts,
                "peak_accounts": spot.peak_people,
                "expected_accounts": round(spot.expected, 2),
                "ratio": round(spot.ratio, 2),
                "posts": figures.posts,
                "expected_posts": round(usual, 2),
                "communities": figures.communities,
                "evidence": json.dumps(figures.evidence),
            }
        )
    return sorted(
        rows,
        key=lambda row: (-(row["accounts"] or 0), -row["ratio"], row["place_id"], row["kind"],
                         row["start_day"]),
    )  # fmt: skip

"""Hotspots: windows of days when far more people than usual wrote about a place, or posted
from it.

The unit is a person, not a post: one account posting a hundred times about a place is one.
A window of ``window`` days is busy when it holds at least ``min_accounts`` people, at least
``min_ratio`` times the place's usual number (the median of the ``history`` windows before it,
whole windows apart so the weekly cycle does not bias it, and never below ``floor``), and a
Poisson test calls that many improbable (upper tail below ``alpha``). At a place nobody named
in the weeks before (usual level at the floor, half a person a window) that is 5 people; where
2 a week are usual, 9; where 5 are, 14. People vary far less than posts (one account alone can
post a hundred times), so the test is nearer its nominal rate than it was on posts (10^-4).
A window is judged only when it and its history lie in days the place's sources collected, in
one stretch of them (``veille.analyze.coverage``): a collection that starts, or resumes after
a gap, does not make every place it names a hotspot. Overlapping busy windows merge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import poisson  # type: ignore[import-untyped]

from veille.analyze.coverage import SeriesCoverage
from veille.errors import ConfigError

__all__ = [
    "Hotspot",
    "HotspotSettings",
    "find_hotspots",
    "hotspot_settings",
    "judged_windows",
    "usual_level",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class HotspotSettings:
    window: int = 7
    history: int = 8  # windows of history the usual level is the median of
    min_accounts: int = 5  # distinct people in one window, at the least
    min_ratio: float = 2.0
    alpha: float = 1e-3
    floor: float = 0.5  # the usual level of a place nobody names: half a person a window

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "history": self.history,
            "min_accounts": self.min_accounts,
            "min_ratio": self.min_ratio,
            "alpha": self.alpha,
            "floor": self.floor,
        }


def hotspot_settings(given: HotspotSettings | Mapping[str, Any] | None) -> HotspotSettings:
    """Settings from a ``HotspotSettings``, or from the keys of one (``veille analyze CASE
    activity --set 'hotspot={"min_accounts": 3}'``), checked."""
    if given is None:
        return HotspotSettings()
    if isinstance(given, HotspotSettings):
        settings = given
    else:
        if not isinstance(given, Mapping):
            raise ConfigError(f"hotspot: {given!r} is not an object of settings")
        unknown = sorted(set(given) - set(HotspotSettings().as_dict()))
        if unknown:
            known = ", ".join(HotspotSettings().as_dict())
            raise ConfigError(f"hotspot: no setting {', '.join(unknown)}; its settings: {known}")
        settings = HotspotSettings(**given)
    whole = (settings.window, settings.history, settings.min_accounts)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in whole):
        raise ConfigError("hotspot: window, history and min_accounts must be whole numbers >= 1")
    if not 0 < settings.alpha <= 1 or settings.floor <= 0 or settings.min_ratio < 1:
        raise ConfigError("hotspot: alpha must be in (0, 1], floor above 0, min_ratio 1 or more")
    return settings


@dataclass(frozen=True, slots=True)
class Hotspot:
    start: int  # first day index
    end: int  # one past the last day
    peak: int  # start of the busiest window: the one the figures below are of
    peak_people: int
    expected: float  # people usual in a window before the peak one (at least the floor)

    @property
    def ratio(self) -> float:
        return self.peak_people / self.expected


def judged_windows(coverage: SeriesCoverage, days: int, settings: HotspotSettings) -> Bools:
    """Per window start: True when the window and its history are covered days of one
    stretch of the place's coverage (and fit in the calendar)."""
    w, reach = settings.window, settings.window * settings.history
    stretch = np.full(days, -1, dtype=np.int64)
    for number, (start, end) in enumerate(coverage.segments):
        stretch[start:end] = number
    stretch[~coverage.covered[:days]] = -1
    judged = np.zeros(days, dtype=bool)
    starts = np.arange(reach, days - w + 1)
    if starts.size == 0:
        return judged
    uncovered = np.concatenate(([0], np.cumsum(stretch < 0)))
    lo, hi = starts - reach, starts + w  # days [lo, hi)
    judged[starts] = (uncovered[hi] == uncovered[lo]) & (stretch[lo] == stretch[hi - 1])
    return judged


def usual_level(
    sums: npt.NDArray[Any], starts: npt.NDArray[np.int64], settings: HotspotSettings
) -> npt.NDArray[np.float64]:
    """The median of the ``history`` whole windows before each window start in ``starts``
    (``sums[i]``: the window starting on day ``i``)."""
    w, reach = settings.window, settings.window * settings.history
    past = np.asarray(sums, dtype=np.float64)[
        starts[:, None] - reach + w * np.arange(settings.history)
    ]
    return np.median(past, axis=1)  # type: ignore[no-any-return]


def find_hotspots(
    people: npt.ArrayLike, judged: npt.ArrayLike, settings: HotspotSettings = HotspotSettings()
) -> list[Hotspot]:
    """Busy windows merged into hotspots; ``people[i]`` is the number of distinct people in
    the window starting on day ``i``, ``judged[i]`` whether that window may be judged."""
    x = np.asarray(people, dtype=np.int64)
    starts = np.flatnonzero(np.asarray(judged, dtype=bool))
    if starts.size == 0:
        return []
    expected = np.maximum(usual_level(x, starts, settings), settings.floor)
    observed = x[starts]
    busy = (observed >= settings.min_accounts) & (observed >= settings.min_ratio * expected)
    busy[busy] &= poisson.sf(observed[busy] - 1, expected[busy]) < settings.alpha
    return _merge(starts[busy], observed[busy], expected[busy], settings.window)


def _merge(
    starts: Ints, observed: Ints, expected: npt.NDArray[np.float64], w: int
) -> list[Hotspot]:
    spots: list[Hotspot] = []
    for start, people, level in zip(
        starts.tolist(), observed.tolist(), expected.tolist(), strict=True
    ):
        if spots and start <= spots[-1].end:
            last = spots[-1]
            busier = people > last.peak_people
            spots[-1] = Hotspot(
                last.start,
                start + w,
                start if busier else last.peak,
                people if busier else last.peak_people,
                level if busier else last.expected,
            )
        else:
            spots.append(Hotspot(start, start + w, start, people, level))
    return spots

"""Hotspots: windows of days when a place was far busier than its own recent past.

A window of ``window`` days is a hotspot when its post count is at least ``min_ratio`` times
what the place usually has in that many days (the median of the preceding ``history`` windows)
and a Poisson test calls it improbable (upper tail below ``alpha``). Overlapping windows merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import poisson  # type: ignore[import-untyped]

__all__ = ["Hotspot", "HotspotSettings", "find_hotspots"]


@dataclass(frozen=True, slots=True)
class HotspotSettings:
    window: int = 7
    history: int = 8  # windows of history the usual level is the median of
    min_ratio: float = 2.0
    alpha: float = 1e-4
    min_posts: int = 10

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "history": self.history,
            "min_ratio": self.min_ratio,
            "alpha": self.alpha,
            "min_posts": self.min_posts,
        }


@dataclass(frozen=True, slots=True)
class Hotspot:
    start: int  # first day index
    end: int  # one past the last day
    observed: int
    expected: float  # what the same days usually hold

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else float("inf")


def find_hotspots(
    counts: npt.ArrayLike, settings: HotspotSettings = HotspotSettings()
) -> list[Hotspot]:
    x = np.asarray(counts, dtype=np.float64)
    w = settings.window
    if len(x) < w * (settings.history + 1):
        return []
    sums = np.convolve(x, np.ones(w), mode="valid")  # sums[i] = x[i:i+w]
    starts = np.arange(w * settings.history, len(sums))
    # The usual level of each window: the median of the `history` windows before it, whole
    # windows apart so the weekly cycle does not bias it.
    past = sums[starts[:, None] - w * settings.history + w * np.arange(settings.history)]
    expected = np.maximum(np.median(past, axis=1), 1.0)
    observed = sums[starts]
    busy = (observed >= settings.min_posts) & (observed >= settings.min_ratio * expected)
    busy[busy] &= poisson.sf(observed[busy] - 1, expected[busy]) < settings.alpha
    flagged = [
        (int(start), float(level))
        for start, level in zip(starts[busy], expected[busy], strict=True)
    ]
    return _merge(x, flagged, w)


def _merge(x: npt.NDArray[np.float64], flagged: list[tuple[int, float]], w: int) -> list[Hotspot]:
    spans: list[list[Any]] = []
    for start, expected in flagged:
        if spans and start <= spans[-1][1]:
            spans[-1][1] = start + w
            spans[-1][2] = max(spans[-1][2], expected)
        else:
            spans.append([start, start + w, expected])
    return [
        Hotspot(start, end, int(x[start:end].sum()), expected * (end - start) / w)
        for start, end, expected in spans
    ]

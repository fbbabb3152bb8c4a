"""Candidate moves: a drop on one series whose start lies near a rise's start on another.

Only the timing: evidence that the same people moved (shared accounts, forwarded posts, links)
is for the caller to add. Start days must be on one calendar (day indices into the same
range of dates), which :func:`~veille.analyze.blackouts.detect_shifts` gives when every
series covers the same days.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MovePair", "pair_moves"]


@dataclass(frozen=True, slots=True)
class MovePair:
    drop: str  # series key of the drop
    rise: str  # series key of the rise
    drop_start: int
    rise_start: int

    @property
    def lag(self) -> int:
        """Days from the drop's start to the rise's (negative: the rise came first)."""
        return self.rise_start - self.drop_start


def pair_moves(
    drops: Iterable[tuple[str, int]], rises: Iterable[tuple[str, int]], margin_days: int
) -> list[MovePair]:
    """Every (drop, rise) on different series with ``|rise start - drop start| <= margin_days``.

    ``drops`` and ``rises`` are (series key, start day) pairs, e.g. ``(key, shift.start)``.
    Ordered by absolute lag, then keys and starts.
    """
    if margin_days < 0:
        raise ValueError(f"margin_days must be non-negative, got {margin_days}")
    by_start = sorted((start, key) for key, start in rises)
    starts = [start for start, _ in by_start]
    pairs = [
        MovePair(drop_key, rise_key, drop_start, rise_start)
        for drop_key, drop_start in drops
        for rise_start, rise_key in by_start[
            bisect_left(starts, drop_start - margin_days) : bisect_right(
                starts, drop_start + margin_days
            )
        ]
        if rise_key != drop_key
    ]
    return sorted(pairs, key=lambda p: (abs(p.lag), p.drop, p.rise, p.drop_start, p.rise_start))

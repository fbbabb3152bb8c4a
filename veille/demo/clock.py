"""Time for the demo: days of the period, weekly and daily rhythm, zones, Poisson draws.

Zones are computed here rather than read from the system's tz database so the generator gives
the same bytes on every machine: the story only needs a fixed UTC+03:00 and the European
summer-time rule (last Sunday of March to last Sunday of October, switching at 01:00 UTC).
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

from veille.demo.scenario import FRIDAY_FACTOR

__all__ = [
    "DIURNAL",
    "days_between",
    "local_to_utc",
    "offset_label",
    "poisson",
    "utc_offset_min",
    "weekday_factor",
]

# Relative activity per local hour: quiet at night, busiest in the evening.
DIURNAL: tuple[float, ...] = (
    0.6, 0.4, 0.25, 0.15, 0.1, 0.15, 0.3, 0.6, 0.9, 1.0, 1.0, 1.1,
    1.1, 1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 1.5, 1.7, 1.8, 1.5, 1.0,
)  # fmt: skip


def days_between(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def weekday_factor(day: date) -> float:
    """The weekly cycle: how much of the usual activity happens on ``day``."""
    return FRIDAY_FACTOR if day.weekday() == 4 else 1.0


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def _european_summer(moment: datetime) -> bool:
    start = datetime.combine(_last_sunday(moment.year, 3), datetime.min.time(), UTC)
    end = datetime.combine(_last_sunday(moment.year, 10), datetime.min.time(), UTC)
    return start + timedelta(hours=1) <= moment < end + timedelta(hours=1)


def utc_offset_min(zone: str, moment: datetime) -> int:
    """Offset from UTC in minutes of ``zone`` ("+3", "eu1" or "eu0") at the UTC ``moment``."""
    if zone[0] in "+-":
        return int(zone) * 60
    base = 60 if zone == "eu1" else 0
    return base + (60 if _european_summer(moment) else 0)


def local_to_utc(zone: str, local: datetime) -> datetime:
    """The UTC instant of the naive wall-clock time ``local`` in ``zone``."""
    guess = local.replace(tzinfo=UTC)
    # Two passes settle the offset except in the hour skipped or repeated at a switch, where
    # either answer is a real instant, which is all the story needs.
    offset = utc_offset_min(zone, guess)
    offset = utc_offset_min(zone, guess - timedelta(minutes=offset))
    return guess - timedelta(minutes=offset)


def offset_label(minutes: int) -> str:
    """``180`` -> ``"+03:00"``."""
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method, in chunks so large means do not underflow)."""
    total = 0
    while mean > 0:
        chunk = min(mean, 30.0)
        mean -= chunk
        limit = math.exp(-chunk)
        product = rng.random()
        while product > limit:
            total += 1
            product *= rng.random()
    return total

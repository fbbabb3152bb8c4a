"""Counts as tables write them: ``1200``, ``1,200``, ``1 200``, ``1200,0`` (Excel in French),
``1200.0`` (pandas), ``1.2K``.

Used for follower counts; a cell that is no count gives None, never an error, since a profile
column is a detail of the post, not a reason to refuse it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["MAX_COUNT", "parse_count"]

MAX_COUNT = 2**63 - 1  # what the store's BIGINT holds
# Thousands in groups of three, separated the same way throughout: 1,200 / 1.200.000 / 1 200.
_GROUPED = re.compile(r"\d{1,3}([,. \u00a0\u202f'])\d{3}(?:\1\d{3})*")
# A plain number, with an optional decimal part after a comma or a point, and a K/M/B suffix.
_PLAIN = re.compile(r"(\d{1,30})(?:[.,](\d{1,30}))?\s*([kKmMbB]?)")
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def parse_count(text: str | None) -> int | None:
    """The whole number ``text`` writes, or None when it writes none (or a fraction)."""
    if not text:
        return None
    cell = text.strip()
    if not cell or len(cell) > 40 or not _has_only_spaces(cell):
        return None
    if _GROUPED.fullmatch(cell):
        number = int(re.sub(r"\D", "", cell))
        return number if number <= MAX_COUNT else None
    match = _PLAIN.fullmatch(cell)
    if match is None:
        return None
    whole, fraction, suffix = match.groups()
    try:
        value = Decimal(f"{whole}.{fraction or 0}") * _SCALE[suffix.lower()]
    except InvalidOperation:
        return None
    if value != value.to_integral_value() or value > MAX_COUNT:
        return None  # "12,5" followers is no count: the column holds something else
    return int(value)


def _has_only_spaces(cell: str) -> bool:
    # Non-ASCII is allowed only as the no-break spaces French exports group thousands with.
    return all(char.isascii() or char in "\u00a0\u202f" for char in cell)

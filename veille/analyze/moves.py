"""Moves: a drop on one platform, channel or community-on-a-platform, and a rise on another
starting within ``margin_days``, kept when the same people, links or forwards connect them.

Confidence: 0.5 for two or more shared accounts, 0.3 for links, 0.2 for forwards, times the
lower of the drop's and the rise's confidence; one row per (source, target) pair of labels.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TypedDict

from veille.analyze.blackouts import Shift
from veille.analyze.daily_series import Calendar, Series
from veille.analyze.move_pairs import pair_moves
from veille.store.declared import Int32, Json
from veille.store.move_evidence import move_evidence

__all__ = ["MOVING", "MoveRow", "find_moves"]

MOVING = ("platform", "channel", "community_platform")  # where a move can start or end


class MoveRow(TypedDict):
    """A row of ``moves``."""

    source_dimension: str
    source_key: str
    source_label: str | None
    target_dimension: str
    target_key: str
    target_label: str | None
    drop_day: date
    rise_day: date
    lag_days: Int32
    shared_accounts: Int32  # people active on the source before and the target after
    links: Int32  # posts on the source linking to the target
    forwards: Int32  # posts on the target forwarded from source accounts
    confidence: float
    evidence: Json | None  # post ids: links, then forwards, then first posts


def find_moves(
    calendar: Calendar,
    drops: list[tuple[Series, Shift]],
    rises: list[tuple[Series, Shift]],
    margin_days: int,
) -> list[MoveRow]:
    """The moves the drops and rises make, most confident first."""
    moving_drops = {s.name: (s, shift) for s, shift in drops if s.dimension in MOVING}
    by_name = {s.name: (s, shift) for s, shift in rises}
    pairs = pair_moves(
        [(name, shift.start) for name, (_, shift) in moving_drops.items()],
        [(name, shift.start) for name, (_, shift) in by_name.items()],
        margin_days,
    )
    best: dict[tuple[str, str], MoveRow] = {}
    for pair in pairs:
        source, drop = moving_drops[pair.drop]
        target, rise = by_name[pair.rise]
        if _same_place(source, target):
            continue
        evidence = move_evidence(
            calendar.con,
            calendar.same_as,
            (source.dimension, source.key),
            (target.dimension, target.key),
            calendar.day(drop.start),
            calendar.day(rise.start),
        )
        signals = [evidence.shared_accounts >= 2, evidence.links > 0, evidence.forwards > 0]
        if not any(signals):
            continue
        strength = 0.5 * signals[0] + 0.3 * signals[1] + 0.2 * signals[2]
        row: MoveRow = {
            "source_dimension": source.dimension,
            "source_key": source.key,
            "source_label": source.label,
            "target_dimension": target.dimension,
            "target_key": target.key,
            "target_label": target.label,
            "drop_day": calendar.day(drop.start),
            "rise_day": calendar.day(rise.start),
            "lag_days": pair.lag,
            "shared_accounts": evidence.shared_accounts,
            "links": evidence.links,
            "forwards": evidence.forwards,
            "confidence": round(strength * min(drop.confidence, rise.confidence), 4),
            "evidence": json.dumps(evidence.posts),
        }
        key = (source.label, target.label)
        if key not in best or row["confidence"] > best[key]["confidence"]:
            best[key] = row
    return sorted(best.values(), key=lambda row: -row["confidence"])


def _same_place(source: Series, target: Series) -> bool:
    """A platform and a channel or community on that same platform are not a move."""
    return source.key.split(":")[-1] == target.key.split(":")[-1] and "platform" in (
        source.dimension,
        target.dimension,
    )

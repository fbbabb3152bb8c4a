"""Silence waves: the weeks in which far more accounts fell silent than the case's own rate.

Each week (Monday to Sunday, in the case's zone) an account with a usable history is *active*
from the week of its first post to the week of its last; it *falls silent* in the week of its
last post when that silence was judged unusual (``veille.analyze.silence``). The case's base
rate is silences per active account-week over all the other weeks (leave one week out, so a
wave does not raise its own bar; half a silence is added so a case with no other silence still
has a rate). A week is a wave when at least ``min_accounts`` fell silent, at least
``min_ratio`` times as many as the rate expects, and the binomial chance of that many or more
among its active accounts at the base rate is at most ``max_chance`` (one test per week, not
corrected for the number of weeks: read it as a ranking past the threshold). The ratio matters
with many accounts: among thousands, a binomial test finds any drift of the rate significant,
and a wave is more than a drift.

Weeks are counted with numpy over one row per account; the listed accounts of each wave are
named with ``store.actor_history`` and carry their community and importance.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import bdtrc  # type: ignore[import-untyped]

from veille.store.actor_history import actor_labels
from veille.store.declared import Json

__all__ = ["WaveRow", "WaveRules", "Weeks", "find_waves", "silence_weeks", "week_index"]

Array = np.ndarray[Any, Any]
LISTED = 100  # accounts a wave lists, most important first; the silences table has them all
_EPOCH = date(1970, 1, 1)
_MONDAY = 3  # 1 January 1970 was a Thursday: day 4 is the first Monday


class WaveRow(TypedDict):
    """A row of ``silence_waves``: a week in which far more accounts fell silent than usual."""

    week_start: date  # a Monday
    week_end: date
    silent: int
    active: int
    expected: float
    chance: float
    accounts: Json | None  # [{actor_id, label, last_post_id, last_day, community, rank, ...}]
    communities: Json | None  # [{community, accounts}], most first


@dataclass(frozen=True)
class WaveRules:
    min_accounts: int
    min_ratio: float
    max_chance: float


@dataclass(frozen=True)
class Weeks:
    """Week by week, from the first active week to the last: the silences against the rate."""

    first_week: int  # index of the first week (see ``week_index``)
    silent: Array  # accounts that fell silent that week
    active: Array  # accounts with a usable history active that week
    expected: Array  # silent accounts expected at the base rate of the other weeks
    chance: Array  # binomial chance of `silent` or more among `active`


def week_index(days: Array) -> Array:
    """Week of each day (days since 1970-01-01): weeks run from Monday to Sunday."""
    weeks: Array = (np.asarray(days, dtype=np.int64) + _MONDAY) // 7
    return weeks


def week_monday(week: int) -> date:
    """The Monday that starts week ``week``."""
    return _EPOCH + timedelta(days=week * 7 - _MONDAY)


def silence_weeks(first_weeks: Array, last_weeks: Array, fell_silent: Array) -> Weeks:
    """Silences per week against the case's own base rate (leave that week out).

    One element per account with a usable history: the week index of its first and last post,
    and whether it fell silent (unusually) after the last.
    """
    first_weeks = np.asarray(first_weeks, dtype=np.int64)
    last_weeks = np.asarray(last_weeks, dtype=np.int64)
    if first_weeks.size == 0:
        nothing = np.zeros(0)
        return Weeks(0, nothing.astype(np.int64), nothing.astype(np.int64), nothing, nothing)
    origin = int(first_weeks.min())
    size = int(last_weeks.max()) - origin + 1
    starts = np.bincount(first_weeks - origin, minlength=size + 1)
    ends = np.bincount(last_weeks - origin + 1, minlength=size + 1)
    active = np.cumsum(starts - ends)[:size]
    silent = np.bincount(last_weeks[np.asarray(fell_silent, dtype=bool)] - origin, minlength=size)
    other_silent = silent.sum() - silent + 0.5
    other_active = active.sum() - active + 1.0
    rate = np.minimum(other_silent / other_active, 1.0)
    # P(X >= k) = P(X > k - 1): bdtrc is the binomial upper tail.
    chance = np.where(silent > 0, bdtrc(np.maximum(silent - 1, 0), active, rate), 1.0)
    return Weeks(origin, silent.astype(np.int64), active.astype(np.int64), rate * active, chance)


def find_waves(
    con: duckdb.DuckDBPyConnection, accounts: pa.Table, usable: Array, rules: WaveRules
) -> tuple[int, list[WaveRow]]:
    """(weeks judged, wave rows) from the judged accounts (rows of ``silences``): those with a
    ``usable`` history are active (those whose export ends too), those ``silent`` fell silent."""
    histories = accounts.filter(pa.array(usable))
    silent = pc.equal(histories.column("status"), "silent").to_numpy(zero_copy_only=False)
    last_weeks = week_index(_days(histories.column("last_day")))
    weeks = silence_weeks(week_index(_days(histories.column("first_day"))), last_weeks, silent)
    found = np.flatnonzero(
        (weeks.silent >= rules.min_accounts)
        & (weeks.silent >= rules.min_ratio * weeks.expected)
        & (weeks.chance <= rules.max_chance)
    )
    rows: list[WaveRow] = []
    for offset in found.tolist():
        week = weeks.first_week + offset
        members = histories.filter(pa.array(silent & (last_weeks == week)))
        monday = week_monday(week)
        rows.append(
            {
                "week_start": monday,
                "week_end": monday + timedelta(days=6),
                "silent": int(weeks.silent[offset]),
                "active": int(weeks.active[offset]),
                "expected": round(float(weeks.expected[offset]), 3),
                "chance": float(weeks.chance[offset]),
                "accounts": json.dumps(_listed(con, members), default=str),
                "communities": json.dumps(_communities(members)),
            }
        )
    return len(weeks.silent), rows


def _days(column: pa.ChunkedArray) -> Array:
    """A date column as days since 1970-01-01."""
    days: Array = column.cast(pa.int32()).to_numpy()
    return days


def _listed(con: duckdb.DuckDBPyConnection, members: pa.Table) -> list[dict[str, Any]]:
    """The wave's accounts, most important first (rank in the network run, then the most
    unusual silence), named ``@handle (Name)``."""
    rows = sorted(
        members.to_pylist(),
        key=lambda r: (r["rank"] is None, r["rank"] or 0, -(r["surprise"] or 0), r["actor_id"]),
    )[:LISTED]
    labels = actor_labels(con, [row["actor_id"] for row in rows])
    keep = ("actor_id", "last_post_id", "last_day", "silence_days", "surprise")
    return [
        {
            **{name: row[name] for name in keep},
            "label": labels.get(row["actor_id"], (row["actor_id"], ""))[0],
            "community": row["community"],
            "rank": row["rank"],
            "combined": row["combined"],
        }
        for row in rows
    ]


def _communities(members: pa.Table) -> list[dict[str, Any]]:
    counted = Counter(members.column("community").to_pylist())
    ordered = sorted(counted.items(), key=lambda item: (-item[1], item[0] is None, item[0] or 0))
    return [{"community": community, "accounts": n} for community, n in ordered]

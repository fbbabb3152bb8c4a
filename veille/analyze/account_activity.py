"""The ``accounts`` analysis: each account's posting rhythm, and its last post as evidence.

One row per account that posted: how many posts, on how many days (in the case's time zone),
its first and last day, the usual and the longest gap between two posting days, and the id of
its last post. This is what a silence is judged against: an account that posts every two days
and has not posted for sixty is silent; one that posts twice a year is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypedDict

from veille.analyze.base import AnalysisInputs, Output, Plan

__all__ = ["AccountActivity", "AccountActivityRow", "AccountsFound"]


class AccountActivityRow(TypedDict):
    """A row of ``account_activity``."""

    actor_id: str
    posts: int
    active_days: int  # days with at least one post
    first_day: date
    last_day: date
    median_gap_days: float | None  # between consecutive posting days; None with one day
    longest_gap_days: int | None
    last_post_id: str  # the evidence for last_day


@dataclass(frozen=True)
class AccountsFound:
    accounts: int
    posts: int


class AccountActivity:
    """Posting rhythm per account (service lines such as joins are not posts)."""

    name: ClassVar[str] = "accounts"
    version: ClassVar[str] = "1"
    needs: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[Mapping[str, type[Any]]] = {"account_activity": AccountActivityRow}

    def plan(self, inputs: AnalysisInputs) -> Plan:
        return Plan({"time_zone": inputs.zone})

    def run(self, inputs: AnalysisInputs, plan: Plan, run_id: str) -> Output[AccountsFound]:
        table = inputs.con.execute(
            """
            WITH posted AS (
                SELECT author_id AS actor_id, id, posted_at,
                       CAST(timezone($zone, posted_at) AS DATE) AS day
                FROM posts
                WHERE author_id IS NOT NULL AND posted_at IS NOT NULL AND kind <> 'service'
            ),
            days AS (
                SELECT actor_id, day,
                       day - lag(day) OVER (PARTITION BY actor_id ORDER BY day) AS gap
                FROM (SELECT DISTINCT actor_id, day FROM posted)
            ),
            gaps AS (
                SELECT actor_id, count(*) AS active_days,
                       median(gap)::DOUBLE AS median_gap_days, max(gap) AS longest_gap_days
                FROM days GROUP BY actor_id
            )
            SELECT p.actor_id, count(*) AS posts, any_value(g.active_days) AS active_days,
                   min(p.day) AS first_day, max(p.day) AS last_day,
                   any_value(g.median_gap_days) AS median_gap_days,
                   any_value(g.longest_gap_days) AS longest_gap_days,
                   arg_max(p.id, (p.posted_at, p.id)) AS last_post_id
            FROM posted p JOIN gaps g USING (actor_id)
            GROUP BY p.actor_id
            ORDER BY p.actor_id
            """,
            {"zone": plan.parameters["time_zone"]},
        ).to_arrow_table()
        found = AccountsFound(table.num_rows, sum(table.column("posts").to_pylist()))
        counts = {"accounts": found.accounts, "posts": found.posts}
        return Output({"account_activity": table}, counts, found)

"""Evidence that a drop on one series and a rise on another are the same people moving.

Three kinds, each with the posts that show it:
- shared accounts: people active on the source in the weeks before the drop and on the target
  in the weeks after the rise (accounts declared the same person in case.toml count as one);
- links: posts on the source, around the drop, linking to the target (a ``t.me/<channel>`` link
  when the target is that channel, any link to the target's platform otherwise);
- forwards: posts on the target forwarded from accounts that were active on the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb

from veille.store.activity import series_rows_sql

__all__ = ["MoveEvidence", "move_evidence"]

WINDOW_DAYS = 28
EXAMPLES = 5


@dataclass
class MoveEvidence:
    shared_accounts: int = 0
    links: int = 0
    forwards: int = 0
    posts: list[str] = field(default_factory=list)  # links first, then forwards, then first posts


def _rows(
    con: duckdb.DuckDBPyConnection, series: tuple[str, str], first: date, last: date
) -> list[tuple[Any, ...]]:
    dimension, key = series
    sql = series_rows_sql(dimension) + " ORDER BY posted_at, id"
    return con.execute(sql, {"key": key, "first": first, "last": last}).fetchall()


def _link_targets(con: duckdb.DuckDBPyConnection, target: tuple[str, str]) -> tuple[str, str]:
    """(link kind, link target) that point at the target series: its channel, else platform."""
    dimension, key = target
    if dimension == "channel":
        row = con.execute("SELECT platform, handle FROM actors WHERE id = ? LIMIT 1", [key])
        found = row.fetchone()
        if found and found[1]:
            return str(found[0]), str(found[1]).casefold()
        return (str(found[0]) if found else "", "")
    platform = key.split(":")[-1]
    return platform, ""


def move_evidence(
    con: duckdb.DuckDBPyConnection,
    same_as: Mapping[str, str],
    source: tuple[str, str],
    target: tuple[str, str],
    drop_day: date,
    rise_day: date,
) -> MoveEvidence:
    window = timedelta(days=WINDOW_DAYS)
    before = _rows(con, source, drop_day - window, drop_day - timedelta(days=1))
    after = _rows(con, target, rise_day, rise_day + window)
    evidence = MoveEvidence()
    source_people = {same_as.get(row[1], row[1]) for row in before if row[1]}
    target_people = {same_as.get(row[1], row[1]) for row in after if row[1]}
    evidence.shared_accounts = len(source_people & target_people)

    kind, channel = _link_targets(con, target)
    around = _rows(con, source, drop_day - window, drop_day + window)
    link_posts = _linking_posts(con, [row[0] for row in around], kind, channel)
    evidence.links = len(link_posts)

    source_authors = {row[1] for row in before if row[1]}
    forwards = [row[0] for row in after if row[4] and row[4] in source_authors]
    evidence.forwards = len(forwards)
    first_posts = [row[0] for row in after if same_as.get(row[1], row[1]) in source_people]
    evidence.posts = (link_posts[:EXAMPLES] + forwards[:EXAMPLES] + first_posts[:EXAMPLES])[
        : 3 * EXAMPLES
    ]
    return evidence


def _linking_posts(
    con: duckdb.DuckDBPyConnection, post_ids: list[str], kind: str, channel: str
) -> list[str]:
    if not post_ids or not kind:
        return []
    rows = con.execute(
        "SELECT DISTINCT post_id FROM post_links "
        "WHERE list_contains($ids, post_id) AND kind = $kind "
        "AND ($channel = '' OR lower(target) = $channel) ORDER BY post_id",
        {"ids": post_ids, "kind": kind, "channel": channel},
    ).fetchall()
    return [row[0] for row in rows]

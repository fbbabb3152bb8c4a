"""Activity per day: posts, active accounts and interactions, by place, country, community,
platform, channel, and community on one platform.

Times are stored in UTC; days are counted in the case's zone (a post at 23:30 UTC is the next
day in Baghdad). Service lines (joins, leaves) are not activity. A post counts once per place it
names or was photographed at, so a post naming Mosul and Raqqa counts for both.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

__all__ = [
    "DIMENSIONS",
    "activity_table",
    "day_range",
    "series_parameters",
    "series_posts",
    "series_rows_sql",
]

DIMENSIONS = ("place", "country", "community", "platform", "channel", "community_platform")

# Each dimension: the key and label of the series a post belongs to, and what to join for it.
_KEYS: dict[str, tuple[str, str, str]] = {
    "platform": ("p.platform", "p.platform", ""),
    "channel": (
        "p.chat_id",
        "coalesce(c.name, c.handle, p.chat_id)",
        "JOIN actors_once c ON c.id = p.chat_id",
    ),
    "place": (
        "pl.place_id",
        "pl.name",
        "JOIN (SELECT DISTINCT post_id, place_id, name FROM post_places) pl ON pl.post_id = p.id",
    ),
    "country": (
        "pl.country_code",
        "pl.country_code",
        "JOIN (SELECT DISTINCT post_id, country_code FROM post_places "
        "WHERE country_code IS NOT NULL) pl ON pl.post_id = p.id",
    ),
    "community": (
        "CAST(m.community AS VARCHAR)",
        "'community ' || CAST(m.community AS VARCHAR)",
        "JOIN members m ON m.actor_id = p.author_id",
    ),
    "community_platform": (
        "CAST(m.community AS VARCHAR) || ':' || p.platform",
        "'community ' || CAST(m.community AS VARCHAR) || ' on ' || p.platform",
        "JOIN members m ON m.actor_id = p.author_id",
    ),
}


def _posts_cte(network_run: str | None) -> str:
    members = (
        "SELECT actor_id, community FROM actor_metrics "
        "WHERE run_id = $run AND community IS NOT NULL"
        if network_run
        else "SELECT NULL::VARCHAR AS actor_id, NULL::INTEGER AS community WHERE false"
    )
    return f"""
        local_posts AS (
            SELECT id, author_id, platform, chat_id,
                   CAST(timezone($zone, posted_at) AS DATE) AS day
            FROM posts
            WHERE posted_at IS NOT NULL AND kind <> 'service'
        ),
        actors_once AS (SELECT id, name, handle FROM actors),
        members AS ({members}),
        post_interactions AS (SELECT post_id, count(*) AS n FROM interactions GROUP BY post_id)
    """


def activity_table(
    con: duckdb.DuckDBPyConnection, zone: str, dimension: str, network_run: str | None
) -> pa.Table:
    """Daily ``posts``, ``accounts`` and ``interactions`` per series of ``dimension``."""
    key, label, join = _KEYS[dimension]
    sql = f"""
        WITH {_posts_cte(network_run)}
        SELECT '{dimension}' AS dimension, {key} AS key, any_value({label}) AS label, p.day,
               count(*) AS posts, count(DISTINCT p.author_id) AS accounts,
               coalesce(sum(i.n), 0)::BIGINT AS interactions
        FROM local_posts p
        {join}
        LEFT JOIN post_interactions i ON i.post_id = p.id
        WHERE {key} IS NOT NULL
        GROUP BY {key}, p.day
        ORDER BY key, p.day
    """
    params: dict[str, Any] = {"zone": zone}
    if network_run:
        params["run"] = network_run
    return con.execute(sql, params).to_arrow_table()


def day_range(con: duckdb.DuckDBPyConnection, zone: str) -> tuple[Any, Any] | None:
    """First and last day with posts, in the case's zone."""
    row = con.execute(
        "SELECT min(CAST(timezone($zone, posted_at) AS DATE)), "
        "max(CAST(timezone($zone, posted_at) AS DATE)) FROM posts "
        "WHERE posted_at IS NOT NULL AND kind <> 'service'",
        {"zone": zone},
    ).fetchone()
    if not row or row[0] is None:
        return None
    return row[0], row[1]


def series_rows_sql(dimension: str, network_run: str | None) -> str:
    """SQL for the posts of one series (``$key``) between two days (``$first``, ``$last``):
    id, author_id, day, posted_at, forwarded_from_id. Parameters: ``series_parameters``."""
    key_sql, _, join = _KEYS[dimension]
    return f"""
        WITH {_posts_cte(network_run)}
        SELECT p.id, p.author_id, p.day, q.posted_at, q.forwarded_from_id
        FROM local_posts p {join}
        JOIN posts q ON q.id = p.id
        WHERE {key_sql} = $key AND p.day BETWEEN $first AND $last
    """


def series_parameters(
    zone: str, key: str, network_run: str | None, first_day: Any, last_day: Any
) -> dict[str, Any]:
    params: dict[str, Any] = {"zone": zone, "key": key, "first": first_day, "last": last_day}
    if network_run:
        params["run"] = network_run
    return params


def series_posts(
    con: duckdb.DuckDBPyConnection,
    zone: str,
    dimension: str,
    key: str,
    network_run: str | None,
    first_day: Any,
    last_day: Any,
    limit: int = 5,
    latest: bool = False,
) -> list[str]:
    """Post ids of one series between two days (inclusive): the earliest, or the latest."""
    order = "DESC" if latest else "ASC"
    sql = (
        f"SELECT id FROM ({series_rows_sql(dimension, network_run)}) "
        f"ORDER BY posted_at {order}, id LIMIT {int(limit)}"
    )
    params = series_parameters(zone, key, network_run, first_day, last_day)
    return [row[0] for row in con.execute(sql, params).fetchall()]

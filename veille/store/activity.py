"""Activity per day: posts, active accounts and interactions, by place, country, community,
platform, channel, and community on one platform; and, for ``bucketed_series`` only, by account.

Times are stored in UTC; days are counted in the case's zone (a post at 23:30 UTC is the next
day in Baghdad). Service lines (joins, leaves) are not activity. A post counts once per place it
names or was photographed at, so a post naming Mosul and Raqqa counts for both.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from veille.store.actor_history import actor_labels

__all__ = [
    "BUCKETS",
    "DIMENSIONS",
    "LOCAL_PLACES",
    "LOCAL_POSTS",
    "PLACE_FACTS",
    "REPEATS",
    "SERIES_DIMENSIONS",
    "activity_table",
    "bucketed_series",
    "day_range",
    "local_post_count",
    "prepare_local_posts",
    "series_key_sql",
    "series_posts",
    "series_rows_sql",
]

DIMENSIONS = ("place", "country", "community", "platform", "channel", "community_platform")
# Accounts are a dimension of the series a user asks for, not of the activity analysis: judging
# 10^6 account series in every activity run would cost more than all the rest (the `silence`
# analysis judges accounts by their own rhythm instead).
SERIES_DIMENSIONS = (*DIMENSIONS, "account")

LOCAL_POSTS = "veille_local_posts"  # one row per post, its day already local
LOCAL_PLACES = "veille_local_places"  # one row per post and place it names or is from
# The place facts of each post and place: named in the text (about), or where its author is
# (located: profile location, photo GPS).
PLACE_FACTS = """
    SELECT post_id, place_id, bool_or(origin = 'text') AS about,
           bool_or(origin <> 'text') AS located
    FROM post_places GROUP BY post_id, place_id
"""
# Countries are joined to the posts when counted: a table of them cost more than the join.
_COUNTRIES = f"""(
    SELECT p.*, pl.country_code FROM {LOCAL_POSTS} p
    JOIN (SELECT DISTINCT post_id, country_code FROM post_places
          WHERE country_code IS NOT NULL) pl ON pl.post_id = p.id
)"""
# Posts repeating someone else's: forwards and retweets (some readers give only the edge).
REPEATS = "SELECT DISTINCT post_id FROM interactions WHERE kind IN ('retweet', 'forward')"

# Each dimension: the key of the series a post belongs to, the rows to count (``p``: a post,
# or a post and place, or a post and country, its day already local) and how to label the keys
# (looked up once per key after counting, not once per post).
_KEYS: dict[str, tuple[str, str, str]] = {
    "platform": ("p.platform", LOCAL_POSTS, "SELECT k, k FROM keys"),
    "channel": (
        "p.chat_id",
        LOCAL_POSTS,
        "SELECT k, coalesce(any_value(a.name), any_value(a.handle), k) "
        "FROM keys LEFT JOIN actors a ON a.id = k GROUP BY k",
    ),
    "place": (
        "p.place_id",
        LOCAL_PLACES,
        "SELECT k, any_value(name) FROM keys JOIN post_places ON place_id = k GROUP BY k",
    ),
    "country": ("p.country_code", _COUNTRIES, "SELECT k, k FROM keys"),
    "community": (
        "CAST(p.community AS VARCHAR)",
        LOCAL_POSTS,
        "SELECT k, 'community ' || k FROM keys",
    ),
    "community_platform": (
        "CAST(p.community AS VARCHAR) || ':' || p.platform",
        LOCAL_POSTS,
        "SELECT k, 'community ' || split_part(k, ':', 1) || ' on ' || split_part(k, ':', 2) "
        "FROM keys",
    ),
    # Labelled `@handle (Name)` by actor_history after counting (see bucketed_series).
    "account": ("p.author_id", LOCAL_POSTS, "SELECT k, k FROM keys"),
}


def prepare_local_posts(
    con: duckdb.DuckDBPyConnection, zone: str, network_run: str | None, places: bool = True
) -> None:
    """One temporary row per post with its local day, its interactions and its author's
    community: converting 10^7 times to a zone once instead of once per dimension; and, with
    ``places``, one per post and place, for the series of places and the hotspots: joining the
    place facts to 10^7 posts once, not twice."""
    members = (
        "SELECT actor_id, community FROM actor_metrics "
        "WHERE run_id = $run AND community IS NOT NULL"
        if network_run
        else "SELECT NULL::VARCHAR AS actor_id, NULL::INTEGER AS community WHERE false"
    )
    params: dict[str, Any] = {"zone": zone}
    if network_run:
        params["run"] = network_run
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {LOCAL_POSTS} AS
        WITH members AS ({members}),
             counted AS (SELECT post_id, count(*) AS n FROM interactions GROUP BY post_id)
        SELECT p.id, p.author_id, p.platform, p.chat_id, p.posted_at, p.forwarded_from_id,
               p.source_id,
               CASE WHEN p.author_id IS NOT NULL THEN hash(p.author_id) END AS author_key,
               CAST(timezone($zone, p.posted_at) AS DATE) AS day,
               coalesce(i.n, 0) AS interactions, m.community
        FROM posts p
        LEFT JOIN counted i ON i.post_id = p.id
        LEFT JOIN members m ON m.actor_id = p.author_id
        WHERE p.posted_at IS NOT NULL AND p.kind <> 'service'
        """,
        params,
    )
    if not places:
        return
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {LOCAL_PLACES} AS
        SELECT p.id, p.author_id, p.author_key, p.day, p.posted_at, p.interactions,
               p.forwarded_from_id, p.source_id, f.place_id, f.about, f.located,
               p.forwarded_from_id IS NOT NULL OR r.post_id IS NOT NULL AS repeat
        FROM ({PLACE_FACTS}) f
        JOIN {LOCAL_POSTS} p ON p.id = f.post_id
        LEFT JOIN ({REPEATS}) r ON r.post_id = f.post_id
        """
    )


def activity_table(
    con: duckdb.DuckDBPyConnection, dimension: str, exact_accounts: bool = True
) -> pa.Table:
    """Daily ``posts``, ``accounts`` and ``interactions`` per series of ``dimension``
    (after ``prepare_local_posts``).

    Exact account counts group twice on a 64-bit hash of the author id (faster than
    ``count(DISTINCT author_id)``); with ``exact_accounts=False`` they are HyperLogLog
    estimates (about 2 % off, six times faster on 10^7 posts). Posts and interactions, which
    the detectors use, are always exact.
    """
    key, rows, labels = _KEYS[dimension]
    if exact_accounts:
        counted = f"""
            by_author AS (
                SELECT {key} AS k, p.day, p.author_key, count(*) AS posts,
                       sum(p.interactions) AS interactions
                FROM {rows} p
                WHERE {key} IS NOT NULL
                GROUP BY ALL
            ),
            counted AS (
                SELECT k, day, sum(posts)::BIGINT AS posts, count(author_key) AS accounts,
                       sum(interactions)::BIGINT AS interactions
                FROM by_author GROUP BY k, day
            )"""
    else:
        counted = f"""
            counted AS (
                SELECT {key} AS k, p.day, count(*) AS posts,
                       approx_count_distinct(p.author_key) AS accounts,
                       sum(p.interactions)::BIGINT AS interactions
                FROM {rows} p
                WHERE {key} IS NOT NULL
                GROUP BY ALL
            )"""
    sql = f"""
        WITH {counted},
        keys AS (SELECT DISTINCT k FROM counted),
        labels(k, label) AS ({labels})
        SELECT '{dimension}' AS dimension, c.k AS key, l.label, c.day, c.posts,
               c.accounts::BIGINT AS accounts, c.interactions
        FROM counted c JOIN labels l ON l.k = c.k
        ORDER BY key, c.day
    """
    return con.execute(sql).to_arrow_table()


def local_post_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(f"SELECT count(*) FROM {LOCAL_POSTS}").fetchone()
    return int(row[0]) if row else 0


def day_range(con: duckdb.DuckDBPyConnection) -> tuple[Any, Any] | None:
    """First and last day with posts, in the case's zone (after ``prepare_local_posts``)."""
    row = con.execute(f"SELECT min(day), max(day) FROM {LOCAL_POSTS}").fetchone()
    if not row or row[0] is None:
        return None
    return row[0], row[1]


def series_key_sql(dimension: str) -> tuple[str, str]:
    """The SQL key of a post's series in ``dimension`` over ``p``, and the table ``p`` is (one
    of those ``prepare_local_posts`` makes: each has id, author_id, author_key, day,
    posted_at, interactions, forwarded_from_id and source_id)."""
    key_sql, rows, _ = _KEYS[dimension]
    return key_sql, rows


def series_rows_sql(dimension: str) -> str:
    """SQL for the posts of one series (``$key``) between two days (``$first``, ``$last``):
    id, author_id, day, posted_at, forwarded_from_id (after ``prepare_local_posts``)."""
    key_sql, rows, _ = _KEYS[dimension]
    return f"""
        SELECT p.id, p.author_id, p.day, p.posted_at, p.forwarded_from_id
        FROM {rows} p
        WHERE {key_sql} = $key AND p.day BETWEEN $first AND $last
    """


def series_posts(
    con: duckdb.DuckDBPyConnection,
    dimension: str,
    key: str,
    first_day: Any,
    last_day: Any,
    limit: int = 5,
    latest: bool = False,
) -> list[str]:
    """Post ids of one series between two days (inclusive): the earliest, or the latest."""
    order = "DESC" if latest else "ASC"
    sql = (
        f"SELECT id FROM ({series_rows_sql(dimension)}) "
        f"ORDER BY posted_at {order}, id LIMIT {int(limit)}"
    )
    params = {"key": key, "first": first_day, "last": last_day}
    return [row[0] for row in con.execute(sql, params).fetchall()]


BUCKETS = {"hour": "hour", "day": "day", "week": "week"}


def bucketed_series(
    con: duckdb.DuckDBPyConnection, zone: str, dimension: str, bucket: str
) -> list[dict[str, Any]]:
    """Posts and accounts per hour, day or week (weeks start on Monday) of one dimension of
    ``SERIES_DIMENSIONS``, counted in ``zone``, straight from the posts and facts (nothing
    stored). Accounts are labelled ``@handle (Name)``."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}")
    prepare_local_posts(con, zone, _latest_network(con), dimension == "place")
    key, table, labels = _KEYS[dimension]
    sql = f"""
        WITH counted AS (
            SELECT {key} AS k,
                   date_trunc('{BUCKETS[bucket]}', timezone($zone, p.posted_at)) AS bucket,
                   count(*) AS posts, count(DISTINCT p.author_key) AS accounts
            FROM {table} p
            WHERE {key} IS NOT NULL
            GROUP BY ALL
        ),
        keys AS (SELECT DISTINCT k FROM counted),
        labels(k, label) AS ({labels})
        SELECT c.k AS key, l.label, CAST(c.bucket AS VARCHAR) AS bucket, c.posts, c.accounts
        FROM counted c JOIN labels l ON l.k = c.k
        ORDER BY key, c.bucket
    """
    cursor = con.execute(sql, {"zone": zone})
    columns = [d[0] for d in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    if dimension == "account":
        named = actor_labels(con, sorted({row["key"] for row in rows}))
        for row in rows:
            row["label"] = named.get(row["key"], (row["key"], ""))[0]
    return rows


def _latest_network(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(
        "SELECT id FROM runs WHERE kind = 'analysis' AND name = 'network' AND status = 'done' "
        "ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else None

"""What the report shows, read from a case: counts, sources, the latest runs' results, and the
posts cited as evidence. Rows come back as plain dicts; nothing here formats or escapes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from veille.store.actor_history import actor_labels

__all__ = [
    "activity_series",
    "country_posts",
    "evidence_posts",
    "summary_counts",
    "top_accounts",
]

_COUNTS = {
    "posts": "SELECT count(*) FROM posts",
    "accounts": "SELECT count(*) FROM actors",
    "interactions": "SELECT count(*) FROM interactions",
    "sources": "SELECT count(*) FROM sources",
    "quarantined": "SELECT count(*) FROM quarantine",
    "media": "SELECT count(*) FROM media WHERE status = 'stored'",
    "places": "SELECT count(DISTINCT place_id) FROM post_places",
    "entities": "SELECT count(DISTINCT entity_id) FROM post_entities",
}


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def summary_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for name, sql in _COUNTS.items():
        row = con.execute(sql).fetchone()
        counts[name] = int(row[0]) if row else 0
    return counts


def top_accounts(con: duckdb.DuckDBPyConnection, run_id: str, top: int) -> list[dict[str, Any]]:
    rows = _dicts(
        con.execute(
            """
            SELECT m.rank, m.actor_id, m.combined, m.community, m.reasons
            FROM actor_metrics m WHERE m.run_id = ? ORDER BY m.rank LIMIT ?
            """,
            [run_id, top],
        )
    )
    labels = actor_labels(con, [row["actor_id"] for row in rows])
    for row in rows:
        actor = row["actor_id"]
        row["label"], row["platform"] = labels.get(actor, (actor, None))
        reasons = json.loads(row.pop("reasons") or "{}")
        row["sentence"] = reasons.get("sentence", "")
        row["evidence"] = [
            post for edge in reasons.get("top_edges", []) for post in edge.get("evidence", [])
        ][:5]
    return rows


def country_posts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _dicts(
        con.execute(
            "SELECT country_code, count(DISTINCT post_id) AS posts FROM post_places "
            "WHERE country_code IS NOT NULL GROUP BY 1 ORDER BY posts DESC"
        )
    )


def activity_series(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Every series of an activity run as (dimension, key, label, days, posts), days sorted."""
    return _dicts(
        con.execute(
            """
            SELECT dimension, key, any_value(label) AS label,
                   list(CAST(day AS VARCHAR) ORDER BY day) AS days,
                   list(posts ORDER BY day) AS posts, sum(posts) AS total
            FROM activity WHERE run_id = ?
            GROUP BY dimension, key ORDER BY total DESC
            """,
            [run_id],
        )
    )


def evidence_posts(
    con: duckdb.DuckDBPyConnection, post_ids: Sequence[str], max_chars: int = 600
) -> dict[str, dict[str, Any]]:
    """The posts cited as evidence, with where they came from (source file and locator)."""
    if not post_ids:
        return {}
    rows = _dicts(
        con.execute(
            """
            SELECT p.id, p.platform, p.author_id AS author,
                   CAST(p.posted_at AS VARCHAR) AS posted_at, left(p.text, ?) AS text, p.url,
                   s.path AS source_path, p.locator
            FROM posts p
            LEFT JOIN sources s ON s.id = p.source_id
            WHERE list_contains(?, p.id)
            """,
            [max_chars, list(post_ids)],
        )
    )
    labels = actor_labels(con, [row["author"] for row in rows if row["author"]])
    for row in rows:
        if row["author"] in labels:
            row["author"] = labels[row["author"]][0]
    return {row.pop("id"): row for row in rows}

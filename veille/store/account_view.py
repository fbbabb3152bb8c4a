"""One account as the workbench shows it: names over time, activity, contacts, ranks, silence."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from veille.store.actor_history import actor_labels
from veille.store.post_search import WEEK_NUMBER, week_monday
from veille.store.results import latest_run

__all__ = [
    "account_contacts",
    "account_history",
    "account_places",
    "account_record",
    "account_standing",
    "reach_of",
    "weekly_posts",
]


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def account_record(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any] | None:
    rows = _dicts(
        con.execute(
            "SELECT id, platform, kind, native_id, handle, name FROM actors WHERE id = ? LIMIT 1",
            [actor_id],
        )
    )
    if not rows:
        return None
    row = rows[0]
    # One look-up each, by the indexed column alone (another condition beside it, or a
    # correlated subquery, makes DuckDB read the whole table instead).
    wrote = con.execute(
        "SELECT count(*), min(posted_at), max(posted_at) FROM posts WHERE author_id = ?",
        [actor_id],
    ).fetchone()
    inside = con.execute("SELECT count(*) FROM posts WHERE chat_id = ?", [actor_id]).fetchone()
    row["posts"], row["first_post"], row["last_post"] = wrote or (0, None, None)
    row["posts_in"] = inside[0] if inside else 0
    row["label"] = actor_labels(con, [actor_id]).get(actor_id, (actor_id, ""))[0]
    return row


def account_history(con: duckdb.DuckDBPyConnection, actor_id: str) -> list[dict[str, Any]]:
    """Every handle, name and profile the account was seen with, first seen first."""
    return _dicts(
        con.execute(
            "SELECT handle, name, description, location, followers, first_seen, last_seen, "
            "sources FROM actor_history WHERE actor_id = ? ORDER BY first_seen NULLS LAST",
            [actor_id],
        )
    )


def weekly_posts(con: duckdb.DuckDBPyConnection, column: str, actor_id: str) -> list[Any]:
    """(week, posts) of the posts it wrote (``author_id``) or posted in it (``chat_id``)."""
    if column not in ("author_id", "chat_id"):
        raise ValueError(f"not a posts column of an actor: {column!r}")
    rows = con.execute(
        f"SELECT {WEEK_NUMBER} AS week, count(*) FROM posts "
        f"WHERE {column} = ? AND posted_at IS NOT NULL GROUP BY week ORDER BY week",
        [actor_id],
    ).fetchall()
    return [(week_monday(week), int(n)) for week, n in rows]


def account_contacts(
    con: duckdb.DuckDBPyConnection, actor_id: str, top: int = 15
) -> dict[str, list[dict[str, Any]]]:
    """Who it reaches (``out``) and who reaches it (``in``), most interactions first, each
    with the kinds and up to three posts as evidence."""
    found: dict[str, list[dict[str, Any]]] = {}
    for direction, mine, theirs in (
        ("out", "source_actor_id", "target_actor_id"),
        ("in", "target_actor_id", "source_actor_id"),
    ):
        rows = _dicts(
            con.execute(
                f"""
                SELECT {theirs} AS actor_id, count(*) AS interactions,
                       string_agg(DISTINCT kind, ', ' ORDER BY kind) AS kinds,
                       list(post_id ORDER BY occurred_at NULLS LAST, post_id)[1:3] AS evidence
                FROM interactions WHERE {mine} = ?
                GROUP BY ALL ORDER BY interactions DESC, actor_id LIMIT ?
                """,
                [actor_id, top + 1],
            )
        )
        rows = [row for row in rows if row["actor_id"] != actor_id][:top]
        labels = actor_labels(con, [row["actor_id"] for row in rows])
        for row in rows:
            row["label"] = labels.get(row["actor_id"], (row["actor_id"], ""))[0]
        found[direction] = rows
    return found


def account_places(
    con: duckdb.DuckDBPyConnection, actor_id: str, top: int = 10
) -> dict[str, list[dict[str, Any]]]:
    """Places its posts are about (named in the text) and places it posts from (profile
    location, photo GPS), most posts first."""
    found: dict[str, list[dict[str, Any]]] = {}
    for kind, origins in (("about", ["text"]), ("from", ["profile", "exif"])):
        found[kind] = _dicts(
            con.execute(
                "SELECT pl.place_id, any_value(pl.name) AS name, any_value(pl.level) AS level, "
                "count(DISTINCT pl.post_id) AS posts FROM post_places pl "
                "JOIN posts p ON p.id = pl.post_id "
                "WHERE p.author_id = ? AND list_contains(?, pl.origin) "
                "GROUP BY pl.place_id ORDER BY posts DESC, pl.place_id LIMIT ?",
                [actor_id, origins, top],
            )
        )
    return found


def account_standing(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any]:
    """Its ranks and reasons in the latest network run, its silence in the latest silence
    run, and successor candidates it is part of."""
    standing: dict[str, Any] = {"metrics": None, "silence": None, "successors": []}
    network = latest_run(con, "network")
    if network:
        rows = _dicts(
            con.execute(
                "SELECT * EXCLUDE (run_id) FROM actor_metrics WHERE run_id = ? AND actor_id = ?",
                [network["id"], actor_id],
            )
        )
        if rows:
            metrics = rows[0]
            metrics["reasons"] = json.loads(metrics["reasons"] or "{}")
            metrics["run_id"] = network["id"]
            standing["metrics"] = metrics
    silence = latest_run(con, "silence")
    if silence:
        rows = _dicts(
            con.execute(
                "SELECT * EXCLUDE (run_id) FROM silences WHERE run_id = ? AND actor_id = ?",
                [silence["id"], actor_id],
            )
        )
        standing["silence"] = rows[0] if rows else None
    successors = latest_run(con, "successors")
    if successors:
        rows = _dicts(
            con.execute(
                "SELECT * EXCLUDE (run_id) FROM successor_candidates WHERE run_id = ? "
                "AND (old_actor_id = ? OR new_actor_id = ?) ORDER BY score DESC",
                [successors["id"], actor_id, actor_id],
            )
        )
        others = [
            r["new_actor_id"] if r["old_actor_id"] == actor_id else r["old_actor_id"] for r in rows
        ]
        labels = actor_labels(con, others)
        for row, other in zip(rows, others, strict=True):
            row["other_id"] = other
            row["other_label"] = labels.get(other, (other, ""))[0]
            row["role"] = "successor" if row["old_actor_id"] == actor_id else "predecessor"
            row["reasons"] = json.loads(row["reasons"] or "[]")
        standing["successors"] = rows
    return standing


def reach_of(con: duckdb.DuckDBPyConnection, watched: list[str], top: int = 50) -> dict[str, Any]:
    """Who the latest ``reach`` run found within reach of the ``watched`` accounts, nearest and
    strongest first, with the path and the posts behind each hop."""
    run = latest_run(con, "reach")
    if run is None or not watched:
        return {"run": run, "rows": []}
    rows = _dicts(
        con.execute(
            "SELECT actor_id, watch_actor_id, hops, score, path, evidence FROM reach "
            "WHERE run_id = ? AND list_contains(?, watch_actor_id) "
            "ORDER BY hops, score DESC, actor_id LIMIT ?",
            [run["id"], watched, top],
        )
    )
    labels = actor_labels(
        con, sorted({a for row in rows for a in (row["actor_id"], row["watch_actor_id"])})
    )
    for row in rows:
        row["label"] = labels.get(row["actor_id"], (row["actor_id"], ""))[0]
        row["watch_label"] = labels.get(row["watch_actor_id"], (row["watch_actor_id"], ""))[0]
        row["evidence"] = [p for hop in json.loads(row["evidence"] or "[]") for p in hop][:6]
    return {"run": run, "rows": rows}

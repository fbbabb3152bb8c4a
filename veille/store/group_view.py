"""A community or an entity as the workbench shows it: who is in it, what it is called."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from veille.store.actor_history import actor_labels
from veille.store.results import latest_run

__all__ = ["community_record", "entity_record", "labelled", "top_entities"]


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def labelled(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with ``label`` (``@handle (Name)``) added from their ``actor_id``."""
    labels = actor_labels(con, [row["actor_id"] for row in rows])
    return [{**row, "label": labels.get(row["actor_id"], (row["actor_id"], ""))[0]} for row in rows]


def community_record(con: duckdb.DuckDBPyConnection, community: int) -> dict[str, Any] | None:
    """A community of the latest network run: size, what sets it apart, members by rank."""
    run = latest_run(con, "network")
    if run is None:
        return None
    rows = _dicts(
        con.execute(
            "SELECT size, terms FROM communities WHERE run_id = ? AND community = ?",
            [run["id"], community],
        )
    )
    if not rows:
        return None
    members = _dicts(
        con.execute(
            "SELECT actor_id, rank, combined, in_strength, out_strength, brokerage "
            "FROM actor_metrics WHERE run_id = ? AND community = ? ORDER BY rank LIMIT 200",
            [run["id"], community],
        )
    )
    return {
        "community": community,
        "run_id": run["id"],
        "size": rows[0]["size"],
        "terms": json.loads(rows[0]["terms"] or "[]"),
        "members": labelled(con, members),
    }


def entity_record(con: duckdb.DuckDBPyConnection, entity_id: str) -> dict[str, Any] | None:
    """An entity: its name, type, the names it is known by, and how it was written here."""
    rows = _dicts(
        con.execute(
            "SELECT id, type, name, origin, aliases FROM entities WHERE id = ? LIMIT 1",
            [entity_id],
        )
    )
    surfaces = _dicts(
        con.execute(
            "SELECT surface, count(*) AS times, count(DISTINCT post_id) AS posts, "
            "string_agg(DISTINCT method, ', ') AS methods FROM post_entities "
            "WHERE entity_id = ? GROUP BY surface ORDER BY times DESC, surface LIMIT 50",
            [entity_id],
        )
    )
    if not rows and not surfaces:
        return None
    entity = rows[0] if rows else {"id": entity_id, "type": "", "name": entity_id, "origin": ""}
    aliases = json.loads(entity.get("aliases") or "[]") if rows else []
    return {**entity, "aliases": aliases, "surfaces": surfaces}


def top_entities(con: duckdb.DuckDBPyConnection, top: int = 15) -> list[dict[str, Any]]:
    """The entities named in most posts, with their type."""
    return _dicts(
        con.execute(
            "SELECT pe.entity_id, any_value(pe.entity_type) AS type, "
            "coalesce(any_value(e.name), pe.entity_id) AS name, "
            "count(DISTINCT pe.post_id) AS posts FROM post_entities pe "
            "LEFT JOIN entities e ON e.id = pe.entity_id "
            "GROUP BY pe.entity_id ORDER BY posts DESC, pe.entity_id LIMIT ?",
            [top],
        )
    )

"""Places as the workbench shows them: those of a selection, about and from apart, and one
place with who writes about it and from it.

A place is *about* when the text names it (``post_places.origin = 'text'``) and *from* when it
is where the author says it is (the profile's location) or where its photo was taken (EXIF).
The two answer different questions, so they are never added up.
"""

from __future__ import annotations

from typing import Any, Literal

import duckdb

from veille.store.actor_history import actor_labels
from veille.store.post_search import SearchFilters, matching_sql
from veille.store.selection import everything

__all__ = ["LAYERS", "PLACE_CAP", "Layer", "place_accounts", "place_record", "selection_places"]

Layer = Literal["about", "from"]
LAYERS: dict[Layer, tuple[str, ...]] = {"about": ("text",), "from": ("profile", "exif")}
PLACE_CAP = 500  # per layer: past that a map is a blur


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def selection_places(
    con: duckdb.DuckDBPyConnection, filters: SearchFilters, cap: int = PLACE_CAP
) -> dict[Layer, list[dict[str, Any]]]:
    """The places of the posts ``filters`` select, by layer: place_id, name, level,
    country_code, latitude, longitude, posts, accounts (distinct authors); most accounts
    first, at most ``cap`` per layer."""
    if everything(filters):
        selected, params = "TRUE", []
    else:
        sql, matching_params = matching_sql(con, filters)
        selected, params = f"pl.post_id IN (SELECT id FROM ({sql}))", list(matching_params)
    found: dict[Layer, list[dict[str, Any]]] = {}
    for layer, origins in LAYERS.items():
        found[layer] = _dicts(
            con.execute(
                f"""
                SELECT pl.place_id, mode(pl.name) AS name, mode(pl.level) AS level,
                       mode(pl.country_code) AS country_code,
                       round(avg(pl.latitude), 5) AS latitude,
                       round(avg(pl.longitude), 5) AS longitude,
                       count(DISTINCT pl.post_id) AS posts,
                       count(DISTINCT p.author_id) AS accounts
                FROM post_places pl JOIN posts p ON p.id = pl.post_id
                WHERE list_contains(?, pl.origin) AND {selected}
                GROUP BY pl.place_id
                ORDER BY accounts DESC, posts DESC, pl.place_id LIMIT ?
                """,
                [list(origins), *params, cap],
            )
        )
    return found


def place_record(con: duckdb.DuckDBPyConnection, place_id: str) -> dict[str, Any] | None:
    """One place: its name, level, country, coordinates, the ways posts wrote it, and its
    posts and accounts about it and from it; None when no post is placed there."""
    rows = _dicts(
        con.execute(
            """
            SELECT pl.place_id, mode(pl.name) AS name, mode(pl.level) AS level,
                   mode(pl.country_code) AS country_code, any_value(pl.geonameid) AS geonameid,
                   round(avg(pl.latitude), 5) AS latitude,
                   round(avg(pl.longitude), 5) AS longitude,
                   list_sort(list_distinct(list(pl.surface) FILTER (
                       WHERE pl.surface IS NOT NULL))) AS written,
                   count(DISTINCT pl.post_id) FILTER (WHERE pl.origin = 'text') AS posts_about,
                   count(DISTINCT pl.post_id) FILTER (WHERE pl.origin <> 'text') AS posts_from,
                   count(DISTINCT p.author_id) FILTER (WHERE pl.origin = 'text')
                       AS accounts_about,
                   count(DISTINCT p.author_id) FILTER (WHERE pl.origin <> 'text')
                       AS accounts_from
            FROM post_places pl JOIN posts p ON p.id = pl.post_id
            WHERE pl.place_id = ? GROUP BY pl.place_id
            """,
            [place_id],
        )
    )
    return rows[0] if rows else None


def place_accounts(
    con: duckdb.DuckDBPyConnection, place_id: str, top: int = 15
) -> dict[Layer, list[dict[str, Any]]]:
    """The accounts whose posts are about the place, and those posting from it: actor_id,
    label, posts; most posts first."""
    found: dict[Layer, list[dict[str, Any]]] = {}
    for layer, origins in LAYERS.items():
        rows = _dicts(
            con.execute(
                "SELECT p.author_id AS actor_id, count(DISTINCT p.id) AS posts "
                "FROM post_places pl JOIN posts p ON p.id = pl.post_id "
                "WHERE pl.place_id = ? AND list_contains(?, pl.origin) "
                "AND p.author_id IS NOT NULL "
                "GROUP BY ALL ORDER BY posts DESC, actor_id LIMIT ?",
                [place_id, list(origins), top],
            )
        )
        labels = actor_labels(con, [row["actor_id"] for row in rows])
        for row in rows:
            row["label"] = labels.get(row["actor_id"], (row["actor_id"], ""))[0]
        found[layer] = rows
    return found

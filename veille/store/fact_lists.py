"""What the enrichers found, summed up: entities and places with counts, names seen, examples.

Each row names a few example posts with the words around the mention, so an analyst can check a
match without leaving the terminal ("... depuis [Mossoul] ce soir ...").
"""

from __future__ import annotations

from typing import Any

import duckdb

__all__ = ["community_members", "entity_list", "media_list", "place_list"]

_CONTEXT = 40  # characters shown either side of an example mention

_EXAMPLES = f"""
    examples AS (
        SELECT key, list({{'post_id': post_id, 'surface': surface,
                          'context': context}} ORDER BY post_id)[1:3] AS examples
        FROM (
            SELECT m.key, m.post_id, m.surface,
                   substr(coalesce(CASE WHEN m.field = 'title' THEN p.title ELSE p.text END, ''),
                          greatest(m.start_char - {_CONTEXT}, 0) + 1,
                          m.end_char - greatest(m.start_char - {_CONTEXT}, 0) + {_CONTEXT})
                       AS context,
                   row_number() OVER (PARTITION BY m.key ORDER BY m.post_id) AS n
            FROM mentions m JOIN posts p ON p.id = m.post_id
            WHERE m.start_char IS NOT NULL
        ) WHERE n <= 3
        GROUP BY key
    )
"""


def entity_list(
    con: duckdb.DuckDBPyConnection, entity_type: str | None = None, top: int | None = None
) -> list[dict[str, Any]]:
    """Entities by number of mentions, with the names they were found under."""
    sql = f"""
        WITH mentions AS (
            SELECT entity_id AS key, entity_type, post_id, field, start_char, end_char, surface,
                   method
            FROM post_entities
            WHERE ? IS NULL OR entity_type = ?
        ),
        {_EXAMPLES}
        SELECT m.key AS entity_id, coalesce(any_value(e.name), any_value(m.surface)) AS name,
               any_value(m.entity_type) AS type, count(*) AS mentions,
               count(DISTINCT m.post_id) AS posts, list(DISTINCT m.surface ORDER BY m.surface)
                   AS names_seen,
               list(DISTINCT m.method ORDER BY m.method) AS methods,
               any_value(x.examples) AS examples
        FROM mentions m
        LEFT JOIN entities e ON e.id = m.key
        LEFT JOIN examples x ON x.key = m.key
        GROUP BY m.key
        ORDER BY mentions DESC, entity_id
        LIMIT ?
    """
    return _rows(con, sql, [entity_type, entity_type, top])


def place_list(
    con: duckdb.DuckDBPyConnection,
    level: str | None = None,
    top: int | None = None,
    authors: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Places by number of mentions, with the names they were found under and why; with
    ``authors`` (actor ids), only the places those accounts post from or about."""
    sql = f"""
        WITH mentions AS (
            SELECT pp.place_id AS key, pp.* FROM post_places pp
            WHERE (? IS NULL OR pp.level = ?)
              AND (?::VARCHAR[] IS NULL OR pp.post_id IN (
                  SELECT id FROM posts WHERE list_contains(?::VARCHAR[], author_id)))
        ),
        {_EXAMPLES}
        SELECT m.key AS place_id, any_value(m.name) AS name,
               any_value(m.country_code) AS country_code, any_value(m.level) AS level,
               any_value(m.geonameid) AS geonameid,
               round(any_value(m.latitude), 4) AS latitude,
               round(any_value(m.longitude), 4) AS longitude,
               count(*) AS mentions, count(DISTINCT m.post_id) AS posts,
               list(DISTINCT m.surface ORDER BY m.surface) FILTER (m.surface IS NOT NULL)
                   AS names_seen,
               list(DISTINCT m.origin ORDER BY m.origin) AS origins,
               round(avg(m.confidence), 3) AS mean_confidence,
               mode(m.reason) AS usual_reason,
               any_value(x.examples) AS examples
        FROM mentions m
        LEFT JOIN examples x ON x.key = m.key
        GROUP BY m.key
        ORDER BY mentions DESC, place_id
        LIMIT ?
    """
    return _rows(con, sql, [level, level, authors, authors, top])


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def media_list(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Photos read by the media enricher: camera, time, position, place, the post and source."""
    sql = """
        SELECT f.media_id, f.sha256, m.post_id, m.name AS file, s.path AS source_path,
               p.platform, f.camera_make, f.camera_model, f.taken_at, f.latitude, f.longitude,
               pl.name AS place, pl.country_code, f.phash, f.pdq_quality, f.problems
        FROM media_facts f
        JOIN media m ON m.id = f.media_id
        LEFT JOIN posts p ON p.id = m.post_id
        LEFT JOIN sources s ON s.id = m.source_id
        LEFT JOIN post_places pl ON pl.media_id = f.media_id AND pl.origin = 'exif'
        ORDER BY f.latitude IS NULL, p.platform, m.name
    """
    return _rows(con, sql, [])


def community_members(con: duckdb.DuckDBPyConnection, community: int) -> list[str]:
    """Actor ids of a community in the latest finished network run."""
    rows = con.execute(
        """
        SELECT actor_id FROM actor_metrics
        WHERE community = ? AND run_id = (
            SELECT id FROM runs WHERE kind = 'analysis' AND name = 'network' AND status = 'done'
            ORDER BY finished_at DESC LIMIT 1)
        """,
        [community],
    ).fetchall()
    return [row[0] for row in rows]

"""Watchlist look-ups in the ``actors`` table: the SQL behind ``veille.analyze.reach``."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

__all__ = ["match_actors"]


def match_actors(
    con: duckdb.DuckDBPyConnection,
    texts: Sequence[str],
    platforms: Sequence[str | None],
    handles: Sequence[str | None],
) -> list[tuple[int, str, str]]:
    """Actors matching each watchlist entry ``i``: ``(i, actor id, "id" | "handle")`` rows.

    Entry ``i`` matches an actor whose id is ``texts[i]``, and one whose handle, now or at any
    time seen (``actor_sightings``), equals ``handles[i]`` ignoring case, on platform
    ``platforms[i]`` (ignoring case) unless that is None. Sorted by entry, then actor id.
    Reads only.
    """
    if not len(texts) == len(platforms) == len(handles):
        raise ValueError("texts, platforms and handles must have the same length")
    if not texts:
        return []
    sql = """
    WITH wanted AS (
        SELECT unnest(?::INTEGER[]) AS entry, unnest(?::VARCHAR[]) AS text,
               lower(unnest(?::VARCHAR[])) AS platform, lower(unnest(?::VARCHAR[])) AS handle
    ),
    matches AS (
        SELECT w.entry, a.id, 'id' AS how FROM wanted w JOIN actors a ON a.id = w.text
        UNION
        SELECT w.entry, a.id, 'handle' AS how
        FROM wanted w JOIN actors a ON lower(a.handle) = w.handle
        WHERE w.platform IS NULL OR lower(a.platform) = w.platform
        UNION
        -- A handle the account had once: a renamed account is still the one on the list.
        SELECT w.entry, s.actor_id, 'handle' AS how
        FROM wanted w JOIN actor_sightings s ON lower(s.handle) = w.handle
        WHERE w.platform IS NULL OR lower(s.platform) = w.platform
    )
    SELECT entry, id, how FROM matches ORDER BY entry, id, how
    """
    params = [list(range(len(texts))), list(texts), list(platforms), list(handles)]
    return [(int(e), str(a), str(h)) for e, a, h in con.execute(sql, params).fetchall()]

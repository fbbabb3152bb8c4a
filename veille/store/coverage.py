"""What the coverage of sources and series is computed from: records per source and day, and
which sources each series' posts came from (after ``activity.prepare_local_posts``).

Days are indices from ``first`` (the case's first day, in its zone), so arrays line up with
the activity calendar. Records are the posts the activity series count (timed, not service
lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import numpy.typing as npt

from veille.store.activity import LOCAL_POSTS, series_key_sql

__all__ = ["SourceDays", "series_sources", "source_days"]

_SOURCE_DAYS = "veille_source_days"


@dataclass(frozen=True)
class SourceDays:
    """One source's records per day of the calendar, its path and whether several voices
    (chats, or authors when its posts have no chat) speak in it."""

    source_id: str
    path: str | None  # None for posts whose source is not in ``sources``
    several_voices: bool
    daily: npt.NDArray[np.int64]


def source_days(con: duckdb.DuckDBPyConnection, first: date, days: int) -> list[SourceDays]:
    """Records per day for every source with timed posts, in source id order.

    One pass over the posts: per source and day, the count and the least and greatest chat
    and author (a 64-bit hash), which tell one voice from several without counting distinct
    values over every post.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {_SOURCE_DAYS} AS
        SELECT source_id, CAST(day - $first AS BIGINT) AS d, count(*) AS n,
               count(chat_id) AS chats, min(chat_id) AS chat_lo, max(chat_id) AS chat_hi,
               min(author_key) AS author_lo, max(author_key) AS author_hi
        FROM {LOCAL_POSTS} GROUP BY ALL
        """,
        {"first": first},
    )
    about = {
        source: (path, bool(several))
        for source, path, several in con.execute(
            f"""
            SELECT d.source_id, any_value(s.path),
                   CASE WHEN sum(d.chats) > 0 THEN min(d.chat_lo) < max(d.chat_hi)
                        ELSE coalesce(min(d.author_lo) < max(d.author_hi), false) END
            FROM {_SOURCE_DAYS} d LEFT JOIN sources s ON s.id = d.source_id
            GROUP BY d.source_id
            """
        ).fetchall()
    }
    rows = con.execute(
        f"SELECT source_id, d, n FROM {_SOURCE_DAYS} ORDER BY source_id, d"
    ).fetchnumpy()
    con.execute(f"DROP TABLE {_SOURCE_DAYS}")
    ids = rows["source_id"]
    edges = np.flatnonzero(ids[1:] != ids[:-1]) + 1 if ids.size else np.array([], dtype=int)
    out = []
    for a, b in zip(np.concatenate(([0], edges)), np.concatenate((edges, [ids.size])), strict=True):
        if a == b:
            continue
        daily = np.zeros(days, dtype=np.int64)
        daily[rows["d"][a:b]] = rows["n"][a:b]
        source = str(ids[a])
        path, several = about[source]
        out.append(SourceDays(source, path, several, daily))
    return out


def series_sources(
    con: duckdb.DuckDBPyConnection, dimension: str, sources: Sequence[str]
) -> dict[str, dict[str, int]]:
    """For each series key of ``dimension``: the posts each of ``sources`` gave it."""
    key, table = series_key_sql(dimension)
    rows = con.execute(
        f"""
        SELECT {key} AS k, p.source_id, count(*) AS n
        FROM {table} p
        WHERE {key} IS NOT NULL AND p.source_id IN (SELECT unnest($sources))
        GROUP BY ALL
        """,
        {"sources": list(sources)},
    ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for k, source, n in rows:
        out.setdefault(str(k), {})[str(source)] = int(n)
    return out

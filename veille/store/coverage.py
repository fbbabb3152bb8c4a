"""What the coverage of sources and series is computed from: records per source and day, and
which sources each series' posts came from (after ``activity.prepare_local_posts``).

Days are indices from ``first`` (the case's first day, in its zone), so arrays line up with
the activity calendar. Records are the posts the activity series count (timed, not service
lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import numpy.typing as npt

from veille.store.activity import LOCAL_POSTS, series_key_sql

__all__ = ["SourceDays", "series_sources", "source_days"]


@dataclass(frozen=True)
class SourceDays:
    """One source's records per day of the calendar, its path and how many voices it has."""

    source_id: str
    path: str | None  # None for posts whose source is not in ``sources``
    voices: int  # distinct chats, or distinct authors when none of its posts has a chat
    daily: npt.NDArray[np.int64]


def source_days(con: duckdb.DuckDBPyConnection, first: date, days: int) -> list[SourceDays]:
    """Records per day for every source with timed posts, in source id order."""
    rows = con.execute(
        f"""
        SELECT source_id, CAST(day - $first AS BIGINT) AS d, count(*) AS n
        FROM {LOCAL_POSTS} GROUP BY ALL ORDER BY source_id, d
        """,
        {"first": first},
    ).fetchnumpy()
    about = {
        source: (path, int(voices))
        for source, path, voices in con.execute(
            f"""
            SELECT p.source_id, any_value(s.path),
                   CASE WHEN count(p.chat_id) > 0 THEN count(DISTINCT p.chat_id)
                        ELSE count(DISTINCT p.author_id) END
            FROM {LOCAL_POSTS} p LEFT JOIN sources s ON s.id = p.source_id
            GROUP BY p.source_id
            """
        ).fetchall()
    }
    ids = rows["source_id"]
    out = []
    edges = np.flatnonzero(ids[1:] != ids[:-1]) + 1 if ids.size else np.array([], dtype=int)
    for a, b in zip(np.concatenate(([0], edges)), np.concatenate((edges, [ids.size])), strict=True):
        if a == b:
            continue
        daily = np.zeros(days, dtype=np.int64)
        daily[rows["d"][a:b]] = rows["n"][a:b]
        source = str(ids[a])
        path, voices = about[source]
        out.append(SourceDays(source, path, voices, daily))
    return out


def series_sources(con: duckdb.DuckDBPyConnection, dimension: str) -> dict[str, dict[str, int]]:
    """For each series key of ``dimension``: the posts each source gave it."""
    key, join = series_key_sql(dimension)
    rows = con.execute(
        f"""
        SELECT {key} AS k, p.source_id, count(*) AS n
        FROM {LOCAL_POSTS} p {join}
        WHERE {key} IS NOT NULL
        GROUP BY ALL
        """
    ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for k, source, n in rows:
        out.setdefault(str(k), {})[str(source)] = int(n)
    return out

"""Search posts: words through the full-text index, and filters on what the case knows.

Every filter narrows the posts the same way whether or not there are words, so the search
page, its counts over time and its export always agree. Words must all be in a post (text or
title); results are ranked by BM25, or by time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

import duckdb
import pyarrow as pa

from veille.store.search_index import INDEX_SCHEMA, index_state, load_fts, query_words

__all__ = [
    "PlaceOrigin",
    "SearchFilters",
    "SearchPage",
    "daily_counts",
    "matching_posts",
    "matching_sql",
    "search_posts",
    "search_timeline",
]

PlaceOrigin = Literal["about", "from"]
Sort = Literal["relevance", "newest", "oldest"]
# Where a place fact comes from: named in the text (about), or the author's profile location
# or a photo's GPS (from).
_ORIGINS: dict[str, tuple[str, ...]] = {"about": ("text",), "from": ("profile", "exif")}
_K1, _B = 1.2, 0.75  # the BM25 constants of DuckDB's own match_bm25


@dataclass(frozen=True, slots=True)
class SearchFilters:
    words: str = ""
    since: date | None = None  # first day included
    until: date | None = None  # last day included
    platform: str | None = None
    chat: str | None = None  # actor id of a channel, group or chat
    account: str | None = None  # actor id of the author
    community: int | None = None  # in the latest network run
    place: str | None = None  # place id: geonames:99072, country:IQ
    place_origin: PlaceOrigin | None = None
    lang: str | None = None
    hashtag: str | None = None  # without the #, any case
    entity: str | None = None  # entity id: org:islamic-state
    sort: Sort = "relevance"

    def without_words(self) -> SearchFilters:
        return replace(self, words="")


@dataclass
class SearchPage:
    filters: SearchFilters
    words: list[str]  # as the index holds them: what to highlight
    total: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    index_missing: bool = False
    index_stale: bool = False


def _hits_sql(words: list[str]) -> str:
    """Posts holding every one of ``words`` (bound as one list parameter), with a BM25 score."""
    s = INDEX_SCHEMA
    return f"""
        SELECT docs.name AS post_id,
               sum(ln((st.num_docs - q.df + 0.5) / (q.df + 0.5) + 1) * h.tf * {_K1 + 1}
                   / (h.tf + {_K1} * (1 - {_B} + {_B} * docs.len / st.avgdl))) AS score
        FROM {s}.by_term h
        JOIN (SELECT termid, df FROM {s}.dict WHERE list_contains(?, term)) q USING (termid)
        JOIN {s}.docs docs ON docs.docid = h.docid
        CROSS JOIN {s}.stats st
        GROUP BY docs.name
        HAVING count(*) = {len(words)}
    """


def _where(filters: SearchFilters) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``p`` (posts) for every filter but the words, and their parameters."""
    conditions: list[str] = []
    params: list[Any] = []
    if filters.since is not None:
        conditions.append("p.posted_at >= ?")
        params.append(filters.since)
    if filters.until is not None:
        conditions.append("p.posted_at < ?")
        params.append(filters.until + timedelta(days=1))
    for column, value in (
        ("p.platform", filters.platform),
        ("p.chat_id", filters.chat),
        ("p.author_id", filters.account),
    ):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    if filters.community is not None:
        conditions.append(
            "p.author_id IN (SELECT actor_id FROM actor_metrics WHERE community = ? AND run_id = "
            "(SELECT id FROM runs WHERE kind = 'analysis' AND name = 'network' "
            "AND status = 'done' ORDER BY finished_at DESC LIMIT 1))"
        )
        params.append(filters.community)
    if filters.place:
        origins = _ORIGINS.get(filters.place_origin or "", ("text", "profile", "exif"))
        conditions.append(
            "p.id IN (SELECT post_id FROM post_places WHERE place_id = ? "
            "AND list_contains(?, origin))"
        )
        params += [filters.place, list(origins)]
    if filters.lang:
        conditions.append(
            "p.id IN (SELECT post_id FROM post_languages WHERE part = 0 AND lang = ?)"
        )
        params.append(filters.lang)
    if filters.hashtag:
        conditions.append(
            "p.id IN (SELECT post_id FROM post_links WHERE kind = 'hashtag' "
            "AND lower(normalized) = lower(?))"
        )
        params.append(filters.hashtag.lstrip("#"))
    if filters.entity:
        conditions.append("p.id IN (SELECT post_id FROM post_entities WHERE entity_id = ?)")
        params.append(filters.entity)
    return conditions, params


def _matching(
    con: duckdb.DuckDBPyConnection, filters: SearchFilters
) -> tuple[str, list[Any], list[str], bool]:
    """(SELECT of matching post ids with a score, its parameters, the words, index missing)."""
    conditions, params = _where(filters)
    words = query_words(con, filters.words) if filters.words.strip() else []
    state = index_state(con)
    where = " AND ".join(conditions) or "TRUE"
    if words and state.exists:
        load_fts(con)
        sql = (
            f"SELECT p.id, p.posted_at, h.score FROM posts p "
            f"JOIN ({_hits_sql(words)}) h ON h.post_id = p.id WHERE {where}"
        )
        return sql, [words, *params], words, False
    if words:  # no index: a plain scan, slower but never wrong
        scan = " AND ".join(
            "strip_accents(lower(p.text || ' ' || coalesce(p.title, ''))) LIKE ?" for _ in words
        )
        sql = f"SELECT p.id, p.posted_at, 1.0 AS score FROM posts p WHERE {where} AND {scan}"
        return sql, [*params, *(f"%{w}%" for w in words)], words, True
    sql = f"SELECT p.id, p.posted_at, NULL::DOUBLE AS score FROM posts p WHERE {where}"
    return sql, params, [], False


def matching_sql(con: duckdb.DuckDBPyConnection, filters: SearchFilters) -> tuple[str, list[Any]]:
    """A SELECT of the matching posts (``id``, ``posted_at``, ``score``) and its parameters,
    for other views to build on: they then follow the same filters as the search."""
    sql, params, _, _ = _matching(con, filters)
    return sql, params


_ORDER = {
    "relevance": "score DESC NULLS LAST, posted_at DESC NULLS LAST, id",
    "newest": "posted_at DESC NULLS LAST, id",
    "oldest": "posted_at ASC NULLS LAST, id",
}
# The same orders once the found ids are joined back to their posts.
_ORDER_JOINED = {
    "relevance": "f.score DESC NULLS LAST, p.posted_at DESC NULLS LAST, p.id",
    "newest": "p.posted_at DESC NULLS LAST, p.id",
    "oldest": "p.posted_at ASC NULLS LAST, p.id",
}


def search_posts(
    con: duckdb.DuckDBPyConnection, filters: SearchFilters, limit: int = 50, offset: int = 0
) -> SearchPage:
    """One page of posts matching ``filters``, best first, with their author and chat."""
    sql, params, words, missing = _matching(con, filters)
    state = index_state(con)
    total_row = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
    page = SearchPage(
        filters,
        words,
        int(total_row[0]) if total_row else 0,
        index_missing=missing,
        index_stale=state.stale,
    )
    cursor = con.execute(
        f"""
        WITH found AS ({sql} ORDER BY {_ORDER[filters.sort]} LIMIT ? OFFSET ?)
        SELECT p.id, p.platform, p.kind, p.posted_at, p.text, p.title, p.author_id, p.chat_id,
               p.url, f.score
        FROM found f JOIN posts p ON p.id = f.id
        ORDER BY {_ORDER_JOINED[filters.sort]}
        """,
        [*params, limit, offset],
    )
    names = [column[0] for column in cursor.description]
    page.rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return page


def search_timeline(
    con: duckdb.DuckDBPyConnection, filters: SearchFilters
) -> list[tuple[date, int]]:
    """Matching posts per week (Mondays), oldest first: the query's counts over time."""
    sql, params, _, _ = _matching(con, filters)
    rows = con.execute(
        f"SELECT CAST(date_trunc('week', posted_at) AS DATE) AS week, count(*) "
        f"FROM ({sql}) WHERE posted_at IS NOT NULL GROUP BY week ORDER BY week",
        params,
    ).fetchall()
    return [(row[0], int(row[1])) for row in rows]


def daily_counts(con: duckdb.DuckDBPyConnection, filters: SearchFilters) -> list[tuple[date, int]]:
    """Matching posts per day, oldest first (days without a post left out)."""
    sql, params, _, _ = _matching(con, filters)
    rows = con.execute(
        f"SELECT CAST(posted_at AS DATE) AS day, count(*) FROM ({sql}) "
        "WHERE posted_at IS NOT NULL GROUP BY day ORDER BY day",
        params,
    ).fetchall()
    return [(row[0], int(row[1])) for row in rows]


def matching_posts(con: duckdb.DuckDBPyConnection, filters: SearchFilters) -> pa.Table:
    """Every matching post (for export), with its author's id, source file and locator."""
    sql, params, _, _ = _matching(con, filters)
    return con.execute(
        f"""
        WITH found AS ({sql})
        SELECT p.id, p.platform, p.kind, p.posted_at, p.author_id, p.chat_id, p.text, p.title,
               p.url, s.path AS source_path, p.locator, f.score
        FROM found f JOIN posts p ON p.id = f.id LEFT JOIN sources s ON s.id = p.source_id
        ORDER BY {_ORDER_JOINED[filters.sort]}
        """,
        params,
    ).to_arrow_table()

"""Search posts: words through the full-text index, and filters on what the case knows.

Every filter narrows the posts the same way whether or not there are words, so the search
page, its counts over time and its export always agree. Words must all be in a post (text or
title); results are ranked by BM25, or by time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

import duckdb
import pyarrow as pa

from veille.store.search_index import INDEX_SCHEMA, index_state, query_words, word_weights

__all__ = [
    "WEEK_NUMBER",
    "PlaceOrigin",
    "SearchFilters",
    "SearchPage",
    "daily_counts",
    "matching_posts",
    "matching_sql",
    "search_posts",
    "search_timeline",
    "top_authors",
    "week_monday",
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
    involving: str | None = None  # actor id: posts it wrote, or that mention, answer or forward it
    read_after: datetime | None = None  # posts from files first read after this time
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


def _hits_sql(weights: dict[int, float]) -> tuple[str, list[Any]]:
    """Posts holding every word (term id -> weight), with their BM25 score, and the parameters.

    The term ids are written into the SQL (they are the index's integers): a literal list lets
    DuckDB skip every row group of ``hits`` that holds none of them."""
    s = INDEX_SCHEMA
    listed = ", ".join(str(int(termid)) for termid in weights)
    sql = f"""
        SELECT h.post_id,
               sum(w.weight * h.tf * {_K1 + 1}
                   / (h.tf + {_K1} * (1 - {_B} + {_B} * h.len / st.avgdl))) AS score
        FROM {s}.hits h
        JOIN (SELECT unnest(?::INTEGER[]) AS termid, unnest(?::DOUBLE[]) AS weight) w
            USING (termid)
        CROSS JOIN {s}.stats st
        WHERE h.termid IN ({listed})
        GROUP BY h.post_id
        HAVING count(*) = {len(weights)}
    """
    return sql, [list(weights), list(weights.values())]


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
    if filters.involving:
        conditions.append(
            "(p.author_id = ? OR p.id IN "
            "(SELECT post_id FROM interactions WHERE target_actor_id = ?))"
        )
        params += [filters.involving, filters.involving]
    if filters.read_after is not None:
        conditions.append("p.source_id IN (SELECT id FROM sources WHERE started_at > ?)")
        params.append(filters.read_after)
    return conditions, params


@dataclass(frozen=True, slots=True)
class _Matching:
    sql: str  # SELECT id, posted_at, score of the matching posts
    params: list[Any]
    words: list[str]
    index_missing: bool = False
    index_stale: bool = False
    words_only: bool = False  # ``sql`` reads the index alone: no filter, ranked by score


def _matching(con: duckdb.DuckDBPyConnection, filters: SearchFilters) -> _Matching:
    conditions, params = _where(filters)
    words = query_words(con, filters.words) if filters.words.strip() else []
    state = index_state(con)
    where = " AND ".join(conditions) or "TRUE"
    if words and state.exists:
        weights = word_weights(con, words)
        if weights is None:  # a word no post holds: nothing can match
            return _Matching("SELECT NULL AS id, NULL AS posted_at, NULL AS score LIMIT 0", [],
                             words, index_stale=state.stale)  # fmt: skip
        hits, hit_params = _hits_sql(weights)
        if not conditions and filters.sort == "relevance":
            sql = f"SELECT post_id AS id, NULL::TIMESTAMPTZ AS posted_at, score FROM ({hits})"
            return _Matching(sql, hit_params, words, index_stale=state.stale, words_only=True)
        sql = (
            f"SELECT p.id, p.posted_at, h.score FROM posts p "
            f"JOIN ({hits}) h ON h.post_id = p.id WHERE {where}"
        )
        return _Matching(sql, [*hit_params, *params], words, index_stale=state.stale)
    if words:  # no index: a plain scan, slower but never wrong
        scan = " AND ".join(
            "strip_accents(lower(p.text || ' ' || coalesce(p.title, ''))) LIKE ?" for _ in words
        )
        sql = f"SELECT p.id, p.posted_at, 1.0 AS score FROM posts p WHERE {where} AND {scan}"
        return _Matching(sql, [*params, *(f"%{w}%" for w in words)], words, index_missing=True)
    sql = f"SELECT p.id, p.posted_at, NULL::DOUBLE AS score FROM posts p WHERE {where}"
    return _Matching(sql, params, [], index_stale=state.stale)


def matching_sql(con: duckdb.DuckDBPyConnection, filters: SearchFilters) -> tuple[str, list[Any]]:
    """A SELECT of the matching posts (``id``, ``posted_at``, ``score``) and its parameters,
    for other views to build on: they then follow the same filters as the search. Always
    joined to the posts, so ``posted_at`` is there (the words-only path leaves it out)."""
    matching = _matching(con, replace(filters, sort="newest"))
    return matching.sql, matching.params


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
    matching = _matching(con, filters)
    total_row = con.execute(f"SELECT count(*) FROM ({matching.sql})", matching.params).fetchone()
    page = SearchPage(
        filters,
        matching.words,
        int(total_row[0]) if total_row else 0,
        index_missing=matching.index_missing,
        index_stale=matching.index_stale,
    )
    found = con.execute(
        f"SELECT id, score FROM ({matching.sql}) ORDER BY {_ORDER[filters.sort]} LIMIT ? OFFSET ?",
        [*matching.params, limit, offset],
    ).fetchall()
    scores = dict(found)
    # The page's posts by id, written into the query: the posts' id index answers a literal
    # IN list without reading the table.
    listed = ", ".join("'" + str(post_id).replace("'", "''") + "'" for post_id in scores)
    cursor = con.execute(
        "SELECT p.id, p.platform, p.kind, p.posted_at, p.text, p.title, p.author_id, "
        f"p.chat_id, p.url FROM posts p WHERE p.id IN ({listed or 'NULL'})"
    )
    names = [column[0] for column in cursor.description]
    rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    page.rows = [{**rows[post_id], "score": scores[post_id]} for post_id in scores]
    return page


def search_timeline(
    con: duckdb.DuckDBPyConnection, filters: SearchFilters
) -> list[tuple[date, int]]:
    """Matching posts per week (Mondays), oldest first: the query's counts over time."""
    matching = _matching(con, replace(filters, sort="newest"))  # joined to the posts' times
    rows = con.execute(
        f"SELECT {WEEK_NUMBER} AS week, count(*) "
        f"FROM ({matching.sql}) WHERE posted_at IS NOT NULL GROUP BY week ORDER BY week",
        matching.params,
    ).fetchall()
    return [(week_monday(row[0]), int(row[1])) for row in rows]


# Weeks (Monday to Sunday, UTC) counted from the first Monday of 1970, in integer arithmetic on
# microseconds: date_trunc('week') on a TIMESTAMPTZ goes through the time-zone library and
# took 1.2 s over 10^6 posts, this 60 ms.
WEEK_NUMBER = "(epoch_us(posted_at) - 345600000000) // 604800000000"
_FIRST_MONDAY = date(1970, 1, 5)


def week_monday(number: int) -> date:
    """The Monday that starts week ``number`` of ``WEEK_NUMBER``."""
    return _FIRST_MONDAY + timedelta(weeks=int(number))


def daily_counts(con: duckdb.DuckDBPyConnection, filters: SearchFilters) -> list[tuple[date, int]]:
    """Matching posts per day, oldest first (days without a post left out)."""
    sql, params = matching_sql(con, filters)
    rows = con.execute(
        f"SELECT CAST(posted_at AS DATE) AS day, count(*) FROM ({sql}) "
        "WHERE posted_at IS NOT NULL GROUP BY day ORDER BY day",
        params,
    ).fetchall()
    return [(row[0], int(row[1])) for row in rows]


def matching_posts(con: duckdb.DuckDBPyConnection, filters: SearchFilters) -> pa.Table:
    """Every matching post (for export), with its author's id, source file and locator."""
    matching = _matching(con, filters)
    return con.execute(
        f"""
        WITH found AS ({matching.sql})
        SELECT p.id, p.platform, p.kind, p.posted_at, p.author_id, p.chat_id, p.text, p.title,
               p.url, s.path AS source_path, p.locator, f.score
        FROM found f JOIN posts p ON p.id = f.id LEFT JOIN sources s ON s.id = p.source_id
        ORDER BY {_ORDER_JOINED[filters.sort]}
        """,
        matching.params,
    ).to_arrow_table()


def top_authors(
    con: duckdb.DuckDBPyConnection, filters: SearchFilters, top: int = 20
) -> list[dict[str, Any]]:
    """The accounts that wrote most of the matching posts, with their counts."""
    matching = _matching(con, filters)
    cursor = con.execute(
        f"SELECT p.author_id AS actor_id, count(*) AS posts FROM ({matching.sql}) f "
        "JOIN posts p ON p.id = f.id WHERE p.author_id IS NOT NULL "
        "GROUP BY ALL ORDER BY posts DESC, actor_id LIMIT ?",
        [*matching.params, top],
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

"""Who wrote about each place, and who posted from it: people per place, kind and day.

A place fact (``post_places``) is of one of two kinds: **about**, a place named in a post's text
or title (origin ``text``), and **from**, where its author says or shows they are (origin
``profile``, the profile location, and ``exif``, a photo's GPS position). Each is credited to a
*person*: its author, merged by the case's ``same_as`` (one person under two accounts is one).
Posts without a known author credit nobody, and neither do forwards and retweets for the
places their text names: those are someone else's words (thirty retweets of one report are not
thirty people writing about a place, and one account relaying six others' posts is still one
account). A forward's *from* places (its poster's profile) are its poster's own.

The window counts are exact and computed without listing windows: a person is in the window
starting on day ``s`` when one of their days ``d`` has ``s <= d < s + window``; each of their
days adds the starts no earlier day already covered, ``max(d - window + 1, previous + 1)`` to
``d``, as +1 and -1 at the two ends, and a running sum per series gives people per window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from veille.store.activity import LOCAL_PLACES, PLACE_FACTS, REPEATS

__all__ = [
    "PlaceDays",
    "SpanFigures",
    "countries_by_people",
    "place_days",
    "places_by_people",
    "span_figures",
]

EVIDENCE_PER_SPAN = 50  # posts cited per hotspot: the first of each account, earliest first


def _people_sql(rows: str, columns: str, only: str = "") -> str:
    """SQL of one row per post, place and kind with its ``person`` and ``columns`` of the row
    (``p``), over ``rows``: one row per post and place with id, author_id, place_id, about,
    located and repeat (``LOCAL_PLACES``, or ``_POSTS_AND_PLACES``). The parameters ``$members``
    and ``$canonical`` are the same-as pairs; ``only`` is a condition on ``p``."""
    where = f"AND {only}" if only else ""
    return f"""
        WITH merged AS (
            SELECT unnest($members::VARCHAR[]) AS member,
                   unnest($canonical::VARCHAR[]) AS canonical
        ),
        kinds AS (
            SELECT 'about' AS kind, p.id AS post_id, p.author_id, p.place_id, {columns}
            FROM {rows} p WHERE p.about AND NOT p.repeat {where}
            UNION ALL
            SELECT 'from', p.id, p.author_id, p.place_id, {columns}
            FROM {rows} p WHERE p.located {where}
        )
        SELECT k.* EXCLUDE (author_id), coalesce(m.canonical, k.author_id) AS person
        FROM kinds k LEFT JOIN merged m ON m.member = k.author_id
        WHERE k.author_id IS NOT NULL
    """


# Every post (service lines aside) and place, as LOCAL_PLACES has them, for the report's map
# (which needs no days, so not the case's zone).
_POSTS_AND_PLACES = f"""(
    SELECT p.id, p.author_id, f.place_id, c.country_code, f.about, f.located,
           p.forwarded_from_id IS NOT NULL OR r.post_id IS NOT NULL AS repeat
    FROM ({PLACE_FACTS}) f
    JOIN posts p ON p.id = f.post_id
    LEFT JOIN ({REPEATS}) r ON r.post_id = f.post_id
    LEFT JOIN (SELECT DISTINCT place_id, country_code FROM post_places) c USING (place_id)
    WHERE p.kind <> 'service'
)"""


def _same_as(same_as: Mapping[str, str]) -> dict[str, Any]:
    return {"members": list(same_as), "canonical": list(same_as.values())}


def places_by_people(
    con: duckdb.DuckDBPyConnection, same_as: Mapping[str, str], top: int
) -> list[dict[str, Any]]:
    """The ``top`` places of each kind by people: place_id, kind, name, country_code, level,
    latitude, longitude, accounts, posts, names_seen (for the report's map)."""
    sql = f"""
        WITH people AS ({_people_sql(_POSTS_AND_PLACES, "NULL AS nothing")}),
        counted AS (
            SELECT place_id, kind, count(DISTINCT person) AS accounts, count(*) AS posts
            FROM people GROUP BY ALL
        ),
        described AS (
            SELECT place_id, any_value(name) AS name, any_value(country_code) AS country_code,
                   any_value(level) AS level, round(any_value(latitude), 4) AS latitude,
                   round(any_value(longitude), 4) AS longitude,
                   list(DISTINCT surface ORDER BY surface) FILTER (surface IS NOT NULL)
                       AS names_seen
            FROM post_places GROUP BY place_id
        )
        SELECT c.place_id, c.kind, d.name, d.country_code, d.level, d.latitude, d.longitude,
               c.accounts, c.posts, coalesce(d.names_seen, []) AS names_seen
        FROM counted c JOIN described d USING (place_id)
        QUALIFY row_number() OVER (PARTITION BY c.kind
                                   ORDER BY c.accounts DESC, c.posts DESC, c.place_id) <= $top
        ORDER BY c.kind, c.accounts DESC, c.posts DESC, c.place_id
    """
    return _dicts(con.execute(sql, {**_same_as(same_as), "top": top}))


def countries_by_people(
    con: duckdb.DuckDBPyConnection, same_as: Mapping[str, str]
) -> list[dict[str, Any]]:
    """People and posts per country and kind: country_code, kind, accounts, posts."""
    sql = f"""
        WITH people AS ({_people_sql(_POSTS_AND_PLACES, "p.country_code")})
        SELECT country_code, kind, count(DISTINCT person) AS accounts,
               count(DISTINCT post_id) AS posts
        FROM people WHERE country_code IS NOT NULL
        GROUP BY ALL ORDER BY accounts DESC, country_code, kind
    """
    return _dicts(con.execute(sql, _same_as(same_as)))


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True, slots=True)
class PlaceDays:
    """One place and kind on the case's calendar."""

    place_id: str
    kind: str  # about | from
    posts: npt.NDArray[np.int64]  # per day
    people: npt.NDArray[np.int64]  # per window start: distinct people in its ``window`` days


def place_days(
    con: duckdb.DuckDBPyConnection,
    same_as: Mapping[str, str],
    first_day: date,
    days: int,
    window: int,
) -> list[PlaceDays]:
    """Posts per day and distinct people per ``window``-day window, per place and kind (after
    ``prepare_local_posts``, with its places); window ``s`` holds days ``s`` to
    ``s + window - 1``."""
    # One pass: each person's posts per day, then per series the day's posts, +1 at the first
    # window start each person-day adds and -1 after it. People are keyed by a 64-bit hash
    # (sorting it is cheaper than the id): a collision, about 3 x 10^-8 among a million
    # people, could only merge two of them, which never makes a hotspot.
    sql = f"""
        WITH people AS ({_people_sql(LOCAL_PLACES, "p.day")}),
        person_days AS (
            SELECT place_id, kind, hash(person) AS who, (day - $first)::BIGINT AS d,
                   count(*) AS posts
            FROM people GROUP BY ALL
        ),
        added AS (
            SELECT place_id, kind, d, posts,
                   greatest(d - $window + 1, 0,
                            coalesce(lag(d) OVER (PARTITION BY place_id, kind, who
                                                  ORDER BY d) + 1, 0)) AS lo
            FROM person_days
        ),
        counted AS (
            SELECT place_id, kind, what, day_at, sum(n)::BIGINT AS n FROM (
                SELECT place_id, kind, 0 AS what, d AS day_at, posts AS n FROM added
                UNION ALL SELECT place_id, kind, 1, lo, 1 FROM added
                UNION ALL SELECT place_id, kind, 1, d + 1, -1 FROM added
            ) GROUP BY ALL
        )
        SELECT dense_rank() OVER (ORDER BY place_id, kind) - 1 AS series, place_id, kind,
               what, day_at, n
        FROM counted
    """
    params = {**_same_as(same_as), "first": first_day, "window": window}
    rows = con.execute(sql, params).fetchnumpy()
    series = np.asarray(rows["series"], dtype=np.int64)
    if series.size == 0:
        return []
    counts = np.zeros((2, int(series.max()) + 1, days + 1), dtype=np.int64)
    np.add.at(
        counts,
        (np.asarray(rows["what"], dtype=np.int64), series, np.asarray(rows["day_at"], np.int64)),
        np.asarray(rows["n"], dtype=np.int64),
    )
    people = np.cumsum(counts[1], axis=1)
    names: dict[int, tuple[str, str]] = {}
    first_rows = np.unique(series, return_index=True)[1]
    for i in first_rows.tolist():
        names[int(series[i])] = (str(rows["place_id"][i]), str(rows["kind"][i]))
    return [
        PlaceDays(place, kind, counts[0, number, :days], people[number, :days])
        for number, (place, kind) in sorted(names.items())
    ]


@dataclass(frozen=True, slots=True)
class SpanFigures:
    """People and posts of one place and kind over some days, and who they are."""

    accounts: int
    posts: int
    first_day: date | None  # of the first post in the days (None: no post)
    last_day: date | None
    communities: int | None  # None without a network run
    evidence: list[str]  # the first post of each account in the days, earliest first


def span_figures(
    con: duckdb.DuckDBPyConnection,
    same_as: Mapping[str, str],
    spans: Sequence[tuple[str, str, date, date]],
    network_run: str | None,
) -> list[SpanFigures]:
    """For each (place, kind, first day, last day): distinct people, posts, the days of the
    first and last of them, the communities of those people in ``network_run`` and one post of
    each (after ``prepare_local_posts``)."""
    if not spans:
        return []
    params: dict[str, Any] = {
        **_same_as(same_as),
        "places": [s[0] for s in spans],
        "kinds": [s[1] for s in spans],
        "firsts": [s[2] for s in spans],
        "lasts": [s[3] for s in spans],
        "run": network_run or "",
        "cited": EVIDENCE_PER_SPAN,
    }
    people = _people_sql(
        LOCAL_PLACES, "p.posted_at, p.day", "list_contains($places::VARCHAR[], p.place_id)"
    )
    rows = con.execute(
        f"""
        WITH spans AS (
            SELECT unnest(range(len($places::VARCHAR[]))) AS i,
                   unnest($places::VARCHAR[]) AS place_id, unnest($kinds::VARCHAR[]) AS kind,
                   unnest($firsts::DATE[]) AS first, unnest($lasts::DATE[]) AS last
        ),
        people AS ({people}),
        inside AS (
            SELECT s.i, pp.person, pp.post_id, pp.posted_at, pp.day
            FROM spans s JOIN people pp
              ON pp.place_id = s.place_id AND pp.kind = s.kind
             AND pp.day BETWEEN s.first AND s.last
        ),
        firsts AS (
            SELECT i, person, arg_min(post_id, (posted_at, post_id)) AS post_id,
                   min(posted_at) AS at, count(*) AS posts, min(day) AS first_day,
                   max(day) AS last_day
            FROM inside GROUP BY i, person
        ),
        metrics AS (
            SELECT actor_id, community FROM actor_metrics WHERE run_id = $run
        )
        SELECT f.i, count(*) AS accounts, sum(f.posts)::BIGINT AS posts,
               min(f.first_day) AS first_day, max(f.last_day) AS last_day,
               count(DISTINCT m.community) AS communities,
               list(f.post_id ORDER BY f.at, f.post_id)[1:$cited] AS evidence
        FROM firsts f LEFT JOIN metrics m ON m.actor_id = f.person
        GROUP BY f.i
        """,
        params,
    ).fetchall()
    by_span = {int(row[0]): row[1:] for row in rows}
    figures = []
    for i in range(len(spans)):
        accounts, posts, first, last, communities, evidence = by_span.get(
            i, (0, 0, None, None, 0, [])
        )
        figures.append(
            SpanFigures(
                int(accounts), int(posts), first, last,
                int(communities) if network_run else None, list(evidence),
            )
        )  # fmt: skip
    return figures

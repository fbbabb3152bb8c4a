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

from veille.store.activity import LOCAL_POSTS

__all__ = [
    "KINDS",
    "PLACE_PEOPLE",
    "PlaceDays",
    "SpanFigures",
    "countries_by_people",
    "place_days",
    "places_by_people",
    "prepare_place_people",
    "span_figures",
]

KINDS = ("about", "from")
PLACE_PEOPLE = "veille_place_people"
EVIDENCE_PER_SPAN = 50  # posts cited per hotspot: the first of each account, earliest first


def _people_sql(posts: str, columns: str) -> str:
    """SQL of one row per post, place and kind with its ``person`` and ``columns`` of the
    post (``p``), over ``posts`` (a table with the columns of ``posts``); the parameters
    ``$members`` and ``$canonical`` are the same-as pairs."""
    return f"""
        WITH merged AS (
            SELECT unnest($members::VARCHAR[]) AS member,
                   unnest($canonical::VARCHAR[]) AS canonical
        ),
        repeats AS (
            SELECT DISTINCT post_id FROM interactions WHERE kind IN ('retweet', 'forward')
        ),
        facts AS (
            SELECT DISTINCT post_id, place_id,
                   CASE WHEN origin = 'text' THEN 'about' ELSE 'from' END AS kind
            FROM post_places
        )
        SELECT f.place_id, f.kind, p.id AS post_id, {columns},
               coalesce(m.canonical, p.author_id) AS person
        FROM facts f
        JOIN {posts} p ON p.id = f.post_id
        LEFT JOIN merged m ON m.member = p.author_id
        WHERE p.author_id IS NOT NULL
          AND NOT (f.kind = 'about' AND (p.forwarded_from_id IS NOT NULL
                                         OR f.post_id IN (SELECT post_id FROM repeats)))
    """


def _same_as(same_as: Mapping[str, str]) -> dict[str, Any]:
    return {"members": list(same_as), "canonical": list(same_as.values())}


def prepare_place_people(con: duckdb.DuckDBPyConnection, same_as: Mapping[str, str]) -> None:
    """One temporary row per post, place and kind, with its person (after
    ``prepare_local_posts``): what every count below reads."""
    sql = _people_sql(LOCAL_POSTS, "p.posted_at, p.day")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {PLACE_PEOPLE} AS {sql}", _same_as(same_as))


def places_by_people(
    con: duckdb.DuckDBPyConnection, same_as: Mapping[str, str], top: int
) -> list[dict[str, Any]]:
    """The ``top`` places of each kind by people: place_id, kind, name, country_code, level,
    latitude, longitude, accounts, posts, names_seen (for the report's map)."""
    sql = f"""
        WITH people AS ({_people_sql("posts", "p.kind AS post_kind")}),
        counted AS (
            SELECT place_id, kind, count(DISTINCT person) AS accounts,
                   count(DISTINCT post_id) AS posts
            FROM people WHERE post_kind <> 'service' GROUP BY ALL
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
        WITH people AS ({_people_sql("posts", "p.kind AS post_kind")})
        SELECT pp.country_code, x.kind, count(DISTINCT x.person) AS accounts,
               count(DISTINCT x.post_id) AS posts
        FROM people x
        JOIN (SELECT DISTINCT place_id, country_code FROM post_places
              WHERE country_code IS NOT NULL) pp USING (place_id)
        WHERE x.post_kind <> 'service'
        GROUP BY ALL ORDER BY accounts DESC, pp.country_code, x.kind
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
    con: duckdb.DuckDBPyConnection, first_day: date, days: int, window: int
) -> list[PlaceDays]:
    """Posts per day and distinct people per ``window``-day window, per place and kind (after
    ``prepare_place_people``); window ``s`` holds days ``s`` to ``s + window - 1``."""
    params = {"first": first_day, "window": window}
    posts = con.execute(
        f"""
        SELECT place_id, kind, (day - $first)::BIGINT AS d, count(*) AS posts
        FROM {PLACE_PEOPLE} GROUP BY ALL
        """,
        {"first": first_day},
    ).fetchnumpy()
    # People: +1 at the first window start a person's day adds, -1 after the day itself.
    steps = con.execute(
        f"""
        WITH person_days AS (
            SELECT DISTINCT place_id, kind, person, (day - $first)::BIGINT AS d
            FROM {PLACE_PEOPLE}
        ),
        added AS (
            SELECT place_id, kind, d,
                   greatest(d - $window + 1, 0,
                            coalesce(lag(d) OVER (PARTITION BY place_id, kind, person
                                                  ORDER BY d) + 1, 0)) AS lo
            FROM person_days
        )
        SELECT place_id, kind, start, sum(step)::BIGINT AS step FROM (
            SELECT place_id, kind, lo AS start, 1 AS step FROM added
            UNION ALL
            SELECT place_id, kind, d + 1, -1 FROM added
        ) GROUP BY ALL
        """,
        params,
    ).fetchnumpy()
    found: dict[tuple[str, str], PlaceDays] = {}
    for place, kind, day, n in zip(
        posts["place_id"], posts["kind"], posts["d"], posts["posts"], strict=True
    ):
        key = (str(place), str(kind))
        if key not in found:
            found[key] = PlaceDays(
                key[0], key[1], np.zeros(days, np.int64), np.zeros(days + 1, np.int64)
            )
        found[key].posts[int(day)] = int(n)
    for place, kind, at, step in zip(
        steps["place_id"], steps["kind"], steps["start"], steps["step"], strict=True
    ):
        found[(str(place), str(kind))].people[int(at)] += int(step)
    for series in found.values():
        np.cumsum(series.people, out=series.people)
    return [
        PlaceDays(s.place_id, s.kind, s.posts, s.people[:days]) for _, s in sorted(found.items())
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
    spans: Sequence[tuple[str, str, date, date]],
    network_run: str | None,
) -> list[SpanFigures]:
    """For each (place, kind, first day, last day): distinct people, posts, the days of the
    first and last of them, the communities of those people in ``network_run`` and one post of
    each (after ``prepare_place_people``)."""
    if not spans:
        return []
    params: dict[str, Any] = {
        "places": [s[0] for s in spans],
        "kinds": [s[1] for s in spans],
        "firsts": [s[2] for s in spans],
        "lasts": [s[3] for s in spans],
        "run": network_run or "",
        "cited": EVIDENCE_PER_SPAN,
    }
    rows = con.execute(
        f"""
        WITH spans AS (
            SELECT unnest(range(len($places::VARCHAR[]))) AS i,
                   unnest($places::VARCHAR[]) AS place_id, unnest($kinds::VARCHAR[]) AS kind,
                   unnest($firsts::DATE[]) AS first, unnest($lasts::DATE[]) AS last
        ),
        inside AS (
            SELECT s.i, pp.person, pp.post_id, pp.posted_at, pp.day
            FROM spans s JOIN {PLACE_PEOPLE} pp
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

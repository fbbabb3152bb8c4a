"""A small case of posts about and from places, written straight into a store, for the hotspot
tests: each post is (account, day, place, kind), with a steady background so every place has
a usual level and the source covers every day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from veille.analyze.base import AnalysisInputs
from veille.runs.analysis import run_analysis
from veille.store.database import migrations

T0 = datetime(2017, 1, 2, tzinfo=UTC)  # a Monday, at midnight: hours stay on their day
DAYS = 140
_ORIGIN = {"about": ("text", "text"), "from": ("profile", "location")}


@dataclass(frozen=True)
class Said:
    """One post: ``account`` on ``day`` (hour ``hour``) names ``place`` (kind about) or is
    from it (kind from); ``repeats`` is the account a forward or retweet repeats."""

    account: str
    day: int
    place: str
    kind: str = "about"
    hour: int = 0
    repeats: str | None = None


def new_store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for _, _, sql in migrations():
        con.execute(sql)
    return con


def background(places: Iterable[str], accounts: int = 2, every: int = 3) -> list[Said]:
    """``accounts`` accounts naming each place every ``every`` days, all the calendar long,
    and a filler account posting daily about nowhere (so the source covers every day)."""
    said = [
        Said(f"regular-{place}-{a}", day, place)
        for place in places
        for a in range(accounts)
        for day in range(a, DAYS, every)
    ]
    return said + [Said("filler", day, "") for day in range(DAYS)]


def write(con: duckdb.DuckDBPyConnection, said: Iterable[Said]) -> None:
    posts: list[tuple[Any, ...]] = []
    places: list[tuple[Any, ...]] = []
    edges: list[tuple[Any, ...]] = []
    for n, post in enumerate(said):
        post_id = f"p{n}"
        at = T0 + timedelta(days=post.day, minutes=post.hour * 60 + n % 60)
        # A repeat shows both ways readers give it: as the post's forwarded_from_id (Twitter
        # archives, Telegram), or only as a retweet edge (tables of tweets).
        forwarded = post.repeats if n % 2 == 0 else None
        if post.repeats and forwarded is None:
            edges.append((f"i{n}", post.account, post.repeats, post_id, at, f"row {n}"))
        posts.append((post_id, post.account, at, forwarded, f"row {n}"))
        if post.place:
            origin, field = _ORIGIN[post.kind]
            places.append((post_id, origin, field, post.place))
    # Through Arrow: executemany costs about a millisecond a row.
    _insert(
        con,
        "INSERT INTO posts (id, platform, kind, author_id, posted_at, forwarded_from_id, text, "
        "source_id, locator) SELECT a, 'twitter', 'post', b, c, d, '', 'src', e FROM rows",
        posts,
    )
    _insert(
        con,
        "INSERT INTO interactions (id, kind, source_actor_id, target_actor_id, post_id, "
        "platform, occurred_at, source_id, locator) "
        "SELECT a, 'retweet', b, c, d, 'twitter', e, 'src', f FROM rows",
        edges,
    )
    _insert(
        con,
        "INSERT INTO post_places (run_id, post_id, origin, field, place_id, name, level, "
        "confidence, reason) SELECT 'r', a, b, c, d, d, 'city', 0.9, 'test' FROM rows",
        places,
    )


def _insert(con: duckdb.DuckDBPyConnection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    names = "abcdef"[: len(rows[0])]
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    con.register("rows", pa.table(columns))
    try:
        con.execute(sql)
    finally:
        con.unregister("rows")


def empty(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` without posts or places, to reuse a store (creating its tables is slow)."""
    con.execute("DELETE FROM posts; DELETE FROM post_places; DELETE FROM interactions")
    return con


def hotspots(
    said: Iterable[Said], same_as: Mapping[str, str] | None = None, **settings: Any
) -> list[dict[str, Any]]:
    """The activity analysis's hotspot rows on a new store holding ``said``."""
    con = new_store()
    write(con, said)
    options: dict[str, Any] = {}
    if settings:
        from veille.analyze.hotspots import HotspotSettings

        options["hotspot"] = HotspotSettings(**settings)
    found = run_analysis(AnalysisInputs(con, "UTC", same_as or {}), "activity", **options)
    return [dict(row) for row in found.result.hotspots]


def burst(place: str, accounts: int, day: int = 100, posts_each: int = 1, **kw: Any) -> list[Said]:
    """``accounts`` accounts each posting ``posts_each`` times over one week from ``day``."""
    return [
        Said(f"{place}-burst-{a}", day + (a + k) % 7, place, hour=k % 24, **kw)
        for a in range(accounts)
        for k in range(posts_each)
    ]


def place_hotspots_only(
    con: duckdb.DuckDBPyConnection,
    said: Iterable[Said],
    same_as: Mapping[str, str] | None = None,
    **settings: Any,
) -> list[dict[str, Any]]:
    """The hotspot rows alone, as the analysis computes them but without its other findings
    (every day covered): fast enough for property tests. ``con`` is emptied first."""
    from veille.analyze.daily_series import Calendar, dense_series
    from veille.analyze.hotspots import HotspotSettings
    from veille.analyze.place_hotspots import place_hotspots
    from veille.store.activity import activity_table, day_range, prepare_local_posts

    write(empty(con), said)
    prepare_local_posts(con, "UTC", None)
    span = day_range(con)
    if span is None:
        return []
    days = (span[1] - span[0]).days + 1
    places = dense_series("place", activity_table(con, "place"), span[0], days)
    calendar = Calendar(con, same_as or {}, span[0])
    rows = place_hotspots(calendar, places, same_as or {}, None, HotspotSettings(**settings))
    return [dict(row) for row in rows]

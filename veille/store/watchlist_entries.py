"""Watchlists kept in the case: accounts and keywords, with who added them and when they
last looked at the hits.

An account entry is ``platform:handle`` or an actor id and matches the way ``veille reach``
matches (any handle the account was seen with, ignoring case); a keyword entry is words, in
any script, found as search finds them. A hit is new when the file it came from was read
after the last look (a file read again counts as read again: its posts show as new, never the
other way round).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypedDict

import duckdb

from veille.errors import ConfigError
from veille.store.declared import fetch_typed
from veille.store.post_search import SearchFilters, search_posts
from veille.store.watchlist import match_actors
from veille.store.write import now_utc

__all__ = [
    "WATCH_KINDS",
    "WatchEntryRow",
    "WatchLookRow",
    "add_entry",
    "entry_hits",
    "last_look",
    "record_look",
    "remove_entry",
    "watchlists",
]

WATCH_KINDS = ("account", "keyword")
MAX_NAME_CHARS = 80
MAX_VALUE_CHARS = 300
_NEVER = datetime.min.replace(tzinfo=UTC)  # posts without a time sort last


class WatchEntryRow(TypedDict):
    id: str
    watchlist: str
    kind: str
    value: str
    added_by: str
    added_at: datetime
    removed_at: datetime | None


class WatchLookRow(TypedDict):
    watchlist: str
    looked_by: str
    looked_at: datetime


def add_entry(
    con: duckdb.DuckDBPyConnection, watchlist: str, kind: str, value: str, added_by: str
) -> str:
    name, value = " ".join(watchlist.split()), value.strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise ConfigError(f"a watchlist needs a name of 1 to {MAX_NAME_CHARS} characters")
    if kind not in WATCH_KINDS:
        raise ConfigError(f"a watchlist entry is one of {', '.join(WATCH_KINDS)}, not {kind!r}")
    if not value or len(value) > MAX_VALUE_CHARS:
        raise ConfigError(f"an entry needs a value of 1 to {MAX_VALUE_CHARS} characters")
    entry_id = uuid.uuid4().hex[:20]
    con.execute(
        "INSERT INTO watchlist_entries VALUES (?, ?, ?, ?, ?, ?, NULL)",
        [entry_id, name, kind, value, added_by, now_utc()],
    )
    return entry_id


def remove_entry(con: duckdb.DuckDBPyConnection, entry_id: str) -> bool:
    """Take an entry off its list (its row stays, with the time); False if there is none."""
    found = con.execute(
        "UPDATE watchlist_entries SET removed_at = ? WHERE id = ? AND removed_at IS NULL "
        "RETURNING id",
        [now_utc(), entry_id],
    ).fetchall()
    return bool(found)


def record_look(con: duckdb.DuckDBPyConnection, watchlist: str, looked_by: str) -> None:
    con.execute("INSERT INTO watchlist_looks VALUES (?, ?, ?)", [watchlist, looked_by, now_utc()])


def last_look(con: duckdb.DuckDBPyConnection, watchlist: str) -> WatchLookRow | None:
    cursor = con.execute(
        "SELECT * FROM watchlist_looks WHERE watchlist = ? ORDER BY looked_at DESC LIMIT 1",
        [watchlist],
    )
    rows = fetch_typed(cursor, WatchLookRow)
    return rows[0] if rows else None


def watchlists(con: duckdb.DuckDBPyConnection) -> dict[str, list[WatchEntryRow]]:
    """Every watchlist's current entries, by name."""
    cursor = con.execute(
        "SELECT * FROM watchlist_entries WHERE removed_at IS NULL ORDER BY watchlist, added_at, id"
    )
    lists: dict[str, list[WatchEntryRow]] = {}
    for row in fetch_typed(cursor, WatchEntryRow):
        lists.setdefault(row["watchlist"], []).append(row)
    return lists


def _accounts(con: duckdb.DuckDBPyConnection, value: str) -> list[str]:
    platform, sep, handle = value.partition(":")
    matched = match_actors(
        con,
        [value],
        [platform if sep else None],
        [(handle if sep else value).lstrip("@")],
    )
    return sorted({actor for _, actor, _ in matched})


def entry_hits(
    con: duckdb.DuckDBPyConnection, entry: WatchEntryRow, since: datetime | None, limit: int = 20
) -> dict[str, Any]:
    """An entry's hits: the latest posts, how many in all and how many are new since ``since``;
    for an account, the accounts it matched."""
    if entry["kind"] == "keyword":
        filters = [SearchFilters(words=entry["value"], sort="newest")]
        accounts: list[str] = []
    else:
        accounts = _accounts(con, entry["value"])
        filters = [SearchFilters(involving=actor, sort="newest") for actor in accounts]
    total = new = 0
    rows: list[dict[str, Any]] = []
    for wanted in filters:
        page = search_posts(con, wanted, limit=limit)
        total += page.total
        rows += page.rows
        if since is not None:
            new += search_posts(con, replace(wanted, read_after=since), limit=1).total
    rows.sort(key=lambda row: row["posted_at"] or _NEVER, reverse=True)
    return {
        "accounts": accounts,
        "total": total,
        "new": new if since is not None else total,
        "rows": rows[:limit],
    }

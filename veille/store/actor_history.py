"""Accounts as they were: every state an account showed, and the label that names it.

A state is what a source showed of an account on one post: handle, display name, native id
and, when the source has them, profile text, location and follower count. Each state is kept
once per source in ``actor_sightings`` with when (the post's time) and where (source and
locator); the ``actor_history`` view (migration 0005) gathers them by account.

An account is shown as ``@handle (Name)``: its latest handle and latest name, so an account
first met in a mention (a handle only) shows the name it has when it posts, and two accounts
with the same display name are told apart by their handles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from veille.ids import record_id
from veille.model import Actor, Provenance
from veille.store.record_tables import record_schema

__all__ = [
    "SIGHTINGS",
    "SIGHTING_SCHEMA",
    "actor_label",
    "actor_labels",
    "sighting_columns",
    "sighting_id",
    "sighting_row",
]

SIGHTINGS = "actor_sightings"
_LISTED_IDS = 1_000  # up to this many ids go into the query as literals
SIGHTING_SCHEMA = record_schema(SIGHTINGS)
# The fields of an Actor (or of actor Columns) that make up its state, in the id's order.
_STATE = ("native_id", "handle", "name", "description", "location", "followers")
_KEY = ("id", *_STATE)
# Columns taken from the actor Columns, in the table's order (between them: source_id).
_COLUMNS = ("id", "platform", *_STATE, "seen_at", "locator")
_NOBODY = "(unnamed account)"
_INT64_MAX = 2**63 - 1


def sighting_id(source_id: str, actor_id: str, *state: object) -> str:
    """The id of one state of ``actor_id`` in ``source_id``: the same state adds nothing twice.

    ``state`` is native id, handle, name, description, location, followers (None as '').
    """
    return record_id("actor_sighting", source_id, actor_id, *state)


def sighting_row(actor: Actor, source_id: str) -> tuple[Any, ...]:
    """``actor`` as a row of ``actor_sightings`` (the row path of the writer).

    A state value of the wrong type (a reader's bug) is left out here: the ``actors`` row
    quarantines the record once, and the sighting keeps what fits.
    """
    state = (
        _text(actor.native_id), _text(actor.handle), _text(actor.name),
        _text(actor.description), _text(actor.location), _count(actor.followers),
    )  # fmt: skip
    seen_at = actor.seen_at if isinstance(actor.seen_at, datetime) else None
    identifier = sighting_id(source_id, actor.id, *state)
    return (
        identifier, actor.id, actor.platform, *state, seen_at, source_id,
        actor.provenance.locator,
    )  # fmt: skip


def sighting_columns(values: Mapping[str, Any], size: int, source_id: str) -> tuple[list[Any], int]:
    """Actor ``Columns`` values as the columns of ``actor_sightings`` in schema order, and
    how many rows they hold.

    Readers yield each state once per file, so there are as many rows as states, not posts.
    Arrow columns pass through as they are (their types are sure) and the ids are computed
    by DuckDB (the same md5 as ``sighting_id``: a bulk read has about one state per two rows
    when profiles change, and hashing them in Python cost more than reading the CSV); Python
    lists are checked value by value, as ``sighting_row`` does.
    """
    if all(isinstance(values.get(name), pa.Array | pa.ChunkedArray) for name in _KEY):
        ids = _arrow_ids(values, source_id)
        nothing = pa.nulls(size)
        given = [nothing if values.get(name) is None else values[name] for name in _COLUMNS]
        return [ids, *given[:-1], [source_id] * size, given[-1]], size
    lists = {name: _as_list(values.get(name), size) for name in _COLUMNS}
    rows = []
    for index in range(size):
        identifier, platform, locator = (
            lists[name][index] for name in ("id", "platform", "locator")
        )
        if not isinstance(identifier, str) or not isinstance(platform, str):
            continue  # the actors row quarantines it
        actor = Actor(
            identifier, platform, "account", Provenance(str(locator)),
            **{name: lists[name][index] for name in _STATE},
            seen_at=lists["seen_at"][index],
        )  # fmt: skip
        rows.append(sighting_row(actor, source_id))
    return [list(column) for column in zip(*rows, strict=True)] or [[]] * 12, len(rows)


def _arrow_ids(values: Mapping[str, Any], source_id: str) -> pa.ChunkedArray:
    """``sighting_id`` of each row of Arrow columns, computed by an in-memory DuckDB."""
    table = pa.table({name: values[name] for name in _KEY})
    # record_id hashes None as '', and DuckDB's concat_ws would skip a NULL instead.
    parts = ", ".join(f"coalesce(CAST({name} AS VARCHAR), '')" for name in _STATE)
    con = duckdb.connect(config={"threads": 1})
    try:
        con.register("veille_sightings", table)
        found: pa.ChunkedArray = (
            con.execute(
                f"SELECT left(md5(concat_ws(chr(31), 'actor_sighting', $source, coalesce(id, ''), "
                f"{parts})), 20) FROM veille_sightings",
                {"source": source_id},
            )
            .to_arrow_table()
            .column(0)
        )
    finally:
        con.close()
    return found


def actor_label(
    handle: str | None, name: str | None, native_id: str | None = None, actor_id: str | None = None
) -> str:
    """How an account is shown: ``@handle (Name)``, ``@handle``, ``Name``, else its native id,
    else its actor id; never blank.

    Whitespace runs (line breaks in a display name) become one space; a name that only repeats
    the handle is not shown twice.
    """
    shown_handle = _clean(handle).lstrip("@").strip()
    shown_name = _clean(name)
    if shown_handle and shown_name and shown_name.lstrip("@").casefold() != shown_handle.casefold():
        return f"@{shown_handle} ({shown_name})"
    if shown_handle:
        return f"@{shown_handle}"
    if shown_name:
        return shown_name
    return _clean(native_id) or _clean(actor_id) or _NOBODY


def actor_labels(
    con: duckdb.DuckDBPyConnection, actor_ids: Sequence[str]
) -> dict[str, tuple[str, str]]:
    """(label, platform) per actor id, from its latest handle and latest name.

    The handle comes from the latest sighting that also showed a name when there is one (the
    account's own posts write it as the platform does; a mention writes it as the poster typed
    it); sightings without a time count as older than any with one.
    """
    wanted = sorted(set(actor_ids))
    if not wanted:
        return {}
    if len(wanted) <= _LISTED_IDS:
        # Written into the query: with the workbench's indexes (veille index) DuckDB looks each
        # id up instead of reading every sighting (78 -> 30 ms for 20 ids at 10^6 posts).
        listed = ", ".join("'" + actor.replace("'", "''") + "'" for actor in wanted)
        return _labels(con, f"s.actor_id IN ({listed})", f"a.id IN ({listed})")
    con.register("veille_label_ids", pa.table({"id": pa.array(wanted, pa.string())}))
    try:
        return _labels(
            con,
            "s.actor_id IN (SELECT id FROM veille_label_ids)",
            "a.id IN (SELECT id FROM veille_label_ids)",
        )
    finally:
        con.unregister("veille_label_ids")


def _labels(
    con: duckdb.DuckDBPyConnection, sightings_wanted: str, actors_wanted: str
) -> dict[str, tuple[str, str]]:
    rows = con.execute(
        f"""
            WITH seen AS (SELECT s.* FROM {SIGHTINGS} s WHERE {sightings_wanted}),
            handles AS (
                SELECT actor_id, handle FROM seen WHERE handle IS NOT NULL AND trim(handle) <> ''
                QUALIFY row_number() OVER (
                    PARTITION BY actor_id
                    ORDER BY name IS NOT NULL DESC, seen_at DESC NULLS LAST, handle) = 1
            ),
            names AS (
                SELECT actor_id, name FROM seen WHERE name IS NOT NULL AND trim(name) <> ''
                QUALIFY row_number() OVER (
                    PARTITION BY actor_id ORDER BY seen_at DESC NULLS LAST, name) = 1
            )
            SELECT a.id, coalesce(h.handle, a.handle), coalesce(n.name, a.name), a.native_id,
                   a.platform
            FROM actors a
            LEFT JOIN handles h ON h.actor_id = a.id
            LEFT JOIN names n ON n.actor_id = a.id
            WHERE {actors_wanted}
            """
    ).fetchall()
    return {
        actor: (actor_label(handle, name, native, actor), platform)
        for actor, handle, name, native, platform in rows
    }


def _clean(text: object) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


def _count(value: object) -> int | None:
    """A follower count that fits the column; anything else is no count."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _INT64_MAX:
        return value
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _as_list(column: Any, size: int) -> list[Any]:
    if column is None:
        return [None] * size
    if isinstance(column, list):
        return column
    items: list[Any] = column.to_pylist()
    return items

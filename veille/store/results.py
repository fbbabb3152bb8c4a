"""Analysis results: replace a run's rows, read them back, and the lookups analyses need.

An analysis run's id hashes its name, version and parameters, so running it again with the same
parameters replaces that run's rows and nothing else (DESIGN.md, "Facts and results").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from veille.ids import record_id
from veille.store.declared import fetch_typed
from veille.store.transaction import transaction

__all__ = [
    "actor_seen",
    "analysis_run_id",
    "community_terms",
    "latest_run",
    "read_results",
    "read_typed",
    "replace_results",
]

Row = TypeVar("Row")

_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # result tables are named by analyses
# A hashtag: '#' then letters, digits or '_' in any script (Arabic hashtags are common).
_HASHTAG = r"#([^\s#.,;:!?()\[\]{}«»\"'’؟،…]+)"


def analysis_run_id(name: str, version: str, parameters: Mapping[str, Any]) -> str:
    """The run id of analysis ``name`` at ``version`` with these ``parameters``."""
    return record_id("run", name, version, json.dumps(parameters, sort_keys=True, default=str))


def replace_results(
    con: duckdb.DuckDBPyConnection, run_id: str, tables: Mapping[str, pa.Table]
) -> None:
    """Put ``tables`` (result table -> rows with a ``run_id`` column) in place of the run's rows."""
    with transaction(con):
        for table, rows in tables.items():
            _check_name(table)
            con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
            con.register("veille_results", rows)
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM veille_results")
            finally:
                con.unregister("veille_results")


def _ids_table(actor_ids: Sequence[str]) -> pa.Table:
    return pa.table({"id": pa.array(list(actor_ids), pa.string())})


def community_terms(
    con: duckdb.DuckDBPyConnection, membership: Mapping[str, int], top: int = 5, minimum: int = 3
) -> dict[int, list[str]]:
    """The hashtags that set each community apart: most over-represented in its members' posts
    against all posts of the graph's actors (lift), used at least ``minimum`` times."""
    members = pa.table(
        {
            "actor": pa.array(list(membership), pa.string()),
            "community": pa.array(list(membership.values()), pa.int64()),
        }
    )
    con.register("veille_members", members)
    try:
        rows = con.execute(
            f"""
            WITH tags AS (
                SELECT m.community,
                       lower(unnest(regexp_extract_all(p.text, $hashtag, 1))) AS tag
                FROM posts p JOIN veille_members m ON m.actor = p.author_id
            ),
            counts AS (SELECT community, tag, count(*) AS n FROM tags GROUP BY ALL),
            totals AS (SELECT community, sum(n) AS size FROM counts GROUP BY ALL),
            overall AS (SELECT tag, sum(n) AS n FROM counts GROUP BY ALL),
            everything AS (SELECT sum(n) AS size FROM counts)
            SELECT c.community, c.tag,
                   (c.n / t.size) / (o.n / e.size) AS lift, c.n
            FROM counts c JOIN totals t USING (community) JOIN overall o USING (tag), everything e
            WHERE c.n >= {int(minimum)}
            QUALIFY row_number() OVER (
                PARTITION BY c.community ORDER BY lift DESC, c.n DESC, c.tag
            ) <= {int(top)}
            ORDER BY c.community, lift DESC, c.n DESC, c.tag
            """,
            {"hashtag": _HASHTAG},
        ).fetchall()
    finally:
        con.unregister("veille_members")
    terms: dict[int, list[str]] = {}
    for community, tag, _, _ in rows:
        terms.setdefault(int(community), []).append(f"#{tag}")
    return terms


def latest_run(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    """The most recent finished run of analysis ``name``."""
    row = con.execute(
        "SELECT id, parameters, finished_at FROM runs WHERE kind = 'analysis' AND name = ? "
        "AND status = 'done' ORDER BY finished_at DESC LIMIT 1",
        [name],
    ).fetchone()
    if row is None:
        return None
    return {"id": row[0], "parameters": json.loads(row[1]), "finished_at": row[2]}


def _check_name(table: str) -> None:
    if not _TABLE_NAME.match(table):
        raise ValueError(f"{table!r} is not a result table name")


def read_results(con: duckdb.DuckDBPyConnection, table: str, run_id: str) -> list[dict[str, Any]]:
    """A run's rows of result ``table``, in the order they were written."""
    _check_name(table)
    cursor = con.execute(f"SELECT * FROM {table} WHERE run_id = ? ORDER BY rowid", [run_id])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_typed(
    con: duckdb.DuckDBPyConnection, table: str, run_id: str, row_type: type[Row]
) -> list[Row]:
    """A run's rows of result ``table`` as its declared row type, in the order written; a
    column the type does not declare, or one it lacks, raises."""
    _check_name(table)
    cursor = con.execute(
        f"SELECT * EXCLUDE (run_id) FROM {table} WHERE run_id = ? ORDER BY rowid", [run_id]
    )
    return fetch_typed(cursor, row_type)


def actor_seen(
    con: duckdb.DuckDBPyConnection, actor_ids: Sequence[str]
) -> dict[str, tuple[Any, Any]]:
    """(first, last) time each actor was seen: posting, or acting or acted upon."""
    con.register("veille_ids", _ids_table(actor_ids))
    try:
        rows = con.execute(
            """
            SELECT id, min(seen_at), max(seen_at) FROM (
                SELECT author_id AS id, posted_at AS seen_at FROM posts
                UNION ALL SELECT source_actor_id, occurred_at FROM interactions
                UNION ALL SELECT target_actor_id, occurred_at FROM interactions
            ) JOIN veille_ids USING (id)
            GROUP BY id
            """
        ).fetchall()
    finally:
        con.unregister("veille_ids")
    return {actor: (first, last) for actor, first, last in rows}

"""Facts: which records still need an enricher, writing what it found, forgetting it on --redo.

The records an enricher has not seen are snapshotted once per run into a temporary table with a
row number, then read back in slices, so writing facts never disturbs the reading. Each slice's
facts and its ``enriched`` markers go in one transaction: a run killed half-way keeps the slices
it finished and the next run takes the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pyarrow as pa

from veille.store.transaction import transaction

__all__ = [
    "FACT_TABLES",
    "entity_catalogue",
    "forget_enricher",
    "pending_count",
    "pending_slice",
    "replace_entities",
    "snapshot_pending",
    "write_facts",
]

FACT_TABLES = (
    "post_languages",
    "post_entities",
    "post_places",
    "post_links",
    "media_facts",
    "entities",
)

_SELECT = {
    # The whole-text language (part 0) and the persons NER found are joined in for the
    # enrichers that need them.
    "posts": """
        SELECT p.id, p.text, p.title, p.kind, p.platform, p.author_id, l.lang,
               json_extract_string(p.extra, '$.location') AS location,
               coalesce(e.person_spans, []) AS person_spans,
               coalesce(e.name_spans, []) AS name_spans
        FROM veille_pending q
        JOIN posts p ON p.id = q.record_id
        LEFT JOIN post_languages l ON l.post_id = p.id AND l.field = 'text' AND l.part = 0
        LEFT JOIN (
            SELECT post_id,
                   list([start_char, end_char]) FILTER (entity_type = 'person') AS person_spans,
                   list([start_char, end_char]) FILTER (entity_type <> 'person') AS name_spans
            FROM post_entities WHERE field = 'text' AND entity_type <> 'place'
            GROUP BY post_id
        ) e ON e.post_id = p.id
        WHERE q.n >= ? AND q.n < ?
        ORDER BY q.n
    """,
    "media": """
        SELECT m.id, m.post_id, m.sha256, m.status
        FROM veille_pending q
        JOIN media m ON m.id = q.record_id
        WHERE q.n >= ? AND q.n < ?
        ORDER BY q.n
    """,
}
_RECORDS = {"posts": "SELECT DISTINCT id FROM posts", "media": "SELECT DISTINCT id FROM media"}


def snapshot_pending(con: duckdb.DuckDBPyConnection, enricher: str, target: str) -> int:
    """Number the records of ``target`` that ``enricher`` has not seen; return how many."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE veille_pending AS
        SELECT record_id, row_number() OVER (ORDER BY record_id) - 1 AS n
        FROM ({_RECORDS[target]}) r(record_id)
        WHERE NOT EXISTS (
            SELECT 1 FROM enriched e WHERE e.enricher = ? AND e.record_id = r.record_id
        )
        """,
        [enricher],
    )
    return pending_count(con)


def pending_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM veille_pending").fetchone()
    return int(row[0]) if row else 0


def pending_slice(
    con: duckdb.DuckDBPyConnection, target: str, start: int, size: int
) -> dict[str, list[Any]]:
    """Rows ``start`` to ``start + size`` of the snapshot, column by column."""
    table = con.execute(_SELECT[target], [start, start + size]).to_arrow_table()
    return table.to_pydict()  # type: ignore[no-any-return]


def write_facts(
    con: duckdb.DuckDBPyConnection,
    enricher: str,
    run_id: str,
    record_ids: list[str],
    tables: Mapping[str, pa.Table],
) -> None:
    """Store one slice's facts and mark its records as seen, all or nothing."""
    seen = pa.table(
        {
            "enricher": pa.array([enricher] * len(record_ids), pa.string()),
            "record_id": pa.array(record_ids, pa.string()),
            "run_id": pa.array([run_id] * len(record_ids), pa.string()),
        }
    )
    with transaction(con):
        for name, rows in tables.items():
            if name not in FACT_TABLES:
                raise ValueError(f"{name} is not a fact table")
            if rows.num_rows:
                _insert(con, name, rows)
        _insert(con, "enriched", seen)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    con.register("veille_facts", rows)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM veille_facts")
    finally:
        con.unregister("veille_facts")


def forget_enricher(con: duckdb.DuckDBPyConnection, enricher: str, tables: tuple[str, ...]) -> None:
    """Delete everything ``enricher`` wrote (all its runs), for ``--redo``."""
    with transaction(con):
        for table in tables:
            if table not in FACT_TABLES:
                raise ValueError(f"{table} is not a fact table")
            con.execute(
                f"DELETE FROM {table} WHERE run_id IN "
                "(SELECT id FROM runs WHERE kind = 'enrich' AND name = ?)",
                [enricher],
            )
        con.execute("DELETE FROM enriched WHERE enricher = ?", [enricher])


def replace_entities(con: duckdb.DuckDBPyConnection, run_id: str, rows: pa.Table) -> None:
    """The entity catalogue is one current list: the latest run's rows replace all others."""
    rows = rows.append_column("run_id", pa.array([run_id] * rows.num_rows, pa.string()))
    with transaction(con):
        con.execute("DELETE FROM entities")
        _insert(con, "entities", rows)


def entity_catalogue(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The entities the last entities run knew, as dicts."""
    table = con.execute("SELECT id, type, name, origin, aliases FROM entities").to_arrow_table()
    return table.to_pylist()  # type: ignore[no-any-return]

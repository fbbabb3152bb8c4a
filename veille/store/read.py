"""Read-side queries of a case: counts for ``status``, quarantine listings, user SQL, exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from veille.errors import ConfigError

__all__ = ["TABLES", "counts_by", "export_table", "quarantine_rows", "run_query", "status"]

TABLES = (
    "sources",
    "actors",
    "actor_names",
    "posts",
    "interactions",
    "media",
    "quarantine",
    "runs",
)


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def counts_by(con: duckdb.DuckDBPyConnection, table: str, *columns: str) -> list[dict[str, Any]]:
    """Row counts of ``table`` grouped by ``columns``, largest first."""
    grouped = ", ".join(columns)
    return _rows(
        con, f"SELECT {grouped}, count(*) AS n FROM {table} GROUP BY ALL ORDER BY n DESC, {grouped}"
    )


def status(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything ``veille status`` shows, as plain data."""
    totals = {table: _rows(con, f"SELECT count(*) AS n FROM {table}")[0]["n"] for table in TABLES}
    return {
        "totals": totals,
        "sources": _rows(
            con,
            "SELECT path, reader, status, n_read, n_new, n_present, n_quarantined, finished_at "
            "FROM sources ORDER BY started_at, path",
        ),
        "posts_by_platform_kind": counts_by(con, "posts", "platform", "kind"),
        "actors_by_platform_kind": counts_by(con, "actors", "platform", "kind"),
        "interactions_by_kind": counts_by(con, "interactions", "platform", "kind"),
        "media_by_status": counts_by(con, "media", "status"),
        "unfinished_runs": _rows(
            con,
            "SELECT r.id, r.kind, r.started_at, "
            "  (SELECT count(*) FROM sources s WHERE s.run_id = r.id AND s.status <> 'done') "
            "  AS sources_unfinished "
            "FROM runs r WHERE r.finished_at IS NULL ORDER BY r.started_at",
        ),
        "unfinished_sources": _rows(
            con, "SELECT path, reader, n_read, started_at FROM sources WHERE status <> 'done'"
        ),
        "quarantine_by_reason": _rows(
            con,
            "SELECT path, reason, count(*) AS n FROM quarantine "
            "GROUP BY ALL ORDER BY n DESC LIMIT 20",
        ),
    }


def quarantine_rows(
    con: duckdb.DuckDBPyConnection, limit: int | None = None
) -> list[dict[str, Any]]:
    sql = "SELECT path, file, locator, reason, raw FROM quarantine ORDER BY path, locator"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _rows(con, sql)


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement; anything that could change the case is refused."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as error:
        raise ConfigError(f"query: {error}") from error
    if len(statements) != 1:
        raise ConfigError("query: give exactly one SQL statement")
    if statements[0].type not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
        raise ConfigError("query: only SELECT statements are allowed; the case is read-only here")
    try:
        cursor = con.execute(sql)
    except duckdb.Error as error:
        raise ConfigError(f"query: {error}") from error
    return [column[0] for column in cursor.description], cursor.fetchall()


def export_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, file_format: str) -> int:
    """Write ``table`` to ``path`` as csv or parquet; return the row count."""
    if table not in TABLES:
        raise ConfigError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
    if file_format not in ("csv", "parquet"):
        raise ConfigError(f"unknown export format {file_format!r}; use csv or parquet")
    options = "FORMAT csv, HEADER true" if file_format == "csv" else "FORMAT parquet"
    target = str(path).replace("'", "''")
    con.execute(f"COPY (SELECT * FROM {table} ORDER BY id) TO '{target}' ({options})")
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0

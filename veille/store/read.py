"""Read-side queries of a case: counts for ``status``, quarantine listings, user SQL, exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from veille.errors import ConfigError

__all__ = [
    "TABLES",
    "case_tables",
    "counts_by",
    "export_table",
    "quarantine_rows",
    "run_query",
    "status",
]

TABLES = (
    "sources",
    "actors",
    "actor_names",
    "actor_sightings",
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
            "SELECT r.id, r.kind, r.name, r.started_at, "
            "  (SELECT count(*) FROM sources s WHERE s.run_id = r.id AND s.finished_at IS NULL) "
            "  AS sources_unfinished "
            "FROM runs r WHERE r.finished_at IS NULL ORDER BY r.started_at",
        ),
        # Failed runs that no later run of the same command completed (an analysis rerun with
        # the same parameters reuses its run id, so it turns ``done`` itself).
        "failed_runs": _rows(
            con,
            "SELECT r.id, r.kind, r.name, r.finished_at, "
            "  json_extract_string(r.counts, '$.error') AS error "
            "FROM runs r WHERE r.status = 'failed' AND NOT EXISTS ("
            "  SELECT 1 FROM runs later WHERE later.kind = r.kind AND later.name = r.name "
            "  AND later.status = 'done' AND later.started_at > r.started_at"
            ") ORDER BY r.started_at",
        ),
        "unfinished_sources": _rows(
            con, "SELECT path, reader, n_read, started_at FROM sources WHERE finished_at IS NULL"
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
    """Quarantined fragments by file, then by where in it: "line 1001" before "line 10002".

    Locators read "line 12", "lines 43-45", "messages[41]", "[17]" or "whole file": the first
    integer in one sorts as a number (none sorts first), then the text breaks ties.
    """
    sql = (
        "SELECT path, file, locator, reason, raw FROM quarantine ORDER BY path, "
        "file NULLS FIRST, "
        r"TRY_CAST(regexp_extract(locator, '\d+') AS HUGEINT) NULLS FIRST, locator, reason"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _rows(con, sql)


# What `veille query` may run: one plain SELECT (WITH ... SELECT, FROM-first, VALUES, DESCRIBE,
# SUMMARIZE and SHOW parse as SELECT too). Decided by DuckDB's parser, not by words, so that
# "EXPLAIN ANALYZE COPY ..." or a second statement behind a comment cannot pass for a query.
_QUERY_TYPES = (duckdb.StatementType.SELECT,)


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one SELECT; any other statement is refused before it runs.

    ``con`` should come from ``database.open_sandboxed``: the statement check keeps writes and
    settings out, the sandbox keeps file, network and extension access out of a SELECT too.
    """
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise ConfigError(f"query: {_one_line(error)}") from error
    if len(statements) != 1:
        kinds = ", ".join(statement.type.name for statement in statements) or "none"
        raise ConfigError(
            f"query: give exactly one SELECT statement; got {len(statements)} ({kinds})"
        )
    statement = statements[0]
    # The parser turns some PRAGMAs into SELECTs of its own text ("PRAGMA database_list"
    # becomes "SELECT * FROM pragma_database_list"): text the user did not write is refused.
    rewritten = statement.query.strip().rstrip(";").strip() not in sql
    if statement.type not in _QUERY_TYPES or rewritten:
        kind = "a PRAGMA" if rewritten else statement.type.name
        raise ConfigError(
            f"query: only SELECT statements run here (one SELECT, or WITH ... SELECT), not "
            f"{kind}; the case is read-only and nothing outside it is reachable"
        )
    try:
        cursor = con.execute(statement)
        return [column[0] for column in cursor.description], cursor.fetchall()
    except duckdb.Error as error:
        raise ConfigError(f"query: {_one_line(error)}") from error


def _one_line(error: duckdb.Error) -> str:
    # DuckDB's messages carry a "LINE 1: ..." caret drawing on the next lines.
    return " ".join(str(error).split("\n", 1)[0].split())


def case_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of the case: the records (in ``TABLES`` order), then facts, analysis
    results and whatever later migrations add, by name. Views and the search index (a schema
    of its own, rebuilt from the posts) are not tables of the case."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
    ).fetchall()
    names = [str(row[0]) for row in rows]
    return [t for t in TABLES if t in names] + [t for t in names if t not in TABLES]


def export_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, file_format: str) -> int:
    """Write ``table`` to ``path`` as csv or parquet; return the row count.

    Rows go by id where the table has one, else in the order they were written (a result
    table's rows are in the order its analysis ranked them).
    """
    tables = case_tables(con)
    if table not in tables:
        raise ConfigError(f"unknown table {table!r}; tables: {', '.join(tables)}")
    if file_format not in ("csv", "parquet"):
        raise ConfigError(f"unknown export format {file_format!r}; use csv or parquet")
    options = "FORMAT csv, HEADER true" if file_format == "csv" else "FORMAT parquet"
    has_id = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? AND column_name = 'id'",
        [table],
    ).fetchone()
    order = "id" if has_id and has_id[0] else "rowid"
    target = str(path).replace("'", "''")
    con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{target}' ({options})")
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0

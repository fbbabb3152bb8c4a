"""Verbs on a case as a whole: init, status, quarantine, query, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from veille.case import Case, CaseBusy
from veille.cli.app import app
from veille.cli.output import FormatOption, JsonOption, emit_json, emit_rows, stdout
from veille.errors import ConfigError

CaseArgument = typer.Argument(..., help="The case folder.")


@app.command()
def init(
    case: Path = CaseArgument,
    time_zone: str = typer.Option("UTC", "--tz", help="Zone for times written without an offset."),
    json_output: bool = JsonOption,
) -> None:
    """Create a case folder: case.duckdb, case.toml and media/."""
    Case.init(case, time_zone).close()
    if json_output:
        emit_json({"ok": True, "case": str(case)})
    else:
        stdout.print(f"Created case {case} (time zone {time_zone})")


@app.command()
def status(case: Path = CaseArgument, json_output: bool = JsonOption) -> None:
    """Counts by source, platform and kind; unfinished and failed runs; quarantine summary.

    While an ingest (or another command) holds the case, says so and who, instead.
    """
    try:
        opened = Case.open(case, read_only=True)
    except CaseBusy as busy:
        if json_output:
            emit_json({"ok": True, "busy": {"pid": busy.pid, "command": busy.command}})
        else:
            stdout.print(str(busy), markup=False)
        return
    with opened:
        report = opened.status()
    if json_output:
        emit_json({"ok": True, **report})
        return
    totals = report["totals"]
    stdout.print(
        f"Case {case}: {totals['posts']:,} posts, {totals['actors']:,} actors, "
        f"{totals['interactions']:,} interactions, {totals['media']:,} media, "
        f"{totals['sources']:,} sources, {totals['quarantine']:,} quarantined"
    )
    _table("Sources", report["sources"])
    _table("Posts by platform and kind", report["posts_by_platform_kind"])
    _table("Actors by platform and kind", report["actors_by_platform_kind"])
    _table("Interactions by platform and kind", report["interactions_by_kind"])
    _table("Media", report["media_by_status"])
    if report["unfinished_runs"]:
        _table(
            "Unfinished runs (killed or still running; ingest the same files again)",
            report["unfinished_runs"],
        )
    if report["unfinished_sources"]:
        _table("Unfinished sources", report["unfinished_sources"])
    if report["failed_runs"]:
        _table("Failed runs (the error ended them; run the command again)", report["failed_runs"])
    _table("Quarantine by reason (see `veille quarantine`)", report["quarantine_by_reason"])


def _table(title: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        emit_rows(list(rows[0]), [tuple(row.values()) for row in rows], title=title)


@app.command()
def quarantine(
    case: Path = CaseArgument,
    limit: int = typer.Option(200, min=0, help="Show at most this many rows (0: all)."),
    json_output: bool = JsonOption,
) -> None:
    """List what could not be read, with where and why."""
    with Case.open(case, read_only=True) as opened:
        rows = opened.quarantine(limit or None)
    if json_output:
        emit_json({"ok": True, "quarantined": len(rows), "rows": rows})
        return
    if not rows:
        stdout.print("Nothing quarantined.")
        return
    columns = ["path", "file", "locator", "reason", "raw"]
    emit_rows(columns, [tuple(_short(row[c]) for c in columns) for row in rows], title="Quarantine")


def _short(value: Any, width: int = 120) -> Any:
    """One line of at most ``width`` characters: a table cell, not the full fragment."""
    if not isinstance(value, str):
        return value
    value = " ".join(value.split())
    return value[: width - 1] + "…" if len(value) > width else value


@app.command()
def query(
    case: Path = CaseArgument,
    sql: str = typer.Argument(..., help="One SELECT statement (or WITH ... SELECT)."),
    output_format: str = FormatOption,
    json_output: bool = JsonOption,
) -> None:
    """Run one SELECT over the case's tables; nothing is written, nothing outside is read.

    The case is opened read-only with file, network and extension access off and its settings
    locked; EXPLAIN, COPY, ATTACH, SET, PRAGMA, INSTALL and every other statement are refused.
    """
    with Case.open(case, sandboxed=True) as opened:
        columns, rows = opened.query(sql)
    if json_output:
        # Lists, not objects: a SELECT may name two columns alike.
        emit_json({"ok": True, "columns": columns, "rows": [list(row) for row in rows]})
        return
    emit_rows(columns, rows, file_format=output_format)


GRAPH_FORMATS = ("gexf", "graphml", "graph-csv")


@app.command()
def export(
    case: Path = CaseArgument,
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="Folder for tables; file for gexf/graphml; folder for graph-csv.",
    ),
    to: str = typer.Option(
        "parquet", "--to", help="csv or parquet (tables); gexf, graphml or graph-csv (the graph)."
    ),
    tables: list[str] = typer.Option(
        [],
        "--table",
        "-t",
        help="Tables to export (default: every table, facts and analysis results included).",
    ),
    dynamic: bool = typer.Option(
        False,
        "--dynamic",
        help="gexf: with the days each tie was active, for Gephi's timeline to play.",
    ),
    json_output: bool = JsonOption,
) -> None:
    """Write tables to CSV or Parquet, or the interaction graph to GEXF, GraphML or CSV lists.

    Tables: every table of the case by default (records, facts, analysis results).

    The graph is the latest `veille network` run's, its scores and communities as node
    attributes (a default run is made first if there is none).
    """
    if to not in (*GRAPH_FORMATS, "csv", "parquet"):
        raise ConfigError(f"--to: unknown {to!r}; one of csv, parquet, {', '.join(GRAPH_FORMATS)}")
    if dynamic and to != "gexf":
        raise ConfigError(f"--dynamic: only gexf carries time for a timeline, not {to}")
    if to in GRAPH_FORMATS:
        with Case.open(case) as opened:
            run, files = opened.export_graph(
                "csv" if to == "graph-csv" else to, output, dynamic=dynamic
            )
        if json_output:
            emit_json({"ok": True, "run": run, "files": [str(f) for f in files]})
        else:
            for file in files:
                stdout.print(f"{file} (network run {run})")
        return
    written = {}
    with Case.open(case, read_only=True) as opened:
        known = opened.tables()
        unknown = [table for table in tables if table not in known]
        if unknown:
            raise ConfigError(f"--table: unknown {', '.join(unknown)}; tables: {', '.join(known)}")
        output.mkdir(parents=True, exist_ok=True)
        for table in tables or known:
            path = output / f"{table}.{to}"
            written[str(path)] = opened.export(table, path, to)
    if json_output:
        emit_json({"ok": True, "files": written})
    else:
        for name, count in written.items():
            stdout.print(f"{name}: {count:,} rows")

"""``veille ingest``: files and folders into a case, with a summary per file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from veille.case import Case, IngestResult
from veille.cli.app import EXIT_FAILED, EXIT_QUARANTINED, app
from veille.cli.output import JsonOption, QuietOption, emit_json, emit_rows, stderr, stdout
from veille.errors import ConfigError
from veille.ingest.base import MAX_RECORD_CHARS
from veille.ingest.common.textfile import encoding_named
from veille.ingest.tabular.csv_dialect import delimiter_named, quote_named
from veille.ingest.tabular.mapping import parse_mappings
from veille.runs.ingest import SourceResult


@app.command()
def ingest(
    case: Path = typer.Argument(..., help="The case folder (create it with `veille init`)."),
    paths: list[Path] = typer.Argument(..., help="Files, folders or zip exports to read."),
    format_name: str | None = typer.Option(
        None, "--format", help="Reader to use instead of guessing (see `veille readers`)."
    ),
    mapping: list[str] | None = typer.Option(
        None,
        "--map",
        help="Column mapping for tables: author=username,time=time,text=tweets, "
        "or a TOML mapping file; fields not given are guessed from column names. "
        "May be given more than once.",
    ),
    date_order: str | None = typer.Option(
        None, "--date-order", help="Force day-first or month-first numeric dates: day or month."
    ),
    time_zone: str | None = typer.Option(
        None, "--tz", help="Zone of times written without offset, if not the case's (case.toml)."
    ),
    delimiter: str | None = typer.Option(
        None,
        "--delimiter",
        help="CSV delimiter instead of deciding it from the file: a character, or comma, "
        "semicolon, tab, pipe.",
    ),
    quote: str | None = typer.Option(
        None,
        "--quote",
        help="CSV quote character instead of deciding it from the file; none for no quoting.",
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", help="Text encoding (utf-8, cp1252, cp1256...) instead of guessing."
    ),
    max_record_chars: int = typer.Option(
        MAX_RECORD_CHARS,
        "--max-record-chars",
        min=1000,
        help="Longest line or record held in memory; longer ones are quarantined.",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Exit 3 if any record at all was quarantined."
    ),
    json_output: bool = JsonOption,
    quiet: bool = QuietOption,
) -> None:
    """Read exports into the case: new records are added, records already there are counted.

    Exit 3 when a file was not read whole: it failed, stopped part-way, or more than 1% of its
    records were quarantined (with --strict: any quarantined record at all).
    """
    if date_order not in (None, "day", "month"):
        raise ConfigError("--date-order must be day or month")
    if time_zone is not None and not time_zone.strip():
        raise ConfigError("--tz is empty: give a zone name like Europe/Paris, or leave it out")
    settings = {
        "format_name": format_name,
        "mapping": parse_mappings(mapping or []),
        "date_order": date_order,
        "time_zone": time_zone,
        "delimiter": delimiter_named(delimiter),
        "quote": quote_named(quote),
        "encoding": encoding_named(encoding),
        "max_record_chars": max_record_chars,
    }
    with Case.open(case) as opened:
        if json_output or quiet or not stderr.is_terminal:
            report = opened.ingest(paths, **settings)  # type: ignore[arg-type]
        else:
            report = _ingest_with_progress(opened, paths, settings)
    totals = report.totals()
    if json_output:
        emit_json(
            {
                "ok": report.read_anything,
                "complete": not report.incomplete,
                "run": report.run_id,
                "counts": totals,
                "quarantined": totals["quarantined"],
                "sources": [source.as_dict() for source in report.sources],
            }
        )
    else:
        _print_summary(report, quiet)
    if not report.read_anything:
        raise typer.Exit(EXIT_FAILED)
    if report.incomplete or (strict and totals["quarantined"]):
        raise typer.Exit(EXIT_QUARANTINED)


def _ingest_with_progress(case: Case, paths: list[Path], settings: dict[str, Any]) -> IngestResult:
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} posts"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(label: str, read: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=None)
            bar.update(tasks[label], completed=read)

        return case.ingest(paths, progress=advance, **settings)


def _state(source: SourceResult) -> str:
    if source.status == "failed":
        return f"failed: {source.error}"
    if source.stopped:
        return "partial: stopped early"
    if source.status == "partial":
        return f"partial ({source.quarantined_share:.1%} quarantined)"
    return source.status


def _print_summary(report: IngestResult, quiet: bool) -> None:
    rows = []
    for source in report.sources:
        if source.skipped:
            continue  # listed on stderr below: noise in a table of what was read
        counts = source.counts
        rows.append(
            (
                source.path,
                source.reader or "",
                counts.read,
                counts.new,
                counts.present,
                counts.quarantined,
                counts.media_stored,
                counts.media_missing,
                _state(source),
            )
        )
    emit_rows(
        [
            "file",
            "reader",
            "read",
            "new",
            "already present",
            "quarantined",
            "media stored",
            "media missing",
            "status",
        ],
        rows,
        title="Ingest",
    )
    totals = report.totals()
    stdout.print(
        f"Read {totals['read']:,} posts from {totals['files']:,} sources: {totals['new']:,} new, "
        f"{totals['present']:,} already present, "
        + (f"{totals['repeated']:,} repeated in their file, " if totals["repeated"] else "")
        + f"{totals['quarantined']:,} quarantined"
        + (f"; {totals['partial']} partly read" if totals["partial"] else "")
        + (f"; {totals['failed']} failed" if totals["failed"] else "")
        + (f"; {totals['skipped']} skipped" if totals["skipped"] else ""),
        markup=False,
    )
    if quiet:
        return
    _print_skipped(report)
    for source in report.sources:
        for note in source.counts.notes:
            stderr.print(f"{source.path}: {note}", markup=False)
    _warn_incomplete(report)


def _print_skipped(report: IngestResult) -> None:
    """Skipped files grouped by why, ten names a reason at most."""
    by_why: dict[str, list[str]] = {}
    for source in report.sources:
        if source.skipped:
            by_why.setdefault(source.why or "no reader recognises it", []).append(source.path)
    for why, skipped in by_why.items():
        names = ", ".join(skipped[:10]) + (" ..." if len(skipped) > 10 else "")
        stderr.print(f"Skipped {len(skipped)} file(s), {why}: {names}", markup=False)


def _warn_incomplete(report: IngestResult) -> None:
    """One line per file not read whole, with what to try."""
    for source in report.incomplete:
        if source.error:
            message = f"not read: {source.error}"
        elif source.stopped:
            message = (
                f"read only in part ({source.counts.read:,} posts), the read stopped: "
                f"{source.stopped}"
            )
        else:
            met = source.counts.read + source.counts.quarantined
            message = (
                f"{source.counts.quarantined:,} of {met:,} records "
                f"({source.quarantined_share:.0%}) quarantined (see `veille quarantine`)"
            )
        if source.hint:
            message += f"; {source.hint}"
        stderr.print(f"Warning: {source.path}: {message}", markup=False)

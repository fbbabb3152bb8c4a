"""``veille ingest``: files and folders into a case, with a summary per file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from veille.case import Case, IngestReport
from veille.cli.app import EXIT_FAILED, EXIT_QUARANTINED, app
from veille.cli.output import JsonOption, QuietOption, emit_json, emit_rows, stderr, stdout
from veille.errors import ConfigError
from veille.ingest.mapping import parse_mapping


@app.command()
def ingest(
    case: Path = typer.Argument(..., help="The case folder (create it with `veille init`)."),
    paths: list[Path] = typer.Argument(..., help="Files, folders or zip exports to read."),
    format_name: str | None = typer.Option(
        None, "--format", help="Reader to use instead of guessing (see `veille readers`)."
    ),
    mapping: str | None = typer.Option(
        None,
        "--map",
        help="Column mapping for tables: author=username,time=time,text=tweets, "
        "or a TOML mapping file.",
    ),
    date_order: str | None = typer.Option(
        None, "--date-order", help="Force day-first or month-first numeric dates: day or month."
    ),
    time_zone: str | None = typer.Option(
        None, "--tz", help="Zone of times written without offset, if not the case's (case.toml)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 if any record was quarantined."),
    json_output: bool = JsonOption,
    quiet: bool = QuietOption,
) -> None:
    """Read exports into the case: new records are added, records already there are counted."""
    if date_order not in (None, "day", "month"):
        raise ConfigError("--date-order must be day or month")
    with Case.open(case) as opened:
        if json_output or quiet or not stderr.is_terminal:
            report = opened.ingest(
                paths,
                format_name=format_name,
                mapping=parse_mapping(mapping),
                date_order=date_order,
                time_zone=time_zone,
            )
        else:
            report = _ingest_with_progress(
                opened, paths, format_name, mapping, date_order, time_zone
            )
    totals = report.totals()
    if json_output:
        emit_json(
            {
                "ok": report.read_anything,
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
    if strict and totals["quarantined"]:
        raise typer.Exit(EXIT_QUARANTINED)


def _ingest_with_progress(
    case: Case,
    paths: list[Path],
    format_name: str | None,
    mapping: str | None,
    date_order: str | None,
    time_zone: str | None,
) -> IngestReport:
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

        return case.ingest(
            paths,
            format_name=format_name,
            mapping=parse_mapping(mapping),
            date_order=date_order,
            time_zone=time_zone,
            progress=advance,
        )


def _print_summary(report: IngestReport, quiet: bool) -> None:
    rows = []
    for source in report.sources:
        if source.skipped:
            continue  # listed on stderr below: noise in a table of what was read
        counts = source.counts
        state = "error: " + source.error if source.error else "ok"
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
                state,
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
        f"{totals['present']:,} already present, {totals['quarantined']:,} quarantined"
        + (f"; {totals['failed']} failed" if totals["failed"] else "")
        + (f"; {totals['skipped']} skipped" if totals["skipped"] else "")
    )
    if not quiet:
        skipped = [source.path for source in report.sources if source.skipped]
        if skipped:
            stderr.print(
                f"Skipped {len(skipped)} files no reader recognises: "
                + ", ".join(skipped[:10])
                + (" ..." if len(skipped) > 10 else ""),
                markup=False,
            )
        for source in report.sources:
            for note in source.counts.notes:
                stderr.print(f"{source.path}: {note}", markup=False)
            if source.error:
                stderr.print(f"{source.path}: {source.error}", markup=False)

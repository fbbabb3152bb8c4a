"""``veille enrich``: language, links, entities, places and photo facts for what lacks them."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, QuietOption, emit_json, emit_rows, stderr
from veille.enrichment import EnrichReport


@app.command()
def enrich(
    case: Path = typer.Argument(..., help="The case folder."),
    only: str | None = typer.Option(
        None, help="Comma-separated enrichers: lang,links,entities,places,media (default all)."
    ),
    redo: bool = typer.Option(False, help="Forget what these enrichers found and start again."),
    json_output: bool = JsonOption,
    quiet: bool = QuietOption,
) -> None:
    """Find languages, links, entities and places in posts, and read photos' EXIF."""
    chosen = [name.strip() for name in only.split(",") if name.strip()] if only else None
    with Case.open(case) as opened:
        if json_output or quiet or not stderr.is_terminal:
            reports = opened.enrich(chosen, redo=redo)
        else:
            reports = _enrich_with_progress(opened, chosen, redo)
    if json_output:
        emit_json({"ok": True, "enrichers": [report.as_dict() for report in reports]})
        return
    rows = [
        (
            report.enricher,
            report.version,
            report.records,
            ", ".join(f"{table} {count:,}" for table, count in report.facts.items()) or "-",
            f"{report.seconds:.1f}",
            report.run_id or "nothing new",
        )
        for report in reports
    ]
    emit_rows(("enricher", "version", "records", "facts", "seconds", "run"), rows)


def _enrich_with_progress(case: Case, only: list[str] | None, redo: bool) -> list[EnrichReport]:
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}"),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=stderr, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done)

        return case.enrich(only, redo=redo, progress=advance)

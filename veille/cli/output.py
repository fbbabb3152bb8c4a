"""Printing: results on stdout (tables, CSV or one JSON object), everything else on stderr."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = [
    "ROW_FORMATS",
    "FormatOption",
    "JsonOption",
    "QuietOption",
    "emit_json",
    "emit_rows",
    "stderr",
    "stdout",
]

stdout = Console(highlight=False, soft_wrap=True)
if not stdout.is_terminal:
    # Piped output has no width; 80 columns would fold every path into a tall column.
    stdout.width = 240
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _remember_json(ctx: typer.Context, value: bool) -> bool:
    # The error handler in app.py needs to know, after the fact, that JSON was asked for.
    if value:
        ctx.ensure_object(dict)["json"] = True
    return value


JsonOption = typer.Option(
    False,
    "--json",
    help="Print one JSON object on stdout instead of tables.",
    callback=_remember_json,
)
QuietOption = typer.Option(False, "--quiet", "-q", help="No progress bar or messages on stderr.")

ROW_FORMATS = ("table", "csv", "json")


def _known_format(value: str) -> str:
    if value not in ROW_FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(ROW_FORMATS)}")
    return value


FormatOption = typer.Option(
    "table", "--format", "-f", help="table, csv or json.", callback=_known_format
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def emit_json(payload: Any) -> None:
    """One JSON object on stdout; ends cleanly if the reader of the pipe went away."""
    try:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=_plain, indent=2) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stderr.close()


def emit_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    file_format: str = "table",
) -> None:
    """Rows as a rich table, CSV or a JSON list of objects."""
    if file_format not in ROW_FORMATS:
        raise ValueError(f"unknown row format {file_format!r}")  # the options check it first
    if file_format == "json":
        emit_json([dict(zip(columns, row, strict=True)) for row in rows])
        return
    if file_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[("" if v is None else _plain(v)) for v in row] for row in rows])
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text from a case is hostile: print it literally, never as rich markup.
        table.add_row(*("" if v is None else _text(v) for v in row))
    stdout.print(table)


def _text(value: Any) -> Text:
    if isinstance(value, int) and not isinstance(value, bool):
        return Text(f"{value:,}")
    return Text(str(value) if not isinstance(value, datetime) else value.isoformat(sep=" "))

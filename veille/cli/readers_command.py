"""``veille readers`` and ``veille peek``: what veille can read, and how it reads one file."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import typer

from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, emit_rows, stdout
from veille.errors import InputError
from veille.ingest import READERS
from veille.ingest.base import ReadOptions
from veille.ingest.files.discover import choose_reader
from veille.ingest.records_json import record_dicts
from veille.ingest.tabular.mapping import parse_mappings


@app.command()
def readers(json_output: bool = JsonOption) -> None:
    """List the readers and what each reads."""
    rows = []
    for name, reader_class in READERS:
        summary = (reader_class.__doc__ or "").strip().splitlines()[0]
        rows.append((name, reader_class.version, summary))
    if json_output:
        emit_json(
            {
                "ok": True,
                "readers": [{"name": n, "version": v, "reads": r} for n, v, r in rows],
            }
        )
        return
    emit_rows(["name", "version", "reads"], rows, title="Readers")


@app.command()
def peek(
    path: Path = typer.Argument(..., help="A file or export folder."),
    format_name: str | None = typer.Option(None, "--format", help="Reader to use."),
    mapping: list[str] | None = typer.Option(
        None, "--map", help="Column mapping, as for ingest (repeat to add fields)."
    ),
    limit: int = typer.Option(20, min=0, help="Stop after this many records (0: all)."),
    json_output: bool = JsonOption,
) -> None:
    """Print the records a file gives, as JSON lines, without writing any case.

    With --json, one object instead: the reader chosen and the list of records.
    """
    reader, _ = choose_reader(path, format_name)
    if reader is None:
        raise InputError(f"{path}: no reader recognises it; try --format (see `veille readers`)")
    options = ReadOptions(mapping=parse_mappings(mapping or []))
    rows = (row for record in reader.read(path, options) for row in record_dicts(record))
    taken = itertools.islice(rows, limit or None)
    if json_output:
        emit_json({"ok": True, "path": str(path), "reader": reader.name, "records": list(taken)})
        return
    for row in taken:
        stdout.out(json.dumps(row, ensure_ascii=False, sort_keys=True), highlight=False)

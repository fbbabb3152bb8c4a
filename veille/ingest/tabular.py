"""Tables of posts: CSV/TSV, JSON Lines and JSON arrays, through a column mapping.

Any scraped table goes in once its columns are mapped to veille's fields (``mapping.py``); the
mapping is guessed from column names when not given. Twitter API shapes are recognised by
content and read field by field instead: twarc2 pages (API v2) and API v1.1 tweet objects.

Dates are decided per column over the whole file (``dates.DateColumn``), so the file is read
twice: once to observe the time column, once to read the rows. A plain CSV (UTF-8, one row per
line, every row as wide as the header) is read a batch of columns at a time (``csv_bulk.py``),
with the same records as the row path and five to ten times faster.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.csv_bulk import PlainCsv, csv_batches, plain_csv
from veille.ingest.dates import DateColumn
from veille.ingest.mapping import resolve_mapping
from veille.ingest.table_columns import ColumnBatcher
from veille.ingest.table_json import read_json_table
from veille.ingest.table_rows import RowBatcher
from veille.ingest.textfile import open_text
from veille.model import Note, Record, Reject

__all__ = ["TabularReader"]

csv.field_size_limit(1 << 27)  # long posts and articles exceed the 128 KB default
_SNIFF_BYTES = 64 * 1024


def _first_bytes(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(_SNIFF_BYTES)


def _shape(path: Path) -> str:
    """csv, jsonl or json-array, from the first bytes (extensions lie)."""
    head = _first_bytes(path).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "json-array"
    if head.startswith(b"{"):
        return "jsonl"
    return "csv"


class TabularReader:
    """CSV/TSV, JSONL and JSON arrays of posts."""

    name = "tabular"
    version = 1

    def sniff(self, path: Path) -> int:
        if not path.is_file():
            return 0
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv"):
            return 60
        if suffix in (".jsonl", ".ndjson"):
            return 60
        if suffix == ".json" and _shape(path) == "json-array":
            return 50
        return 0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        if path.stat().st_size == 0:
            raise InputError(f"tabular: {path.name}: the file is empty")
        shape = _shape(path)
        if shape == "csv":
            yield from _read_csv(path, options)
        else:
            yield from read_json_table(path, shape, options)


def _csv_rows(
    path: Path, dialect: type[csv.Dialect] | csv.Dialect
) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """(first line number, row or the error that stopped it) for every row after the header."""
    with open_text(path, newline="") as decoded:
        rows = csv.reader(decoded.stream, dialect)
        next(rows, None)
        line = rows.line_num
        while True:
            try:
                row: list[str] | csv.Error = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                row = error
            yield line + 1, row
            line = rows.line_num
        if decoded.replaced_bytes:
            lost = decoded.replaced_bytes
            yield (
                0,
                csv.Error(f"{lost} bytes did not decode as {decoded.encoding}; replaced by U+FFFD"),
            )


def _read_csv(path: Path, options: ReadOptions) -> Iterator[Record]:
    with open_text(path, newline="") as decoded:
        sample = decoded.stream.read(_SNIFF_BYTES)
        encoding = decoded.encoding
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    with open_text(path, newline="") as decoded:
        header = next(csv.reader(decoded.stream, dialect), None)
    if not header:
        raise InputError(f"tabular: {path.name}: no header row")
    mapping, platform, notes = resolve_mapping(header, options.mapping)
    index = {field: header.index(column) for field, column in mapping.items()}
    time_index = index.get("time")
    subject = f"column {mapping.get('time', 'time')!r}"
    plain = plain_csv(path, dialect, header, time_index, encoding, subject)
    if plain is not None:
        yield from (Note(text) for text in notes)
        yield from _read_plain_csv(path, dialect, plain, index, platform, options)
        return
    column = DateColumn(subject)
    if time_index is not None:
        for _, row in _csv_rows(path, dialect):
            if isinstance(row, list) and len(row) > time_index:
                column.observe(row[time_index])
    parser = column.decide(options.date_order)
    yield from (Note(text) for text in notes)
    if time_index is not None:
        yield Note(parser.description)
    batcher = RowBatcher(platform, parser, options.zone)
    width = len(header)
    fields = list(index.items())
    for line, row in _csv_rows(path, dialect):
        if isinstance(row, csv.Error):
            if line == 0:
                yield Note(str(row))
            else:
                yield Reject(f"line {line}", f"CSV row not readable: {row}")
            continue
        if len(row) != width:
            if row:  # blank lines are not records
                reason = f"{len(row)} fields where the header has {width}"
                yield Reject(f"line {line}", reason, ",".join(row))
            continue
        raw = ",".join(row)
        reject = batcher.add({field: row[i] for field, i in fields}, f"line {line}", raw)
        if reject is not None:
            yield reject
        if batcher.full:
            yield from batcher.drain()
    yield from batcher.drain()


def _read_plain_csv(
    path: Path,
    dialect: type[csv.Dialect] | csv.Dialect,
    plain: PlainCsv,
    index: dict[str, int],
    platform: str,
    options: ReadOptions,
) -> Iterator[Record]:
    """The bulk path (``csv_bulk.py``): same records as the row path, a batch at a time."""
    parser = plain.dates.decide(options.date_order)
    if "time" in index:
        yield Note(parser.description)
    batcher = ColumnBatcher(platform, parser, options.zone)
    try:
        for fields, raw, line in csv_batches(path, dialect, plain, index):
            yield from batcher.read(fields, raw, line)
    except pa.ArrowInvalid as error:  # the file changed since it was scanned
        raise InputError(f"tabular: {path.name}: {error}") from error
    finally:
        batcher.close()

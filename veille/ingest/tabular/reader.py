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
from typing import TextIO

import pyarrow as pa

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.bounded_lines import bounded_lines
from veille.ingest.common.dates import DateColumn
from veille.ingest.common.textfile import open_text
from veille.ingest.tabular.columns import ColumnBatcher
from veille.ingest.tabular.csv_bulk import (
    RAW_KEPT,
    PlainCsv,
    csv_batches,
    line_locator,
    plain_csv,
    too_long_reason,
)
from veille.ingest.tabular.csv_dialect import SAMPLE_CHARS, choose_dialect
from veille.ingest.tabular.json_tables import read_json_table
from veille.ingest.tabular.mapping import resolve_mapping
from veille.ingest.tabular.rows import RowBatcher
from veille.model import Note, Record, Reject

__all__ = ["TabularReader"]

_SNIFF_BYTES = 64 * 1024  # enough to tell a JSON table from a CSV one


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


class _TooLong(csv.Error):
    """A record holding a line over the limit: quarantined with the line's start as raw."""

    def __init__(self, reason: str, start: str) -> None:
        super().__init__(reason)
        self.start = start


class _BoundedLines:
    """The lines of a text stream for ``csv.reader``, none longer than ``limit`` characters.

    A longer line is cut (the rest is read and dropped, see ``bounded_lines``) and its number
    and length kept in ``cut``, so the record holding it is quarantined rather than read from
    a fragment: a 10 GB file without a line break costs ``limit`` characters of memory.
    """

    def __init__(self, stream: TextIO, limit: int) -> None:
        self._lines = bounded_lines(stream, limit)
        self.number = 0
        self.cut: dict[int, tuple[int, str]] = {}  # line number -> (length, its start)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        if line.cut:
            self.cut[self.number] = (line.length, line.text[:RAW_KEPT])
        return line.text + "\n" if line.ended else line.text


def _longest_line_bytes(path: Path) -> int:
    """Bytes in the file's longest line, counted in C: the split is per megabyte, not line."""
    longest = carry = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            parts = chunk.split(b"\n")
            carry += len(parts[0])
            if len(parts) > 1:
                inner = max(map(len, parts[1:-1]), default=0)
                longest = max(longest, carry, inner)
                carry = len(parts[-1])
    return max(longest, carry)


def _lines_fit(path: Path, encoding: str, limit: int) -> bool:
    """Whether no line of the file can pass ``limit`` characters (its bytes say so).

    Then Python reads its lines in C; the bounded reader costs 4 µs a line, which a file of
    600,000 blank lines turned into seconds. A line of at most ``limit`` bytes holds at most
    ``limit`` characters in UTF-8 and single-byte code pages (not UTF-16/32, where a 0x0A byte
    may sit inside a character). Asked once per file: the row path reads it twice.
    """
    wide = "16" in encoding or "32" in encoding
    return not wide and _longest_line_bytes(path) <= limit


def _csv_rows(
    path: Path, dialect: csv.Dialect, encoding: str, limit: int, fit: bool
) -> Iterator[tuple[str, list[str] | csv.Error]]:
    """(locator, row or the error that stopped it) for every record after the header.

    The locator gives the record's physical lines: "line 12", or "lines 43-45" for a record
    whose quoted fields hold line breaks.
    """
    with open_text(path, newline="", encoding=encoding) as decoded:
        lines = decoded.stream if fit else _BoundedLines(decoded.stream, limit)
        cut = lines.cut if isinstance(lines, _BoundedLines) else {}
        rows = csv.reader(lines, dialect)
        next(rows, None)
        line = rows.line_num
        while True:
            try:
                row: list[str] | csv.Error = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                row = error
                if "field larger than field limit" in str(error):  # a quote never closed?
                    row = csv.Error(f"a field runs over the limit of {limit:,} characters")
            first, last = line + 1, rows.line_num
            if not row and not cut:  # a blank line is no record
                line = last
                continue
            too_long = [n for n in range(first, last + 1) if n in cut] if cut else None
            if too_long:
                length, start = cut.pop(too_long[0])
                row = _TooLong(
                    f"line {too_long[0]} is {length:,} characters long, over the limit of "
                    f"{limit:,} (--max-record-chars)",
                    start,
                )
            yield line_locator(first, last), row
            line = rows.line_num
        if decoded.replaced_bytes:
            lost = decoded.replaced_bytes
            yield (
                "",
                csv.Error(f"{lost} bytes did not decode as {decoded.encoding}; replaced by U+FFFD"),
            )


def _header(path: Path, dialect: csv.Dialect, encoding: str, limit: int) -> list[str]:
    with open_text(path, newline="", encoding=encoding) as decoded:
        lines = _BoundedLines(decoded.stream, limit)
        try:
            header = next(csv.reader(lines, dialect), None)
        except csv.Error as error:
            raise InputError(f"tabular: {path.name}: header not readable: {error}") from error
    if lines.cut:
        raise InputError(
            f"tabular: {path.name}: the first line is {lines.cut[1][0]:,} characters long, "
            f"over the limit of {limit:,}: not a table's header"
        )
    if not header:
        raise InputError(f"tabular: {path.name}: no header row")
    return header


def _sample(path: Path, options: ReadOptions) -> tuple[str, bool, str, str]:
    """The start of the file as text, whether more follows, its encoding and why that one."""
    with open_text(path, newline="", encoding=options.encoding) as decoded:
        text = decoded.stream.read(SAMPLE_CHARS)
        more = bool(decoded.stream.read(1))
        return text, more, decoded.encoding, decoded.how


def _read_csv(path: Path, options: ReadOptions) -> Iterator[Record]:
    sample, cut, encoding, how = _sample(path, options)
    best, dialect_note = choose_dialect(sample, cut, path.suffix, options.delimiter, options.quote)
    dialect = best.as_csv()
    limit = options.max_record_chars
    # Long posts and articles exceed the module's 128 KB default; a field never ends when a
    # quote is never closed, so the bound is the record's.
    csv.field_size_limit(limit)
    header = _header(path, dialect, encoding, limit)
    mapping, platform, notes = resolve_mapping(header, options.mapping)
    notes = [f"encoding {encoding} ({how})", dialect_note, *notes]
    index = {field: header.index(column) for field, column in mapping.items()}
    time_index = index.get("time")
    subject = f"column {mapping.get('time', 'time')!r}"
    plain = plain_csv(path, dialect, header, time_index, encoding, subject)
    if plain is not None:
        yield from (Note(text) for text in notes)
        yield from _read_plain_csv(path, dialect, plain, index, platform, options)
        return
    fit = _lines_fit(path, encoding, limit)
    column = DateColumn(subject)
    if time_index is not None:
        for _, row in _csv_rows(path, dialect, encoding, limit, fit):
            if isinstance(row, list) and len(row) > time_index:
                column.observe(row[time_index])
    parser = column.decide(options.date_order)
    yield from (Note(text) for text in notes)
    if time_index is not None:
        yield Note(parser.description)
    batcher = RowBatcher(platform, parser, options.zone)
    width = len(header)
    fields = list(index.items())
    delimiter = dialect.delimiter
    for locator, row in _csv_rows(path, dialect, encoding, limit, fit):
        if isinstance(row, csv.Error):
            if not locator:
                yield Note(str(row))
            else:
                raw = row.start if isinstance(row, _TooLong) else None
                yield Reject(locator, f"CSV record not readable: {row}", raw)
            continue
        if len(row) != width:
            if row:  # blank lines are not records
                reason = f"{len(row)} fields where the header has {width}"
                yield Reject(locator, reason, delimiter.join(row))
            continue
        raw = delimiter.join(row)
        if len(raw) > limit:
            yield Reject(locator, too_long_reason(len(raw), limit), raw[:RAW_KEPT])
            continue
        reject = batcher.add({field: row[i] for field, i in fields}, locator, raw)
        if reject is not None:
            yield reject
        if batcher.full:
            yield from batcher.drain()
    yield from batcher.drain()


def _read_plain_csv(
    path: Path,
    dialect: csv.Dialect,
    plain: PlainCsv,
    index: dict[str, int],
    platform: str,
    options: ReadOptions,
) -> Iterator[Record]:
    """The bulk path (``csv_bulk.py``): same records as the row path, a batch at a time."""
    parser = plain.dates.decide(options.date_order)
    if "time" in index:
        yield Note(parser.description)
    batcher = ColumnBatcher(platform, parser, options.zone, options.max_record_chars)
    try:
        for batch in csv_batches(path, dialect, plain, index):
            yield from batcher.read(batch)
    except pa.ArrowInvalid as error:  # the file changed since it was scanned
        raise InputError(f"tabular: {path.name}: {error}") from error
    finally:
        batcher.close()

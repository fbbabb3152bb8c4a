"""Plain CSV files read a batch of columns at a time: the fast path of the tabular reader.

The row path (``tabular.py`` with ``table_rows.py``) costs ~20 µs a row in Python. Most scraped
tables are plain: UTF-8, one row per line, every row as wide as the header. For those, pyarrow
parses the file and ``table_columns.ColumnBatcher`` builds the records a batch at a time, the
same records the row path gives (``tests/property/test_csv_bulk_matches_rows.py``).

A file is plain when a first scan of its bytes and rows shows no other encoding, no NUL byte,
no carriage return outside a CRLF, no blank line, no line break inside a quoted field and no row
of the wrong width: then row ``k`` is on line ``k + 2``, so locators stay exact. Any other file
goes through the row path, which quarantines each bad row with its reason and line.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from veille.ingest.column_dates import observe_column
from veille.ingest.dates import DateColumn
from veille.model import BATCH_ROWS

__all__ = ["PlainCsv", "csv_batches", "plain_csv"]

# Bytes checked at a time: decoding makes a str of up to 4 bytes a character, so keep it small.
_CHUNK = 1 << 20
# Bytes pyarrow parses at a time (~10k tweets), regrouped into batches of BATCH_ROWS. pyarrow
# reads up to 32 blocks ahead of the rows asked for, so this bounds that memory: with 8 MB
# blocks, a 3M-row file (300 MB) peaked 190 MB above a 1M-row one.
_BLOCK = 1 << 20


@dataclass(frozen=True)
class PlainCsv:
    """A CSV file found plain, with what its first scan learnt: its width and its dates."""

    width: int
    dates: DateColumn


def _parse_options(dialect: type[csv.Dialect] | csv.Dialect) -> pa_csv.ParseOptions:
    # No invalid-row handler: a row of the wrong width raises ArrowInvalid. A handler is Python
    # called by pyarrow with the row's text, which fails on bytes that are not UTF-8.
    return pa_csv.ParseOptions(
        delimiter=dialect.delimiter,
        quote_char=dialect.quotechar or False,
        double_quote=dialect.doublequote,
        escape_char=dialect.escapechar or False,
        newlines_in_values=True,
        ignore_empty_lines=True,
    )


def _reader(
    path: Path,
    dialect: type[csv.Dialect] | csv.Dialect,
    width: int,
    include: list[int] | None = None,
) -> pa_csv.CSVStreamingReader:
    names = [f"c{index}" for index in range(width)]
    return pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=_BLOCK),
        parse_options=_parse_options(dialect),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            include_columns=None if include is None else [names[i] for i in include],
            strings_can_be_null=False,
        ),
    )


def _physical_lines(path: Path) -> int | None:
    """Lines in the file, or None if its bytes rule out the bulk path."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    newlines = 0
    last = b""
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if b"\0" in chunk:
                return None
            carriage = chunk.count(b"\r") if b"\r" in chunk else 0
            if carriage:
                # A CR split from its LF by the chunk boundary counts as paired.
                paired = chunk.count(b"\r\n") + (chunk.endswith(b"\r") and 1)
                if carriage != paired:
                    return None
            if last == b"\r" and not chunk.startswith(b"\n"):
                return None
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return None
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return newlines + (1 if last not in (b"", b"\n") else 0)


def plain_csv(
    path: Path,
    dialect: type[csv.Dialect] | csv.Dialect,
    header: list[str],
    time_index: int | None,
    encoding: str,
    date_subject: str,
) -> PlainCsv | None:
    """Scan ``path``; if it is plain, return its shape and its observed time column."""
    if encoding not in ("utf-8", "utf-8-sig") or getattr(dialect, "skipinitialspace", False):
        return None
    if any("\n" in name or "\r" in name for name in header):
        return None
    lines = _physical_lines(path)  # first: pyarrow must only see UTF-8
    if lines is None:
        return None
    scanned = _rows_and_dates(path, dialect, len(header), time_index, date_subject)
    if scanned is None or scanned[0] + 1 != lines:
        return None  # a blank line or a quoted line break: row k is not on line k + 2
    return PlainCsv(len(header), scanned[1])


def _rows_and_dates(
    path: Path,
    dialect: type[csv.Dialect] | csv.Dialect,
    width: int,
    time_index: int | None,
    date_subject: str,
) -> tuple[int, DateColumn] | None:
    """Rows of the file and its observed dates; None if a row has the wrong width."""
    include = [time_index] if time_index is not None else [0]
    observed = DateColumn(date_subject)
    rows = 0
    import duckdb  # here, not at import: readers leave the database alone until they run

    con = duckdb.connect()
    try:
        # Observed a batch at a time rather than a block at a time: a query per block cost more.
        for table in _row_groups(_reader(path, dialect, width, include)):
            rows += table.num_rows
            if time_index is not None:
                observe_column(con, observed, table.column(0))
    except pa.ArrowInvalid:
        return None  # the row path quarantines that row
    finally:
        con.close()
    return rows, observed


def csv_batches(
    path: Path,
    dialect: type[csv.Dialect] | csv.Dialect,
    shape: PlainCsv,
    fields: dict[str, int],
) -> Iterator[tuple[dict[str, pa.ChunkedArray], pa.ChunkedArray, int]]:
    """(mapped field -> column, raw rows, line of the first row) for each batch of a plain CSV.

    ``raw`` is the row's fields joined by commas, as the row path keeps them.
    """
    line = 2
    for table in _row_groups(_reader(path, dialect, shape.width)):
        columns = table.columns
        raw = pc.binary_join_element_wise(*columns, ",")
        yield {field: columns[index] for field, index in fields.items()}, raw, line
        line += table.num_rows


def _row_groups(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.Table]:
    """The batches regrouped ``BATCH_ROWS`` rows at a time (the last one shorter)."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        pending.append(batch)
        held += batch.num_rows
        while held >= BATCH_ROWS:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, BATCH_ROWS)
            rest = table.slice(BATCH_ROWS)
            pending, held = rest.to_batches(), rest.num_rows
    if held:
        yield pa.Table.from_batches(pending)

"""Plain CSV files read a batch of columns at a time: the fast path of the tabular reader.

The row path (``reader.py`` with ``rows.py``) costs ~20 µs a row in Python. Most scraped
tables are plain: UTF-8, one row per line, every row as wide as the header. For those, pyarrow
parses the file and ``columns.ColumnBatcher`` builds the records a batch at a time, the
same records the row path gives (``tests/property/test_csv_bulk_matches_rows.py``).

A file is plain when a first scan of its bytes and rows shows no other encoding, no NUL byte,
no carriage return outside a CRLF, no blank line outside a quoted field and no row of the wrong
width. Then a record's lines follow from the line breaks inside its quoted fields (Excel keeps
a bare LF there, scrapers a CRLF or LF): the lines counted that way add up to the file's, so
locators stay exact. Any other file goes through the row path, which quarantines each bad row
with its reason and lines.
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

from veille.ingest.common.dates import DateColumn
from veille.ingest.tabular.column_dates import observe_column
from veille.model import BATCH_ROWS

__all__ = [
    "BULK_MIN_BYTES",
    "RAW_KEPT",
    "CsvBatch",
    "PlainCsv",
    "csv_batches",
    "line_locator",
    "plain_csv",
    "too_long_reason",
]

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
    multiline: bool = False  # some quoted fields hold line breaks


RAW_KEPT = 4096  # characters of an over-long record kept in quarantine
# Smaller files take the row path: ~20 µs a row, 0.1 s for this size, less than the bulk
# path's fixed cost (two DuckDB connections, ~40 ms each, and a first scan).
BULK_MIN_BYTES = 512 << 10


def too_long_reason(length: int, limit: int) -> str:
    return f"record is {length:,} characters long, over the limit of {limit:,} (--max-record-chars)"


def line_locator(first: int, last: int) -> str:
    """Where a record is: "line 12", or "lines 43-45" when it spans several lines."""
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _parse_options(dialect: csv.Dialect) -> pa_csv.ParseOptions:
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
    dialect: csv.Dialect,
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
    dialect: csv.Dialect,
    header: list[str],
    time_index: int | None,
    encoding: str,
    date_subject: str,
) -> PlainCsv | None:
    """Scan ``path``; if it is plain, return its shape and its observed time column.

    A file under ``BULK_MIN_BYTES`` is never taken: below that the row path is done before the
    bulk path's two in-memory DuckDB engines have started.
    """
    if path.stat().st_size < BULK_MIN_BYTES:
        return None
    if encoding not in ("utf-8", "utf-8-sig") or getattr(dialect, "skipinitialspace", False):
        return None
    if any("\n" in name or "\r" in name for name in header):
        return None
    lines = _physical_lines(path)  # first: pyarrow must only see UTF-8
    if lines is None:
        return None
    scanned = _rows_and_dates(path, dialect, len(header), time_index, date_subject)
    if scanned is None:
        return None
    rows, dates = scanned
    if rows + 1 == lines:
        return PlainCsv(len(header), dates)
    # Line breaks inside quoted fields, or blank lines (which pyarrow skips): only the first
    # keeps every record's lines derivable from its fields.
    if rows + 1 + _quoted_line_breaks(path, dialect, len(header)) == lines:
        return PlainCsv(len(header), dates, multiline=True)
    return None


def _quoted_line_breaks(path: Path, dialect: csv.Dialect, width: int) -> int:
    """Line breaks inside the fields of the file's records."""
    total = 0
    for table in _row_groups(_reader(path, dialect, width)):
        total += sum(_line_breaks(table).to_pylist())
    return total


def _line_breaks(table: pa.Table) -> pa.Array:
    """Line breaks inside each row's fields (a CRLF counts once: it ends one line)."""
    counts = [pc.count_substring(column, "\n") for column in table.columns]
    total = counts[0]
    for count in counts[1:]:
        total = pc.add(total, count)
    return pc.cast(total, pa.int64()).combine_chunks()


def _rows_and_dates(
    path: Path,
    dialect: csv.Dialect,
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


@dataclass(frozen=True)
class CsvBatch:
    """Mapped columns of a batch of rows, with each row's raw text, first line and locator."""

    fields: dict[str, pa.ChunkedArray]
    raw: pa.ChunkedArray  # the row's fields joined by the delimiter, as the row path keeps them
    lines: pa.Array  # int64: the first line of each row
    locators: pa.Array  # string: "line 12" or "lines 43-45"


def csv_batches(
    path: Path,
    dialect: csv.Dialect,
    shape: PlainCsv,
    fields: dict[str, int],
) -> Iterator[CsvBatch]:
    """The batches of a plain CSV, ``BATCH_ROWS`` rows at a time."""
    line = 2
    for table in _row_groups(_reader(path, dialect, shape.width)):
        columns = table.columns
        raw = pc.binary_join_element_wise(*columns, dialect.delimiter)
        size = table.num_rows
        if shape.multiline:
            breaks = _line_breaks(table)
            spans = pc.add(breaks, 1)
            ends = pc.add(pc.cumulative_sum(spans), line - 1)
            starts = pc.subtract(ends, breaks)
            locators = pc.if_else(
                pc.equal(breaks, 0),
                _join("line ", starts),
                _join("lines ", starts, "-", ends),
            )
            line = ends[-1].as_py() + 1 if size else line
        else:
            starts = pa.array(range(line, line + size), pa.int64())
            locators = _join("line ", starts)
            line += size
        mapped = {field: columns[index] for field, index in fields.items()}
        yield CsvBatch(mapped, raw, starts, locators)


def _join(*parts: str | pa.Array) -> pa.Array:
    """Strings and integer arrays joined element-wise into one string array."""
    pieces = [pc.cast(part, pa.string()) if isinstance(part, pa.Array) else part for part in parts]
    return pc.binary_join_element_wise(*pieces, "")


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

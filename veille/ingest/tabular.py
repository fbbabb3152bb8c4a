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
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.csv_bulk import PlainCsv, csv_batches, plain_csv
from veille.ingest.dates import DateColumn
from veille.ingest.json_stream import Item, JsonStreamError, stream_json
from veille.ingest.mapping import guess_mapping
from veille.ingest.table_columns import ColumnBatcher
from veille.ingest.table_rows import RowBatcher
from veille.ingest.textfile import open_text
from veille.ingest.twarc import is_twarc_page, records_from_page
from veille.ingest.tweet_fields import records_from_v1_tweet
from veille.model import Note, Provenance, Record, Reject

__all__ = ["TabularReader"]

csv.field_size_limit(1 << 27)  # long posts and articles exceed the 128 KB default
_SNIFF_BYTES = 64 * 1024
_MAPPING_SAMPLE = 1000  # objects whose keys decide the column mapping


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
            yield from _read_json(path, shape, options)


def _resolve_mapping(
    columns: list[str], options: ReadOptions
) -> tuple[dict[str, str], str, list[str]]:
    """The mapping to use (given, else guessed), the platform, and notes on both."""
    notes: list[str] = []
    guessed, guessed_platform = guess_mapping(columns)
    mapping = dict(options.mapping) if options.mapping else guessed
    platform = guessed_platform or "unknown"
    if "platform" in mapping and mapping["platform"] not in columns:
        platform = mapping.pop("platform")  # not a column: a platform name for the whole file
    missing = sorted(column for column in mapping.values() if column not in columns)
    if missing:
        raise InputError(
            f"tabular: mapped column(s) not in the file: {', '.join(missing)}; "
            f"columns are: {', '.join(columns)}"
        )
    used = ", ".join(f"{field}={column}" for field, column in mapping.items())
    origin = "as given" if options.mapping else "guessed from column names"
    notes.append(f"column mapping {origin}: {used}; platform {platform}")
    if "text" not in mapping:
        notes.append("no text column mapped: posts will have empty text (use --map text=COLUMN)")
    if platform == "unknown":
        notes.append("platform unknown: add --map platform=NAME")
    return mapping, platform, notes


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
    mapping, platform, notes = _resolve_mapping(header, options)
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


def _json_objects(path: Path, shape: str) -> Iterator[tuple[str, str, Any]]:
    """(locator, raw, object or None if unreadable) for each JSONL line or array item."""
    if shape == "jsonl":
        with open_text(path) as decoded:
            for number, line in enumerate(decoded.stream, start=1):
                if not line.strip():
                    continue
                try:
                    yield f"line {number}", line.rstrip("\n"), json.loads(line)
                except json.JSONDecodeError as error:
                    yield f"line {number}", line.rstrip("\n"), error
        return
    with open_text(path) as decoded:
        index = -1
        try:
            for event in stream_json(decoded.stream, ["[*]"]):
                if isinstance(event, Item) and event.index is not None:
                    index = event.index
                    raw = json.dumps(event.value, ensure_ascii=False, separators=(",", ":"))
                    yield f"[{index}]", raw, event.value
        except JsonStreamError as error:
            yield f"after [{index}]", "", error


def _is_v1_tweet(obj: object) -> bool:
    """A Twitter API v1.1 tweet: an ``id_str`` and an embedded ``user`` with a screen name."""
    return (
        isinstance(obj, dict)
        and "id_str" in obj
        and isinstance(obj.get("user"), dict)
        and "screen_name" in obj["user"]
    )


def _is_api_shape(obj: object) -> bool:
    return is_twarc_page(obj) or _is_v1_tweet(obj)


def _read_json(path: Path, shape: str, options: ReadOptions) -> Iterator[Record]:
    """JSON Lines or a JSON array: twarc2 pages, v1.1 tweets, or flat objects via a mapping.

    Two streaming passes: the first finds the columns (from the first objects) and observes
    every time value; the second yields the records.
    """
    columns: dict[str, None] = {}
    pending: list[dict[str, Any]] = []
    column: DateColumn | None = None
    mapping: dict[str, str] = {}
    platform, notes = "unknown", list[str]()
    objects = 0
    for _, _, obj in _json_objects(path, shape):
        if not isinstance(obj, dict) or _is_api_shape(obj):
            objects += isinstance(obj, dict)
            continue
        objects += 1
        if column is None:
            columns.update(dict.fromkeys(obj))
            pending.append(obj)
            if len(pending) < _MAPPING_SAMPLE:
                continue
            mapping, platform, notes = _resolve_mapping(list(columns), options)
            column = DateColumn(f"column {mapping.get('time', 'time')!r}")
            for held in pending:
                column.observe(_as_text(held.get(mapping.get("time", ""))))
            pending = []
        else:
            column.observe(_as_text(obj.get(mapping.get("time", ""))))
    if objects == 0:
        raise InputError(f"tabular: {path.name}: no JSON object could be read")
    if column is None and pending:
        mapping, platform, notes = _resolve_mapping(list(columns), options)
        column = DateColumn(f"column {mapping.get('time', 'time')!r}")
        for held in pending:
            column.observe(_as_text(held.get(mapping.get("time", ""))))
    batcher = None
    seen: set[str] = set()  # actors already yielded by the v1.1 path
    if column is not None:
        parser = column.decide(options.date_order)
        yield from (Note(text) for text in notes)
        yield Note(parser.description)
        batcher = RowBatcher(platform, parser, options.zone)
    for locator, raw, obj in _json_objects(path, shape):
        if isinstance(obj, Exception):
            yield Reject(locator, f"not valid JSON: {obj}; the rest of the file is read", raw)
        elif is_twarc_page(obj):
            yield from records_from_page(obj, locator)
        elif _is_v1_tweet(obj):
            provenance = Provenance(locator, raw)
            yield from records_from_v1_tweet(obj, provenance, seen_actors=seen, zone=options.zone)
        elif isinstance(obj, dict) and batcher is not None:
            values = {field: _as_text(obj.get(key)) for field, key in mapping.items()}
            reject = batcher.add(values, locator, raw)
            if reject is not None:
                yield reject
            if batcher.full:
                yield from batcher.drain()
        else:
            yield Reject(locator, f"expected a JSON object, found {type(obj).__name__}", raw)
    if batcher is not None:
        yield from batcher.drain()


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)

"""Tables of posts as JSON Lines or a JSON array: twarc2 pages, v2 or v1.1 tweets, flat objects.

Flat objects go through a column mapping (``mapping.py``), like CSV rows; Twitter API shapes
are recognised by content and read field by field instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.bounded_lines import bounded_lines
from veille.ingest.common.dates import DateColumn
from veille.ingest.common.json_decoding import loads
from veille.ingest.common.json_events import Item, JsonStreamError, TooLong
from veille.ingest.common.json_stream import stream_json
from veille.ingest.common.textfile import open_text
from veille.ingest.tabular.csv_bulk import RAW_KEPT, too_long_reason
from veille.ingest.tabular.mapping import resolve_mapping
from veille.ingest.tabular.rows import RowBatcher
from veille.ingest.twitter.twarc import (
    is_twarc_page,
    is_v2_tweet,
    records_from_page,
    records_from_v2_tweet,
)
from veille.ingest.twitter.tweet_fields import records_from_v1_tweet
from veille.model import Note, Provenance, Record, Reject

__all__ = ["read_json_table"]

_MAPPING_SAMPLE = 1000  # objects whose keys decide the column mapping
_TOO_DEEP = "nested too deeply to decode"


class _TooLong(ValueError):
    """A JSON line over the record limit: quarantined without being read whole."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(too_long_reason(length, limit))


def _json_objects(path: Path, shape: str, limit: int) -> Iterator[tuple[str, str, Any]]:
    """(locator, raw, value) for each JSONL line or array item; value is the error if unreadable.

    An integer past Python's digit limit is read as its digits (``json_decoding.loads``); a line
    nested too deeply for the decoder is unreadable, and only that line is lost. A line or an
    array item longer than ``limit`` characters is never held whole (``bounded_lines``,
    ``json_events.TooLong``): its value is a ``_TooLong`` error, its raw its first characters.
    """
    if shape == "jsonl":
        with open_text(path) as decoded:
            for number, read in enumerate(bounded_lines(decoded.stream, limit), start=1):
                line = read.text
                if read.cut:
                    yield f"line {number}", line[:RAW_KEPT], _TooLong(read.length, limit)
                    continue
                if not line.strip():
                    continue
                try:
                    yield f"line {number}", line, loads(line)
                except json.JSONDecodeError as error:
                    yield f"line {number}", line, error
                except RecursionError:
                    yield f"line {number}", line, ValueError(_TOO_DEEP)
        return
    with open_text(path) as decoded:
        index = -1
        try:
            for event in stream_json(decoded.stream, ["[*]"], max_value=limit):
                if isinstance(event, Item) and event.index is not None:
                    index = event.index
                    if isinstance(event.value, TooLong):  # walked past, never held
                        too_long = _TooLong(event.value.length, limit)
                        yield f"[{index}]", event.value.head, too_long
                        continue
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
    return is_twarc_page(obj) or _is_v1_tweet(obj) or is_v2_tweet(obj)


def read_json_table(path: Path, shape: str, options: ReadOptions) -> Iterator[Record]:
    """JSON Lines or a JSON array: twarc2 pages, v2 or v1.1 tweets, or flat objects (mapped).

    Two streaming passes: the first finds the columns (from the first objects) and observes
    every time value; the second yields the records.
    """
    columns: dict[str, None] = {}
    pending: list[dict[str, Any]] = []
    column: DateColumn | None = None
    mapping: dict[str, str] = {}
    platform, notes = "unknown", list[str]()
    objects = 0
    limit = options.max_record_chars
    for _, _, obj in _json_objects(path, shape, limit):
        if not isinstance(obj, dict) or _is_api_shape(obj):
            objects += isinstance(obj, dict)
            continue
        objects += 1
        if column is None:
            columns.update(dict.fromkeys(obj))
            pending.append(obj)
            if len(pending) < _MAPPING_SAMPLE:
                continue
            mapping, platform, notes = resolve_mapping(list(columns), options.mapping)
            column = DateColumn(f"column {mapping.get('time', 'time')!r}")
            for held in pending:
                column.observe(_as_text(held.get(mapping.get("time", ""))))
            pending = []
        else:
            column.observe(_as_text(obj.get(mapping.get("time", ""))))
    if objects == 0:
        raise InputError(f"tabular: {path.name}: no JSON object could be read")
    if column is None and pending:
        mapping, platform, notes = resolve_mapping(list(columns), options.mapping)
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
    for locator, raw, obj in _json_objects(path, shape, limit):
        if isinstance(obj, _TooLong):
            yield Reject(locator, f"{obj}; the rest of the file is read", raw)
        elif isinstance(obj, Exception):
            yield Reject(locator, f"not valid JSON: {obj}; the rest of the file is read", raw)
        elif is_twarc_page(obj):
            yield from records_from_page(obj, locator)
        elif is_v2_tweet(obj):
            yield from records_from_v2_tweet(obj, locator)
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

"""Record values as Arrow tables of their table's declared schema; what does not fit is found.

The writer hands over one sequence of values per column (lists from records, Arrow arrays from
column batches). The whole batch is converted at once; only when that fails is it halved, down
to the rows whose values the schema cannot hold, which the writer quarantines.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from veille.store.record_tables import record_schema
from veille.store.text import without_lone_surrogates

__all__ = ["encoded", "fitting", "parts", "str_or_none", "text_bytes", "value_at"]

# What pyarrow raises for a value that does not fit its column (ArrowInvalid and ArrowTypeError
# are ValueError and TypeError).
_UNFIT = (pa.ArrowException, TypeError, ValueError, OverflowError)
_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode
_schema = functools.cache(record_schema)


def parts(table: pa.Table, budget: int) -> list[pa.Table]:
    """``table`` in slices of rows of about ``budget`` bytes each (zero-copy).

    A slice ends where the running size passes a multiple of ``budget``, so it holds at most
    ``budget`` plus its first row; a row of ``budget`` or more is a slice alone.
    """
    size = table.nbytes
    if size <= budget or table.num_rows <= 1:
        return [table]
    weights = np.zeros(table.num_rows, np.float64)
    for column in table.itercolumns():
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            weights += pc.binary_length(column).fill_null(0).to_numpy()
    # What the lengths leave out (offsets, times, validity) spread evenly.
    weights += max(0.0, size - float(weights.sum())) / table.num_rows
    big = np.flatnonzero(weights >= budget)
    cuts = np.flatnonzero(np.diff(np.cumsum(weights) // budget)) + 1
    starts = sorted({0, table.num_rows, *cuts.tolist(), *big.tolist(), *(big + 1).tolist()})
    return [table.slice(start, stop - start) for start, stop in pairwise(starts)]


def _arrow_table(table: str, columns: Sequence[Sequence[Any]]) -> pa.Table:
    """An Arrow table of ``table``'s schema from one sequence of values per column."""
    schema = _schema(table)
    arrays = [_arrow_array(column, values) for column, values in zip(schema, columns, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _arrow_array(column: pa.Field, values: Sequence[Any]) -> pa.Array | pa.ChunkedArray:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        # Used as they are, chunks and all: combining copies, and text is most of a batch.
        return values if values.type == column.type else values.cast(column.type)
    if pa.types.is_timestamp(column.type):
        # Inferring then casting is ~6x faster than converting aware datetimes to a typed
        # array directly (pyarrow checks each value's zone on the typed path).
        return pa.array(values).cast(column.type)
    try:
        return pa.array(values, column.type)
    except UnicodeEncodeError:
        return pa.array(without_lone_surrogates(values), column.type)


def fitting(
    table: str, columns: Sequence[Sequence[Any]], size: int
) -> tuple[list[pa.Table], list[tuple[int, str]]]:
    """Arrow tables of the rows that fit ``table``'s schema, and (row, why) for the others.

    The whole batch is tried first; only when it fails is it halved, and halved again, down to
    the rows that do not fit: a bad value costs its record, not the batch, and the search costs
    a few tables per bad row.
    """
    try:
        return [_arrow_table(table, columns)], []
    except _UNFIT as error:
        if size <= 1:
            return [], [(0, _why_unfit(table, columns, error))] if size else []
    half = size // 2
    tables, bad = fitting(table, [_cut(c, 0, half) for c in columns], half)
    right, right_bad = fitting(table, [_cut(c, half, size) for c in columns], size - half)
    return tables + right, bad + [(half + row, why) for row, why in right_bad]


def _why_unfit(table: str, row: Sequence[Sequence[Any]], error: BaseException) -> str:
    """Which field of a one-row ``row`` does not fit ``table``, as a reason for quarantine."""
    for column, values in zip(_schema(table), row, strict=True):
        try:
            _arrow_array(column, values)
        except _UNFIT:
            value = value_at(values, 0)
            shown = repr(value)
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            return (
                f"{table}: field {column.name!r} cannot hold {type(value).__name__} {shown} "
                "(a reader produced a value of the wrong type); record quarantined"
            )
    message = " ".join(str(error).split())[:200]
    return f"{table}: the record cannot be stored ({type(error).__name__}: {message}); quarantined"


def _cut(values: Sequence[Any], start: int, stop: int) -> Sequence[Any]:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        part: Sequence[Any] = values.slice(start, stop - start)
        return part
    return values[start:stop]


def value_at(values: Sequence[Any], index: int) -> Any:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values[index].as_py()
    return values[index]


def encoded(extra: Any) -> str | None:
    """``extra`` as JSON text; what the encoder refuses (nesting too deep) is kept as its repr."""
    if not extra:
        return None
    try:
        return _JSON(extra)
    except (ValueError, RecursionError):
        return _JSON({"unencodable": repr(extra)[:10_000]})


def text_bytes(value: object) -> int:
    """A text field's size in UTF-8, as Arrow will hold it; 0 for None and a wrong-typed value.

    Arabic takes 2 bytes a character, emoji 4: counting characters let a batch of them reach
    twice the budget and more. ``isascii`` is a flag read, so only other texts are encoded.
    """
    if not isinstance(value, str):
        return 0
    return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))


def str_or_none(value: object) -> str | None:
    return value if value is None or isinstance(value, str) else repr(value)

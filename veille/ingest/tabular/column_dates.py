"""Dates of a whole Arrow column at once: observe them, then read them, as ``dates.py`` does.

``dates.DateColumn`` and ``dates.DateParser`` look at one value at a time (~5 µs each); a
million-row table spends seconds there. Here the common shape, numeric dates such as
``1/6/2015 21:07``, is matched and built a batch at a time in DuckDB. The rule that keeps both
ways identical: a value is handled here only if it fits ``_PLAIN_NUMERIC`` (ASCII digits and
spaces only, where Python's ``\\d`` and ``\\s`` and RE2's agree) and yields a valid date;
every other value goes to the per-value Python code, which also writes the reasons of values
that cannot be read. Times written without an offset are vectorised for UTC cases only;
another zone takes the per-value path, once per distinct value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from veille.ingest.common.dates import CachedParser, DateColumn

if TYPE_CHECKING:
    import duckdb

__all__ = ["ParsedTimes", "observe_column", "parse_column"]

_PLAIN_NUMERIC = (
    r"^ *([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2}|[0-9]{4}),?"
    r"(?:[ T]+([0-9]{1,2})[:.]([0-9]{2})(?:[:.]([0-9]{2}))?(?: *([aApP])\.? ?[mM]\.?)?)? *$"
)
_TIME = pa.timestamp("us", tz="UTC")

# The six numbers of each plain numeric value (as dates._numeric_parts computes them), and the
# moment they make when valid; NULLs for a value off the plain shape.
_PARTS_SQL = """
WITH matched AS (
    SELECT value_index,
           regexp_extract(value, $pattern,
                          ['first', 'second', 'year', 'hour', 'minute', 'sec', 'meridiem']) AS g
    FROM veille_values
), numbers AS (
    SELECT value_index,
           g.year <> '' AS plain,  -- anchored pattern with a compulsory year: it matched
           nullif(g.first, '')::INTEGER AS first,
           nullif(g.second, '')::INTEGER AS second,
           nullif(g.year, '')::INTEGER
               + CASE WHEN length(g.year) <> 2 THEN 0
                      WHEN nullif(g.year, '')::INTEGER < 70 THEN 2000
                      ELSE 1900 END AS year,
           coalesce(nullif(g.hour, '')::INTEGER, 0) AS raw_hour,
           g.meridiem AS meridiem,
           coalesce(nullif(g.minute, '')::INTEGER, 0) AS minute,
           coalesce(nullif(g.sec, '')::INTEGER, 0) AS sec
    FROM matched
), parts AS (
    SELECT value_index, first, second, year,
           CASE WHEN NOT plain THEN NULL
                WHEN meridiem = '' THEN raw_hour
                ELSE raw_hour % 12 + CASE WHEN meridiem IN ('p', 'P') THEN 12 ELSE 0 END
           END AS hour,
           CASE WHEN plain THEN minute END AS minute,
           CASE WHEN plain THEN sec END AS sec,
           CASE WHEN $day_first THEN first ELSE second END AS day,
           CASE WHEN $day_first THEN second ELSE first END AS month
    FROM numbers
)
SELECT first, second, year, hour, minute, sec,
       CASE WHEN year >= 1 AND month BETWEEN 1 AND 12 AND day >= 1 AND hour < 24
                 AND minute < 60 AND sec < 60 AND try(make_date(year, month, day)) IS NOT NULL
            THEN make_timestamp(year, month, day, hour, minute, sec) END AS moment
FROM parts
ORDER BY value_index
"""
_PART_NAMES = ("first", "second", "year", "hour", "minute", "sec")


def _plain_parts(
    con: duckdb.DuckDBPyConnection, values: pa.Array | pa.ChunkedArray, day_first: bool = False
) -> pa.Table:
    """Row by row: the numbers of plain values and the moment under ``day_first``, else NULLs.

    The pattern runs once per distinct value: dates repeat (minute resolution, bursts).
    """
    distinct = pc.unique(values)
    table = pa.table({"value_index": pa.array(range(len(distinct)), pa.int64()), "value": distinct})
    con.register("veille_values", table)
    try:
        parts = con.execute(
            _PARTS_SQL, {"pattern": _PLAIN_NUMERIC, "day_first": day_first}
        ).to_arrow_table()
    finally:
        con.unregister("veille_values")
    return parts.take(pc.index_in(values, value_set=distinct))


def observe_column(
    con: duckdb.DuckDBPyConnection, column: DateColumn, values: pa.Array | pa.ChunkedArray
) -> None:
    """Observe every value of ``values`` into ``column``, exactly as ``column.observe`` would."""
    parts = _plain_parts(con, values)
    plain = pc.is_valid(parts.column("first"))
    first = parts.column("first").fill_null(0).to_numpy()
    second = parts.column("second").fill_null(0).to_numpy()
    plain_count = int(pc.sum(plain).as_py() or 0)
    column.values += plain_count
    column.numeric += plain_count
    day_first = (first > 12) & (second <= 12)
    month_first = (second > 12) & (first <= 12)
    column.proves_day_first += int(day_first.sum())
    column.proves_month_first += int(month_first.sum())
    # Values off the plain shape are observed one by one; they are few in a plain column. The
    # ambiguous sample must keep file order, so both kinds are walked in row order until full.
    others = pc.indices_nonzero(pc.invert(plain)).to_pylist()
    if column.ambiguous_room() == 0:
        for index in others:
            column.observe(values[index].as_py())
        return
    # As in DateColumn.observe: what proves neither order (13/13 too) joins the sample.
    ambiguous = (~day_first & ~month_first & plain.to_numpy(zero_copy_only=False)).nonzero()[0]
    plain_at = set(ambiguous[: column.ambiguous_room()].tolist())
    wanted = sorted([*plain_at, *others])
    rows = parts.select(list(_PART_NAMES)).take(pa.array(wanted, pa.int64())).to_pylist()
    for index, row in zip(wanted, rows, strict=True):
        if index in plain_at:
            column.add_ambiguous(tuple(row.values()))
        else:
            column.observe(values[index].as_py())


@dataclass(frozen=True)
class ParsedTimes:
    """What reading a column of times gave, row by row: times, offsets, reasons of failures."""

    times: pa.Array
    offsets: pa.Array
    errors: pa.Array


def parse_column(
    con: duckdb.DuckDBPyConnection, dates: CachedParser, values: pa.Array | pa.ChunkedArray
) -> ParsedTimes:
    """Read every value as ``dates.parser.parse`` would; empty values give no time, no error."""
    parser, size = dates.parser, len(values)
    times: list[Any] = [None] * size
    offsets: list[int | None] = [None] * size
    errors: list[str | None] = [None] * size
    fast = pa.nulls(size, _TIME)
    if parser.kind == "numeric" and _is_utc(dates.zone):
        moments = _plain_parts(con, values, parser.day_first).column("moment")
        fast = pc.cast(moments, _TIME)
    slow = pc.indices_nonzero(pc.and_(pc.is_null(fast), pc.not_equal(values, ""))).to_pylist()
    for index in slow:
        known = dates(values[index].as_py())
        if isinstance(known, str):
            errors[index] = known
        else:
            times[index], offsets[index] = known
    moments = pc.coalesce(fast, pa.array(times, _TIME)) if slow else fast
    return ParsedTimes(moments, pa.array(offsets, pa.int32()), pa.array(errors, pa.string()))


def _is_utc(zone: tzinfo) -> bool:
    return zone is UTC or str(zone) in ("UTC", "Etc/UTC")

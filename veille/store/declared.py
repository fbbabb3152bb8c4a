"""Tables declared once, as a row type: the Arrow schema and the SQL columns follow from it.

A result table's row is a ``TypedDict``; this module derives from it the Arrow schema the writer
uses and the DuckDB columns that ``DESCRIBE`` must show (``tests/unit/store/test_declared.py``
compares them with every migration), and reads rows back checking their columns, so a renamed
column fails at once instead of rendering blank.

Types: ``str``, ``int`` (BIGINT), ``Int32`` (INTEGER), ``float``, ``bool``, ``date``,
``datetime`` (aware, stored in UTC), ``Json`` (a JSON document, text in Arrow); ``X | None`` is
a nullable column, anything else NOT NULL.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, NamedTuple, TypeVar

import duckdb
import pyarrow as pa

__all__ = [
    "Column",
    "Int32",
    "Json",
    "arrow_schema",
    "columns_of",
    "fetch_typed",
    "rows_table",
    "table_with_schema",
]

Int32 = Annotated[int, "INTEGER"]
Json = Annotated[str, "JSON"]

_PLAIN: dict[object, tuple[pa.DataType, str]] = {
    str: (pa.string(), "VARCHAR"),
    int: (pa.int64(), "BIGINT"),
    float: (pa.float64(), "DOUBLE"),
    bool: (pa.bool_(), "BOOLEAN"),
    date: (pa.date32(), "DATE"),
    datetime: (pa.timestamp("us", tz="UTC"), "TIMESTAMP WITH TIME ZONE"),
}
_MARKED: dict[str, pa.DataType] = {"INTEGER": pa.int32(), "JSON": pa.string()}

Row = TypeVar("Row")


class Column(NamedTuple):
    name: str
    arrow: pa.DataType
    sql: str  # as DuckDB's DESCRIBE shows it
    nullable: bool


def columns_of(row_type: type[Any]) -> list[Column]:
    """The columns a row type declares, in declaration order."""
    hints = typing.get_type_hints(row_type, include_extras=True)
    return [_column(name, hint) for name, hint in hints.items()]


def _column(name: str, hint: Any) -> Column:
    nullable = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"column {name}: {hint} is not one type or None")
        hint, nullable = members[0], True
    if typing.get_origin(hint) is Annotated:
        marker = typing.get_args(hint)[1]
        if marker not in _MARKED:
            raise TypeError(f"column {name}: unknown marker {marker!r}")
        return Column(name, _MARKED[marker], marker, nullable)
    if hint not in _PLAIN:
        raise TypeError(f"column {name}: {hint} has no column type")
    arrow, sql = _PLAIN[hint]
    return Column(name, arrow, sql, nullable)


def arrow_schema(row_type: type[Any], prefix: Sequence[Column] = ()) -> pa.Schema:
    """The Arrow schema of a row type (``prefix`` columns first: a result table's run id)."""
    return pa.schema(
        [pa.field(c.name, c.arrow, nullable=c.nullable) for c in [*prefix, *columns_of(row_type)]]
    )


def rows_table(
    rows: Iterable[Mapping[str, Any]], row_type: type[Any], prefix: Mapping[str, object]
) -> pa.Table:
    """Rows as an Arrow table of the declared schema, ``prefix`` (name -> value) repeated on
    every row. A row with a column the type does not declare, or without one it does, raises."""
    declared = columns_of(row_type)
    names = [c.name for c in declared]
    expected = set(names)
    data: dict[str, list[Any]] = {name: [] for name in names}
    count = 0
    for row in rows:
        if row.keys() != expected:
            extra, missing = sorted(row.keys() - expected), sorted(expected - row.keys())
            raise ValueError(f"{row_type.__name__}: unexpected {extra}, missing {missing}")
        for name in names:
            data[name].append(row[name])
        count += 1
    fixed = [Column(name, pa.string(), "VARCHAR", False) for name in prefix]
    schema = arrow_schema(row_type, fixed)
    arrays = [pa.array([value] * count, pa.string()) for value in prefix.values()]
    arrays += [pa.array(data[c.name], c.arrow) for c in declared]
    return pa.Table.from_arrays(arrays, schema=schema)


def table_with_schema(
    table: pa.Table, row_type: type[Any], prefix: Mapping[str, object]
) -> pa.Table:
    """An Arrow table computed elsewhere (in SQL), checked against the row type and cast to
    its schema, with the ``prefix`` columns added."""
    declared = columns_of(row_type)
    names = [c.name for c in declared]
    if set(table.column_names) != set(names):
        extra = sorted(set(table.column_names) - set(names))
        missing = sorted(set(names) - set(table.column_names))
        raise ValueError(f"{row_type.__name__}: unexpected {extra}, missing {missing}")
    arrays = [pa.array([value] * table.num_rows, pa.string()) for value in prefix.values()]
    arrays += [table.column(c.name).cast(c.arrow) for c in declared]
    fixed = [Column(name, pa.string(), "VARCHAR", False) for name in prefix]
    return pa.Table.from_arrays(arrays, schema=arrow_schema(row_type, fixed))


def fetch_typed(cursor: duckdb.DuckDBPyConnection, row_type: type[Row]) -> list[Row]:
    """The rows of an executed query as ``row_type`` dicts; the query's columns must be the
    type's columns (in any order), so a renamed column raises here, not blank on a page."""
    names = [column[0] for column in cursor.description or []]
    expected = [c.name for c in columns_of(row_type)]
    if set(names) != set(expected):
        extra, missing = sorted(set(names) - set(expected)), sorted(set(expected) - set(names))
        raise ValueError(f"{row_type.__name__}: query has {extra} too, lacks {missing}")
    return [typing.cast(Row, dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

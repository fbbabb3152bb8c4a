"""Each table is declared once, by its row type: the database and the records must agree."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import TypedDict

import duckdb
import pytest

from veille.analyze import ANALYSES
from veille.model import Actor, Interaction, Post, column_fields
from veille.store.database import open_database
from veille.store.declared import Int32, Json, columns_of, fetch_typed, rows_table
from veille.store.notes import NoteRow
from veille.store.record_tables import RECORD_TABLES
from veille.store.watchlist_entries import WatchEntryRow, WatchLookRow


def _declared_tables() -> list[tuple[str, str, type]]:
    return [
        (name, table, row_type)
        for name, analysis in ANALYSES
        for table, row_type in analysis.tables.items()
    ]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return open_database(Path(tmp_path_factory.mktemp("declared")) / "case.duckdb")


@pytest.mark.parametrize(("analysis", "table", "row_type"), _declared_tables())
def test_the_database_has_the_columns_the_row_type_declares(
    con: duckdb.DuckDBPyConnection, analysis: str, table: str, row_type: type
) -> None:
    described = [
        (name, sql_type, null == "YES")
        for name, sql_type, null, *_ in con.execute(f"DESCRIBE {table}").fetchall()
    ]
    declared = [("run_id", "VARCHAR", False)] + [
        (c.name, c.sql, c.nullable) for c in columns_of(row_type)
    ]
    assert described == declared, f"{analysis} writes {table}"


def test_every_analysis_declares_its_tables() -> None:
    assert {name for name, _, _ in _declared_tables()} == set(ANALYSES.names())


class Sample(TypedDict):
    name: str
    rank: Int32
    day: date | None
    reasons: Json | None


def test_rows_table_refuses_a_row_with_a_column_the_type_lacks() -> None:
    good = {"name": "a", "rank": 1, "day": None, "reasons": None}
    table = rows_table([good], Sample, {"run_id": "r"})
    assert table.column_names == ["run_id", "name", "rank", "day", "reasons"]
    assert str(table.schema.field("rank").type) == "int32"
    renamed = {"name": "a", "renamed": 1, "day": None, "reasons": None}
    with pytest.raises(ValueError, match=r"unexpected \['renamed'\], missing \['rank'\]"):
        rows_table([renamed], Sample, {"run_id": "r"})


def test_fetch_typed_refuses_a_query_whose_columns_differ() -> None:
    con = duckdb.connect()
    cursor = con.execute("SELECT 'a' AS name, 1 AS rank, NULL AS day, NULL AS reasons")
    assert fetch_typed(cursor, Sample) == [{"name": "a", "rank": 1, "day": None, "reasons": None}]
    cursor = con.execute("SELECT 'a' AS name, 1 AS position, NULL AS day, NULL AS reasons")
    with pytest.raises(ValueError, match=r"has \['position'\] too, lacks \['rank'\]"):
        fetch_typed(cursor, Sample)


@pytest.mark.parametrize("table", sorted(RECORD_TABLES))
def test_the_record_tables_have_the_columns_declared(
    con: duckdb.DuckDBPyConnection, table: str
) -> None:
    described = [
        (name, sql_type, null == "YES")
        for name, sql_type, null, *_ in con.execute(f"DESCRIBE {table}").fetchall()
    ]
    declared = [(c.name, c.sql, c.nullable) for c in columns_of(RECORD_TABLES[table])]
    assert described == declared


@pytest.mark.parametrize(
    ("table", "row_type"),
    [("notes", NoteRow), ("watchlist_entries", WatchEntryRow), ("watchlist_looks", WatchLookRow)],
)
def test_the_analysts_tables_have_the_columns_declared(
    con: duckdb.DuckDBPyConnection, table: str, row_type: type
) -> None:
    described = [
        (name, sql_type, null == "YES")
        for name, sql_type, null, *_ in con.execute(f"DESCRIBE {table}").fetchall()
    ]
    assert described == [(c.name, c.sql, c.nullable) for c in columns_of(row_type)]


@pytest.mark.parametrize(
    ("record_type", "table"),
    [(Post, "posts"), (Interaction, "interactions"), (Actor, "actor_sightings")],
)
def test_every_field_of_a_record_has_its_column(record_type: type, table: str) -> None:
    columns = {c.name for c in columns_of(RECORD_TABLES[table])}
    provenance = {"locator", "file", "raw"} if table == "posts" else {"locator"}
    names = {f.name for f in dataclasses.fields(record_type)} - {"provenance"}
    if table == "actor_sightings":  # one row per state of the actor: its kind is in actors
        names = names - {"id", "kind"} | {"actor_id"}
    assert names | provenance <= columns


def test_a_reader_column_buffer_naming_no_field_fails_where_it_is_declared() -> None:
    assert column_fields("post", "id", "text", "locator") == ("id", "text", "locator")
    with pytest.raises(TypeError, match="post columns have no field txt"):
        column_fields("post", "id", "txt")
    with pytest.raises(TypeError, match="interaction columns have no field text"):
        column_fields("interaction", "text")

"""The case store: migrations, idempotent ingest, unfinished runs, read-only queries."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from veille.case import Case
from veille.errors import ConfigError, StoreError
from veille.store.database import SCHEMA_VERSION

CSV = "username,time,text\nabu_a,1/6/2015 21:07,hello @abu_b\nabu_b,1/13/2015 08:00,reply\n"


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case.init(tmp_path / "case")


def test_init_creates_the_case_folder(case: Case) -> None:
    assert (case.root / "case.toml").is_file()
    assert (case.root / "media").is_dir()
    version = case.con.execute("SELECT max(version) FROM schema_version").fetchone()
    assert version == (SCHEMA_VERSION,)


def test_init_refuses_an_existing_case(case: Case) -> None:
    with pytest.raises(StoreError, match="already holds a case"):
        Case.init(case.root)


def test_open_refuses_a_folder_that_is_not_a_case(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a veille case"):
        Case.open(tmp_path)


def test_second_ingest_adds_nothing(case: Case, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text(CSV)
    first = case.ingest([data]).totals()
    second = case.ingest([data]).totals()
    assert (first["read"], first["new"], first["present"]) == (2, 2, 0)
    assert (second["read"], second["new"], second["present"]) == (2, 0, 2)
    counts = case.con.execute(
        "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM interactions), "
        "(SELECT count(*) FROM sources), (SELECT count(*) FROM runs)"
    ).fetchone()
    assert counts == (2, 1, 1, 2)


def test_every_record_keeps_its_source_and_locator(case: Case, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text(CSV)
    case.ingest([data])
    rows = case.con.execute(
        "SELECT p.locator, s.path FROM posts p JOIN sources s ON s.id = p.source_id ORDER BY 1"
    ).fetchall()
    assert rows == [("line 2", str(data)), ("line 3", str(data))]
    edge = case.con.execute(
        "SELECT i.kind, p.text FROM interactions i JOIN posts p ON p.id = i.post_id"
    ).fetchone()
    assert edge == ("mention", "hello @abu_b")


def test_query_is_read_only(case: Case) -> None:
    columns, rows = case.query("SELECT count(*) AS n FROM posts")
    assert (columns, rows) == (["n"], [(0,)])
    with pytest.raises(ConfigError, match="only SELECT"):
        case.query("DELETE FROM posts")
    with pytest.raises(ConfigError, match="exactly one"):
        case.query("SELECT 1; SELECT 2")


def test_read_only_open_cannot_write(case: Case) -> None:
    case.close()
    with Case.open(case.root, read_only=True) as opened, pytest.raises(duckdb.Error):
        opened.con.execute("DELETE FROM posts")


def test_export_parquet_and_csv(case: Case, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text(CSV)
    case.ingest([data])
    assert case.export("posts", tmp_path / "posts.parquet", "parquet") == 2
    assert case.export("posts", tmp_path / "posts.csv", "csv") == 2
    back = duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'posts.parquet'}'").fetchone()
    assert back == (2,)
    with pytest.raises(ConfigError, match="unknown table"):
        case.export("nope", tmp_path / "x.csv", "csv")


def test_every_table_is_exportable_analysis_results_included(case: Case, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text(CSV)
    case.ingest([data])
    case.network()
    tables = case.tables()
    assert tables[:5] == ["sources", "actors", "actor_names", "actor_sightings", "posts"]
    for table in ("post_places", "actor_metrics", "communities", "blackouts", "silence_waves"):
        assert table in tables
    assert "actor_history" not in tables  # a view of actor_sightings
    assert case.export("actor_metrics", tmp_path / "m.parquet", "parquet") == 2
    ranks = duckdb.sql(f"SELECT rank FROM '{tmp_path / 'm.parquet'}'").fetchall()
    assert ranks == [(1,), (2,)]  # in the order the analysis wrote them


def test_a_row_written_twice_in_one_file_is_one_post(case: Case, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text(CSV + "abu_a,1/6/2015 21:07,hello @abu_b\n")
    (source,) = case.ingest([data]).sources
    counts = source.counts
    # The repeat is told apart from what was in the case before (store/write.py SourceCounts).
    assert (counts.read, counts.new, counts.present, counts.repeated) == (3, 2, 0, 1)
    stored = case.con.execute(
        "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM interactions)"
    ).fetchone()
    assert stored == (2, 1)


def test_a_new_case_uses_duckdb_1_5_storage(case: Case) -> None:
    tags = case.con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'case'"
    ).fetchone()
    assert tags == ("v1.5.0+",)


def test_a_case_file_in_the_older_storage_format_still_opens(tmp_path: Path) -> None:
    older = duckdb.connect(str(tmp_path / "case.duckdb"))  # DuckDB's default format
    older.close()
    (tmp_path / "case.toml").write_text('name = "older"\n')
    (tmp_path / "media").mkdir()
    with Case.open(tmp_path) as case:
        data = tmp_path / "t.csv"
        data.write_text(CSV)
        assert case.ingest([data]).totals()["new"] == 2
        tags = case.con.execute(
            "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'case'"
        ).fetchone()
        assert tags == ("v1.0.0+",)


def test_a_migration_numbered_below_the_highest_applied_still_runs(tmp_path: Path) -> None:
    # Migrations written on branches land out of order: a case may hold 0010 and not 0007.
    with Case.init(tmp_path / "case") as made:
        made.con.execute("DROP TABLE account_activity")
        made.con.execute("DELETE FROM schema_version WHERE version = 7")
    with Case.open(tmp_path / "case") as opened:
        versions = [
            v for (v,) in opened.con.execute("SELECT version FROM schema_version").fetchall()
        ]
        assert 7 in versions
        assert opened.con.execute("SELECT count(*) FROM account_activity").fetchone() == (0,)

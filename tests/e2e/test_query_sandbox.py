"""`veille query` writes nothing and reads nothing outside the case, whatever SQL it is given.

Every statement below was either seen to harm a case (EXPLAIN ANALYZE COPY ... TO the case
file), to read or list files outside it (read_csv, read_text, glob), to reach for the network
(INSTALL, read_parquet of a URL), or could change what the connection may do (SET, PRAGMA,
ATTACH, LOAD). Each must be refused with a one-line error (exit 1), and afterwards the case
file, case.toml and the rest of the folder tree must be byte for byte as before.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app

pytestmark = pytest.mark.e2e
runner = CliRunner()

# {db}, {toml}: the case's files; {secret}: a file outside the case; {out}: a folder outside it.
# No URL points anywhere real: the sandbox must refuse before any connection is tried.
HOSTILE = [
    # writes, straight or wrapped
    "COPY posts TO '{db}'",
    "COPY (SELECT * FROM posts) TO '{db}' (FORMAT csv)",
    "COPY (SELECT 1) TO '{toml}'",
    "COPY (SELECT 1) TO '{out}/x.parquet' (FORMAT parquet)",
    "COPY posts TO '/dev/stdout'",
    "COPY posts FROM '{secret}'",
    "EXPLAIN ANALYZE COPY (SELECT * FROM posts) TO '{db}'",
    "EXPLAIN ANALYZE COPY (SELECT 1) TO '{toml}'",
    "EXPLAIN COPY (SELECT 1) TO '{out}/y.csv'",
    "EXPORT DATABASE '{out}/dump'",
    "EXPLAIN ANALYZE EXPORT DATABASE '{out}/dump2'",
    # reads outside the case, local and remote
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv('{secret}')",
    "SELECT * FROM read_csv_auto('{secret}')",
    "SELECT * FROM read_csv(['{secret}', '/etc/passwd'])",
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM read_text('{toml}')",
    "SELECT * FROM read_blob('{secret}')",
    "SELECT * FROM read_json('{secret}')",
    "SELECT * FROM read_parquet('{secret}')",
    "SELECT * FROM parquet_metadata('{secret}')",
    "SELECT * FROM sniff_csv('{secret}')",
    "SELECT * FROM '{secret}'",
    "SELECT * FROM glob('/root/*')",
    "SELECT * FROM glob('{out}/*')",
    "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')",
    "SELECT * FROM read_csv('https://127.0.0.1:9/x.csv')",
    "SELECT * FROM read_text('http://127.0.0.1:9/')",
    "SELECT * FROM query('SELECT * FROM read_text(''{secret}'')')",
    "SELECT * FROM duckdb_extensions()",
    "EXPLAIN ANALYZE SELECT * FROM read_csv('{secret}')",
    "EXPLAIN SELECT 1",
    "SELECT getenv('HOME')",
    # other databases
    "ATTACH '{out}/other.duckdb' AS other",
    "ATTACH '{db}' AS again",
    "DETACH DATABASE IF EXISTS other",
    "USE memory",
    # extensions
    "INSTALL httpfs",
    "FORCE INSTALL httpfs FROM 'http://127.0.0.1:9'",
    "EXPLAIN ANALYZE INSTALL httpfs",
    "LOAD httpfs",
    "LOAD '{secret}'",
    "UPDATE EXTENSIONS",
    # settings
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "RESET lock_configuration",
    "SET threads = 1",
    "RESET threads",
    "SET profiling_output = '{out}/profile.json'",
    "SET VARIABLE x = 1",
    "PRAGMA enable_profiling",
    "PRAGMA profiling_output = '{out}/profile.json'",
    "PRAGMA memory_limit = '1GB'",
    "PRAGMA database_list",
    "PRAGMA table_info('posts')",
    "/* a comment */ PRAGMA version",
    # calls and maintenance
    "CALL pragma_version()",
    "CALL checkpoint()",
    "CHECKPOINT",
    "FORCE CHECKPOINT",
    "VACUUM",
    "ANALYZE",
    # schema and data changes
    "CREATE TABLE x AS SELECT 1",
    "CREATE TEMP TABLE x (a INTEGER)",
    "CREATE VIEW v AS SELECT 1",
    "CREATE MACRO m(a) AS a",
    "CREATE SECRET s (TYPE s3)",
    "INSERT INTO posts SELECT * FROM posts",
    "UPDATE posts SET text = ''",
    "DELETE FROM posts",
    "DROP TABLE posts",
    "ALTER TABLE posts ADD COLUMN z INTEGER",
    "TRUNCATE posts",
    "BEGIN TRANSACTION",
    "PREPARE p AS SELECT 1",
    "EXECUTE p",
    "DEALLOCATE p",
    "PIVOT posts ON platform",
    # more than one statement, or none
    "SELECT 1; SELECT 2",
    "SELECT 1; DROP TABLE posts",
    "SELECT 1 -- only a comment\n; COPY posts TO '{db}'",
    "SELECT 1 /* ; */ ; DELETE FROM posts",
    "SELECT 1 /* a comment */; COPY (SELECT 1) TO '{toml}'",
    "WITH a AS (SELECT 1) SELECT * FROM a; DROP TABLE posts",
    "",
    "  ;  ",
    "-- nothing but a comment",
    "SELEC 1",
]


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` and the sha256 of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sandbox")
    case = root / "case"
    assert runner.invoke(app, ["init", str(case)]).exit_code == 0
    data = root / "out" / "t.csv"
    data.parent.mkdir()
    data.write_text("username,time,text\nabu_a,2016-01-01,hello\nabu_b,2016-01-02,again\n")
    result = runner.invoke(app, ["ingest", str(case), str(data), "--quiet"])
    assert result.exit_code == 0, result.output
    (root / "secret.txt").write_text("name,password\nroot,hunter2\n")
    return root


def test_the_list_is_long_enough() -> None:
    assert len(set(HOSTILE)) == len(HOSTILE) >= 51


@pytest.mark.parametrize("statement", HOSTILE)
def test_hostile_sql_is_refused_and_touches_nothing(world: Path, statement: str) -> None:
    case = world / "case"
    sql = statement.format(
        db=case / "case.duckdb",
        toml=case / "case.toml",
        secret=world / "secret.txt",
        out=world / "out",
    )
    before = _tree(world)
    result = runner.invoke(app, ["query", str(case), "--", sql])  # SQL may start with "--"
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # an error message, never a traceback
    assert result.output.startswith("error: query")
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "hunter2" not in result.output
    assert _tree(world) == before


def test_the_refusal_is_json_shaped(world: Path) -> None:
    result = runner.invoke(app, ["query", str(world / "case"), "DROP TABLE posts", "--json"])
    assert result.exit_code == 1
    answer = json.loads(result.output)
    assert answer["ok"] is False
    assert "DROP" in answer["error"]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) AS n FROM posts",
        "select count(*) as n from posts;",
        "WITH p AS (SELECT * FROM posts) SELECT count(*) AS n FROM p",
        "FROM posts SELECT count(*) AS n",
        "SELECT count(*) AS n FROM (SELECT 1 FROM posts UNION ALL SELECT 1 FROM posts LIMIT 2)",
        "-- how many?\nSELECT count(*) AS n FROM posts",
    ],
)
def test_plain_selects_still_run(world: Path, sql: str) -> None:
    result = runner.invoke(app, ["query", str(world / "case"), "--json", "--", sql])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"ok": True, "columns": ["n"], "rows": [[2]]}


def test_query_formats(world: Path) -> None:
    case = str(world / "case")
    sql = "SELECT handle, text FROM posts JOIN actors ON actors.id = posts.author_id ORDER BY 1"
    csv = runner.invoke(app, ["query", case, sql, "-f", "csv"])
    assert csv.output.splitlines() == ["handle,text", "abu_a,hello", "abu_b,again"]
    rows = json.loads(runner.invoke(app, ["query", case, sql, "-f", "json"]).output)
    assert rows[0] == {"handle": "abu_a", "text": "hello"}
    wrong = runner.invoke(app, ["query", case, sql, "-f", "xml"])
    assert wrong.exit_code == 2
    assert "'xml' is not one of table, csv, json" in wrong.output

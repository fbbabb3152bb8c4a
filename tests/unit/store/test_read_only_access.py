"""The sandboxed connection of `veille query`, and the order of the quarantine listing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from veille.case import Case
from veille.store.database import open_sandboxed
from veille.store.read import quarantine_rows


@pytest.fixture
def case_root(tmp_path: Path) -> Path:
    Case.init(tmp_path / "case").close()
    return tmp_path / "case"


def test_sandbox_settings_hold(case_root: Path) -> None:
    con = open_sandboxed(case_root / "case.duckdb")
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access',"
            " 'autoinstall_known_extensions', 'autoload_known_extensions', 'lock_configuration')"
        ).fetchall()
    )
    assert settings == {
        "enable_external_access": "false",
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "lock_configuration": "true",
    }
    con.close()


@pytest.mark.parametrize(
    "sql",
    [
        "COPY (SELECT 1) TO '{root}/out.csv'",
        "SELECT * FROM read_text('{root}/case.toml')",
        "SELECT * FROM glob('{root}/*')",
        "ATTACH '{root}/other.duckdb'",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "RESET autoload_known_extensions",
        "DELETE FROM posts",
    ],
)
def test_the_connection_itself_refuses_what_the_statement_check_would(
    case_root: Path, sql: str
) -> None:
    # Below the statement check: even a statement that slipped past it can do nothing.
    con = open_sandboxed(case_root / "case.duckdb")
    with pytest.raises(duckdb.Error):
        con.execute(sql.format(root=case_root))
    con.close()
    assert sorted(p.name for p in case_root.iterdir()) == ["case.duckdb", "case.toml", "media"]


def test_quarantine_lists_by_file_then_line_number(case_root: Path) -> None:
    locators = [
        ("b.csv", "line 10002"),
        ("b.csv", "line 1001"),
        ("b.csv", "lines 43-45"),
        ("b.csv", "line 9"),
        ("b.csv", "whole file"),
        ("a.json", "messages[41]"),
        ("a.json", "messages[5]"),
        ("a.json", "[17]"),
        ("b.csv", "line 99999999999999999999999"),
    ]
    with Case.open(case_root) as case:
        case.con.executemany(
            "INSERT INTO quarantine VALUES (?, 's', ?, NULL, ?, 'bad', NULL, 'r')",
            [(f"q{i}", path, locator) for i, (path, locator) in enumerate(locators)],
        )
        rows = quarantine_rows(case.con)
        assert [(r["path"], r["locator"]) for r in rows] == [
            ("a.json", "messages[5]"),
            ("a.json", "[17]"),
            ("a.json", "messages[41]"),
            ("b.csv", "whole file"),
            ("b.csv", "line 9"),
            ("b.csv", "lines 43-45"),
            ("b.csv", "line 1001"),
            ("b.csv", "line 10002"),
            ("b.csv", "line 99999999999999999999999"),
        ]
        assert len(quarantine_rows(case.con, 2)) == 2

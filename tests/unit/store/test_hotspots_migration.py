"""Migration 0011: hotspots counted in people; rows of runs before it are kept, marked."""

from __future__ import annotations

import duckdb

from veille.store.database import migrations


def test_hotspots_of_runs_before_0011_are_kept_as_mixed_with_no_account_figures() -> None:
    con = duckdb.connect()
    for number, _, sql in migrations():
        if number == 11:
            con.execute(
                "INSERT INTO hotspots VALUES ('r1', 'geonames:1', 'Brunei', DATE '2016-03-01', "
                "DATE '2016-03-07', 49, 3.5, 14.0, '[\"p1\"]')"
            )
        con.execute(sql)
    row = con.execute(
        "SELECT run_id, place_id, label, kind, start_day, accounts, peak_accounts, "
        "expected_accounts, ratio, posts, expected_posts, communities, evidence FROM hotspots"
    ).fetchone()
    assert row is not None
    assert row[:4] == ("r1", "geonames:1", "Brunei", "mixed")
    assert row[5:8] == (None, None, None)
    assert row[8:10] == (14.0, 49)
    assert row[10:] == (None, None, '["p1"]')

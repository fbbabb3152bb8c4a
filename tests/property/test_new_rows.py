"""``NewRows`` inserts each id once, whatever came before, in whichever batch, deleted or not."""

from __future__ import annotations

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.store.new_rows import NewRows

ids = st.sampled_from([f"id{number}" for number in range(12)])  # few: repeats are the point
batches = st.lists(st.lists(ids, max_size=8), max_size=6)


def _table(con: duckdb.DuckDBPyConnection, present: list[str], deleted: list[str]) -> None:
    con.execute("CREATE TABLE posts (id VARCHAR, n INTEGER)")
    for number, identifier in enumerate(present + deleted):
        con.execute("INSERT INTO posts VALUES (?, ?)", [identifier, -1 - number])
    if deleted:  # leaves gaps in the rowids below the extent
        con.execute("DELETE FROM posts WHERE n < ?", [-len(present)])


def _batch(values: list[str], first: int) -> pa.Table:
    numbers = list(range(first, first + len(values)))
    return pa.table({"id": pa.array(values, pa.string()), "n": pa.array(numbers, pa.int32())})


@settings(max_examples=150, deadline=None)
@given(
    present=st.lists(ids, unique=True, max_size=5),
    deleted=st.lists(ids, unique=True, max_size=3),
    batches=batches,
)
def test_each_id_goes_in_once(
    present: list[str], deleted: list[str], batches: list[list[str]]
) -> None:
    deleted = [identifier for identifier in deleted if identifier not in present]
    con = duckdb.connect()
    _table(con, present, deleted)
    new_rows = NewRows(con, "posts", count_repeats=True)
    inserted = 0
    first = 0
    for values in batches:
        inserted += new_rows.insert(_batch(values, first))
        first += len(values)
    stored = [row[0] for row in con.execute("SELECT id FROM posts").fetchall()]
    expected = set(present) | {value for values in batches for value in values}
    assert sorted(stored) == sorted(expected)  # each id once
    assert inserted == len(expected - set(present))
    # Each new id went in as the first row that carried it, whole.
    kept = dict(con.execute("SELECT id, n FROM posts WHERE n >= 0").fetchall())
    numbered = [value for values in batches for value in values]
    assert kept == {identifier: numbered.index(identifier) for identifier in kept}
    # A row left out is present (its id was in the table before) or repeated (met before).
    repeats = len(numbered) - len(set(numbered) - set(present))
    assert new_rows.repeated == repeats - sum(value in present for value in numbered)
    new_rows.close()


def test_a_hash_seen_before_does_not_drop_a_new_id() -> None:
    # As if "fresh" collided with an id written earlier: it is looked up, not assumed present.
    con = duckdb.connect()
    _table(con, ["old"], [])
    new_rows = NewRows(con, "posts")
    con.execute(f"INSERT INTO {new_rows.hashes} SELECT hash('fresh')")
    assert new_rows.insert(_batch(["fresh", "old"], 0)) == 1
    assert sorted(row[0] for row in con.execute("SELECT id FROM posts").fetchall()) == [
        "fresh",
        "old",
    ]


def test_close_drops_the_hashes() -> None:
    con = duckdb.connect()
    _table(con, [], [])
    new_rows = NewRows(con, "posts")
    new_rows.insert(_batch(["a"], 0))
    new_rows.close()
    left = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [new_rows.hashes]
    ).fetchone()
    assert left == (0,)

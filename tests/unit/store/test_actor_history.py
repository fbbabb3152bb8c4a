"""Accounts as they were: every state kept with when and where, and labels never blank."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.case import Case
from veille.ids import record_id
from veille.model import Actor, Columns, Provenance
from veille.store.actor_history import actor_label, actor_labels, sighting_columns, sighting_row
from veille.store.database import migrations

texts = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["", " ", "@", "\n\t", "@ "]))


@given(handle=texts, name=texts, native=texts, actor=texts)
def test_a_label_is_never_blank(
    handle: str | None, name: str | None, native: str | None, actor: str | None
) -> None:
    label = actor_label(handle, name, native, actor)
    assert label.strip()
    assert "\n" not in label


@given(handle=st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True), name=texts)
def test_a_handle_is_always_shown(handle: str, name: str | None) -> None:
    assert actor_label(handle, name).startswith(f"@{handle}")


@pytest.mark.parametrize(
    ("handle", "name", "native", "expected"),
    [
        ("sada_relay", "Sada Relay", None, "@sada_relay (Sada Relay)"),
        ("@sada_relay", None, "42", "@sada_relay"),
        (None, "Abu Karim", "42", "Abu Karim"),
        (None, " ", "42", "42"),
        ("", None, None, "actor-id"),
        ("abu", "ABU", None, "@abu"),  # the name only repeats the handle
        ("abu", "Abu\nKarim  ", None, "@abu (Abu Karim)"),
    ],
)
def test_label_forms(
    handle: str | None, name: str | None, native: str | None, expected: str
) -> None:
    assert actor_label(handle, name, native, "actor-id") == expected


def test_nothing_at_all_still_names_something() -> None:
    assert actor_label(None, None, None, None) == "(unnamed account)"


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["username", "name", "description", "followers", "time", "tweets"])
        writer.writerows(rows)
    return path


# @central is mentioned first (a handle only), then posts under three names over time; two
# other accounts share one display name.
ROWS = [
    ["abu_1", "Abu", "", "10", "2016-01-01 10:00", "hello @central"],
    ["central", "Central One", "bio 1", "1200,0", "2016-01-02 10:00", "first"],
    ["central", "Central One", "bio 1", "1200,0", "2016-01-03 10:00", "again"],
    ["central", "Central Two", "bio 2", "1,500", "2016-02-01 10:00", "renamed"],
    ["central", "Central Three", "bio 2", "2.1K", "2016-03-01 10:00", "renamed again"],
    ["abu_2", "Abu", "", "", "2016-03-02 10:00", "@central @abu_1"],
]


@pytest.fixture
def case(tmp_path: Path) -> Case:
    opened = Case.init(tmp_path / "case")
    opened.ingest([_csv(tmp_path / "t.csv", ROWS)])
    return opened


def _history(con: duckdb.DuckDBPyConnection, handle: str) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT name, description, followers, first_seen, first_locator FROM actor_history "
        "WHERE handle = ? ORDER BY first_seen",
        [handle],
    ).fetchall()


def test_every_name_of_an_account_is_kept_with_when_and_where(case: Case) -> None:
    with case:
        rows = _history(case.con, "central")
    day = lambda month, number: datetime(2016, month, number, 10, tzinfo=UTC)  # noqa: E731
    assert [row[:3] for row in rows] == [
        (None, None, None),  # the mention
        ("Central One", "bio 1", 1200),
        ("Central Two", "bio 2", 1500),
        ("Central Three", "bio 2", 2100),
    ]
    assert [row[3] for row in rows] == [day(1, 1), day(1, 2), day(2, 1), day(3, 1)]
    assert [row[4] for row in rows] == ["line 2", "line 3", "line 5", "line 6"]


def test_reingest_adds_nothing(case: Case, tmp_path: Path) -> None:
    with case:
        before = case.con.execute("SELECT count(*) FROM actor_sightings").fetchone()
        case.ingest([tmp_path / "t.csv"])
        after = case.con.execute("SELECT count(*) FROM actor_sightings").fetchone()
    assert before == after
    assert before is not None
    assert before[0] == 7


def test_labels_show_the_latest_name_and_tell_namesakes_apart(case: Case) -> None:
    with case:
        ids = [row[0] for row in case.con.execute("SELECT id FROM actors").fetchall()]
        labels = actor_labels(case.con, ids)
    shown = sorted(label for label, _ in labels.values())
    assert shown == ["@abu_1 (Abu)", "@abu_2 (Abu)", "@central (Central Three)"]
    assert {platform for _, platform in labels.values()} == {"twitter"}


def test_a_second_source_adds_its_own_sightings_not_new_states(case: Case, tmp_path: Path) -> None:
    again = _csv(tmp_path / "later.csv", ROWS[1:2])
    with case:
        case.ingest([again])
        states = case.con.execute(
            "SELECT sources, first_locator FROM actor_history WHERE name = 'Central One'"
        ).fetchall()
    assert states == [(2, "line 2")]


def _actor(name: object, followers: object = None) -> Actor:
    return Actor(
        "a1", "twitter", "account", Provenance("line 9"), handle="a", name=name,  # type: ignore[arg-type]
        followers=followers,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_wrong_typed_state_value_is_left_out_of_the_sighting() -> None:
    row = sighting_row(_actor(7, followers=-3), "s1")
    assert row[5] is None
    assert row[8] is None


def test_rows_and_columns_give_the_same_sightings() -> None:
    actors = [_actor("A", 5), _actor("B"), _actor(None, 2**70)]
    rows = [sighting_row(actor, "s1") for actor in actors]
    values: dict[str, list[object]] = {
        "id": [a.id for a in actors],
        "platform": [a.platform for a in actors],
        "native_id": [None] * 3,
        "handle": [a.handle for a in actors],
        "name": [a.name for a in actors],
        "followers": [a.followers for a in actors],
        "locator": ["line 9"] * 3,
    }
    columns, count = sighting_columns(Columns("actor", values).values, 3, "s1")
    assert count == 3
    assert [tuple(column[i] for column in columns) for i in range(3)] == rows


def test_the_migration_keeps_the_names_of_cases_made_before_it() -> None:
    con = duckdb.connect()
    for number, _, sql in migrations():
        if number == 5:
            con.execute(
                "INSERT INTO actors VALUES ('a1', 'twitter', 'account', '9', 'abu', 'Abu', "
                "'s1', 'line 2'), ('a2', 'twitter', 'account', NULL, 'x', NULL, 's1', 'line 3')"
            )
            con.execute(
                "INSERT INTO actor_names VALUES ('n1', 'a1', 'Abu', 's1', 'line 2'), "
                "('n2', 'a1', 'Abu Karim', 's2', 'line 7')"
            )
        con.execute(sql)
    rows = con.execute(
        "SELECT id, actor_id, handle, name, source_id, locator FROM actor_sightings ORDER BY name"
    ).fetchall()
    expected = [
        ("a1", "abu", "Abu", "s1", "line 2", "9"),
        ("a1", "abu", "Abu Karim", "s2", "line 7", "9"),
        ("a2", "x", None, "s1", "line 3", None),
    ]
    assert rows == [
        (record_id("actor_sighting", s, a, n, h, m, None, None, None), a, h, m, s, loc)
        for a, h, m, s, loc, n in expected
    ]


@settings(max_examples=40)  # each example opens an in-memory DuckDB
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=5),
            st.one_of(st.none(), st.text(max_size=5)),
            st.one_of(st.none(), st.integers(0, 2**63 - 1)),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_arrow_columns_get_the_ids_python_gives(
    rows: list[tuple[str, str | None, int | None]],
) -> None:
    """The bulk path's ids are hashed by DuckDB: the same as ``sighting_row`` gives."""
    values = {
        "id": pa.array([a for a, _, _ in rows], pa.string()),
        "platform": pa.array(["twitter"] * len(rows), pa.string()),
        "native_id": pa.nulls(len(rows), pa.string()),
        "handle": pa.array([a for a, _, _ in rows], pa.string()),
        "name": pa.array([n for _, n, _ in rows], pa.string()),
        "description": pa.array(["é\x1f"] * len(rows), pa.string()),
        "location": pa.nulls(len(rows), pa.string()),
        "followers": pa.array([f for _, _, f in rows], pa.int64()),
        "locator": pa.array(["line 2"] * len(rows), pa.string()),
    }
    columns, count = sighting_columns(values, len(rows), "s1")
    expected = [
        sighting_row(
            Actor(a, "twitter", "account", Provenance("line 2"), None, a, n, "é\x1f", None, f),
            "s1",
        )[0]
        for a, n, f in rows
    ]
    assert count == len(rows)
    assert columns[0].to_pylist() == expected

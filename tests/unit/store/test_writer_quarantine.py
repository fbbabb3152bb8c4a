"""A value the writer cannot store costs its record, never the batch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from veille.case import Case
from veille.model import Actor, Columns, Post, Provenance
from veille.store.write import SourceWriter


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case.init(tmp_path / "case")


def _writer(case: Case) -> SourceWriter:
    return SourceWriter(case.con, source_id="s", source_path="t", run_id="r", media=case.media)


def _post(number: int, **fields: Any) -> Post:
    values: dict[str, Any] = {
        "id": f"p{number}",
        "platform": "twitter",
        "kind": "post",
        "provenance": Provenance(f"line {number}", f"raw {number}"),
        "text": f"post {number}",
        "posted_at": datetime(2020, 1, 1, tzinfo=UTC),
    }
    values.update(fields)
    return Post(**values)


def _count(case: Case, table: str) -> int:
    row = case.con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(
    "bad",
    [
        {"text": 5},
        {"text": {"a": 1}},
        {"posted_at": "yesterday"},
        {"utc_offset_min": 10**30},
        {"author_id": ["x"]},
        {"native_id": 3.5},
    ],
    ids=lambda bad: next(iter(bad)),
)
def test_one_post_of_the_wrong_type_is_quarantined(case: Case, bad: dict[str, Any]) -> None:
    writer = _writer(case)
    for number in range(200):
        writer.add(_post(number))
    writer.add(_post(200, **bad))
    writer.close()
    assert _count(case, "posts") == 200
    assert writer.counts.read == 200
    assert writer.counts.quarantined == 1
    locator, reason, raw = case.con.execute(
        "SELECT locator, reason, raw FROM quarantine"
    ).fetchall()[0]
    assert (locator, raw) == ("line 200", "raw 200")
    assert repr(next(iter(bad))) in reason


def test_a_bad_value_in_column_batches_costs_one_row(case: Case) -> None:
    writer = _writer(case)
    values: dict[str, Any] = {
        "id": [f"p{n}" for n in range(50)],
        "platform": ["telegram"] * 50,
        "kind": ["message"] * 50,
        "text": [f"t{n}" for n in range(50)],
        "posted_at": [datetime(2020, 1, 1, tzinfo=UTC)] * 50,
        "locator": [f"messages[{n}]" for n in range(50)],
    }
    values["text"][17] = 17
    writer.add(Columns("post", values))
    writer.close()
    assert _count(case, "posts") == 49
    assert writer.counts.read == 49
    assert writer.counts.quarantined == 1
    row = case.con.execute("SELECT locator FROM quarantine").fetchone()
    assert row == ("messages[17]",)


def test_an_actor_with_a_name_of_the_wrong_type(case: Case) -> None:
    writer = _writer(case)
    writer.add(Actor("a1", "twitter", "account", Provenance("line 1"), handle="a", name=7))  # type: ignore[arg-type]
    writer.add(Actor("a2", "twitter", "account", Provenance("line 2"), handle="b", name="B"))
    writer.add(_post(1))
    writer.close()
    assert _count(case, "actors") == 1
    assert writer.counts.quarantined == 1

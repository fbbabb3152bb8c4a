"""The writer's batches: when a batch is written, and that it is written once."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.case import Case
from veille.model import Columns
from veille.store.write import SourceWriter


@pytest.fixture
def writer(tmp_path: Path) -> SourceWriter:
    case = Case.init(tmp_path / "case")
    return SourceWriter(case.con, source_id="s", source_path="t.csv", run_id="r", media=case.media)


def _posts(first: int, count: int, *, ends_batch: bool = False) -> Columns:
    numbers = range(first, first + count)
    values = {
        "id": [f"p{number}" for number in numbers],
        "platform": ["twitter"] * count,
        "kind": ["post"] * count,
        "text": [f"post {number}" for number in numbers],
        "locator": [f"line {number}" for number in numbers],
    }
    return Columns("post", values, ends_batch=ends_batch)


def _stored(writer: SourceWriter) -> int:
    writer.wait()
    row = writer.con.execute("SELECT count(*) FROM posts").fetchone()
    assert row is not None
    return int(row[0])


def test_a_full_batch_waits_for_the_next_posts(writer: SourceWriter) -> None:
    writer.batch_size = 3
    writer.add(_posts(0, 3))
    assert _stored(writer) == 0  # its interactions may still come
    writer.add(_posts(3, 1))
    assert _stored(writer) == 3
    writer.close()
    assert _stored(writer) == 4


def test_a_batch_marked_as_ended_is_written_at_once(writer: SourceWriter) -> None:
    writer.add(_posts(0, 2, ends_batch=True))
    assert _stored(writer) == 2
    writer.add(_posts(2, 2))
    assert _stored(writer) == 2
    writer.close()
    assert _stored(writer) == 4
    assert writer.counts.as_dict()["new"] == 4

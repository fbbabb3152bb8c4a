"""Posts of one source that repeat an earlier post's id: kept once, the first, and counted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from veille.case import Case
from veille.model import Columns, Post, Provenance
from veille.store.write import SourceCounts, SourceWriter, repeated_note


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.init(tmp_path / "case") as opened:
        yield opened


def _writer(case: Case, source_id: str = "s") -> SourceWriter:
    writer = SourceWriter(
        case.con, source_id=source_id, source_path="t", run_id="r", media=case.media
    )
    writer.batch_size = 3
    return writer


def _post(identifier: str, line: int) -> Post:
    return Post(identifier, "whatsapp", "message", Provenance(f"line {line}"), f"text {line}")


def _columns(ids: list[str], first_line: int) -> Columns:
    lines = range(first_line, first_line + len(ids))
    values = {
        "id": ids,
        "platform": ["twitter"] * len(ids),
        "kind": ["post"] * len(ids),
        "text": [f"text {line}" for line in lines],
        "locator": [f"line {line}" for line in lines],
    }
    return Columns("post", values)


def _kept(case: Case) -> dict[str, str]:
    return dict(case.con.execute("SELECT id, locator FROM posts").fetchall())


# a, b, a | c, b, d | a: a repeat in a batch, two of ids written in an earlier batch.
IDS = ["a", "b", "a", "c", "b", "d", "a"]


def test_posts_one_at_a_time(case: Case) -> None:
    writer = _writer(case)
    for line, identifier in enumerate(IDS):
        writer.add(_post(identifier, line))
    writer.close()
    counts = writer.counts
    assert (counts.read, counts.new, counts.repeated, counts.present) == (7, 4, 3, 0)
    assert _kept(case) == {"a": "line 0", "b": "line 1", "c": "line 3", "d": "line 5"}
    assert counts.notes == [repeated_note(3)]


def test_column_batches(case: Case) -> None:
    writer = _writer(case)
    for start in range(0, len(IDS), 3):
        writer.add(_columns(IDS[start : start + 3], start))
    writer.close()
    counts = writer.counts
    assert (counts.read, counts.new, counts.repeated, counts.present) == (7, 4, 3, 0)
    assert _kept(case) == {"a": "line 0", "b": "line 1", "c": "line 3", "d": "line 5"}


def test_what_was_in_the_case_before_is_present_not_repeated(case: Case) -> None:
    first = _writer(case, "first")
    first.add(_columns(["a", "b"], 100))
    first.close()
    writer = _writer(case)
    for start in range(0, len(IDS), 3):
        writer.add(_columns(IDS[start : start + 3], start))
    writer.close()
    counts = writer.counts
    # a (3 times) and b (twice) were in the case: present; c and d are new; nothing repeated.
    assert (counts.read, counts.new, counts.present, counts.repeated) == (7, 2, 5, 0)
    assert counts.notes == []
    assert _kept(case)["a"] == "line 100"


def test_the_source_row_counts_present_without_the_repeats(case: Case) -> None:
    case.con.execute(
        "INSERT INTO sources (id, path, sha256, size, reader, reader_version, run_id, "
        "started_at, status) VALUES ('s', 't', 'x', 1, 'tabular', 1, 'r', now(), 'started')"
    )
    writer = _writer(case)
    writer.add(_columns(["a", "a", "b"], 0))
    writer.close()
    row = case.con.execute("SELECT n_read, n_new, n_present FROM sources WHERE id = 's'")
    assert row.fetchone() == (3, 2, 0)


def test_counts_as_a_dict_carry_repeated() -> None:
    counts = SourceCounts(read=10, new=6, repeated=3)
    assert counts.present == 1
    assert counts.as_dict()["repeated"] == 3
    assert repeated_note(1).startswith("1 record repeats the id of an earlier record")

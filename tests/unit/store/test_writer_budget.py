"""The writer's memory bound: a batch ends at BATCH_BYTES of text as well as at BATCH_ROWS posts.

122,880 posts of 65,000 characters are 8 GB in one batch; DuckDB then fails ("failed to pin
block"). Each test counts the batches written and their sizes, and checks every record went in
once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from veille.case import Case
from veille.ingest.tabular import csv_bulk
from veille.model import Columns, Post, Provenance, Reject
from veille.store import write
from veille.store.write import SourceWriter

BUDGET = 200_000  # bytes of text a batch holds, for these tests
TEXT = 5_000  # characters of each post's text (its raw is as long again)
POSTS = 400  # 4 MB of text and raw: about 20 batches


class RecordingWriter(SourceWriter):
    """A writer that remembers the rows and bytes of the posts of each batch it writes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[tuple[int, int]] = []

    def _write(self, tables: dict[str, pa.Table], read: int, quarantined: int) -> None:
        posts = tables.get("posts")
        if posts is not None:
            self.batches.append((posts.num_rows, posts.nbytes))
        super()._write(tables, read, quarantined)


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.init(tmp_path / "case") as opened:
        yield opened


def _writer(case: Case) -> RecordingWriter:
    return RecordingWriter(
        case.con,
        source_id="s",
        source_path="t",
        run_id="r",
        media=case.media,
        batch_bytes=BUDGET,
    )


def _text(number: int, letter: str = "x") -> str:
    return f"{number:06d} " + letter * (TEXT - 7)


def _post(number: int, letter: str = "x") -> Post:
    text = _text(number, letter)
    return Post(f"p{number}", "whatsapp", "message", Provenance(f"line {number}", text), text)


def _stored(case: Case) -> tuple[int, int]:
    row = case.con.execute("SELECT count(*), count(DISTINCT id) FROM posts").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _check_bounded(writer: RecordingWriter, slack: int) -> None:
    """All posts written, in batches cut by bytes (not rows) of at most BUDGET + ``slack``."""
    rows = [posts for posts, _ in writer.batches]
    assert sum(rows) == POSTS
    assert len(writer.batches) >= POSTS * 2 * TEXT // (2 * BUDGET)
    assert max(size for _, size in writer.batches) <= BUDGET + slack


@pytest.mark.parametrize("letter", ["x", "é", "\U0001f600"])
def test_posts_one_at_a_time_are_written_in_batches_of_bounded_text(
    case: Case, letter: str
) -> None:
    # Counted in UTF-8 bytes, as Arrow holds them: 1, 2 and 4 bytes a character.
    writer = _writer(case)
    for number in range(POSTS):
        writer.add(_post(number, letter))
    writer.close()
    assert writer.counts.new == POSTS
    assert _stored(case) == (POSTS, POSTS)
    _check_bounded(writer, 2 * len(_text(0, letter).encode()) + 2_000)  # + ids, offsets
    assert writer.flushes == len(writer.batches)


def _columns(numbers: range, arrow: bool) -> Columns:
    texts = [_text(number) for number in numbers]
    values: dict[str, Any] = {
        "id": [f"p{number}" for number in numbers],
        "platform": ["twitter"] * len(texts),
        "kind": ["post"] * len(texts),
        "text": texts,
        "raw": texts,
        "locator": [f"line {number}" for number in numbers],
    }
    if arrow:
        values = {name: pa.array(column, pa.string()) for name, column in values.items()}
    return Columns("post", values, ends_batch=True)


@pytest.mark.parametrize("arrow", [False, True], ids=["lists", "arrow"])
def test_a_column_batch_over_the_budget_is_written_in_parts(case: Case, arrow: bool) -> None:
    writer = _writer(case)
    writer.add(_columns(range(POSTS), arrow))
    writer.close()
    assert (writer.counts.read, writer.counts.new) == (POSTS, POSTS)
    assert _stored(case) == (POSTS, POSTS)
    _check_bounded(writer, 2 * TEXT + 100)
    # In order: each part is the rows after the one before.
    first = case.con.execute("SELECT min(locator) FROM posts").fetchone()
    assert first == ("line 0",)


def test_column_batches_under_the_budget_are_gathered_up_to_it(case: Case) -> None:
    writer = _writer(case)
    for start in range(0, POSTS, 4):  # 40 KB each, not marked as ending a batch
        writer.add(
            Columns("post", _columns(range(start, start + 4), arrow=True).values, ends_batch=False)
        )
    writer.close()
    assert _stored(case) == (POSTS, POSTS)
    _check_bounded(writer, 4 * (2 * TEXT + 100))  # the 4 posts added past the budget


def test_a_row_over_the_budget_alone_is_a_batch_of_its_own(case: Case) -> None:
    writer = _writer(case)
    huge = "y" * (3 * BUDGET)
    values = _columns(range(3), arrow=False).values
    values["text"][1] = huge
    writer.add(Columns("post", values, ends_batch=True))
    writer.close()
    assert _stored(case) == (3, 3)
    assert [rows for rows, _ in writer.batches] == [1, 1, 1]


def test_quarantined_fragments_count_toward_the_budget(case: Case) -> None:
    writer = _writer(case)
    for number in range(100):
        writer.add(Reject(f"line {number}", "unreadable", "z" * TEXT))
    writer.add(_post(0))
    writer.close()
    assert writer.flushes >= 2
    row = case.con.execute("SELECT count(*) FROM quarantine").fetchone()
    assert row == (100,)


def _long_csv(path: Path) -> Path:
    start = datetime(2016, 9, 1, tzinfo=UTC)
    lines = ["username,time,tweets"]
    for number in range(POSTS):
        moment = start + timedelta(minutes=number)
        lines.append(f"abu_{number % 7},{moment:%m/%d/%Y %H:%M},{_text(number)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _whatsapp(path: Path) -> Path:
    start = datetime(2016, 9, 1, 8, 0)
    lines = [
        f"{start + timedelta(minutes=number):%d/%m/%Y, %H:%M} - Abu {number % 7}: {_text(number)}"
        for number in range(POSTS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The (rows, bytes) of the posts of every batch the ingests below write."""
    batches: list[tuple[int, int]] = []
    writing = SourceWriter._write

    def recording(
        self: SourceWriter, tables: dict[str, pa.Table], read: int, quarantined: int
    ) -> None:
        if "posts" in tables:
            batches.append((tables["posts"].num_rows, tables["posts"].nbytes))
        writing(self, tables, read, quarantined)

    monkeypatch.setattr(SourceWriter, "_write", recording)
    monkeypatch.setattr(write, "BATCH_BYTES", BUDGET)
    return batches


@pytest.mark.parametrize("path", ["bulk", "rows", "whatsapp"])
def test_an_ingest_of_long_posts_is_bounded_and_adds_nothing_again(
    case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorded: list[tuple[int, int]],
    path: str,
) -> None:
    if path == "whatsapp":
        data = _whatsapp(tmp_path / "WhatsApp Chat with Abu.txt")
    else:
        data = _long_csv(tmp_path / "t.csv")  # 2 MB: the bulk path unless told otherwise
        if path == "rows":
            monkeypatch.setattr(csv_bulk, "BULK_MIN_BYTES", 1 << 40)
    (source,) = case.ingest([data]).sources
    assert source.status == "ok", source.as_dict()
    assert (source.counts.read, source.counts.new, source.counts.repeated) == (POSTS, POSTS, 0)
    assert _stored(case) == (POSTS, POSTS)
    assert sum(rows for rows, _ in recorded) == POSTS
    assert len(recorded) >= 10
    assert max(size for _, size in recorded) <= BUDGET + 4 * TEXT
    (again,) = case.ingest([data]).sources
    assert (again.counts.read, again.counts.new, again.counts.present) == (POSTS, 0, POSTS)
    assert _stored(case) == (POSTS, POSTS)

"""A batch DuckDB cannot hold at the ingest's memory limit is written again one step up.

Long texts fail at the 128 MB limit that keeps ordinary ingests small ("failed to pin block"):
the batch is rolled back, the limit raised, the batch written again, and the source's notes say
so. The retry must count nothing twice.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from veille.case import Case
from veille.store.database import INGEST_MEMORY_LIMITS, ingest_settings, raise_memory_limit
from veille.store.new_rows import NewRows

CSV = "id,username,time,text\n" + "".join(
    f"{i % 3},user{i},2016-10-0{1 + i % 9}T10:00:00Z,text {i} @user{i + 1}\n" for i in range(9)
)  # ids 0, 1, 2 three times each: 6 repeats


def test_the_limit_goes_up_one_step_at_a_time_and_stops_at_the_top() -> None:
    con = duckdb.connect()
    with ingest_settings(con):
        assert [raise_memory_limit(con) for _ in INGEST_MEMORY_LIMITS] == [
            *INGEST_MEMORY_LIMITS[1:],
            None,
        ]
    con.execute("SET memory_limit = '8GB'")  # a limit the user set above the steps: kept
    assert raise_memory_limit(con) is None


def test_a_batch_out_of_memory_is_written_again_and_counted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "posts.csv"
    data.write_text(CSV, encoding="utf-8")
    # The first two tries fail, as at 128 MB and 512 MB: DuckDB says so either way.
    failures = iter(
        [
            duckdb.OutOfMemoryException("failed to pin block of size 256.0 KiB"),
            duckdb.TransactionException("Failed to commit: failed to pin block of size 256.0 KiB"),
        ]
    )
    real = NewRows.insert
    limits: list[str] = []

    def insert(self: NewRows, batch: pa.Table) -> int:
        if self.table != "posts":
            return real(self, batch)
        limits.append(str(self.con.execute("SELECT current_setting('memory_limit')").fetchone()))
        inserted = real(self, batch)  # counts its repeats, then fails as DuckDB would
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return inserted

    monkeypatch.setattr(NewRows, "insert", insert)
    with Case.init(tmp_path / "case") as case:
        report = case.ingest([data])
        [source] = report.sources
        counts = source.counts
        assert (counts.read, counts.new, counts.repeated, counts.present) == (9, 3, 6, 0)
        assert case.status()["totals"]["posts"] == 3
        notes = [n for n in counts.notes if "out of memory" in n]
        assert [n.rsplit("raised to ", 1)[1][:5] for n in notes] == ["512MB", "2GB a"]
    assert len(set(limits)) == 3  # 128 MB, then 512 MB, then 2 GB

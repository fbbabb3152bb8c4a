"""Runs and sources: every run is logged ``started`` before it writes and ``done`` after.

``recorded_run`` is the one way to run: it logs the run, marks it ``failed`` with the error on
any exception (the error goes on), and ``done`` with its counts otherwise. A killed run keeps
no ``finished_at`` and shows as unfinished in ``veille status``; for an ingest its source stays
``started``, and reading the same file again completes it (ids make the re-read add only what
is missing).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from veille.store.results import replace_results
from veille.store.write import SourceCounts, now_utc

__all__ = [
    "Run",
    "begin_source",
    "finish_run",
    "finish_source",
    "quarantine_reasons",
    "recorded_run",
    "start_run",
]


@dataclass
class Run:
    """A run in progress: its id, and the counts it will be logged with."""

    id: str
    con: duckdb.DuckDBPyConnection
    counts: dict[str, Any] = field(default_factory=dict)

    def replace(self, tables: Mapping[str, pa.Table]) -> None:
        """Put ``tables`` (result table -> rows carrying this run's id) in place of its rows."""
        replace_results(self.con, self.id, tables)


@contextlib.contextmanager
def recorded_run(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    name: str,
    version: str,
    parameters: dict[str, Any],
    code_version: str,
    run_id: str | None = None,
) -> Iterator[Run]:
    """Log a run as started; as ``failed`` with the error if the block raises, else ``done``."""
    run = Run(
        start_run(
            con,
            kind=kind,
            name=name,
            version=version,
            parameters=parameters,
            code_version=code_version,
            run_id=run_id,
        ),
        con,
    )
    try:
        yield run
    except BaseException as error:  # Ctrl-C too: the run did not finish
        failure = {**run.counts, "error": f"{type(error).__name__}: {error}".strip(": ")}
        # A connection the error broke cannot log it: the run then shows as unfinished.
        with contextlib.suppress(duckdb.Error):
            finish_run(con, run.id, failure, "failed")
        raise
    finish_run(con, run.id, run.counts)


def start_run(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    name: str,
    version: str,
    parameters: dict[str, Any],
    code_version: str,
    run_id: str | None = None,
) -> str:
    """Log a run as started and return its id (a new one unless ``run_id`` is given)."""
    run_id = run_id or uuid.uuid4().hex[:20]
    con.execute(
        "INSERT OR REPLACE INTO runs (id, kind, name, version, parameters, code_version, "
        "started_at, finished_at, status, counts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'started', NULL)",
        [run_id, kind, name, version, json.dumps(parameters, default=str), code_version, now_utc()],
    )
    return run_id


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, counts: dict[str, Any], status: str = "done"
) -> None:
    con.execute(
        "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
        [now_utc(), status, json.dumps(counts), run_id],
    )


def begin_source(
    con: duckdb.DuckDBPyConnection,
    *,
    source_id: str,
    path: str,
    sha256: str,
    size: int,
    reader: str,
    reader_version: int,
    run_id: str,
) -> None:
    """Mark a source as being read now (a re-read resets its counts)."""
    con.execute(
        """
        INSERT INTO sources (id, path, sha256, size, reader, reader_version, run_id,
                             started_at, finished_at, status)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'started')
        ON CONFLICT (id) DO UPDATE SET
            path = excluded.path, reader = excluded.reader,
            reader_version = excluded.reader_version, run_id = excluded.run_id,
            started_at = excluded.started_at, finished_at = NULL, status = 'started',
            n_read = 0, n_new = 0, n_present = 0, n_quarantined = 0
        """,
        [source_id, path, sha256, size, reader, reader_version, run_id, now_utc()],
    )


def finish_source(
    con: duckdb.DuckDBPyConnection, source_id: str, counts: SourceCounts, status: str = "done"
) -> None:
    """Mark a source ``done`` (read, perhaps partly) or ``failed`` (unreadable, or changed)."""
    con.execute(
        "UPDATE sources SET finished_at = ?, status = ?, n_read = ?, n_new = ?, "
        "n_present = ?, n_quarantined = ?, notes = ? WHERE id = ?",
        [
            now_utc(),
            status,
            counts.read,
            counts.new,
            counts.present,
            counts.quarantined,
            json.dumps(counts.notes, ensure_ascii=False),
            source_id,
        ],
    )


def quarantine_reasons(
    con: duckdb.DuckDBPyConnection, source_id: str, run_id: str
) -> list[tuple[str, int]]:
    """(reason, count) of what one run quarantined from one source, commonest first."""
    rows = con.execute(
        "SELECT reason, count(*) FROM quarantine WHERE source_id = ? AND run_id = ? "
        "GROUP BY reason ORDER BY 2 DESC LIMIT 50",
        [source_id, run_id],
    ).fetchall()
    return [(str(reason), int(count)) for reason, count in rows]

"""All or nothing: statements inside ``transaction(con)`` commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

__all__ = ["transaction"]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")

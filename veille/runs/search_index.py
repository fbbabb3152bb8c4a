"""``veille index``: build the full-text index over posts, as a run."""

from __future__ import annotations

import duckdb

from veille import __version__
from veille.store.runs import recorded_run
from veille.store.search_index import build_index

__all__ = ["build_search_index"]


def build_search_index(con: duckdb.DuckDBPyConnection) -> int:
    """Build (or rebuild) the index; returns the posts it holds."""
    with recorded_run(
        con,
        kind="index",
        name="search",
        version="1",
        parameters={},
        code_version=__version__,
    ) as run:
        indexed = build_index(con)
        run.counts["posts"] = indexed
    return indexed

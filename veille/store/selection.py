"""The interactions behind a selection: what the graph view and its exports draw.

A selection is what the search filters pick (``SearchFilters``); its interactions are those
whose evidence post matches them, so the graph, the map, the timeline and the search page
of one query all show the same posts. A neighbourhood narrows it to the accounts within a
number of hops of one account, either way, and the interactions among them (an ego network:
its contacts' ties to one another included).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import duckdb

from veille.store.post_search import SearchFilters, matching_sql

__all__ = ["MAX_HOPS", "Neighbourhood", "everything", "select_interactions"]

MAX_HOPS = 3  # past three hops a neighbourhood is most of any real network
# A temporary table: each request's connection (a DuckDB cursor) has its own.
_SELECTION = "veille_selection"


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """The accounts within ``hops`` interactions of ``account``, in either direction."""

    account: str
    hops: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.hops <= MAX_HOPS:
            raise ValueError(f"hops must be 1 to {MAX_HOPS}")


def everything(filters: SearchFilters) -> bool:
    """Whether ``filters`` select every post (the order asked for changes nothing)."""
    return replace(filters, sort="relevance") == SearchFilters()


def select_interactions(
    con: duckdb.DuckDBPyConnection,
    filters: SearchFilters,
    around: Neighbourhood | None = None,
) -> str:
    """The name of a relation with the columns of ``interactions`` holding the selection's.

    With no filter and no neighbourhood that is ``interactions`` itself; otherwise a
    temporary table of ``con``'s, replaced by the next call on the same connection.
    """
    if everything(filters):
        if around is None:
            return "interactions"
        base, params = "SELECT * FROM interactions", []
    else:
        sql, matching_params = matching_sql(con, filters)
        base = f"SELECT i.* FROM interactions i WHERE i.post_id IN (SELECT id FROM ({sql}))"
        params = list(matching_params)
    if around is None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_SELECTION} AS {base}", params)
        return _SELECTION
    near: list[Any] = [around.account, around.hops]
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {_SELECTION} AS
        WITH RECURSIVE base AS ({base}),
        ties AS (
            SELECT DISTINCT source_actor_id AS a, target_actor_id AS b FROM base
            UNION SELECT DISTINCT target_actor_id, source_actor_id FROM base
        ),
        reached(actor, hop) AS (
            SELECT ?::VARCHAR, 0
            UNION SELECT t.b, r.hop + 1 FROM reached r JOIN ties t ON t.a = r.actor
            WHERE r.hop < ?
        ),
        near AS (SELECT DISTINCT actor FROM reached)
        SELECT * FROM base
        WHERE source_actor_id IN (SELECT actor FROM near)
          AND target_actor_id IN (SELECT actor FROM near)
        """,
        [*params, *near],
    )
    return _SELECTION

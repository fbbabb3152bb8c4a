"""The interaction graph's edges, aggregated in DuckDB: the SQL behind ``veille.analyze.graph``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

__all__ = ["aggregate_edges", "edge_days"]


def _where(
    kinds: Sequence[str], platforms: Sequence[str], since: datetime | None, until: datetime | None
) -> tuple[str, list[Any]]:
    clauses = ["i.source_actor_id <> i.target_actor_id"]
    params: list[Any] = []
    if kinds:
        clauses.append("list_contains(?::VARCHAR[], i.kind)")
        params.append(list(kinds))
    if platforms:
        clauses.append("list_contains(?::VARCHAR[], i.platform)")
        params.append(list(platforms))
    if since is not None:
        clauses.append("i.occurred_at >= ?")
        params.append(since)
    if until is not None:
        clauses.append("i.occurred_at < ?")
        params.append(until)
    return " AND ".join(clauses), params


def aggregate_edges(
    con: duckdb.DuckDBPyConnection,
    *,
    kinds: Sequence[str] = (),
    platforms: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    min_weight: int = 1,
    evidence: int = 3,
    same_as: Mapping[str, str] | None = None,
    table: str = "interactions",
) -> pa.Table:
    """One row per ordered pair of actors: vertex numbers, weight, counts per kind, first and
    last time, evidence post ids; see ``veille.analyze.graph`` for the rules. Reads only.

    ``table`` names a relation with the columns of ``interactions``; trusted text, never user
    input.
    """
    selected, params = _selected(kinds, platforms, since, until, same_as, table)
    n = int(evidence)
    # Evidence: the n earliest posts per (pair, kind), then the n earliest of those per pair;
    # ties and missing times are broken by post id so the choice is stable.
    evidence_kind = f"min_by({{'at': occurred_at, 'post': post_id}}, (occurred_at, post_id), {n})"
    sql = f"""
    WITH {selected},
    per_kind AS (
        SELECT s, t, kind, count(*) AS n,
               min(occurred_at) AS first_at, max(occurred_at) AS last_at,
               {evidence_kind if n else "[]"} AS evidence
        FROM selected WHERE s <> t GROUP BY s, t, kind
    ),
    pairs AS (
        SELECT s, t, sum(n)::BIGINT AS weight,
               list(kind ORDER BY kind) AS kinds, list(n ORDER BY kind) AS kind_counts,
               min(first_at) AS first_at, max(last_at) AS last_at,
               list_transform(list_sort(flatten(list(evidence)))[1:{n}], e -> e.post) AS evidence
        FROM per_kind GROUP BY s, t HAVING sum(n) >= ?
    ),
    vertices AS (
        SELECT actor, (row_number() OVER (ORDER BY actor) - 1)::BIGINT AS v
        FROM (SELECT s AS actor FROM pairs UNION SELECT t FROM pairs)
    )
    SELECT vs.v AS source, vt.v AS target, p.weight, p.kinds, p.kind_counts,
           p.first_at, p.last_at, p.evidence, vs.actor AS source_actor, vt.actor AS target_actor
    FROM pairs p JOIN vertices vs ON vs.actor = p.s JOIN vertices vt ON vt.actor = p.t
    ORDER BY source, target
    """
    return con.execute(sql, [*params, min_weight]).to_arrow_table()


def _selected(
    kinds: Sequence[str],
    platforms: Sequence[str],
    since: datetime | None,
    until: datetime | None,
    same_as: Mapping[str, str] | None,
    table: str,
) -> tuple[str, list[Any]]:
    """CTEs ``same_as`` and ``selected`` (s, t, kind, post_id, occurred_at: the interactions
    that pass, their ends merged by ``same_as``), and their parameters."""
    where, where_params = _where(kinds, platforms, since, until)
    params: list[Any] = []
    if same_as:
        merged = sorted(same_as.items())
        same_as_sql = "SELECT unnest(?::VARCHAR[]) AS actor, unnest(?::VARCHAR[]) AS canonical"
        params += [[a for a, _ in merged], [c for _, c in merged]]
        ends = (
            "coalesce(ms.canonical, i.source_actor_id) AS s, "
            "coalesce(mt.canonical, i.target_actor_id) AS t"
        )
        joins = (
            "LEFT JOIN same_as ms ON ms.actor = i.source_actor_id "
            "LEFT JOIN same_as mt ON mt.actor = i.target_actor_id"
        )
    else:
        same_as_sql = "SELECT NULL::VARCHAR AS actor, NULL::VARCHAR AS canonical WHERE false"
        ends = "i.source_actor_id AS s, i.target_actor_id AS t"
        joins = ""
    sql = f"""same_as AS ({same_as_sql}),
    selected AS (
        SELECT {ends}, i.kind, i.post_id, i.occurred_at
        FROM {table} i {joins}
        WHERE {where}
    )"""
    return sql, [*params, *where_params]


def edge_days(
    con: duckdb.DuckDBPyConnection,
    *,
    kinds: Sequence[str] = (),
    platforms: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    same_as: Mapping[str, str] | None = None,
    zone: str = "UTC",
    table: str = "interactions",
) -> list[tuple[str, str, date, int]]:
    """(source actor, target actor, day, interactions) for every day a pair of actors
    interacted, days counted in ``zone``, by pair then day: the time behind each edge of
    :func:`aggregate_edges` with the same arguments. Interactions without a time have no day.
    """
    selected, params = _selected(kinds, platforms, since, until, same_as, table)
    rows = con.execute(
        f"""
        WITH {selected}
        SELECT s, t, CAST(timezone(?, occurred_at) AS DATE) AS day, count(*) AS n
        FROM selected WHERE s <> t AND occurred_at IS NOT NULL
        GROUP BY ALL ORDER BY s, t, day
        """,
        [*params, zone],
    ).fetchall()
    return [(str(s), str(t), day, int(n)) for s, t, day, n in rows]

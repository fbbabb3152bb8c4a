"""The graph view's data: the accounts and ties of a selection, with their ranks.

The selection comes from ``veille.store.selection`` (a relation with the columns of
``interactions``). Each ordered pair of accounts is one tie weighted by its interactions;
self-interactions are no tie. A drawing of more than a few thousand nodes helps nobody, so
the view keeps the ``cap`` accounts with the most interactions in the selection (and the
heaviest ties among them) and says how many there were. Ranks and communities are those of
the latest network run; an account is *collected* when it wrote a post of the case, and
*mentioned only* when it is known only from others' posts.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import duckdb
import pyarrow as pa

from veille.store.actor_history import actor_labels
from veille.store.results import latest_run

__all__ = ["EDGE_CAP", "NODE_CAP", "RANKS", "RankBy", "collected_accounts", "graph_view"]

RankBy = Literal["combined", "pagerank", "in_strength", "betweenness"]
RANKS: tuple[RankBy, ...] = ("combined", "pagerank", "in_strength", "betweenness")
NODE_CAP = 2000
EDGE_CAP = 20_000
_RELATION = re.compile(r"^[a-z_]+$")  # a table name from the selection, never user text
_PAIRS = "veille_view_pairs"


def _ids(actor_ids: list[str]) -> pa.Table:
    return pa.table({"id": pa.array(actor_ids, pa.string())})


def collected_accounts(con: duckdb.DuckDBPyConnection, actor_ids: list[str]) -> set[str]:
    """Those of ``actor_ids`` that wrote at least one post of the case."""
    con.register("veille_collected_ids", _ids(actor_ids))
    try:
        rows = con.execute(
            "SELECT id FROM veille_collected_ids WHERE id IN (SELECT author_id FROM posts)"
        ).fetchall()
    finally:
        con.unregister("veille_collected_ids")
    return {str(row[0]) for row in rows}


def _metrics(con: duckdb.DuckDBPyConnection, actor_ids: list[str]) -> dict[str, dict[str, Any]]:
    run = latest_run(con, "network")
    if run is None:
        return {}
    con.register("veille_metric_ids", _ids(actor_ids))
    try:
        cursor = con.execute(
            "SELECT actor_id, rank, community, combined, pagerank, in_strength, betweenness "
            "FROM actor_metrics WHERE run_id = ? "
            "AND actor_id IN (SELECT id FROM veille_metric_ids)",
            [run["id"]],
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.unregister("veille_metric_ids")
    return {row.pop("actor_id"): row for row in rows}


def graph_view(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    *,
    rank_by: RankBy = "combined",
    cap: int = NODE_CAP,
    edge_cap: int = EDGE_CAP,
) -> dict[str, Any]:
    """Nodes and edges of the selection in ``relation``, plain data ready for JSON.

    ``nodes``: id, label (``@handle (Name)``), platform, interactions (in the selection),
    rank, community, score (the ``rank_by`` measure; None outside the network run),
    collected; most interactions first. ``edges``: source, target, weight, kinds; heaviest
    first. ``accounts`` and ``ties`` count the whole selection before the caps.
    """
    if not _RELATION.match(relation):
        raise ValueError(f"{relation!r} is not a relation of the selection")
    if rank_by not in RANKS:
        raise ValueError(f"rank_by: {rank_by!r}; one of {', '.join(RANKS)}")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {_PAIRS} AS
        SELECT source_actor_id AS s, target_actor_id AS t, count(*)::BIGINT AS w,
               list_sort(list_distinct(list(kind))) AS kinds
        FROM {relation} WHERE source_actor_id <> target_actor_id GROUP BY ALL
        """
    )
    try:
        rows = con.execute(
            f"""
            WITH ends AS (SELECT s AS actor, w FROM {_PAIRS} UNION ALL SELECT t, w FROM {_PAIRS})
            SELECT actor, sum(w)::BIGINT AS weight, count(*) OVER () AS accounts
            FROM ends GROUP BY actor ORDER BY weight DESC, actor LIMIT ?
            """,
            [cap],
        ).fetchall()
        kept = [str(row[0]) for row in rows]
        con.register("veille_kept_ids", _ids(kept))
        try:
            edges = con.execute(
                f"""
                SELECT s, t, w, kinds FROM {_PAIRS}
                WHERE s IN (SELECT id FROM veille_kept_ids)
                  AND t IN (SELECT id FROM veille_kept_ids)
                ORDER BY w DESC, s, t LIMIT ?
                """,
                [edge_cap],
            ).fetchall()
        finally:
            con.unregister("veille_kept_ids")
        ties_row = con.execute(f"SELECT count(*) FROM {_PAIRS}").fetchone()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_PAIRS}")
    labels = actor_labels(con, kept)
    metrics = _metrics(con, kept)
    collected = collected_accounts(con, kept)
    nodes = []
    for actor, weight, _ in rows:
        label, platform = labels.get(actor, (actor, None))
        measures = metrics.get(actor, {})
        nodes.append(
            {
                "id": actor,
                "label": label,
                "platform": platform,
                "interactions": int(weight),
                "rank": measures.get("rank"),
                "community": measures.get("community"),
                "score": measures.get(rank_by),
                "collected": actor in collected,
            }
        )
    return {
        "nodes": nodes,
        "edges": [
            {"source": s, "target": t, "weight": int(w), "kinds": list(kinds)}
            for s, t, w, kinds in edges
        ],
        "accounts": int(rows[0][2]) if rows else 0,
        "ties": int(ties_row[0]) if ties_row else 0,
        "rank_by": rank_by,
        "ranked": bool(metrics),
    }

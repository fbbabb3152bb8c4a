"""Runs on the interaction graph beside the ranking: reach from a watchlist, graph exports.

``veille reach`` resolves a watchlist, finds who is within k hops and stores it as a run of the
``reach`` table; ``veille export --to gexf|graphml|csv`` writes the graph of the latest network
run with its scores as node attributes (running the network analysis first if there is none).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from veille import __version__
from veille.analyze.graph import EdgeFilter, InteractionGraph, build_graph
from veille.analyze.reach import ReachResult, reach, resolve_watchlist
from veille.network_run import resolve_same_as, run_network
from veille.report import EXPORTERS
from veille.store.actor_history import actor_labels
from veille.store.results import (
    actor_seen,
    analysis_run_id,
    latest_run,
    read_results,
    replace_results,
)
from veille.store.runs import finish_run, start_run

__all__ = ["REACH_VERSION", "ReachReport", "export_graph", "run_reach"]

REACH_VERSION = "1"
_SCORES = (
    "rank", "combined", "pagerank", "betweenness", "brokerage", "in_degree", "out_degree",
    "in_strength", "out_strength", "community",
)  # fmt: skip


@dataclass
class ReachReport:
    """Who is within reach, the watchlist lines no actor matched, and labels to show them."""

    run_id: str
    result: ReachResult
    unknown: list[str]
    labels: dict[str, tuple[str, str]]


def run_reach(
    con: duckdb.DuckDBPyConnection,
    watchlist: Sequence[str],
    *,
    hops: int = 2,
    kinds: tuple[str, ...] = (),
    same_as: list[list[str]] | None = None,
) -> ReachReport:
    """Everyone within ``hops`` of the watchlist, stored as a run of the ``reach`` table."""
    found, unknown = resolve_watchlist(con, watchlist)
    merged = resolve_same_as(same_as or [])
    watch = list(dict.fromkeys(merged.get(actor, actor) for actor in found))
    edge_filter = EdgeFilter(kinds=kinds, same_as=merged)
    net = build_graph(con, edge_filter)
    result = reach(net, watch, hops, kinds)
    parameters = {**edge_filter.parameters(), **result.parameters(), "unknown": unknown}
    run_id = analysis_run_id("reach", REACH_VERSION, parameters)
    start_run(con, kind="analysis", name="reach", version=REACH_VERSION,
              parameters=parameters, code_version=__version__, run_id=run_id)  # fmt: skip
    rows = result.rows()
    table = pa.table(
        {
            "run_id": [run_id] * len(rows),
            "actor_id": [r["actor_id"] for r in rows],
            "watch_actor_id": [r["watch_actor_id"] for r in rows],
            "hops": pa.array([r["hops"] for r in rows], pa.int32()),
            "score": pa.array([r["score"] for r in rows], pa.float64()),
            "path": [json.dumps(r["path"]) for r in rows],
            "evidence": [json.dumps(r["evidence"]) for r in rows],
        }
    )
    replace_results(con, run_id, {"reach": table})
    finish_run(con, run_id, {"reached": len(rows), "unknown": len(unknown)})
    labels = actor_labels(con, [*net.actor_ids, *found])
    return ReachReport(run_id, result, unknown, labels)


def export_graph(
    con: duckdb.DuckDBPyConnection, file_format: str, path: Path, same_as: list[list[str]]
) -> tuple[str, list[Path]]:
    """Write the latest network run's graph, scores as node attributes; (run id, files)."""
    exporter = EXPORTERS.get(file_format)
    run = latest_run(con, "network")
    if run is None:
        run_network(con, same_as=same_as)
        run = latest_run(con, "network")
        assert run is not None  # just written
    net = build_graph(con, EdgeFilter.from_parameters(run["parameters"]))
    return run["id"], exporter(net, _nodes(con, net, run["id"]), path)


def _nodes(
    con: duckdb.DuckDBPyConnection, net: InteractionGraph, run_id: str
) -> list[dict[str, Any]]:
    metrics = {row["actor_id"]: row for row in read_results(con, "actor_metrics", run_id)}
    labels = actor_labels(con, net.actor_ids)
    seen = actor_seen(con, net.actor_ids)
    nodes = []
    for actor in net.actor_ids:
        row = metrics.get(actor, {})
        label, platform = labels.get(actor, (actor, None))
        first, last = seen.get(actor, (None, None))
        nodes.append(
            {
                "actor_id": actor,
                "label": label,
                "platform": platform,
                **{key: row.get(key) for key in _SCORES},
                "first_seen": first,
                "last_seen": last,
            }
        )
    return nodes

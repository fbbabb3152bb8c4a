"""``veille export --to gexf|graphml|csv``: the graph of the latest network run, for other tools.

Its scores are node attributes; with no network run yet, one is run first with the default
parameters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from veille.analyze.base import AnalysisInputs
from veille.analyze.graph import EdgeFilter, InteractionGraph, build_graph
from veille.report import EXPORTERS
from veille.runs.analysis import run_analysis
from veille.store.actor_history import actor_labels
from veille.store.results import actor_seen, latest_run, read_results

__all__ = ["export_graph"]

_SCORES = (
    "rank", "combined", "pagerank", "betweenness", "brokerage", "in_degree", "out_degree",
    "in_strength", "out_strength", "community",
)  # fmt: skip


def export_graph(inputs: AnalysisInputs, file_format: str, path: Path) -> tuple[str, list[Path]]:
    """Write the latest network run's graph, scores as node attributes; (run id, files)."""
    exporter = EXPORTERS.get(file_format)
    con = inputs.con
    run = latest_run(con, "network")
    if run is None:
        run_analysis(inputs, "network")
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

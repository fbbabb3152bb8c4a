"""``veille export --to gexf|graphml|csv``: the graph of the latest network run, for other tools;
and the graph of a workbench selection as GEXF.

Scores are node attributes, with the label (``@handle (Name)``), platform, whether the
account was collected (it wrote a post of the case) or is only mentioned, and when it was
first and last seen. With no network run yet, one is run first with the default parameters.
A dynamic GEXF adds the days each tie was active, for Gephi's timeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from veille.analyze.base import AnalysisInputs
from veille.analyze.graph import EdgeFilter, InteractionGraph, build_graph
from veille.errors import ConfigError
from veille.report import EXPORTERS
from veille.report.gexf import spells_from_days, write_gexf
from veille.runs.analysis import run_analysis
from veille.store.actor_history import actor_labels
from veille.store.edges import edge_days
from veille.store.graph_view import collected_accounts
from veille.store.results import actor_seen, latest_run, read_results

__all__ = ["export_graph", "export_selection"]

_SCORES = (
    "rank", "combined", "pagerank", "betweenness", "brokerage", "in_degree", "out_degree",
    "in_strength", "out_strength", "community",
)  # fmt: skip


def export_graph(
    inputs: AnalysisInputs, file_format: str, path: Path, *, dynamic: bool = False
) -> tuple[str, list[Path]]:
    """Write the latest network run's graph, scores as node attributes; (run id, files).

    ``dynamic`` (GEXF only) adds each tie's active days, counted in the case's zone.
    """
    exporter = EXPORTERS.get(file_format)
    if dynamic and file_format != "gexf":
        raise ConfigError(f"--dynamic: only GEXF carries time for a timeline, not {file_format}")
    con = inputs.con
    run = latest_run(con, "network")
    if run is None:
        run_analysis(inputs, "network")
        run = latest_run(con, "network")
        assert run is not None  # just written
    edge_filter = EdgeFilter.from_parameters(run["parameters"])
    net = build_graph(con, edge_filter)
    nodes = _nodes(con, net, run["id"])
    if not dynamic:
        return run["id"], exporter(net, nodes, path)
    days = edge_days(
        con,
        kinds=edge_filter.kinds,
        platforms=edge_filter.platforms,
        since=edge_filter.since,
        until=edge_filter.until,
        same_as=edge_filter.same_as,
        zone=inputs.zone,
    )
    return run["id"], write_gexf(net, nodes, path, spells=spells_from_days(days), zone=inputs.zone)


def export_selection(
    con: duckdb.DuckDBPyConnection, relation: str, path: Path, *, zone: str
) -> tuple[int, int]:
    """Write the interactions in ``relation`` (a selection's, see ``veille.store.selection``)
    as a dynamic GEXF with the latest network run's scores; (nodes, edges)."""
    net = build_graph(con, table=relation)
    run = latest_run(con, "network")
    nodes = _nodes(con, net, run["id"] if run else None)
    spells = spells_from_days(edge_days(con, table=relation, zone=zone))
    write_gexf(net, nodes, path, spells=spells, zone=zone)
    return len(net.actor_ids), net.edges.num_rows


def _nodes(
    con: duckdb.DuckDBPyConnection, net: InteractionGraph, run_id: str | None
) -> list[dict[str, Any]]:
    metrics = (
        {row["actor_id"]: row for row in read_results(con, "actor_metrics", run_id)}
        if run_id
        else {}
    )
    labels = actor_labels(con, net.actor_ids)
    seen = actor_seen(con, net.actor_ids)
    collected = collected_accounts(con, list(net.actor_ids))
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
                "seen_as": "collected" if actor in collected else "mentioned only",
                **{key: row.get(key) for key in _SCORES},
                "first_seen": first,
                "last_seen": last,
            }
        )
    return nodes

"""One ``veille network`` run: build the graph, score, find communities, explain, store.

The analysis modules (``veille.analyze``) compute; this module gathers their output into the
result tables (``actor_metrics``, ``communities``) under one run whose id hashes the analysis
name, version and parameters, so the same parameters replace the same run's rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from veille import __version__
from veille.analyze.communities import Communities, detect
from veille.analyze.graph import EdgeFilter, InteractionGraph, build_graph
from veille.analyze.importance import Importance, explain, score
from veille.errors import ConfigError
from veille.ingest.common.identity import actor_id
from veille.store.actor_history import actor_labels
from veille.store.results import (
    analysis_run_id,
    community_terms,
    replace_results,
)
from veille.store.runs import finish_run, start_run

__all__ = ["NETWORK_VERSION", "NetworkReport", "resolve_same_as", "run_network"]

NETWORK_VERSION = "1"
EXPLAINED = 200  # actors whose reasons are stored, most important first


@dataclass
class NetworkReport:
    """What a network run found: ranked actors with reasons, communities, how it was computed."""

    run_id: str
    parameters: dict[str, Any]
    vertices: int
    edges: int
    modularity: float
    betweenness_sample: int | None
    actors: list[dict[str, Any]] = field(default_factory=list)
    communities: list[dict[str, Any]] = field(default_factory=list)


def resolve_same_as(groups: list[list[str]]) -> dict[str, str]:
    """``case.toml`` same-as groups ("platform:key" per account) to actor id -> canonical id.

    The first account of a group names it; keys are those of ``veille.ingest.common.identity``.
    """
    mapping: dict[str, str] = {}
    for group in groups:
        ids = []
        for entry in group:
            platform, sep, key = str(entry).partition(":")
            if not sep or not key:
                raise ConfigError(f"same_as: {entry!r} is not platform:key (twitter:abu_example)")
            ids.append(actor_id(platform, key))
        for other in ids[1:]:
            mapping[other] = ids[0]
    return mapping


def _brokerage(net: InteractionGraph, membership: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Share of each actor's interactions (made and received) that cross communities."""
    n = len(net.actor_ids)
    cross = np.zeros(n)
    total = np.zeros(n)
    crossing = membership[net.sources] != membership[net.targets]
    np.add.at(total, net.sources, net.weights)
    np.add.at(total, net.targets, net.weights)
    np.add.at(cross, net.sources, net.weights * crossing)
    np.add.at(cross, net.targets, net.weights * crossing)
    return np.divide(cross, total, out=np.zeros(n), where=total > 0)


def run_network(
    con: duckdb.DuckDBPyConnection,
    *,
    kinds: tuple[str, ...] = (),
    platforms: tuple[str, ...] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    min_weight: int = 1,
    same_as: list[list[str]] | None = None,
    seed: int = 0,
) -> NetworkReport:
    """Run the network analysis over the case's interactions and store it as a run."""
    merged = resolve_same_as(same_as or [])
    edge_filter = EdgeFilter(kinds, platforms, since, until, min_weight, same_as=merged)
    parameters = {**edge_filter.parameters(), "seed": seed}
    run_id = analysis_run_id("network", NETWORK_VERSION, parameters)
    start_run(con, kind="analysis", name="network", version=NETWORK_VERSION,
              parameters=parameters, code_version=__version__, run_id=run_id)  # fmt: skip
    try:
        report = _analyse(con, run_id, parameters, edge_filter, seed)
    except BaseException:
        finish_run(con, run_id, {}, status="failed")
        raise
    finish_run(con, run_id, {"actors": report.vertices, "edges": report.edges,
                             "communities": len(report.communities)})  # fmt: skip
    return report


def _analyse(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    parameters: dict[str, Any],
    edge_filter: EdgeFilter,
    seed: int,
) -> NetworkReport:
    net = build_graph(con, edge_filter)
    importance = score(net, seed=seed)
    found = detect(net, seed=seed)
    labels = _labels_with_merged(con, net.actor_ids, edge_filter.same_as)
    report = NetworkReport(
        run_id=run_id,
        parameters=parameters,
        vertices=len(net.actor_ids),
        edges=len(net.weights),
        modularity=found.modularity,
        betweenness_sample=importance.betweenness_sample,
    )
    report.actors = _actor_rows(net, importance, found, labels)
    report.communities = _community_rows(con, net, found, labels)
    replace_results(con, run_id, _result_tables(run_id, report))
    return report


def _labels_with_merged(
    con: duckdb.DuckDBPyConnection, actor_ids: tuple[str, ...], same_as: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """Labels of the graph's actors; a merged account (whose canonical id need not have been
    seen) takes the label of the first of its accounts that was."""
    members = list(actor_ids) + list(same_as)
    labels = actor_labels(con, members)
    for member, canonical in same_as.items():
        if canonical not in labels and member in labels:
            labels[canonical] = labels[member]
    return labels


def _label(labels: dict[str, tuple[str, str]], actor: str) -> str:
    """``@handle (Name) [platform]``: the account's label and where it is."""
    label, platform = labels.get(actor, (actor, "?"))
    return f"{label} [{platform}]"


def _actor_rows(
    net: InteractionGraph,
    importance: Importance,
    found: Communities,
    labels: dict[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    brokerage = _brokerage(net, found.membership)
    readable = {actor: _label(labels, actor) for actor in net.actor_ids}
    membership = found.membership.tolist()
    rows = []
    vertex_of = {actor: vertex for vertex, actor in enumerate(net.actor_ids)}
    for position, row in enumerate(importance.rows()):
        actor = row["actor_id"]
        vertex = vertex_of[actor]
        label, platform = labels.get(actor, (actor, "?"))
        reasons = None
        if position < EXPLAINED:
            reasons = explain(
                net, importance, actor, labels=readable, communities=membership, vertex=vertex
            ).as_dict()
        rows.append(
            {
                **row,
                "label": label,
                "platform": platform,
                "community": int(found.membership[vertex]),
                "brokerage": float(brokerage[vertex]),
                "reasons": reasons,
            }
        )
    return rows


def _community_rows(
    con: duckdb.DuckDBPyConnection,
    net: InteractionGraph,
    found: Communities,
    labels: dict[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    terms = community_terms(con, found.of(net.actor_ids))
    return [
        {
            "community": community.number,
            "size": community.size,
            "top_actors": [actor for actor, _ in community.top_accounts],
            "top_labels": [_label(labels, actor) for actor, _ in community.top_accounts],
            "terms": terms.get(community.number, []),
        }
        for community in found.communities
    ]


def _result_tables(run_id: str, report: NetworkReport) -> dict[str, pa.Table]:
    actors = report.actors
    metrics = pa.table(
        {
            "run_id": [run_id] * len(actors),
            "actor_id": [a["actor_id"] for a in actors],
            "rank": pa.array([a["rank"] for a in actors], pa.int32()),
            "combined": [a["combined"] for a in actors],
            "pagerank": [a["pagerank"] for a in actors],
            "betweenness": [a["betweenness"] for a in actors],
            "brokerage": [a["brokerage"] for a in actors],
            "in_degree": [a["in_degree"] for a in actors],
            "out_degree": [a["out_degree"] for a in actors],
            "in_strength": [a["in_strength"] for a in actors],
            "out_strength": [a["out_strength"] for a in actors],
            "community": pa.array([a["community"] for a in actors], pa.int32()),
            "reasons": [None if a["reasons"] is None else json.dumps(a["reasons"]) for a in actors],
        }
    )
    communities = pa.table(
        {
            "run_id": [run_id] * len(report.communities),
            "community": pa.array([c["community"] for c in report.communities], pa.int32()),
            "size": pa.array([c["size"] for c in report.communities], pa.int32()),
            "top_actors": [json.dumps(c["top_actors"]) for c in report.communities],
            "terms": [json.dumps(c["terms"], ensure_ascii=False) for c in report.communities],
        }
    )
    return {"actor_metrics": metrics, "communities": communities}

"""The ``network`` analysis: build the graph, score, find communities, explain.

Writes ``actor_metrics`` (one row per account: the scores, its community, the reasons for the
first ``EXPLAINED``) and ``communities`` (size, most central accounts, hashtags that set it
apart). ``veille network`` is its short form; see ``docs/network.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, TypedDict

import duckdb
import numpy as np

from veille.analyze.base import AnalysisInputs, Output, Plan, Rows
from veille.analyze.communities import Communities, detect
from veille.analyze.graph import EdgeFilter, InteractionGraph, build_graph
from veille.analyze.importance import Importance, ScoreRow, explain, score
from veille.errors import ConfigError
from veille.model import INTERACTION_KINDS
from veille.store.actor_history import actor_labels
from veille.store.declared import Int32, Json
from veille.store.results import community_terms

__all__ = [
    "ActorMetricRow",
    "CommunityRow",
    "NetworkAnalysis",
    "NetworkResult",
    "RankedActor",
    "RankedCommunity",
    "moment",
]

NETWORK_VERSION = "2"  # 2: the combined score is a rank product
EXPLAINED = 200  # actors whose reasons are stored, most important first


class ActorMetricRow(TypedDict):
    """A row of ``actor_metrics``."""

    actor_id: str
    rank: Int32  # 1 = most important by the combined score
    combined: float
    pagerank: float
    betweenness: float
    brokerage: float | None  # share of its ties that cross communities
    in_degree: int
    out_degree: int
    in_strength: float
    out_strength: float
    community: Int32 | None
    reasons: Json | None  # sentence + top incoming edges with evidence posts


class CommunityRow(TypedDict):
    """A row of ``communities``."""

    community: Int32
    size: Int32
    top_actors: Json | None  # actor ids, most central first
    terms: Json | None  # hashtags that set it apart


class RankedActor(ScoreRow):
    """An account as the command line shows it: scores, ranks on each, label, reasons."""

    label: str
    platform: str
    community: int
    brokerage: float
    reasons: dict[str, Any] | None


class RankedCommunity(TypedDict):
    community: int
    size: int
    top_actors: list[str]
    top_labels: list[str]
    terms: list[str]


@dataclass
class NetworkResult:
    """What a network run found: ranked actors with reasons, communities, how it was computed."""

    run_id: str
    parameters: dict[str, Any]
    vertices: int
    edges: int
    modularity: float
    betweenness_sample: int | None
    actors: list[RankedActor]
    communities: list[RankedCommunity]


def moment(value: datetime | str | None, option: str) -> datetime | None:
    """A date or time (ISO text, UTC when it names no zone) as an aware datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ConfigError(
                f"{option}: {value!r} is not a date (2016-11-14 or 2016-11-14T08:00)"
            ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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


class NetworkAnalysis:
    """Who matters and why, and the communities, over the filtered interaction graph."""

    name: ClassVar[str] = "network"
    version: ClassVar[str] = NETWORK_VERSION
    needs: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[Mapping[str, type[Any]]] = {
        "actor_metrics": ActorMetricRow,
        "communities": CommunityRow,
    }

    def plan(
        self,
        inputs: AnalysisInputs,
        *,
        kinds: Sequence[str] = (),
        platforms: Sequence[str] = (),
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        min_weight: int = 1,
        seed: int = 0,
    ) -> Plan:
        unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
        if unknown:
            raise ConfigError(
                f"kinds: unknown {', '.join(unknown)}; kinds: {', '.join(INTERACTION_KINDS)}"
            )
        if min_weight < 1:
            raise ConfigError(f"min_weight: {min_weight} is not 1 or more")
        edge_filter = EdgeFilter(
            tuple(kinds),
            tuple(platforms),
            moment(since, "--since"),
            moment(until, "--until"),
            min_weight,
            same_as=inputs.same_as,
        )
        return Plan({**edge_filter.parameters(), "seed": seed}, edge_filter)

    def run(self, inputs: AnalysisInputs, plan: Plan, run_id: str) -> Output[NetworkResult]:
        con, edge_filter, seed = inputs.con, plan.prepared, plan.parameters["seed"]
        net = build_graph(con, edge_filter)
        importance = score(net, seed=seed)
        found = detect(net, seed=seed)
        labels = _labels_with_merged(con, net.actor_ids, edge_filter.same_as)
        result = NetworkResult(
            run_id=run_id,
            parameters=plan.parameters,
            vertices=len(net.actor_ids),
            edges=len(net.weights),
            modularity=found.modularity,
            betweenness_sample=importance.betweenness_sample,
            actors=_actor_rows(net, importance, found, labels),
            communities=_community_rows(con, net, found, labels),
        )
        counts = {"actors": result.vertices, "edges": result.edges,
                  "communities": len(result.communities)}  # fmt: skip
        return Output(_result_tables(result), counts, result)


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
) -> list[RankedActor]:
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
            RankedActor(
                **row,
                label=label,
                platform=platform,
                community=int(found.membership[vertex]),
                brokerage=float(brokerage[vertex]),
                reasons=reasons,
            )
        )
    return rows


def _community_rows(
    con: duckdb.DuckDBPyConnection,
    net: InteractionGraph,
    found: Communities,
    labels: dict[str, tuple[str, str]],
) -> list[RankedCommunity]:
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


def _result_tables(result: NetworkResult) -> dict[str, Rows]:
    metrics: list[ActorMetricRow] = [
        {
            "actor_id": a["actor_id"],
            "rank": a["rank"],
            "combined": a["combined"],
            "pagerank": a["pagerank"],
            "betweenness": a["betweenness"],
            "brokerage": a["brokerage"],
            "in_degree": a["in_degree"],
            "out_degree": a["out_degree"],
            "in_strength": a["in_strength"],
            "out_strength": a["out_strength"],
            "community": a["community"],
            "reasons": None if a["reasons"] is None else json.dumps(a["reasons"]),
        }
        for a in result.actors
    ]
    communities: list[CommunityRow] = [
        {
            "community": c["community"],
            "size": c["size"],
            "top_actors": json.dumps(c["top_actors"]),
            "terms": json.dumps(c["terms"], ensure_ascii=False),
        }
        for c in result.communities
    ]
    return {"actor_metrics": metrics, "communities": communities}

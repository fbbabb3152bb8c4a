"""The interaction graph of a case: who addresses whom, how often, and which posts show it.

One edge per ordered pair of actors (source -> target), whatever the kinds: its ``weight`` is
the number of interactions between them that pass the filter, and it keeps the count per kind,
the first and last time, and up to ``evidence`` post ids (earliest first). The aggregation runs
in DuckDB, in one query (``veille.store.edges``); Python only receives one row per edge, as
Arrow columns.

Edge rules:

- a self-interaction (an actor mentioning or forwarding itself) is not an edge: it says nothing
  about who talks to whom;
- ``same_as`` merges actors the case says are one (its ``same_as`` list) before counting, so
  two edges that become one add up;
- with a time window, interactions without a time are left out (nothing says they fall in it);
- ``min_weight`` is applied to the pair's total over the selected kinds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import igraph
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from veille.store.edges import aggregate_edges

__all__ = ["EdgeFilter", "InteractionGraph", "build_graph", "graph_from_edges"]

EVIDENCE_PER_EDGE = 3


@dataclass(frozen=True, slots=True)
class EdgeFilter:
    """Which interactions make the graph. Empty ``kinds``/``platforms`` mean all of them.

    ``since`` is inclusive and ``until`` exclusive; both must be aware datetimes.
    """

    kinds: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    min_weight: int = 1
    evidence: int = EVIDENCE_PER_EDGE
    same_as: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for moment in (self.since, self.until):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("since/until must carry a time zone")
        if self.min_weight < 1:
            raise ValueError("min_weight must be at least 1")
        if self.evidence < 0:
            raise ValueError("evidence must be 0 or more")

    def parameters(self) -> dict[str, Any]:
        """The filter as plain JSON-ready data, for a run's parameters."""
        return {
            "kinds": list(self.kinds),
            "platforms": list(self.platforms),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "min_weight": self.min_weight,
            "evidence": self.evidence,
            "same_as": dict(sorted(self.same_as.items())),
        }

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any]) -> EdgeFilter:
        """The filter a run's ``parameters()`` describe (the inverse of ``parameters``)."""

        def moment(value: str | None) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return cls(
            kinds=tuple(parameters.get("kinds", ())),
            platforms=tuple(parameters.get("platforms", ())),
            since=moment(parameters.get("since")),
            until=moment(parameters.get("until")),
            min_weight=int(parameters.get("min_weight", 1)),
            evidence=int(parameters.get("evidence", EVIDENCE_PER_EDGE)),
            same_as=dict(parameters.get("same_as", {})),
        )


@dataclass(frozen=True, slots=True)
class InteractionGraph:
    """A directed weighted graph of actors, with the aggregated edges behind it.

    Vertex ``i`` is ``actor_ids[i]`` (sorted), also the igraph vertex attribute ``name``.
    Edge ``j`` of ``graph`` is row ``j`` of ``edges`` (Arrow columns ``source``, ``target``
    (vertex numbers), ``weight``, ``kinds``, ``kind_counts`` (parallel lists), ``first_at``,
    ``last_at``, ``evidence`` (post ids)); its igraph attribute is ``weight``.
    """

    graph: igraph.Graph
    actor_ids: tuple[str, ...]
    edges: pa.Table

    @property
    def sources(self) -> npt.NDArray[np.int64]:
        return np.asarray(self.edges.column("source").to_numpy(), dtype=np.int64)

    @property
    def targets(self) -> npt.NDArray[np.int64]:
        return np.asarray(self.edges.column("target").to_numpy(), dtype=np.int64)

    @property
    def weights(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.edges.column("weight").to_numpy(), dtype=np.float64)

    def edge(self, index: int) -> dict[str, Any]:
        """One edge as plain data (actor ids instead of vertex numbers)."""
        row = self.edges.slice(index, 1).to_pylist()[0]
        return {
            "source": self.actor_ids[row["source"]],
            "target": self.actor_ids[row["target"]],
            "weight": row["weight"],
            "kinds": dict(zip(row["kinds"], row["kind_counts"], strict=True)),
            "first_at": row["first_at"],
            "last_at": row["last_at"],
            "evidence": row["evidence"],
        }


def build_graph(
    con: duckdb.DuckDBPyConnection,
    edge_filter: EdgeFilter | None = None,
    *,
    table: str = "interactions",
) -> InteractionGraph:
    """Aggregate the case's interactions into an :class:`InteractionGraph`. Reads only.

    ``table`` names a relation with the columns of ``interactions`` (benchmarks and tests
    point it at a view); it is trusted text, never user input.
    """
    edge_filter = edge_filter or EdgeFilter()
    result = aggregate_edges(
        con,
        kinds=edge_filter.kinds,
        platforms=edge_filter.platforms,
        since=edge_filter.since,
        until=edge_filter.until,
        min_weight=edge_filter.min_weight,
        evidence=edge_filter.evidence,
        same_as=edge_filter.same_as,
        table=table,
    )
    count = int(result.num_rows)
    sources = np.asarray(result.column("source").to_numpy(), dtype=np.int64)
    targets = np.asarray(result.column("target").to_numpy(), dtype=np.int64)
    n_vertices = int(max(sources.max(), targets.max())) + 1 if count else 0
    names = np.empty(n_vertices, dtype=object)
    names[sources] = result.column("source_actor").to_numpy(zero_copy_only=False)
    names[targets] = result.column("target_actor").to_numpy(zero_copy_only=False)
    actor_ids = tuple(str(name) for name in names)
    edges = result.drop_columns(["source_actor", "target_actor"])
    weights = np.asarray(edges.column("weight").to_numpy(), dtype=np.float64)
    return InteractionGraph(_igraph(actor_ids, sources, targets, weights), actor_ids, edges)


def graph_from_edges(
    actor_ids: Sequence[str],
    sources: Sequence[int] | npt.NDArray[np.int64],
    targets: Sequence[int] | npt.NDArray[np.int64],
    weights: Sequence[float] | npt.NDArray[np.float64],
) -> InteractionGraph:
    """An :class:`InteractionGraph` from plain arrays (tests, benchmarks, other sources).

    Pairs must be unique and without self-loops, as :func:`build_graph` makes them.
    """
    src = np.asarray(sources, dtype=np.int64)
    dst = np.asarray(targets, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    if not len(src) == len(dst) == len(w):
        raise ValueError("sources, targets and weights must have the same length")
    if len(src) and bool(np.any(src == dst)):
        raise ValueError("self-loops are not edges")
    empty: list[list[str]] = [[] for _ in range(len(src))]
    edges = pa.table(
        {
            "source": pa.array(src, pa.int64()),
            "target": pa.array(dst, pa.int64()),
            "weight": pa.array(w, pa.float64()),
            "kinds": pa.array(empty, pa.list_(pa.string())),
            "kind_counts": pa.array(empty, pa.list_(pa.int64())),
            "first_at": pa.nulls(len(src), pa.timestamp("us", tz="UTC")),
            "last_at": pa.nulls(len(src), pa.timestamp("us", tz="UTC")),
            "evidence": pa.array(empty, pa.list_(pa.string())),
        }
    )
    ids = tuple(actor_ids)
    return InteractionGraph(_igraph(ids, src, dst, w), ids, edges)


def _igraph(
    actor_ids: tuple[str, ...],
    sources: npt.NDArray[np.int64],
    targets: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
) -> igraph.Graph:
    # igraph takes the (m, 2) array as it is: no list of m Python pairs (1 GB at 10^7 edges).
    graph = igraph.Graph(n=len(actor_ids), edges=np.column_stack([sources, targets]), directed=True)
    graph.vs["name"] = list(actor_ids)
    graph.es["weight"] = weights.tolist()
    return graph

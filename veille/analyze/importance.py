"""Importance of each actor in an interaction graph, and the reasons an analyst can defend.

Scores, per vertex of an :class:`~veille.analyze.graph.InteractionGraph`:

- ``in_degree``/``out_degree``: distinct actors that address it / that it addresses;
- ``in_strength``/``out_strength``: interactions received / made (sums of edge weights);
- ``pagerank``: directed, weighted by interaction count, damping 0.85; an actor with no
  outgoing edge spreads its share uniformly over all actors (as networkx does);
- ``betweenness``: directed and **unweighted** (a path's length is its number of hops). Edge
  weights count interactions, they are not distances, and turning counts into lengths
  (1/weight) would make one heavy tie outrank many. Not normalised: the number of shortest
  paths between other pairs passing through the actor (networkx ``normalized=False``).
  Exact while ``vertices x edges <= EXACT_BETWEENNESS_WORK`` (measured on this machine:
  about 13 ns per vertex-edge, so the bound is about 1.5 s); above it, estimated from
  ``betweenness_sample`` source vertices drawn with the seed, scaled by vertices / sample
  (Brandes and Pich 2007); the sample size is reported on the result.
- ``combined``: one over the geometric mean of the actor's ranks by PageRank, in-strength and
  betweenness (1 = first on each; ties share their average rank), so it lies in (0, 1]: an
  account first on all three scores 1, one second on all three 0.5, one first on two and 100th
  on the third 0.22. A rank product (Breitling et al., FEBS Letters 2004) separates the top:
  the mean of percentile ranks it replaced read 0.97-1.00 for the top 20 of 112 real accounts,
  and ranked 6 of the 10 first by PageRank below 15th. ``rank`` orders actors by ``combined``,
  then PageRank, then actor id; rank 1 is the most important. Each score's own rank is kept
  beside it (``pagerank_rank``, ``in_strength_rank``, ``betweenness_rank``) and
  ``veille network --rank-by`` orders by any of them. Ranks compare
  PageRank and betweenness to ``RANK_DIGITS`` significant digits: igraph sums PageRank on
  several threads (OpenMP) in an order that varies, so equal scores differed in their last
  bits (about 5e-12 relative) and tied accounts swapped places from one run to the next.

Reasons (:func:`explain`): an actor's PageRank is 0.15/N plus, for each incoming edge
u -> v, ``0.85 * pagerank(u) * weight(u, v) / out_strength(u)`` (plus the dangling share);
the edges with the largest such contribution are the ones that make it rank, and each comes
with its counts per kind and example posts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

from veille.analyze.graph import InteractionGraph

__all__ = [
    "DAMPING",
    "EXACT_BETWEENNESS_WORK",
    "EdgeReason",
    "Explanation",
    "Importance",
    "ScoreRow",
    "comparable",
    "explain",
    "percentile_ranks",
    "score",
]

DAMPING = 0.85
# vertices x edges above which betweenness is sampled: ~13 ns each on the 2-core machine
# (exact betweenness: 2,000 vertices / 10,000 edges 0.22 s; 10,000 / 50,000 6.9 s).
EXACT_BETWEENNESS_WORK = 10**8
# Sampled betweenness: as many sources as the same work allows, at least this many.
MIN_BETWEENNESS_SAMPLE = 32
MAIN_COMMUNITIES = 3  # communities a reason names at most
# Significant digits of a score that ranks compare: below PRPACK's own tolerance, above the
# run-to-run noise of its threaded sums by five orders of magnitude.
RANK_DIGITS = 6

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_VERBS = {
    "mention": "mentioned",
    "reply": "replied to",
    "forward": "forwarded",
    "retweet": "retweeted",
    "quote": "quoted",
    "contact": "contacted",
}


class ScoreRow(TypedDict):
    """One actor's scores, and its rank on each."""

    actor_id: str
    rank: int
    combined: float
    pagerank: float
    pagerank_rank: int
    in_degree: int
    out_degree: int
    in_strength: float
    in_strength_rank: int
    out_strength: float
    betweenness: float
    betweenness_rank: int


@dataclass(frozen=True, slots=True)
class Importance:
    """Scores per vertex (arrays indexed like ``InteractionGraph.actor_ids``)."""

    actor_ids: tuple[str, ...]
    in_degree: IntArray
    out_degree: IntArray
    in_strength: FloatArray
    out_strength: FloatArray
    pagerank: FloatArray
    betweenness: FloatArray
    combined: FloatArray
    rank: IntArray  # 1 = most important, by ``combined``
    pagerank_rank: IntArray
    in_strength_rank: IntArray
    betweenness_rank: IntArray
    betweenness_sample: int | None  # None: exact; else the number of sampled sources

    def order(self) -> IntArray:
        """Vertex numbers, most important first."""
        return np.asarray(np.argsort(self.rank, kind="stable"), dtype=np.int64)

    def rows(self, limit: int | None = None) -> list[ScoreRow]:
        """One row per actor, most important first."""
        vertices = self.order()[:limit] if limit is not None else self.order()
        return [
            ScoreRow(
                actor_id=self.actor_ids[v],
                rank=int(self.rank[v]),
                combined=float(self.combined[v]),
                pagerank=float(self.pagerank[v]),
                pagerank_rank=int(self.pagerank_rank[v]),
                in_degree=int(self.in_degree[v]),
                out_degree=int(self.out_degree[v]),
                in_strength=float(self.in_strength[v]),
                in_strength_rank=int(self.in_strength_rank[v]),
                out_strength=float(self.out_strength[v]),
                betweenness=float(self.betweenness[v]),
                betweenness_rank=int(self.betweenness_rank[v]),
            )
            for v in vertices.tolist()
        ]


@dataclass(frozen=True, slots=True)
class EdgeReason:
    """One incoming edge behind an actor's score."""

    source: str  # actor id
    weight: int
    kinds: dict[str, int]
    evidence: tuple[str, ...]  # post ids
    pagerank_share: float  # share of the actor's PageRank this edge brings


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an actor ranks where it does, as plain data and one sentence."""

    actor_id: str
    rank: int
    pagerank_rank: int
    betweenness_rank: int
    received: int  # interactions received
    senders: int  # distinct actors they came from
    received_by_kind: dict[str, int]
    top_edges: tuple[EdgeReason, ...]
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "actor_id": self.actor_id,
            "rank": self.rank,
            "pagerank_rank": self.pagerank_rank,
            "betweenness_rank": self.betweenness_rank,
            "received": self.received,
            "senders": self.senders,
            "received_by_kind": self.received_by_kind,
            "top_edges": [
                {
                    "source": e.source,
                    "weight": e.weight,
                    "kinds": e.kinds,
                    "evidence": list(e.evidence),
                    "pagerank_share": e.pagerank_share,
                }
                for e in self.top_edges
            ],
            "sentence": self.sentence,
        }


def percentile_ranks(values: FloatArray) -> FloatArray:
    """Share of values at most each one, ties sharing their average rank; in (0, 1]."""
    n = len(values)
    if n == 0:
        return np.zeros(0)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)  # 1-based rank of the last of each tie group
    average = ends - (counts - 1) / 2.0
    return np.asarray(average[inverse] / n, dtype=np.float64)


def _tied_ranks(values: FloatArray) -> FloatArray:
    """1-based ranks, largest first, ties sharing their average rank."""
    n = len(values)
    return np.asarray(n + 1 - percentile_ranks(values) * n, dtype=np.float64)


def comparable(values: FloatArray, digits: int = RANK_DIGITS) -> FloatArray:
    """``values`` rounded to ``digits`` significant digits, so noise in the last bits ties."""
    out = np.array(values, dtype=np.float64)
    nonzero = np.flatnonzero(np.isfinite(out) & (out != 0))
    if len(nonzero):
        exponent = np.floor(np.log10(np.abs(out[nonzero])))
        scale = 10.0 ** (digits - 1 - exponent)
        out[nonzero] = np.round(out[nonzero] * scale) / scale
    return out


def _ranks(by_id: IntArray, primary: FloatArray, *tie_breaks: FloatArray) -> IntArray:
    """1-based ranks, largest first; ties broken by the next arrays, then actor id
    (``by_id``: each vertex's position in the sorted actor ids)."""
    keys = [by_id] + [-t for t in reversed(tie_breaks)] + [-primary]
    order = np.lexsort(keys)
    ranks = np.empty(len(primary), dtype=np.int64)
    ranks[order] = np.arange(1, len(primary) + 1)
    return ranks


def _id_positions(actor_ids: Sequence[str]) -> IntArray:
    positions = np.empty(len(actor_ids), dtype=np.int64)
    positions[np.argsort(np.asarray(actor_ids, dtype=str), kind="stable")] = np.arange(
        len(actor_ids)
    )
    return positions


def _betweenness(
    net: InteractionGraph, seed: int, sample: int | None
) -> tuple[FloatArray, int | None]:
    graph = net.graph
    n, m = graph.vcount(), graph.ecount()
    if sample is None and n * m <= EXACT_BETWEENNESS_WORK:
        return np.asarray(graph.betweenness(directed=True), dtype=np.float64), None
    if sample is None:
        sample = max(MIN_BETWEENNESS_SAMPLE, EXACT_BETWEENNESS_WORK // max(m, 1))
    sample = min(sample, n)
    if sample >= n:
        return np.asarray(graph.betweenness(directed=True), dtype=np.float64), None
    sources = np.random.default_rng(seed).choice(n, size=sample, replace=False)
    partial = graph.betweenness(directed=True, sources=sorted(sources.tolist()))
    return np.asarray(partial, dtype=np.float64) * (n / sample), sample


def score(
    net: InteractionGraph, *, seed: int = 0, betweenness_sample: int | None = None
) -> Importance:
    """Every score of every actor of ``net``.

    ``betweenness_sample`` forces sampling with that many sources (None: exact when the
    graph is small enough, see the module docstring).
    """
    graph = net.graph
    in_degree = np.asarray(graph.indegree(), dtype=np.int64)
    out_degree = np.asarray(graph.outdegree(), dtype=np.int64)
    in_strength = np.asarray(graph.strength(mode="in", weights="weight"), dtype=np.float64)
    out_strength = np.asarray(graph.strength(mode="out", weights="weight"), dtype=np.float64)
    if graph.vcount():
        pagerank = np.asarray(
            graph.pagerank(directed=True, damping=DAMPING, weights="weight"), dtype=np.float64
        )
    else:
        pagerank = np.zeros(0)
    betweenness, sample = _betweenness(net, seed, betweenness_sample)
    pagerank_key, betweenness_key = comparable(pagerank), comparable(betweenness)
    combined = 1.0 / np.cbrt(
        _tied_ranks(pagerank_key) * _tied_ranks(in_strength) * _tied_ranks(betweenness_key)
    )
    by_id = _id_positions(net.actor_ids)
    return Importance(
        actor_ids=net.actor_ids,
        in_degree=in_degree,
        out_degree=out_degree,
        in_strength=in_strength,
        out_strength=out_strength,
        pagerank=pagerank,
        betweenness=betweenness,
        combined=combined,
        rank=_ranks(by_id, combined, pagerank_key),
        pagerank_rank=_ranks(by_id, pagerank_key),
        in_strength_rank=_ranks(by_id, in_strength, pagerank_key),
        betweenness_rank=_ranks(by_id, betweenness_key, pagerank_key),
        betweenness_sample=sample,
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n:,} times"


def explain(
    net: InteractionGraph,
    importance: Importance,
    actor_id: str,
    *,
    top: int = 3,
    labels: Mapping[str, str] | None = None,
    communities: Sequence[int] | None = None,
    vertex: int | None = None,
) -> Explanation:
    """Why ``actor_id`` ranks where it does: the incoming edges that bring it most PageRank.

    ``labels`` (actor id -> handle or name) make the sentence readable; ``communities``
    (community number per vertex) adds where its senders are and which communities it links.
    """
    labels = labels or {}
    if vertex is None:  # callers explaining many actors pass it: finding it is O(vertices)
        try:
            vertex = net.actor_ids.index(actor_id)
        except ValueError:
            raise KeyError(f"{actor_id} is not in the graph") from None
    graph = net.graph
    incoming = np.asarray(graph.incident(vertex, mode="in"), dtype=np.int64)
    sources = net.sources[incoming]
    weights = net.weights[incoming]
    out_strength = importance.out_strength[sources]
    contribution = DAMPING * importance.pagerank[sources] * weights / out_strength
    own = importance.pagerank[vertex]
    order = np.lexsort((sources, -contribution))[:top]
    rows = net.edges.take(incoming).select(["kinds", "kind_counts", "evidence"]).to_pylist()
    by_kind: Counter[str] = Counter()
    for row in rows:
        by_kind.update(dict(zip(row["kinds"], row["kind_counts"], strict=True)))
    top_edges = tuple(
        EdgeReason(
            source=net.actor_ids[int(sources[i])],
            weight=int(weights[i]),
            kinds=dict(zip(rows[i]["kinds"], rows[i]["kind_counts"], strict=True)),
            evidence=tuple(rows[i]["evidence"]),
            pagerank_share=float(contribution[i] / own) if own else 0.0,
        )
        for i in order.tolist()
    )
    received = int(weights.sum())
    senders = len(incoming)
    name = labels.get(actor_id, actor_id)
    parts = [
        f"{name} ranked {_ordinal(int(importance.rank[vertex]))} overall and "
        f"{_ordinal(int(importance.pagerank_rank[vertex]))} by PageRank"
    ]
    if received:
        kinds = ", ".join(
            f"{_VERBS.get(kind, kind)} {_times(n)}"
            for kind, n in sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))
        )
        account_word = "account" if senders == 1 else "accounts"
        parts.append(f"{kinds or _times(received)} by {senders:,} {account_word}")
    else:
        parts.append("nobody addressed it")
    if communities is not None:
        parts.extend(_community_phrases(net, vertex, incoming, communities))
    if len(incoming):
        parts.append(_most_from(net, sources, weights, contribution, own, labels))
    if importance.betweenness[vertex] > 0:
        parts.append(
            f"{_ordinal(int(importance.betweenness_rank[vertex]))} by betweenness "
            "(on the shortest paths between others)"
        )
    return Explanation(
        actor_id=actor_id,
        rank=int(importance.rank[vertex]),
        pagerank_rank=int(importance.pagerank_rank[vertex]),
        betweenness_rank=int(importance.betweenness_rank[vertex]),
        received=received,
        senders=senders,
        received_by_kind=dict(sorted(by_kind.items())),
        top_edges=top_edges,
        sentence=": ".join(parts[:2]) + ("; " + "; ".join(parts[2:]) if parts[2:] else ""),
    )


def _most_from(
    net: InteractionGraph,
    sources: IntArray,
    weights: FloatArray,
    contribution: FloatArray,
    own: float,
    labels: Mapping[str, str],
) -> str:
    """Who addressed it most (interactions, ties to the larger PageRank contribution), and,
    when another account brought it more PageRank, that account and its share."""
    heaviest = int(np.lexsort((-contribution, -weights))[0])
    strongest = int(np.argmax(contribution))

    def name(i: int) -> str:
        actor = net.actor_ids[int(sources[i])]
        return labels.get(actor, actor)

    def share(i: int) -> str:
        return f"{contribution[i] / own:.0%} of its PageRank" if own else "no PageRank"

    phrase = f"most from {name(heaviest)} ({_times(int(weights[heaviest]))}, {share(heaviest)})"
    if strongest != heaviest and contribution[strongest] > contribution[heaviest]:
        phrase += f"; its PageRank most from {name(strongest)} ({share(strongest)})"
    return phrase


def _community_phrases(
    net: InteractionGraph, vertex: int, incoming: IntArray, communities: Sequence[int]
) -> list[str]:
    membership = np.asarray(communities, dtype=np.int64)
    phrases = []
    senders = membership[net.sources[incoming]]
    if len(senders):
        values, counts = np.unique(senders, return_counts=True)
        best = int(np.argmax(counts))
        phrases.append(
            f"{counts[best] / len(senders):.0%} of them in community {int(values[best])}"
        )
    # Its ties, made and received, by the community at their other end: the three largest.
    edges = net.graph.incident(vertex, mode="all")
    if edges:
        ends = np.where(net.sources[edges] == vertex, net.targets[edges], net.sources[edges])
        totals: Counter[int] = Counter()
        for community, weight in zip(
            membership[ends].tolist(), net.weights[edges].tolist(), strict=True
        ):
            totals[int(community)] += weight
        whole = sum(totals.values())
        if len(totals) > 1 and whole:
            main = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:MAIN_COMMUNITIES]
            shares = ", ".join(f"community {c} {w / whole:.0%}" for c, w in main)
            more = len(totals) - len(main)
            phrases.append(f"its ties: {shares}" + (f" and {more} more" if more else ""))
    return phrases

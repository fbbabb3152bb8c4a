"""Reach from a watchlist: every actor within k hops of the watched ones, with the evidence.

Reachability ignores direction (an actor who mentions a watched account is in contact with it
as much as one it mentions), but each hop records which way the interactions went. Two actors
are one hop apart when there is at least one interaction between them, either way, of the
selected kinds; the hop's weight ``w`` is the number of those interactions, both directions
added.

**Path.** A breadth-first search from all watched actors at once gives each reached actor its
distance ``h`` (hops) to the nearest watched one. Among the shortest paths, the one kept is the
strongest (largest ``q`` below); ties go to the heavier last hop, then to the predecessor with
the smaller actor id. Each actor keeps exactly one path, and the path to an actor extends the
path to its predecessor, so the result is a tree rooted at the watched actors and does not
depend on the order edges are stored in.

**Score.** ``score = (1 + q) / 2**h`` with ``q = prod(w_i / (w_i + 1))`` over the path's hops.

- ``w / (w + 1)`` is a hop's strength in (0, 1): 1 interaction gives 0.5, 3 give 0.75, 9 give
  0.9: each further interaction counts, less and less. ``q`` multiplies them, so every hop of
  the path counts and a weak hop drags the whole path down; ``q`` lies in (0, 1).
- ``(1 + q) / 2**h`` therefore lies in (2**-h, 2**-(h-1)): direct contacts score in (0.5, 1),
  actors two hops away in (0.25, 0.5), and so on. An actor closer to the watchlist always
  outranks one further away, whatever the volumes, so the ranking reads "distance first, then
  contact volume along the path", a rule an analyst can state in one sentence.
- More interactions on any hop never lower a score (every factor grows, and the path kept is
  the best one); a new interaction can only shorten a distance, which raises the score.

Rejected alternatives: the weakest hop alone (``min(w) ** 0.5 / 2**(h-1)``) is unbounded and
lets a heavy two-hop path outrank a direct contact; summing over all paths double-counts and
cannot be shown as one chain of posts.

**Evidence.** Each hop carries the post ids kept on its edges (``InteractionGraph.edges``
column ``evidence``: the earliest posts per pair), the direction ``source -> target`` first.
With ``kinds``, weights and counts use the selected kinds only, but an edge's evidence posts
were chosen over all the kinds the graph was built with: build the graph with
``EdgeFilter(kinds=...)`` when the evidence must be of those kinds only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from veille.analyze.graph import InteractionGraph
from veille.store.watchlist import match_actors

__all__ = ["Hop", "ReachResult", "Reached", "reach", "resolve_watchlist", "score"]

Direction = Literal["out", "in", "both"]


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path, from the actor nearer the watchlist (``source``) to the next."""

    source: str  # actor id
    target: str  # actor id
    direction: Direction  # out: source addressed target; in: target addressed source; both
    weight: float  # interactions between them, both directions, of the selected kinds
    kinds: dict[str, int]  # the same, per kind (empty for graphs built without kinds)
    evidence: tuple[str, ...]  # post ids, source -> target edge first

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "direction": self.direction,
            "weight": self.weight,
            "kinds": self.kinds,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Reached:
    """An actor within reach, its nearest watched actor and the path that shows it."""

    actor_id: str
    watch_actor_id: str
    hops: int
    score: float
    path: tuple[str, ...]  # actor ids, watched actor first, this actor last
    steps: tuple[Hop, ...]  # len(path) - 1 hops

    def row(self) -> dict[str, Any]:
        """The columns of the ``reach`` table (without ``run_id``)."""
        return {
            "actor_id": self.actor_id,
            "watch_actor_id": self.watch_actor_id,
            "hops": self.hops,
            "score": self.score,
            "path": list(self.path),
            "evidence": [list(step.evidence) for step in self.steps],
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.row(), "steps": [step.as_dict() for step in self.steps]}


@dataclass(frozen=True, slots=True)
class ReachResult:
    """Everyone within ``hops`` of the watched actors, best score first (then actor id)."""

    watched: tuple[str, ...]  # watched actor ids found in the graph
    absent: tuple[str, ...]  # watched actor ids with no interaction in the graph
    hops: int
    kinds: tuple[str, ...]  # empty: all
    reached: tuple[Reached, ...]

    def parameters(self) -> dict[str, Any]:
        """The parameters of the search, JSON-ready, for a run."""
        return {
            "watch": sorted(self.watched + self.absent),
            "hops": self.hops,
            "kinds": list(self.kinds),
        }

    def rows(self) -> list[dict[str, Any]]:
        return [r.row() for r in self.reached]


def score(weights: Sequence[float]) -> float:
    """The score of a path whose hops have these weights (see the module docstring)."""
    q = 1.0
    for w in weights:
        q *= w / (w + 1.0)
    return (1.0 + q) / 2.0 ** len(weights)


def _hop_weights(net: InteractionGraph, kinds: Collection[str]) -> npt.NDArray[np.float64]:
    """Per directed edge: its weight over the selected kinds (all when ``kinds`` is empty)."""
    if not kinds:
        return net.weights
    kind_lists = net.edges.column("kinds").combine_chunks()
    count_lists = net.edges.column("kind_counts").combine_chunks()
    parents = np.asarray(pc.list_parent_indices(kind_lists).to_numpy(), dtype=np.int64)
    selected = pc.is_in(kind_lists.flatten(), value_set=pa.array(sorted(kinds), pa.string()))
    mask = np.asarray(selected.to_numpy(zero_copy_only=False), dtype=bool)
    counts = np.asarray(count_lists.flatten().to_numpy(), dtype=np.float64)
    summed = np.bincount(parents[mask], weights=counts[mask], minlength=net.edges.num_rows)
    return np.asarray(summed, dtype=np.float64)


def reach(
    net: InteractionGraph,
    watch: Sequence[str],
    hops: int = 2,
    kinds: Collection[str] = (),
) -> ReachResult:
    """Every actor within ``hops`` hops of the actor ids in ``watch``, either direction.

    ``kinds`` restricts the interactions that make a hop (empty: all). Watched ids that are
    not in the graph are listed in ``ReachResult.absent``, never dropped. See the module
    docstring for the path, the score and the evidence.
    """
    if hops < 1:
        raise ValueError("hops must be at least 1")
    ids = net.actor_ids
    vertex = {actor_id: v for v, actor_id in enumerate(ids)}
    unique = list(dict.fromkeys(watch))
    watched = sorted(a for a in unique if a in vertex)
    absent = tuple(a for a in unique if a not in vertex)
    weight = _hop_weights(net, kinds).tolist()
    sources, targets = net.sources.tolist(), net.targets.tolist()
    graph = net.graph

    quality: dict[int, float] = {vertex[a]: 1.0 for a in watched}
    distance: dict[int, int] = dict.fromkeys(quality, 0)
    # vertex -> (predecessor, hop weight, edge predecessor -> vertex, edge vertex -> predecessor)
    parent: dict[int, tuple[int, float, int | None, int | None]] = {}
    frontier = [vertex[a] for a in watched]
    for level in range(1, hops + 1):
        best: dict[int, tuple[float, float, str, int, int | None, int | None]] = {}
        for u in frontier:
            links: dict[int, list[Any]] = {}  # neighbour -> [weight, out edge, in edge]
            for e in graph.incident(u, mode="out"):
                if weight[e] > 0:
                    links.setdefault(targets[e], [0.0, None, None])
                    links[targets[e]][0] += weight[e]
                    links[targets[e]][1] = e
            for e in graph.incident(u, mode="in"):
                if weight[e] > 0:
                    links.setdefault(sources[e], [0.0, None, None])
                    links[sources[e]][0] += weight[e]
                    links[sources[e]][2] = e
            for v, (w, out_edge, in_edge) in links.items():
                if v in distance:
                    continue
                candidate = (quality[u] * (w / (w + 1.0)), w, ids[u], u, out_edge, in_edge)
                current = best.get(v)
                if current is None or _better(candidate, current):
                    best[v] = candidate
        for v, (q, w, _, u, out_edge, in_edge) in best.items():
            quality[v] = q
            distance[v] = level
            parent[v] = (u, w, out_edge, in_edge)
        frontier = list(best)
        if not frontier:
            break
    return ReachResult(
        watched=tuple(watched),
        absent=absent,
        hops=hops,
        kinds=tuple(sorted(kinds)),
        reached=_paths(net, parent, distance, quality, kinds),
    )


def _better(
    a: tuple[float, float, str, int, int | None, int | None],
    b: tuple[float, float, str, int, int | None, int | None],
) -> bool:
    """Stronger path first, then heavier last hop, then smaller predecessor actor id."""
    if a[0] != b[0]:
        return a[0] > b[0]
    if a[1] != b[1]:
        return a[1] > b[1]
    return a[2] < b[2]


def _paths(
    net: InteractionGraph,
    parent: dict[int, tuple[int, float, int | None, int | None]],
    distance: dict[int, int],
    quality: dict[int, float],
    kinds: Collection[str],
) -> tuple[Reached, ...]:
    ids = net.actor_ids
    used = sorted({e for _, _, o, i in parent.values() for e in (o, i) if e is not None})
    details = net.edges.take(pa.array(used, pa.int64())).select(
        ["kinds", "kind_counts", "evidence"]
    )
    per_edge = dict(zip(used, details.to_pylist(), strict=True))
    reached = []
    for v in parent:
        chain = [v]
        while chain[-1] in parent:
            chain.append(parent[chain[-1]][0])
        chain.reverse()
        steps = []
        for u, nxt in pairwise(chain):
            _, w, out_edge, in_edge = parent[nxt]
            counts: dict[str, int] = {}
            evidence: list[str] = []
            for e in (out_edge, in_edge):
                if e is None:
                    continue
                row = per_edge[e]
                for kind, n in zip(row["kinds"], row["kind_counts"], strict=True):
                    if not kinds or kind in kinds:
                        counts[kind] = counts.get(kind, 0) + n
                evidence.extend(p for p in row["evidence"] if p not in evidence)
            direction: Direction = (
                "both"
                if out_edge is not None and in_edge is not None
                else "out"
                if out_edge is not None
                else "in"
            )
            steps.append(
                Hop(
                    source=ids[u],
                    target=ids[nxt],
                    direction=direction,
                    weight=w,
                    kinds=dict(sorted(counts.items())),
                    evidence=tuple(evidence),
                )
            )
        h = distance[v]
        reached.append(
            Reached(
                actor_id=ids[v],
                watch_actor_id=ids[chain[0]],
                hops=h,
                score=(1.0 + quality[v]) / 2.0**h,
                path=tuple(ids[x] for x in chain),
                steps=tuple(steps),
            )
        )
    reached.sort(key=lambda r: (-r.score, r.actor_id))
    return tuple(reached)


def _parse(line: str) -> tuple[str | None, str]:
    """(platform or None, handle without its @) of a watchlist line."""
    platform, colon, handle = line.partition(":")
    if colon and platform.strip() and handle.strip():
        return platform.strip(), handle.strip().removeprefix("@")
    return None, line.removeprefix("@")


def resolve_watchlist(
    con: duckdb.DuckDBPyConnection, lines: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Actor ids for watchlist lines, and the lines that match no actor.

    A line is an actor id, ``platform:handle`` or a bare handle (a leading ``@`` is dropped;
    handles and platforms compare ignoring case). A bare handle matches that handle on every
    platform. Blank lines and lines starting with ``#`` are skipped. An exact actor id wins
    over a handle. Found ids come once each, in the order of the lines; unknown lines come
    back as written (stripped), so the caller can report them.
    """
    entries = [line.strip() for line in lines]
    entries = [e for e in entries if e and not e.startswith("#")]
    parsed = [_parse(e) for e in entries]
    matches = match_actors(con, entries, [p for p, _ in parsed], [h for _, h in parsed])
    by_entry: dict[int, dict[str, list[str]]] = {}
    for number, actor_id, how in matches:
        by_entry.setdefault(number, {}).setdefault(how, []).append(actor_id)
    found: dict[str, None] = {}
    unknown: list[str] = []
    for n, entry in enumerate(entries):
        hits = by_entry.get(n, {})
        ids = hits.get("id") or hits.get("handle") or []
        if not ids:
            unknown.append(entry)
        found.update(dict.fromkeys(ids))
    return list(found), unknown

"""Communities of an interaction graph: Leiden on modularity, seeded and deterministic.

The directed graph is first collapsed to an undirected one, the weight of a pair being the
interactions in both directions (u -> v plus v -> u): a community is a group that talks among
itself, whoever starts. Leiden (igraph's ``community_leiden``, objective modularity) runs until
an iteration changes nothing. igraph draws its random numbers from the generator set with
``igraph.set_random_number_generator``; :func:`detect` sets a ``random.Random(seed)`` for the
call and puts the previous one back, so the same graph and seed give the same partition.

Communities are numbered by size, largest first (ties: the one holding the smallest vertex
number first), so the numbers do not depend on the order Leiden found them in.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import igraph
import numpy as np
import numpy.typing as npt

from veille.analyze.graph import InteractionGraph

__all__ = ["Communities", "Community", "adjusted_rand_index", "detect"]

IntArray = npt.NDArray[np.int64]

# igraph's generator is process-wide: one detection at a time sets and restores it.
_RNG_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Community:
    number: int
    size: int
    internal_weight: float  # interactions inside the community
    top_accounts: tuple[tuple[str, float], ...]  # (actor id, interactions inside), most first


@dataclass(frozen=True, slots=True)
class Communities:
    """A partition of the graph's vertices (``membership[v]`` is v's community number)."""

    membership: IntArray
    modularity: float
    communities: tuple[Community, ...]
    seed: int
    resolution: float

    def of(self, actor_ids: Sequence[str]) -> dict[str, int]:
        """Community number per actor id, for the ids given in vertex order."""
        return dict(zip(actor_ids, self.membership.tolist(), strict=True))

    def summary(self) -> list[dict[str, Any]]:
        return [
            {
                "community": c.number,
                "size": c.size,
                "internal_weight": c.internal_weight,
                "top_accounts": [{"actor_id": a, "weight": w} for a, w in c.top_accounts],
            }
            for c in self.communities
        ]


def undirected(net: InteractionGraph) -> igraph.Graph:
    """The graph with each pair's two directions summed into one undirected edge."""
    return net.graph.as_undirected(mode="collapse", combine_edges={"weight": "sum"})


def detect(
    net: InteractionGraph, *, seed: int = 0, resolution: float = 1.0, top: int = 5
) -> Communities:
    """Leiden communities of ``net`` (see the module docstring), with their top accounts.

    An actor's weight inside its community is the interactions it makes and receives with
    other members; ``top`` actors by that weight are listed per community.
    """
    simple = undirected(net)
    n = simple.vcount()
    if n == 0:
        return Communities(np.zeros(0, dtype=np.int64), 0.0, (), seed, resolution)
    with _RNG_LOCK:
        previous = random.getstate()  # igraph's default generator is the random module
        igraph.set_random_number_generator(random.Random(seed))
        try:
            partition = simple.community_leiden(
                objective_function="modularity",
                weights="weight",
                resolution=resolution,
                n_iterations=-1,
            )
        finally:
            igraph.set_random_number_generator(random)
            random.setstate(previous)
    raw = np.asarray(partition.membership, dtype=np.int64)
    membership = _renumber(raw)
    modularity = float(
        simple.modularity(membership.tolist(), weights="weight", resolution=resolution)
    )
    return Communities(
        membership=membership,
        modularity=modularity,
        communities=_describe(net, simple, membership, top),
        seed=seed,
        resolution=resolution,
    )


def _renumber(raw: IntArray) -> IntArray:
    """Number communities by size (largest first), then by their smallest vertex."""
    labels, first, counts = np.unique(raw, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    number = np.empty(len(labels), dtype=np.int64)
    number[order] = np.arange(len(labels))
    return np.asarray(number[np.searchsorted(labels, raw)], dtype=np.int64)


def _describe(
    net: InteractionGraph, simple: igraph.Graph, membership: IntArray, top: int
) -> tuple[Community, ...]:
    edges = np.asarray(simple.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    weights = np.asarray(simple.es["weight"] if simple.ecount() else [], dtype=np.float64)
    inside = membership[edges[:, 0]] == membership[edges[:, 1]]
    n = len(membership)
    own = np.bincount(edges[inside, 0], weights[inside], minlength=n) + np.bincount(
        edges[inside, 1], weights[inside], minlength=n
    )
    count = int(membership.max()) + 1
    internal = np.bincount(membership[edges[inside, 0]], weights[inside], minlength=count)
    sizes = np.bincount(membership, minlength=count)
    result = []
    for number in range(count):
        members = np.flatnonzero(membership == number)
        best = members[np.lexsort((members, -own[members]))][:top]
        result.append(
            Community(
                number=number,
                size=int(sizes[number]),
                internal_weight=float(internal[number]),
                top_accounts=tuple((net.actor_ids[v], float(own[v])) for v in best.tolist()),
            )
        )
    return tuple(result)


def adjusted_rand_index(left: Sequence[Any], right: Sequence[Any]) -> float:
    """Adjusted Rand index of two labellings of the same items (Hubert and Arabie 1985).

    1 for identical partitions, about 0 for independent ones.
    """
    if len(left) != len(right):
        raise ValueError("both labellings must cover the same items")
    n = len(left)
    if n < 2:
        return 1.0
    _, a = np.unique(np.asarray(left, dtype=object).astype(str), return_inverse=True)
    _, b = np.unique(np.asarray(right, dtype=object).astype(str), return_inverse=True)
    table = np.zeros((int(a.max()) + 1, int(b.max()) + 1), dtype=np.float64)
    np.add.at(table, (a, b), 1.0)

    def pairs(x: npt.NDArray[np.float64]) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = n * (n - 1) / 2
    expected = rows * cols / total
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)

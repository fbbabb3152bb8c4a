"""Tied accounts keep their order from one `veille network` run to the next.

igraph sums PageRank on several OpenMP threads, in an order that varies between runs: equal
scores came out differing in their last bits (measured: up to 5e-12 relative), and tied
accounts swapped places (6 reruns gave 3 orders). Ranks compare scores to RANK_DIGITS
significant digits, then break ties by actor id.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from veille.analyze.graph import graph_from_edges
from veille.analyze.importance import comparable, score


@given(
    st.floats(min_value=1e-12, max_value=1.0, allow_nan=False),
    st.lists(st.floats(min_value=-5e-12, max_value=5e-12), min_size=2, max_size=20),
)
def test_noise_in_the_last_bits_ties(value: float, noise: list[float]) -> None:
    noisy = np.array([value * (1 + e) for e in noise])
    rounded = comparable(noisy)
    # A tie group can only split if the value sits on a rounding boundary (odds ~1e-5).
    boundary = abs(comparable(np.array([value]))[0] - value) >= 0.49 * 10 ** (
        np.floor(np.log10(value)) - 5
    )
    if not boundary:
        assert len(set(rounded.tolist())) == 1


def test_comparable_keeps_real_differences_and_zeros() -> None:
    values = np.array([0.0, 1.5e-7, 1.5002e-7, 0.25, 0.250003, np.inf])
    rounded = comparable(values)
    assert rounded[0] == 0.0
    assert rounded[1] != rounded[2]
    assert rounded[3] != rounded[4]
    assert rounded[5] == np.inf


def _star(ids: list[str]) -> tuple[list[str], list[int], list[int], list[float]]:
    """A hub that mentions every leaf once: all leaves are tied on every score."""
    actor_ids = ["hub", *ids]
    return actor_ids, [0] * len(ids), list(range(1, len(ids) + 1)), [1.0] * len(ids)


def test_tied_accounts_rank_by_actor_id_whatever_the_vertex_order() -> None:
    leaves = [f"leaf{n:02d}" for n in range(40)]
    expected = sorted(leaves)
    for shuffled in (leaves, list(reversed(leaves)), leaves[::3] + leaves[1::3] + leaves[2::3]):
        importance = score(graph_from_edges(*_star(shuffled)))
        ranked = [row["actor_id"] for row in importance.rows()]
        assert [a for a in ranked if a != "hub"] == expected


def test_reruns_give_the_same_ranks() -> None:
    # A random core whose first 200 accounts each mention 30 accounts of their own: many
    # groups of tied accounts, and a PageRank large enough for igraph to use its threads.
    rng = np.random.default_rng(3)
    core = 2000
    sources = rng.integers(0, core, 6000)
    targets = (sources + rng.integers(1, core, 6000)) % core
    pairs = set(zip(sources.tolist(), targets.tolist(), strict=True))
    pairs |= {(hub, core + hub * 30 + k) for hub in range(200) for k in range(30)}
    ordered = sorted(pairs)
    ids = [f"actor{v:05d}" for v in range(core + 200 * 30)]
    net = graph_from_edges(
        ids, [s for s, _ in ordered], [t for _, t in ordered], [1.0 + s % 3 for s, _ in ordered]
    )
    first = score(net).rank.tolist()
    for _ in range(5):
        assert score(net).rank.tolist() == first

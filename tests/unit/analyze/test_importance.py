"""Importance scores against networkx and against values computed by hand."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from tests.unit.analyze.conftest import random_graph
from veille.analyze.graph import graph_from_edges
from veille.analyze.importance import explain, percentile_ranks, score


def reference_pagerank(graph: nx.DiGraph) -> dict[int, float]:
    # networkx's default pagerank needs scipy, which veille does not install; the pure
    # Python power iteration is the same algorithm (dangling mass spread uniformly).
    return _pagerank_python(graph, alpha=0.85, weight="weight", tol=1e-13, max_iter=10_000)


@pytest.mark.parametrize(("n", "m", "seed"), [(12, 30, 1), (60, 400, 2), (400, 3000, 3)])
def test_scores_match_networkx(n, m, seed):
    net, reference = random_graph(n, m, seed)
    scores = score(net)
    nodes = list(range(n))
    assert scores.in_degree.tolist() == [reference.in_degree(v) for v in nodes]
    assert scores.out_degree.tolist() == [reference.out_degree(v) for v in nodes]
    assert scores.in_strength.tolist() == [reference.in_degree(v, weight="weight") for v in nodes]
    assert scores.out_strength.tolist() == [reference.out_degree(v, weight="weight") for v in nodes]
    pagerank = reference_pagerank(reference)
    assert np.abs(scores.pagerank - [pagerank[v] for v in nodes]).max() < 1e-6
    # unweighted, directed, not normalised: see the module docstring
    assert scores.betweenness_sample is None
    betweenness = nx.betweenness_centrality(reference, normalized=False, weight=None)
    assert scores.betweenness == pytest.approx([betweenness[v] for v in nodes], rel=1e-9, abs=1e-9)


def test_sampled_betweenness_reports_its_sample_and_estimates():
    net, _ = random_graph(400, 3000, 4)
    exact = score(net).betweenness
    sampled = score(net, betweenness_sample=100, seed=1)
    assert sampled.betweenness_sample == 100
    assert np.array_equal(
        sampled.betweenness, score(net, betweenness_sample=100, seed=1).betweenness
    )
    # an unbiased estimate: totals close, and the top actors found again
    assert sampled.betweenness.sum() == pytest.approx(exact.sum(), rel=0.1)
    top_exact = set(np.argsort(-exact)[:10].tolist())
    top_sampled = set(np.argsort(-sampled.betweenness)[:20].tolist())
    assert len(top_exact & top_sampled) >= 7
    # a sample as large as the graph is the exact computation
    assert score(net, betweenness_sample=400).betweenness_sample is None


# Toy graph, by hand: d -> a -> b -> c -> a (a 3-cycle fed by d), every weight 1 but
# a -> b, weight 2 (weights change nothing here: a has one way out).
TOY_IDS = ["a", "b", "c", "d"]
TOY = [(0, 1, 2.0), (1, 2, 1.0), (2, 0, 1.0), (3, 0, 1.0)]


def toy():
    return graph_from_edges(TOY_IDS, *zip(*TOY, strict=True))


def test_toy_graph_by_hand():
    scores = score(toy())
    assert scores.in_degree.tolist() == [2, 1, 1, 0]
    assert scores.out_degree.tolist() == [1, 1, 1, 1]
    assert scores.in_strength.tolist() == [2, 2, 1, 0]
    assert scores.out_strength.tolist() == [2, 1, 1, 1]
    # PageRank, no dangling node: p = 0.15/4 + 0.85 * (sum of what points at it), so
    # d = 3/80; b = 3/80 + 0.85 a; c = 3/80 + 0.85 b; a = 3/80 + 0.85 (c + d)
    base, d = Fraction(3, 80), Fraction(17, 20)
    a = (base + d * (base + d * base) + d * base) / (1 - d**3)
    b = base + d * a
    c = base + d * b
    assert a + b + c + base == 1
    assert scores.pagerank == pytest.approx([float(a), float(b), float(c), float(base)], abs=1e-12)
    # shortest paths through each: a on d->b, d->c, c->b; b on d->c, a->c; c on b->a
    assert scores.betweenness.tolist() == [3, 2, 1, 0]
    # combined: 1 / geometric mean of the ranks by (PageRank, in-strength, betweenness),
    # ties sharing their average rank: a (1, 1.5, 1), b (2, 1.5, 2), c (3, 3, 3), d (4, 4, 4)
    assert scores.combined == pytest.approx([1.5 ** (-1 / 3), 6 ** (-1 / 3), 1 / 3, 1 / 4])
    assert scores.in_strength_rank.tolist() == [1, 2, 3, 4]  # the tie broken by PageRank
    assert scores.rank.tolist() == [1, 2, 3, 4]
    assert [row["actor_id"] for row in scores.rows()] == ["a", "b", "c", "d"]


def test_percentile_ranks_share_ties():
    ranks = percentile_ranks(np.array([5.0, 1.0, 5.0, 0.0]))
    assert ranks.tolist() == [0.875, 0.5, 0.875, 0.25]


def test_explanation_names_the_edges_that_make_the_rank():
    net = toy()
    scores = score(net)
    why = explain(net, scores, "a", labels={"c": "@cee", "d": "@dee", "a": "@ay"})
    assert why.rank == 1
    assert why.received == 2
    assert why.senders == 2
    # c brings 0.85 * pagerank(c), d brings 0.85 * 3/80: c first
    assert [e.source for e in why.top_edges] == ["c", "d"]
    shares = sum(e.pagerank_share for e in why.top_edges)
    assert shares == pytest.approx(1 - 0.0375 / scores.pagerank[0])
    assert why.sentence.startswith("@ay ranked 1st overall and 1st by PageRank: ")
    assert "by 2 accounts" in why.sentence
    assert "most from @cee (once" in why.sentence
    assert why.as_dict()["top_edges"][0]["source"] == "c"
    with pytest.raises(KeyError):
        explain(net, scores, "zz")


def test_empty_graph_scores_nothing():
    scores = score(graph_from_edges([], [], [], []))
    assert scores.rows() == []


def test_most_from_is_the_biggest_sender_and_pagerank_is_named_apart():
    # t hears 5 times from the quiet s, once from h, whom 30 accounts address (a hub):
    # s sent most, h brought most PageRank; the reason says both, each literally true.
    ids = ["t", "s", "h", *[f"f{i}" for i in range(30)]]
    edges = [(1, 0, 5.0), (2, 0, 1.0), *[(3 + i, 2, 1.0) for i in range(30)]]
    net = graph_from_edges(ids, *zip(*edges, strict=True))
    scores = score(net)
    why = explain(net, scores, "t", labels={"s": "@s", "h": "@hub"})
    assert "most from @s (5 times, " in why.sentence
    assert "; its PageRank most from @hub (" in why.sentence


def test_a_reason_names_three_communities_at_most_with_their_shares():
    # a's ties: 4 to community 1, 3 to 2, 2 to 3, 1 to 4 (and it sits in 0)
    ids = ["a", *[f"n{i}" for i in range(10)]]
    communities = [0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4]
    edges = [(i + 1, 0, 1.0) for i in range(10)]
    net = graph_from_edges(ids, *zip(*edges, strict=True))
    why = explain(net, score(net), "a", communities=communities)
    assert "its ties: community 1 40%, community 2 30%, community 3 20% and 1 more" in (
        why.sentence
    )

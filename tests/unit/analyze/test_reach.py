"""Reach from a watchlist: hand-checked paths, scores and evidence; properties; the watchlist."""

from __future__ import annotations

import itertools
import math

import duckdb
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.analyze.conftest import add_interactions
from veille.analyze.graph import InteractionGraph, build_graph, graph_from_edges
from veille.analyze.reach import reach, resolve_watchlist, score

ROWS = [
    # kind, source, target, post, platform, hours after T0
    ("mention", "w", "a", "p1", "twitter", 1),
    ("mention", "w", "a", "p2", "twitter", 2),
    ("mention", "w", "a", "p3", "twitter", 3),
    ("reply", "a", "w", "p4", "twitter", 4),
    ("forward", "b", "w", "p5", "telegram", 5),
    ("mention", "a", "c", "p6", "twitter", 6),
    ("mention", "a", "c", "p7", "twitter", 7),
    *(("mention", "b", "c", f"p{n}", "twitter", n) for n in range(8, 13)),
    ("mention", "c", "d", "p13", "twitter", 13),
    ("mention", "e", "f", "p14", "twitter", 14),
    ("mention", "v", "h", "p15", "twitter", 15),
    ("mention", "v", "i", "p16", "twitter", 16),
    ("mention", "h", "j", "p17", "twitter", 17),
    ("mention", "i", "j", "p18", "twitter", 18),
]


@pytest.fixture
def net(store: duckdb.DuckDBPyConnection) -> InteractionGraph:
    add_interactions(store, ROWS)
    return build_graph(store)


def by_actor(result):
    return {r.actor_id: r for r in result.reached}


def test_paths_scores_and_evidence_by_hand(net):
    result = reach(net, ["w", "v", "zzz"], hops=2)
    assert result.watched == ("v", "w")
    assert result.absent == ("zzz",)
    # a: 3 mentions w -> a and 1 reply a -> w: w = 4, q = 4/5, score (1 + 0.8) / 2
    # b: 1 forward b -> w: q = 1/2; c: via a (0.8 * 2/3) beats via b (0.5 * 5/6)
    expected = {
        "a": (1, 0.9, ("w", "a")),
        "b": (1, 0.75, ("w", "b")),
        "h": (1, 0.75, ("v", "h")),
        "i": (1, 0.75, ("v", "i")),
        "c": (2, (1 + 0.8 * 2 / 3) / 4, ("w", "a", "c")),
        "j": (2, (1 + 0.25) / 4, ("v", "h", "j")),  # tie with v, i, j: smaller id h
    }
    found = by_actor(result)
    assert set(found) == set(expected)  # d is 3 hops away; e and f are not connected
    for actor_id, (hops, value, path) in expected.items():
        assert found[actor_id].hops == hops
        assert found[actor_id].score == pytest.approx(value, abs=1e-12)
        assert found[actor_id].path == path
        assert found[actor_id].watch_actor_id == path[0]
    assert [r.actor_id for r in result.reached] == ["a", "b", "h", "i", "c", "j"]
    wa, ac = found["c"].steps
    assert (wa.source, wa.target, wa.direction, wa.weight) == ("w", "a", "both", 4)
    assert wa.kinds == {"mention": 3, "reply": 1}
    assert wa.evidence == ("p1", "p2", "p3", "p4")
    assert (ac.source, ac.target, ac.direction, ac.weight) == ("a", "c", "out", 2)
    assert ac.evidence == ("p6", "p7")
    (wb,) = found["b"].steps
    assert (wb.direction, wb.weight, wb.kinds, wb.evidence) == ("in", 1, {"forward": 1}, ("p5",))


def test_rows_fit_the_reach_table(net):
    row = by_actor(reach(net, ["w"]))["c"].row()
    assert row == {
        "actor_id": "c",
        "watch_actor_id": "w",
        "hops": 2,
        "score": pytest.approx((1 + 0.8 * 2 / 3) / 4),
        "path": ["w", "a", "c"],
        "evidence": [["p1", "p2", "p3", "p4"], ["p6", "p7"]],
    }


def test_more_hops_reach_further(net):
    found = by_actor(reach(net, ["w"], hops=3))
    assert found["d"].path == ("w", "a", "c", "d")
    assert found["d"].score == pytest.approx((1 + 0.8 * 2 / 3 * 0.5) / 8)
    assert set(by_actor(reach(net, ["w"], hops=1))) == {"a", "b"}


def test_kinds_select_the_hops(net):
    found = by_actor(reach(net, ["w"], hops=2, kinds=["mention"]))
    # the forward b -> w and the reply a -> w no longer count; b is 3 hops away (w, a, c, b)
    assert set(found) == {"a", "c"}
    (wa,) = found["a"].steps
    # the reply a -> w is no hop of this kind: one direction left, and its posts only
    assert (wa.direction, wa.weight, wa.kinds) == ("out", 3, {"mention": 3})
    assert wa.evidence == ("p1", "p2", "p3")
    assert found["a"].score == pytest.approx((1 + 3 / 4) / 2)


def test_bad_hops_and_empty_watch(net):
    with pytest.raises(ValueError, match="hops"):
        reach(net, ["w"], hops=0)
    result = reach(net, [])
    assert result.reached == ()
    assert result.absent == ()


# -- properties, on random graphs built from plain arrays --------------------------------------

N = 8


@st.composite
def graphs(draw):
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, N - 1), st.integers(0, N - 1)).filter(lambda p: p[0] != p[1]),
            unique=True,
            max_size=20,
        )
    )
    weights = draw(st.lists(st.integers(1, 20), min_size=len(pairs), max_size=len(pairs)))
    return sorted(zip(pairs, weights, strict=True))


def make(edges):
    ids = [f"n{v}" for v in range(N)]
    return graph_from_edges(
        ids, [s for (s, _), _ in edges], [t for (_, t), _ in edges], [float(w) for _, w in edges]
    )


watches = st.lists(st.integers(0, N - 1), min_size=1, max_size=3).map(
    lambda vs: [f"n{v}" for v in vs]
)


@settings(max_examples=150, deadline=None)
@given(graphs(), watches, st.integers(1, 3), st.data())
def test_more_interactions_never_lower_a_score(edges, watch, hops, data):
    before = by_actor(reach(make(edges), watch, hops))
    if edges and data.draw(st.booleans()):
        j = data.draw(st.integers(0, len(edges) - 1))
        pair, w = edges[j]
        changed = [*edges[:j], (pair, w + data.draw(st.integers(1, 50))), *edges[j + 1 :]]
    else:
        s, t = data.draw(st.integers(0, N - 1)), data.draw(st.integers(0, N - 1))
        if s == t or (s, t) in {p for p, _ in edges}:
            return
        changed = sorted([*edges, ((s, t), data.draw(st.integers(1, 20)))])
    after = by_actor(reach(make(changed), watch, hops))
    for actor_id, r in before.items():
        assert actor_id in after
        assert after[actor_id].score >= r.score
        assert after[actor_id].hops <= r.hops


@settings(max_examples=150, deadline=None)
@given(graphs(), watches, st.integers(1, 3))
def test_paths_are_shortest_strongest_and_closer_always_ranks_higher(edges, watch, hops):
    net = make(edges)
    result = reach(net, watch, hops)
    undirected = nx.Graph()
    undirected.add_nodes_from(net.actor_ids)
    for (s, t), w in edges:
        a, b = net.actor_ids[s], net.actor_ids[t]
        previous = undirected.edges[a, b]["weight"] if undirected.has_edge(a, b) else 0
        undirected.add_edge(a, b, weight=previous + w)
    distance = nx.multi_source_dijkstra_path_length(
        undirected, set(watch), cutoff=hops, weight=lambda *_: 1
    )
    found = by_actor(result)
    assert set(found) == {a for a, d in distance.items() if d >= 1}
    for actor_id, r in found.items():
        assert r.hops == distance[actor_id] == len(r.path) - 1
        assert r.path[0] in watch
        assert r.path[-1] == actor_id
        weights = [undirected.edges[u, v]["weight"] for u, v in itertools.pairwise(r.path)]
        assert [s.weight for s in r.steps] == weights
        assert r.score == pytest.approx(score(weights), rel=1e-12)
        assert 2.0**-r.hops < r.score <= 2.0 ** -(r.hops - 1)
        # the best of all shortest paths from any watched actor
        best = max(
            score([undirected.edges[u, v]["weight"] for u, v in itertools.pairwise(path)])
            for root in watch
            if nx.has_path(undirected, root, actor_id)
            and nx.shortest_path_length(undirected, root, actor_id) == r.hops
            for path in nx.all_shortest_paths(undirected, root, actor_id)
        )
        assert r.score == pytest.approx(best, rel=1e-12)
    for x, y in itertools.combinations(result.reached, 2):
        if x.hops < y.hops:
            assert x.score > y.score
        elif y.hops < x.hops:
            assert y.score > x.score


@settings(max_examples=60, deadline=None)
@given(graphs(), watches, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_edge_order(edges, watch, rng):
    shuffled = list(edges)
    rng.shuffle(shuffled)
    assert reach(make(edges), watch, 3) == reach(make(shuffled), watch, 3)


@given(st.lists(st.integers(1, 10**6), max_size=6), st.integers(1, 10**6))
def test_a_longer_path_never_scores_higher(weights, extra):
    assert score([*weights, extra]) < score(weights)
    for i in range(len(weights)):
        heavier = [*weights[:i], weights[i] + extra, *weights[i + 1 :]]
        assert score(heavier) >= score(weights)


@given(st.lists(st.integers(1, 100), min_size=1, max_size=5))
def test_a_chain_scores_its_formula(weights):
    n = len(weights) + 1
    net = graph_from_edges(
        [f"c{v}" for v in range(n)], range(n - 1), range(1, n), [float(w) for w in weights]
    )
    last = by_actor(reach(net, ["c0"], hops=n - 1))[f"c{n - 1}"]
    q = math.prod(w / (w + 1) for w in weights)
    assert last.score == pytest.approx((1 + q) / 2 ** len(weights))
    assert [s.direction for s in last.steps] == ["out"] * len(weights)


# -- the watchlist ------------------------------------------------------------------------------

ACTORS = [
    # id, platform, handle
    ("t1", "twitter", "Alice"),
    ("g1", "telegram", "alice"),
    ("t2", "twitter", "bob"),
    ("t3", "twitter", None),
]


@pytest.fixture
def actors(store: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    store.executemany(
        "INSERT INTO actors (id, platform, kind, handle, source_id, locator) "
        "VALUES (?, ?, 'account', ?, 'src', 'x')",
        ACTORS,
    )
    return store


def test_watchlist_lines_resolve_and_unknown_ones_are_reported(actors):
    lines = [
        "twitter:@ALICE",
        "alice",
        "  # a comment",
        "",
        "@bob",
        "t2",
        "t3",
        "telegram:bob",
        "nobody",
        "mastodon:alice",
        "'; DROP TABLE actors; --",
    ]
    found, unknown = resolve_watchlist(actors, lines)
    assert found == ["t1", "g1", "t2", "t3"]
    assert unknown == ["telegram:bob", "nobody", "mastodon:alice", "'; DROP TABLE actors; --"]
    assert actors.execute("SELECT count(*) FROM actors").fetchone() == (4,)


def test_an_actor_id_wins_over_a_handle(actors):
    actors.execute(
        "INSERT INTO actors (id, platform, kind, handle, source_id, locator) "
        "VALUES ('x9', 'twitter', 'account', 't1', 'src', 'x')"
    )
    assert resolve_watchlist(actors, ["t1"]) == (["t1"], [])
    assert resolve_watchlist(actors, ["@t1"]) == (["x9"], [])
    assert resolve_watchlist(actors, []) == ([], [])


def test_equal_strength_goes_to_the_heavier_last_hop_then_smaller_id():
    # v -1- y -3- k and v -3- m -1- k: both paths have q = 0.5 * 0.75; y -> k is heavier
    net = graph_from_edges(["k", "m", "v", "y"], [2, 2, 3, 1], [3, 1, 0, 0], [1, 3, 3, 1])
    assert by_actor(reach(net, ["v"]))["k"].path == ("v", "y", "k")

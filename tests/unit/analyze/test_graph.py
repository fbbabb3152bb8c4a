"""The interaction graph: one edge per ordered pair, counted, filtered, with its evidence."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest

from tests.unit.analyze.conftest import T0, add_interactions
from veille.analyze.graph import EdgeFilter, build_graph, graph_from_edges

ROWS = [
    # kind, source, target, post, platform, hours after T0
    ("mention", "a", "b", "p3", "twitter", 3),
    ("mention", "a", "b", "p1", "twitter", 1),
    ("retweet", "a", "b", "p2", "twitter", 2),
    ("retweet", "a", "b", "p0", "twitter", None),
    ("mention", "b", "a", "p4", "twitter", 4),
    ("forward", "c", "b", "p5", "telegram", 5),
    ("mention", "a", "a", "p6", "twitter", 6),  # self-mention: not an edge
    ("reply", "c", "d", "p7", "telegram", 30),
]


@pytest.fixture
def con(store: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    add_interactions(store, ROWS)
    return store


def edges_of(con: duckdb.DuckDBPyConnection, edge_filter: EdgeFilter | None = None) -> dict:
    net = build_graph(con, edge_filter)
    assert net.graph.ecount() == net.edges.num_rows
    found = {}
    for j in range(net.graph.ecount()):
        edge = net.edge(j)
        s, t = net.graph.es[j].tuple
        assert (net.actor_ids[s], net.actor_ids[t]) == (edge["source"], edge["target"])
        assert net.graph.es[j]["weight"] == edge["weight"]
        found[edge["source"], edge["target"]] = edge
    return found


def test_one_edge_per_pair_with_counts_per_kind_and_earliest_evidence(con):
    net = build_graph(con)
    assert net.actor_ids == ("a", "b", "c", "d")
    assert net.graph.vs["name"] == ["a", "b", "c", "d"]
    edges = edges_of(con)
    assert set(edges) == {("a", "b"), ("b", "a"), ("c", "b"), ("c", "d")}
    ab = edges["a", "b"]
    assert ab["weight"] == 4
    assert ab["kinds"] == {"mention": 2, "retweet": 2}
    # earliest first; the undated post last
    assert ab["evidence"] == ["p1", "p2", "p3"]
    assert ab["first_at"] == T0 + timedelta(hours=1)
    assert ab["last_at"] == T0 + timedelta(hours=3)


def test_evidence_count_is_a_parameter(con):
    assert edges_of(con, EdgeFilter(evidence=1))["a", "b"]["evidence"] == ["p1"]
    assert edges_of(con, EdgeFilter(evidence=5))["a", "b"]["evidence"] == ["p1", "p2", "p3", "p0"]
    assert edges_of(con, EdgeFilter(evidence=0))["a", "b"]["evidence"] == []


def test_filters_by_kind_platform_window_and_weight(con):
    assert set(edges_of(con, EdgeFilter(kinds=("retweet",)))) == {("a", "b")}
    assert edges_of(con, EdgeFilter(kinds=("retweet",)))["a", "b"]["weight"] == 2
    assert set(edges_of(con, EdgeFilter(platforms=("telegram",)))) == {("c", "b"), ("c", "d")}
    window = EdgeFilter(since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=5))
    edges = edges_of(con, window)
    # the undated retweet is out of any window; "until" is exclusive
    assert set(edges) == {("a", "b"), ("b", "a")}
    assert edges["a", "b"]["kinds"] == {"mention": 1, "retweet": 1}
    assert set(edges_of(con, EdgeFilter(min_weight=2))) == {("a", "b")}


def test_same_as_merges_actors_and_adds_their_edges(con):
    # c is the same person as a: c -> b adds to a -> b, and c -> d becomes a -> d
    edges = edges_of(con, EdgeFilter(same_as={"c": "a"}))
    assert set(edges) == {("a", "b"), ("b", "a"), ("a", "d")}
    assert edges["a", "b"]["kinds"] == {"forward": 1, "mention": 2, "retweet": 2}
    assert edges["a", "b"]["weight"] == 5


def test_empty_selection_gives_an_empty_graph(con):
    net = build_graph(con, EdgeFilter(kinds=("quote",)))
    assert net.graph.vcount() == 0
    assert net.actor_ids == ()


def test_filter_refuses_naive_times_and_bad_weights():
    with pytest.raises(ValueError, match="time zone"):
        EdgeFilter(since=T0.replace(tzinfo=None))
    with pytest.raises(ValueError, match="min_weight"):
        EdgeFilter(min_weight=0)
    assert EdgeFilter(kinds=("mention",)).parameters()["kinds"] == ["mention"]


def test_graph_from_edges_refuses_self_loops():
    with pytest.raises(ValueError, match="self-loops"):
        graph_from_edges(["a"], [0], [0], [1.0])

"""Helpers for the analysis tests: an in-memory store and random graphs in both libraries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import networkx as nx
import numpy as np
import pytest

from veille.analyze.graph import InteractionGraph, graph_from_edges
from veille.store.database import migrations

T0 = datetime(2017, 1, 1, tzinfo=UTC)


@pytest.fixture
def store() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database with the case tables."""
    con = duckdb.connect()
    for _, _, sql in migrations():
        con.execute(sql)
    return con


def add_interactions(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]]) -> None:
    """Insert (kind, source, target, post, platform, hours after T0 or None) rows."""
    con.executemany(
        "INSERT INTO interactions VALUES (?, ?, ?, ?, ?, ?, ?, 'src', ?)",
        [
            (
                f"i{n}",
                kind,
                source,
                target,
                post,
                platform,
                None if hours is None else T0 + timedelta(hours=hours),
                f"row {n}",
            )
            for n, (kind, source, target, post, platform, hours) in enumerate(rows)
        ],
    )


def random_graph(
    n: int, m: int, seed: int, max_weight: int = 5
) -> tuple[InteractionGraph, nx.DiGraph]:
    """The same random directed weighted graph (no self-loops, unique pairs) both ways."""
    rng = np.random.default_rng(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        s, t = (int(x) for x in rng.integers(0, n, size=2))
        if s != t:
            pairs.add((s, t))
    ordered = sorted(pairs)
    weights = rng.integers(1, max_weight + 1, size=len(ordered))
    ids = [f"a{v:04d}" for v in range(n)]
    net = graph_from_edges(
        ids, [s for s, _ in ordered], [t for _, t in ordered], weights.astype(float)
    )
    reference = nx.DiGraph()
    reference.add_nodes_from(range(n))
    for (s, t), w in zip(ordered, weights.tolist(), strict=True):
        reference.add_edge(s, t, weight=w)
    return net, reference

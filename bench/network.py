"""Network analysis speed and memory: veille (DuckDB + igraph) against pandas + networkx.

For each size, writes a temporary DuckDB holding a synthetic ``interactions`` table (one row per
edge: 50 communities, 90% of edges inside them, targets skewed towards hubs), then runs each
way in a child process, step by step, printing seconds and the process's peak RSS so far:

- veille: ``build_graph`` (aggregation in DuckDB, igraph graph), ``score`` (degrees,
  strengths, PageRank, betweenness sampled from ``--sample`` sources), ``detect`` (Leiden);
- plain: the interactions into pandas, ``groupby`` counts, ``networkx.from_pandas_edgelist``,
  ``pagerank``, ``betweenness_centrality(k=...)``, ``louvain_communities``.

networkx is slow at 10^6 edges (``bench`` notes: sampled betweenness 266 s, Louvain not done
after 11 min), so each child stops at ``--timeout`` seconds and the plain way's betweenness uses
``--plain-sample`` sources and is scaled to ``--sample`` (marked ``~``).

    .venv/bin/python bench/network.py                     # 10^5 and 10^6 edges
    .venv/bin/python bench/network.py --sizes 100000      # quicker
    .venv/bin/python bench/network.py --huge              # adds 10^7 edges (needs ~16 GB)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COMMUNITIES = 50
EDGES_PER_ACTOR = 5


def write_case(path: Path, edges: int, seed: float = 0.42) -> None:
    """A DuckDB file with an ``interactions`` table of ``edges`` synthetic rows."""
    import duckdb

    actors = max(edges // EDGES_PER_ACTOR, COMMUNITIES * 2)
    per = actors // COMMUNITIES
    con = duckdb.connect(str(path))
    con.execute(f"SELECT setseed({seed})")
    con.execute(
        f"""
        CREATE TABLE interactions AS
        WITH draws AS (
            SELECT i, (hash(i) % {actors})::BIGINT AS s, random() AS inside,
                   random() AS pick, random() AS any_target, random() AS kind_draw
            FROM range({edges}) r(i)
        )
        SELECT 'i' || i AS id,
               ['mention', 'reply', 'forward', 'retweet', 'quote'][1 + (kind_draw * 5)::INT % 5]
                   AS kind,
               'a' || s AS source_actor_id,
               'a' || CASE WHEN inside < 0.9
                   THEN (s % {COMMUNITIES}) + {COMMUNITIES} * floor({per} * pick ** 3)::BIGINT
                   ELSE floor(any_target * {actors})::BIGINT END AS target_actor_id,
               'p' || i AS post_id, 'twitter' AS platform,
               TIMESTAMPTZ '2016-09-01 00:00:00+00' + to_seconds(i * 7) AS occurred_at,
               'bench' AS source_id, 'row ' || i AS locator
        FROM draws
        """
    )
    con.close()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _step(name: str, started: float, **extra: Any) -> None:
    line = {"step": name, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}
    print(json.dumps(line | extra), flush=True)


def run_veille(db: Path, sample: int) -> None:
    import duckdb

    from veille.analyze.communities import detect
    from veille.analyze.graph import build_graph
    from veille.analyze.importance import score

    con = duckdb.connect(str(db), read_only=True)
    started = time.perf_counter()
    net = build_graph(con)
    _step("build", started, vertices=net.graph.vcount(), edges=net.graph.ecount())
    started = time.perf_counter()
    scores = score(net, betweenness_sample=sample)
    _step("scores", started, betweenness_sample=scores.betweenness_sample)
    # The two costly parts of score(), on their own (the same calls score() makes).
    started = time.perf_counter()
    net.graph.pagerank(directed=True, damping=0.85, weights="weight")
    _step("pagerank", started)
    started = time.perf_counter()
    net.graph.betweenness(directed=True, sources=list(range(min(sample, net.graph.vcount()))))
    _step("betweenness", started)
    started = time.perf_counter()
    found = detect(net, seed=0)
    _step("communities", started, communities=len(found.communities), Q=found.modularity)


def run_plain(db: Path, sample: int, plain_sample: int) -> None:
    import duckdb
    import networkx as nx

    started = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    frame = con.sql("SELECT source_actor_id, target_actor_id, kind FROM interactions").df()
    counts = frame.groupby(["source_actor_id", "target_actor_id"]).size().reset_index()
    counts.columns = ["source", "target", "weight"]
    counts = counts[counts["source"] != counts["target"]]
    graph = nx.from_pandas_edgelist(counts, "source", "target", "weight", nx.DiGraph)
    del frame
    _step("build", started, vertices=graph.number_of_nodes(), edges=graph.number_of_edges())
    started = time.perf_counter()
    try:
        nx.pagerank(graph, alpha=0.85, weight="weight")
    except ImportError:  # networkx's default needs scipy; the pure Python iteration does not
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        _pagerank_python(graph, alpha=0.85, weight="weight")
    _step("pagerank", started)
    started = time.perf_counter()
    nx.betweenness_centrality(graph, k=plain_sample, seed=0, normalized=False)
    elapsed = (time.perf_counter() - started) * sample / plain_sample
    print(json.dumps({"step": "betweenness", "seconds": elapsed, "peak_mb": _peak_mb(),
                      "scaled_from": plain_sample}), flush=True)  # fmt: skip
    started = time.perf_counter()
    found = nx.community.louvain_communities(graph.to_undirected(), weight="weight", seed=0)
    _step("communities", started, communities=len(found))


def _child(way: str, db: Path, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    command = [sys.executable, __file__, "--child", way, "--db", str(db)]
    command += ["--sample", str(args.sample), "--plain-sample", str(args.plain_sample)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
        output, failed = done.stdout, done.returncode != 0
        if failed:
            print(done.stderr[-2000:], file=sys.stderr)
    except subprocess.TimeoutExpired as stopped:
        raw = stopped.stdout or b""
        output = raw.decode() if isinstance(raw, bytes) else raw
    steps = {}
    for line in output.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            steps[row["step"]] = row
    return steps


def _totals(ours: dict[str, dict[str, Any]], plain: dict[str, dict[str, Any]]) -> None:
    """Add the plain way's "scores" (PageRank + betweenness) and both ways' totals."""
    if "pagerank" in plain and "betweenness" in plain:
        plain["scores"] = plain["betweenness"] | {
            "seconds": plain["pagerank"]["seconds"] + plain["betweenness"]["seconds"]
        }
    for steps in (ours, plain):
        if all(k in steps for k in ("build", "scores", "communities")):
            steps["total"] = steps["communities"] | {
                "seconds": sum(steps[k]["seconds"] for k in ("build", "scores", "communities"))
            }


def _fmt(row: dict[str, Any] | None) -> str:
    if row is None:
        return "—"
    mark = "~" if "scaled_from" in row else ""
    return f"{mark}{row['seconds']:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--huge", action="store_true", help="add 10^7 edges")
    parser.add_argument("--sample", type=int, default=100, help="betweenness sources")
    parser.add_argument("--plain-sample", type=int, default=10, help="networkx sources")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per way")
    parser.add_argument("--skip-plain-above", type=int, default=10**7, help="edges")
    parser.add_argument("--child", choices=["veille", "plain"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "veille":
        run_veille(args.db, args.sample)
        return
    if args.child == "plain":
        run_plain(args.db, args.sample, args.plain_sample)
        return
    sizes = [*args.sizes, *([10_000_000] if args.huge else [])]
    print("| edges | step | veille | networkx | ratio | veille peak RSS | networkx peak RSS |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            db = Path(folder) / f"bench-{size}.duckdb"
            write_case(db, size)
            ours = _child("veille", db, args)
            plain = _child("plain", db, args) if size <= args.skip_plain_above else {}
            _totals(ours, plain)
            for step in ("build", "pagerank", "betweenness", "scores", "communities", "total"):
                a, b = ours.get(step), plain.get(step)
                ratio = f"{b['seconds'] / a['seconds']:.1f}x" if a and b else "—"
                rss_a = f"{a['peak_mb']:.0f} MB" if a else "—"
                rss_b = f"{b['peak_mb']:.0f} MB" if b else "—"
                print(
                    f"| {size:,} | {step} | {_fmt(a)} | {_fmt(b)} | {ratio} | {rss_a} | {rss_b} |"
                )
            if "build" in ours:
                print(f"<!-- {size:,} edges: veille graph {json.dumps(ours['build'])} -->")
            db.unlink()


if __name__ == "__main__":
    main()

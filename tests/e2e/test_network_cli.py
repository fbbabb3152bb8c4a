"""`veille demo` then `veille network`: ranked accounts with reasons, stored as a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from veille.cli import app

pytestmark = pytest.mark.e2e
PUBLIC = ["--kind", "mention", "--kind", "reply", "--kind", "forward", "--kind", "retweet"]


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app, ["demo", str(root / "case"), "--data", str(root / "data"), "--scale", "0.1"]
    )
    assert result.exit_code == 0, result.output
    assert "planted hubs are in the top 10" in result.output
    return root / "case"


def network(case: Path, *extra: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["network", str(case), "--json", *PUBLIC, *extra])
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.output)
    return payload


def test_network_ranks_the_planted_hubs_with_reasons(demo_case: Path) -> None:
    truth = json.loads((demo_case.parent / "data" / "ground_truth.json").read_text())
    hubs = {
        actor
        for account in truth["accounts"]
        if account["id"] in {hub["id"] for hub in truth["central_accounts"]}
        for actor in account["actor_ids"].values()
    }
    report = network(demo_case, "--top", "10")
    actors = report["actors"]
    assert isinstance(actors, list)
    assert sum(1 for actor in actors if actor["actor_id"] in hubs) >= 6
    first = actors[0]
    assert first["rank"] == 1
    assert "ranked 1st overall" in first["reasons"]["sentence"]
    assert first["reasons"]["top_edges"][0]["evidence"]  # posts that show the edge


def test_rank_by_orders_by_one_score_and_every_rank_is_shown(demo_case: Path) -> None:
    combined = network(demo_case, "--top", "0")["actors"]
    by_pagerank = network(demo_case, "--top", "5", "--rank-by", "pagerank")
    assert isinstance(combined, list)
    assert by_pagerank["rank_by"] == "pagerank"
    assert [a["pagerank_rank"] for a in by_pagerank["actors"]] == [1, 2, 3, 4, 5]  # type: ignore[union-attr]
    best = max(combined, key=lambda a: a["pagerank"])
    assert by_pagerank["actors"][0]["actor_id"] == best["actor_id"]  # type: ignore[index]
    # The combined score separates the top: no two of the first ten share it.
    top = [round(a["combined"], 6) for a in combined[:10]]
    assert len(set(top)) == 10
    assert top == sorted(top, reverse=True)
    for row in combined[:10]:
        assert {"pagerank_rank", "in_strength_rank", "betweenness_rank"} <= row.keys()
    result = CliRunner().invoke(app, ["network", str(demo_case), "--rank-by", "fame"])
    assert result.exit_code == 1
    assert "--rank-by: 'fame' is not one of combined, pagerank, received" in result.output


def test_the_same_parameters_replace_the_run(demo_case: Path) -> None:
    one = network(demo_case)
    two = network(demo_case)
    other = network(demo_case, "--min-weight", "2")
    assert one["run"] == two["run"] != other["run"]
    con = duckdb.connect(str(demo_case / "case.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT count(*), count(DISTINCT actor_id) FROM actor_metrics WHERE run_id = ?",
        [one["run"]],
    ).fetchone()
    con.close()
    assert rows is not None
    assert rows[0] == rows[1] == one["vertices"]


def test_unknown_kind_is_a_clear_error(demo_case: Path) -> None:
    result = CliRunner().invoke(app, ["network", str(demo_case), "--kind", "like"])
    assert result.exit_code == 1
    assert "unknown like" in result.output


def test_reach_from_a_watchlist_reports_unknown_handles(demo_case: Path, tmp_path: Path) -> None:
    truth = json.loads((demo_case.parent / "data" / "ground_truth.json").read_text())
    hub = next(a for a in truth["accounts"] if a["id"] == truth["central_accounts"][0]["id"])
    watchlist = tmp_path / "watch.txt"
    watchlist.write_text(f"# hubs\ntwitter:{hub['keys']['twitter']}\nno_such_account\n")
    result = CliRunner().invoke(
        app, ["reach", str(demo_case), "--watchlist", str(watchlist), "--hops", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["unknown"] == ["no_such_account"]
    reached = report["reached"]
    assert reached, "a planted hub has contacts"
    assert {r["hops"] for r in reached} <= {1, 2}
    scores = [r["score"] for r in reached]
    assert scores == sorted(scores, reverse=True)
    first = reached[0]
    assert first["steps"][0]["evidence"], "every hop shows the posts behind it"


def test_graph_exports_open_with_networkx(
    demo_case: Path, tmp_path: Path, gexf_schema: Any
) -> None:
    import networkx as nx
    from lxml import etree

    for to, name, *extra in (
        ("gexf", "graph.gexf"),
        ("graphml", "graph.graphml"),
        ("gexf", "dynamic.gexf", "--dynamic"),
    ):
        result = CliRunner().invoke(
            app, ["export", str(demo_case), "--to", to, "-o", str(tmp_path / name), *extra]
        )
        assert result.exit_code == 0, result.output
    gexf = nx.read_gexf(tmp_path / "graph.gexf")
    graphml = nx.read_graphml(tmp_path / "graph.graphml")
    assert gexf.number_of_nodes() == graphml.number_of_nodes() > 10
    assert gexf.number_of_edges() == graphml.number_of_edges()
    attributes = next(iter(gexf.nodes(data=True)))[1]
    assert {"pagerank", "community", "rank", "first_seen", "platform", "seen_as"} <= set(attributes)
    assert {data["seen_as"] for _, data in gexf.nodes(data=True)} == {
        "collected",
        "mentioned only",
    }
    edge = next(iter(gexf.edges(data=True)))[2]
    assert edge["weight"] >= 1
    for name in ("graph.gexf", "dynamic.gexf"):
        gexf_schema.assertValid(etree.parse(str(tmp_path / name)))
    dynamic = nx.read_gexf(tmp_path / "dynamic.gexf")
    assert dynamic.graph["mode"] == "dynamic"
    assert dynamic.number_of_edges() == gexf.number_of_edges()
    assert all("spells" in data for _, _, data in dynamic.edges(data=True))
    refused = CliRunner().invoke(
        app, ["export", str(demo_case), "--to", "graphml", "--dynamic", "-o", str(tmp_path / "x")]
    )
    assert refused.exit_code == 1
    assert "only gexf" in refused.output

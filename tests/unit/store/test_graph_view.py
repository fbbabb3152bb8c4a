"""The graph view of a selection: the interactions its posts show, a neighbourhood, the caps,
and the selection as a dynamic GEXF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from veille.case import Case
from veille.store.graph_view import graph_view
from veille.store.post_search import SearchFilters
from veille.store.selection import Neighbourhood, select_interactions

CSV = (
    "username,time,text\n"
    "abu_a,1/6/2015 21:07,hello @abu_b #mosul\n"
    "abu_b,1/13/2015 08:00,thanks @abu_a\n"
    "abu_c,1/14/2015 08:00,asking @abu_b about raqqa\n"
    "abu_d,2/14/2015 08:00,@abu_e look at raqqa\n"
)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    root = tmp_path_factory.mktemp("graph")
    data = root / "posts.csv"
    data.write_text(CSV, encoding="utf-8")
    opened = Case.init(root / "case")
    opened.ingest([data])
    opened.network()
    return opened


def _ids(case: Case) -> dict[str, str]:
    rows = case.con.execute("SELECT handle, id FROM actors").fetchall()
    return {str(handle): str(actor) for handle, actor in rows}


def _pairs(case: Case, relation: str) -> set[tuple[str, str]]:
    names = {actor: handle for handle, actor in _ids(case).items()}
    rows = case.con.execute(f"SELECT source_actor_id, target_actor_id FROM {relation}").fetchall()
    return {(names[s], names[t]) for s, t in rows}


def test_no_filter_is_every_interaction(case: Case) -> None:
    assert select_interactions(case.con, SearchFilters(sort="newest")) == "interactions"


def test_the_selection_follows_the_search_filters(case: Case) -> None:
    relation = select_interactions(case.con, SearchFilters(words="raqqa"))
    assert _pairs(case, relation) == {("abu_c", "abu_b"), ("abu_d", "abu_e")}
    relation = select_interactions(case.con, SearchFilters(account=_ids(case)["abu_a"]))
    assert _pairs(case, relation) == {("abu_a", "abu_b")}


def test_a_neighbourhood_holds_the_ties_among_its_accounts(case: Case) -> None:
    a = _ids(case)["abu_a"]
    one = select_interactions(case.con, SearchFilters(), Neighbourhood(a, 1))
    assert _pairs(case, one) == {("abu_a", "abu_b"), ("abu_b", "abu_a")}
    two = select_interactions(case.con, SearchFilters(), Neighbourhood(a, 2))
    assert _pairs(case, two) == {("abu_a", "abu_b"), ("abu_b", "abu_a"), ("abu_c", "abu_b")}
    narrowed = select_interactions(case.con, SearchFilters(words="raqqa"), Neighbourhood(a, 2))
    assert _pairs(case, narrowed) == set()  # abu_a has no tie in that selection
    with pytest.raises(ValueError, match="hops"):
        Neighbourhood(a, 4)


def test_graph_view_nodes_edges_ranks_and_caps(case: Case) -> None:
    view = graph_view(case.con, "interactions", rank_by="pagerank")
    by_label = {node["label"]: node for node in view["nodes"]}
    assert set(by_label) == {"@abu_a", "@abu_b", "@abu_c", "@abu_d", "@abu_e"}
    assert view["nodes"][0]["label"] == "@abu_b"  # most interactions first
    assert by_label["@abu_b"]["interactions"] == 3
    assert by_label["@abu_e"]["collected"] is False  # only mentioned
    assert by_label["@abu_a"]["collected"] is True
    assert view["ranked"] is True
    assert all(node["score"] is not None and node["rank"] >= 1 for node in view["nodes"])
    assert (view["accounts"], view["ties"]) == (5, 4)
    capped = graph_view(case.con, "interactions", cap=2)
    assert [n["label"] for n in capped["nodes"]] == ["@abu_b", "@abu_a"]
    assert {(e["source"], e["target"]) for e in capped["edges"]} == {
        (_ids(case)["abu_a"], _ids(case)["abu_b"]),
        (_ids(case)["abu_b"], _ids(case)["abu_a"]),
    }
    assert (capped["accounts"], capped["ties"]) == (5, 4)  # what the caps left out, counted
    assert capped["edges"][0]["kinds"] == ["mention"]
    with pytest.raises(ValueError, match="rank_by"):
        graph_view(case.con, "interactions", rank_by="followers")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a relation"):
        graph_view(case.con, "interactions; DROP TABLE posts")


def test_the_selection_as_a_dynamic_gexf(case: Case, tmp_path: Path, gexf_schema: Any) -> None:
    path = tmp_path / "selection.gexf"
    assert case.export_selection(SearchFilters(words="raqqa"), path) == (4, 2)
    document = etree.parse(str(path))
    gexf_schema.assertValid(document)
    ns = {"g": "http://gexf.net/1.3"}
    graph = document.getroot().find("g:graph", ns)
    assert graph is not None
    assert graph.get("mode") == "dynamic"
    titles = {a.get("id"): a.get("title") for a in graph.iterfind("g:attributes/g:attribute", ns)}
    seen_as = next(key for key, title in titles.items() if title == "seen_as")
    labels = {
        node.get("label"): node.find(f"g:attvalues/g:attvalue[@for='{seen_as}']", ns)
        for node in graph.iterfind("g:nodes/g:node", ns)
    }
    assert {label: value.get("value") for label, value in labels.items() if value is not None} == {
        "@abu_b": "collected",
        "@abu_c": "collected",
        "@abu_d": "collected",
        "@abu_e": "mentioned only",
    }
    neighbourhood = tmp_path / "around.gexf"
    around = Neighbourhood(_ids(case)["abu_a"], 1)
    assert case.export_selection(SearchFilters(), neighbourhood, around=around) == (2, 2)
    gexf_schema.assertValid(etree.parse(str(neighbourhood)))

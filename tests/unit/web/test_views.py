"""The views of a selection: graph (page, JSON, GEXF), map (page, GeoJSON), place, timeline.

A small case: four accounts of a CSV (one only mentioned), a network run, places placed by
hand (about: in the text; from: the author's profile) and findings of each kind on the
timeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from starlette.testclient import TestClient

from veille.case import Case
from veille.web.app import create_app

CSV = (
    "username,time,text\n"
    "abu_a,1/6/2015 21:07,hello @abu_b #mosul\n"
    "abu_b,1/13/2015 08:00,thanks @abu_a\n"
    "abu_c,1/14/2015 08:00,asking @abu_b about raqqa\n"
    "abu_d,2/14/2015 08:00,@abu_e look at raqqa\n"
)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("views")
    data = root / "posts.csv"
    data.write_text(CSV, encoding="utf-8")
    with Case.init(root / "case") as opened:
        opened.ingest([data])
        opened.network()
    return root / "case"


@pytest.fixture(scope="module")
def client(case: Path) -> Iterator[TestClient]:
    with TestClient(create_app(case, hosts=["testserver"])) as test_client:
        yield test_client


def ids(client: TestClient) -> dict[str, str]:
    served: Case = client.app.state.case  # type: ignore[attr-defined]
    rows = served.con.execute("SELECT handle, id FROM actors").fetchall()
    return {str(handle): str(actor) for handle, actor in rows}


def test_graph_json_draws_the_selection(client: TestClient) -> None:
    response = client.get("/graph.json")
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    labels = {node["label"]: node for node in data["nodes"]}
    assert set(labels) == {"@abu_a", "@abu_b", "@abu_c", "@abu_d", "@abu_e"}
    for node in data["nodes"]:
        assert node["color"].startswith("#")
        assert 3 <= node["size"] <= 18
        assert isinstance(node["x"], float)
        assert isinstance(node["y"], float)
    assert labels["@abu_e"]["collected"] is False
    assert (data["accounts"], data["ties"], len(data["edges"])) == (5, 4, 4)
    assert data["focus"] is None
    raqqa = client.get("/graph.json", params={"q": "raqqa"}).json()
    assert {node["label"] for node in raqqa["nodes"]} == {"@abu_b", "@abu_c", "@abu_d", "@abu_e"}
    by_rank = client.get("/graph.json", params={"rank_by": "in_strength"}).json()
    assert by_rank["rank_by"] == "in_strength"
    sizes = {node["label"]: node["size"] for node in by_rank["nodes"]}
    assert sizes["@abu_b"] == max(sizes.values())  # reached the most


def test_graph_neighbourhood_from_the_account_page(client: TestClient) -> None:
    a = ids(client)["abu_a"]
    account = client.get(f"/account/{a}").text
    assert f'href="/graph?account={a}&amp;hops=1"' in account
    data = client.get("/graph.json", params={"account": a, "hops": "1"}).json()
    assert data["focus"] == a
    assert {node["label"] for node in data["nodes"]} == {"@abu_a", "@abu_b"}
    page = client.get("/graph", params={"account": a, "hops": "2"})
    assert page.status_code == 200
    assert "Graph around" in page.text
    assert "<b>3</b> accounts" in page.text
    bad = client.get("/graph", params={"account": a, "hops": "9", "rank_by": "followers"}).text
    assert "hops: &#39;9&#39; is not 1 to 3; ignored" in bad
    assert "rank_by: &#39;followers&#39;" in bad


def test_graph_page_loads_only_the_apps_scripts(client: TestClient) -> None:
    page = client.get("/graph", params={"q": "raqqa"}).text
    assert 'data-src="/graph.json?q=raqqa"' in page
    for script in ("graphology.umd.min.js", "graphology-library.min.js", "sigma.min.js"):
        assert f'<script src="/static/{script}"></script>' in page
        assert client.get(f"/static/{script}").status_code == 200
    assert '<script src="/static/graph.js"></script>' in page
    assert "<script>" not in page
    assert 'href="/graph.gexf?q=raqqa"' in page
    search = client.get("/search", params={"q": "raqqa"}).text
    assert 'href="/graph?q=raqqa"' in search


def test_graph_gexf_is_the_selection_and_validates(client: TestClient, gexf_schema: Any) -> None:
    response = client.get("/graph.gexf", params={"q": "raqqa"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gexf+xml"
    assert 'filename="graph.gexf"' in response.headers["content-disposition"]
    document = etree.fromstring(response.content)
    gexf_schema.assertValid(document)
    ns = {"g": "http://gexf.net/1.3"}
    labels = {node.get("label") for node in document.iterfind("g:graph/g:nodes/g:node", ns)}
    assert labels == {"@abu_b", "@abu_c", "@abu_d", "@abu_e"}
    assert document.find("g:graph", ns).get("mode") == "dynamic"  # type: ignore[union-attr]
    empty = etree.fromstring(client.get("/graph.gexf", params={"q": "nowhere"}).content)
    gexf_schema.assertValid(empty)

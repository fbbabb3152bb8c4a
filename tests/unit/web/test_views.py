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


HOSTILE_PLACE = "<img src=x onerror=alert(1)>"
MOSUL = ("geonames:99072", "Mosul", "IQ", "city", 36.335, 43.11889)
RAQQA = ("geonames:172955", HOSTILE_PLACE, "SY", "city", 35.95283, 39.00788)
LEVANT = ("region:levant", "Levant", None, "region", None, None)


def _place(con: Any, post: str, origin: str, place: tuple[Any, ...]) -> None:
    place_id, name, country, level, lat, lon = place
    con.execute(
        "INSERT INTO post_places VALUES ('enrich', ?, ?, 'text', 0, 1, ?, ?, NULL, ?, ?, ?, ?, ?, "
        "1.0, 'test', NULL)",
        [post, origin, name, place_id, name, country, level, lat, lon],
    )


def _run(con: Any, run_id: str, name: str) -> None:
    con.execute(
        "INSERT INTO runs VALUES (?, 'analysis', ?, '1', '{}', 'test', now(), now(), 'done', '{}')",
        [run_id, name],
    )


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("views")
    data = root / "posts.csv"
    data.write_text(CSV, encoding="utf-8")
    with Case.init(root / "case") as opened:
        opened.ingest([data])
        opened.network()
        con = opened.con
        posts = dict(
            con.execute(
                "SELECT a.handle, p.id FROM posts p JOIN actors a ON a.id = p.author_id"
            ).fetchall()
        )
        _place(con, posts["abu_a"], "text", MOSUL)  # about Mosul
        _place(con, posts["abu_c"], "text", RAQQA)  # about Raqqa
        _place(con, posts["abu_d"], "text", RAQQA)
        _place(con, posts["abu_d"], "text", LEVANT)  # no coordinates: listed, not drawn
        _place(con, posts["abu_b"], "profile", MOSUL)  # from Mosul
        _run(con, "run-activity", "activity")
        con.execute(
            "INSERT INTO blackouts (run_id, dimension, key, label, status, start_day, end_day) "
            "VALUES ('run-activity', 'place', 'geonames:99072', 'Mosul', 'blackout', "
            "'2015-01-10', NULL), ('run-activity', 'place', 'x', 'X', 'steady', NULL, NULL)"
        )
        con.execute(
            "INSERT INTO moves (run_id, source_dimension, source_key, source_label, "
            "target_dimension, target_key, target_label, drop_day, rise_day, lag_days, "
            "shared_accounts, links, forwards, confidence) VALUES ('run-activity', 'platform', "
            "'twitter', 'twitter', 'platform', 'telegram', 'telegram', '2015-01-12', "
            "'2015-01-14', 2, 3, 1, 0, 0.9)"
        )
        _run(con, "run-silence", "silence")
        con.execute(
            "INSERT INTO silence_waves (run_id, week_start, week_end, silent, active, expected, "
            "chance) VALUES ('run-silence', '2016-06-06', '2016-06-12', 4, 40, 0.5, 0.001)"
        )
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


def test_map_shows_about_and_from_apart(client: TestClient) -> None:
    page = client.get("/map")
    assert page.status_code == 200
    html = page.text
    about = html[html.index('<g class="layer-about">') : html.index('<g class="layer-from">')]
    from_ = html[html.index('<g class="layer-from">') : html.index('<g class="labels">')]
    assert about.count("<circle") == 2  # Mosul, Raqqa (the Levant has no coordinates)
    assert from_.count("<circle") == 1  # Mosul, from abu_b's profile
    assert 'href="/search?place=geonames%3A99072&amp;origin=about"' in about
    assert 'href="/search?place=geonames%3A99072&amp;origin=from"' in from_
    assert "1 places have no coordinates" in html
    assert 'class="country"' in html  # the base map's outlines
    assert "<img" not in html  # the hostile place name is text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="/place/geonames%3A172955"' in html
    filtered = client.get("/map", params={"q": "raqqa"}).text
    assert "geonames%3A99072" not in filtered  # Mosul is not in those posts
    assert 'href="/search?q=raqqa&amp;place=geonames%3A172955&amp;origin=about"' in filtered


def test_map_geojson_is_the_selections_places(client: TestClient) -> None:
    response = client.get("/map.geojson", params={"q": "raqqa"})
    assert response.headers["content-type"] == "application/geo+json"
    assert 'filename="places.geojson"' in response.headers["content-disposition"]
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    (raqqa,) = collection["features"]
    assert raqqa["geometry"] == {"type": "Point", "coordinates": [39.00788, 35.95283]}
    properties = raqqa["properties"]
    assert (properties["name"], properties["layer"]) == (HOSTILE_PLACE, "about")
    assert (properties["accounts"], properties["posts"]) == (2, 2)
    everything = client.get("/map.geojson").json()["features"]
    assert sorted((f["properties"]["place_id"], f["properties"]["layer"]) for f in everything) == [
        ("geonames:172955", "about"),
        ("geonames:99072", "about"),
        ("geonames:99072", "from"),
    ]


def test_place_page(client: TestClient) -> None:
    page = client.get("/place/geonames:99072")
    assert page.status_code == 200
    html = page.text
    assert '<h1 dir="auto">Mosul</h1>' in html
    assert "1 posts by 1 accounts are" in html
    assert ">@abu_a</a>" in html  # writes about it
    assert ">@abu_b</a>" in html  # posts from it
    assert 'class="place here"' in html
    assert client.get("/place/nowhere:1").status_code == 404
    levant = client.get("/place/region:levant")
    assert levant.status_code == 200
    assert 'class="place here' not in levant.text  # no coordinates, no map


def test_timeline_marks_the_findings_in_its_span(client: TestClient) -> None:
    page = client.get("/timeline")
    assert page.status_code == 200
    html = page.text
    assert "Posts per day from 2015-01-06 to 2015-02-14" in html
    assert '<a href="/finding/blackout/1"><rect class="mark blackout"' in html
    assert '<a href="/finding/move/1"><rect class="mark move"' in html
    assert 'class="mark wave"' not in html  # June 2016: outside the posts' span
    assert '<tr class="outside"><td><a href="/finding/wave/1">' in html
    assert client.get("/finding/blackout/1").status_code == 200
    empty = client.get("/timeline", params={"q": "nothing-like-this"}).text
    assert "No dated post in this selection." in empty
    for view in ("/search", "/graph", "/map"):
        assert f'href="{view}?q=raqqa"' in client.get("/timeline", params={"q": "raqqa"}).text

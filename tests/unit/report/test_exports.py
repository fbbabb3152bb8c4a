"""GEXF, GraphML and CSV exports: read back with networkx and csv, structure checked with lxml.

Every GEXF written here, static or dynamic, is validated against the GEXF 1.3 XML Schema in
``../shared/schemas/gexf-1.3``; its rules that the schema cannot say (attribute references,
node ids of edges) are checked by hand.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pytest
from lxml import etree

from tests.unit.analyze.conftest import add_interactions
from veille.analyze.graph import InteractionGraph, build_graph, graph_from_edges
from veille.report import EXPORTERS
from veille.report.attributes import clean_text, column_type, format_value
from veille.report.csv_lists import write_csv_lists
from veille.report.gexf import GEXF_NAMESPACE, Spell, spells_from_days, write_gexf
from veille.report.graphml import write_graphml
from veille.store.database import migrations
from veille.store.edges import edge_days

HOSTILE = "<script>&\"' \x01\x0b مرحبا بالعالم 🙂🔥 \U0001f9d5\u200d\u2640\ufe0f x\ud800y\ufffe"
HOSTILE_CLEAN = "<script>&\"'  مرحبا بالعالم 🙂🔥 \U0001f9d5\u200d\u2640\ufe0f xy"

ROWS = [
    # kind, source, target, post, platform, hours after T0
    ("mention", "a", "b", "p1", "twitter", 1),
    ("mention", "a", "b", "p2", "twitter", 2),
    ("retweet", "a", "b", "p3", "twitter", 3),
    ("reply", "b", "a", "p4", "twitter", 4),
    ("forward", "c", "b", "p5", "telegram", None),
    ("mention", "b", "d", "p6", "twitter", 6),
]

SEEN = datetime(2017, 1, 1, tzinfo=UTC)


@pytest.fixture
def store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for _, _, sql in migrations():
        con.execute(sql)
    add_interactions(con, ROWS)
    return con


@pytest.fixture
def net(store: duckdb.DuckDBPyConnection) -> InteractionGraph:
    return build_graph(store)


def node_dicts(net: InteractionGraph) -> list[dict[str, Any]]:
    labels = {"a": HOSTILE, "b": "Bob\tthe\nbuilder", "c": None, "d": "@dee"}
    return [
        {
            "actor_id": actor_id,
            "label": labels[actor_id],
            "platform": "telegram" if actor_id == "c" else "twitter",
            "pagerank": 0.1 + v / 10,
            "betweenness": float(v),
            "in_degree": v,
            "out_degree": 3 - v,
            "in_strength": 2.5 * v,
            "out_strength": 1.0,
            "combined": 1 / (v + 1),
            "rank": v + 1,
            "community": None if actor_id == "d" else v % 2,
            "first_seen": SEEN,
            "last_seen": None if actor_id == "c" else SEEN.replace(year=2018),
        }
        for v, actor_id in enumerate(net.actor_ids)
    ]


EXPECTED_NODE_ATTRIBUTES = {
    "platform",
    "pagerank",
    "betweenness",
    "in_degree",
    "out_degree",
    "in_strength",
    "out_strength",
    "combined",
    "rank",
    "community",
    "first_seen",
    "last_seen",
}


def expected_label(node: dict[str, Any]) -> str:
    return clean_text(node["label"]) if node["label"] else node["actor_id"]


def check_read_back(graph: nx.DiGraph, net: InteractionGraph, nodes: list[dict[str, Any]]) -> None:
    """Nodes, labels, typed attributes, edges, weights and edge attributes as written."""
    assert isinstance(graph, nx.DiGraph)
    assert sorted(graph.nodes) == sorted(net.actor_ids)
    for node in nodes:
        data = graph.nodes[node["actor_id"]]
        assert data["label"] == expected_label(node)
        for key in EXPECTED_NODE_ATTRIBUTES:
            value = node[key]
            if value is None:
                assert key not in data
            elif isinstance(value, datetime):
                assert data[key] == value.isoformat()
            else:
                assert data[key] == value
                assert type(data[key]) is type(value)
    assert graph.number_of_edges() == net.graph.ecount()
    for j in range(net.graph.ecount()):
        edge = net.edge(j)
        data = graph.edges[edge["source"], edge["target"]]
        assert data["weight"] == edge["weight"]
        assert data["kinds"] == " ".join(sorted(edge["kinds"]))
        for kind in ("forward", "mention", "reply", "retweet"):
            assert data[f"count_{kind}"] == edge["kinds"].get(kind, 0)
        assert data["evidence"] == " ".join(edge["evidence"])
        if edge["first_at"] is None:
            assert "first_at" not in data
        else:
            assert datetime.fromisoformat(data["first_at"]) == edge["first_at"]
            assert datetime.fromisoformat(data["last_at"]) == edge["last_at"]


def test_gexf_reads_back_with_networkx(net: InteractionGraph, tmp_path: Path) -> None:
    nodes = node_dicts(net)
    path = tmp_path / "net.gexf"
    assert write_gexf(net, nodes, path) == [path]
    check_read_back(nx.read_gexf(path, version="1.3"), net, nodes)


def test_graphml_reads_back_with_networkx(net: InteractionGraph, tmp_path: Path) -> None:
    nodes = node_dicts(net)
    path = tmp_path / "net.graphml"
    assert write_graphml(net, nodes, path) == [path]
    check_read_back(nx.read_graphml(path), net, nodes)


def test_ab_edge_by_hand(net: InteractionGraph, tmp_path: Path) -> None:
    path = tmp_path / "net.gexf"
    write_gexf(net, node_dicts(net), path)
    ab = nx.read_gexf(path, version="1.3").edges["a", "b"]
    assert ab["weight"] == 3.0
    assert (ab["kinds"], ab["count_mention"], ab["count_retweet"]) == ("mention retweet", 2, 1)
    assert ab["evidence"] == "p1 p2 p3"
    assert ab["first_at"] == "2017-01-01T01:00:00+00:00"
    assert ab["last_at"] == "2017-01-01T03:00:00+00:00"


def test_hostile_label_is_escaped_and_survives(net: InteractionGraph, tmp_path: Path) -> None:
    nodes = node_dicts(net)
    write_gexf(net, nodes, tmp_path / "net.gexf")
    write_graphml(net, nodes, tmp_path / "net.graphml")
    write_csv_lists(net, nodes, tmp_path / "csv")
    for name in ("net.gexf", "net.graphml"):
        raw = (tmp_path / name).read_bytes()
        assert b"<script>" not in raw
        assert b"&lt;script&gt;&amp;" in raw
        assert b"\x01" not in raw
        assert b"\x0b" not in raw
        # lxml would refuse a document that is not well-formed
        etree.fromstring(raw)
    assert nx.read_gexf(tmp_path / "net.gexf", version="1.3").nodes["a"]["label"] == HOSTILE_CLEAN
    assert nx.read_graphml(tmp_path / "net.graphml").nodes["a"]["label"] == HOSTILE_CLEAN
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8", newline="") as stream:
        rows = {row["Id"]: row for row in csv.DictReader(stream)}
    assert rows["a"]["Label"] == HOSTILE_CLEAN
    # tabs and newlines are legal XML and kept (escaped as character references)
    assert rows["b"]["Label"] == "Bob\tthe\nbuilder"
    assert nx.read_gexf(tmp_path / "net.gexf", version="1.3").nodes["b"]["label"] == (
        "Bob\tthe\nbuilder"
    )


def test_gexf_structure(net: InteractionGraph, tmp_path: Path) -> None:
    path = tmp_path / "net.gexf"
    nodes = node_dicts(net)
    write_gexf(net, nodes, path)
    ns = {"g": GEXF_NAMESPACE}
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{GEXF_NAMESPACE}}}gexf"
    assert root.get("version") == "1.3"
    assert root.nsmap[None] == GEXF_NAMESPACE
    for element in root.iter():
        assert etree.QName(element).namespace == GEXF_NAMESPACE
    assert root.findtext("g:meta/g:creator", namespaces=ns).startswith("veille ")
    (graph,) = root.findall("g:graph", ns)
    assert graph.get("defaultedgetype") == "directed"
    assert graph.get("mode") == "static"
    declared: dict[str, dict[str, str]] = {}
    for attributes in graph.findall("g:attributes", ns):
        kind = attributes.get("class")
        assert kind in {"node", "edge"}
        assert kind not in declared
        declared[kind] = {}
        for attribute in attributes.findall("g:attribute", ns):
            assert attribute.get("type") in {"boolean", "long", "double", "string"}
            declared[kind][attribute.get("id")] = attribute.get("title")
    assert set(declared["node"].values()) == EXPECTED_NODE_ATTRIBUTES
    assert set(declared["edge"].values()) == {
        "kinds",
        "count_forward",
        "count_mention",
        "count_reply",
        "count_retweet",
        "first_at",
        "last_at",
        "evidence",
    }
    node_ids = [node.get("id") for node in graph.iterfind("g:nodes/g:node", ns)]
    assert node_ids == list(net.actor_ids)
    for node in graph.iterfind("g:nodes/g:node", ns):
        assert node.get("label")
        for value in node.iterfind("g:attvalues/g:attvalue", ns):
            assert value.get("for") in declared["node"]
            assert value.get("value") is not None
    edge_ids = set()
    for edge in graph.iterfind("g:edges/g:edge", ns):
        edge_ids.add(edge.get("id"))
        assert edge.get("source") in node_ids
        assert edge.get("target") in node_ids
        assert float(edge.get("weight")) >= 1
        for value in edge.iterfind("g:attvalues/g:attvalue", ns):
            assert value.get("for") in declared["edge"]
    assert len(edge_ids) == net.graph.ecount()


def test_csv_lists(net: InteractionGraph, tmp_path: Path) -> None:
    nodes = node_dicts(net)
    written = write_csv_lists(net, nodes, tmp_path / "out")
    assert written == [tmp_path / "out" / "nodes.csv", tmp_path / "out" / "edges.csv"]
    with written[0].open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert reader.fieldnames is not None
        assert reader.fieldnames[:2] == ["Id", "Label"]
        assert set(reader.fieldnames[2:]) == EXPECTED_NODE_ATTRIBUTES
        node_rows = list(reader)
    assert [row["Id"] for row in node_rows] == list(net.actor_ids)
    by_id = {row["Id"]: row for row in node_rows}
    assert by_id["c"]["Label"] == "c"  # no name: the actor id
    assert by_id["d"]["community"] == ""  # missing: empty cell
    assert by_id["b"]["pagerank"] == repr(0.2)
    assert by_id["a"]["first_seen"] == "2017-01-01T00:00:00+00:00"
    with written[1].open(encoding="utf-8", newline="") as stream:
        edge_rows = list(csv.DictReader(stream))
    assert len(edge_rows) == net.graph.ecount()
    ab = next(row for row in edge_rows if (row["Source"], row["Target"]) == ("a", "b"))
    assert ab["Type"] == "Directed"
    assert float(ab["Weight"]) == 3
    assert (ab["count_mention"], ab["count_retweet"], ab["count_reply"]) == ("2", "1", "0")
    assert ab["evidence"] == "p1 p2 p3"
    cb = next(row for row in edge_rows if (row["Source"], row["Target"]) == ("c", "b"))
    assert cb["first_at"] == ""


def test_graph_without_kinds_or_attributes(tmp_path: Path) -> None:
    net = graph_from_edges(["x", "y", "z"], [0, 1], [1, 2], [2.0, 5.0])
    nodes: list[dict[str, Any]] = [{} for _ in net.actor_ids]
    write_gexf(net, nodes, tmp_path / "g.gexf")
    write_graphml(net, nodes, tmp_path / "g.graphml")
    for graph in (
        nx.read_gexf(tmp_path / "g.gexf", version="1.3"),
        nx.read_graphml(tmp_path / "g.graphml"),
    ):
        assert dict(graph.nodes(data="label")) == {"x": "x", "y": "y", "z": "z"}
        assert {(s, t): w for s, t, w in graph.edges(data="weight")} == {
            ("x", "y"): 2.0,
            ("y", "z"): 5.0,
        }


def test_nodes_must_match_vertices(net: InteractionGraph, tmp_path: Path) -> None:
    nodes = node_dicts(net)
    with pytest.raises(ValueError, match="one per vertex"):
        write_gexf(net, nodes[:-1], tmp_path / "g.gexf")
    nodes[0], nodes[1] = nodes[1], nodes[0]
    with pytest.raises(ValueError, match="actor_ids order"):
        write_graphml(net, nodes, tmp_path / "g.graphml")


def test_exporters_registry(net: InteractionGraph, tmp_path: Path) -> None:
    assert {"csv", "gexf", "graphml"} <= set(EXPORTERS.names())
    written = EXPORTERS.get("gexf")(net, node_dicts(net), tmp_path / "r.gexf")
    assert written == [tmp_path / "r.gexf"]


def test_column_types_and_values() -> None:
    assert column_type([1, None, 3]) == "long"
    assert column_type([1, 2.5]) == "double"
    assert column_type([True, False]) == "boolean"
    assert column_type([True, 1]) == "string"
    assert column_type([None]) == "string"
    assert column_type(["x", 1]) == "string"
    assert format_value(float("nan"), "double") == "NaN"
    assert format_value(float("-inf"), "double") == "-INF"
    assert format_value(["p1", "p\x002"], "string") == "p1 p2"
    assert format_value(None, "long") is None


def test_static_gexf_validates_against_the_schema(
    net: InteractionGraph, tmp_path: Path, gexf_schema: Any
) -> None:
    path = tmp_path / "net.gexf"
    write_gexf(net, node_dicts(net), path)
    gexf_schema.assertValid(etree.parse(str(path)))


def test_spells_are_runs_of_consecutive_days() -> None:
    day = datetime(2017, 1, 1).date()
    rows = [
        ("a", "b", day, 2),
        ("a", "b", day.replace(day=2), 1),
        ("a", "b", day.replace(day=5), 4),
        ("b", "a", day.replace(day=2), 1),
    ]
    assert spells_from_days(rows) == {
        ("a", "b"): [
            Spell(day, day.replace(day=3), 3),
            Spell(day.replace(day=5), day.replace(day=6), 4),
        ],
        ("b", "a"): [Spell(day.replace(day=2), day.replace(day=3), 1)],
    }


def test_dynamic_gexf_validates_and_gephi_can_play_it(
    store: duckdb.DuckDBPyConnection, net: InteractionGraph, tmp_path: Path, gexf_schema: Any
) -> None:
    add_interactions(store, [("mention", "a", "b", "p7", "twitter", 24 * 3)])  # three days on
    net = build_graph(store)
    spells = spells_from_days(edge_days(store, zone="Asia/Baghdad"))
    path = tmp_path / "dynamic.gexf"
    write_gexf(net, node_dicts(net), path, spells=spells, zone="Asia/Baghdad")
    document = etree.parse(str(path))
    gexf_schema.assertValid(document)
    ns = {"g": GEXF_NAMESPACE}
    (graph,) = document.getroot().findall("g:graph", ns)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    assert graph.get("timezone") == "Asia/Baghdad"
    (dynamic,) = graph.findall("g:attributes[@mode='dynamic']", ns)
    assert [a.get("title") for a in dynamic] == ["interactions"]
    edges = {(e.get("source"), e.get("target")): e for e in graph.iterfind("g:edges/g:edge", ns)}
    ab = edges["a", "b"]
    # Three interactions on 1 January (04:00-06:00 in Baghdad), one on the 4th.
    spell_times = [(s.get("start"), s.get("end")) for s in ab.iterfind("g:spells/g:spell", ns)]
    assert spell_times == [("2017-01-01", "2017-01-02"), ("2017-01-04", "2017-01-05")]
    counts = [v.get("value") for v in ab.iterfind("g:attvalues/g:attvalue[@for='d0']", ns)]
    assert counts == ["3", "1"]
    assert edges["c", "b"].find("g:spells", ns) is None  # no time: always there
    nodes = {n.get("id"): n for n in graph.iterfind("g:nodes/g:node", ns)}
    assert (nodes["a"].get("start"), nodes["a"].get("end")) == ("2017-01-01", "2017-01-05")
    assert nodes["c"].get("start") is None
    back = nx.read_gexf(path, version="1.3")
    assert back.nodes["a"]["label"] == HOSTILE_CLEAN
    assert back.number_of_edges() == net.graph.ecount()


def test_an_empty_dynamic_graph_still_validates(tmp_path: Path, gexf_schema: Any) -> None:
    net = graph_from_edges([], [], [], [])
    path = tmp_path / "empty.gexf"
    write_gexf(net, [], path, spells={})
    gexf_schema.assertValid(etree.parse(str(path)))

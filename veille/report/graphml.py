"""GraphML export, for Gephi, yEd, Cytoscape, igraph and networkx.

The same nodes and edges as the GEXF export (see ``veille.report.attributes``): node keys
``label`` and the caller's columns, edge keys ``weight`` (interactions), kinds, count per
kind, first/last time and evidence posts. Written incrementally with lxml's ``xmlfile``;
lxml escapes every value and the text is cleaned of characters XML 1.0 forbids beforehand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from veille.report.attributes import Column, edge_table, node_table

if TYPE_CHECKING:
    from veille.analyze.graph import InteractionGraph

__all__ = ["GRAPHML_NAMESPACE", "write_graphml"]

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = (
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
)


def _tag(name: str) -> str:
    return f"{{{GRAPHML_NAMESPACE}}}{name}"


def _key(xf: Any, key_id: str, kind: str, column: Column) -> None:
    xf.write("\n")
    attributes = {"id": key_id, "for": kind, "attr.name": column.name, "attr.type": column.type}
    with xf.element(_tag("key"), attributes):
        pass


def _element(
    xf: Any, tag: str, attributes: dict[str, str], data: Sequence[tuple[str, str | None]]
) -> None:
    """One node or edge with its ``<data>`` (missing values left out)."""
    xf.write("\n")
    with xf.element(_tag(tag), attributes):
        for key, value in data:
            if value is not None:
                with xf.element(_tag("data"), {"key": key}):
                    xf.write(value)


def write_graphml(
    net: InteractionGraph, nodes: Sequence[Mapping[str, Any]], path: Path
) -> list[Path]:
    """Write ``net`` to ``path`` as GraphML, with one attribute dict per vertex in ``nodes``.

    ``nodes[i]`` describes vertex ``i`` (``net.actor_ids`` order); see
    ``veille.report.attributes`` for the columns.
    """
    node_columns = node_table(net, nodes)
    edges = edge_table(net)
    node_keys = [f"n{i}" for i in range(len(node_columns.columns))]
    edge_keys = [f"e{i}" for i in range(len(edges.columns))]
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        nsmap = {None: GRAPHML_NAMESPACE, "xsi": _XSI}
        with xf.element(
            _tag("graphml"), {f"{{{_XSI}}}schemaLocation": _SCHEMA_LOCATION}, nsmap=nsmap
        ):
            _key(xf, "label", "node", Column("label", "string"))
            for key, column in zip(node_keys, node_columns.columns, strict=True):
                _key(xf, key, "node", column)
            _key(xf, "weight", "edge", Column("weight", "double"))
            for key, column in zip(edge_keys, edges.columns, strict=True):
                _key(xf, key, "edge", column)
            xf.write("\n")
            with xf.element(_tag("graph"), {"id": "G", "edgedefault": "directed"}):
                for actor_id, label, values in zip(
                    node_columns.ids, node_columns.labels, node_columns.values, strict=True
                ):
                    data = [("label", label), *zip(node_keys, values, strict=True)]
                    _element(xf, "node", {"id": actor_id}, data)
                for row in edges.rows():
                    data = [("weight", row.weight), *zip(edge_keys, row.values, strict=True)]
                    attributes = {"id": row.id, "source": row.source, "target": row.target}
                    _element(xf, "edge", attributes, data)
                xf.write("\n")
            xf.write("\n")
    return [path]

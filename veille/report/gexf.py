"""GEXF 1.3 export, the format Gephi opens natively.

One ``<graph defaultedgetype="directed" mode="static">`` with node attributes (scores,
community, platform, first/last seen: whatever the caller's node dicts hold, see
``veille.report.attributes``) and edge attributes (kinds, count per kind, first/last time,
evidence posts), each edge weighted by its number of interactions. Written incrementally with
lxml's ``xmlfile``, so a graph of millions of edges never sits in memory as a tree; lxml
escapes every value (hostile names included) and the text is cleaned of characters XML 1.0
forbids beforehand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from veille.report.attributes import Column, clean_text, edge_table, node_table

if TYPE_CHECKING:
    from veille.analyze.graph import InteractionGraph

__all__ = ["GEXF_NAMESPACE", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"


def _tag(name: str) -> str:
    return f"{{{GEXF_NAMESPACE}}}{name}"


def _attributes(xf: Any, kind: str, columns: Sequence[Column], prefix: str) -> None:
    with xf.element(_tag("attributes"), {"class": kind, "mode": "static"}):
        for i, column in enumerate(columns):
            xf.write("\n")
            attribute = {"id": f"{prefix}{i}", "title": column.name, "type": column.type}
            with xf.element(_tag("attribute"), attribute):
                pass
        xf.write("\n")


def _element(
    xf: Any, tag: str, attributes: dict[str, str], values: Sequence[str | None], prefix: str
) -> None:
    """One node or edge with its attribute values (missing ones left out)."""
    xf.write("\n")
    with xf.element(_tag(tag), attributes):
        present = [(i, v) for i, v in enumerate(values) if v is not None]
        if present:
            with xf.element(_tag("attvalues")):
                for i, value in present:
                    with xf.element(_tag("attvalue"), {"for": f"{prefix}{i}", "value": value}):
                        pass


def write_gexf(
    net: InteractionGraph, nodes: Sequence[Mapping[str, Any]], path: Path, *, creator: str = ""
) -> list[Path]:
    """Write ``net`` to ``path`` as GEXF 1.3, with one attribute dict per vertex in ``nodes``.

    ``nodes[i]`` describes vertex ``i`` (``net.actor_ids`` order); see
    ``veille.report.attributes`` for the columns. ``creator`` goes in ``<meta>``.
    """
    node_columns = node_table(net, nodes)
    edges = edge_table(net)
    if not creator:
        from veille import __version__

        creator = f"veille {__version__}"
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        root_attributes = {"version": "1.3", f"{{{_XSI}}}schemaLocation": _SCHEMA_LOCATION}
        nsmap = {None: GEXF_NAMESPACE, "xsi": _XSI}
        with xf.element(_tag("gexf"), root_attributes, nsmap=nsmap):
            xf.write("\n")
            with xf.element(_tag("meta")):
                with xf.element(_tag("creator")):
                    xf.write(clean_text(creator))
                with xf.element(_tag("description")):
                    xf.write("interaction graph")
            xf.write("\n")
            graph_attributes = {"defaultedgetype": "directed", "mode": "static"}
            with xf.element(_tag("graph"), graph_attributes):
                xf.write("\n")
                _attributes(xf, "node", node_columns.columns, "n")
                xf.write("\n")
                _attributes(xf, "edge", edges.columns, "e")
                xf.write("\n")
                with xf.element(_tag("nodes")):
                    for actor_id, label, values in zip(
                        node_columns.ids, node_columns.labels, node_columns.values, strict=True
                    ):
                        _element(xf, "node", {"id": actor_id, "label": label}, values, "n")
                    xf.write("\n")
                xf.write("\n")
                with xf.element(_tag("edges")):
                    for row in edges.rows():
                        attributes = {
                            "id": row.id,
                            "source": row.source,
                            "target": row.target,
                            "weight": row.weight,
                        }
                        _element(xf, "edge", attributes, row.values, "e")
                    xf.write("\n")
                xf.write("\n")
            xf.write("\n")
    return [path]

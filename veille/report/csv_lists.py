"""CSV node and edge lists (``nodes.csv``, ``edges.csv``), as Gephi's spreadsheet import reads them.

Gephi recognises the columns ``Id`` and ``Label`` for nodes, ``Source``, ``Target``, ``Type``,
``Id`` and ``Weight`` for edges; every other column is imported as an attribute. The values are
those of the GEXF and GraphML exports (see ``veille.report.attributes``): UTF-8 without a byte
order mark, comma-separated, quoted where needed by :mod:`csv`; a missing value is an empty
cell.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from veille.report.attributes import edge_table, node_table

if TYPE_CHECKING:
    from veille.analyze.graph import InteractionGraph

__all__ = ["write_csv_lists"]


def write_csv_lists(
    net: InteractionGraph, nodes: Sequence[Mapping[str, Any]], folder: Path
) -> list[Path]:
    """Write ``folder/nodes.csv`` and ``folder/edges.csv`` (creating ``folder``); return both.

    ``nodes[i]`` describes vertex ``i`` (``net.actor_ids`` order).
    """
    node_columns = node_table(net, nodes)
    edges = edge_table(net)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with nodes_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Id", "Label", *(c.name for c in node_columns.columns)])
        for actor_id, label, values in zip(
            node_columns.ids, node_columns.labels, node_columns.values, strict=True
        ):
            writer.writerow([actor_id, label, *("" if v is None else v for v in values)])
    with edges_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["Source", "Target", "Type", "Id", "Weight", *(c.name for c in edges.columns)]
        )
        for row in edges.rows():
            writer.writerow(
                [
                    row.source,
                    row.target,
                    "Directed",
                    row.id,
                    row.weight,
                    *("" if v is None else v for v in row.values),
                ]
            )
    return [nodes_path, edges_path]

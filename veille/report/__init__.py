"""Exports of a case's results, one module per format, registered by name in ``EXPORTERS``.

Every exporter is called ``(net, nodes, path)``: the interaction graph, one plain dict of
attributes per vertex (``net.actor_ids`` order; see ``veille.report.attributes``), and the
file (a folder for ``csv``) to write; it returns the files written. Importing this package
loads no exporter (nor lxml): ``EXPORTERS.get(name)`` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from veille.registry import Registry

if TYPE_CHECKING:
    from veille.analyze.graph import InteractionGraph

__all__ = ["EXPORTERS", "Exporter"]


class Exporter(Protocol):
    def __call__(
        self, net: InteractionGraph, nodes: Sequence[Mapping[str, Any]], path: Path, /
    ) -> list[Path]:
        """Write ``net`` with its node attributes to ``path``; return the files written."""


EXPORTERS: Registry[Exporter] = Registry(
    "exporter",
    {
        "gexf": "veille.report.gexf:write_gexf",
        "graphml": "veille.report.graphml:write_graphml",
        "csv": "veille.report.csv_lists:write_csv_lists",
    },
)

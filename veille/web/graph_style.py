"""How the graph view shows a selection: colours by community, sizes by rank, first places.

The browser refines the layout (ForceAtlas2); it starts from each community on its own patch
of a circle, so the first frame already shows the groups and the layout settles in a few
hundred steps. Colours are SVG and WebGL values, never inline style.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["NO_COMMUNITY", "PALETTE", "community_color", "styled"]

# Twelve colours told apart in print and by most colour-blind readers (Tableau 10 and two).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#2f4b7c", "#a0cbe8", "#8cd17d",
)  # fmt: skip
NO_COMMUNITY = "#9aa0a6"
_SIZE_MIN, _SIZE_MAX = 3.0, 18.0
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def community_color(community: int | None) -> str:
    return NO_COMMUNITY if community is None else PALETTE[community % len(PALETTE)]


def _sizes(nodes: list[dict[str, Any]], ranked: bool) -> list[float]:
    """Node sizes by the chosen measure (interactions in the selection when unranked); the
    area grows with the value, so a node twice as important is not four times as big."""
    key = "score" if ranked else "interactions"
    values = [max(float(node.get(key) or 0.0), 0.0) for node in nodes]
    top = max(values, default=0.0)
    if top <= 0:
        return [_SIZE_MIN for _ in nodes]
    return [round(_SIZE_MIN + (_SIZE_MAX - _SIZE_MIN) * math.sqrt(v / top), 2) for v in values]


def styled(view: dict[str, Any]) -> dict[str, Any]:
    """``view`` (``veille.store.graph_view.graph_view``) with each node's colour, size and
    starting position, and the communities it shows (most nodes first)."""
    nodes: list[dict[str, Any]] = view["nodes"]
    groups: dict[int | None, list[dict[str, Any]]] = {}
    for node in nodes:
        groups.setdefault(node["community"], []).append(node)
    order = sorted(groups, key=lambda c: (-len(groups[c]), c is None, c or 0))
    for size, node in zip(_sizes(nodes, bool(view.get("ranked"))), nodes, strict=True):
        node["size"] = size
        node["color"] = community_color(node["community"])
    for index, community in enumerate(order):
        members = groups[community]
        angle = 2 * math.pi * index / max(len(order), 1)
        ring = 0.0 if len(order) == 1 else 10.0 * math.sqrt(len(nodes))
        cx, cy = ring * math.cos(angle), ring * math.sin(angle)
        for k, node in enumerate(members):  # a sunflower: busiest in the middle
            radius = 3.0 * math.sqrt(k)
            node["x"] = round(cx + radius * math.cos(k * _GOLDEN_ANGLE), 3)
            node["y"] = round(cy + radius * math.sin(k * _GOLDEN_ANGLE), 3)
    view["communities"] = [
        {"community": c, "nodes": len(groups[c]), "color": community_color(c)} for c in order
    ]
    return view

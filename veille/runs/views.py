"""What the workbench's views take from the report layer: the base map its map and place
pages draw on (the same as the HTML report's)."""

from __future__ import annotations

from veille.report.map_frame import BaseMap, base_map

__all__ = ["BaseMap", "base_map"]

"""Country outlines from the vendored TopoJSON (world-atlas 2.0.2, Natural Earth 1:50m).

Internal helper of ``veille.report``: not a stable API.

TopoJSON stores each border once, as an "arc" shared by the two countries it separates;
quantized arcs are delta-encoded integers to be scaled by the topology's ``transform``. A ring
lists arc indices; a negative index ``~i`` means arc ``i`` walked backwards. The file is read
on first use and the decoded shapes are kept for the life of the process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = ["Shape", "decode", "world_countries"]

Point = tuple[float, float]  # longitude, latitude
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # the outer ring, then its holes


@dataclass(frozen=True, slots=True)
class Shape:
    """One geometry of a GeometryCollection: a country, as drawn by Natural Earth."""

    id: str | None  # ISO 3166-1 numeric ("368"); None for Kosovo, N. Cyprus, Somaliland...
    name: str
    polygons: tuple[Polygon, ...]
    bbox: tuple[float, float, float, float]  # west, south, east, north


def _arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy, *_ in arc:
            x += qx
            y += qy
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def _ring(indices: Sequence[int], arcs: list[list[Point]]) -> Ring:
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Each arc starts where the previous one ended: keep that point once.
        points.extend(arc[1:] if points else arc)
    return tuple(points)


def decode(topology: Mapping[str, Any], name: str) -> tuple[Shape, ...]:
    """The polygons of ``topology["objects"][name]``; other geometry types are left out."""
    arcs = _arcs(topology)
    shapes = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            parts = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue
        polygons = tuple(tuple(_ring(ring, arcs) for ring in part) for part in parts)
        outer = [point for polygon in polygons for point in polygon[0]]
        if not outer:
            continue
        lons = [lon for lon, _ in outer]
        lats = [lat for _, lat in outer]
        shapes.append(
            Shape(
                id=geometry.get("id"),
                name=str(geometry.get("properties", {}).get("name", "")),
                polygons=polygons,
                bbox=(min(lons), min(lats), max(lons), max(lats)),
            )
        )
    return tuple(shapes)


@cache
def world_countries() -> tuple[Shape, ...]:
    """Every country of ``assets/countries-50m.json``, decoded once per process."""
    text = files("veille.report").joinpath("assets/countries-50m.json").read_text("utf-8")
    return decode(json.loads(text), "countries")

"""A base map of the countries around some places: the frame, its projection and outlines.

Internal helper of ``veille.report`` (the HTML report's map) and of the workbench's map
views: not a stable API.

The frame is the bounding box of the places, padded, in an equirectangular projection scaled
by cos(mid latitude) so shapes are not stretched sideways at 50° N. Outlines come from the
vendored Natural Earth file (:mod:`veille.report.topojson`), are clipped to the frame and
thinned (points under half a pixel apart are dropped) to keep the page small.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from veille.report.html_parts import svg_num
from veille.report.topojson import Shape, world_countries

__all__ = [
    "MAP_WIDTH",
    "BaseMap",
    "Frame",
    "Outline",
    "base_map",
    "coordinates",
    "country_code",
    "frame_around",
    "graticule",
    "outline_path",
]

MAP_WIDTH = 960
_MIN_HEIGHT, _MAX_HEIGHT = 380, 620
_MIN_SPAN = (14.0, 9.0)  # degrees of longitude, latitude: one city alone is not a street map
_TOLERANCE = 0.5  # px: closer points are dropped
_CLIP_MARGIN = 2.0  # px beyond the frame, so clipped borders do not show at the edge

XY = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Frame:
    west: float
    south: float
    east: float
    north: float
    width: float
    height: float

    def xy(self, lon: float, lat: float) -> XY:
        scale = self.width / (self.east - self.west)
        return (lon - self.west) * scale, (self.north - lat) * self.height / (
            self.north - self.south
        )

    def holds(self, bbox: tuple[float, float, float, float]) -> bool:
        west, south, east, north = bbox
        return (
            west <= self.east and east >= self.west and south <= self.north and north >= self.south
        )


def coordinates(place: Mapping[str, Any]) -> tuple[float, float] | None:
    """(longitude, latitude) of a place row, or None when it has no usable ones."""
    lat, lon = place.get("latitude"), place.get("longitude")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return None
    lat, lon = float(lat), float(lon)  # type: ignore[arg-type]  # numbers, checked above
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat


def frame_around(points: Sequence[tuple[float, float]]) -> Frame:
    """The padded box around ``points`` (lon, lat), widened on one axis to a drawable aspect
    ratio; the world without Antarctica when there are none."""
    if not points:
        return _fit(-180.0, -58.0, 180.0, 84.0)
    lons = [lon for lon, _ in points]
    lats = [lat for _, lat in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_lon = max((east - west) * 0.12, (_MIN_SPAN[0] - (east - west)) / 2, 2.0)
    pad_lat = max((north - south) * 0.12, (_MIN_SPAN[1] - (north - south)) / 2, 1.5)
    return _fit(
        west - pad_lon, max(south - pad_lat, -85.0), east + pad_lon, min(north + pad_lat, 85.0)
    )


def _fit(west: float, south: float, east: float, north: float) -> Frame:
    k = math.cos(math.radians((south + north) / 2))
    height = MAP_WIDTH * (north - south) / ((east - west) * k)
    if height > _MAX_HEIGHT:  # too tall: show more longitude
        extra = ((north - south) / k * MAP_WIDTH / _MAX_HEIGHT - (east - west)) / 2
        west, east, height = west - extra, east + extra, _MAX_HEIGHT
    elif height < _MIN_HEIGHT:  # too flat: show more latitude
        extra = ((east - west) * k * _MIN_HEIGHT / MAP_WIDTH - (north - south)) / 2
        south, north, height = south - extra, north + extra, _MIN_HEIGHT
    return Frame(west, south, east, north, MAP_WIDTH, round(height))


def _thin(points: Iterable[XY]) -> list[XY]:
    kept: list[XY] = []
    for x, y in points:
        if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= _TOLERANCE:
            kept.append((x, y))
    return kept


def _clip_edge(
    ring: list[XY], inside: Callable[[XY], bool], cut: Callable[[XY, XY], XY]
) -> list[XY]:
    out: list[XY] = []
    previous = ring[-1]
    for point in ring:
        if inside(point):
            if not inside(previous):
                out.append(cut(previous, point))
            out.append(point)
        elif inside(previous):
            out.append(cut(previous, point))
        previous = point
    return out


def _clip(ring: list[XY], x0: float, y0: float, x1: float, y1: float) -> list[XY]:
    """Sutherland-Hodgman against the frame: edges along the border are harmless when filled."""

    def at_x(c: float) -> Callable[[XY, XY], XY]:
        return lambda p, q: (c, p[1] + (c - p[0]) * (q[1] - p[1]) / (q[0] - p[0]))

    def at_y(c: float) -> Callable[[XY, XY], XY]:
        return lambda p, q: (p[0] + (c - p[1]) * (q[0] - p[0]) / (q[1] - p[1]), c)

    for inside, cut in (
        (lambda p: p[0] >= x0, at_x(x0)),
        (lambda p: p[0] <= x1, at_x(x1)),
        (lambda p: p[1] >= y0, at_y(y0)),
        (lambda p: p[1] <= y1, at_y(y1)),
    ):
        if not ring:
            break
        ring = _clip_edge(ring, inside, cut)
    return ring


def outline_path(shape: Shape, frame: Frame) -> str:
    """SVG path data of ``shape`` in ``frame``; "" when nothing of it shows."""
    m = _CLIP_MARGIN
    parts = []
    for polygon in shape.polygons:
        for ring in polygon:
            points = _thin(frame.xy(lon, lat) for lon, lat in ring[:-1])
            points = _clip(points, -m, -m, frame.width + m, frame.height + m) if points else []
            points = _thin(points)
            if len(points) < 3:
                continue
            coords = " ".join(f"{svg_num(x)} {svg_num(y)}" for x, y in points)
            parts.append(f"M{coords}Z")
    return "".join(parts)


@cache
def country_code(numeric: str | None, name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a Natural Earth shape (its id is the numeric code)."""
    import pycountry  # here, not at import: it reads its package metadata when imported

    if numeric is None:
        return "XK" if name == "Kosovo" else None  # user-assigned code, common in data sets
    country = pycountry.countries.get(numeric=numeric)
    return None if country is None else str(country.alpha_2)


def graticule(frame: Frame) -> str:
    """SVG path data of the meridians and parallels across ``frame``."""
    step = 5 if frame.east - frame.west < 40 else 10 if frame.east - frame.west < 120 else 30
    lines = []
    for lon in range(math.ceil(frame.west / step) * step, math.floor(frame.east) + 1, step):
        x, _ = frame.xy(lon, 0)
        lines.append(f"M{svg_num(x)} 0V{svg_num(frame.height)}")
    for lat in range(math.ceil(frame.south / step) * step, math.floor(frame.north) + 1, step):
        _, y = frame.xy(0, lat)
        lines.append(f"M0 {svg_num(y)}H{svg_num(frame.width)}")
    return "".join(lines)


@dataclass(frozen=True, slots=True)
class Outline:
    """One country as drawn in a frame."""

    code: str | None  # ISO 3166-1 alpha-2
    name: str
    path: str  # SVG path data


@dataclass(frozen=True, slots=True)
class BaseMap:
    """The countries and graticule of a frame, ready to draw places on (``frame.xy``)."""

    frame: Frame
    outlines: tuple[Outline, ...]
    graticule: str

    @property
    def width(self) -> float:
        return self.frame.width

    @property
    def height(self) -> float:
        return self.frame.height

    def xy(self, lon: float, lat: float) -> XY:
        return self.frame.xy(lon, lat)


def base_map(points: Sequence[tuple[float, float]]) -> BaseMap:
    """The base map framing ``points`` (lon, lat); the same frame is drawn once per process."""
    return _drawn(frame_around(points))


@lru_cache(maxsize=32)
def _drawn(frame: Frame) -> BaseMap:
    outlines = []
    for shape in world_countries():
        if frame.holds(shape.bbox) and (path := outline_path(shape, frame)):
            outlines.append(Outline(country_code(shape.id, shape.name), shape.name, path))
    return BaseMap(frame, tuple(outlines), graticule(frame))

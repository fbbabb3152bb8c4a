"""The report's map: an inline SVG of the countries around the active places, nothing fetched.

Internal helper of ``veille.report.html_report``: not a stable API.

The frame is the bounding box of the places with posts, padded, in an equirectangular
projection scaled by cos(mid latitude) so shapes are not stretched sideways at 50° N. Outlines
come from the vendored Natural Earth file (:mod:`veille.report.topojson`), are clipped to the
frame and thinned (points under half a pixel apart are dropped) to keep the page small.
Counts are of people, not posts, and the two kinds of place stay apart: countries are shaded by
the accounts that named a place in them; places named in posts (*about*) are filled circles,
places authors post from (*from*: profile location, photo GPS) are rings, each with an area
proportional to its accounts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from veille.report.html_parts import Markup, as_number, el, fmt_int, join, svg_num
from veille.report.topojson import Shape, world_countries

__all__ = ["COLORS", "MAP_WIDTH", "render_map"]

MAP_WIDTH = 960
_MIN_HEIGHT, _MAX_HEIGHT = 380, 620
_MIN_SPAN = (14.0, 9.0)  # degrees of longitude, latitude: one city alone is not a street map
_TOLERANCE = 0.5  # px: closer points are dropped
_CLIP_MARGIN = 2.0  # px beyond the frame, so clipped borders do not show at the edge
# Light to dark: five classes of posts per country (square-root steps of the busiest one).
COLORS = ("#fde9d2", "#fcc891", "#f89d59", "#e0652f", "#a83a12")
_NO_POSTS = "#eceae6"
_MAX_RADIUS, _MIN_RADIUS = 24.0, 3.0
_LABELS = 12  # place names written on the map, busiest first

XY = tuple[float, float]


@dataclass(frozen=True, slots=True)
class _Frame:
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


def _coords(place: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lon = place.get("latitude"), place.get("longitude")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return None
    lat, lon = float(lat), float(lon)  # type: ignore[arg-type]  # numbers, checked above
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat


def _accounts(row: Mapping[str, Any]) -> int:
    return max(0, int(as_number(row.get("accounts"))))


def _kind(row: Mapping[str, Any]) -> str:
    return "from" if row.get("kind") == "from" else "about"


def _frame(points: Sequence[tuple[float, float]]) -> _Frame:
    """The padded box around ``points``, widened on one axis to a drawable aspect ratio."""
    if not points:
        return _fit(-180.0, -58.0, 180.0, 84.0)  # the world, without Antarctica
    lons = [lon for lon, _ in points]
    lats = [lat for _, lat in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_lon = max((east - west) * 0.12, (_MIN_SPAN[0] - (east - west)) / 2, 2.0)
    pad_lat = max((north - south) * 0.12, (_MIN_SPAN[1] - (north - south)) / 2, 1.5)
    return _fit(
        west - pad_lon, max(south - pad_lat, -85.0), east + pad_lon, min(north + pad_lat, 85.0)
    )


def _fit(west: float, south: float, east: float, north: float) -> _Frame:
    k = math.cos(math.radians((south + north) / 2))
    height = MAP_WIDTH * (north - south) / ((east - west) * k)
    if height > _MAX_HEIGHT:  # too tall: show more longitude
        extra = ((north - south) / k * MAP_WIDTH / _MAX_HEIGHT - (east - west)) / 2
        west, east, height = west - extra, east + extra, _MAX_HEIGHT
    elif height < _MIN_HEIGHT:  # too flat: show more latitude
        extra = ((east - west) * k * _MIN_HEIGHT / MAP_WIDTH - (north - south)) / 2
        south, north, height = south - extra, north + extra, _MIN_HEIGHT
    return _Frame(west, south, east, north, MAP_WIDTH, round(height))


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


def _path(shape: Shape, frame: _Frame) -> str:
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
def _alpha2(numeric: str | None, name: str) -> str | None:
    import pycountry  # here, not at import: it reads its package metadata when imported

    if numeric is None:
        return "XK" if name == "Kosovo" else None  # user-assigned code, common in data sets
    country = pycountry.countries.get(numeric=numeric)
    return None if country is None else str(country.alpha_2)


def _shade(accounts: int, busiest: int) -> str:
    if accounts <= 0 or busiest <= 0:
        return _NO_POSTS
    step = math.ceil(math.sqrt(accounts / busiest) * len(COLORS)) - 1
    return COLORS[min(max(step, 0), len(COLORS) - 1)]


def _legend(busiest: int, place_max: int) -> Markup:
    swatches = []
    for i, color in enumerate(COLORS):
        low = math.floor(busiest * (i / len(COLORS)) ** 2) + 1
        high = math.floor(busiest * ((i + 1) / len(COLORS)) ** 2)
        if high < low:
            continue
        swatches.append(
            el(
                "span",
                {"class": "swatch"},
                el("i", {"style": f"background:{color}"}),
                f"{fmt_int(low)}–{fmt_int(high)}",
            )
        )
    swatches.append(
        el("span", {"class": "swatch"}, el("i", {"style": f"background:{_NO_POSTS}"}), "none")
    )
    circles = (
        "Filled circles: places named in posts (what they are about). Rings: places their "
        "authors post from (profile location, photo GPS). Area proportional to accounts "
        f"(largest: {fmt_int(place_max)} accounts); dashed: whole regions or countries, placed "
        "at their centre."
    )
    return el(
        "div",
        {"class": "legend"},
        el("span", {}, "Accounts naming a place in each country: "),
        swatches,
        el("p", {}, circles),
    )


def _overlaps(box: tuple[float, float, float, float], taken: list[tuple[float, ...]]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in taken)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _places(places: Sequence[Mapping[str, Any]], frame: _Frame) -> tuple[Markup, int]:
    """Circles (busiest first, so small ones stay on top) and labels that hide no circle."""
    located = sorted(
        ((p, c) for p in places if (c := _coords(p)) is not None), key=lambda pc: -_accounts(pc[0])
    )
    biggest = max((_accounts(p) for p, _ in located), default=0)
    circles, spots = [], []
    for place, (lon, lat) in located:
        x, y = frame.xy(lon, lat)
        if not (0 <= x <= frame.width and 0 <= y <= frame.height):
            continue
        accounts, kind = _accounts(place), _kind(place)
        share = math.sqrt(accounts / biggest) if biggest else 0.0
        radius = _MIN_RADIUS + (_MAX_RADIUS - _MIN_RADIUS) * share
        level = str(place.get("level") or "")
        area = level in {"region", "country", "continent"}
        what = "named in posts of" if kind == "about" else "the location of"
        tip = (
            f"{place.get('name')} ({place.get('country_code') or '?'}, {level or 'place'}): "
            f"{what} {fmt_int(accounts)} accounts ({fmt_int(place.get('posts'))} posts)"
        )
        if seen := ", ".join(str(n) for n in place.get("names_seen") or []):
            tip += f". Also written: {seen}"
        circles.append(
            el(
                "circle",
                {
                    "class": f"place {kind} area" if area else f"place {kind}",
                    "cx": svg_num(x),
                    "cy": svg_num(y),
                    "r": svg_num(radius),
                    "data-place": place.get("place_id"),
                    "data-kind": kind,
                    "data-accounts": accounts,
                    "data-posts": int(as_number(place.get("posts"))),
                },
                el("title", {}, tip),
            )
        )
        spots.append((x, y, radius, "" if area else _short(str(place.get("name") or ""))))
    taken: list[tuple[float, ...]] = [(x - r, y - r, x + r, y + r) for x, y, r, _ in spots]
    labels = []
    for x, y, radius, name in spots[:_LABELS]:
        width = 6.6 * len(name)
        # Right, left, above, below: (left edge, baseline) of the first spot that hides nothing.
        for x0, base in (
            (x + radius + 2, y + 4),
            (x - radius - 2 - width, y + 4),
            (x - width / 2, y - radius - 4),
            (x - width / 2, y + radius + 13),
        ):
            box = (x0, base - 12, x0 + width, base + 2)
            inside = x0 >= 0 and x0 + width <= frame.width and box[1] >= 0
            if name and inside and box[3] <= frame.height and not _overlaps(box, taken):
                taken.append(box)
                labels.append(
                    el("text", {"class": "label", "x": svg_num(x0), "y": svg_num(base)}, name)
                )
                break
    return join([*circles, *labels]), biggest


def _graticule(frame: _Frame) -> str:
    step = 5 if frame.east - frame.west < 40 else 10 if frame.east - frame.west < 120 else 30
    lines = []
    for lon in range(math.ceil(frame.west / step) * step, math.floor(frame.east) + 1, step):
        x, _ = frame.xy(lon, 0)
        lines.append(f"M{svg_num(x)} 0V{svg_num(frame.height)}")
    for lat in range(math.ceil(frame.south / step) * step, math.floor(frame.north) + 1, step):
        _, y = frame.xy(0, lat)
        lines.append(f"M0 {svg_num(y)}H{svg_num(frame.width)}")
    return "".join(lines)


def _country_tip(name: str, row: Mapping[str, Any] | None) -> str:
    if not row:
        return name
    parts = []
    if row["about"]:
        parts.append(f"{fmt_int(row['about'])} accounts named places here")
    if row["from"]:
        parts.append(f"{fmt_int(row['from'])} posted from here")
    return f"{name}: {', '.join(parts)}"


def render_map(
    places: Sequence[Mapping[str, Any]], countries: Sequence[Mapping[str, Any]]
) -> Markup:
    """The map figure: SVG, legend, and the active countries that fall outside the frame."""
    active = [c for p in places if _accounts(p) > 0 and (c := _coords(p)) is not None]
    frame = _frame(active)
    activity: dict[str, dict[str, Any]] = {}
    for given in countries:
        iso = str(given.get("country_code") or "").upper()
        if _accounts(given) > 0:
            found = activity.setdefault(iso, {"name": given.get("name"), "about": 0, "from": 0})
            found[_kind(given)] += _accounts(given)
    busiest = max((counts["about"] for counts in activity.values()), default=0)
    paths, drawn = [], set()
    for shape in world_countries():
        if not frame.holds(shape.bbox):
            continue
        data = _path(shape, frame)
        if not data:
            continue
        code = _alpha2(shape.id, shape.name)
        row = activity.get(code or "")
        name = str(row.get("name") or shape.name) if row else shape.name
        drawn.add(code)
        paths.append(
            el(
                "path",
                {
                    "class": "country",
                    "d": data,
                    "fill": _shade(row["about"] if row else 0, busiest),
                    "data-iso": code,
                },
                el("title", {}, _country_tip(name, row)),
            )
        )
    marks, place_max = _places(places, frame)
    size = f"0 0 {svg_num(frame.width)} {svg_num(frame.height)}"
    svg = el(
        "svg",
        {"class": "map", "viewBox": size, "role": "img", "aria-labelledby": "map-title"},
        el("title", {"id": "map-title"}, "Map of accounts by country and place"),
        el("rect", {"class": "sea", "width": "100%", "height": "100%"}),
        el("path", {"class": "graticule", "d": _graticule(frame)}),
        el("g", {"class": "countries"}, paths),
        el("g", {"class": "places"}, marks),
    )
    outside = sorted(
        (str(row.get("name") or code) for code, row in activity.items() if code not in drawn),
    )
    note = (
        el("p", {"class": "note"}, f"Also active, outside this map: {', '.join(outside)}.")
        if outside
        else None
    )
    return el("figure", {"class": "map-figure"}, svg, _legend(busiest, place_max), note)

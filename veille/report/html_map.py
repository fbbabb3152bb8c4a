"""The report's map: an inline SVG of the countries around the active places, nothing fetched.

Internal helper of ``veille.report.html_report``: not a stable API.

The frame is the box around the places with posts, its outlines clipped and thinned
(:mod:`veille.report.map_frame`). Countries are shaded by posts; places are circles with an
area proportional to posts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from veille.report.html_parts import Markup, as_number, el, fmt_int, join, svg_num
from veille.report.map_frame import (
    MAP_WIDTH,
    Frame,
    coordinates,
    country_code,
    frame_around,
    graticule,
    outline_path,
)
from veille.report.topojson import world_countries

__all__ = ["COLORS", "MAP_WIDTH", "render_map"]

# Light to dark: five classes of posts per country (square-root steps of the busiest one).
COLORS = ("#fde9d2", "#fcc891", "#f89d59", "#e0652f", "#a83a12")
_NO_POSTS = "#eceae6"
_MAX_RADIUS, _MIN_RADIUS = 24.0, 3.0
_LABELS = 12  # place names written on the map, busiest first


def _posts(row: Mapping[str, Any]) -> int:
    return max(0, int(as_number(row.get("posts"))))


def _shade(posts: int, busiest: int) -> str:
    if posts <= 0 or busiest <= 0:
        return _NO_POSTS
    step = math.ceil(math.sqrt(posts / busiest) * len(COLORS)) - 1
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
        el("span", {"class": "swatch"}, el("i", {"style": f"background:{_NO_POSTS}"}), "no posts")
    )
    circles = (
        f"Circles: places; area proportional to posts (largest: {fmt_int(place_max)} posts). "
        "Dashed circles: whole regions or countries, placed at their centre."
    )
    return el(
        "div",
        {"class": "legend"},
        el("span", {}, "Posts per country: "),
        swatches,
        el("p", {}, circles),
    )


def _overlaps(box: tuple[float, float, float, float], taken: list[tuple[float, ...]]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in taken)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _places(places: Sequence[Mapping[str, Any]], frame: Frame) -> tuple[Markup, int]:
    """Circles (busiest first, so small ones stay on top) and labels that hide no circle."""
    located = sorted(
        ((p, c) for p in places if (c := coordinates(p)) is not None), key=lambda pc: -_posts(pc[0])
    )
    biggest = max((_posts(p) for p, _ in located), default=0)
    circles, spots = [], []
    for place, (lon, lat) in located:
        x, y = frame.xy(lon, lat)
        if not (0 <= x <= frame.width and 0 <= y <= frame.height):
            continue
        posts = _posts(place)
        share = math.sqrt(posts / biggest) if biggest else 0.0
        radius = _MIN_RADIUS + (_MAX_RADIUS - _MIN_RADIUS) * share
        level = str(place.get("level") or "")
        area = level in {"region", "country", "continent"}
        tip = (
            f"{place.get('name')} ({place.get('country_code') or '?'}, {level or 'place'}): "
            f"{fmt_int(posts)} posts"
        )
        if seen := ", ".join(str(n) for n in place.get("names_seen") or []):
            tip += f". Also written: {seen}"
        circles.append(
            el(
                "circle",
                {
                    "class": "place area" if area else "place",
                    "cx": svg_num(x),
                    "cy": svg_num(y),
                    "r": svg_num(radius),
                    "data-place": place.get("place_id"),
                    "data-posts": posts,
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


def render_map(
    places: Sequence[Mapping[str, Any]], countries: Sequence[Mapping[str, Any]]
) -> Markup:
    """The map figure: SVG, legend, and the active countries that fall outside the frame."""
    active = [c for p in places if _posts(p) > 0 and (c := coordinates(p)) is not None]
    frame = frame_around(active)
    activity = {
        str(row.get("country_code") or "").upper(): row for row in countries if _posts(row) > 0
    }
    busiest = max((_posts(row) for row in activity.values()), default=0)
    paths, drawn = [], set()
    for shape in world_countries():
        if not frame.holds(shape.bbox):
            continue
        data = outline_path(shape, frame)
        if not data:
            continue
        code = country_code(shape.id, shape.name)
        row = activity.get(code or "")
        posts = _posts(row) if row else 0
        name = str(row.get("name") or shape.name) if row else shape.name
        drawn.add(code)
        paths.append(
            el(
                "path",
                {"class": "country", "d": data, "fill": _shade(posts, busiest), "data-iso": code},
                el("title", {}, f"{name}: {fmt_int(posts)} posts" if posts else name),
            )
        )
    marks, place_max = _places(places, frame)
    size = f"0 0 {svg_num(frame.width)} {svg_num(frame.height)}"
    svg = el(
        "svg",
        {"class": "map", "viewBox": size, "role": "img", "aria-labelledby": "map-title"},
        el("title", {"id": "map-title"}, "Map of posts by country and place"),
        el("rect", {"class": "sea", "width": "100%", "height": "100%"}),
        el("path", {"class": "graticule", "d": graticule(frame)}),
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

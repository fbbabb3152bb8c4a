"""The report's map: an inline SVG of the countries around the active places, nothing fetched.

Internal helper of ``veille.report.html_report``: not a stable API.

The frame is the box around the places with posts, its outlines clipped and thinned
(:mod:`veille.report.map_frame`). Counts are of people, not posts, and the two kinds of place
stay apart: countries are shaded by the accounts that named a place in them; places named in
posts (*about*) are filled circles, places authors post from (*from*: profile location, photo
GPS) are rings, each with an area proportional to its accounts.
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


def _accounts(row: Mapping[str, Any]) -> int:
    return max(0, int(as_number(row.get("accounts"))))


def _kind(row: Mapping[str, Any]) -> str:
    return "from" if row.get("kind") == "from" else "about"


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


def _places(places: Sequence[Mapping[str, Any]], frame: Frame) -> tuple[Markup, int]:
    """Circles (busiest first, so small ones stay on top) and labels that hide no circle."""
    located = sorted(
        ((p, c) for p in places if (c := coordinates(p)) is not None),
        key=lambda pc: -_accounts(pc[0]),
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
    active = [c for p in places if _accounts(p) > 0 and (c := coordinates(p)) is not None]
    frame = frame_around(active)
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
        data = outline_path(shape, frame)
        if not data:
            continue
        code = country_code(shape.id, shape.name)
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

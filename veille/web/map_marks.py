"""Places drawn on a base map: circles sized by accounts, about and from apart, and labels.

Geometry only, for the templates (SVG attributes, no inline style, no script). A circle's
area grows with the distinct accounts that wrote about the place (or from it), on one scale
for both layers so they can be compared; regions and countries, placed at their centre,
are drawn dashed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["Label", "PlaceMark", "Projection", "label_marks", "located", "place_marks"]

_MIN_RADIUS, _MAX_RADIUS = 3.0, 22.0
_AREAS = {"region", "country", "continent"}
_LABELS = 10


class Projection(Protocol):
    """What a base map offers to draw on (``veille.case.Case.base_map``)."""

    @property
    def width(self) -> float: ...

    @property
    def height(self) -> float: ...

    def xy(self, lon: float, lat: float) -> tuple[float, float]: ...


@dataclass(frozen=True, slots=True)
class PlaceMark:
    layer: str  # about | from
    place_id: str
    name: str
    x: float
    y: float
    r: float
    area: bool  # a region, country or continent, placed at its centre
    title: str  # the tooltip
    href: str


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str


def located(place: Mapping[str, Any]) -> tuple[float, float] | None:
    """(longitude, latitude) of a place row, or None when it has no usable ones."""
    lat, lon = place.get("latitude"), place.get("longitude")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return None
    lat, lon = float(lat), float(lon)  # type: ignore[arg-type]  # numbers, checked above
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat


_WORDS = {"about": "about it", "from": "from it"}


def place_marks(
    base: Projection,
    layers: Iterable[tuple[str, Sequence[Mapping[str, Any]]]],
    href: Callable[[str, str], str],
) -> list[PlaceMark]:
    """Circles for every located place of each (layer, places), biggest first (small ones
    drawn last, on top); ``href(place_id, layer)`` is where a circle leads."""
    layers = list(layers)
    biggest = max((int(p["accounts"]) for _, rows in layers for p in rows), default=0)
    marks = []
    for layer, rows in layers:
        for place in rows:
            where = located(place)
            if where is None:
                continue
            x, y = base.xy(*where)
            if not (0 <= x <= base.width and 0 <= y <= base.height):
                continue
            accounts, posts = int(place["accounts"]), int(place["posts"])
            share = math.sqrt(accounts / biggest) if biggest else 0.0
            level = str(place.get("level") or "place")
            title = (
                f"{place['name']} ({place.get('country_code') or '?'}, {level}): "
                f"{accounts:,} accounts, {posts:,} posts {_WORDS.get(layer, layer)}"
            )
            marks.append(
                PlaceMark(
                    layer=layer,
                    place_id=str(place["place_id"]),
                    name=str(place["name"]),
                    x=round(x, 1),
                    y=round(y, 1),
                    r=round(_MIN_RADIUS + (_MAX_RADIUS - _MIN_RADIUS) * share, 1),
                    area=level in _AREAS,
                    title=title,
                    href=href(str(place["place_id"]), layer),
                )
            )
    return sorted(marks, key=lambda m: -m.r)


def label_marks(marks: Sequence[PlaceMark], limit: int = _LABELS) -> list[Label]:
    """Names beside the biggest circles (one per place), towns before regions."""
    labels: list[Label] = []
    named: set[str] = set()
    for mark in sorted(marks, key=lambda m: (m.area, -m.r)):
        if mark.place_id in named or len(labels) >= limit:
            continue
        named.add(mark.place_id)
        name = mark.name if len(mark.name) <= 24 else mark.name[:23] + "…"
        labels.append(Label(round(mark.x + mark.r + 3, 1), round(mark.y + 4, 1), name))
    return labels

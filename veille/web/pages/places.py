"""Places: the map of a selection (places its posts are about, and places their authors post
from, apart), its GeoJSON, and a page for each place."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from veille.case import Case
from veille.store.place_view import PLACE_CAP, place_accounts, place_record, selection_places
from veille.store.post_search import SearchFilters, search_posts, search_timeline
from veille.web.app import cursor, render
from veille.web.charts import bar_chart
from veille.web.map_marks import label_marks, located, place_marks
from veille.web.pages.search import filters_from

__all__ = ["ROUTES"]

RECENT = 20  # latest posts on a place's page


def _kept(params: QueryParams) -> dict[str, str]:
    return {k: v for k, v in params.items() if v and k not in ("page", "hops", "rank_by")}


def _search_link(kept: dict[str, str], place_id: str, layer: str) -> str:
    """The search for the selection's posts at ``place_id``, about it or from it."""
    return "/search?" + urlencode({**kept, "place": place_id, "origin": layer})


def map_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    filters, problems = filters_from(request.query_params)
    layers = selection_places(con, filters)
    points = [where for rows in layers.values() for p in rows if (where := located(p))]
    case: Case = request.app.state.case
    base = case.base_map(points) if points else None
    kept = _kept(request.query_params)
    marks = (
        place_marks(base, layers.items(), lambda place, layer: _search_link(kept, place, layer))
        if base
        else []
    )
    return render(
        request,
        "map.html",
        filters=filters,
        problems=problems,
        layers=layers,
        base=base,
        marks=marks,
        labels=label_marks(marks),
        unplaced=sum(1 for rows in layers.values() for p in rows if located(p) is None),
        cap=PLACE_CAP,
        query=urlencode(kept),
        search_link=lambda place, layer: _search_link(kept, place, layer),
    )


def map_geojson(request: Request) -> JSONResponse:
    """The selection's places as a GeoJSON FeatureCollection (RFC 7946): one Point per place
    and layer, with its accounts and posts, the layer (about or from) and where to read it."""
    filters, _ = filters_from(request.query_params)
    layers = selection_places(cursor(request), filters)
    kept = _kept(request.query_params)
    features: list[dict[str, Any]] = []
    for layer, rows in layers.items():
        for place in rows:
            where = located(place)
            if where is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": list(where)},
                    "properties": {
                        "place_id": place["place_id"],
                        "name": place["name"],
                        "level": place["level"],
                        "country_code": place["country_code"],
                        "layer": layer,
                        "accounts": int(place["accounts"]),
                        "posts": int(place["posts"]),
                        "place_page": f"/place/{place['place_id']}",
                        "posts_page": _search_link(kept, str(place["place_id"]), layer),
                    },
                }
            )
    return JSONResponse(
        {"type": "FeatureCollection", "features": features},
        media_type="application/geo+json",
        headers={"content-disposition": 'attachment; filename="places.geojson"'},
    )


def place_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    place_id = request.path_params["place_id"]
    place = place_record(con, place_id)
    if place is None:
        raise HTTPException(404)
    where = located(place)
    case: Case = request.app.state.case
    base = case.base_map([where]) if where else None
    row = {**place, "accounts": 1, "posts": 1}
    marks = place_marks(base, [("here", [row])], lambda *_: "") if base else []
    about = SearchFilters(place=place_id, place_origin="about")
    from_ = SearchFilters(place=place_id, place_origin="from")
    latest = search_posts(con, SearchFilters(place=place_id, sort="newest"), limit=RECENT)
    return render(
        request,
        "place.html",
        place=place,
        base=base,
        mark=marks[0] if marks else None,
        about_chart=bar_chart(search_timeline(con, about)),
        from_chart=bar_chart(search_timeline(con, from_)),
        accounts=place_accounts(con, place_id),
        latest=latest,
        query=urlencode({"place": place_id}),
    )


ROUTES = [
    Route("/map", map_page, name="map"),
    Route("/map.geojson", map_geojson, name="map_geojson"),
    Route("/place/{place_id}", place_page, name="place"),
]

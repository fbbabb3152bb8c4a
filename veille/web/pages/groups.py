"""A community and an entity: who, what, when, and the posts."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from veille.store.group_view import community_record, entity_record, labelled
from veille.store.post_search import SearchFilters, search_posts, search_timeline, top_authors
from veille.web.app import cursor, render
from veille.web.charts import bar_chart

__all__ = ["ROUTES"]


def community_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    try:
        number = int(request.path_params["number"])
    except ValueError:
        raise HTTPException(404) from None
    community = community_record(con, number)
    if community is None:
        raise HTTPException(404)
    filters = SearchFilters(community=number, sort="newest")
    return render(
        request,
        "community.html",
        community=community,
        chart=bar_chart(search_timeline(con, filters)),
        latest=search_posts(con, filters, limit=30),
    )


def entity_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    entity = entity_record(con, request.path_params["entity_id"])
    if entity is None:
        raise HTTPException(404)
    filters = SearchFilters(entity=entity["id"], sort="newest")
    return render(
        request,
        "entity.html",
        entity=entity,
        chart=bar_chart(search_timeline(con, filters)),
        authors=labelled(con, top_authors(con, filters)),
        latest=search_posts(con, filters, limit=30),
    )


ROUTES = [
    Route("/community/{number}", community_page, name="community"),
    Route("/entity/{entity_id:path}", entity_page, name="entity"),
]

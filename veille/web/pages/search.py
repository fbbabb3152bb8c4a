"""Search: words and filters, results with the words marked, counts over time, exports."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from veille.store.actor_history import actor_labels
from veille.store.post_search import SearchFilters, matching_posts, search_posts, search_timeline
from veille.web.app import cursor, render
from veille.web.charts import bar_chart

__all__ = ["ROUTES", "filters_from"]

PAGE = 50
_TEXT_FILTERS = ("platform", "chat", "account", "place", "lang", "hashtag", "entity")


def _day(value: str | None, problems: list[str], name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{name}: {value!r} is not a date (YYYY-MM-DD); ignored")
        return None


def filters_from(params: QueryParams) -> tuple[SearchFilters, list[str]]:
    """The filters a query string asks for, and what in it could not be used."""
    problems: list[str] = []
    community: int | None = None
    if params.get("community"):
        try:
            community = int(params["community"])
        except ValueError:
            problems.append(f"community: {params['community']!r} is not a number; ignored")
    origin = params.get("origin") or None
    if origin not in (None, "about", "from"):
        problems.append(f"origin: {origin!r} is not about or from; ignored")
        origin = None
    sort = params.get("sort") or "relevance"
    if sort not in ("relevance", "newest", "oldest"):
        problems.append(f"sort: {sort!r} is not relevance, newest or oldest; ignored")
        sort = "relevance"
    texts: dict[str, Any] = {name: (params.get(name) or None) for name in _TEXT_FILTERS}
    filters = SearchFilters(
        words=params.get("q", ""),
        since=_day(params.get("since"), problems, "since"),
        until=_day(params.get("until"), problems, "until"),
        community=community,
        place_origin=origin,  # type: ignore[arg-type]
        sort=sort,  # type: ignore[arg-type]
        **texts,
    )
    return filters, problems


def _page_number(params: QueryParams) -> int:
    try:
        return max(1, int(params.get("page", "1")))
    except ValueError:
        return 1


def search_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    filters, problems = filters_from(request.query_params)
    page_number = _page_number(request.query_params)
    page = search_posts(con, filters, limit=PAGE, offset=(page_number - 1) * PAGE)
    labels = actor_labels(
        con, sorted({a for r in page.rows for a in (r["author_id"], r["chat_id"]) if a})
    )
    kept = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return render(
        request,
        "search.html",
        filters=filters,
        problems=problems,
        page=page,
        page_number=page_number,
        pages=max(1, -(-page.total // PAGE)),
        labels={actor: label for actor, (label, _) in labels.items()},
        chart=bar_chart(search_timeline(con, filters)),
        query=urlencode(kept),
        platforms=[
            row[0]
            for row in con.execute("SELECT DISTINCT platform FROM posts ORDER BY 1").fetchall()
        ],
        languages=[
            row[0]
            for row in con.execute(
                "SELECT DISTINCT lang FROM post_languages WHERE part = 0 ORDER BY 1"
            ).fetchall()
        ],
    )


def search_export(request: Request) -> Response:
    """Every matching post as CSV or Parquet, with its source file and locator."""
    filters, _ = filters_from(request.query_params)
    file_format = request.path_params["file_format"]
    if file_format not in ("csv", "parquet"):
        raise HTTPException(404)
    table = matching_posts(cursor(request), filters)
    buffer = io.BytesIO()
    if file_format == "parquet":
        pq.write_table(table, buffer)
        media_type = "application/vnd.apache.parquet"
    else:
        pa_csv.write_csv(table, buffer)
        media_type = "text/csv; charset=utf-8"
    return Response(
        buffer.getvalue(),
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="search.{file_format}"'},
    )


ROUTES = [
    Route("/search", search_page, name="search"),
    Route("/search.{file_format:str}", search_export, name="search_export"),
]

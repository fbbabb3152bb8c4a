"""The timeline of a selection: its posts per day (per week over long spans), with the
blackouts, moves and silence waves of the latest runs marked where they fall."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from veille.store.finding_view import finding_spans
from veille.store.post_search import daily_counts
from veille.web.app import cursor, render
from veille.web.pages.search import filters_from
from veille.web.timeline_chart import timeline_chart

__all__ = ["ROUTES"]


def timeline_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    params = request.query_params
    filters, problems = filters_from(params)
    spans = finding_spans(con)
    chart = timeline_chart(daily_counts(con, filters), spans)
    kept = {k: v for k, v in params.items() if v and k not in ("page", "hops", "rank_by")}
    return render(
        request,
        "timeline.html",
        filters=filters,
        problems=problems,
        chart=chart,
        spans=spans,
        marked={(m.kind, m.href) for m in chart.marks} if chart else set(),
        query=urlencode(kept),
    )


ROUTES = [Route("/timeline", timeline_page, name="timeline")]

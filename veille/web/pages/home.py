"""The case at a glance: what it holds, its findings, its most important accounts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from veille.store.finding_view import findings
from veille.store.group_view import top_entities
from veille.store.report_queries import summary_counts, top_accounts
from veille.store.results import latest_run
from veille.store.search_index import index_state
from veille.web.app import cursor, render

__all__ = ["ROUTES"]


def home(request: Request) -> HTMLResponse:
    con = cursor(request)
    network = latest_run(con, "network")
    return render(
        request,
        "home.html",
        counts=summary_counts(con),
        index=index_state(con),
        findings=findings(con),
        accounts=top_accounts(con, network["id"], 20) if network else [],
        entities=top_entities(con),
    )


ROUTES = [Route("/", home, name="home")]

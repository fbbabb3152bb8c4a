"""An account: its names over time, activity, contacts both ways, places, ranks, silence."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from veille.store.account_view import (
    account_contacts,
    account_history,
    account_places,
    account_record,
    account_standing,
    weekly_posts,
)
from veille.store.notes import notes_about
from veille.store.post_search import SearchFilters, search_posts
from veille.web.app import cursor, render
from veille.web.charts import bar_chart

__all__ = ["ROUTES"]

RECENT = 30  # latest posts shown; the rest are one search away


def account_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    account = account_record(con, request.path_params["actor_id"])
    if account is None:
        raise HTTPException(404)
    actor_id = account["id"]
    wrote = search_posts(con, SearchFilters(account=actor_id, sort="newest"), limit=RECENT)
    inside = search_posts(con, SearchFilters(chat=actor_id, sort="newest"), limit=RECENT)
    return render(
        request,
        "account.html",
        account=account,
        history=account_history(con, actor_id),
        chart=bar_chart(weekly_posts(con, "author_id", actor_id)),
        chat_chart=bar_chart(weekly_posts(con, "chat_id", actor_id)),
        contacts=account_contacts(con, actor_id),
        places=account_places(con, actor_id),
        standing=account_standing(con, actor_id),
        wrote=wrote,
        inside=inside,
        notes=notes_about(con, "account", actor_id),
    )


ROUTES = [Route("/account/{actor_id}", account_page, name="account")]

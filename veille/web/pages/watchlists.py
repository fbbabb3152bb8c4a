"""Watchlists of accounts and keywords: their hits, what is new since the last look, reach."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from veille.errors import ConfigError
from veille.store.account_view import reach_of
from veille.store.watchlist_entries import (
    add_entry,
    entry_hits,
    last_look,
    record_look,
    remove_entry,
    watchlists,
)
from veille.web.app import author, cursor, render
from veille.web.csrf import check_form

__all__ = ["ROUTES"]


def _back(name: str) -> RedirectResponse:
    return RedirectResponse(f"/watchlist/{quote(name, safe='')}", status_code=303)


def lists_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    lists = watchlists(con)
    summary = []
    for name, entries in lists.items():
        look = last_look(con, name)
        since = look["looked_at"] if look else None
        hits = [entry_hits(con, entry, since, limit=0) for entry in entries]
        summary.append(
            {
                "name": name,
                "entries": len(entries),
                "total": sum(h["total"] for h in hits),
                "new": sum(h["new"] for h in hits),
                "look": look,
            }
        )
    return render(request, "watchlists.html", lists=summary)


def list_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    name = request.path_params["name"]
    entries = watchlists(con).get(name)
    if not entries:
        raise HTTPException(404)
    look = last_look(con, name)
    since = look["looked_at"] if look else None
    hits = [(entry, entry_hits(con, entry, since)) for entry in entries]
    accounts = sorted({actor for _, found in hits for actor in found["accounts"]})
    return render(
        request, "watchlist.html", name=name, hits=hits, look=look, reach=reach_of(con, accounts)
    )


async def add_to_list(request: Request) -> Response:
    form = await request.form()
    check_form(request, form)
    name = str(form.get("watchlist", ""))
    kind, value = str(form.get("kind", "")), str(form.get("value", ""))
    try:
        await run_in_threadpool(add_entry, cursor(request), name, kind, value, author(request))
    except ConfigError as error:
        return render(request, "refused.html", status=400, message=str(error))
    return _back(" ".join(name.split()))


async def remove_from_list(request: Request) -> Response:
    form = await request.form()
    check_form(request, form)
    await run_in_threadpool(remove_entry, cursor(request), str(form.get("entry", "")))
    return _back(request.path_params["name"])


async def mark_seen(request: Request) -> Response:
    form = await request.form()
    check_form(request, form)
    await run_in_threadpool(
        record_look, cursor(request), request.path_params["name"], author(request)
    )
    return _back(request.path_params["name"])


ROUTES = [
    Route("/watchlists", lists_page, name="watchlists"),
    Route("/watchlists", add_to_list, methods=["POST"], name="add_to_watchlist"),
    Route("/watchlist/{name}", list_page, name="watchlist"),
    Route("/watchlist/{name}/remove", remove_from_list, methods=["POST"]),
    Route("/watchlist/{name}/seen", mark_seen, methods=["POST"]),
]

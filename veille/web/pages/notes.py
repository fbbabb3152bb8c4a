"""Notes and tags on posts and accounts: write one, list them all."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from veille.errors import ConfigError
from veille.store.notes import add_note, notes_list
from veille.web.app import author, cursor, render
from veille.web.csrf import check_form

__all__ = ["ROUTES"]


async def write_note(request: Request) -> Response:
    form = await request.form()
    check_form(request, form)
    kind, target = str(form.get("target_kind", "")), str(form.get("target_id", ""))
    text, tags = str(form.get("text", "")), str(form.get("tags", ""))
    try:
        await run_in_threadpool(
            add_note, cursor(request), kind, target, text, tags, author(request)
        )
    except ConfigError as error:
        return render(request, "refused.html", status=400, message=str(error))
    return RedirectResponse(f"/{kind}/{quote(target, safe='')}#notes", status_code=303)


def notes_page(request: Request) -> HTMLResponse:
    tag = request.query_params.get("tag") or None
    return render(request, "notes.html", notes=notes_list(cursor(request), tag), tag=tag)


ROUTES = [
    Route("/notes", notes_page, name="notes"),
    Route("/notes", write_note, methods=["POST"], name="write_note"),
]

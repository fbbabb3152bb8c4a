"""The workbench's ASGI app: routes, templates, the case it serves."""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from veille.case import Case
from veille.web.csrf import COOKIE as CSRF_COOKIE
from veille.web.csrf import form_token
from veille.web.highlight import mark_words
from veille.web.security import SecurityMiddleware

__all__ = ["author", "create_app", "cursor", "render"]

_PACKAGE = resources.files("veille.web")


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(_PACKAGE / "templates")),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,  # a missing value is a bug, not a blank
    )
    environment.filters["when"] = _when
    environment.filters["short"] = _short
    environment.filters["marked"] = mark_words
    return environment


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC") if value.utcoffset() is not None else str(value)
    return "" if value is None else str(value)


def _short(text: Any, length: int = 280) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def cursor(request: Request) -> duckdb.DuckDBPyConnection:
    """A connection of its own for this request (DuckDB connections are not shared by threads)."""
    case: Case = request.app.state.case
    return case.con.cursor()


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    environment: Environment = request.app.state.templates
    case: Case = request.app.state.case
    token, new = form_token(request)
    html = environment.get_template(template).render(
        request=request, case_name=case.config.name, csrf=token, **context
    )
    response = HTMLResponse(html, status_code=status)
    if new:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def author(request: Request) -> str:
    """Who the app writes notes and watchlist entries as (``veille serve --as``)."""
    name: str = request.app.state.author
    return name


def _not_found(request: Request, exc: Exception) -> HTMLResponse:
    return render(request, "not_found.html", status=404, what=request.url.path)


def create_app(
    root: Path, *, hosts: list[str], token: str | None = None, author: str | None = None
) -> Starlette:
    """The app over the case at ``root``, answering only on ``hosts`` (``host:port`` too);
    notes and watchlist entries are written as ``author`` (the system user by default)."""
    from veille.web.pages import (
        account,
        findings,
        graph,
        groups,
        home,
        notes,
        places,
        post,
        search,
        timeline,
        watchlists,
    )

    case = Case.open(root)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        case.close()

    routes = [
        *home.ROUTES,
        *search.ROUTES,
        *post.ROUTES,
        *account.ROUTES,
        *findings.ROUTES,
        *groups.ROUTES,
        *notes.ROUTES,
        *watchlists.ROUTES,
        *graph.ROUTES,
        *places.ROUTES,
        *timeline.ROUTES,
        Mount("/static", StaticFiles(directory=str(_PACKAGE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: _not_found})
    app.state.case = case
    app.state.templates = _environment()
    app.state.author = author or getpass.getuser()
    app.add_middleware(SecurityMiddleware, hosts=hosts, token=token)
    return app

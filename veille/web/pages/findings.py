"""Findings: the list, and a page for each with the posts behind it."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from veille.store.finding_view import finding, findings
from veille.store.post_view import post_summaries
from veille.web.app import cursor, render

__all__ = ["ROUTES"]


def findings_page(request: Request) -> HTMLResponse:
    return render(request, "findings.html", findings=findings(cursor(request)))


def finding_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    try:
        number = int(request.path_params["number"])
    except ValueError:
        raise HTTPException(404) from None
    found = finding(con, request.path_params["kind"], number)
    if found is None:
        raise HTTPException(404)
    row, evidence = found
    return render(
        request,
        "finding.html",
        kind=request.path_params["kind"],
        row=row,
        evidence=post_summaries(con, evidence),
    )


ROUTES = [
    Route("/findings", findings_page, name="findings"),
    Route("/finding/{kind}/{number}", finding_page, name="finding"),
]

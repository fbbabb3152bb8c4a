"""The graph of a selection: who addresses whom in the posts the filters pick, drawn in the
browser (sigma.js, WebGL) from ``/graph.json``, and exported for Gephi as ``/graph.gexf``.

Every filter of the search applies; ``account`` with ``hops`` (1 to 3) asks instead for the
account's neighbourhood: the accounts within that many interactions of it, either way, and
the ties among them. ``rank_by`` chooses what sizes the nodes.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from veille.case import Case
from veille.store.actor_history import actor_labels
from veille.store.graph_view import NODE_CAP, RANKS, RankBy, graph_view
from veille.store.post_search import SearchFilters
from veille.store.selection import MAX_HOPS, Neighbourhood, select_interactions
from veille.web.app import cursor, render
from veille.web.graph_style import styled
from veille.web.pages.search import filters_from

__all__ = ["ROUTES", "view_params"]

LISTED = 25  # accounts listed under the drawing


def view_params(
    params: QueryParams,
) -> tuple[SearchFilters, Neighbourhood | None, RankBy, list[str]]:
    """The filters, the neighbourhood, the measure nodes are sized by, and what in the query
    string could not be used."""
    filters, problems = filters_from(params)
    around = None
    if hops_text := params.get("hops"):
        try:
            hops = int(hops_text)
        except ValueError:
            hops = 0
        if not filters.account:
            problems.append("hops: give an account to take the neighbourhood of; ignored")
        elif not 1 <= hops <= MAX_HOPS:
            problems.append(f"hops: {hops_text!r} is not 1 to {MAX_HOPS}; ignored")
        else:
            around = Neighbourhood(filters.account, hops)
            filters = replace(filters, account=None)
    rank_by = params.get("rank_by") or "combined"
    if rank_by not in RANKS:
        problems.append(f"rank_by: {rank_by!r} is not one of {', '.join(RANKS)}; ignored")
        rank_by = "combined"
    return filters, around, cast(RankBy, rank_by), problems


def _query(params: QueryParams, *drop: str) -> str:
    return urlencode({k: v for k, v in params.items() if v and k not in ("page", *drop)})


def _finite(view: dict[str, Any]) -> dict[str, Any]:
    for node in view["nodes"]:  # JSON has no NaN; a measure that is not a number is no measure
        if isinstance(node["score"], float) and not math.isfinite(node["score"]):
            node["score"] = None
    return view


def graph_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    params = request.query_params
    filters, around, rank_by, problems = view_params(params)
    relation = select_interactions(con, filters, around)
    view = styled(_finite(graph_view(con, relation, rank_by=rank_by, edge_cap=0)))
    focus = None
    if around is not None:
        focus = actor_labels(con, [around.account]).get(around.account, (around.account, ""))[0]
    # The other views show posts, not a neighbourhood: they get the filters without it.
    elsewhere = _query(params, "rank_by", "hops", *(["account"] if around else []))
    return render(
        request,
        "graph.html",
        filters=filters,
        around=around,
        focus=focus,
        rank_by=rank_by,
        ranks=RANKS,
        max_hops=MAX_HOPS,
        problems=problems,
        view=view,
        listed=view["nodes"][:LISTED],
        cap=NODE_CAP,
        query=_query(params),
        elsewhere=elsewhere,
        hidden={k: v for k, v in params.items() if v and k not in ("page", "rank_by", "hops")},
    )


def graph_json(request: Request) -> JSONResponse:
    """The drawing's data: nodes (id, label, colour, size, start position, rank, community,
    collected) and edges of the selection, capped, with what the caps left out."""
    con = cursor(request)
    filters, around, rank_by, problems = view_params(request.query_params)
    relation = select_interactions(con, filters, around)
    view = styled(_finite(graph_view(con, relation, rank_by=rank_by)))
    view["focus"] = around.account if around else None
    view["problems"] = problems
    return JSONResponse(view)


def graph_gexf(request: Request) -> Response:
    """The selection's graph as dynamic GEXF: Gephi opens it with labels, communities, ranks,
    collected or mentioned only, and a timeline to play."""
    filters, around, _, _ = view_params(request.query_params)
    case: Case = request.app.state.case
    with tempfile.TemporaryDirectory(prefix="veille-gexf-") as folder:
        path = Path(folder) / "graph.gexf"
        case.export_selection(filters, path, around=around)
        body = path.read_bytes()
    return Response(
        body,
        media_type="application/gexf+xml",
        headers={"content-disposition": 'attachment; filename="graph.gexf"'},
    )


ROUTES = [
    Route("/graph", graph_page, name="graph"),
    Route("/graph.json", graph_json, name="graph_json"),
    Route("/graph.gexf", graph_gexf, name="graph_gexf"),
]

"""A post: its text with every fact marked at its offsets, its context and its provenance."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from veille.store.actor_history import actor_labels
from veille.store.notes import notes_about
from veille.store.post_view import post_facts, post_record, related_posts
from veille.web.app import cursor, render
from veille.web.highlight import Span, mark_spans

__all__ = ["ROUTES"]


def _spans(facts: dict[str, list[dict[str, Any]]], field: str) -> list[Span]:
    spans = []
    for row in facts["entities"]:
        if row["field"] == field:
            spans.append(
                Span(
                    int(row["start_char"]),
                    int(row["end_char"]),
                    "entity",
                    f"entity {row['entity_id']} ({row['entity_type']})",
                )
            )
    for row in facts["places"]:
        if row["field"] == field and row["start_char"] is not None:
            spans.append(
                Span(
                    int(row["start_char"]),
                    int(row["end_char"]),
                    "place",
                    f"place {row['name']} ({row['place_id']})",
                )
            )
    for row in facts["links"]:
        if row["field"] == field:
            spans.append(
                Span(
                    int(row["start_char"]),
                    int(row["end_char"]),
                    str(row["kind"]),
                    f"{row['kind']} {row['normalized']}",
                )
            )
    return spans


def post_page(request: Request) -> HTMLResponse:
    con = cursor(request)
    post = post_record(con, request.path_params["post_id"])
    if post is None:
        raise HTTPException(404)
    facts = post_facts(con, post["id"])
    actors = {row["target_actor_id"] for row in facts["interactions"]}
    return render(
        request,
        "post.html",
        post=post,
        facts=facts,
        text=mark_spans(post["text"] or "", _spans(facts, "text")),
        title=mark_spans(post["title"] or "", _spans(facts, "title")),
        related=related_posts(con, post),
        labels={actor: label for actor, (label, _) in actor_labels(con, sorted(actors)).items()},
        notes=notes_about(con, "post", post["id"]),
    )


ROUTES = [Route("/post/{post_id}", post_page, name="post")]

"""One post as the workbench shows it: text and facts at their offsets, context, provenance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from veille.store.actor_history import actor_labels

__all__ = ["post_facts", "post_record", "post_summaries", "related_posts"]


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def post_record(con: duckdb.DuckDBPyConnection, post_id: str) -> dict[str, Any] | None:
    """The post's columns, its source file and the labels of its author and chat."""
    rows = _dicts(
        con.execute(
            "SELECT p.*, s.path AS source_path, s.reader, s.sha256 AS source_sha256 "
            "FROM posts p LEFT JOIN sources s ON s.id = p.source_id WHERE p.id = ? LIMIT 1",
            [post_id],
        )
    )
    if not rows:
        return None
    post = rows[0]
    labels = actor_labels(con, [a for a in (post["author_id"], post["chat_id"]) if a])
    post["author_label"] = labels.get(post["author_id"], ("", ""))[0]
    post["chat_label"] = labels.get(post["chat_id"], ("", ""))[0]
    return post


def post_facts(con: duckdb.DuckDBPyConnection, post_id: str) -> dict[str, list[dict[str, Any]]]:
    """What enrichers found in the post, by kind; text facts carry their offsets."""
    return {
        "entities": _dicts(
            con.execute(
                "SELECT field, start_char, end_char, surface, entity_id, entity_type, method "
                "FROM post_entities WHERE post_id = ? ORDER BY field, start_char",
                [post_id],
            )
        ),
        "places": _dicts(
            con.execute(
                "SELECT origin, field, start_char, end_char, surface, place_id, name, level, "
                "country_code, latitude, longitude, confidence, reason "
                "FROM post_places WHERE post_id = ? ORDER BY field, start_char NULLS LAST",
                [post_id],
            )
        ),
        "links": _dicts(
            con.execute(
                "SELECT field, start_char, end_char, kind, value, normalized, domain, target "
                "FROM post_links WHERE post_id = ? ORDER BY field, start_char",
                [post_id],
            )
        ),
        "languages": _dicts(
            con.execute(
                "SELECT field, part, lang, confidence FROM post_languages "
                "WHERE post_id = ? ORDER BY field, part",
                [post_id],
            )
        ),
        "media": _dicts(
            con.execute(
                "SELECT m.id, m.name, m.status, m.sha256, m.size, m.mime, f.width, f.height, "
                "f.taken_at, f.camera_make, f.camera_model, f.latitude, f.longitude "
                "FROM media m LEFT JOIN media_facts f ON f.media_id = m.id "
                "WHERE m.post_id = ? ORDER BY m.name",
                [post_id],
            )
        ),
        "interactions": _dicts(
            con.execute(
                "SELECT kind, source_actor_id, target_actor_id FROM interactions "
                "WHERE post_id = ? ORDER BY kind, target_actor_id",
                [post_id],
            )
        ),
    }


def post_summaries(
    con: duckdb.DuckDBPyConnection, post_ids: Sequence[str], max_chars: int = 400
) -> list[dict[str, Any]]:
    """Short rows for lists of posts (evidence, context), in the order of ``post_ids``."""
    if not post_ids:
        return []
    rows = _dicts(
        con.execute(
            "SELECT p.id, p.platform, p.posted_at, left(p.text, ?) AS text, p.author_id, "
            "p.chat_id FROM posts p WHERE list_contains(?, p.id)",
            [max_chars, list(post_ids)],
        )
    )
    labels = actor_labels(con, [r["author_id"] for r in rows if r["author_id"]])
    order = {post_id: i for i, post_id in enumerate(post_ids)}
    for row in rows:
        row["author_label"] = labels.get(row["author_id"], ("", ""))[0]
    return sorted(rows, key=lambda row: order[row["id"]])


def related_posts(con: duckdb.DuckDBPyConnection, post: dict[str, Any]) -> dict[str, Any]:
    """The posts it answers, forwards or quotes (when the case holds them) and its replies."""
    found = {
        key: post_summaries(con, [post[key]]) if post.get(key) else []
        for key in ("reply_to_id", "forwarded_from_id", "quoted_id")
    }
    rows = con.execute(  # each side by its own index: an OR would read the whole table
        "SELECT id, posted_at FROM posts WHERE reply_to_id = ? UNION "
        "SELECT id, posted_at FROM posts WHERE quoted_id = ? "
        "ORDER BY posted_at NULLS LAST, id LIMIT 50",
        [post["id"], post["id"]],
    ).fetchall()
    found["replies"] = post_summaries(con, [row[0] for row in rows])
    return found

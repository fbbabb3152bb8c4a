"""Notes and tags on posts and accounts: the analyst's own writes, with who and when."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, TypedDict

import duckdb

from veille.errors import ConfigError
from veille.store.declared import Json, fetch_typed
from veille.store.write import now_utc

__all__ = ["MAX_NOTE_CHARS", "NOTE_TARGETS", "NoteRow", "add_note", "notes_about", "notes_list"]

NOTE_TARGETS = ("post", "account")
MAX_NOTE_CHARS = 20_000
MAX_TAGS = 20


class NoteRow(TypedDict):
    id: str
    target_kind: str
    target_id: str
    text: str
    tags: Json
    author: str
    written_at: datetime


def _tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, each once, in order."""
    tags = [" ".join(tag.split())[:60] for tag in text.split(",")]
    return list(dict.fromkeys(tag for tag in tags if tag))[:MAX_TAGS]


def add_note(
    con: duckdb.DuckDBPyConnection,
    target_kind: str,
    target_id: str,
    text: str,
    tags: str,
    author: str,
) -> str:
    """Store a note on a post or account of the case; returns its id."""
    if target_kind not in NOTE_TARGETS:
        raise ConfigError(f"a note is on one of {', '.join(NOTE_TARGETS)}, not {target_kind!r}")
    table = "posts" if target_kind == "post" else "actors"
    exists = con.execute(f"SELECT count(*) FROM {table} WHERE id = ?", [target_id]).fetchone()
    if not exists or not exists[0]:
        raise ConfigError(f"no {target_kind} {target_id!r} in this case")
    if not text.strip() and not _tags(tags):
        raise ConfigError("an empty note: write some text or a tag")
    if len(text) > MAX_NOTE_CHARS:
        raise ConfigError(f"a note holds at most {MAX_NOTE_CHARS:,} characters")
    note_id = uuid.uuid4().hex[:20]
    con.execute(
        "INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?)",
        [note_id, target_kind, target_id, text, json.dumps(_tags(tags)), author, now_utc()],
    )
    return note_id


def notes_about(
    con: duckdb.DuckDBPyConnection, target_kind: str, target_id: str
) -> list[dict[str, Any]]:
    """The notes on one post or account, oldest first, tags as lists."""
    cursor = con.execute(
        "SELECT * FROM notes WHERE target_kind = ? AND target_id = ? ORDER BY written_at, id",
        [target_kind, target_id],
    )
    return [{**row, "tags": json.loads(row["tags"])} for row in fetch_typed(cursor, NoteRow)]


def notes_list(con: duckdb.DuckDBPyConnection, tag: str | None = None) -> list[dict[str, Any]]:
    """Every note, newest first, or those with ``tag``."""
    cursor = con.execute(
        "SELECT * FROM notes WHERE ? IS NULL OR list_contains(CAST(tags AS VARCHAR[]), ?) "
        "ORDER BY written_at DESC, id",
        [tag, tag],
    )
    return [{**row, "tags": json.loads(row["tags"])} for row in fetch_typed(cursor, NoteRow)]

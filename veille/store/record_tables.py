"""The record tables, declared once: each row type gives the writer its Arrow schema, and
``DESCRIBE`` must agree with it (``tests/unit/store/test_declared.py``).

A column filled from a record has the name of the record's field (``model.Post.text`` is
``posts.text``; provenance gives ``locator``, ``file`` and ``raw``); ``source_id`` is the
source being read. Ids have no NOT NULL: the tables have no key (``docs/architecture.md``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

import pyarrow as pa

from veille.store.declared import Int32, Json, arrow_schema

__all__ = [
    "RECORD_TABLES",
    "ActorNameRow",
    "ActorRow",
    "InteractionRow",
    "MediaRow",
    "PostRow",
    "QuarantineRow",
    "SightingRow",
    "record_schema",
]


class ActorRow(TypedDict):
    id: str | None
    platform: str
    kind: str  # account | channel | group | outlet
    native_id: str | None
    handle: str | None
    name: str | None  # the first display name seen; all of them in actor_names
    source_id: str
    locator: str


class ActorNameRow(TypedDict):
    id: str | None  # hash of actor id + name
    actor_id: str
    name: str
    source_id: str
    locator: str


class SightingRow(TypedDict):
    id: str | None  # hash of source + actor + every state column
    actor_id: str
    platform: str
    native_id: str | None
    handle: str | None
    name: str | None
    description: str | None
    location: str | None
    followers: int | None
    seen_at: datetime | None
    source_id: str
    locator: str


class PostRow(TypedDict):
    id: str | None
    platform: str
    kind: str  # post | message | article | service
    native_id: str | None
    author_id: str | None
    chat_id: str | None
    posted_at: datetime | None
    utc_offset_min: Int32 | None
    text: str
    title: str | None
    url: str | None
    reply_to_id: str | None
    forwarded_from_id: str | None
    quoted_id: str | None
    edited_at: datetime | None
    lang_hint: str | None
    boilerplate: str | None
    extra: Json | None
    source_id: str
    locator: str
    file: str | None
    raw: str | None


class InteractionRow(TypedDict):
    id: str | None
    kind: str  # mention | reply | forward | retweet | quote | contact
    source_actor_id: str
    target_actor_id: str
    post_id: str  # the post that shows it: the evidence
    platform: str
    occurred_at: datetime | None
    source_id: str
    locator: str


class MediaRow(TypedDict):
    id: str | None
    post_id: str
    name: str  # the reference inside the export
    status: str  # stored | missing
    sha256: str | None  # content address under media/, None when missing
    size: int | None
    mime: str | None
    source_id: str
    locator: str


class QuarantineRow(TypedDict):
    id: str | None  # hash of source + file + locator + reason
    source_id: str
    path: str
    file: str | None
    locator: str
    reason: str
    raw: str | None
    run_id: str


RECORD_TABLES: dict[str, type] = {
    "actors": ActorRow,
    "actor_names": ActorNameRow,
    "actor_sightings": SightingRow,
    "posts": PostRow,
    "interactions": InteractionRow,
    "media": MediaRow,
    "quarantine": QuarantineRow,
}


def record_schema(table: str) -> pa.Schema:
    """The Arrow schema the writer builds ``table``'s batches in (every field nullable: the
    database, not Arrow, refuses a missing value)."""
    schema = arrow_schema(RECORD_TABLES[table])
    return pa.schema([field.with_nullable(True) for field in schema])

"""Rows of a mapped table into column batches of posts, actors and interactions.

One row is one post: its author and any account it replies to, retweets or mentions become
actors, and those acts become interactions. An actor is yielded again whenever a row shows it in
a state (handle, name, profile) this file has not shown yet, with the row's time: so an account
first met in a mention gets its name when it posts, and a renamed account keeps both names.
Rows are gathered ``batch_rows`` at a time into ``Columns`` records, with no object per row:
building a frozen dataclass per row (Actor, Post, Interaction) was half the cost of a CSV in
bench/ingest.py. Parsed times and actor ids are cached, since a column of minute-resolution
times and a few thousand authors repeat the same values many times.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo
from typing import Any

from veille.ids import record_id
from veille.ingest.common.dates import CachedParser, DateParser
from veille.ingest.common.edges import mentions_in
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.tabular.counts import parse_count
from veille.model import Columns, Reject, column_fields

__all__ = ["RowBatcher"]

_RETWEET_PREFIX = "RT @"
# States remembered per file; past this the memory is given back and a state met again is
# yielded again (the store keeps it once). The bulk path (columns) forgets the same way.
STATES_KEPT = 1_000_000
_POST_FIELDS = column_fields(
    "post",
    "id", "platform", "kind", "native_id", "author_id", "chat_id", "posted_at", "utc_offset_min",
    "text", "title", "url", "reply_to_id", "lang_hint", "extra", "locator", "raw",
)  # fmt: skip
_ACTOR_FIELDS = column_fields(
    "actor",
    "id", "platform", "kind", "native_id", "handle", "name", "description", "location",
    "followers", "seen_at", "locator",
)  # fmt: skip
_EDGE_FIELDS = column_fields(
    "interaction",
    "id", "kind", "source_actor_id", "target_actor_id", "post_id", "platform", "occurred_at",
    "locator",
)  # fmt: skip


def _empty(names: tuple[str, ...]) -> dict[str, list[Any]]:
    return {name: [] for name in names}


class RowBatcher:
    """Collects mapped rows (field -> text) and hands them out as ``Columns`` batches."""

    def __init__(
        self, platform: str, parser: DateParser, zone: tzinfo, batch_rows: int = 10_000
    ) -> None:
        self.platform = platform
        self._when = CachedParser(parser, zone)
        self.batch_rows = batch_rows
        self._actor_ids: dict[tuple[str, str], str] = {}
        # (actor id, native id, handle, name, description, location, followers) already yielded.
        self._states_met: set[tuple[str, str | None, str | None, str | None, str | None,
                                    str | None, int | None]] = set()  # fmt: skip
        self._posts = _empty(_POST_FIELDS)
        self._actors = _empty(_ACTOR_FIELDS)
        self._edges = _empty(_EDGE_FIELDS)

    @property
    def full(self) -> bool:
        return len(self._posts["id"]) >= self.batch_rows

    def _actor(
        self,
        platform: str,
        key: str,
        locator: str,
        seen_at: datetime | None,
        handle: str | None,
        native_id: str | None = None,
        name: str | None = None,
        description: str | None = None,
        location: str | None = None,
        followers: int | None = None,
    ) -> str:
        """The id of the actor keyed ``key``; a state of it new to this file adds an actor row."""
        cache_key = (platform, key)
        identifier = self._actor_ids.get(cache_key)
        if identifier is None:
            identifier = actor_id(platform, key)
            self._actor_ids[cache_key] = identifier
        state = (identifier, native_id, handle, name, description, location, followers)
        if state not in self._states_met:
            if len(self._states_met) >= STATES_KEPT:
                self._states_met.clear()  # memory given back; the store keeps a state once
            self._states_met.add(state)
            actors = self._actors
            actors["id"].append(identifier)
            actors["platform"].append(platform)
            actors["kind"].append("account")
            actors["native_id"].append(native_id)
            actors["handle"].append(handle)
            actors["name"].append(name)
            actors["description"].append(description)
            actors["location"].append(location)
            actors["followers"].append(followers)
            actors["seen_at"].append(seen_at)
            actors["locator"].append(locator)
        return identifier

    def add(self, row: Mapping[str, str], locator: str, raw: str) -> Reject | None:
        """Buffer one row; a row that cannot be read comes back as a Reject instead."""
        posted_at = offset = None
        time_text = row.get("time")
        if time_text:
            when = self._when(time_text)
            if isinstance(when, str):
                return Reject(locator, when, raw)
            posted_at, offset = when
        platform = row.get("platform") or self.platform
        text = row.get("text") or ""
        handle = (row.get("author") or "").lstrip("@") or None
        author_native = row.get("author_id") or None
        author = None
        location = row.get("location")
        if handle or author_native:
            author = self._actor(
                platform,
                handle or str(author_native),
                locator,
                posted_at,
                handle,
                native_id=author_native,
                name=row.get("author_name") or None,
                description=row.get("description") or None,
                location=location or None,
                followers=parse_count(row.get("followers")),
            )
        native = row.get("id") or None
        if native:
            this_post = post_id(platform, native)
        else:
            this_post = post_id(platform, "row", handle, time_text, text)
        reply_to = row.get("reply_to_id")
        chat = row.get("chat")
        posts = self._posts
        posts["id"].append(this_post)
        posts["platform"].append(platform)
        posts["kind"].append("post")
        posts["native_id"].append(native)
        posts["author_id"].append(author)
        posts["chat_id"].append(actor_id(platform, chat) if chat else None)
        posts["posted_at"].append(posted_at)
        posts["utc_offset_min"].append(offset)
        posts["text"].append(text)
        posts["title"].append(row.get("title") or None)
        posts["url"].append(row.get("url") or None)
        posts["reply_to_id"].append(post_id(platform, reply_to) if reply_to else None)
        posts["lang_hint"].append(row.get("lang") or None)
        posts["extra"].append({"location": location} if location else None)
        posts["locator"].append(locator)
        posts["raw"].append(raw)
        if author is not None:
            self._add_edges(row, text, platform, author, this_post, posted_at, locator)
        return None

    def _add_edges(
        self,
        row: Mapping[str, str],
        text: str,
        platform: str,
        author: str,
        this_post: str,
        posted_at: datetime | None,
        locator: str,
    ) -> None:
        targets: list[tuple[str, str]] = []
        replied = row.get("reply_to")
        if replied:
            targets.append(("reply", replied.lstrip("@")))
        if "@" in text:
            mentioned = mentions_in(text)
            if text.startswith(_RETWEET_PREFIX) and mentioned:
                targets.append(("retweet", mentioned.pop(0)))
            targets.extend(("mention", name) for name in mentioned)
        edges = self._edges
        for kind, handle in targets:
            target = self._actor(platform, handle, locator, posted_at, handle)
            edges["id"].append(record_id("interaction", kind, this_post, author, target))
            edges["kind"].append(kind)
            edges["source_actor_id"].append(author)
            edges["target_actor_id"].append(target)
            edges["post_id"].append(this_post)
            edges["platform"].append(platform)
            edges["occurred_at"].append(posted_at)
            edges["locator"].append(locator)

    def drain(self) -> Iterator[Columns]:
        """The buffered rows as Columns (actors first), then start a new batch."""
        batches = (("actor", self._actors), ("post", self._posts), ("interaction", self._edges))
        filled = [(kind, values) for kind, values in batches if values["id"]]
        for number, (kind, values) in enumerate(filled, start=1):
            yield Columns(kind, values, ends_batch=number == len(filled))  # type: ignore[arg-type]
        self._posts = _empty(_POST_FIELDS)
        self._actors = _empty(_ACTOR_FIELDS)
        self._edges = _empty(_EDGE_FIELDS)

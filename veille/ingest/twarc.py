"""Twitter API v2 response pages, as twarc2 writes them one per JSONL line.

A page is ``{"data": [tweet...], "includes": {"users": [...], "tweets": [...], "media": [...]},
"__twarc": {...}}``. Tweets name their author by id only; ``includes.users`` gives the handles,
and ``includes.tweets`` the authors of the tweets they reply to, quote or retweet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from veille.ids import record_id
from veille.ingest.edges import interaction
from veille.ingest.identity import actor_id, post_id
from veille.ingest.tweet_fields import tweet_url
from veille.model import Actor, InteractionKind, Media, Post, Provenance, Record, Reject

__all__ = ["is_twarc_page", "records_from_page"]

PLATFORM = "twitter"
_REFERENCE_KINDS: dict[str, InteractionKind] = {
    "replied_to": "reply",
    "quoted": "quote",
    "retweeted": "retweet",
}


def is_twarc_page(obj: object) -> bool:
    """A twarc2 page has ``data`` and either ``includes`` or the ``__twarc`` envelope."""
    return isinstance(obj, dict) and "data" in obj and ("includes" in obj or "__twarc" in obj)


def _actor(user: dict[str, Any], provenance: Provenance) -> Actor:
    handle = str(user["username"])
    return Actor(
        id=actor_id(PLATFORM, handle),
        platform=PLATFORM,
        kind="account",
        provenance=provenance,
        native_id=str(user["id"]) if user.get("id") else None,
        handle=handle,
        name=user.get("name"),
    )


def records_from_page(page: dict[str, Any], locator: str) -> Iterator[Record]:
    """Actors, posts, interactions and media of one page; a bad tweet becomes a Reject."""
    includes = page.get("includes") or {}
    users = {
        str(u["id"]): u for u in includes.get("users", []) if u.get("id") and u.get("username")
    }
    referenced = {str(t["id"]): t for t in includes.get("tweets", []) if t.get("id")}
    media_by_key = {m["media_key"]: m for m in includes.get("media", []) if m.get("media_key")}
    data = page.get("data")
    tweets = data if isinstance(data, list) else [data]
    for index, tweet in enumerate(tweets):
        where = f"{locator} data[{index}]"
        raw = json.dumps(tweet, ensure_ascii=False, separators=(",", ":"))
        try:
            yield from _tweet_records(
                tweet, users, referenced, media_by_key, Provenance(where, raw)
            )
        except (KeyError, TypeError, ValueError) as error:
            yield Reject(where, f"twarc2 tweet not readable: {type(error).__name__} {error}", raw)


def _tweet_records(
    tweet: dict[str, Any],
    users: dict[str, dict[str, Any]],
    referenced: dict[str, dict[str, Any]],
    media_by_key: dict[str, dict[str, Any]],
    provenance: Provenance,
) -> Iterator[Record]:
    native_id = str(tweet["id"])
    posted_at = datetime.fromisoformat(str(tweet["created_at"]).replace("Z", "+00:00"))
    author = users.get(str(tweet.get("author_id")))
    author_key = actor_id(PLATFORM, author["username"]) if author else None
    if author:
        yield _actor(author, provenance)
    this_post = post_id(PLATFORM, native_id)
    reply_to_id = quoted_id = None
    targets: list[tuple[InteractionKind, dict[str, Any]]] = []
    for reference in tweet.get("referenced_tweets", []):
        kind = _REFERENCE_KINDS.get(reference.get("type", ""))
        if kind is None:
            continue
        ref_id = str(reference["id"])
        if kind == "reply":
            reply_to_id = post_id(PLATFORM, ref_id)
        elif kind == "quote":
            quoted_id = post_id(PLATFORM, ref_id)
        target = users.get(str(referenced.get(ref_id, {}).get("author_id")))
        if target is None and kind == "reply":
            target = users.get(str(tweet.get("in_reply_to_user_id")))
        if target is not None:
            targets.append((kind, target))
    entities = tweet.get("entities") or {}
    for mention in entities.get("mentions", []):
        if mention.get("username"):
            targets.append(("mention", {"username": mention["username"], "id": mention.get("id")}))
    text = str(tweet.get("text", ""))
    lang = tweet.get("lang")
    yield Post(
        id=this_post,
        platform=PLATFORM,
        kind="post",
        provenance=provenance,
        text=text,
        author_id=author_key,
        native_id=native_id,
        posted_at=posted_at,
        utc_offset_min=0,
        url=tweet_url(author["username"], native_id) if author else None,
        reply_to_id=reply_to_id,
        quoted_id=quoted_id,
        lang_hint=lang if lang and lang not in ("und", "qst", "qme", "zxx") else None,
        extra=_extra(tweet, entities) | _location(author),
    )
    if author_key is not None:
        for kind, target in targets:
            target_actor = _actor(target, provenance)
            yield target_actor
            yield interaction(
                kind, author_key, target_actor.id, this_post, PLATFORM, provenance, posted_at
            )
    for key in (tweet.get("attachments") or {}).get("media_keys", []):
        media = media_by_key.get(key, {})
        yield Media(
            id=record_id("media", this_post, key),
            post_id=this_post,
            name=media.get("url") or media.get("preview_image_url") or key,
            provenance=provenance,
            mime="image/jpeg" if media.get("type") == "photo" else "video/mp4" if media else None,
        )


def _location(author: dict[str, Any] | None) -> dict[str, Any]:
    """The author's profile location, as typed: a source of places for the enrichers."""
    location = (author or {}).get("location")
    return {"location": location} if isinstance(location, str) and location.strip() else {}


def _extra(tweet: dict[str, Any], entities: dict[str, Any]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if tweet.get("public_metrics"):
        extra["metrics"] = tweet["public_metrics"]
    history = tweet.get("edit_history_tweet_ids") or []
    if len(history) > 1:
        extra["edit_history_ids"] = history
    hashtags = [tag["tag"] for tag in entities.get("hashtags", []) if tag.get("tag")]
    if hashtags:
        extra["hashtags"] = hashtags
    urls = [url["expanded_url"] for url in entities.get("urls", []) if url.get("expanded_url")]
    if urls:
        extra["urls"] = urls
    if tweet.get("conversation_id"):
        extra["conversation_id"] = tweet["conversation_id"]
    return extra

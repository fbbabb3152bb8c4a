"""Twitter API v2 tweets: twarc2 response pages, and bare (or flattened) v2 tweet objects.

A page is ``{"data": [tweet...], "includes": {"users": [...], "tweets": [...], "media": [...]},
"__twarc": {...}}``, one per JSONL line. Tweets name their author by id only; ``includes.users``
gives the handles, and ``includes.tweets`` the authors of the tweets they reply to, quote or
retweet. A file may also hold bare v2 tweets, one per line: as the API returns them (the author
by id only, unless ``twarc2 flatten`` put it inline as ``author``, with ``in_reply_to_user`` and
the referenced tweets expanded in ``referenced_tweets``).

Input is hostile: every field may have another type than the API's. A field of the wrong type
counts as absent; a tweet that cannot be read at all becomes one ``Reject``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from veille.ids import record_id
from veille.ingest.common.edges import interaction
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.common.json_values import as_dict, as_list, as_text
from veille.ingest.twitter.tweet_values import serialise, tweet_url
from veille.model import Actor, InteractionKind, Media, Post, Provenance, Record, Reject

__all__ = ["is_twarc_page", "is_v2_tweet", "records_from_page", "records_from_v2_tweet"]

PLATFORM = "twitter"
_REFERENCE_KINDS: dict[str, InteractionKind] = {
    "replied_to": "reply",
    "quoted": "quote",
    "retweeted": "retweet",
}
_NOT_LANGUAGES = ("und", "qst", "qme", "zxx")
# Fields only API v2 tweets carry (v1.1 has ``id_str``, ``user``, ``full_text`` instead).
_V2_FIELDS = frozenset(
    {
        "author_id",
        "edit_history_tweet_ids",
        "conversation_id",
        "referenced_tweets",
        "public_metrics",
        "reply_settings",
        "author",
    }
)
# A tweet of an unforeseen shape must become a Reject, never end the read.
_SHAPE_ERRORS = (
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    OverflowError,
    IndexError,
    RecursionError,
)

_Users = dict[str, dict[str, Any]]


def is_twarc_page(obj: object) -> bool:
    """A twarc2 page has ``data`` and either ``includes`` or the ``__twarc`` envelope."""
    return isinstance(obj, dict) and "data" in obj and ("includes" in obj or "__twarc" in obj)


def is_v2_tweet(obj: object) -> bool:
    """A bare API v2 tweet: ``id`` and ``text``, no v1.1 ``id_str``, and some v2-only field."""
    return (
        isinstance(obj, dict)
        and "id" in obj
        and "text" in obj
        and "id_str" not in obj
        and not _V2_FIELDS.isdisjoint(obj)
    )


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in as_list(value) if isinstance(item, dict)]


def _handle(user: dict[str, Any]) -> str | None:
    handle = as_text(user.get("username"))
    return handle if handle is not None and handle.strip() else None


def _actor(
    user: dict[str, Any], provenance: Provenance, seen_at: datetime | None = None
) -> Actor | None:
    """The account of a user object, with its profile as the page shows it (``includes.users``
    carry description, location and ``public_metrics.followers_count``)."""
    handle = _handle(user)
    if handle is None:
        return None
    followers = as_dict(user.get("public_metrics")).get("followers_count")
    return Actor(
        id=actor_id(PLATFORM, handle),
        platform=PLATFORM,
        kind="account",
        provenance=provenance,
        native_id=as_text(user.get("id")),
        handle=handle,
        name=as_text(user.get("name")),
        description=_plain_text(user.get("description")),
        location=_plain_text(user.get("location")),
        followers=followers if type(followers) is int and 0 <= followers < 2**63 else None,
        seen_at=seen_at,
    )


def _plain_text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _users_by_id(users: object) -> _Users:
    return {
        ident: user
        for user in _dicts(users)
        if (ident := as_text(user.get("id"))) is not None and _handle(user) is not None
    }


def records_from_page(page: dict[str, Any], locator: str) -> Iterator[Record]:
    """Actors, posts, interactions and media of one page; a bad tweet becomes a Reject."""
    includes = as_dict(page.get("includes"))
    users = _users_by_id(includes.get("users"))
    referenced = {
        ident: tweet
        for tweet in _dicts(includes.get("tweets"))
        if (ident := as_text(tweet.get("id"))) is not None
    }
    media_by_key = {
        key: media
        for media in _dicts(includes.get("media"))
        if (key := as_text(media.get("media_key"))) is not None
    }
    data = page.get("data")
    tweets = data if isinstance(data, list) else [data]
    for index, tweet in enumerate(tweets):
        yield from _guarded(
            tweet, f"{locator} data[{index}]", users, referenced, media_by_key, "twarc2 tweet"
        )


def records_from_v2_tweet(tweet: dict[str, Any], locator: str) -> Iterator[Record]:
    """The records of one bare v2 tweet; what is inline (``author``...) stands for includes."""
    users: _Users = {}
    referenced: dict[str, dict[str, Any]] = {}
    for user in (tweet.get("author"), tweet.get("in_reply_to_user")):
        _add_user(users, user)
    for reference in _dicts(tweet.get("referenced_tweets")):
        ident = as_text(reference.get("id"))
        if ident is not None and len(reference) > 2:  # expanded inline by twarc2 flatten
            referenced[ident] = reference
            _add_user(users, reference.get("author"))
    for mention in _dicts(as_dict(tweet.get("entities")).get("mentions")):
        _add_user(users, mention)
    media_by_key = {
        key: media
        for media in _dicts(as_dict(tweet.get("attachments")).get("media"))
        if (key := as_text(media.get("media_key"))) is not None
    }
    yield from _guarded(tweet, locator, users, referenced, media_by_key, "v2 tweet")


def _add_user(users: _Users, user: object) -> None:
    if isinstance(user, dict):
        ident = as_text(user.get("id"))
        if ident is not None and _handle(user) is not None:
            users.setdefault(ident, user)


def _guarded(
    tweet: object,
    where: str,
    users: _Users,
    referenced: dict[str, dict[str, Any]],
    media_by_key: dict[str, dict[str, Any]],
    what: str,
) -> Iterator[Record]:
    try:
        raw = serialise(tweet)
    except (ValueError, RecursionError):
        raw = repr(tweet)[:2000]
    if not isinstance(tweet, dict):
        yield Reject(
            where, f"{what} is not a JSON object ({type(tweet).__name__}); quarantined", raw
        )
        return
    try:
        records = list(
            _tweet_records(tweet, users, referenced, media_by_key, Provenance(where, raw))
        )
    except _SHAPE_ERRORS as error:
        message = " ".join(str(error).split())[:300]
        yield Reject(where, f"{what} not readable: {type(error).__name__} {message}", raw)
        return
    yield from records


def _posted_at(value: object) -> datetime | None:
    """``created_at`` as an aware UTC time; None when absent; ValueError when unreadable."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"created_at is not text: {value!r}")
    text = value.strip()
    moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)  # the API writes UTC
    return moment.astimezone(UTC)


def _tweet_records(
    tweet: dict[str, Any],
    users: _Users,
    referenced: dict[str, dict[str, Any]],
    media_by_key: dict[str, dict[str, Any]],
    provenance: Provenance,
) -> Iterator[Record]:
    native_id = as_text(tweet.get("id"))
    if native_id is None:
        raise ValueError(f"no tweet id (id is {tweet.get('id')!r})")
    posted_at = _posted_at(tweet.get("created_at"))
    author = users.get(as_text(tweet.get("author_id")) or "")
    author_actor = _actor(author, provenance, posted_at) if author else None
    author_key = author_actor.id if author_actor else None
    if author_actor is not None:
        yield author_actor
    this_post = post_id(PLATFORM, native_id)
    reply_to_id = quoted_id = None
    targets: list[tuple[InteractionKind, dict[str, Any]]] = []
    for reference in _dicts(tweet.get("referenced_tweets")):
        kind = _REFERENCE_KINDS.get(as_text(reference.get("type")) or "")
        ref_id = as_text(reference.get("id"))
        if kind is None or ref_id is None:
            continue
        if kind == "reply":
            reply_to_id = post_id(PLATFORM, ref_id)
        elif kind == "quote":
            quoted_id = post_id(PLATFORM, ref_id)
        target = users.get(as_text(referenced.get(ref_id, {}).get("author_id")) or "")
        if target is None and kind == "reply":
            target = users.get(as_text(tweet.get("in_reply_to_user_id")) or "")
        if target is not None:
            targets.append((kind, target))
    entities = as_dict(tweet.get("entities"))
    for mention in _dicts(entities.get("mentions")):
        if _handle(mention) is not None:
            targets.append(("mention", {"username": mention["username"], "id": mention.get("id")}))
    text = tweet.get("text")
    lang = tweet.get("lang")
    extra = _extra(tweet, entities) | _location(author)
    if author_key is None and as_text(tweet.get("author_id")):
        extra["author_native_id"] = as_text(tweet.get("author_id"))  # no handle to key it by
    yield Post(
        id=this_post,
        platform=PLATFORM,
        kind="post",
        provenance=provenance,
        text=text if isinstance(text, str) else "",
        author_id=author_key,
        native_id=native_id,
        posted_at=posted_at,
        utc_offset_min=0 if posted_at is not None else None,
        url=tweet_url(author_actor.handle or "", native_id) if author_actor else None,
        reply_to_id=reply_to_id,
        quoted_id=quoted_id,
        lang_hint=lang if isinstance(lang, str) and lang and lang not in _NOT_LANGUAGES else None,
        extra=extra,
    )
    if author_key is not None:
        for kind, target in targets:
            target_actor = _actor(target, provenance, posted_at)
            if target_actor is None:
                continue
            yield target_actor
            yield interaction(
                kind, author_key, target_actor.id, this_post, PLATFORM, provenance, posted_at
            )
    for key in as_list(as_dict(tweet.get("attachments")).get("media_keys")):
        key = as_text(key)
        if key is None:
            continue
        media = media_by_key.get(key, {})
        kind = media.get("type")
        yield Media(
            id=record_id("media", this_post, key),
            post_id=this_post,
            name=as_text(media.get("url")) or as_text(media.get("preview_image_url")) or key,
            provenance=provenance,
            mime="image/jpeg" if kind == "photo" else "video/mp4" if media else None,
        )


def _location(author: dict[str, Any] | None) -> dict[str, Any]:
    """The author's profile location, as typed: a source of places for the enrichers."""
    location = (author or {}).get("location")
    return {"location": location} if isinstance(location, str) and location.strip() else {}


def _extra(tweet: dict[str, Any], entities: dict[str, Any]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if tweet.get("public_metrics"):
        extra["metrics"] = tweet["public_metrics"]
    history = as_list(tweet.get("edit_history_tweet_ids"))
    if len(history) > 1:
        extra["edit_history_ids"] = history
    hashtags = [
        tag for item in _dicts(entities.get("hashtags")) if (tag := as_text(item.get("tag")))
    ]
    if hashtags:
        extra["hashtags"] = hashtags
    urls = [
        url for item in _dicts(entities.get("urls")) if (url := as_text(item.get("expanded_url")))
    ]
    if urls:
        extra["urls"] = urls
    conversation = as_text(tweet.get("conversation_id"))
    if conversation:
        extra["conversation_id"] = conversation
    return extra

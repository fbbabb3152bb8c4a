"""Map one API v1.1-style tweet object (as in account archives) to records.

Shared by the archive reader and by tabular readers of v1.1 JSON. The function never raises on
content: a tweet that cannot be mapped comes back as a single ``Reject``.

Edge rules, the same whatever produced the object:
- reply: to ``in_reply_to_screen_name``. Twitter writes the replied-to handle at the start of
  ``full_text``; it is the reply, not also a mention. ``display_text_range`` cannot tell the
  reply prefix apart: archives start it at 0 while the API starts it after the prefix, so the
  same tweet would give different edges. The other handles of a reply prefix stay mentions:
  the author chose to keep addressing them (Twitter lets them be unticked).
- retweet: ``retweeted_status``, else text starting "RT @handle:". The retweeted handle is not
  also a mention; the handles in the retweeted text are the original author's mentions, so
  they are edges from that author, shown by the retweet.
- quote: ``quoted_status_id_str`` / ``quoted_status`` / ``quoted_status_permalink``, else (when
  the object does not say ``is_quote_status``, as in archives) the first twitter.com or x.com
  status link among the expanded URLs.
- mention: ``entities.user_mentions``; ``mentions_in(text)`` only when there are no entities.
An edge from an account to itself (a thread continuing, a self-quote) is not recorded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from veille.ids import record_id
from veille.ingest.common.identity import post_id
from veille.ingest.common.json_values import as_dict, as_list, as_text
from veille.ingest.twitter.tweet_edges import TweetEdges, mention_named, profile_of
from veille.ingest.twitter.tweet_values import (
    PLATFORM,
    STATUS_URL,
    as_count,
    media_name,
    parse_created_at,
    tweet_url,
)
from veille.model import Actor, Media, Post, Provenance, Record, Reject

__all__ = ["records_from_v1_tweet"]

_TAG = re.compile(r"<[^>]*>")
# Codes Twitter puts in ``lang`` that are not languages: media only, hashtags only, mentions
# only, cashtags only, too short, no linguistic content, undetermined.
_NOT_LANGUAGES = frozenset({"qme", "qht", "qam", "qct", "qst", "zxx", "und"})
_COUNTS = ("favorite_count", "retweet_count", "quote_count", "reply_count")
_RARE = ("place", "coordinates", "possibly_sensitive", "deleted_at")


@lru_cache(maxsize=1024)
def _source_app(source: str) -> str | None:
    """The app name in Twitter's ``<a href=...>Twitter for Android</a>`` (a few per archive)."""
    return html.unescape(_TAG.sub("", source)).strip() or None


def _quote(tweet: Mapping[str, Any], urls: list[str], own_id: str) -> tuple[str | None, str | None]:
    """(quoted tweet id, quoted handle) as far as the object tells."""
    quoted = as_dict(tweet.get("quoted_status"))
    quoted_id = as_text(tweet.get("quoted_status_id_str")) or as_text(quoted.get("id_str"))
    permalink = as_text(as_dict(tweet.get("quoted_status_permalink")).get("expanded"))
    if quoted_id is None and permalink is None and not urls:
        return None, None
    handle = as_text(as_dict(quoted.get("user")).get("screen_name"))
    # Archives carry no quote fields: there the status link is the quote. An object that says
    # is_quote_status false only links to the tweet.
    infer = quoted_id is None and tweet.get("is_quote_status") is not False
    for url in (permalink, *urls):
        found = STATUS_URL.match(url or "")
        if found is None or found.group(2) == own_id:
            continue
        if (quoted_id is None and not infer) or quoted_id not in (None, found.group(2)):
            continue
        quoted_id = found.group(2)
        if handle is None and found.group(1).casefold() not in ("i", "intent"):
            handle = found.group(1)
        break
    return quoted_id, handle


def _tag_texts(tags: object) -> list[str]:
    return [tag["text"] for tag in as_list(tags) if isinstance(as_dict(tag).get("text"), str)]


def _extra(tweet: Mapping[str, Any], entities: Mapping[str, Any]) -> dict[str, Any]:
    """The fields worth keeping that Post has no place for; absent and empty ones are left out.

    Runs once per tweet, so rare fields are looked up once and handled only when present.
    """
    extra: dict[str, Any] = {}
    source = tweet.get("source")
    if isinstance(source, str) and source:
        app = _source_app(source)
        if app:
            extra["source"] = app
    for key in _COUNTS:
        value = tweet.get(key)
        if value is not None:
            count = as_count(value)
            if count is not None:
                extra[key] = count
    for key in ("hashtags", "symbols"):
        if entities.get(key):
            texts = _tag_texts(entities[key])
            if texts:
                extra[key] = texts
    edit = tweet.get("edit_info")
    if isinstance(edit, dict):
        edit_ids = as_list(as_dict(edit.get("initial")).get("editTweetIds"))
        if len(edit_ids) > 1:  # one id is the tweet itself: never edited
            extra["edit_ids"] = [item for item in map(as_text, edit_ids) if item]
        edit_of = as_text(as_dict(edit.get("edit")).get("initialTweetId"))
        if edit_of:
            extra["edit_of"] = edit_of
    lang = tweet.get("lang")
    if isinstance(lang, str) and lang in _NOT_LANGUAGES and lang != "und":
        extra["lang"] = lang
    for key in _RARE:
        if tweet.get(key):
            _rare(tweet, key, extra)
    return extra


def _rare(tweet: Mapping[str, Any], key: str, extra: dict[str, Any]) -> None:
    value = tweet[key]
    if key == "place":
        place_name = as_text(as_dict(value).get("full_name"))
        if place_name:
            extra["place"] = place_name
            country = as_text(as_dict(value).get("country_code"))
            if country:
                extra["country_code"] = country
    elif key == "coordinates":
        point = as_list(as_dict(value).get("coordinates"))
        if len(point) == 2 and all(isinstance(part, int | float) for part in point):
            extra["coordinates"] = point  # GeoJSON order: longitude, latitude
    elif key == "possibly_sensitive":
        if value is True:
            extra["possibly_sensitive"] = True
    elif isinstance(value, str):  # deleted_at
        extra[key] = value


def records_from_v1_tweet(
    tweet: Mapping[str, Any],
    provenance: Provenance,
    owner: Actor | None = None,
    *,
    seen_actors: set[str] | None = None,
    media_files: Mapping[str, Path] | None = None,
    zone: tzinfo = UTC,
) -> list[Record]:
    """The new Actors, Post, Interactions and Media of one v1.1 tweet object, or one Reject.

    The author is the tweet's ``user`` when it has one, else ``owner`` (archive tweets carry no
    user), else unknown: then the edges cannot be recorded and are kept in
    ``Post.extra["edges_without_author"]`` as "kind:@handle". ``seen_actors`` holds the ids
    of actors already yielded in this read; new ones are added. ``media_files`` maps the
    archive media names that exist on disk to their paths. ``zone`` applies to naive ISO times.
    """
    native_id = as_text(tweet.get("id_str")) or as_text(tweet.get("id"))
    if native_id is None:
        return [_reject(provenance, "tweet has no id_str; tweet quarantined")]
    created = tweet.get("created_at")
    posted_at: datetime | None = None
    offset: int | None = None
    if created is not None:
        try:
            if not isinstance(created, str):
                raise ValueError("not text")
            posted_at, offset = parse_created_at(created, zone)
        except (ValueError, OverflowError):
            reason = f"tweet {native_id}: unreadable created_at {created!r}; tweet quarantined"
            return [_reject(provenance, reason)]
    extended = as_dict(tweet.get("extended_tweet"))  # streaming API: the untruncated tweet
    body = extended if extended.get("full_text") else tweet
    text = as_text(body.get("full_text")) or as_text(body.get("text")) or ""
    if "&" in text:
        text = html.unescape(text)  # Twitter escapes &, < and > in tweet text
    entities = as_dict(body.get("entities"))
    this_post = post_id(PLATFORM, native_id)
    edges = TweetEdges(this_post, posted_at, provenance)

    user = tweet.get("user")
    handle = as_text(user.get("screen_name")) if isinstance(user, dict) else None
    if isinstance(user, dict) and handle is not None:
        author: str | None = edges.actor(
            handle, as_text(user.get("id_str")), as_text(user.get("name")), profile_of(user)
        )
    elif owner is not None:
        author, handle = owner.id, owner.handle
    else:
        author = None
    handled = {handle.casefold()} if handle else set()

    reply_status = as_text(tweet.get("in_reply_to_status_id_str"))
    reply_handle = as_text(tweet.get("in_reply_to_screen_name"))
    reply_user = as_text(tweet.get("in_reply_to_user_id_str"))
    if reply_handle is not None:
        mention_id, mention_name = mention_named(entities, reply_handle)
        target = edges.actor(reply_handle, reply_user or mention_id, mention_name)
        edges.add("reply", author, target)
        handled.add(reply_handle.casefold())
    retweeted = as_dict(tweet.get("retweeted_status"))
    retweet_of = edges.retweet(author, retweeted, text, entities)
    if retweet_of is None:
        edges.mentions(author, entities, text, handled)

    expanded = (as_dict(url).get("expanded_url") for url in as_list(entities.get("urls")))
    urls: list[str] = [url for url in expanded if isinstance(url, str) and url]
    quoted_id: str | None = None
    if retweet_of is None:
        quoted_id, quoted_handle = _quote(tweet, urls, native_id)
        if quoted_handle is not None:
            quoted_user = as_dict(as_dict(tweet.get("quoted_status")).get("user"))
            same = str(quoted_user.get("screen_name")).casefold() == quoted_handle.casefold()
            target = edges.actor(
                quoted_handle,
                as_text(quoted_user.get("id_str")) if same else None,
                as_text(quoted_user.get("name")) if same else None,
            )
            edges.add("quote", author, target)

    extra = _extra(tweet, entities)
    profile_location = as_text(as_dict(tweet.get("user")).get("location"))
    if profile_location:
        extra["location"] = profile_location  # the author's profile, as typed: a places source
    if urls:
        extra["urls"] = urls
    if reply_user and reply_handle is None:
        extra["in_reply_to_user_id"] = reply_user
    retweeted_id = as_text(retweeted.get("id_str"))
    if retweeted_id:
        extra["retweeted_id"] = post_id(PLATFORM, retweeted_id)
    if edges.unattributed:
        extra["edges_without_author"] = edges.unattributed
    lang = tweet.get("lang")

    post = Post(
        id=this_post,
        platform=PLATFORM,
        kind="post",
        provenance=provenance,
        text=text,
        author_id=author,
        native_id=native_id,
        posted_at=posted_at,
        utc_offset_min=offset,
        url=tweet_url(handle, native_id) if handle else None,
        reply_to_id=post_id(PLATFORM, reply_status) if reply_status else None,
        forwarded_from_id=retweet_of,
        quoted_id=post_id(PLATFORM, quoted_id) if quoted_id else None,
        lang_hint=lang if isinstance(lang, str) and lang and lang not in _NOT_LANGUAGES else None,
        extra=extra,
    )
    records: list[Record] = []
    records.extend(edges.new_actors(seen_actors))
    records.append(post)
    records.extend(edges.interactions.values())
    records.extend(_media(body, native_id, this_post, provenance, media_files))
    return records


def _media(
    body: Mapping[str, Any],
    native_id: str,
    this_post: str,
    provenance: Provenance,
    media_files: Mapping[str, Path] | None,
) -> list[Media]:
    items = as_list(as_dict(body.get("extended_entities")).get("media")) or as_list(
        as_dict(body.get("entities")).get("media")
    )
    found: dict[str, Media] = {}
    for item in items:
        name, mime = media_name(native_id, as_dict(item))
        if name is None:
            continue
        media_id = record_id("media", this_post, name)
        if media_id not in found:
            path = media_files.get(name) if media_files is not None else None
            found[media_id] = Media(media_id, this_post, name, provenance, path, mime)
    return list(found.values())


def _reject(provenance: Provenance, reason: str) -> Reject:
    return Reject(provenance.locator, reason, provenance.raw, provenance.file)

"""Single values of v1.1 tweet objects: times, counts, accounts, media names, links, raw text.

Internal helper of the Twitter readers (``tweet_fields``, ``twarc``, ``archive_reader``): not a
stable API.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from veille.ingest.common.dates import to_utc
from veille.ingest.common.identity import actor_id
from veille.ingest.common.json_values import as_dict, as_list, as_text
from veille.model import Actor, Provenance

__all__ = [
    "PLATFORM",
    "STATUS_URL",
    "account",
    "account_id",
    "as_count",
    "author_from_media_links",
    "media_name",
    "parse_created_at",
    "serialise",
    "tweet_url",
]

PLATFORM = "twitter"

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
STATUS_URL = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]{1,15})/status(?:es)?/(\d+)",
    re.IGNORECASE,
)
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
_ZONES: dict[int, tzinfo] = {0: UTC}


def _zone(minutes: int) -> tzinfo:
    zone = _ZONES.get(minutes)
    if zone is None:
        zone = _ZONES[minutes] = timezone(timedelta(minutes=minutes))
    return zone


def parse_created_at(value: str, zone: tzinfo = UTC) -> tuple[datetime, int | None]:
    """Read "Wed Oct 10 20:19:24 +0000 2018" (or ISO 8601) as (UTC datetime, source offset).

    Raises ValueError. Hand-split rather than strptime: it runs once per tweet.
    """
    parts = value.split()
    if len(parts) == 6 and parts[1] in _MONTHS:
        _, month, day, clock, offset, year = parts
        hours, minutes, seconds = clock.split(":")
        if len(offset) != 5 or offset[0] not in "+-" or not offset[1:].isdigit():
            raise ValueError(f"bad offset {offset!r}")
        shift = int(offset[1:3]) * 60 + int(offset[3:5])
        shift = -shift if offset[0] == "-" else shift
        moment = datetime(
            int(year),
            _MONTHS[month],
            int(day),
            int(hours),
            int(minutes),
            int(seconds),
            tzinfo=_zone(shift),
        )
        if shift == 0:
            return moment, 0
        return moment.astimezone(UTC), shift
    text = value.strip()
    return to_utc(
        datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text), zone
    )


def as_count(value: object) -> int | None:
    """A count field (an int, or a string of digits) as an int; None when it is no count."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # Past 19 digits no count is real, and past 4,300 int() refuses the text.
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        return int(value)
    return None


@lru_cache(maxsize=1 << 16)
def account_id(handle: str) -> str:
    """The actor id of the Twitter account ``handle``."""
    # Archives name the same few hundred accounts again and again: hash each handle once.
    return actor_id(PLATFORM, handle)


def account(
    handle: str,
    provenance: Provenance,
    native_id: str | None = None,
    name: str | None = None,
) -> Actor:
    """The Twitter account known by ``handle`` (the key every Twitter source shares)."""
    return Actor(
        id=account_id(handle),
        platform=PLATFORM,
        kind="account",
        provenance=provenance,
        native_id=native_id,
        handle=handle,
        name=name,
    )


def media_name(tweet_id: str, item: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(file name the archive gives this media, mime type); name None when nothing names it.

    Archives store ``<tweet id>-<file name of the media URL>``: the photo for photos, the best
    MP4 variant for videos and GIFs.
    """
    url = as_text(item.get("media_url_https")) or as_text(item.get("media_url"))
    mime: str | None = None
    kind = item.get("type")
    if kind in ("video", "animated_gif"):
        best: tuple[int, str, str] | None = None
        for variant in as_list(as_dict(item.get("video_info")).get("variants")):
            variant = as_dict(variant)
            variant_url = as_text(variant.get("url"))
            content_type = as_text(variant.get("content_type")) or ""
            if variant_url is None or content_type != "video/mp4":
                continue
            rate = as_count(variant.get("bitrate")) or 0
            if best is None or rate > best[0]:
                best = (rate, variant_url, content_type)
        if best is not None:
            url, mime = best[1], best[2]
    if url is None:
        return None, None
    try:
        base = PurePosixPath(urlsplit(url).path).name
    except ValueError:  # "http://[[[..." is no URL: urlsplit refuses its host
        return None, None
    if not _SAFE_NAME.fullmatch(base):
        return None, None
    if mime is None:
        mime = _IMAGE_TYPES.get(base.rpartition(".")[2].lower())
    return f"{tweet_id}-{base}", mime


def tweet_url(handle: str, tweet_id: str) -> str:
    """The address of a tweet."""
    return f"https://twitter.com/{handle}/status/{tweet_id}"


def author_from_media_links(tweet: Mapping[str, Any]) -> str | None:
    """The handle a tweet's own media links name ("twitter.com/<handle>/status/<this id>/...").

    Archive tweets carry no author, but a photo's link names whoever posted it; a retweet's
    media link names the original tweet, whose id differs, so it is ignored.
    """
    own_id = as_text(tweet.get("id_str"))
    if own_id is None:
        return None
    for key in ("extended_entities", "entities"):
        for item in as_list(as_dict(tweet.get(key)).get("media")):
            found = STATUS_URL.match(as_text(as_dict(item).get("expanded_url")) or "")
            if found and found.group(2) == own_id:
                return found.group(1)
    return None


# One encoder for every call: json.dumps builds a new one per call when given options.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def serialise(obj: object) -> str:
    """The raw fragment of a JSON object, as every reader writes it (compact, not ASCII-only)."""
    return _ENCODER.encode(obj)

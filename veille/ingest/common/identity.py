"""Natural keys of actors and posts, the same for every reader of a platform.

Actors are keyed by what every source of that platform shows:
- twitter: the handle, case-folded (CSV scrapes and mentions have handles, not numeric ids);
- telegram: the export's ``from_id`` ("user123", "channel456") when present, else the
  display name prefixed by ``name:`` (HTML exports show names only); a mentioned username is
  ``@handle`` (so a username like "user123" cannot collide with an id); chats are
  ``channel<id>`` for channels and supergroups (so a channel and its own posts are one actor),
  ``chat<id>`` for other chats, ``chat:<title>`` for HTML group exports;
- whatsapp: the name or phone number as the export writes it;
- web (news outlets): the site's domain, or its name when no domain is known.
"""

from __future__ import annotations

from veille.ids import record_id

__all__ = ["actor_id", "post_id"]


def actor_id(platform: str, key: str) -> str:
    """Id of the actor known on ``platform`` by ``key`` (case-insensitive)."""
    return record_id("actor", platform, key.strip().casefold())


def post_id(platform: str, *key: object) -> str:
    """Id of the post identified on ``platform`` by ``key`` (native id, or chat + message id)."""
    return record_id("post", platform, *key)

"""The accounts and interactions of one tweet, without duplicates or self-edges.

Internal helper of ``tweet_fields``, which holds the edge rules: not a stable API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from veille.ingest.common.edges import interaction, mentions_in
from veille.ingest.common.json_values import as_dict, as_list, as_text
from veille.ingest.twitter.tweet_values import PLATFORM, account_id, as_count
from veille.model import Actor, Interaction, InteractionKind, Provenance

__all__ = ["Profile", "TweetEdges", "mention_named", "profile_of"]

_RETWEET = re.compile(r"RT @([A-Za-z0-9_]{1,15}):")

# A v1.1 user's profile: description, location, followers_count.
Profile = tuple[str | None, str | None, int | None]
_NO_PROFILE: Profile = (None, None, None)
_SEPARATOR = "\x1f"


def profile_of(user: Mapping[str, Any]) -> Profile:
    """The profile a v1.1 ``user`` object shows; a follower count past 64 bits is dropped."""
    followers = as_count(user.get("followers_count"))
    description, location = (as_text(user.get(key)) for key in ("description", "location"))
    return (description, location, followers if followers is None or followers < 2**63 else None)


class TweetEdges:
    """Collects one tweet's accounts and interactions, dropping duplicates and self-edges.

    Accounts are kept as (handle, native id, name, profile) by id, and become Actor records
    only if this read has not yielded them in that state before.
    """

    __slots__ = ("accounts", "at", "interactions", "post", "provenance", "unattributed")

    def __init__(self, post: str, at: datetime | None, provenance: Provenance) -> None:
        self.post = post
        self.at = at
        self.provenance = provenance
        self.accounts: dict[str, tuple[str, str | None, str | None, Profile]] = {}
        self.interactions: dict[str, Interaction] = {}
        self.unattributed: list[str] = []

    def actor(
        self,
        handle: str,
        native_id: str | None = None,
        name: str | None = None,
        profile: Profile = _NO_PROFILE,
    ) -> str:
        """The id of the account ``handle``, remembered with what this tweet says of it."""
        key = account_id(handle)
        known = self.accounts.get(key)
        if (
            known is None
            or (known[2] is None and name is not None)
            or (known[3] == _NO_PROFILE and profile != _NO_PROFILE)
        ):
            self.accounts[key] = (handle, native_id, name, profile)
        return key

    def add(self, kind: InteractionKind, source: str | None, target: str) -> None:
        if source is None:
            self.unattributed.append(f"{kind}:@{self.accounts[target][0]}")
            return
        if source == target:
            return
        edge = interaction(kind, source, target, self.post, PLATFORM, self.provenance, self.at)
        self.interactions.setdefault(edge.id, edge)

    def retweet(
        self,
        author: str | None,
        retweeted: Mapping[str, Any],
        text: str,
        entities: Mapping[str, Any],
    ) -> str | None:
        """The retweet edge and the original author's mentions; the retweeted account's id."""
        user = as_dict(retweeted.get("user"))
        handle = as_text(user.get("screen_name"))
        if handle is None:
            found = _RETWEET.match(text)
            if found is None:
                return None
            handle = found.group(1)
        mention_id, mention_name = mention_named(entities, handle)
        original_author = self.actor(
            handle,
            as_text(user.get("id_str")) or mention_id,
            as_text(user.get("name")) or mention_name,
            profile_of(user),
        )
        self.add("retweet", author, original_author)
        skip = {handle.casefold()}
        if retweeted:
            original = as_dict(retweeted.get("extended_tweet")) or retweeted
            original_text = as_text(original.get("full_text")) or as_text(original.get("text"))
            self.mentions(original_author, as_dict(original.get("entities")), original_text, skip)
        else:
            self.mentions(original_author, entities, text[len(handle) + 5 :], skip)
        return original_author

    def mentions(
        self, source: str | None, entities: Mapping[str, Any], text: str | None, skip: set[str]
    ) -> None:
        """Mention edges from ``source``; ``skip`` holds case-folded handles already edged."""
        mentions = entities.get("user_mentions")
        if isinstance(mentions, list):
            for mention in mentions:
                if not isinstance(mention, dict):
                    continue
                handle = as_text(mention.get("screen_name"))
                if handle is None or handle.casefold() in skip:
                    continue
                skip.add(handle.casefold())
                target = self.actor(
                    handle, as_text(mention.get("id_str")), as_text(mention.get("name"))
                )
                self.add("mention", source, target)
            return
        for handle in mentions_in(text or ""):
            if handle.casefold() not in skip:
                skip.add(handle.casefold())
                self.add("mention", source, self.actor(handle))

    def new_actors(self, seen: set[str] | None) -> list[Actor]:
        """Actor records for the accounts whose state is not in ``seen``, which gains it (an
        actor id in ``seen``, such as an archive's owner, is known whole and never yielded)."""
        actors = []
        for key, (handle, native_id, name, profile) in self.accounts.items():
            state = _SEPARATOR.join(
                [
                    key,
                    native_id or "",
                    handle,
                    name or "",
                    *("" if p is None else str(p) for p in profile),
                ]
            )
            if seen is None or (key not in seen and state not in seen):
                actors.append(
                    Actor(
                        key,
                        PLATFORM,
                        "account",
                        self.provenance,
                        native_id,
                        handle,
                        name,
                        *profile,
                        seen_at=self.at,
                    )
                )
                if seen is not None:
                    seen.add(state)
        return actors


def mention_named(entities: Mapping[str, Any], handle: str) -> tuple[str | None, str | None]:
    """(id_str, name) of ``handle`` in the mention entities, to describe a reply target."""
    folded = handle.casefold()
    for mention in as_list(entities.get("user_mentions")):
        mention = as_dict(mention)
        if (as_text(mention.get("screen_name")) or "").casefold() == folded:
            return as_text(mention.get("id_str")), as_text(mention.get("name"))
    return None, None

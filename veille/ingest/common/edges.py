"""Interactions shown by a post: mentions in its text, and the helper every reader uses."""

from __future__ import annotations

import re
from datetime import datetime

from veille.ids import record_id
from veille.model import Interaction, InteractionKind, Provenance

__all__ = ["interaction", "mentions_in"]

# Twitter handles are 1-15 word characters, Telegram usernames 5-32: accept up to 32. The look-
# behind keeps e-mail addresses ("a@b.org") and "@@x" out.
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,32})\b")


def mentions_in(text: str) -> list[str]:
    """The @handles in ``text``, without the @, in order, each once."""
    return list(dict.fromkeys(_MENTION.findall(text)))


def interaction(
    kind: InteractionKind,
    source_actor_id: str,
    target_actor_id: str,
    post_id: str,
    platform: str,
    provenance: Provenance,
    at: datetime | None = None,
) -> Interaction:
    """The edge ``kind`` from one actor to another, shown by ``post_id``; one per post and kind."""
    return Interaction(
        id=record_id("interaction", kind, post_id, source_actor_id, target_actor_id),
        kind=kind,
        source_actor_id=source_actor_id,
        target_actor_id=target_actor_id,
        post_id=post_id,
        platform=platform,
        provenance=provenance,
        occurred_at=at,
    )

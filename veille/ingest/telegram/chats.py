"""What the JSON and HTML halves of the Telegram reader share: chat keys, actors, authors.

Internal helper of ``veille.ingest.telegram``: not a stable API.

Actor keys (see ``veille.ingest.common.identity``):
- authors: the export's ``from_id`` / ``actor_id`` ("user123", "channel456"), else ``name:`` and
  the display name (HTML exports show names only);
- mentioned usernames: ``@`` and the username, so a username never collides with an id key;
- chats: ``channel<id>`` for channels and supergroups, because Telegram gives their own posts
  (channel posts, anonymous group admins) ``from_id`` "channel<id>": the chat and that author are
  one actor. Other chats are ``chat<id>``. A personal chat becomes a "group" actor of two people,
  distinct from the person: the chat is where messages were exchanged, not who wrote them.
Post ids are ``post_id("telegram", chat key, message id)``.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from datetime import datetime

from veille.ingest.common.identity import actor_id
from veille.model import Actor, ActorKind, Provenance, Record

__all__ = [
    "CHAT_TYPES",
    "PLATFORM",
    "ActorBook",
    "AuthorIndex",
    "chat_key",
    "chat_kind",
    "key_kind",
]

PLATFORM = "telegram"

CHANNEL_TYPES = frozenset({"public_channel", "private_channel"})
# Supergroups are channels inside Telegram: same id space, and anonymous admins post as them.
CHANNEL_ID_SPACE = CHANNEL_TYPES | {"public_supergroup", "private_supergroup"}
CHAT_TYPES = CHANNEL_ID_SPACE | {
    "personal_chat",
    "private_group",
    "saved_messages",
    "bot_chat",
    "replies",
}


def chat_kind(chat_type: object) -> ActorKind:
    """Actor kind of a chat from the export's ``type``: channels, and groups for the rest."""
    return "channel" if chat_type in CHANNEL_TYPES else "group"


def chat_key(chat_type: object, native_id: object, name: object) -> str:
    """Natural key of a chat: ``channel<id>``, ``chat<id>``, or ``chat:<name>`` without an id."""
    if isinstance(native_id, int) and not isinstance(native_id, bool):
        prefix = "channel" if chat_type in CHANNEL_ID_SPACE else "chat"
        return f"{prefix}{native_id}"
    return f"chat:{name if isinstance(name, str) and name else 'unnamed'}"


def key_kind(key: str) -> ActorKind:
    """Actor kind implied by a key: "channel…" is a channel, "chat…" a group, else an account."""
    if key.startswith("channel"):
        return "channel"
    if key.startswith("chat"):
        return "group"
    return "account"


class ActorBook:
    """Actor ids by key, and which actors this read has already yielded (each goes out once)."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._yielded: set[str] = set()
        self._names: dict[str, str | None] = {}  # key -> the name its last Actor showed
        # Keys whose Actor was yielded -> id: one lookup answers the common case, an author
        # met before. ``known`` is its ``get``, bound once.
        self._met: dict[str, str] = {}
        self.known = self._met.get

    def id_of(self, key: str) -> str:
        """The actor id for ``key``, hashed once per read."""
        known = self._ids.get(key)
        if known is None:
            known = self._ids[key] = actor_id(PLATFORM, key)
        return known

    def meet(
        self,
        key: str,
        kind: ActorKind,
        provenance: Provenance,
        out: list[Record],
        name: str | None = None,
        handle: str | None = None,
        seen_at: datetime | None = None,
    ) -> str:
        """Return the id of the actor ``key``, appending its Actor to ``out`` the first time,
        and again whenever it shows another name (a user renamed: each name kept, with when)."""
        ident = self._ids.get(key)
        if ident is None:
            ident = self._ids[key] = actor_id(PLATFORM, key)
        if ident not in self._yielded or (name is not None and name != self._names.get(key)):
            self._yielded.add(ident)
            self._names[key] = name
            native = None if key.startswith(("name:", "chat:", "@")) else key
            out.append(
                Actor(ident, PLATFORM, kind, provenance, native, handle, name, seen_at=seen_at)
            )
        self._met[key] = ident
        return ident

    def renamed(self, key: str, name: object) -> bool:
        """Whether ``key``'s Actor went out under another name than ``name`` (a str)."""
        return type(name) is str and bool(name) and name != self._names.get(key)


class AuthorIndex:
    """Who wrote each message of one chat, so a reply can point at the replied-to author.

    Exports list a chat's messages in ascending id order, so ids go in a sorted ``array`` (8
    bytes per message, searched by bisection) instead of a dict (~100 bytes per message); the
    rare out-of-order or huge id goes in a small dict.
    """

    def __init__(self) -> None:
        self._message_ids = array("q")
        self._slots = array("l")
        self._authors: list[str] = []
        self._slot_of: dict[str, int] = {}
        self._unordered: dict[int, int] = {}

    def add(self, message_id: int, author: str) -> None:
        """Remember that ``author`` (an actor id) wrote ``message_id``."""
        slot = self._slot_of.get(author)
        if slot is None:
            slot = self._slot_of[author] = len(self._authors)
            self._authors.append(author)
        ids = self._message_ids
        if (not ids or message_id > ids[-1]) and -(2**63) <= message_id < 2**63:
            ids.append(message_id)
            self._slots.append(slot)
        else:
            self._unordered[message_id] = slot

    def get(self, message_id: int) -> str | None:
        """The author of ``message_id``, or None when that message was not seen (yet)."""
        ids = self._message_ids
        if -(2**63) <= message_id < 2**63:
            at = bisect_left(ids, message_id)
            if at < len(ids) and ids[at] == message_id:
                return self._authors[self._slots[at]]
        slot = self._unordered.get(message_id)
        return None if slot is None else self._authors[slot]

"""Telegram Desktop exports: the reader, and the helpers its JSON and HTML halves share.

Telegram Desktop writes a chat either as one ``result.json`` or as ``messages.html``,
``messages2.html``, ... pages; a full-account export holds many chats (``chats.list`` in JSON,
``chats/chat_001/`` folders in HTML). ``TelegramReader`` picks the format and hands over to
``json_export`` or ``html_export``.

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

import json
import mimetypes
import posixpath
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import orjson

from veille.errors import InputError
from veille.ids import record_id
from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id
from veille.model import Actor, ActorKind, Media, Note, Provenance, Record

__all__ = [
    "PLATFORM",
    "ActorBook",
    "AuthorIndex",
    "MediaFiles",
    "TelegramReader",
    "chat_key",
    "chat_kind",
    "encode_raw",
    "key_kind",
]

PLATFORM = "telegram"


def _json_encoder() -> Callable[[object], str]:
    """``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``, built once.

    json.dumps makes a new encoder per call when given options, which costs as much as encoding
    a message; the C encoder is made once here. No circular check: parsed JSON has no cycles.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    basestring = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or basestring is None:  # not CPython: the plain encoder still works
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    encoder = make(None, None, basestring, None, ":", ",", False, False, True)

    def encode(value: object) -> str:
        if isinstance(value, str):
            return str(basestring(value))  # the C encoder only takes containers
        return "".join(encoder(value, 0))

    return encode


_encode_json = _json_encoder()


def encode_raw(value: object) -> str:
    """``value`` as compact JSON, non-ASCII kept: the ``raw`` of a record read from JSON.

    orjson writes the same text as json.dumps(ensure_ascii=False, separators=(",", ":")) in
    0.4 µs instead of 2.6 µs per message (a tenth of the Telegram reader's time), except for
    small floats' exponents (1e-7, not 1e-07) and NaN or Infinity, which are not JSON (a file
    that has them anyway gets null). What it refuses (lone surrogates, integers past 64 bits)
    goes to json's encoder.
    """
    try:
        return orjson.dumps(value).decode("utf-8")
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return _encode_json(value)


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

_PAGE_NAME = re.compile(r"messages(\d*)\.html?", re.IGNORECASE)
_JSON_HINTS = (
    re.compile(r'"(?:messages|chats)"\s*:'),
    re.compile(r'"type"\s*:\s*"(?:' + "|".join(sorted(CHAT_TYPES)) + r')"'),
)
_ACCOUNT_HINT = re.compile(r'"(?:about|personal_information)"\s*:')
_SNIFF_BYTES = 4096


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


class MediaFiles:
    """Turns media references of an export into Media records, refusing paths that leave it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.referenced = 0
        self.missing = 0
        self.outside = 0
        self._folder_exists: dict[str, bool] = {}

    def media(
        self,
        post_id: str,
        name: str,
        provenance: Provenance,
        mime: str | None = None,
        base: str = "",
    ) -> Media:
        """Media for the reference ``name`` (relative to ``base`` inside the export)."""
        self.referenced += 1
        relative = posixpath.normpath(posixpath.join(base, name.replace("\\", "/")))
        file = None
        if relative.startswith(("/", "../")) or relative == ".." or ":" in relative[:3]:
            # A reference out of the export folder would make the case copy any file on this
            # machine: it is hostile or broken, never followed.
            self.outside += 1
        else:
            file = self._existing(relative)
            name = relative
        if file is None:
            self.missing += 1
        if mime is None:
            mime = mimetypes.guess_type(name, strict=False)[0]
        return Media(record_id("media", post_id, name), post_id, name, provenance, file, mime)

    def missing_media(self, post_id: str, name: str, provenance: Provenance) -> Media:
        """Media the export mentions but did not include (export settings, size limit)."""
        self.referenced += 1
        self.missing += 1
        return Media(record_id("media", post_id, name), post_id, name, provenance, None, None)

    def _existing(self, relative: str) -> Path | None:
        folder = posixpath.dirname(relative)
        exists = self._folder_exists.get(folder)
        if exists is None:
            # Whole media folders are often left out of a copied export: one stat per folder.
            exists = self._folder_exists[folder] = _is_dir(self.root / folder)
        if not exists:
            return None
        candidate = self.root / relative
        try:
            if not candidate.is_file():
                return None
            real = candidate.resolve()
        except (OSError, ValueError):
            return None
        if real != self.root and self.root not in real.parents:
            self.outside += 1  # a symbolic link out of the export
            return None
        return real

    def notes(self) -> Iterator[Note]:
        """What the user should know about the media of this read."""
        if self.missing:
            yield Note(
                f"telegram: {self.missing:,} of {self.referenced:,} media files referenced by the "
                "export are not in it (not exported, or not copied); recorded as missing"
            )
        if self.outside:
            yield Note(
                f"telegram: {self.outside:,} media references point outside the export folder; "
                "they were not followed (damaged or tampered export)"
            )


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def page_number(path: Path) -> int:
    """1 for ``messages.html``, N for ``messagesN.html``: pages sort by number, not by name."""
    match = _PAGE_NAME.fullmatch(path.name)
    if match is None or not match.group(1):
        return 1
    return int(match.group(1))


def chat_pages(folder: Path) -> list[Path]:
    """The ``messages*.html`` pages of one chat folder, in page order."""
    pages = [p for p in folder.iterdir() if _PAGE_NAME.fullmatch(p.name) and p.is_file()]
    return sorted(pages, key=lambda p: (page_number(p), p.name))


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")


def _looks_like_json_export(head: str) -> bool:
    if all(hint.search(head) for hint in _JSON_HINTS):
        return True
    return bool(_ACCOUNT_HINT.search(head)) and '"personal_information"' in head


def _looks_like_html_export(head: str) -> bool:
    return "page_wrap" in head and ("history" in head or "page_header" in head)


class TelegramReader:
    """Telegram Desktop chat exports, JSON (``result.json``) or HTML (``messages*.html``)."""

    name: ClassVar[str] = "telegram"
    version: ClassVar[int] = 1

    def sniff(self, path: Path) -> int:
        """90 for an export folder, a Telegram ``result.json`` or a Telegram Desktop HTML page."""
        try:
            if path.is_dir():
                markers = ("result.json", "messages.html", "export_results.html")
                return 90 if any((path / marker).is_file() for marker in markers) else 0
            suffix = path.suffix.lower()
            if suffix == ".json":
                return 90 if _looks_like_json_export(_head(path)) else 0
            if suffix in (".html", ".htm") and _looks_like_html_export(_head(path)):
                return 90
        except OSError:
            return 0
        return 0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the actors, posts, interactions, media and notes of the export at ``path``."""
        # Imported here: the HTML half needs lxml, which a JSON-only run should not load.
        from veille.ingest.telegram.html_export import read_html
        from veille.ingest.telegram.json_export import read_json

        if path.is_dir():
            result = path / "result.json"
            pages = chat_pages(path) if (path / "messages.html").is_file() else []
            if result.is_file():
                yield from read_json(result, path, "result.json", options)
                if pages:
                    yield Note(
                        f"telegram: {path.name}: has both result.json and HTML pages; "
                        "read result.json (it holds more), the HTML pages were not read"
                    )
                return
            chats = self._html_chats(path)
            if not chats:
                raise InputError(
                    f"telegram: {path}: no result.json, messages.html or chats/*/messages.html"
                )
            yield from read_html(chats, path, True, options)
            return
        try:
            head = _head(path)
        except OSError as error:
            raise InputError(f"telegram: {path}: cannot be opened ({error.strerror})") from None
        suffix = path.suffix.lower()
        if suffix == ".json" or (suffix not in (".html", ".htm") and head.lstrip()[:1] == "{"):
            yield from read_json(path, path.parent, None, options)
        else:
            yield from read_html([[path]], path.parent, False, options)

    @staticmethod
    def _html_chats(folder: Path) -> list[list[Path]]:
        """Pages per chat: the folder itself, or a full export's ``chats/chat_NNN`` folders."""
        if (folder / "messages.html").is_file():
            return [chat_pages(folder)]
        chats_folder = folder / "chats"
        if not chats_folder.is_dir():
            return []
        chats = [sub for sub in chats_folder.iterdir() if (sub / "messages.html").is_file()]
        chats.sort(key=lambda sub: (len(sub.name), sub.name))  # chat_1000 after chat_999
        return [chat_pages(sub) for sub in chats]

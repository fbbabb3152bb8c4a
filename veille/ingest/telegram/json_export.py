"""Read a Telegram Desktop ``result.json``: one chat, or a full account's ``chats.list``.

Internal helper of ``veille.ingest.telegram.reader``: not a stable API.

A single-chat export is ``{"name", "type", "id", "messages": [...]}``; a full-account export
holds ``personal_information``, then ``chats.list`` and ``left_chats.list``, lists of such
chats. The file is streamed once by ``veille.ingest.common.json_stream``: each message is decoded on
its own, and a chat's ``name``, ``type`` and ``id`` (written before its ``messages``) arrive on
the way, so every message knows its chat. ``veille.ingest.telegram.json_message`` maps the messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.json_events import (
    Enter,
    Event,
    Item,
    JsonPath,
    JsonStreamError,
    Scalar,
    TooLong,
    format_path,
)
from veille.ingest.common.json_stream import stream_json
from veille.ingest.common.textfile import DecodedText, open_text
from veille.ingest.telegram.chats import chat_key, chat_kind
from veille.ingest.telegram.json_message import Chat, MessageMapper
from veille.ingest.telegram.media_files import MediaFiles
from veille.ingest.telegram.raw_json import encode_raw
from veille.model import BATCH_ROWS, Note, Provenance, Record, Reject

__all__ = ["read_json"]

_OWNER = ("personal_information",)
_PATHS = (
    "messages[*]",
    "chats.list[*].messages[*]",
    "left_chats.list[*].messages[*]",
    "personal_information",
)
_SECTIONS = frozenset({"chats", "left_chats"})
_HEADER_KEYS = frozenset({"name", "type", "id"})
_TAIL_BYTES = 2000
# Posts per column batch: 30 of them make one writer batch (model.BATCH_ROWS).
POSTS_PER_BATCH = BATCH_ROWS // 30
# A message of an unforeseen shape must become a Reject, never end the read.
_SHAPE_ERRORS = (
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    OverflowError,
    IndexError,
    RecursionError,
)


def read_json(path: Path, root: Path, file: str | None, options: ReadOptions) -> Iterator[Record]:
    """Yield the records of the Telegram JSON export ``path``; media resolve against ``root``."""
    return _JsonRead(path, file, options, MediaFiles(root)).records()


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] if text else type(error).__name__


class _JsonRead:
    """One read of one result.json: where the stream is, and the state shared by its chats."""

    def __init__(self, path: Path, file: str | None, options: ReadOptions, media: MediaFiles):
        self.path = path
        self.file = file
        self.media = media
        self.mapper = MessageMapper(file, options.zone, media)
        self.zone = options.zone
        self.layout: str | None = None  # "single" or "account", once a top-level key tells
        self.is_object = False  # the document is a JSON object
        self.values: dict[str, Any] = {}  # name, type and id of the chat being read
        self.owner: dict[str, Any] | None = None  # personal_information met before the layout
        self.messages_at: JsonPath | None = None  # the messages array being read
        self.where = ""  # that chat's locator: "chat" or "chats.list[3]"
        self.chat: Chat | None = None  # that chat, made at its first message
        self.chats = 0
        self.held: list[Record] = []  # records of the messages whose posts are not out yet

    def records(self) -> Iterator[Record]:
        """Every record of the file, then the notes; raises InputError if it is not an export."""
        name = self.path.name
        try:
            if self.path.stat().st_size == 0:
                raise InputError(f"telegram: {name}: the file is empty")
            decoded = open_text(self.path)
        except OSError as error:
            raise InputError(f"telegram: {name}: cannot be read ({error.strerror})") from None
        with decoded:
            try:
                yield from self._read(stream_json(decoded.stream, _PATHS))
                yield from self._release()
            except JsonStreamError as error:
                yield from self._release()  # what was read before the break goes in
                out: list[Record] = []
                if self.layout is None and error.path:  # broken right after "messages"?
                    self._decide_layout(error.path[0], out)
                if self.layout is None:
                    reason = f"not valid JSON ({_one_line(error)})"
                    raise InputError(f"telegram: {name}: {reason}") from None
                yield from out
                yield self._tail(error)
            if self.layout is None:
                if not self.is_object:
                    raise InputError(f"telegram: {name}: not a JSON object, not a Telegram export")
                raise InputError(
                    f"telegram: {name}: no 'messages' or 'chats': not a Telegram export"
                )
            if self.layout == "account":
                yield Note(f"telegram: {name}: full-account export, {self.chats:,} chats")
            yield from self._notes(decoded)

    def _release(self) -> Iterator[Record]:
        """The posts mapped so far as one column batch, then the records held back for them."""
        posts = self.mapper.drain_posts()
        if posts is not None:
            yield posts
        yield from self.held
        self.held.clear()

    def _read(self, events: Iterator[Event]) -> Iterator[Record]:
        """The records of the messages, and of the chats and owner met on the way.

        A message's actors, edges and media are held back until its post goes out (in a
        column batch of ``POSTS_PER_BATCH``), so the writer puts them in the same transaction.
        """
        out: list[Record] = []
        held = self.held
        mapper = self.mapper.records
        for event in events:
            if type(event) is Item and event.path == self.messages_at:
                chat = self.chat
                if chat is None:
                    chat = self.chat = self._chat(out)
                index = chat.posted
                chat.posted += 1
                if type(event.value) is TooLong:  # walked past unread: only its start is kept
                    reason = f"message {event.value}; quarantined unread"
                    locator = f"{chat.locator}[{index}]"
                    out.append(Reject(locator, reason, event.value.head, self.file))
                else:
                    try:
                        mapper(event.value, chat, index, out)
                    except _SHAPE_ERRORS as error:
                        out.clear()
                        out.append(self._unreadable(event.value, chat, index, error))
            else:
                self._event(event, out)
            if out:
                held.extend(out)
                out.clear()
            if self.mapper.posts_waiting >= POSTS_PER_BATCH:
                yield from self._release()

    def _event(self, event: Event, out: list[Record]) -> None:
        """Follow the document's layout: the chats, their headers, the owner."""
        path = event.path
        if self.layout is None and path:
            self._decide_layout(path[0], out)
        if type(event) is Enter:
            if not path:
                self.is_object = True
            elif self.layout == "single":
                if path == ("messages",):
                    self.messages_at = path
            elif self.layout == "account" and path[0] in _SECTIONS and path[1:2] == ("list",):
                if len(path) == 3:  # a chat starts
                    self.chats += 1
                    self.values = {}
                    self.chat = None
                    self.messages_at = None
                elif len(path) == 4 and path[3] == "messages":
                    self.where = f"{path[0]}.list[{path[2]}]"
                    self.messages_at = path
        elif type(event) is Scalar:
            key = path[-1]
            if key in _HEADER_KEYS and (
                (len(path) == 1 and self.layout is None)
                or (len(path) == 4 and self.layout == "account" and path[0] in _SECTIONS)
            ):
                self.values[str(key)] = event.value
        elif type(event) is Item and path == _OWNER and isinstance(event.value, dict):
            owner = {k: v for k, v in event.value.items() if not isinstance(v, dict | list)}
            if self.layout is None:
                self.owner = owner
            elif self.layout == "account":
                self._owner(owner, out)

    def _decide_layout(self, key: str | int, out: list[Record]) -> None:
        """The first top-level key "messages", "chats" or "left_chats" tells the layout."""
        if key == "messages":
            self.layout = "single"
            out.append(Note(self._describe("single-chat export")))
            self.where = "chat"
            self.chat = self._chat(out)
        elif key in _SECTIONS:
            self.layout = "account"
            if self.owner is not None:
                self._owner(self.owner, out)

    def _describe(self, layout: str) -> str:
        name, kind, ident = self.values.get("name"), self.values.get("type"), self.values.get("id")
        shown = kind or "unknown type"
        return f"telegram: {self.path.name}: {layout} of {shown} {name!r} (id {ident})"

    def _owner(self, owner: dict[str, Any], out: list[Record]) -> None:
        user = owner.get("user_id")
        names = [owner.get("first_name"), owner.get("last_name")]
        name = " ".join(part for part in names if isinstance(part, str) and part) or None
        username = owner.get("username")
        handle = username.lstrip("@") if isinstance(username, str) and username else None
        raw = encode_raw(owner)
        if isinstance(user, int) and not isinstance(user, bool):
            provenance = Provenance("personal_information", raw, self.file)
            self.mapper.actors.meet(f"user{user}", "account", provenance, out, name, handle)
        shown = f"@{handle}" if handle else "no username"
        out.append(
            Note(f"telegram: {self.path.name}: account owner {name!r} ({shown}, user id {user})")
        )

    def _chat(self, out: list[Record]) -> Chat:
        """The chat whose header was just read; its actor goes to ``out`` the first time."""
        values = self.values
        kind = chat_kind(values.get("type"))
        name = values.get("name")
        key = chat_key(values.get("type"), values.get("id"), name)
        header = {k: values[k] for k in ("name", "type", "id") if k in values}
        provenance = Provenance(self.where, encode_raw(header), self.file)
        shown = name if isinstance(name, str) else None
        ident = self.mapper.actors.meet(key, kind, provenance, out, shown)
        locator = "messages" if self.layout == "single" else f"{self.where}.messages"
        return Chat(key, ident, kind, locator)

    def _unreadable(self, message: Any, chat: Chat, index: int, error: BaseException) -> Reject:
        try:
            raw = encode_raw(message)
        except (RecursionError, ValueError):
            raw = repr(message)[:_TAIL_BYTES]
        reason = f"message could not be interpreted ({_one_line(error)}); quarantined"
        return Reject(f"{chat.locator}[{index}]", reason, raw, self.file)

    def _tail(self, error: JsonStreamError) -> Reject:
        """One Reject for what the broken stream loses: the rest of the file."""
        locator, read = self._broken_at(error.path)
        what = {"truncated": "breaks off", "malformed": "is malformed"}.get(
            error.kind, "goes on after its end"
        )
        reason = (
            f"the file {what} at or after {locator} ({_one_line(error)}); "
            f"the {read:,} messages of this chat before it were read, "
            "the rest of the file is quarantined"
        )
        return Reject(locator, reason, self._last_bytes(), self.file)

    def _broken_at(self, where: JsonPath) -> tuple[str, int]:
        """The locator of the first message lost, and how many of its chat were read."""
        chat, current = self.chat, self.messages_at
        if self.layout == "account" and where and where[0] in _SECTIONS:
            if len(where) >= 3 and where[1] == "list" and isinstance(where[2], int):
                if current is None or where[:3] != current[:3]:
                    return f"{where[0]}.list[{where[2]}].messages[0]", 0  # a chat not begun
            elif current is None or where[0] != current[0]:
                return f"{where[0]}.list[0].messages[0]", 0  # a list not begun
        if chat is not None:
            return f"{chat.locator}[{chat.posted}]", chat.posted
        if current is not None:
            return f"{format_path(current)}[0]", 0
        return ("messages[0]" if self.layout == "single" else "chats.list[0].messages[0]"), 0

    def _last_bytes(self) -> str | None:
        try:
            with self.path.open("rb") as handle:
                size = handle.seek(0, 2)
                handle.seek(max(0, size - _TAIL_BYTES))
                return handle.read().decode("utf-8", errors="replace")
        except OSError:
            return None

    def _notes(self, decoded: DecodedText) -> Iterator[Note]:
        """Decisions and counts to report once the file is read."""
        name = self.path.name
        if decoded.replaced_bytes:
            yield Note(
                f"telegram: {name}: {decoded.replaced_bytes:,} bytes did not decode as "
                f"{decoded.encoding} and were replaced by U+FFFD"
            )
        if self.mapper.naive_dates:
            yield Note(
                f"telegram: {name}: {self.mapper.naive_dates:,} messages have no "
                f"date_unixtime (older export format): their times were read as local time in "
                f"{self.zone}, and carry no UTC offset"
            )
        yield from self.media.notes()

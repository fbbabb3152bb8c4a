"""Read a Telegram Desktop ``result.json``: one chat, or a full account's ``chats.list``.

Internal helper of ``veille.ingest.telegram``: not a stable API.

The file is streamed with ijson. A single-chat export goes through ``ijson.items`` on
``messages.item`` directly (the C backend builds each message); a full-account export needs the
chat each message belongs to, so its parse events pass through a small filter that notes the chat
headers (``name``, ``type``, ``id``) on their way to the same C item builder.

Times: ``date_unixtime`` (exports since 2021) is exact UTC and preferred; ``date`` is the wall
time of the exporting computer, so the difference between the two is the offset it showed.
Older exports only have ``date``, read in ``ReadOptions.zone``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from itertools import compress, tee
from operator import itemgetter
from pathlib import Path
from typing import Any

import ijson

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.dates import to_utc
from veille.ingest.edges import interaction, mentions_in
from veille.ingest.identity import post_id
from veille.ingest.telegram import (
    PLATFORM,
    ActorBook,
    AuthorIndex,
    MediaFiles,
    chat_key,
    chat_kind,
    encode_raw,
    key_kind,
)
from veille.model import Note, Post, PostKind, Provenance, Record, Reject

__all__ = ["read_json"]

_HEADER_KEYS = frozenset({"name", "type", "id"})
_SCALARS = ("string", "number", "boolean", "null")
_PREFIX_EVENT = itemgetter(0, 1)
_NOT_EXPORTED = "(File "  # "(File not included. ...)", "(File exceeds maximum size. ...)"
_MAX_OFFSET_MIN = 18 * 60  # beyond any real zone: the two dates disagree, show no offset
_MAPPED = frozenset(
    {
        "id",
        "type",
        "date",
        "date_unixtime",
        "edited",
        "edited_unixtime",
        "from",
        "from_id",
        "actor",
        "actor_id",
        "text",
        "text_entities",
        "reply_to_message_id",
        "reply_to_peer_id",
        "forwarded_from",
        "forwarded_from_id",
        "photo",
        "file",
        "thumbnail",
        "inline_bot_buttons",  # keyboards: bulky and not authored content
    }
)
# Structured fields small enough to keep whole in Post.extra.
_SMALL_STRUCTURES = frozenset(
    {"members", "location_information", "contact_information", "poll", "game_information"}
)
_MAX_EXTRA_TEXT = 1000
_TAIL_BYTES = 2000
_STREAM_ERRORS = (ijson.JSONError, ValueError, UnicodeDecodeError, OverflowError)
# A message of an unforeseen shape must become a Reject, never end the read.
_SHAPE_ERRORS = (TypeError, ValueError, AttributeError, KeyError, OverflowError, IndexError)


@dataclass
class _Header:
    """What comes before the messages: the layout and, for one chat, its name, type and id."""

    account: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    owner: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Chat:
    """The chat whose messages are being read."""

    key: str
    actor: str
    kind: str
    locator: str  # "messages" or "chats.list[3].messages"
    index: AuthorIndex = field(default_factory=AuthorIndex)
    posted: int = 0


@dataclass
class _Counts:
    naive_dates: int = 0


def read_json(path: Path, root: Path, file: str | None, options: ReadOptions) -> Iterator[Record]:
    """Yield the records of the Telegram JSON export ``path``; media resolve against ``root``."""
    header = _read_header(path)
    reader = _JsonRead(path, file, options, MediaFiles(root))
    if header.account:
        yield from reader.account(header)
    else:
        yield from reader.single(header)
    yield from reader.notes()


def _open(path: Path) -> Any:
    """The file as UTF-8 bytes, past a byte-order mark (Windows editors add one)."""
    handle = path.open("rb")
    if handle.read(3) != b"\xef\xbb\xbf":
        handle.seek(0)
    return handle


def _read_header(path: Path) -> _Header:
    """Read up to the ``messages`` or ``chats`` key; raise InputError if it is not an export."""
    header = _Header()
    try:
        if path.stat().st_size == 0:
            raise InputError(f"telegram: {path.name}: the file is empty")
        with _open(path) as handle:
            events = ijson.parse(handle, use_float=True)
            first = next(events, None)
            if first is None or first[1] != "start_map":
                raise InputError(f"telegram: {path.name}: not a JSON object, not a Telegram export")
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    if value == "messages":
                        return header
                    if value in ("chats", "left_chats"):
                        header.account = True
                        return header
                elif prefix in _HEADER_KEYS and event != "map_key":
                    header.values[prefix] = value
                elif prefix.startswith("personal_information.") and event != "map_key":
                    header.owner[prefix.rsplit(".", 1)[1]] = value
    except _STREAM_ERRORS as error:
        raise InputError(f"telegram: {path.name}: not valid JSON ({_one_line(error)})") from None
    except OSError as error:
        raise InputError(f"telegram: {path.name}: cannot be read ({error.strerror})") from None
    raise InputError(f"telegram: {path.name}: no 'messages' or 'chats': not a Telegram export")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] if text else type(error).__name__


class _JsonRead:
    """One read of one result.json: the state shared by its chats."""

    def __init__(self, path: Path, file: str | None, options: ReadOptions, media: MediaFiles):
        self.path = path
        self.file = file
        self.zone: tzinfo = options.zone
        self.media = media
        self.actors = ActorBook()
        self.counts = _Counts()
        self.messages = 0

    def single(self, header: _Header) -> Iterator[Record]:
        """A one-chat export: ``{"name", "type", "id", "messages": [...]}``."""
        values = header.values
        out: list[Record] = [Note(self._describe(values, "single-chat export"))]
        chat = self._chat(values, "chat", "messages", out)
        yield from out
        with _open(self.path) as handle:
            items = ijson.items(handle, "messages.item", use_float=True)
            yield from self._messages(items, lambda _out: chat, _single_broken_at)

    def account(self, header: _Header) -> Iterator[Record]:
        """A full-account export: every chat of ``chats.list``, then of ``left_chats.list``."""
        if header.owner:
            yield from self._owner(header.owner)
        chats = 0
        section: str | None = "chats"
        while section is not None:
            stream = _Section(section)
            with _open(self.path) as handle:
                messages = stream.messages(handle)
                yield from self._messages(messages, stream.chat_of(self), stream.broken_at)
            chats += stream.chats
            section = "left_chats" if section == "chats" and stream.has_left_chats else None
        yield Note(f"telegram: {self.path.name}: full-account export, {chats:,} chats")

    def notes(self) -> Iterator[Note]:
        """Decisions and counts to report once the file is read."""
        if self.counts.naive_dates:
            yield Note(
                f"telegram: {self.path.name}: {self.counts.naive_dates:,} messages have no "
                f"date_unixtime (older export format): their times were read as local time in "
                f"{self.zone}, and carry no UTC offset"
            )
        yield from self.media.notes()

    def _describe(self, values: dict[str, Any], layout: str) -> str:
        name, kind, ident = values.get("name"), values.get("type"), values.get("id")
        shown = kind or "unknown type"
        return f"telegram: {self.path.name}: {layout} of {shown} {name!r} (id {ident})"

    def _owner(self, owner: dict[str, Any]) -> Iterator[Record]:
        user = owner.get("user_id")
        names = [owner.get("first_name"), owner.get("last_name")]
        name = " ".join(part for part in names if isinstance(part, str) and part) or None
        username = owner.get("username")
        handle = username.lstrip("@") if isinstance(username, str) and username else None
        raw = encode_raw(owner)
        if isinstance(user, int) and not isinstance(user, bool):
            out: list[Record] = []
            provenance = Provenance("personal_information", raw, self.file)
            self.actors.meet(f"user{user}", "account", provenance, out, name, handle)
            yield from out
        shown = f"@{handle}" if handle else "no username"
        yield Note(f"telegram: {self.path.name}: account owner {name!r} ({shown}, user id {user})")

    def _chat(self, values: dict[str, Any], where: str, locator: str, out: list[Record]) -> _Chat:
        kind = chat_kind(values.get("type"))
        name = values.get("name")
        key = chat_key(values.get("type"), values.get("id"), name)
        header = {k: values[k] for k in ("name", "type", "id") if k in values}
        provenance = Provenance(where, encode_raw(header), self.file)
        shown = name if isinstance(name, str) else None
        ident = self.actors.meet(key, kind, provenance, out, shown)
        return _Chat(key, ident, kind, locator)

    def _messages(
        self,
        items: Iterable[Any],
        chat_of: Callable[[list[Record]], _Chat],
        broken_at: Callable[[_Chat | None], tuple[str, int]],
    ) -> Iterator[Record]:
        """Convert the streamed messages; a broken stream ends in one Reject for the tail.

        ``chat_of`` gives the chat of the message just read, appending to its argument the
        records to yield first (the chat's actor, when a new chat starts); ``broken_at`` gives
        the locator where the stream broke and how many messages of that chat were read.
        """
        out: list[Record] = []
        iterator = iter(items)
        chat: _Chat | None = None
        while True:
            try:
                message = next(iterator)
                chat = chat_of(out)
            except StopIteration:
                return
            except _STREAM_ERRORS as error:
                yield self._tail(*broken_at(chat), error)
                return
            index = chat.posted
            chat.posted += 1
            self.messages += 1
            try:
                self._message(message, chat, index, out)
            except _SHAPE_ERRORS as error:
                out.clear()
                raw = encode_raw(message) if isinstance(message, dict) else repr(message)
                reason = f"message could not be interpreted ({_one_line(error)}); quarantined"
                out.append(Reject(f"{chat.locator}[{index}]", reason, raw, self.file))
            yield from out
            out.clear()

    def _tail(self, locator: str, read: int, error: BaseException) -> Reject:
        cut = "premature EOF" in str(error) or isinstance(error, ijson.IncompleteJSONError)
        what = "breaks off" if cut else "is malformed"
        reason = (
            f"the file {what} at or after {locator} ({_one_line(error)}); "
            f"the {read:,} messages of this chat before it were read, "
            "the rest of the file is quarantined"
        )
        return Reject(locator, reason, self._last_bytes(), self.file)

    def _last_bytes(self) -> str | None:
        try:
            with self.path.open("rb") as handle:
                size = handle.seek(0, 2)
                handle.seek(max(0, size - _TAIL_BYTES))
                return handle.read().decode("utf-8", errors="replace")
        except OSError:
            return None

    def _message(self, message: Any, chat: _Chat, index: int, out: list[Record]) -> None:
        """Append the records of one message to ``out``."""
        locator = f"{chat.locator}[{index}]"
        if type(message) is not dict:
            raw = encode_raw(message)
            out.append(Reject(locator, "not a JSON object; quarantined", raw, self.file))
            return
        raw = encode_raw(message)
        native = message.get("id")
        if type(native) is not int:
            reason = f"no message id (id is {native!r}); message quarantined"
            out.append(Reject(locator, reason, raw, self.file))
            return
        try:
            posted_at, offset = self._when(message.get("date_unixtime"), message.get("date"))
        except ValueError as error:
            out.append(Reject(locator, f"{error}; message quarantined", raw, self.file))
            return
        if offset is None and "date_unixtime" not in message:
            self.counts.naive_dates += 1
        provenance = Provenance(locator, raw, self.file)
        pid = post_id(PLATFORM, chat.key, native)
        service = message.get("type") == "service"
        if service:
            who, name = message.get("actor_id"), message.get("actor")
        else:
            who, name = message.get("from_id"), message.get("from")
        author = self._author(who, name, chat, provenance, out)
        if author is not None:
            chat.index.add(native, author)

        text, text_links, named = _text(message.get("text"))
        extra = _extra(message)
        if text_links:
            extra["text_links"] = text_links

        reply_to = None
        replied = message.get("reply_to_message_id")
        if type(replied) is int:
            peer = message.get("reply_to_peer_id")
            if isinstance(peer, str) and peer:
                reply_to = post_id(PLATFORM, peer, replied)
            else:
                reply_to = post_id(PLATFORM, chat.key, replied)
                target = chat.index.get(replied)
                if author is not None and target is not None:
                    out.append(
                        interaction("reply", author, target, pid, PLATFORM, provenance, posted_at)
                    )

        forwarded = self._forward(message, provenance, out)
        if forwarded is not None and author is not None:
            out.append(
                interaction("forward", author, forwarded, pid, PLATFORM, provenance, posted_at)
            )

        if author is not None:
            self._mentions(text, named, author, pid, provenance, posted_at, out)

        edited_at = None
        if "edited" in message or "edited_unixtime" in message:
            try:
                edited_at = self._when(message.get("edited_unixtime"), message.get("edited"))[0]
            except ValueError:
                extra["edited_unreadable"] = str(message.get("edited"))

        kind: PostKind = "service" if service else ("post" if chat.kind == "channel" else "message")
        out.append(
            Post(
                id=pid,
                platform=PLATFORM,
                kind=kind,
                provenance=provenance,
                text=text,
                author_id=author,
                chat_id=chat.actor,
                native_id=str(native),
                posted_at=posted_at,
                utc_offset_min=offset,
                reply_to_id=reply_to,
                forwarded_from_id=forwarded,
                edited_at=edited_at,
                extra=extra,
            )
        )
        self._media(message, pid, provenance, out)

    def _when(self, unix: Any, local: Any) -> tuple[datetime, int | None]:
        """Exact UTC from ``date_unixtime`` with the offset ``date`` shows, or ``date`` alone."""
        if unix is not None and unix != "":
            try:
                moment = datetime.fromtimestamp(int(unix), UTC)
            except (ValueError, TypeError, OverflowError, OSError):
                moment = None
            if moment is not None:
                offset = None
                if type(local) is str:
                    try:
                        seconds = datetime.fromisoformat(local) - moment.replace(tzinfo=None)
                    except (ValueError, TypeError):
                        seconds = None
                    if seconds is not None:
                        minutes = round(seconds.total_seconds() / 60)
                        offset = minutes if abs(minutes) <= _MAX_OFFSET_MIN else None
                return moment, offset
        if type(local) is str:
            try:
                naive = datetime.fromisoformat(local)
            except ValueError:
                raise ValueError(f"unreadable date {local!r}") from None
            return to_utc(naive, self.zone)
        if unix is None and local is None:
            raise ValueError("no date")
        raise ValueError(f"unreadable date {unix if unix is not None else local!r}")

    def _author(
        self, who: Any, name: Any, chat: _Chat, provenance: Provenance, out: list[Record]
    ) -> str | None:
        shown = name if isinstance(name, str) and name else None
        if isinstance(who, str) and who:
            key = who
        elif type(who) is int:
            # Exports before 2020 wrote a bare number: a user, or the channel itself.
            key = chat.key if chat.key.endswith(f"l{who}") else f"user{who}"
        elif shown is not None:
            key = f"name:{shown}"
        elif chat.kind == "channel":
            return chat.actor  # an unsigned channel post is the channel's
        else:
            return None
        if key == chat.key:
            return chat.actor
        return self.actors.meet(key, key_kind(key), provenance, out, shown)

    def _forward(
        self, message: dict[str, Any], provenance: Provenance, out: list[Record]
    ) -> str | None:
        source = message.get("forwarded_from_id")
        name = message.get("forwarded_from")
        shown = name if isinstance(name, str) and name else None
        if isinstance(source, str) and source:
            key = source
        elif shown is not None:
            key = f"name:{shown}"
        else:
            return None
        return self.actors.meet(key, key_kind(key), provenance, out, shown)

    def _mentions(
        self,
        text: str,
        named: list[tuple[str, str]],
        author: str,
        pid: str,
        provenance: Provenance,
        at: datetime,
        out: list[Record],
    ) -> None:
        targets: list[str] = []
        if "@" in text:
            for handle in mentions_in(text):
                targets.append(
                    self.actors.meet(f"@{handle}", "account", provenance, out, None, handle)
                )
        for key, name in named:
            targets.append(self.actors.meet(key, "account", provenance, out, name or None))
        for target in dict.fromkeys(targets):
            out.append(interaction("mention", author, target, pid, PLATFORM, provenance, at))

    def _media(
        self, message: dict[str, Any], pid: str, provenance: Provenance, out: list[Record]
    ) -> None:
        for field_name in ("photo", "file", "thumbnail"):
            reference = message.get(field_name)
            if not isinstance(reference, str) or not reference:
                continue
            if reference.startswith(_NOT_EXPORTED) or reference.startswith("("):
                label = message.get("file_name") if field_name == "file" else None
                shown = label if isinstance(label, str) and label else field_name
                out.append(self.media.missing_media(pid, f"(not exported) {shown}", provenance))
                continue
            mime = message.get("mime_type") if field_name == "file" else "image/jpeg"
            out.append(
                self.media.media(
                    pid, reference, provenance, mime if isinstance(mime, str) else None
                )
            )


def _text(value: Any) -> tuple[str, list[str], list[tuple[str, str]]]:
    """Plain text of a ``text`` field, hidden link targets, and mention_name (key, name) pairs."""
    if isinstance(value, str):
        return value, [], []
    if not isinstance(value, list):
        return "", [], []
    parts: list[str] = []
    links: list[str] = []
    named: list[tuple[str, str]] = []
    for part in value:
        if isinstance(part, str):
            parts.append(part)
            continue
        if not isinstance(part, dict):
            continue
        text = part.get("text")
        if isinstance(text, str):
            parts.append(text)
        kind = part.get("type")
        if kind == "text_link":
            href = part.get("href")
            if isinstance(href, str) and href:
                links.append(href)
        elif kind == "mention_name":
            user = part.get("user_id")
            if type(user) is int:
                named.append((f"user{user}", text if isinstance(text, str) else ""))
    return "".join(parts), links, named


def _extra(message: dict[str, Any]) -> dict[str, Any]:
    """Unmapped fields worth keeping: scalars, reactions as counts, a few small structures."""
    extra: dict[str, Any] = {}
    for key in message.keys() - _MAPPED:
        value = message[key]
        if value is None or isinstance(value, bool | int | float):
            extra[key] = value
        elif isinstance(value, str):
            extra[key] = value[:_MAX_EXTRA_TEXT]
        elif key == "reactions" and isinstance(value, list):
            extra[key] = _reactions(value)
        elif key in _SMALL_STRUCTURES:
            extra[key] = value
    return extra


def _reactions(value: list[Any]) -> list[dict[str, Any]]:
    """Reactions as emoji and count; the per-user "recent" lists are dropped to stay small."""
    kept: list[dict[str, Any]] = []
    for reaction in value:
        if isinstance(reaction, dict):
            emoji = reaction.get("emoji") or reaction.get("document_id") or reaction.get("type")
            kept.append({"emoji": emoji, "count": reaction.get("count")})
    return kept


def _single_broken_at(chat: _Chat | None) -> tuple[str, int]:
    read = chat.posted if chat is not None else 0
    return f"messages[{read}]", read


class _Section:
    """Streams one list of a full-account export (``chats`` or ``left_chats``) chat by chat.

    The C item builder needs one prefix and cannot say which chat a message came from, so the
    parse events are teed: one branch feeds the builder, the other is filtered in C (``compress``
    over ``(prefix, event)`` membership) down to chat starts, chat headers and message starts.
    After each built message, the filtered branch is read up to that message's start: it never
    lags by more than one message, so the tee buffers little, and no Python runs per event.
    """

    def __init__(self, section: str) -> None:
        self.section = section
        self.chat_prefix = f"{section}.list.item"
        self.message_prefix = f"{self.chat_prefix}.messages.item"
        self.wanted = frozenset(
            {
                (self.chat_prefix, "start_map"),
                (self.message_prefix, "start_map"),
                ("", "map_key"),
                *((f"{self.chat_prefix}.{key}", kind) for key in _HEADER_KEYS for kind in _SCALARS),
            }
        )
        self.chats = 0
        self.has_left_chats = False
        self._marks: Iterator[tuple[str, str, Any]] = iter(())

    def messages(self, handle: Any) -> Iterator[Any]:
        """The messages of every chat of this section, built by ijson's C backend."""
        for_items, for_marks, for_keys = tee(ijson.parse(handle, use_float=True), 3)
        flags = map(self.wanted.__contains__, map(_PREFIX_EVENT, for_keys))
        self._marks = compress(for_marks, flags)
        yield from ijson.items(for_items, self.message_prefix)
        for prefix, _event, value in self._marks:  # the rest: is there a left_chats list?
            if prefix == "" and value == "left_chats":
                self.has_left_chats = True

    def broken_at(self, chat: _Chat | None) -> tuple[str, int]:
        """Where the stream broke: the filtered branch still holds what was parsed before."""
        started = 0
        try:
            for prefix, event, _value in self._marks:
                if event == "start_map" and prefix == self.chat_prefix:
                    started += 1
        except _STREAM_ERRORS:
            pass  # the branch re-raises the parse error once its buffer is empty
        if chat is None or started:
            position = max(self.chats - 1 + started, 0)
            return f"{self.section}.list[{position}].messages[0]", 0
        return f"{chat.locator}[{chat.posted}]", chat.posted

    def chat_of(self, read: _JsonRead) -> Callable[[list[Record]], _Chat]:
        """The callback telling ``_JsonRead._messages`` which chat a message belongs to."""
        values: dict[str, Any] = {}
        current: list[_Chat] = []

        def chat_of(out: list[Record]) -> _Chat:
            for prefix, event, value in self._marks:
                if event == "start_map":
                    if prefix == self.message_prefix:
                        break
                    self.chats += 1
                    values.clear()
                    current.clear()
                elif event == "map_key":
                    if value == "left_chats":
                        self.has_left_chats = True
                else:
                    values[prefix.rsplit(".", 1)[1]] = value
            if not current:
                where = f"{self.section}.list[{self.chats - 1}]"
                current.append(read._chat(values, where, f"{where}.messages", out))
            return current[0]

        return chat_of

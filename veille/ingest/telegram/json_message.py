"""Map one message of a Telegram Desktop JSON export to records.

Internal helper of ``veille.ingest.telegram.json_export``: not a stable API.

Times: ``date_unixtime`` (exports since 2021) is exact UTC and preferred; ``date`` is the wall
time of the exporting computer, so the difference between the two is the offset it showed.
Older exports only have ``date``, read in ``ReadOptions.zone``.

This runs once per message of exports that reach millions of messages, so it reads each field
once and keeps per chat what is the same for the whole chat (see ``Chat``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from veille.ingest.common.dates import to_utc
from veille.ingest.common.edges import interaction, mentions_in
from veille.ingest.common.identity import post_id
from veille.ingest.telegram.chats import PLATFORM, ActorBook, AuthorIndex, key_kind
from veille.ingest.telegram.media_files import MediaFiles
from veille.ingest.telegram.raw_json import encode_raw
from veille.model import Columns, PostKind, Provenance, Record, Reject, column_fields

__all__ = ["Chat", "MessageMapper"]

_NOT_EXPORTED = "("  # "(File not included. ...)", "(File exceeds maximum size. ...)"
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
_POST_FIELDS = column_fields(
    "post",
    "id", "kind", "text", "author_id", "chat_id", "native_id", "posted_at", "utc_offset_min",
    "reply_to_id", "forwarded_from_id", "edited_at", "extra", "locator", "raw",
)  # fmt: skip
_EPOCH = datetime(1970, 1, 1)


@dataclass
class Chat:
    """The chat whose messages are being read, and what is the same for all its messages."""

    key: str
    actor: str
    kind: str
    locator: str  # "messages" or "chats.list[3].messages"
    index: AuthorIndex = field(default_factory=AuthorIndex)
    posted: int = 0
    post_kind: PostKind = field(init=False)  # of its messages that are not service messages

    def __post_init__(self) -> None:
        self.post_kind = "post" if self.kind == "channel" else "message"


class MessageMapper:
    """Turns messages into records, with the state one read shares across its chats."""

    def __init__(self, file: str | None, zone: tzinfo, media: MediaFiles) -> None:
        self.file = file
        self.zone = zone
        self.media = media
        self.actors = ActorBook()
        self.known = self.actors.known
        self.naive_dates = 0  # messages without date_unixtime, read in ``zone``
        self._posts: dict[str, list[Any]] = {name: [] for name in _POST_FIELDS}

    @property
    def posts_waiting(self) -> int:
        """Posts mapped and not yet handed out by ``drain_posts``."""
        return len(self._posts["id"])

    def drain_posts(self) -> Columns | None:
        """The posts mapped so far, as one column batch, and start a new one.

        Posts go out in columns, not one ``Post`` each: a frozen dataclass of 15 fields costs
        3 µs to build, an eighth of the reader's time per message (bench/ingest.py). The other
        records of those messages must go out after them (``json_export``), so a batch of
        posts is written with its actors and edges.
        """
        if not self._posts["id"]:
            return None
        values = self._posts
        size = len(values["id"])
        values["platform"] = [PLATFORM] * size
        values["file"] = [self.file] * size
        self._posts = {name: [] for name in _POST_FIELDS}
        return Columns("post", values)

    def records(self, message: Any, chat: Chat, index: int, out: list[Record]) -> None:
        """Append the records of message ``index`` of ``chat`` to ``out``."""
        locator = f"{chat.locator}[{index}]"
        raw = encode_raw(message)
        if type(message) is not dict:
            out.append(Reject(locator, "not a JSON object; quarantined", raw, self.file))
            return
        get = message.get
        native = get("id")
        if type(native) is not int:
            reason = f"no message id (id is {native!r}); message quarantined"
            out.append(Reject(locator, reason, raw, self.file))
            return
        try:
            posted_at, offset = self._when(get("date_unixtime"), get("date"))
        except ValueError as error:
            out.append(Reject(locator, f"{error}; message quarantined", raw, self.file))
            return
        if offset is None and "date_unixtime" not in message:
            self.naive_dates += 1
        provenance = Provenance(locator, raw, self.file)
        native_id = str(native)
        pid = post_id(PLATFORM, chat.key, native_id)  # all-str parts: the fast path of record_id
        service = get("type") == "service"
        if service:
            author = self._author(get("actor_id"), get("actor"), chat, provenance, out, posted_at)
        else:
            author = self._author(get("from_id"), get("from"), chat, provenance, out, posted_at)
        if author is not None:
            chat.index.add(native, author)

        text, text_links, named = _text(get("text"))
        extra = _extra(message)
        if not text:
            # A poll's question, or what a service message did: else the post reads empty.
            text = _poll_text(get("poll")) or (_service_text(message) if service else "")
        if text_links:
            extra["text_links"] = text_links

        reply_to = None
        replied = get("reply_to_message_id")
        if type(replied) is int:
            peer = get("reply_to_peer_id")
            if isinstance(peer, str) and peer:
                reply_to = post_id(PLATFORM, peer, str(replied))
            else:
                reply_to = post_id(PLATFORM, chat.key, str(replied))
                target = chat.index.get(replied)
                if author is not None and target is not None:
                    out.append(
                        interaction("reply", author, target, pid, PLATFORM, provenance, posted_at)
                    )

        forwarded = None
        if "forwarded_from" in message or "forwarded_from_id" in message:
            forwarded = self._forward(message, provenance, out)
            if forwarded is not None and author is not None:
                out.append(
                    interaction("forward", author, forwarded, pid, PLATFORM, provenance, posted_at)
                )

        if author is not None and (named or "@" in text):
            self._mentions(text, named, author, pid, provenance, posted_at, out)

        edited_at = None
        if "edited" in message or "edited_unixtime" in message:
            try:
                edited_at = self._when(get("edited_unixtime"), get("edited"))[0]
            except ValueError:
                extra["edited_unreadable"] = str(get("edited"))

        if "photo" in message or "file" in message or "thumbnail" in message:
            self._media(message, pid, provenance, out)
        # Last, once nothing can fail: the post joins the column batch (see drain_posts).
        posts = self._posts
        posts["id"].append(pid)
        posts["kind"].append("service" if service else chat.post_kind)
        posts["text"].append(text)
        posts["author_id"].append(author)
        posts["chat_id"].append(chat.actor)
        posts["native_id"].append(native_id)
        posts["posted_at"].append(posted_at)
        posts["utc_offset_min"].append(offset)
        posts["reply_to_id"].append(reply_to)
        posts["forwarded_from_id"].append(forwarded)
        posts["edited_at"].append(edited_at)
        posts["extra"].append(extra)
        posts["locator"].append(locator)
        posts["raw"].append(raw)

    def _when(self, unix: Any, local: Any) -> tuple[datetime, int | None]:
        """Exact UTC from ``date_unixtime`` with the offset ``date`` shows, or ``date`` alone."""
        if unix is not None and unix != "":
            try:
                seconds = int(unix)
                moment = datetime.fromtimestamp(seconds, UTC)
            except (ValueError, TypeError, OverflowError, OSError):
                moment = None
            if moment is not None:
                offset = None
                if type(local) is str:
                    # The wall time as seconds since the epoch, minus the exact time: the
                    # offset. (Cheaper than subtracting datetimes, which needs replace().)
                    try:
                        shown = (datetime.fromisoformat(local) - _EPOCH).total_seconds()
                    except (ValueError, TypeError):
                        shown = None
                    if shown is not None:
                        minutes = round((shown - seconds) / 60)
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
        self,
        who: Any,
        name: Any,
        chat: Chat,
        provenance: Provenance,
        out: list[Record],
        at: datetime,
    ) -> str | None:
        if type(who) is str and who:
            if who == chat.key:
                return chat.actor
            known = self.known(who)  # most authors wrote before: skip the rest
            if known is not None and not self.actors.renamed(who, name):
                return known
            key = who
        elif type(who) is int:
            # Exports before 2020 wrote a bare number: a user, or the channel itself.
            key = chat.key if chat.key.endswith(f"l{who}") else f"user{who}"
        elif isinstance(name, str) and name:
            key = f"name:{name}"
        elif chat.kind == "channel":
            return chat.actor  # an unsigned channel post is the channel's
        else:
            return None
        if key == chat.key:
            return chat.actor
        shown = name if isinstance(name, str) and name else None
        return self.actors.meet(key, key_kind(key), provenance, out, shown, seen_at=at)

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
            if reference.startswith(_NOT_EXPORTED):
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
    if type(value) is str:
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


def _poll_text(poll: Any) -> str:
    """A poll's question and its answers, one a line; "" when there is no readable question."""
    if not isinstance(poll, dict) or not isinstance(poll.get("question"), str):
        return ""
    lines = [poll["question"]]
    for answer in poll.get("answers") or ():
        if isinstance(answer, dict) and isinstance(answer.get("text"), str):
            lines.append(f"- {answer['text']}")
    return "\n".join(lines)


def _service_text(message: dict[str, Any]) -> str:
    """What a service message with no text did: "pin message (message 12)", "invite members: A".

    The words are the export's own action name; the details are the fields it names.
    """
    action = message.get("action")
    if not isinstance(action, str) or not action:
        return ""
    text = action.replace("_", " ")
    title = message.get("title")
    if isinstance(title, str) and title:
        text += f": {title}"
    members = message.get("members")
    if isinstance(members, list):
        names = [member for member in members if isinstance(member, str) and member]
        if names:
            text += ": " + ", ".join(names)
    target = message.get("message_id")
    if type(target) is int:
        text += f" (message {target})"
    return text


def _extra(message: dict[str, Any]) -> dict[str, Any]:
    """Unmapped fields worth keeping: scalars, reactions as counts, a few small structures."""
    extra: dict[str, Any] = {}
    for key, value in message.items():
        if key in _MAPPED:
            continue
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

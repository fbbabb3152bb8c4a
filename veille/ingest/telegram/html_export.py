"""Read Telegram Desktop HTML exports: ``messages.html``, ``messages2.html``, ... per chat.

Internal helper of ``veille.ingest.telegram.reader``: not a stable API.

Pages hold up to 1000 messages each, so a page is parsed whole with lxml and its messages are
yielded before the next page is opened. The markup, as Telegram Desktop writes it:
``div.message.service`` (date separators have negative ids, other service messages positive
ones) and ``div.message.default`` with ``div.body`` holding ``div.pull_right.date.details``
(``title="23.08.2023 13:11:23 UTC-08:00"``), ``div.from_name`` (absent on a ``joined`` message:
same author as the message before it), ``div.forwarded.body``, ``div.reply_to`` (link
``#go_to_message123``), media links (``a.photo_wrap``, ``a.media``...) and ``div.text``.

HTML shows display names, not ids: authors are keyed ``name:<display name>``. A chat whose every
author on its first page is the chat's own name is a channel, and its posts are the channel's.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.dates import to_utc
from veille.ingest.common.edges import interaction, mentions_in
from veille.ingest.common.identity import post_id
from veille.ingest.common.textfile import FileTooLarge, read_text
from veille.ingest.telegram.chats import PLATFORM, ActorBook, AuthorIndex
from veille.ingest.telegram.html_markup import (
    MESSAGES,
    PAGE_HEADER,
    child_with,
    classes_of,
    inner_body,
    name_of,
    poll_text,
    text_of,
)
from veille.ingest.telegram.media_files import MediaFiles
from veille.model import ActorKind, Media, Note, Post, Provenance, Record, Reject

__all__ = ["read_html"]

# Ids past 19 digits are not Telegram's (and past 4,300 digits int() refuses them).
_MESSAGE_ID = re.compile(r"message(-?\d{1,19})")
_GO_TO = re.compile(r"go_to_message(\d{1,19})(?!\d)")
_TITLE = re.compile(
    r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*UTC\s*([+-])(\d{1,2}):?(\d{2}))?"
)
_MEDIA_LINKS = frozenset(
    {"photo_wrap", "video_file_wrap", "animated_wrap", "sticker_wrap", "media"}
)
_FILE_MEDIA = frozenset(
    {"media_photo", "media_video", "media_voice_message", "media_audio_file", "media_file"}
)
_PLACES = frozenset({"media_location", "media_venue", "media_live_location"})
_NOT_FILES = ("#", "http:", "https:", "mailto:", "tel:", "tg:", "javascript:", "data:")
# huge_tree: without it libxml2 drops a text node past 10 MB, and the message reads empty.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
# One exported page: Telegram writes about a thousand messages to a page, a few MB; a page
# costs about 4.5 times its size in memory once parsed (a 50 MB message: 220 MB), so a larger
# file is refused unread rather than risk the machine's memory.
MAX_PAGE_BYTES = 200 << 20


@dataclass
class _Chat:
    """The chat whose pages are being read."""

    name: str
    key: str
    actor: str
    kind: ActorKind
    index: AuthorIndex = field(default_factory=AuthorIndex)
    last_author: str | None = None
    day: str | None = None  # the last date separator's text ("23 August 2023")


def read_html(
    chats: list[list[Path]], root: Path, in_folder: bool, options: ReadOptions
) -> Iterator[Record]:
    """Yield the records of HTML chat exports: one list of pages (in page order) per chat."""
    reader = _HtmlRead(root, in_folder, options)
    for pages in chats:
        yield from reader.chat(pages)
    yield from reader.notes()


class _HtmlRead:
    """One read: the actors, media and counts shared by the chats of an export."""

    def __init__(self, root: Path, in_folder: bool, options: ReadOptions) -> None:
        self.root = root
        self.in_folder = in_folder
        self.zone: tzinfo = options.zone
        self.actors = ActorBook()
        self.media = MediaFiles(root)
        self.started = False
        self.naive_dates = 0
        self.offsets: set[int] = set()
        self.replaced = 0
        self.untimed_services = 0

    def chat(self, pages: list[Path]) -> Iterator[Record]:
        """Records of one chat, page after page."""
        chat: _Chat | None = None
        for page in pages:
            relative = self._relative(page)
            document = self._parse(page, relative)
            if isinstance(document, Reject):
                self.started = True
                yield document
                continue
            messages = MESSAGES(document)
            if not messages and not PAGE_HEADER(document):
                if not self.started:
                    raise InputError(
                        f"telegram: {page.name}: no Telegram Desktop messages or page header"
                    )
                self.started = True
                yield Reject(
                    relative,
                    "not a Telegram Desktop chat page; skipped",
                    None,
                    self._file(relative),
                )
                continue
            out: list[Record] = []
            if chat is None:
                chat = self._open_chat(document, messages, page, relative, len(pages), out)
            self.started = True
            yield from out
            out.clear()
            base = posixpath.dirname(relative)
            for element in messages:
                self._message(element, chat, relative, base, out)
                yield from out
                out.clear()

    def notes(self) -> Iterator[Note]:
        """Decisions and counts to report at the end."""
        if self.offsets:
            shown = ", ".join(_offset_text(minutes) for minutes in sorted(self.offsets))
            yield Note(f"telegram: HTML times carry the exporting computer's UTC offset ({shown})")
        if self.naive_dates:
            yield Note(
                f"telegram: {self.naive_dates:,} HTML message times show no UTC offset (older "
                f"export): read as local time in {self.zone}"
            )
        if self.untimed_services:
            yield Note(
                f"telegram: {self.untimed_services:,} HTML service messages (joins, pins, title "
                "changes...) show no time: read without one (extra.day holds the day shown above)"
            )
        if self.replaced:
            yield Note(
                f"telegram: {self.replaced:,} bytes of the HTML pages did not decode and were "
                "replaced by U+FFFD"
            )
        yield from self.media.notes()

    def _relative(self, page: Path) -> str:
        try:
            return page.relative_to(self.root).as_posix()
        except ValueError:
            return page.name

    def _file(self, relative: str) -> str | None:
        return relative if self.in_folder else None

    def _parse(self, page: Path, relative: str) -> Any:
        """The parsed page, or a Reject for a later page that cannot be read."""
        reason: str
        try:
            text, _encoding, replaced = read_text(page, MAX_PAGE_BYTES)
            self.replaced += replaced
            if text.strip():
                # lxml refuses NUL characters in a str; they carry nothing in HTML anyway.
                return lxml.html.document_fromstring(text.replace("\x00", ""), parser=_PARSER)
            reason = "the page is empty"
        except OSError as error:
            reason = f"cannot be read ({error.strerror})"
        except FileTooLarge as error:
            reason = f"{error} for one page"
        except (etree.ParserError, ValueError, LookupError) as error:
            reason = f"not parseable as HTML ({' '.join(str(error).split())[:200]})"
        if not self.started:
            raise InputError(f"telegram: {page.name}: {reason}")
        return Reject(relative, f"{reason}; page skipped", None, self._file(relative))

    def _open_chat(
        self,
        document: Any,
        messages: list[Any],
        page: Path,
        relative: str,
        pages: int,
        out: list[Record],
    ) -> _Chat:
        headers = PAGE_HEADER(document)
        name = " ".join(headers[0].text_content().split()) if headers else ""
        if not name:
            name = page.parent.name or page.stem
        authors = set()
        for element in messages:
            body = child_with(element, "body")
            from_name = child_with(body, "from_name") if body is not None else None
            if from_name is not None:
                authors.add(name_of(from_name)[0])
        channel = authors == {name}
        kind: ActorKind = "channel" if channel else "group"
        key = f"name:{name}" if channel else f"chat:{name}"
        raw = (
            lxml.html.tostring(headers[0], encoding="unicode", with_tail=False) if headers else None
        )
        provenance = Provenance(f"{relative}#page_header", raw, self._file(relative))
        actor = self.actors.meet(key, kind, provenance, out, name)
        where = posixpath.dirname(relative) or page.name
        out.append(
            Note(
                f"telegram: {where}: HTML export of {kind} {name!r}, {pages} page(s); authors are "
                "known by display name only"
            )
        )
        return _Chat(name, key, actor, kind)

    def _message(
        self, element: Any, chat: _Chat, relative: str, base: str, out: list[Record]
    ) -> None:
        """Append the records of one message div to ``out``."""
        raw = lxml.html.tostring(element, encoding="unicode", with_tail=False)
        file = self._file(relative)
        match = _MESSAGE_ID.fullmatch(element.get("id") or "")
        if match is None:
            locator = f"{relative}#{element.get('id') or '?'}"
            out.append(Reject(locator, "message without a numeric id; quarantined", raw, file))
            return
        native = int(match.group(1))
        locator = f"{relative}#message{native}"
        provenance = Provenance(locator, raw, file)
        classes = classes_of(element)
        if "service" in classes:
            if native > 0:
                self._service(element, native, chat, provenance, out)
            else:  # negative ids are the exporter's date separators, not messages
                body = child_with(element, "body")
                day = " ".join(body.text_content().split()) if body is not None else ""
                chat.day = day or chat.day
            return
        body = child_with(element, "body")
        if "default" not in classes or body is None:
            out.append(Reject(locator, "unknown message markup; quarantined", raw, file))
            return
        date = child_with(body, "date")
        title = date.get("title") if date is not None else None
        if title is None:
            out.append(Reject(locator, "message without a date; quarantined", raw, file))
            return
        try:
            posted_at, offset = self._when(title)
        except ValueError:
            reason = f"unreadable date {title!r}; message quarantined"
            out.append(Reject(locator, reason, raw, file))
            return

        extra: dict[str, Any] = {}
        from_name = child_with(body, "from_name")
        if from_name is not None:
            name, bot = name_of(from_name)
            if chat.kind == "channel" and name == chat.name:
                author: str | None = chat.actor
            else:
                author = self.actors.meet(f"name:{name}", "account", provenance, out, name)
            chat.last_author = author
            if bot:
                extra["via_bot"] = f"@{bot}"
        else:
            author = chat.last_author  # a "joined" message continues the previous author's run
        pid = post_id(PLATFORM, chat.key, native)
        if author is not None:
            chat.index.add(native, author)

        # "forwarded body", not the "pull_left forwarded userpic_wrap" picture before it.
        forwarded_div = child_with(body, "forwarded", "body")
        container = forwarded_div if forwarded_div is not None else body
        forwarded = None
        if forwarded_div is not None:
            original = child_with(forwarded_div, "from_name")
            if original is not None:
                original_name = name_of(original)[0]
                key = f"name:{original_name}"
                forwarded = self.actors.meet(key, "account", provenance, out, original_name)
                if author is not None:
                    out.append(
                        interaction(
                            "forward", author, forwarded, pid, PLATFORM, provenance, posted_at
                        )
                    )

        reply_to = self._reply(body, chat, author, pid, provenance, posted_at, extra, out)
        if reply_to is None and forwarded_div is not None:
            # The forwarded message was itself a reply: the original author replied.
            reply_to = self._reply(
                forwarded_div, chat, forwarded, pid, provenance, posted_at, extra, out
            )
            if reply_to is not None:
                extra["reply_in_forwarded"] = True

        text_div = child_with(container, "text")
        text = text_of(text_div) if text_div is not None else ""
        if not text:
            text = poll_text(container)
        if text_div is not None:
            links = [
                href
                for link in text_div.iter("a")
                if (href := link.get("href") or "").startswith(("http://", "https://"))
                and link.text_content().strip() != href
            ]
            if links:
                extra["text_links"] = links
        signature = child_with(container, "signature")
        if signature is not None:
            extra["signature"] = " ".join(signature.text_content().split())
        if author is not None and "@" in text:
            for handle in mentions_in(text):
                target = self.actors.meet(f"@{handle}", "account", provenance, out, None, handle)
                out.append(
                    interaction("mention", author, target, pid, PLATFORM, provenance, posted_at)
                )

        media = self._media(container, pid, provenance, base, extra)
        out.append(
            Post(
                id=pid,
                platform=PLATFORM,
                kind="post" if chat.kind == "channel" else "message",
                provenance=provenance,
                text=text,
                author_id=author,
                chat_id=chat.actor,
                native_id=str(native),
                posted_at=posted_at,
                utc_offset_min=offset,
                reply_to_id=reply_to,
                forwarded_from_id=forwarded,
                extra=extra,
            )
        )
        out.extend(media)

    def _service(
        self, element: Any, native: int, chat: _Chat, provenance: Provenance, out: list[Record]
    ) -> None:
        body = child_with(element, "body")
        text = " ".join(body.text_content().split()) if body is not None else ""
        extra: dict[str, Any] = {}
        if body is not None:
            for link in body.iter("a"):
                target = _GO_TO.search(link.get("href") or "")
                if target:
                    extra["message_id"] = int(target.group(1))
                    break
        # HTML service messages show neither their author nor their time: the day of the date
        # separator above them is kept, and the count is noted.
        if chat.day:
            extra["day"] = chat.day
        self.untimed_services += 1
        out.append(
            Post(
                id=post_id(PLATFORM, chat.key, native),
                platform=PLATFORM,
                kind="service",
                provenance=provenance,
                text=text,
                chat_id=chat.actor,
                native_id=str(native),
                extra=extra,
            )
        )

    def _reply(
        self,
        body: Any,
        chat: _Chat,
        author: str | None,
        pid: str,
        provenance: Provenance,
        at: datetime,
        extra: dict[str, Any],
        out: list[Record],
    ) -> str | None:
        reply = child_with(body, "reply_to")
        if reply is None:
            return None
        for link in reply.iter("a"):
            target = _GO_TO.search(link.get("href") or "")
            if target:
                replied = int(target.group(1))
                replied_author = chat.index.get(replied)
                if author is not None and replied_author is not None:
                    out.append(
                        interaction("reply", author, replied_author, pid, PLATFORM, provenance, at)
                    )
                return post_id(PLATFORM, chat.key, replied)
        extra["reply_to_other_chat"] = True  # "In reply to a message in another chat"
        return None

    def _media(
        self, container: Any, pid: str, provenance: Provenance, base: str, extra: dict[str, Any]
    ) -> list[Media]:
        found: list[Media] = []
        for element in container.iter("a", "div"):
            tokens = classes_of(element)
            if not tokens:
                continue
            if not _PLACES.isdisjoint(tokens):
                status = child_with(inner_body(element), "status")
                if status is not None:
                    extra["location"] = " ".join(status.text_content().split())
            if element.tag == "a" and not _MEDIA_LINKS.isdisjoint(tokens):
                href = (element.get("href") or "").strip()
                if href and not href.lower().startswith(_NOT_FILES):
                    found.append(self.media.media(pid, href, provenance, None, base))
            elif element.tag == "div" and "media" in tokens and not _FILE_MEDIA.isdisjoint(tokens):
                title = child_with(inner_body(element), "title")
                shown = " ".join(title.text_content().split()) if title is not None else "file"
                found.append(self.media.missing_media(pid, f"(not exported) {shown}", provenance))
        return found

    def _when(self, title: str) -> tuple[datetime, int | None]:
        match = _TITLE.match(title)
        if match is None:
            raise ValueError(title)
        day, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        if sign is None:
            self.naive_dates += 1
            return to_utc(moment, self.zone)
        minutes = int(off_h) * 60 + int(off_m)
        if minutes >= 24 * 60:
            raise ValueError(title)
        minutes = -minutes if sign == "-" else minutes
        self.offsets.add(minutes)
        return to_utc(moment.replace(tzinfo=timezone(timedelta(minutes=minutes))), self.zone)


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"

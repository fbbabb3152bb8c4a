"""Read WhatsApp ``.txt`` chat exports, Android and iOS, alone or in an extracted ``.zip`` export.

The unit read is one chat: a ``.txt`` file, or a folder holding one chat ``.txt`` and its
attachments (``_chat.txt`` on iOS, ``WhatsApp Chat with X.txt`` on Android). The line grammar is
in ``lines``.

The file is read twice, streaming both times. The first pass (``first_pass``) observes every
header date, so day-first or month-first is decided once for the whole file (``DateColumn``),
and learns the participants and the days each posted on. The second pass yields the records,
each post followed by its media and edges. Memory grows with participants x active days, and
by one 64-bit number per message (to number identical messages), never with text size.

Keys: a participant is the name or phone number as written (without bidi marks and the ``~`` of
unsaved contacts); the chat is ``chat:`` + its name, taken from the file name (or the folder name
for ``_chat.txt``). WhatsApp has no message ids, so a post is keyed by (chat key, local timestamp
as written in ISO form, author key, text, n), n counting identical earlier messages in the file:
two identical messages in one minute stay two posts and re-reading gives the same ids. The
timestamp is the local one, so choosing another ``--zone`` moves posts in time without renaming
them.

What becomes what:
- ``Name: text`` is a ``message`` post; empty bodies (``John Doe:.``) are kept, nothing is lost;
- a line without a name, the end-to-end encryption notice (iOS writes it as if authored), and on
  iOS a U+200E-marked body worded as a system line (``Ann added Bob``) are ``service`` posts;
  their author is the actor an English system line names, else None (``You were added``);
- an attachment is always a Media record: the named file beside the ``.txt`` when it is there,
  else ``file=None``; placeholders of left-out media (``<Media omitted>``, ``image omitted``) give
  a Media named ``<media omitted>`` with ``file=None``, and ``extra.media_omitted``;
- ``This message was deleted`` sets ``extra.deleted``, ``<This message was edited>`` is cut from
  the text and sets ``extra.edited``;
- ``@Name`` / ``@+33 6 12...`` that name a participant become ``mention`` edges. Participants are
  the authors of at least one message; actors only named by system lines are not.

Dates: the order (day- or month-first) and the era (Buddhist-era years of Thai phones) are
decided once per file (``header_dates``) and said in a Note; ``--date-order`` overrides the
order.

Bounds: a message longer than MAX_MESSAGE_CHARS characters (header line and continuation lines
together) and a header whose name is longer than ``lines.MAX_NAME_CHARS`` are
quarantined with the reason, keeping the first RAW_KEPT_CHARS characters. Lines are read at most
LINE_LIMIT characters at a time, so a file without line breaks is never held whole.

Not handled: dates that are not numeric (Japanese 午後), system lines of other languages keep no
author, and exports nested one folder deeper.

Contact rule: the export has no member list and no recipients, only who wrote when. A participant
is in contact with the chat's other participants on the days they write to it: the author's first
message of each (local) day gives one ``contact`` edge to every other participant who posted within
30 days before or after that day (with two participants, to the other one whatever the gap). So an
edge weight counts days of contact, not how many short messages someone splits a thought into,
and a group with years of history does not join members who were never there at the same time;
edges stay within days x active participants^2 instead of messages x members.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import ClassVar

from veille.errors import InputError
from veille.ids import record_id
from veille.ingest.base import ReadOptions
from veille.ingest.common.bounded_lines import Line, bounded_lines
from veille.ingest.common.dates import to_utc
from veille.ingest.common.edges import interaction
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.common.textfile import open_text
from veille.ingest.whatsapp.chat_files import Attachments, chat_file, chat_name, starts_with_header
from veille.ingest.whatsapp.first_pass import ChatScan, decide_order, scan_chat
from veille.ingest.whatsapp.header_dates import BUDDHIST_OFFSET, buddhist_era, from_buddhist
from veille.ingest.whatsapp.lines import (
    CUT_HEADER,
    HEADER,
    MAX_NAME_CHARS,
    date_parts,
    header_date,
    long_name,
    parse_body,
    time_parts,
)
from veille.ingest.whatsapp.people import Participants
from veille.model import Actor, Media, Note, Post, Provenance, Record, Reject

__all__ = ["WhatsAppReader"]

PLATFORM = "whatsapp"
OMITTED = "<media omitted>"
# WhatsApp refuses to send a message over 65,536 characters; a longer one is not a message but
# a broken or hostile file, and is quarantined rather than stored.
MAX_MESSAGE_CHARS = 100_000
# Characters read of one line at a time: a message's text plus room for the header and name.
LINE_LIMIT = MAX_MESSAGE_CHARS + 1_000
# What a quarantined over-long message keeps of itself: enough to find it again in the file.
RAW_KEPT_CHARS = 4_096


class WhatsAppReader:
    """WhatsApp chat exports (.txt, or the folder of an extracted .zip export)."""

    name: ClassVar[str] = "whatsapp"
    version: ClassVar[int] = 1

    def sniff(self, path: Path) -> int:
        """90 for a chat .txt (or a folder holding one) whose first line is a message header."""
        try:
            chat = chat_file(path) if path.is_dir() else path
            if chat is None or chat.suffix.lower() != ".txt":
                return 0
            return 90 if starts_with_header(chat) else 0
        except OSError:
            return 0

    def parts(self, path: Path) -> list[Path]:
        """The one chat file of an export folder: other .txt files beside it are read alone."""
        chat = chat_file(path) if path.is_dir() else None
        return [chat] if chat is not None else []

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the chat's notes, actors, posts, media and edges; bad messages become Rejects."""
        if path.is_dir():
            try:
                chat = chat_file(path)
            except OSError as error:
                raise InputError(
                    f"whatsapp: {path.name}: cannot list the folder ({error})"
                ) from None
            if chat is None:
                raise InputError(f"whatsapp: {path.name}: no single chat .txt in this folder")
            folder, relative = path, chat.name
        else:
            chat, folder, relative = path, path.parent, None
        scan = scan_chat(chat, LINE_LIMIT)
        return _ChatRead(chat, folder, relative, scan, options).records()


_ATTACHMENT_KEY = "\x00attachment"


class _ChatRead:
    """Second pass over one chat file: turns each message into records."""

    def __init__(
        self, chat: Path, folder: Path, relative: str | None, scan: ChatScan, options: ReadOptions
    ) -> None:
        self.chat, self.relative, self.scan = chat, relative, scan
        self.zone = options.zone
        self.label = relative or chat.name
        parser = decide_order(chat, scan, options.date_order, LINE_LIMIT)
        self.day_first = parser.day_first
        self.date_note = parser.description
        self.buddhist = buddhist_era(scan.years)
        self.chat_name = chat_name(chat)
        self.chat_key = "chat:" + self.chat_name
        self.chat_id = actor_id(PLATFORM, self.chat_key)
        self.attachments = Attachments(folder)
        self._days: dict[str, _Day | str] = {}  # by date text
        authors = list(scan.authors.values())
        self.people = Participants(
            [author.name for author in authors], [self._ordinals(a.dates) for a in authors]
        )
        self.person_ids = [actor_id(PLATFORM, author.name) for author in authors]
        self.seen_actors = set(self.person_ids)
        self.seen_messages: set[int] = set()
        self.repeats: dict[int, int] = {}
        self.contact_days: set[tuple[int, int]] = set()
        self.media = self.missing = self.omitted = 0
        self._last_stamp: tuple[str, tuple[datetime, str, int]] | None = None

    def records(self) -> Iterator[Record]:
        """All records of the chat: notes, the chat and its participants, then file order."""
        yield from self._notes_first()
        source = Provenance("file name", self.chat.name, self.relative)
        yield Actor(self.chat_id, PLATFORM, "group", source, name=self.chat_name)
        for author, identifier in zip(self.scan.authors.values(), self.person_ids, strict=True):
            where = Provenance(f"line {author.line}", author.raw, self.relative)
            yield Actor(identifier, PLATFORM, "account", where, name=author.name)
        message: _Message | None = None
        preamble = _Message(1, None)
        number, complete = 0, True
        with open_text(self.chat) as decoded:
            for number, read in enumerate(bounded_lines(decoded.stream, LINE_LIMIT), 1):
                complete = read.ended
                match = HEADER.match(read.text)
                if match is None:
                    (preamble if message is None else message).add(number, read)
                    continue
                if message is not None:
                    yield from self._message(message)
                elif preamble.chars:
                    yield from self._preamble_reject(preamble)
                message = _Message(number, match)
                message.add(number, read)
        # A file cut short mid-header ends in an unterminated "30/01/19, 20:" line: quarantine
        # it rather than glue it to the message before.
        cut = None
        if (
            not complete
            and message is not None
            and len(message.lines) > 1
            and CUT_HEADER.match(message.lines[-1])
        ):
            cut = message.lines.pop()
        if message is not None:
            yield from self._message(message)
        elif preamble.chars:
            yield from self._preamble_reject(preamble)
        if cut is not None:
            reason = (
                f"whatsapp: {self.label} line {number}: the file ends inside a message header "
                "(cut short?); the partial line is quarantined"
            )
            yield Reject(f"line {number}", reason, cut, self.relative)
        yield from self._notes_last()

    def _message(self, message: _Message) -> Iterator[Record]:
        number, match = message.number, message.match
        assert match is not None  # a message starts at its header
        if message.over:
            yield self._overlong(message, "message")
            return
        line, rest = message.lines[0], message.lines[1:]
        raw = "\n".join(message.lines)
        where = Provenance(f"line {number}", raw, self.relative)
        when = self._when(match)
        if isinstance(when, str):
            reason = f"whatsapp: {self.label} line {number}: {when}; message quarantined"
            yield Reject(where.locator, reason, raw, self.relative)
            return
        at, stamp, day = when
        first = line[match.end() :]
        body = parse_body(first, rest)
        if body.kind == "service" and (length := long_name(first)) is not None:
            reason = (
                f"whatsapp: {self.label} line {number}: the name before ':' is {length:,} "
                f"characters long, over the {MAX_NAME_CHARS} a name can have; message quarantined"
            )
            yield Reject(where.locator, reason, raw, self.relative)
            return
        author = body.author
        person = None if author is None or body.kind != "message" else self.people.index(author)
        author_id = None
        if person is not None:
            author_id = self.person_ids[person]
        elif author is not None:
            author_id = actor_id(PLATFORM, author)
            if author_id not in self.seen_actors:
                self.seen_actors.add(author_id)
                yield Actor(author_id, PLATFORM, "account", where, name=author)
        # An attachment line reads "image omitted" in a text-only export and "<attached: ...>"
        # in the zip of the same chat: key it by the attachment, not the marker, so the two
        # exports of one chat give the same posts.
        has_media = body.attachment is not None or body.omitted
        key_text = _ATTACHMENT_KEY if has_media else body.text
        identifier = self._post_id(stamp, "" if author is None else author.casefold(), key_text)
        yield Post(
            identifier,
            PLATFORM,
            "message" if body.kind == "message" else "service",
            where,
            body.text,
            author_id=author_id,
            chat_id=self.chat_id,
            posted_at=at,
            extra=body.extra,
        )
        if body.attachment is not None or body.omitted:
            yield self._media(identifier, body.attachment, where)
        if person is None or author_id is None:
            return
        if "@" in body.text:
            for target in self.people.mentioned(body.text):
                if target != person:
                    target_id = self.person_ids[target]
                    yield interaction(
                        "mention", author_id, target_id, identifier, PLATFORM, where, at
                    )
        if (person, day) not in self.contact_days:
            self.contact_days.add((person, day))
            for target in self.people.contacts(person, day):
                target_id = self.person_ids[target]
                yield interaction("contact", author_id, target_id, identifier, PLATFORM, where, at)

    def _post_id(self, stamp: str, author: str, text: str) -> str:
        """The post id; n counts identical earlier messages, remembered by 64-bit ints."""
        first = post_id(PLATFORM, self.chat_key, stamp, author, text, 0)
        seen = int(first[:16], 16)
        if seen not in self.seen_messages:
            self.seen_messages.add(seen)
            return first
        repeat = self.repeats.get(seen, 1)
        self.repeats[seen] = repeat + 1
        return post_id(PLATFORM, self.chat_key, stamp, author, text, repeat)

    def _media(self, post: str, attachment: str | None, where: Provenance) -> Media:
        self.media += 1
        if attachment is None:
            self.omitted += 1
            return Media(record_id("media", post, OMITTED), post, OMITTED, where)
        found = self.attachments.path(attachment)
        if found is None:
            self.missing += 1
        mime = self.attachments.mime(attachment)
        return Media(record_id("media", post, attachment), post, attachment, where, found, mime)

    def _notes_first(self) -> Iterator[Note]:
        scan, label = self.scan, self.label
        if not scan.dates.values:
            yield Note(f"whatsapp: {label}: header dates are year-first (Y/M/D), never ambiguous")
        else:
            yield Note(
                f"whatsapp: {label}: {self.date_note} "
                "(a run of messages on one date counts as one value)"
            )
        if self.buddhist:
            yield Note(
                f"whatsapp: {label}: header years are Buddhist-era (Thai calendar, 2565 = 2022): "
                f"read as Gregorian by subtracting {BUDDHIST_OFFSET}"
            )
        if scan.encoding not in ("utf-8", "utf-8-sig"):
            yield Note(f"whatsapp: {label}: text decoded as {scan.encoding}")
        if scan.replaced:
            yield Note(
                f"whatsapp: {label}: {scan.replaced:,} bytes did not decode as "
                f"{scan.encoding} and were replaced by U+FFFD"
            )
        yield Note(
            f"whatsapp: {label}: chat named {self.chat_name!r} after its file; "
            f"{len(self.people):,} participants; times without offset read in zone {self.zone}"
        )

    def _notes_last(self) -> Iterator[Note]:
        if self.media:
            yield Note(
                f"whatsapp: {self.label}: {self.media:,} attachments: {self.omitted:,} left out "
                f"of the export, {self.missing:,} named but not found beside the chat"
            )
        for text in self.attachments.notes():
            yield Note(f"whatsapp: {self.label}: {text}")

    def _preamble_reject(self, preamble: _Message) -> Iterator[Reject]:
        if preamble.over:
            yield self._overlong(preamble, "text before the first message header")
            return
        if not any(text.strip() for text in preamble.lines):
            return
        where = "line 1" if preamble.last == 1 else f"lines 1-{preamble.last}"
        yield Reject(
            where,
            f"whatsapp: {self.label} {where}: text before the first message header; "
            "not part of any message, kept here unread",
            "\n".join(preamble.lines),
            self.relative,
        )

    def _overlong(self, message: _Message, what: str) -> Reject:
        first, last = message.number, message.last
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        reason = (
            f"whatsapp: {self.label} {where}: {what} of {message.chars:,} characters, over the "
            f"{MAX_MESSAGE_CHARS:,} a message can have; quarantined with its first "
            f"{RAW_KEPT_CHARS:,} characters"
        )
        return Reject(where, reason, message.kept, self.relative)

    def _ordinals(self, dates: set[str]) -> list[int]:
        return [day.ordinal for day in map(self._day, dates) if not isinstance(day, str)]

    def _day(self, date_text: str) -> _Day | str:
        """A header date read in the file's order, or why it is impossible; cached."""
        known = self._days.get(date_text)
        if known is None:
            year, month, day = date_parts(date_text, self.day_first)
            if self.buddhist:
                year = from_buddhist(year)
            try:
                known = _Day(year, month, day, self.zone)
            except ValueError:
                order = "day-first" if self.day_first else "month-first"
                known = f"impossible date {date_text!r} when read {order}"
            except OverflowError:  # year 1 east of Greenwich, year 9999 west of it
                known = f"date {date_text!r} out of range in zone {self.zone}"
            self._days[date_text] = known
        return known

    def _when(self, match: re.Match[str]) -> tuple[datetime, str, int] | str:
        """UTC time, local ISO timestamp and date ordinal of a header, or why it is unreadable."""
        stamp = match[0]
        last = self._last_stamp
        if last is not None and last[0] == stamp:
            return last[1]
        day = self._day(header_date(match))
        if isinstance(day, str):
            return day
        hour, minute, second = time_parts(match)
        if hour > 23 or minute > 59 or second > 59:
            return f"impossible time in {stamp.strip()!r}"
        try:
            at = day.at(hour, minute, second)
        except OverflowError:  # the first or last hours of years 1 and 9999
            return f"time out of range in {stamp.strip()!r}"
        when = at, f"{day.iso}T{hour:02}:{minute:02}:{second:02}", day.ordinal
        self._last_stamp = (stamp, when)
        return when


class _Message:
    """The lines of one message (or of the text before the first header) as they are read.

    Past MAX_MESSAGE_CHARS characters the lines are dropped and only their count and the first
    RAW_KEPT_CHARS characters are kept: the message is quarantined whole.
    """

    __slots__ = ("chars", "kept", "last", "lines", "match", "number", "over")

    def __init__(self, number: int, match: re.Match[str] | None) -> None:
        self.number = self.last = number
        self.match = match
        self.lines: list[str] = []
        self.chars = 0  # characters of its lines, line breaks between them included
        self.over = False
        self.kept = ""

    def add(self, number: int, read: Line) -> None:
        """Append the line numbered ``number``."""
        self.last = number
        self.chars += read.length + (1 if self.chars or self.lines else 0)
        if self.over:
            return
        self.lines.append(read.text)
        if read.cut or self.chars > MAX_MESSAGE_CHARS:
            self.over = True
            self.kept = "\n".join(self.lines)[:RAW_KEPT_CHARS]
            self.lines = []


class _Day:
    """One local date of the chat, with its UTC offset when that is the same all day."""

    __slots__ = ("date", "iso", "offset", "ordinal", "zone")

    def __init__(self, year: int, month: int, day: int, zone: tzinfo) -> None:
        self.date = date(year, month, day)  # raises ValueError for 31/02
        self.ordinal = self.date.toordinal()
        self.iso = self.date.isoformat()
        self.zone = zone
        midnight = datetime(year, month, day)
        evening = midnight.replace(hour=23, minute=59)
        first = midnight - to_utc(midnight, zone)[0].replace(tzinfo=None)
        last = evening - to_utc(evening, zone)[0].replace(tzinfo=None)
        # Converting through the zone costs microseconds per message; a day without a clock
        # change has one offset, and days with one (DST) go through to_utc message by message.
        self.offset = first if first == last else None

    def at(self, hour: int, minute: int, second: int) -> datetime:
        """The UTC moment of this local date at ``hour:minute:second``."""
        date_ = self.date
        if self.offset is not None:
            local = datetime(date_.year, date_.month, date_.day, hour, minute, second, tzinfo=UTC)
            return local - self.offset
        local = datetime(date_.year, date_.month, date_.day, hour, minute, second)
        return to_utc(local, self.zone)[0]

"""The first pass over a WhatsApp chat: its header dates, and who posts on which dates.

Internal helper of ``veille.ingest.whatsapp.reader``: not a stable API.

Every header date is observed, so day-first or month-first is decided once for the whole file
(``decide_order``, with ``header_dates``), and the participants are learnt with the dates each
posted on, so the reader's second pass can emit every edge right after the post that shows it.
Lines are read at most ``line_limit`` characters at a time, the reader's bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from veille.errors import InputError
from veille.ingest.common.bounded_lines import bounded_lines
from veille.ingest.common.dates import DateColumn, DateParser
from veille.ingest.common.textfile import open_text
from veille.ingest.whatsapp.header_dates import OrderEvidence, chronology_tie
from veille.ingest.whatsapp.lines import HEADER, header_date, message_author

__all__ = ["ChatScan", "decide_order", "scan_chat"]

_AMBIGUOUS_SAMPLE = 20_000  # distinct ambiguous dates kept for the chronology check


@dataclass
class _Author:
    """A participant as the first pass met them."""

    name: str
    line: int  # where the name first appears, for the Actor's provenance
    raw: str
    dates: set[str] = field(default_factory=set)


@dataclass
class ChatScan:
    """What the first pass learnt."""

    dates: DateColumn = field(default_factory=lambda: DateColumn("message headers"))
    authors: dict[str, _Author] = field(default_factory=dict)  # by case-folded name
    headers: int = 0
    encoding: str = "utf-8"
    replaced: int = 0
    years: set[str] = field(default_factory=set)  # as written, to decide the era
    ambiguous: list[tuple[int, int, int]] = field(default_factory=list)  # first, second, year


def scan_chat(chat: Path, line_limit: int) -> ChatScan:
    """First pass: observe every header date and note who posts on which dates."""
    scan = ChatScan()
    try:
        if chat.stat().st_size == 0:
            raise InputError(f"whatsapp: {chat.name}: the file is empty")
        with open_text(chat) as decoded:
            scan.encoding = decoded.encoding
            previous = ""
            for number, read in enumerate(bounded_lines(decoded.stream, line_limit), 1):
                line = read.text
                match = HEADER.match(line)
                if match is None:
                    continue
                scan.headers += 1
                date_text = header_date(match)
                # One observation per run of messages on the same date: a busy day is one
                # value, and observing stays cheap on million-message chats.
                if date_text != previous:
                    _observe(scan, match, date_text)
                previous = date_text
                name = message_author(line[match.end() :])
                if name is not None and not read.cut:
                    key = name.casefold()
                    author = scan.authors.get(key)
                    if author is None:
                        author = scan.authors[key] = _Author(name, number, line)
                    author.dates.add(date_text)
            scan.replaced = decoded.replaced_bytes
    except (OSError, UnicodeError, LookupError) as error:
        raise InputError(f"whatsapp: {chat.name}: cannot be read ({error})") from None
    if scan.headers == 0:
        raise InputError(
            f"whatsapp: {chat.name}: no line starts like a WhatsApp message "
            "('30/01/19, 20:49 - Name: text' or '[8/15/23, 9:12:33 AM] Name: text')"
        )
    return scan


def _observe(scan: ChatScan, match: re.Match[str], date_text: str) -> None:
    """Count one header date for the order and era decisions."""
    if match["first"] is None:  # Y/M/D is never ambiguous
        scan.years.add(match["ylead"])
        return
    first, second, year = date_text.split(match["sep"])
    scan.years.add(year)
    scan.dates.observe(date_text)
    first_number, second_number = int(first), int(second)
    if first_number <= 12 and second_number <= 12 and len(scan.ambiguous) < _AMBIGUOUS_SAMPLE:
        scan.ambiguous.append((first_number, second_number, int(year)))


def decide_order(chat: Path, scan: ChatScan, forced: str | None, line_limit: int) -> DateParser:
    """Day- or month-first for the whole chat, and why (see ``header_dates``)."""
    dates = scan.dates
    parser = dates.decide(forced)
    if (
        forced is not None
        or not dates.numeric
        or dates.proves_day_first
        or dates.proves_month_first
        or not chronology_tie(scan.ambiguous)
    ):
        return parser
    try:
        found = _evidence(chat, line_limit).decide()
    except (OSError, UnicodeError, LookupError) as error:
        raise InputError(f"whatsapp: {chat.name}: cannot be read ({error})") from None
    if found is None:
        return parser
    day_first, why = found
    order = "day-first (D/M/Y)" if day_first else "month-first (M/D/Y)"
    other = "month" if day_first else "day"
    return DateParser(
        "numeric",
        day_first,
        f"{dates.subject}: {order}, every value fits both orders; {why} "
        f"(override with --date-order {other})",
    )


def _evidence(chat: Path, line_limit: int) -> OrderEvidence:
    """Read an all-ambiguous chat once more for what its text says about the date order."""
    evidence = OrderEvidence()
    date_text: str | None = None
    with open_text(chat) as decoded:
        for read in bounded_lines(decoded.stream, line_limit):
            match = HEADER.match(read.text)
            if match is None:
                evidence.text(date_text, read.text)
                continue
            date_text = header_date(match)
            body = read.text[match.end() :]
            evidence.header(date_text, body)
            evidence.text(date_text, body)
    return evidence

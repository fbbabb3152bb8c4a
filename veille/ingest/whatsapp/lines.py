"""The line grammar of WhatsApp ``.txt`` chat exports: message headers and message bodies.

Internal helper of ``veille.ingest.whatsapp.reader``: not a stable API.

A message starts with a header line, Android ``30/01/19, 20:49 - Name: text`` or iOS
``[8/15/23, 9:12:33 AM] Name: text``; the lines that follow without a header continue it. The
header's date is numeric in the exporting phone's locale: day-first or month-first (decided per
file by the reader), or year-first (``[2023/5/4, 16:13:23]``, never ambiguous); ``/``, ``.`` or
``-`` separated; 2- or 4-digit year (Buddhist-era on Thai phones, see ``header_dates``); in
any script's digits, with direction marks anywhere inside (Arabic, Persian, Hebrew phones) and
the Arabic comma; 12 h (``PM``, ``p. m.``, ``م``, with an ASCII space, U+00A0 or U+202F before
it) or 24 h clock; seconds optional.

After the header comes ``Name: text`` for a message, or a system line with no name
(``+12 345 578 created group "Groupname"``, ``You were added``). iOS writes system lines AS IF
authored by the chat and marks their body with U+200E; those are recognised by their (English)
wording, and the end-to-end encryption notice in a few languages. Attachment placeholders,
deletion and edit markers are recognised in English and a few other languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = [
    "CUT_HEADER",
    "HEADER",
    "MAX_NAME_CHARS",
    "Body",
    "clean_name",
    "date_parts",
    "header_date",
    "long_name",
    "message_author",
    "parse_body",
    "time_parts",
]

_SPACE = "[ \u00a0\u202f]"
_SPACES = (" ", "\u00a0", "\u202f")
_DATE_SEPARATOR = re.compile("[./-]")
# Direction marks and the BOM, which right-to-left locales (ar, fa, he) scatter inside the date
# and time ("١٢\u200f/٣\u200f/٢٠٢٢، ١٠:٣٠ م"), and iOS sometimes writes right after "[".
_MARK = "[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]*"
# A header: the iOS "[" or not; the date D/M/Y or M/D/Y (first, separator, second, year) or
# Y/M/D (ylead, ysep, ymonth, yday); "," or the Arabic comma, or "à" (French Android) or "klo"
# (Finnish) before the time; a 12 h marker (Latin AM/PM in any spacing, Arabic ص/م); then "] "
# after an iOS bracket, " - " on Android. ``\d`` takes any script's digits (Arabic-Indic,
# Thai...), which ``int`` reads.
HEADER = re.compile(
    rf"{_MARK}(?P<open>\[)?{_MARK}"
    rf"(?P<date>(?P<first>\d{{1,2}}){_MARK}(?P<sep>[./-]){_MARK}(?P<second>\d{{1,2}}){_MARK}"
    rf"(?P=sep){_MARK}(?P<year>\d{{4}}|\d{{2}})"
    rf"|(?P<ylead>\d{{4}}){_MARK}(?P<ysep>[./-]){_MARK}(?P<ymonth>\d{{1,2}}){_MARK}"
    rf"(?P=ysep){_MARK}(?P<yday>\d{{1,2}}))"
    rf"{_MARK}[,\u060c]?{_MARK}{_SPACE}(?:(?:à|klo){_SPACE})?{_MARK}"
    rf"(?P<hour>\d{{1,2}}){_MARK}[:.]{_MARK}(?P<minute>\d{{2}})"
    rf"(?:{_MARK}[:.]{_MARK}(?P<sec>\d{{2}}))?"
    rf"(?:{_MARK}{_SPACE}?{_MARK}(?P<meridiem>[aApP]\.?{_SPACE}?[mM]\.?|[\u0635\u0645]))?{_MARK}"
    rf"(?(open)\]{_SPACE}?|{_SPACE}{_MARK}[-–]{_MARK}{_SPACE})"
)
_PM = frozenset("pP\u0645")  # "م" (masāʾan) is the Arabic PM, "ص" (ṣabāḥan) AM

# The start of a header and nothing else: what a file cut short in a header ends with.
CUT_HEADER = re.compile(
    rf"{_MARK}\[?{_MARK}\d{{1,4}}[./-][\d./\-:,\u060c\[\] aApPmM\u00a0\u202f"
    "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u0635\u0645]*$"
)

# Formatting marks WhatsApp puts around names (LRM, bidi embeddings and isolates, BOM).
_MARKS = str.maketrans(
    "", "", "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
# The longest author name read as one. WhatsApp caps profile names at 25 characters; saved
# contact names are longer but not by much. Text before a colon beyond this is not a name: a
# header line whose "name" is longer is quarantined (``long_name``), a system line's subject is
# dropped, so a hostile file cannot make actors of 100,000-character names.
MAX_NAME_CHARS = 100

_ENCRYPTION_NOTICES = (
    "messages and calls are end-to-end encrypted",
    "messages to this group are now secured with end-to-end encryption",
    "messages to this chat and calls are now secured with end-to-end encryption",
    "los mensajes y las llamadas están cifrados de extremo a extremo",
    "les messages et les appels sont chiffrés de bout en bout",
    "nachrichten und anrufe sind ende-zu-ende-verschlüsselt",
    "as mensagens e as chamadas são protegidas com a criptografia de ponta a ponta",
)
_NOTICE_INITIALS = frozenset(
    initial for notice in _ENCRYPTION_NOTICES for initial in (notice[0], notice[0].upper())
)
# English system lines: who did it, then what. Other locales' system lines without a name are
# still service posts, just without an author.
_SYSTEM_SUBJECT = re.compile(
    r"(.+?) (?:created group|created this group|added|removed|left|joined using|"
    r"changed the subject|changed the group|changed this group|changed their phone number|"
    r"changed to|deleted this group|turned (?:on|off)|pinned a message|reset this group|"
    r"was added|were added|was removed|were removed)\b"
)
_YOU = frozenset({"you", "tú", "usted", "vous", "du", "você"})
_DELETED = frozenset(
    {
        "this message was deleted",
        "you deleted this message",
        "se eliminó este mensaje",
        "eliminaste este mensaje",
        "ce message a été supprimé",
        "vous avez supprimé ce message",
        "diese nachricht wurde gelöscht",
        "du hast diese nachricht gelöscht",
        "essa mensagem foi apagada",
        "você apagou esta mensagem",
    }
)
_EDITED = "<This message was edited>"
_MEDIA_OMITTED = frozenset(
    {
        "<media omitted>",
        "<multimedia omitido>",
        "<médias omis>",
        "<medien ausgeschlossen>",
        "<mídia oculta>",
        "<media weggelaten>",
    }
)
_TYPED_OMITTED = re.compile(
    r"(?:^|.*[\s\u200e])(image|video|audio|sticker|gif|document|contact card) omitted$"
)
_ATTACHED_IOS = re.compile(r"<attached: ([^>\n]+)>")
_ATTACHED_ANDROID = re.compile(
    r"(.+?) \((?:file attached|archivo adjunto|fichier joint|Datei angehängt|arquivo anexado|"
    r"file allegato)\)"
)


@dataclass(slots=True)
class Body:
    """What follows a header: who wrote it, the text, and what the text says about itself."""

    kind: str  # "message" or "service"
    author: str | None  # cleaned name or phone number; None when no one is named
    text: str
    attachment: str | None = None  # file name the export refers to
    omitted: bool = False  # an attachment was there but the export left it out
    extra: dict[str, Any] = field(default_factory=dict)


def clean_name(raw: str) -> str:
    """A name as written, without bidi marks and the ``~`` WhatsApp puts before unsaved contacts."""
    name = raw.translate(_MARKS).strip()
    if name.startswith("~"):
        name = name[1:].strip()
    return name


@lru_cache(maxsize=8192)
def _author_name(raw: str) -> str | None:
    """The cleaned name before a header's colon, None when that text cannot be a name."""
    # Quotes only occur in system lines naming a group ("changed the subject to "a: b"").
    if '"' in raw or "“" in raw or "«" in raw:
        return None
    return clean_name(raw) or None


def header_date(match: re.Match[str]) -> str:
    """A header's date as ``first/second/year`` (or ``year/month/day``) in ASCII digits.

    Direction marks are left out and other scripts' digits made ASCII, so one date is one key
    however the phone wrote it; the separator is kept, it is evidence of the locale.
    """
    if match["first"] is not None:
        text = f"{match['first']}{match['sep']}{match['second']}{match['sep']}{match['year']}"
    else:
        text = f"{match['ylead']}{match['ysep']}{match['ymonth']}{match['ysep']}{match['yday']}"
    return text if text.isascii() else _ASCII_DIGIT.sub(_ascii_digit, text)


_ASCII_DIGIT = re.compile(r"[^\x00-\x7f]")


def _ascii_digit(match: re.Match[str]) -> str:
    return str(int(match[0]))


def date_parts(date_text: str, day_first: bool) -> tuple[int, int, int]:
    """Year (as written), month and day of a ``header_date``, read in the file's order."""
    first, second, third = _DATE_SEPARATOR.split(date_text)
    if len(first) == 4:
        return int(first), int(second), int(third)
    year = int(third)
    if len(third) == 2:
        year += 2000 if year < 70 else 1900
    day, month = (int(first), int(second)) if day_first else (int(second), int(first))
    return year, month, day


def time_parts(match: re.Match[str]) -> tuple[int, int, int]:
    """Hour (24 h), minute and second of a header match."""
    hour = int(match["hour"])
    meridiem = match["meridiem"]
    if meridiem:
        # 12 AM is midnight and 12 PM noon; "00:08 a. m." occurs in real exports too.
        hour = hour % 12 + (12 if meridiem[0] in _PM else 0)
    return hour, int(match["minute"]), int(match["sec"] or 0)


def long_name(body: str) -> int | None:
    """The length of the name before a header's ``: `` when it is over MAX_NAME_CHARS, else None.

    Only a colon followed by a space or the end counts, in a first line without quotes (system
    lines quote group names, which may hold colons).
    """
    colon = body.find(": ", MAX_NAME_CHARS)
    if colon < 0:
        colon = len(body) - 1 if body.endswith(":") else -1
    if colon <= MAX_NAME_CHARS or body.find(":", 0, MAX_NAME_CHARS + 1) >= 0:
        return None
    name = body[:colon]
    if '"' in name or "“" in name or "«" in name:
        return None
    return len(clean_name(name))


def _split_author(body: str) -> tuple[str | None, str]:
    """``("Name", "text")`` when the body starts with a name and a colon, else ``(None, body)``."""
    colon = body.find(":")
    if colon <= 0 or colon > MAX_NAME_CHARS:
        return None, body
    after = body[colon + 1 : colon + 2]
    # A colon glued to a word or "//" is a time or a URL inside a system line.
    if after and (after.isalnum() or after == "/"):
        return None, body
    name = _author_name(body[:colon])
    if name is None:
        return None, body
    return name, body[colon + 2 :] if after in _SPACES else body[colon + 1 :]


def _is_notice(text: str) -> bool:
    return text[:1] in _NOTICE_INITIALS and text[:80].casefold().startswith(_ENCRYPTION_NOTICES)


def _system_subject(text: str) -> str | None:
    match = _SYSTEM_SUBJECT.match(text)
    if match is None:
        return None
    who = clean_name(match[1])
    if not who or len(who) > MAX_NAME_CHARS or who.casefold() in _YOU:
        return None
    return who


def _head(body: str) -> tuple[str | None, str, bool]:
    """(author or None for a system line, first-line text, whether iOS marked it)."""
    author, text = _split_author(body)
    marked = text.startswith("\u200e")  # iOS marks generated text: system lines, placeholders
    if marked:
        text = text.lstrip("\u200e")
    if author is not None and (_is_notice(text) or (marked and _SYSTEM_SUBJECT.match(text))):
        author = None
    return author, text, marked


def message_author(body: str) -> str | None:
    """The author of a header line's message, None for a system line."""
    return _head(body)[0]


def parse_body(body: str, rest: list[str] | None = None) -> Body:
    """Read the part of a message after its header; ``rest`` are its continuation lines."""
    author, first, _ = _head(body)
    text = "\n".join([first, *rest]) if rest else first
    if author is None:
        who = None if _is_notice(first) else _system_subject(first)
        return Body("service", who, text)
    parsed = Body("message", author, text)
    if len(first) < 60 and first.rstrip(".").casefold() in _DELETED:
        parsed.extra["deleted"] = True
        return parsed
    if text.endswith(_EDITED):
        parsed.text = text[: -len(_EDITED)].rstrip(" \u200e")
        parsed.extra["edited"] = True
    _read_attachment(first.rstrip(), parsed)
    return parsed


def _read_attachment(first: str, parsed: Body) -> None:
    """Fill in the attachment a message's first line refers to, if any."""
    if "omitted" in first or "omitido" in first or "<" in first:
        lowered = first.casefold()
        if lowered in _MEDIA_OMITTED:
            parsed.omitted = True
            parsed.extra["media_omitted"] = True
            return
        typed = _TYPED_OMITTED.match(lowered)
        if typed:
            parsed.omitted = True
            parsed.extra["media_omitted"] = True
            parsed.extra["media_type"] = typed[1]
            return
        attached = _ATTACHED_IOS.search(first)
        if attached:
            parsed.attachment = attached[1].strip()
            return
    if first.endswith(")"):
        android = _ATTACHED_ANDROID.match(first)
        if android:
            parsed.attachment = clean_name(android[1])

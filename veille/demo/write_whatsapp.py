"""The two WhatsApp group chats as the phones export them.

- Android, day-first 24 h (``01/09/2016, 21:07 - Name: text``), exported without media
  (``<Media omitted>``), from a phone set to UTC+03:00.
- iOS, en-US (``[9/1/16, 9:07:31 PM] Name: text``) with the U+200E marks iOS puts around
  attachments and system texts, from a phone in Brussels (CET/CEST); written twice: as a plain
  ``.txt`` exported without media (``image omitted``) and as the ``.zip`` of the export with
  media (``_chat.txt`` with ``<attached: ...>`` lines, plus the photos).

Continuation lines of multi-line messages follow their header line, as in real exports.
"""

from __future__ import annotations

import random
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from veille.demo.activity import Draft
from veille.demo.cast import Account
from veille.demo.clock import utc_offset_min
from veille.demo.jpeg import grey_jpeg
from veille.demo.output import BadRecord, FileReport, MediaRef, write_bytes
from veille.demo.scenario import EXPORT_DATE, PERIOD_START
from veille.demo.textgen import join_plain

__all__ = ["ANDROID_ZONE", "IOS_ZONE", "write_android", "write_ios"]

ANDROID_ZONE = "+3"
IOS_ZONE = "eu1"
LRM = "\u200e"
_ENCRYPTED_ANDROID = (
    "Messages to this group are now secured with end-to-end encryption. Tap for more info."
)
_ENCRYPTED_IOS = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them."
)


def _local(zone: str, moment: datetime) -> datetime:
    return (moment + timedelta(minutes=utc_offset_min(zone, moment))).replace(tzinfo=None)


def _android_stamp(moment: datetime) -> str:
    local = _local(ANDROID_ZONE, moment)
    return local.strftime("%d/%m/%Y, %H:%M")


def _ios_stamp(moment: datetime) -> str:
    local = _local(IOS_ZONE, moment)
    hour = local.hour % 12 or 12
    meridiem = "AM" if local.hour < 12 else "PM"
    return f"{local.month}/{local.day}/{local.year % 100:02d}, {hour}:{local:%M:%S} {meridiem}"


def _opening() -> datetime:
    """When the groups were created: the evening before the period, before any message."""
    return datetime.combine(PERIOD_START - timedelta(days=1), time(19, 2, 17), UTC)


def _members(drafts: list[Draft], owner: Account) -> list[Account]:
    seen: dict[str, Account] = {}
    for draft in drafts:
        seen.setdefault(draft.author.id, draft.author)
    return [account for account in seen.values() if account is not owner]


def write_android(folder: Path, relative: str, drafts: list[Draft], owner: Account) -> FileReport:
    """The Android export of the Raqqa chat, whose phone belongs to ``owner``."""
    report = FileReport(relative, "whatsapp", records=0, zone="Asia/Baghdad")
    lines = ["--- chat history restored from backup ---"]
    report.bad.append(
        BadRecord(relative, "line 1", "text before the first dated line: no date and no author")
    )
    opening = _opening()
    stamp = _android_stamp(opening)
    lines.append(f"{stamp} - {_ENCRYPTED_ANDROID}")
    lines.append(f'{stamp} - You created group "{owner.whatsapp_chat}"')
    for member in _members(drafts, owner):
        lines.append(f"{stamp} - You added {member.whatsapp}")
    report.service = len(lines) - 1
    report.extra["participants"] = [owner.whatsapp, *(m.whatsapp for m in _members(drafts, owner))]
    for draft in drafts:
        text = join_plain(draft.parts)
        if draft.media:
            text = "<Media omitted>"
            report.media.append(MediaRef(relative, "<Media omitted>", "omitted"))
        lines.append(f"{_android_stamp(draft.at)} - {draft.author.whatsapp}: {text}")
        report.records += 1
    write_bytes(folder / relative, ("\n".join(lines) + "\n").encode("utf-8"))
    return report


@dataclass(slots=True)
class _IosChat:
    """The iOS chat rendered twice: without media (.txt) and with media (_chat.txt in a zip)."""

    plain: list[str]
    attached: list[str]
    photos: dict[str, bytes]


def _render_ios(drafts: list[Draft], owner: Account, rng: random.Random) -> _IosChat:
    chat = _IosChat(plain=[], attached=[], photos={})
    group = owner.whatsapp_chat or ""

    def both(line: str) -> None:
        chat.plain.append(line)
        chat.attached.append(line)

    stamp = _ios_stamp(_opening())
    both(f"[{stamp}] {group}: {LRM}{_ENCRYPTED_IOS}")
    both(f"[{stamp}] {group}: {LRM}You created group “{group}”")
    for member in _members(drafts, owner):
        both(f"[{stamp}] {group}: {LRM}You added {member.whatsapp}")
    for draft in drafts:
        head = f"[{_ios_stamp(draft.at)}] {draft.author.whatsapp}:"
        if draft.media:
            local = _local(IOS_ZONE, draft.at)
            name = f"{len(chat.plain):08d}-PHOTO-{local:%Y-%m-%d-%H-%M-%S}.jpg"
            chat.photos[name] = grey_jpeg(1600, 1200, rng.randint(60, 200))
            chat.plain.append(f"{LRM}{head} {LRM}image omitted")
            chat.attached.append(f"{LRM}{head} {LRM}<attached: {name}>")
        else:
            both(f"{head} {join_plain(draft.parts)}")
    return chat


def write_ios(
    folder: Path,
    relative_txt: str,
    relative_zip: str,
    drafts: list[Draft],
    owner: Account,
    rng: random.Random,
) -> tuple[FileReport, FileReport]:
    """The iOS chat of ``owner``'s phone, as a plain export and as a zip with its photos."""
    chat = _render_ios(drafts, owner, rng)
    last = drafts[-1].author.whatsapp if drafts else owner.whatsapp
    bad = f"[2/30/17, 9:15:02 AM] {last}: Dernier message avant la coupure"
    reason = 'impossible date "2/30/17" (30 February, month-first); line quarantined'
    members = _members(drafts, owner)
    service = 2 + len(members)
    reports = []
    for relative, lines in ((relative_txt, chat.plain), (relative_zip, chat.attached)):
        report = FileReport(relative, "whatsapp", records=len(drafts), zone="Europe/Brussels")
        report.service = service
        report.extra["participants"] = [owner.whatsapp, *(m.whatsapp for m in members)]
        line = "\n".join(lines).count("\n") + 2  # messages may span several lines
        report.bad.append(BadRecord(relative, f"line {line}", reason))
        for draft in drafts:
            if draft.media:
                report.media.append(MediaRef(relative, "image omitted", "omitted"))
        reports.append(report)
    plain = "\n".join([*chat.plain, bad]) + "\n"
    write_bytes(folder / relative_txt, plain.encode("utf-8"))
    attached = "\n".join([*chat.attached, bad]) + "\n"
    reports[1].media = [MediaRef(relative_zip, name, "present") for name in chat.photos]
    reports[1].bad[0] = replace(reports[1].bad[0], locator=f"_chat.txt {reports[1].bad[0].locator}")
    reports[1].extra["same_chat_as"] = relative_txt
    reports[1].extra["members"] = ["_chat.txt", *chat.photos]
    moment = (EXPORT_DATE.year, EXPORT_DATE.month, EXPORT_DATE.day, 10, 0, 0)
    (folder / relative_zip).parent.mkdir(parents=True, exist_ok=True)
    # Stored, not deflated: zlib builds differ, and the demo must be byte-identical everywhere.
    with zipfile.ZipFile(folder / relative_zip, "w", zipfile.ZIP_STORED) as archive:
        for name, data in (("_chat.txt", attached.encode("utf-8")), *chat.photos.items()):
            info = zipfile.ZipInfo(name, date_time=moment)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return reports[0], reports[1]

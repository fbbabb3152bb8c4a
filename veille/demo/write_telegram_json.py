"""The owner's Telegram Desktop full-account export: ``result.json`` with ``chats.list``.

Follows tdesktop's JSON writer: one-space indentation, ``date`` in the exporting machine's
local time (here UTC+03:00) next to ``date_unixtime``, ``text`` as a string or as an array
mixing strings and entity objects, ``text_entities`` always an array, media paths relative to
the export folder (``chats/chat_1/photos/photo_1@DD-MM-YYYY_HH-MM-SS.jpg``).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from veille.demo.activity import PERSONAL, Draft, Story, venue_of_channel
from veille.demo.cast import Account
from veille.demo.output import BadRecord, FileReport, MediaRef, write_bytes
from veille.demo.photos import demo_photo
from veille.demo.scenario import BLACKOUT_START, CITIES, EXPORT_OFFSET_MIN, PERIOD_START
from veille.demo.textgen import Part

__all__ = ["json_text", "local_time", "write_telegram_json"]

_ABOUT = (
    "Here is the data you requested. Remember: Telegram is ad free, it doesn't use your data for "
    "ad targeting and doesn't sell it to others. Telegram only keeps the data it needs to "
    "function as a secure and feature-rich cloud service.\n\nCheck out Settings > Privacy & "
    "Security on Telegram's mobile apps for relevant settings."
)
_NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
_ENTITY = {"plain": "plain", "hashtag": "hashtag", "mention": "mention", "link": "link"}
_PHOTO_SIZES = ((1280, 720), (960, 1280), (1280, 853), (800, 800))


def local_time(moment: datetime) -> datetime:
    """The exporting machine's wall-clock time for the UTC ``moment``."""
    return (moment + timedelta(minutes=EXPORT_OFFSET_MIN)).replace(tzinfo=None)


def json_text(parts: list[Part]) -> tuple[str | list[Any], list[dict[str, str]]]:
    """``text`` and ``text_entities`` as tdesktop writes them."""
    entities = [{"type": _ENTITY[kind], "text": text} for kind, text in parts]
    if not parts:
        return "", []
    if len(parts) == 1 and parts[0][0] == "plain":
        return parts[0][1], entities
    mixed: list[Any] = [
        text if kind == "plain" else {"type": _ENTITY[kind], "text": text} for kind, text in parts
    ]
    return mixed, entities


def _dates(moment: datetime) -> dict[str, str]:
    return {
        "date": local_time(moment).isoformat(),
        "date_unixtime": str(int(moment.timestamp())),
    }


@dataclass(slots=True)
class _Chat:
    """One chat being written: its messages and media so far."""

    index: int
    messages: list[dict[str, Any]]
    photos: int = 0


class _Writer:
    def __init__(self, folder: Path, relative: str, story: Story, rng: random.Random) -> None:
        self.folder = folder
        self.relative = relative
        self.root = relative.rsplit("/", 1)[0]
        self.story = story
        self.rng = rng
        self.report = FileReport(relative, "telegram-json", records=0, zone=None, ingest=self.root)
        self.media_seen = 0

    def message(self, chat: _Chat, draft: Draft, ids: list[int], next_id: int) -> dict[str, Any]:
        author = draft.author
        if draft.service:
            return {
                "id": next_id,
                "type": "service",
                **_dates(draft.at),
                "actor": author.name,
                "actor_id": author.telegram_from_id,
                "action": draft.service,
                "inviter": self.story.cast.owner.name,
                "text": "",
                "text_entities": [],
            }
        message: dict[str, Any] = {"id": next_id, "type": "message", **_dates(draft.at)}
        if draft.edited_at:
            message["edited"] = local_time(draft.edited_at).isoformat()
            message["edited_unixtime"] = str(int(draft.edited_at.timestamp()))
        message["from"] = author.name
        message["from_id"] = author.telegram_from_id
        if draft.forwarded_from:
            message["forwarded_from"] = draft.forwarded_from.name
        if draft.reply_to is not None:
            message["reply_to_message_id"] = ids[draft.reply_to]
        if draft.media:
            message.update(self.photo(chat, draft))
        text, entities = json_text(draft.parts)
        message["text"] = text
        message["text_entities"] = entities
        self.report.records += 1
        self.report.interactions += len(draft.interactions)
        return message

    def photo(self, chat: _Chat, draft: Draft) -> dict[str, Any]:
        chat.photos += 1
        self.media_seen += 1
        width, height = self.rng.choice(_PHOTO_SIZES)
        stamp = local_time(draft.at).strftime("%d-%m-%Y_%H-%M-%S")
        name = f"chats/chat_{chat.index}/photos/photo_{chat.photos}@{stamp}.jpg"
        # A generator of its own, so drawing photos does not shift the rest of the scenario.
        rng = random.Random(name)
        city = CITIES.get(draft.place) if draft.place else None
        where = (city.latitude, city.longitude) if city and rng.random() < 0.6 else None
        taken = local_time(draft.at).strftime("%Y:%m:%d %H:%M:%S")
        data = demo_photo(rng, chat.photos, width, height, where, taken)
        if self.media_seen == 2:
            # tdesktop writes this placeholder when a file was skipped by the export settings.
            self.report.media.append(MediaRef(self.relative, _NOT_INCLUDED, "not_included"))
            name = _NOT_INCLUDED
        elif self.media_seen % 2 == 0:
            self.report.media.append(MediaRef(self.relative, name, "missing"))
        else:
            write_bytes(self.folder / self.root / name, data)
            self.report.media.append(MediaRef(self.relative, name, "present"))
        return {"photo": name, "photo_file_size": len(data), "width": width, "height": height}

    def chat(self, index: int, account: Account, drafts: list[Draft]) -> dict[str, Any]:
        chat = _Chat(index=index, messages=[])
        next_id = 1
        kind = {"channel": "public_channel", "group": "public_supergroup"}[account.kind]
        creator = account if account.kind == "channel" else self.story.cast.owner
        created = datetime.combine(PERIOD_START, time(6, 0), UTC)
        chat.messages.append(
            {
                "id": next_id,
                "type": "service",
                **_dates(created),
                "actor": creator.name,
                "actor_id": creator.telegram_from_id,
                "action": "create_channel",
                "title": account.name,
                "text": "",
                "text_entities": [],
            }
        )
        self.report.service += 1
        ids: list[int] = []
        bad_at = self._bad_position(account, drafts)
        for position, draft in enumerate(drafts):
            next_id += 1 + (1 if self.rng.random() < 0.02 else 0)  # deleted messages leave gaps
            ids.append(next_id)
            chat.messages.append(self.message(chat, draft, ids, next_id))
            if draft.service:
                self.report.service += 1
            if position == bad_at:
                next_id += 1
                chat.messages.append(self._bad_message(account, next_id))
                self.report.bad.append(
                    BadRecord(
                        self.relative,
                        f"chats.list[{index - 1}].messages[{len(chat.messages) - 1}]",
                        'message with a broken date: "date" is 31 November, "date_unixtime" is '
                        "empty; message quarantined",
                    )
                )
        return {
            "name": account.name,
            "type": kind,
            "id": account.telegram_id,
            "messages": chat.messages,
        }

    def _bad_position(self, account: Account, drafts: list[Draft]) -> int | None:
        if account.community != "mosul_cell" or not drafts:
            return None
        after = [i for i, d in enumerate(drafts) if d.at.date() >= BLACKOUT_START]
        return (after[0] if after else len(drafts)) - 1

    def _bad_message(self, account: Account, message_id: int) -> dict[str, Any]:
        return {
            "id": message_id,
            "type": "message",
            "date": "2016-11-31T08:15:00",
            "date_unixtime": "",
            "from": account.name,
            "from_id": account.telegram_from_id,
            "text": "تحديث",
            "text_entities": [{"type": "plain", "text": "تحديث"}],
        }

    def personal(self, index: int, drafts: list[Draft]) -> dict[str, Any]:
        contact = self.story.cast.contact
        messages: list[dict[str, Any]] = []
        chat = _Chat(index=index, messages=messages)
        for number, draft in enumerate(drafts, start=1):
            messages.append(self.message(chat, draft, [], number))
        return {
            "name": contact.name,
            "type": "personal_chat",
            "id": contact.telegram_id,
            "messages": messages,
        }


def _personal_information(owner: Account) -> dict[str, Any]:
    first, _, last = owner.name.partition(" ")
    return {
        "user_id": owner.telegram_id,
        "first_name": first,
        "last_name": last,
        "phone_number": "+44 7700 900789",
        "username": f"@{owner.telegram_username}",
        "bio": "Bruxelles",
    }


def write_telegram_json(
    folder: Path, relative: str, story: Story, rng: random.Random
) -> FileReport:
    """Write the full-account export to ``folder/relative`` (``.../result.json``)."""
    writer = _Writer(folder, relative, story, rng)
    cast = story.cast
    chats_in = [
        account
        for account in cast.accounts
        if (account.kind == "channel" and account.telegram_export == "json")
        or account is cast.group
    ]
    venues = [(venue_of_channel(a), a) for a in chats_in] + [(PERSONAL, cast.contact)]

    def last_at(item: tuple[str, Account]) -> datetime:
        drafts = story.venues.get(item[0], [])
        return drafts[-1].at if drafts else datetime.min.replace(tzinfo=UTC)

    # The export lists chats as the app does: most recent activity first.
    venues.sort(key=lambda item: (-last_at(item).timestamp(), item[0]))
    chats = []
    for index, (venue, account) in enumerate(venues, start=1):
        drafts = story.venues.get(venue, [])
        if venue == PERSONAL:
            chats.append(writer.personal(index, drafts))
        else:
            chats.append(writer.chat(index, account, drafts))
    contact = cast.contact
    first, _, last = contact.name.partition(" ")
    added = datetime(2016, 8, 20, 17, 4, 11, tzinfo=UTC)
    export = {
        "about": _ABOUT,
        "personal_information": _personal_information(cast.owner),
        "contacts": {
            "about": "If you allow access, Telegram continuously synchronizes your contacts to be "
            "able to notify you when someone you know joins the app and route your messages "
            "to the right people.",
            "list": [
                {
                    "user_id": contact.telegram_id,
                    "first_name": first,
                    "last_name": last,
                    "phone_number": "+44 7700 900321",
                    **_dates(added),
                }
            ],
        },
        "frequent_contacts": {
            "about": "This is a list of people and chats you communicate with most frequently.",
            "list": [
                {
                    "id": contact.telegram_id,
                    "category": "people",
                    "type": "user",
                    "name": contact.name,
                    "rating": 0.83,
                }
            ],
        },
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
    }
    text = json.dumps(export, ensure_ascii=False, indent=1)
    write_bytes(folder / relative, text.encode("utf-8"))
    writer.report.extra["chats"] = [
        {
            "index": i,
            "name": c["name"],
            "type": c["type"],
            "id": c["id"],
            "messages": len(c["messages"]),
        }
        for i, c in enumerate(chats)
    ]
    return writer.report

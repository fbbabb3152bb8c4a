"""One channel as a Telegram Desktop HTML export: ``messages.html``, ``messages2.html``, ...

Mirrors tdesktop's HTML writer: block tags on their own lines indented by nesting depth,
attributes in alphabetical order, date separators as ``message service`` blocks with negative
ids, consecutive posts of the same sender within 15 minutes ``joined`` (no userpic, no name),
``title="DD.MM.YYYY HH:MM:SS UTC+03:00"`` dates, forwarded posts in a ``forwarded body``,
photos as ``photo_wrap`` links with a ``_thumb`` image, and pagination links between pages.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

from veille.demo.activity import Draft
from veille.demo.cast import Account
from veille.demo.clock import offset_label
from veille.demo.jpeg import grey_jpeg
from veille.demo.output import BadRecord, FileReport, MediaRef, write_bytes
from veille.demo.scenario import EXPORT_OFFSET_MIN, PERIOD_START
from veille.demo.textgen import Part
from veille.demo.write_telegram_json import local_time

__all__ = ["MESSAGES_PER_PAGE", "write_telegram_html"]

MESSAGES_PER_PAGE = 1000  # tdesktop's kMessagesInFile
_JOIN_WITHIN = 900  # seconds: tdesktop's kJoinWithinSeconds
_COLOR_MAP = (0, 7, 4, 1, 6, 3, 5)  # tdesktop's PeerColorIndex
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_START = (
    '<!DOCTYPE html>\n<html>\n\n <head>\n\n  <meta charset="utf-8"/>\n<title>Exported Data</title>'
    '\n  <meta content="width=device-width, initial-scale=1.0" name="viewport"/>\n'
    '\n  <link href="css/style.css" rel="stylesheet"/>\n'
    '\n  <script src="js/script.js" type="text/javascript">\n\n  </script>\n\n </head>\n'
    '\n <body onload="CheckLocation();">\n\n  <div class="page_wrap">\n'
)
_CLOSE = "\n    </div>\n\n   </div>\n\n  </div>\n\n </body>\n\n</html>\n"
_BAD_TITLE = "31.11.2016 10:12:40"
_CREATED = datetime.combine(PERIOD_START, time(6, 0), UTC)


def escape(text: str) -> str:
    """tdesktop's SerializeString: HTML escapes, and new lines as ``<br>``."""
    return (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br>")
    )


class _Tags:
    """tdesktop's HtmlContext: every block tag on its own line, indented by depth."""

    def __init__(self, depth: int) -> None:
        self.depth = depth

    def push(self, tag: str, attributes: dict[str, str], empty: bool = False) -> str:
        inner = "".join(f' {name}="{escape(value)}"' for name, value in sorted(attributes.items()))
        text = f"\n{' ' * self.depth}<{tag}{inner}{'/' if empty else ''}>\n"
        if not empty:
            self.depth += 1
        return text

    def pop(self, tag: str = "div") -> str:
        self.depth -= 1
        return f"\n{' ' * self.depth}</{tag}>\n"


def _format_text(parts: list[Part]) -> str:
    out = []
    for kind, text in parts:
        safe = escape(text)
        if kind == "hashtag":
            quoted = escape('"' + safe[1:] + '"')
            out.append(f'<a href="" onclick="return ShowHashtag({quoted})">{safe}</a>')
        elif kind == "mention":
            out.append(f'<a href="https://t.me/{safe[1:]}">{safe}</a>')
        elif kind == "link":
            out.append(f'<a href="{safe}">{safe}</a>')
        else:
            out.append(safe)
    return "".join(out)


def _userpic(tags: _Tags, account: Account, name: str) -> str:
    color = _COLOR_MAP[(account.telegram_id or 0) % 7] + 1
    words = name.split()
    initials = words[0][:1] if account.kind != "account" else "".join(w[:1] for w in words[:2])
    return (
        tags.push("div", {"class": f"userpic userpic{color}", "style": "width: 42px; height: 42px"})
        + tags.push("div", {"class": "initials", "style": "line-height: 42px"})
        + escape(initials)
        + tags.pop()
        + tags.pop()
    )


def _title(moment: datetime) -> str:
    return (
        local_time(moment).strftime("%d.%m.%Y %H:%M:%S") + " UTC" + offset_label(EXPORT_OFFSET_MIN)
    )


class _Page:
    """Writes one channel's drafts into pages of ``per_page`` messages."""

    def __init__(
        self, folder: Path, root: str, channel: Account, rng: random.Random, per_page: int
    ) -> None:
        self.folder = folder
        self.root = root
        self.channel = channel
        self.rng = rng
        self.per_page = per_page
        self.report = FileReport(
            f"{root}/messages.html", "telegram-html", records=0, zone=None, ingest=root
        )
        self.service_id = 0
        self.photos = 0

    def date_line(self, tags: _Tags, moment: datetime) -> str:
        self.service_id -= 1
        local = local_time(moment)
        label = f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
        return (
            tags.push("div", {"class": "message service", "id": f"message{self.service_id}"})
            + tags.push("div", {"class": "body details"})
            + label
            + tags.pop()
            + tags.pop()
        )

    def photo(self, tags: _Tags, draft: Draft) -> str:
        self.photos += 1
        width, height = self.rng.choice(((1280, 720), (1280, 960), (720, 1280)))
        stamp = local_time(draft.at).strftime("%d-%m-%Y_%H-%M-%S")
        name = f"photos/photo_{self.photos}@{stamp}.jpg"
        scale = min(1.0, 520 / width, 520 / height)
        thumb_w, thumb_h = int(width * scale) & ~1, int(height * scale) & ~1
        level = self.rng.randint(130, 220)
        present = self.photos % 2 == 1
        if present:
            write_bytes(self.folder / self.root / name, grey_jpeg(width, height, level))
            thumb = name.replace(".jpg", "_thumb.jpg")
            write_bytes(self.folder / self.root / thumb, grey_jpeg(thumb_w, thumb_h, level))
        self.report.media.append(
            MediaRef(self.report.path, name, "present" if present else "missing")
        )
        return (
            tags.push("div", {"class": "media_wrap clearfix"})
            + tags.push("a", {"class": "photo_wrap clearfix pull_left", "href": name})
            + tags.push(
                "img",
                {
                    "class": "photo",
                    "src": name.replace(".jpg", "_thumb.jpg"),
                    "style": f"width: {thumb_w // 2}px; height: {thumb_h // 2}px",
                },
                empty=True,
            )
            + tags.pop("a")
            + tags.pop()
        )

    def message(
        self,
        tags: _Tags,
        draft: Draft,
        message_id: int,
        previous: Draft | None,
        reply_link: str | None,
        title: str,
    ) -> str:
        wrap = _needs_wrap(draft, previous)
        classes = "message default clearfix" + ("" if wrap else " joined")
        out = tags.push("div", {"class": classes, "id": f"message{message_id}"})
        if wrap:
            out += tags.push("div", {"class": "pull_left userpic_wrap"})
            out += _userpic(tags, self.channel, self.channel.name) + tags.pop()
        out += tags.push("div", {"class": "body"})
        out += tags.push("div", {"class": "pull_right date details", "title": title})
        out += local_time(draft.at).strftime("%H:%M") + tags.pop()
        if wrap:
            out += tags.push("div", {"class": "from_name"}) + escape(self.channel.name) + tags.pop()
        source = draft.forwarded_from
        if source is not None and draft.forwarded_at is not None:
            if _forward_needs_wrap(draft, previous):
                out += tags.push("div", {"class": "pull_left forwarded userpic_wrap"})
                out += _userpic(tags, source, source.name) + tags.pop()
                out += tags.push("div", {"class": "forwarded body"})
                out += tags.push("div", {"class": "from_name"}) + escape(source.name)
                out += f'<span class="details"> {_title(draft.forwarded_at)}</span>' + tags.pop()
            else:
                out += tags.push("div", {"class": "forwarded body"})
        if reply_link:
            out += tags.push("div", {"class": "reply_to details"})
            out += f"In reply to {reply_link}" + tags.pop()
        if draft.media:
            out += self.photo(tags, draft)
        if draft.parts:
            out += tags.push("div", {"class": "text"}) + _format_text(draft.parts) + tags.pop()
        if source is not None:
            out += tags.pop()
        return out + tags.pop() + tags.pop()

    def numbered(self, drafts: list[Draft]) -> list[tuple[int, Draft, bool]]:
        """Message ids for the drafts (with gaps), and the planted bad message (flag True)."""
        bad_at = len(drafts) // 2
        items: list[tuple[int, Draft, bool]] = []
        message_id = 1  # 1 is the channel's creation, written as a service message
        for position, draft in enumerate(drafts):
            message_id += 1 + (1 if self.rng.random() < 0.02 else 0)  # deleted messages
            items.append((message_id, draft, False))
            if position == bad_at:
                # A copy of the post before, its date mangled: the planted bad record.
                message_id += 1
                copy = replace(draft, media=False, reply_to=None, interactions=[])
                items.append((message_id, replace(copy, forwarded_from=None), True))
        return items

    def head(self, tags: _Tags, number: int, names: list[str]) -> str:
        """Page start, channel name header, and the link back to the previous page."""
        out = _START + tags.push("div", {"class": "page_header"})
        out += tags.push("div", {"class": "content"})
        out += tags.push("div", {"class": "text bold"}) + escape(self.channel.name)
        out += tags.pop() + tags.pop() + tags.pop()
        out += tags.push("div", {"class": "page_body chat_page"})
        out += tags.push("div", {"class": "history"})
        if number > 0:
            link = {"class": "pagination block_link", "href": names[number - 1]}
            out += tags.push("a", link) + "Previous messages" + tags.pop("a")
        else:
            out += self.date_line(tags, _CREATED)
            out += tags.push("div", {"class": "message service", "id": "message1"})
            out += tags.push("div", {"class": "body details"})
            out += f"Channel &laquo;{escape(self.channel.name)}&raquo; created"
            out += tags.pop() + tags.pop()
            self.report.service += 1
        return out

    def bad_title(self, page: str, message_id: int) -> str:
        """The mangled date of the planted bad message, recorded as such."""
        title = f"{_BAD_TITLE} UTC{offset_label(EXPORT_OFFSET_MIN)}"
        reason = f'impossible date title="{title}" (31 November); message quarantined'
        self.report.bad.append(BadRecord(f"{self.root}/{page}", f"message{message_id}", reason))
        return title

    def write(self, drafts: list[Draft]) -> None:
        """Write every page."""
        items = self.numbered(drafts)
        size = self.per_page
        pages = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
        page_of = {mid: n for n, page in enumerate(pages) for mid, _, _ in page}
        names = ["messages.html"] + [f"messages{n + 1}.html" for n in range(1, len(pages))]
        id_of = {id(d): mid for mid, d, bad in items if not bad}
        for number, page in enumerate(pages):
            tags = _Tags(3)
            out = self.head(tags, number, names)
            previous: Draft | None = None
            last_day = local_time(_CREATED).date() if number == 0 else None
            for mid, draft, bad in page:
                day = local_time(draft.at).date()
                if day != last_day:
                    out += self.date_line(tags, draft.at)
                    previous, last_day = None, day
                reply_link = None
                if draft.reply_to is not None:
                    target = id_of.get(id(drafts[draft.reply_to]))
                    if target is not None:
                        reply_link = _reply_link(target, page_of[target], number, names)
                if bad:
                    title = self.bad_title(names[number], mid)
                else:
                    title = _title(draft.at)
                    self.report.records += 1
                    self.report.interactions += len(draft.interactions)
                out += self.message(tags, draft, mid, previous, reply_link, title)
                previous = draft
            if number + 1 < len(pages):
                link = {"class": "pagination block_link", "href": names[number + 1]}
                out += tags.push("a", link) + "Next messages" + tags.pop("a")
            write_bytes(self.folder / self.root / names[number], (out + _CLOSE).encode("utf-8"))
        self.report.extra["pages"] = names


def _reply_link(target: int, target_page: int, page: int, names: list[str]) -> str:
    if target_page == page:
        return (
            f'<a href="#go_to_message{target}" onclick="return GoToMessage({target})">'
            "this message</a>"
        )
    return f'<a href="{names[target_page]}#go_to_message{target}">this message</a>'


def _needs_wrap(draft: Draft, previous: Draft | None) -> bool:
    if previous is None:
        return True
    if local_time(draft.at).date() != local_time(previous.at).date():
        return True
    if (draft.forwarded_from is None) != (previous.forwarded_from is None):
        return True
    if draft.forwarded_from is not previous.forwarded_from:
        return True
    limit = 1 if draft.forwarded_from else _JOIN_WITHIN
    return abs((draft.at - previous.at).total_seconds()) > limit


def _forward_needs_wrap(draft: Draft, previous: Draft | None) -> bool:
    if _needs_wrap(draft, previous) or previous is None:
        return True
    if previous.forwarded_at is None or draft.forwarded_at is None:
        return True
    return abs((draft.forwarded_at - previous.forwarded_at).total_seconds()) > _JOIN_WITHIN


def write_telegram_html(
    folder: Path,
    root: str,
    channel: Account,
    drafts: list[Draft],
    rng: random.Random,
    per_page: int,
) -> FileReport:
    """Write ``channel``'s export into ``folder/root`` and report on it."""
    page = _Page(folder, root, channel, rng, per_page)
    page.write(drafts)
    return page.report

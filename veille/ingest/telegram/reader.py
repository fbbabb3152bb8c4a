"""Telegram Desktop exports: the reader, which picks the JSON or the HTML half.

Telegram Desktop writes a chat either as one ``result.json`` or as ``messages.html``,
``messages2.html``, ... pages; a full-account export holds many chats (``chats.list`` in JSON,
``chats/chat_001/`` folders in HTML). ``TelegramReader`` picks the format and hands over to
``json_export`` or ``html_export``; what both share (actor keys, see ``chats``) is in
``chats``, ``media_files`` and ``raw_json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.telegram.chats import CHAT_TYPES
from veille.model import Note, Record

__all__ = ["TelegramReader"]

_PAGE_NAME = re.compile(r"messages(\d*)\.html?", re.IGNORECASE)
_JSON_HINTS = (
    re.compile(r'"(?:messages|chats)"\s*:'),
    re.compile(r'"type"\s*:\s*"(?:' + "|".join(sorted(CHAT_TYPES)) + r')"'),
)
_ACCOUNT_HINT = re.compile(r'"(?:about|personal_information)"\s*:')
_SNIFF_BYTES = 4096


def page_number(path: Path) -> int:
    """1 for ``messages.html``, N for ``messagesN.html``: pages sort by number, not by name."""
    match = _PAGE_NAME.fullmatch(path.name)
    if match is None or not match.group(1):
        return 1
    return int(match.group(1))


def chat_pages(folder: Path) -> list[Path]:
    """The ``messages*.html`` pages of one chat folder, in page order."""
    pages = [p for p in folder.iterdir() if _PAGE_NAME.fullmatch(p.name) and p.is_file()]
    return sorted(pages, key=lambda p: (page_number(p), p.name))


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")


def _looks_like_json_export(head: str) -> bool:
    if all(hint.search(head) for hint in _JSON_HINTS):
        return True
    return bool(_ACCOUNT_HINT.search(head)) and '"personal_information"' in head


def _looks_like_html_export(head: str) -> bool:
    return "page_wrap" in head and ("history" in head or "page_header" in head)


class TelegramReader:
    """Telegram Desktop chat exports, JSON (``result.json``) or HTML (``messages*.html``)."""

    name: ClassVar[str] = "telegram"
    version: ClassVar[int] = 1

    def sniff(self, path: Path) -> int:
        """90 for an export folder, a Telegram ``result.json`` or a Telegram Desktop HTML page."""
        try:
            if path.is_dir():
                markers = ("result.json", "messages.html", "export_results.html")
                return 90 if any((path / marker).is_file() for marker in markers) else 0
            suffix = path.suffix.lower()
            if suffix == ".json":
                return 90 if _looks_like_json_export(_head(path)) else 0
            if suffix in (".html", ".htm") and _looks_like_html_export(_head(path)):
                return 90
        except OSError:
            return 0
        return 0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the actors, posts, interactions, media and notes of the export at ``path``."""
        # Imported here: the HTML half needs lxml, which a JSON-only run should not load.
        from veille.ingest.telegram.html_export import read_html
        from veille.ingest.telegram.json_export import read_json

        if path.is_dir():
            result = path / "result.json"
            pages = chat_pages(path) if (path / "messages.html").is_file() else []
            if result.is_file():
                yield from read_json(result, path, "result.json", options)
                if pages:
                    yield Note(
                        f"telegram: {path.name}: has both result.json and HTML pages; "
                        "read result.json (it holds more), the HTML pages were not read"
                    )
                return
            chats = self._html_chats(path)
            if not chats:
                raise InputError(
                    f"telegram: {path}: no result.json, messages.html or chats/*/messages.html"
                )
            yield from read_html(chats, path, True, options)
            return
        try:
            head = _head(path)
        except OSError as error:
            raise InputError(f"telegram: {path}: cannot be opened ({error.strerror})") from None
        suffix = path.suffix.lower()
        if suffix == ".json" or (suffix not in (".html", ".htm") and head.lstrip()[:1] == "{"):
            yield from read_json(path, path.parent, None, options)
        else:
            yield from read_html([[path]], path.parent, False, options)

    @staticmethod
    def _html_chats(folder: Path) -> list[list[Path]]:
        """Pages per chat: the folder itself, or a full export's ``chats/chat_NNN`` folders."""
        if (folder / "messages.html").is_file():
            return [chat_pages(folder)]
        chats_folder = folder / "chats"
        if not chats_folder.is_dir():
            return []
        chats = [sub for sub in chats_folder.iterdir() if (sub / "messages.html").is_file()]
        chats.sort(key=lambda sub: (len(sub.name), sub.name))  # chat_1000 after chat_999
        return [chat_pages(sub) for sub in chats]

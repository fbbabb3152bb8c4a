"""Telegram Desktop's HTML markup: where messages and the page header are, and reading them.

Internal helper of ``veille.ingest.telegram.html_export``, which describes the markup: not a
stable API.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

__all__ = [
    "MESSAGES",
    "PAGE_HEADER",
    "child_with",
    "classes_of",
    "inner_body",
    "name_of",
    "poll_text",
    "text_of",
]

MESSAGES = etree.XPath("//div[contains(concat(' ', normalize-space(@class), ' '), ' message ')]")
PAGE_HEADER = etree.XPath(
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' page_header ')]"
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' text ')]"
)
_VIA = " via @"


def classes_of(element: Any) -> list[str]:
    """The class tokens of ``element``."""
    value = element.get("class")
    return value.split() if value else []


def child_with(element: Any, token: str, also: str | None = None) -> Any:
    """The first child element of ``element`` with the class ``token`` (and ``also``), or None."""
    for child in element:
        if isinstance(child.tag, str):
            classes = classes_of(child)
            if token in classes and (also is None or also in classes):
                return child
    return None


def name_of(element: Any) -> tuple[str, str | None]:
    """Display name of a ``from_name`` div and the bot it was sent via, if any."""
    text = " ".join((element.text or "").split())
    if _VIA in text:
        name, bot = text.rsplit(_VIA, 1)
        return name.strip(), bot.strip()
    return text, None


def inner_body(element: Any) -> Any:
    """The ``div.body`` of a media block, or the block itself."""
    body = child_with(element, "body")
    return element if body is None else body


def text_of(element: Any) -> str:
    """Text of a ``div.text``: ``<br>`` is a line break, the exporter's indentation goes."""
    for line_break in element.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    return str(element.text_content()).strip()


def poll_text(container: Any) -> str:
    """A poll's question and its answers, one a line, or "" when the message holds no poll."""
    for element in container.iter("div"):
        if "media_poll" in classes_of(element):
            lines = []
            for part in element.iter("div"):
                tokens = classes_of(part)
                if "question" in tokens or "answer" in tokens:
                    lines.append(" ".join(part.text_content().split()))
            return "\n".join(line for line in lines if line)
    return ""

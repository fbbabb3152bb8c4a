"""What ``stream_json`` yields and raises: its events, their paths, ``TooLong``, the error.

Internal helper of ``json_stream`` and its readers: not a stable API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "TOO_LONG_HEAD",
    "Enter",
    "ErrorKind",
    "Event",
    "Item",
    "JsonPath",
    "JsonStreamError",
    "Scalar",
    "TooLong",
    "format_path",
]

JsonPath = tuple[str | int, ...]
ErrorKind = Literal["truncated", "malformed", "trailing"]
TOO_LONG_HEAD = 4096  # characters of a value too long to hold that its TooLong keeps


@dataclass(slots=True)  # events are not frozen: a frozen dataclass costs twice as much to build
class Enter:
    """A container on the way to a requested path opens; the root's path is ``()``."""

    path: JsonPath


@dataclass(slots=True)
class Scalar:
    """A scalar member of an object on the way to a requested path."""

    path: JsonPath
    value: str | int | float | bool | None


@dataclass(slots=True)
class Item:
    """Element ``index`` of the requested array at ``path``; or (``index`` None) its whole value.

    The items of one array share one ``path`` tuple, the one its ``Enter`` event carried.
    """

    path: JsonPath
    index: int | None
    value: Any


@dataclass(frozen=True, slots=True)
class TooLong:
    """In place of a value longer than ``limit`` characters, walked past without being held."""

    length: int  # characters, the whole value
    limit: int
    head: str  # its first TOO_LONG_HEAD characters

    def __str__(self) -> str:
        return f"value is {self.length:,} characters long, over the limit of {self.limit:,}"


Event = Enter | Scalar | Item


class JsonStreamError(ValueError):
    """The document broke off (``truncated``), broke the syntax (``malformed``) or went on after
    its end (``trailing``), at character ``offset`` of the text, at or inside ``path``.

    For a broken item, ``path`` ends with its index: the items before it were yielded.
    """

    def __init__(
        self,
        kind: ErrorKind,
        reason: str,
        offset: int,
        path: JsonPath,
    ) -> None:
        where = f", at {format_path(path)}" if path else ""
        super().__init__(f"{reason} (character {offset:,}{where})")
        self.kind = kind
        self.reason = reason
        self.offset = offset
        self.path = path


def format_path(path: JsonPath) -> str:
    """``("chats", "list", 3, "messages", 7)`` as ``chats.list[3].messages[7]``."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(f".{step}" if parts else step)
    return "".join(parts)

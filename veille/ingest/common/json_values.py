"""Values of parsed JSON taken as the type a reader expects, or as absent when they are not.

Exports and API payloads are hostile: a field documented as an object may be a string, an id
may be a number or a string. A reader asks for the type it needs and gets an empty value
instead of a TypeError (see docs/readers.md, "a field of the wrong type counts as absent").
"""

from __future__ import annotations

from typing import Any

__all__ = ["as_dict", "as_list", "as_text"]


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def as_text(value: object) -> str | None:
    """A non-empty string, or an integer as a string (APIs write ids and counts both ways)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None

"""Who takes part in a WhatsApp chat: contact targets by day, and @mentions resolved to them.

Internal helper of ``veille.ingest.whatsapp.reader``: not a stable API.

Participants are the authors of at least one message, numbered in order of first appearance.
The reader learns them, with the days each was active, in a first pass over the file, so the
second pass can emit every edge right after the post that shows it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["CONTACT_WINDOW_DAYS", "Participants"]

CONTACT_WINDOW_DAYS = 30
_NOT_DIGITS = re.compile(r"\D")
_PHONE = re.compile(r"\+?[\d\s\-()\u00a0\u202f]{5,30}")
# After "@": a name wrapped in isolates (newer exports), or a phone number, or a plain name.
_AT = re.compile(r"(?<![\w@])@(?:\u2068([^\u2069\n]{1,100})\u2069|(\+?\d[\d \-()\u00a0]{3,24}\d))?")


def _digits(text: str) -> str:
    return _NOT_DIGITS.sub("", text)


class Participants:
    """The participants of one chat and the days each posted on (date ordinals)."""

    def __init__(self, names: list[str], days: list[Iterable[int]]) -> None:
        self.names = names
        self._by_key = {name.casefold(): index for index, name in enumerate(names)}
        self._by_digits = {
            _digits(name): index
            for index, name in enumerate(names)
            if _PHONE.fullmatch(name) and len(_digits(name)) >= 5
        }
        # Names by first letter, longest first, so "@John Doe" prefers "John Doe" over "John".
        self._by_initial: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for key, index in sorted(self._by_key.items(), key=lambda item: -len(item[0])):
            self._by_initial[key[0]].append((key, index))
        self._active = _active_by_day([set(active) for active in days])

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int | None:
        """The number of the participant called ``name`` (any case), None if not one."""
        return self._by_key.get(name.casefold())

    def contacts(self, author: int, day: int) -> tuple[int, ...]:
        """The participants a message by ``author`` on ``day`` reaches, in participant order.

        With two participants, the other one; with more, those who posted within
        CONTACT_WINDOW_DAYS days before or after ``day``.
        """
        if len(self.names) == 2:
            return (1 - author,) if author in (0, 1) else ()
        return tuple(index for index in self._active.get(day, ()) if index != author)

    def mentioned(self, text: str) -> list[int]:
        """The participants ``@``-mentioned in ``text``, in order, each once."""
        found: list[int] = []
        for match in _AT.finditer(text):
            index = self._resolve(match, text)
            if index is not None and index not in found:
                found.append(index)
        return found

    def _resolve(self, match: re.Match[str], text: str) -> int | None:
        isolated, phone = match[1], match[2]
        if isolated is not None:
            name = isolated.strip()
            return self._by_key.get(name.casefold(), self._by_digits.get(_digits(name)))
        if phone is not None:
            by_phone = self._by_digits.get(_digits(phone))
            if by_phone is not None:
                return by_phone
        tail = text[match.end() : match.end() + 101].casefold()
        for key, index in self._by_initial.get(tail[:1], ()):
            if tail.startswith(key):
                following = tail[len(key) : len(key) + 1]
                if not following or not (following.isalnum() or following == "_"):
                    return index
        return None


def _active_by_day(days: list[set[int]]) -> dict[int, tuple[int, ...]]:
    """For each day someone posted on, who posted within the window around it."""
    posters: dict[int, list[int]] = defaultdict(list)
    for index, active in enumerate(days):
        for day in active:
            posters[day].append(index)
    ordered = sorted(posters)
    counts: dict[int, int] = defaultdict(int)
    result: dict[int, tuple[int, ...]] = {}
    enter = leave = 0  # window over ordered[leave:enter]
    for day in ordered:
        while enter < len(ordered) and ordered[enter] <= day + CONTACT_WINDOW_DAYS:
            for index in posters[ordered[enter]]:
                counts[index] += 1
            enter += 1
        while ordered[leave] < day - CONTACT_WINDOW_DAYS:
            for index in posters[ordered[leave]]:
                counts[index] -= 1
                if counts[index] == 0:
                    del counts[index]
            leave += 1
        result[day] = tuple(sorted(counts))
    return result

"""Find many names in text at once: Aho-Corasick over folded text, on word boundaries.

Names and texts are folded the same way (``veille.enrich.folding``); a match counts only when it
starts and ends on a word boundary, so "EI" is found in "l'EI" but not in "EIffel". Arabic
writes the conjunctions and prepositions و ف ب ل ك joined to the next word ("والعراق" is "and
Iraq"), so a match may also start right after one such letter that itself starts a word.
Overlapping matches are resolved leftmost-longest: "Islamic State of Iraq" beats "Islamic State".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

__all__ = ["Match", "PhraseMatcher", "is_word_char"]

V = TypeVar("V")

ARABIC_PROCLITICS = frozenset("وفبلك")


def is_word_char(char: str) -> bool:
    """Letters, digits, ``_`` and combining marks continue a word; anything else ends it."""
    return char.isalnum() or char == "_" or (char >= "\u0300" and char <= "\u036f")


@dataclass(frozen=True, slots=True)
class Match(Generic[V]):
    """A name found at folded offsets ``[start, end)``; ``values`` are what the name stands for."""

    start: int
    end: int
    key: str
    values: tuple[V, ...]
    proclitic: bool  # the match follows an Arabic proclitic (و ف ب ل ك) inside the same word


class PhraseMatcher(Generic[V]):
    """Names (already folded) -> values; build once, then ``find`` in folded texts."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._values: dict[str, list[V]] = {}
        self._built = False

    def add(self, key: str, value: V) -> None:
        """Let ``key`` stand for ``value`` too (a key may stand for several values)."""
        if not key.strip():
            return
        self._values.setdefault(key, []).append(value)
        self._built = False

    def remove(self, key: str) -> None:
        """Forget ``key`` (a name that turned out to be a common word)."""
        if self._values.pop(key, None) is not None:
            self._built = False

    def add_all(self, pairs: Iterable[tuple[str, V]]) -> None:
        for key, value in pairs:
            self.add(key, value)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def values(self, key: str) -> tuple[V, ...]:
        return tuple(self._values.get(key, ()))

    def build(self) -> None:
        self._automaton = ahocorasick.Automaton()
        for key, values in self._values.items():
            self._automaton.add_word(key, (key, tuple(values)))
        if self._values:
            self._automaton.make_automaton()
        self._built = True

    def find(self, text: str, longest_first: bool = False) -> list[Match[V]]:
        """Matches on word boundaries, in order, without overlaps: leftmost-longest, or the
        longest first when ``longest_first`` ("تنظيم الدولة الإسلامية": the group's name is the
        longer "الدولة الإسلامية", not "تنظيم الدولة" that starts earlier)."""
        if not self._built:
            self.build()
        if not self._values:
            return []
        candidates: list[Match[V]] = []
        for last, (key, values) in self._automaton.iter(text):
            end = last + 1
            start = end - len(key)
            if end < len(text) and is_word_char(text[end]) and is_word_char(key[-1]):
                continue
            proclitic = False
            if start > 0 and is_word_char(text[start - 1]) and is_word_char(key[0]):
                if not _after_proclitic(text, start):
                    continue
                proclitic = True
            candidates.append(Match(start, end, key, values, proclitic))
        return _longest_first(candidates) if longest_first else _leftmost_longest(candidates)

    def iter_find(self, texts: Iterable[str]) -> Iterator[list[Match[V]]]:
        for text in texts:
            yield self.find(text)


def _after_proclitic(text: str, start: int) -> bool:
    """``text[start - 1]`` is an Arabic proclitic that itself begins a word."""
    if text[start - 1] not in ARABIC_PROCLITICS:
        return False
    return start == 1 or not is_word_char(text[start - 2])


def _leftmost_longest(candidates: list[Match[V]]) -> list[Match[V]]:
    candidates.sort(key=lambda match: (match.start, -match.end))
    chosen: list[Match[V]] = []
    reach = 0
    for match in candidates:
        if match.start >= reach:
            chosen.append(match)
            reach = match.end
    return chosen


def _longest_first(candidates: list[Match[V]]) -> list[Match[V]]:
    candidates.sort(key=lambda match: (match.start - match.end, match.start))
    chosen: list[Match[V]] = []
    for match in candidates:
        if all(match.end <= other.start or other.end <= match.start for other in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda match: match.start)

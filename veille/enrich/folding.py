"""Fold text for matching names while keeping offsets into the original.

"Kobané" must match the gazetteer's "Kobane", "l’EI" must match "l'EI", and "الْمَوْصِل" must match
"الموصل", yet the fact stored is an offset into the text as written, so the evidence can be
highlighted. Folding therefore maps each character to at most one character: accents and
typographic variants are replaced one for one (offsets unchanged), and only Arabic diacritics,
tatweel and zero-width characters are deleted, with a table from folded back to original offsets
built only for the texts that contain them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

__all__ = ["Folded", "fold", "fold_key"]

# Arabic letter variants written interchangeably: alef with hamza or madda, teh marbuta,
# alef maqsura, hamza on waw/yeh.
_ARABIC_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
}  # fmt: skip
_TYPOGRAPHIC = {
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "‒": "-",
    "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
}  # fmt: skip
# Deleted: tatweel, harakat and Quranic marks, superscript alef, zero-width (non-)joiners and
# direction marks, word joiner, byte-order mark.
_DELETED_RANGES = ((0x0640, 0x0640), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED),
                   (0x200B, 0x200F), (0x2060, 0x2060), (0xFEFF, 0xFEFF))  # fmt: skip
_DELETED = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _DELETED_RANGES) + "]")


@cache
def _table(lower: bool) -> dict[int, str | None]:
    """One translation per code point in the scripts that matter here (Latin, Greek,
    Cyrillic, Arabic): its base letter without accents, lower-cased if asked."""
    table: dict[int, str | None] = {}
    for code in range(0x00C0, 0x2000):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if lower:
            base = base.lower()
        if len(base) == 1 and base != char:
            table[code] = base
    if lower:
        for code in range(0x41, 0x5B):
            table[code] = chr(code + 32)
    for source, target in (_ARABIC_LETTERS | _TYPOGRAPHIC).items():
        table[ord(source)] = target
    for first, last in _DELETED_RANGES:
        for code in range(first, last + 1):
            table[code] = None
    return table


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and the way back to the original's offsets."""

    text: str
    origin: tuple[int, ...] | None  # origin[i]: original index of folded char i; None: identity
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of folded ``[start, end)``."""
        if self.origin is None:
            return start, end
        original_end = self.origin[end - 1] + 1 if end > start else self.origin[start]
        return self.origin[start], original_end


def fold(text: str, lower: bool = False) -> Folded:
    """``text`` without accents, Arabic variants or diacritics; lower-cased if ``lower``."""
    folded = text.translate(_table(lower))
    if len(folded) == len(text):
        return Folded(folded, None, len(text))
    origin = tuple(i for i, char in enumerate(text) if not _DELETED.match(char))
    return Folded(folded, origin, len(text))


def fold_key(name: str) -> str:
    """The case-insensitive key two spellings of one name share ("Daïch" and "daich")."""
    return " ".join(fold(name, lower=True).text.split())

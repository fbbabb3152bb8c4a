"""Which legacy code page a text file is in, judged by the words it makes, not by byte statistics.

A file that is not UTF-8 is usually in a Windows code page: cp1252 for Western Europe, cp1256
for Arabic, cp1251 for Cyrillic... charset-normalizer guesses from byte statistics and, on a
mostly-ASCII French table, may answer Korean (johab) or Big5; it cannot tell Turkish cp1254
from cp1252 either. Here each code page decodes the sample, and the one whose words with
non-ASCII letters are most often real words of its languages wins (``wordfreq``'s offline
lists). The share of such words known is how sure the choice is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["CodePageGuess", "guess_code_page"]

# Each code page and the languages written in it, commonest first.
_LANGUAGES: dict[str, tuple[str, ...]] = {
    "cp1252": ("fr", "es", "de", "pt", "it", "en"),
    "cp1256": ("ar", "fa", "ur"),
    "cp1251": ("ru", "uk", "bg"),
    "cp1250": ("cs", "pl", "hu", "ro", "sk"),
    "cp1254": ("tr",),
    "cp1253": ("el",),
    "cp1255": ("he",),
    "cp1257": ("lt", "lv"),
}
_WORD = re.compile(r"\w+")
_MAX_WORDS = 400  # distinct non-ASCII words judged: enough to tell code pages apart
_KNOWN = 1.0  # zipf frequency from which a word counts as known (about once in 100M words)
_SURE = 0.9  # share of known words that ends the search


@dataclass(frozen=True, slots=True)
class CodePageGuess:
    encoding: str
    known: int  # words with non-ASCII letters that are words of the code page's languages
    judged: int  # words with non-ASCII letters judged

    def describe(self) -> str:
        return (
            f"{self.known:,} of {self.judged:,} words with non-ASCII letters are words of its "
            "languages (wordfreq)"
        )


def _script(char: str) -> str:
    """The script of a letter, by the first word of its Unicode name (LATIN, ARABIC...)."""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]


def _words(text: str) -> list[str]:
    """Distinct words with non-ASCII letters, each in one script (a mixed one is a misreading)."""
    found: dict[str, None] = {}
    for word in _WORD.findall(text):
        if word.isascii() or any(char.isdigit() for char in word):
            continue
        scripts = {_script(char) for char in word if not char.isascii()}
        if len(scripts) == 1 and (scripts <= {"LATIN"} or not any(c.isascii() for c in word)):
            found[word.lower()] = None
        else:
            found.setdefault("\0mixed:" + word, None)
        if len(found) >= _MAX_WORDS:
            break
    return list(found)


def guess_code_page(sample: bytes) -> CodePageGuess | None:
    """The code page whose decoding of ``sample`` makes the most known words; None if no word.

    Decodings that give the same text are judged once (the commonest code page keeps it).
    """
    from wordfreq import zipf_frequency  # loads a list per language: only for legacy files

    judged: dict[str, CodePageGuess] = {}
    seen: dict[str, str] = {}
    for encoding, languages in _LANGUAGES.items():
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        words = _words(text)
        key = "\n".join(words)
        if not words or key in seen:
            continue
        seen[key] = encoding
        plain = [word for word in words if not word.startswith("\0")]
        if len(plain) < len(words) / 2:
            judged[encoding] = CodePageGuess(encoding, 0, len(words))  # mostly mixed scripts
            continue
        known = sum(
            1 for word in plain if any(zipf_frequency(word, lang) >= _KNOWN for lang in languages)
        )
        judged[encoding] = CodePageGuess(encoding, known, len(words))
        if known >= _SURE * len(words):
            break  # each language list takes a second to load: stop at a clear answer
    if not judged:
        return None
    return max(judged.values(), key=lambda guess: guess.known / guess.judged)

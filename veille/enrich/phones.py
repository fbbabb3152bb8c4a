"""Phone numbers in post text, in international form only, with character offsets.

Internal helper of ``veille.enrich.links``: not a stable API.

The region a post was written from is unknown, so a national number ("06 12 34 56 78") cannot
be read safely; only numbers written with ``+`` or the ``00`` international prefix are taken.
libphonenumber reads ``00`` only for a known region, so each ``00`` prefix is replaced by
" +" (same length, offsets unchanged) before matching, and the match is widened back over it.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

__all__ = ["e164_digits", "find_phones", "may_hold_phone"]

# "+" or a word-initial "00" (also in Arabic-Indic and Persian zeros), then a digit: the matcher
# costs ~90 µs a post, so it only runs on texts that could hold an international number.
_HINT = re.compile(r"(?:\+|(?<!\w)[0٠۰]{2})[\s(]*\d")
_IDD = re.compile(r"(?<!\w)[0٠۰]{2}(?=[\s(]*\d)")
_UNKNOWN_REGION = "ZZ"  # parse only numbers that carry their country code
_E164_DIGITS = re.compile(r"[0-9]{7,15}")  # E.164: at most 15 digits; 7 rules out stray ids


def may_hold_phone(text: str) -> bool:
    """Cheap test: could ``text`` hold a number in international form?"""
    return ("+" in text or "00" in text or "٠٠" in text or "۰۰" in text) and bool(
        _HINT.search(text)
    )


def find_phones(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, E.164)`` of each valid international number in ``text``, in order."""
    widened: set[int] = set()  # where a "00" became " +": the match starts one earlier

    def plus(match: re.Match[str]) -> str:
        widened.add(match.start() + 1)
        return " +"

    scanned = _IDD.sub(plus, text)
    found = []
    for match in PhoneNumberMatcher(scanned, _UNKNOWN_REGION, leniency=Leniency.VALID):
        start = match.start - 1 if match.start in widened else match.start
        e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        found.append((start, match.end, e164))
    return found


def e164_digits(digits: str) -> str | None:
    """``+digits`` if ``digits`` may be a country code and number (``wa.me/33612345678``)."""
    digits = digits.removeprefix("+")
    if digits.startswith("00"):  # "wa.me/0033…" is wrong but written; the 00 is the prefix
        digits = digits[2:]
    if not _E164_DIGITS.fullmatch(digits) or digits.startswith("0"):
        return None
    return "+" + digits

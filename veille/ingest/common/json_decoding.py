"""Decode one JSON value at a time with the C scanner, as ``json_stream`` needs it.

Internal helper of ``json_stream`` and its readers: not a stable API.

An integer with more digits than Python converts (4,300) comes back as the string of its
digits; escaped lone surrogates ("\\ud800") become U+FFFD; a number at the end of a buffer may
go on in the next chunk, and a decoder error there may only mean the text was cut short.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["SCAN", "complete", "cut_short", "loads", "repaired", "scan_value"]

_DECODER = json.JSONDecoder()
# The C scanner raw_decode calls: called directly it saves a Python frame per item, and raises
# StopIteration where raw_decode says "Expecting value". (The stubs do not know the attribute.)
SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]


def _int_or_digits(text: str) -> int | str:
    """An integer, or its digits as text past Python's limit on integer strings (4,300)."""
    try:
        return int(text)
    except ValueError:
        return text


# The same scanner, for a value the fast one refused with a plain ValueError: only an integer
# with more digits than Python converts does that. Such an integer comes back as its digits,
# a string, so the value is read (its reader judges it) instead of breaking the document.
_LENIENT = json.JSONDecoder(parse_int=_int_or_digits)
_SCAN_LENIENT: Callable[[str, int], tuple[Any, int]] = _LENIENT.scan_once  # type: ignore[attr-defined]


def scan_value(buf: str, start: int) -> tuple[Any, int]:
    """``SCAN``, falling back to the lenient scanner for integers past the digit limit."""
    try:
        return SCAN(buf, start)
    except json.JSONDecodeError:
        raise
    except ValueError:
        return _SCAN_LENIENT(buf, start)


def loads(text: str) -> Any:
    """``json.loads``, but an integer past Python's digit limit comes back as its digits.

    Escaped lone surrogates become U+FFFD, as in ``stream_json``. Raises
    ``json.JSONDecodeError`` for malformed text and ``RecursionError`` for nesting deeper than
    the decoder follows.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:
        value = _LENIENT.decode(text)
    return repaired(text, 0, len(text), value) if "\\u" in text else value


_NUMBER_TAIL = re.compile(r"[0-9.eE+\-]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# The start of a token, as the decoder leaves it when the text ends inside one: "tru", "-",
# "1." and "1e+" (the decoder reads "1" and stops at the rest).
_PARTIAL_TOKEN = re.compile(
    r"-|\.|[eE][+-]?|t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?|N(?:a)?"
    r"|-?I(?:n(?:f(?:i(?:n(?:i(?:t)?)?)?)?)?)?"
)


def cut_short(message: str, text: str, at: int) -> bool:
    """Whether a decoder error at ``at``, the text having ended, means it was cut off there."""
    rest = text[at:]
    if message.startswith("Invalid \\uXXXX"):  # the decoder points at the "u" of "\u00"
        return len(rest) <= len("uXXXX")
    return (
        message.startswith("Unterminated string")
        or not rest.strip()
        or bool(_PARTIAL_TOKEN.fullmatch(rest))
    )


def complete(buf: str, end: int, value: Any) -> bool:
    """Whether a value decoded up to ``end`` cannot go on in the next chunk.

    Only a number can: "12" may be "123", "2." may be "2.5" once the next chunk is read.
    """
    if type(value) is int or type(value) is float:
        return _NUMBER_TAIL.match(buf, end).end() < len(buf)  # type: ignore[union-attr]
    return True


def repaired(buf: str, start: int, end: int, value: Any) -> Any:
    """``value`` (decoded from ``buf[start:end]``) with escaped lone surrogates made U+FFFD."""
    if _SURROGATE_ESCAPE.search(buf, start, end) is None:
        return value
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError):
        return value  # cannot happen for a value the decoder built; left as it is
    if _SURROGATE.search(text) is None:
        return value  # only escaped pairs, which the decoder joined
    return json.loads(_SURROGATE.sub("\ufffd", text))

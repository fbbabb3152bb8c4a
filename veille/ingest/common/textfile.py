"""Open text files whatever their encoding, without losing track of bytes that do not decode.

Detection order: a byte-order mark; UTF-16 without a mark (NUL bytes on alternate positions);
UTF-8 if the first megabyte decodes; a Windows code page whose decoding makes real words
(``codepage.py``); otherwise charset-normalizer's best guess, cp1252 last.
Bytes that still do not decode are replaced by U+FFFD and counted, so the reader can say so.
"""

from __future__ import annotations

import codecs
import io
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from veille.errors import ConfigError
from veille.ingest.common.codepage import guess_code_page

__all__ = [
    "DecodedText",
    "FileTooLarge",
    "detect_encoding",
    "encoding_named",
    "explain_encoding",
    "open_text",
    "read_text",
]

SAMPLE_SIZE = 1 << 20
# Latin-script single-byte code pages: on a short sample charset-normalizer cannot tell them
# apart, and cp1252 (the Windows default for Western text) is by far the likeliest.
_WESTERN_SINGLE_BYTE = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp437", "cp850", "cp858", "latin_1",
    "iso8859_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2",
    "mac_iceland", "mac_turkish",
}  # fmt: skip
_handler_numbers = itertools.count()

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _counting_handler(counter: list[int]) -> str:
    """Register an error handler that replaces undecodable bytes and counts them in ``counter``.

    One handler per open file, because codecs only know handlers by a global name.
    """

    def count_and_replace(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeDecodeError):
            raise error
        counter[0] += error.end - error.start
        return "\ufffd", error.end

    name = f"veille-count-{next(_handler_numbers)}"
    codecs.register_error(name, count_and_replace)
    return name


def detect_encoding(sample: bytes) -> str:
    """Name the encoding of a file from its first bytes."""
    return explain_encoding(sample)[0]


def explain_encoding(sample: bytes) -> tuple[str, str]:
    """The encoding of a file from its first bytes, and how sure that is, in words."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name, "byte-order mark"
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
            return "utf-16-le", "NUL bytes on odd positions"
        if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
            return "utf-16-be", "NUL bytes on even positions"
    # A UTF-8 file with a few broken bytes is still UTF-8: most of its non-ASCII characters
    # decode. A legacy code page (cp1252...) almost never forms valid UTF-8 sequences.
    decoded = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=False)
    broken = decoded.count("\ufffd")
    if broken == 0:
        return "utf-8", "the first megabyte decodes as UTF-8"
    valid_non_ascii = sum(1 for char in decoded if char > "\x7f") - broken
    if valid_non_ascii > broken:
        return "utf-8", f"mostly UTF-8, {broken:,} bytes of the first megabyte do not decode"
    words = guess_code_page(sample)
    if words is not None and words.known >= words.judged / 2:
        return words.encoding, f"not UTF-8; {words.describe()}"
    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else "cp1252"
    sure = f"{1 - best.chaos:.0%} clean" if best is not None else "no candidate"
    if guess.startswith("utf_16") or guess.startswith("utf_32"):
        guess = "cp1252"  # no NUL pattern was seen above, so this guess is noise
    if guess in _WESTERN_SINGLE_BYTE and _decodes(sample, "cp1252"):
        # The Windows default for Western text; its neighbours are guesses.
        return "cp1252", f"not UTF-8; a Western code page by charset-normalizer ({sure})"
    return guess, f"not UTF-8; guessed by charset-normalizer ({sure})"


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class DecodedText:
    """An open text stream plus what decoding it cost."""

    stream: io.TextIOWrapper
    encoding: str
    _counter: list[int]
    how: str = ""  # why this encoding: given by the user, a byte-order mark, a guess...

    @property
    def replaced_bytes(self) -> int:
        """Bytes that did not decode and were replaced by U+FFFD so far."""
        return self._counter[0]

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> DecodedText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_text(path: Path, newline: str | None = None, encoding: str | None = None) -> DecodedText:
    """Open ``path`` for streaming text reads in ``encoding``, else its detected encoding."""
    if encoding is None:
        with path.open("rb") as probe:
            sample = probe.read(SAMPLE_SIZE)
        encoding, how = explain_encoding(sample)
    else:
        how = "given"
        if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
            encoding = "utf-8-sig"  # a given UTF-8 still drops a byte-order mark
    counter = [0]
    errors = _counting_handler(counter)
    stream = io.TextIOWrapper(path.open("rb"), encoding=encoding, errors=errors, newline=newline)
    return DecodedText(stream, encoding, counter, how)


class FileTooLarge(ValueError):
    """A file larger than its reader takes whole; the message gives its size and the bound."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size:,} bytes, over the limit of {limit:,}")
        self.size = size
        self.limit = limit


def read_text(path: Path, max_bytes: int) -> tuple[str, str, int]:
    """Read a small file whole: (text, encoding, replaced byte count).

    A file larger than ``max_bytes`` raises ``FileTooLarge`` before its text is read; one that
    grows past it meanwhile, once ``max_bytes`` characters are read (a character is at least a
    byte), so memory stays bounded either way.
    """
    with open_text(path) as decoded:
        size = os.fstat(decoded.stream.fileno()).st_size
        if size > max_bytes:
            raise FileTooLarge(size, max_bytes)
        text = decoded.stream.read(max_bytes + 1)
        if len(text) > max_bytes:
            raise FileTooLarge(max(size, len(text)), max_bytes)
        return text, decoded.encoding, decoded.replaced_bytes


def encoding_named(name: str | None) -> str | None:
    """``--encoding``: a codec Python knows (utf-8, cp1252, cp1256...), by its usual name."""
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        message = f"--encoding {name!r}: unknown encoding (try utf-8, cp1252, cp1256)"
        raise ConfigError(message) from None
    return info.name

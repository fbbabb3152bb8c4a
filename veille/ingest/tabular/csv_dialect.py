"""Which delimiter and quote character a CSV file uses, decided from evidence, never guessed blind.

``csv.Sniffer`` looks at one sample and picks the quote character that appears most around
delimiters; on scraped tweets full of apostrophe-quoted phrases (``the 'market' is``) it picks
``'`` and two rows in three are then cut wrong. Here each candidate dialect parses the file (up
to ``SAMPLE_CHARS`` of it) and is judged by what a right dialect gives: every record as wide as
the header. RFC 4180's ``"`` wins unless the file proves another quote character reads more
records whole; among delimiters, the one that makes more columns wins, then the file's
extension (``.tsv``), then the usual order. Between readings that fit equally, one where a
single record runs over a quarter of the file loses, so a stray quote is read as a character
rather than swallowing the rest of the file. The choice and its evidence are reported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from veille.errors import ConfigError

__all__ = ["SAMPLE_CHARS", "CsvDialect", "choose_dialect", "delimiter_named", "quote_named"]

SAMPLE_CHARS = 1 << 20  # characters parsed per candidate: the whole of small files
_FIRST_LOOK = 64 << 10  # characters every candidate parses before the finalists are chosen
_FINALISTS = 3
_SWALLOW_LINES = 50  # a record over more lines than this, and a quarter of all, is suspect
_DELIMITERS = (",", ";", "\t", "|")
_QUOTES: tuple[str | None, ...] = ('"', "'", None)  # None: no quoting at all
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """A delimiter and quote character, with how many records of the sample each width fits."""

    delimiter: str
    quotechar: str | None
    records: int = 0  # records after the header, in the part of the file judged
    wrong_width: int = 0  # of those, records not as wide as the header
    width: int = 0  # fields in the header
    whole_file: bool = True  # the judged part was the whole file
    longest: int = 1  # lines of the longest record

    @property
    def swallows(self) -> bool:
        """One record runs over a quarter of the lines judged: a quote that never closes."""
        lines = self.records + self.longest
        return self.longest > _SWALLOW_LINES and self.longest * 4 > lines

    def as_csv(self) -> csv.Dialect:
        """The same dialect for Python's csv module (RFC 4180 doubled quotes)."""
        dialect = csv.excel()
        dialect.delimiter = self.delimiter
        if self.quotechar is None:
            dialect.quoting = csv.QUOTE_NONE
            dialect.quotechar = None
        else:
            dialect.quotechar = self.quotechar
        return dialect

    def describe(self) -> str:
        quote = "no quote character" if self.quotechar is None else f"quote {self.quotechar}"
        return f"delimiter {_NAMES.get(self.delimiter, repr(self.delimiter))}, {quote}"


def _rank(dialect: CsvDialect) -> tuple[bool, float]:
    """Single-column readings last, then by the share of records of the wrong width."""
    share = dialect.wrong_width / dialect.records if dialect.records else 0.0
    return dialect.width <= 1, share


def _judge(text: str, delimiter: str, quotechar: str | None, cut: bool) -> CsvDialect:
    """Parse ``text`` with one dialect and count records not as wide as its header."""
    candidate = CsvDialect(delimiter, quotechar)
    rows = csv.reader(io.StringIO(text, newline=""), candidate.as_csv())
    # The module's field limit is global, and the reader sets it to the record limit: judge
    # every candidate on the same terms, the whole text being one field at worst.
    limit = csv.field_size_limit(len(text) + 1)
    widths: list[int] = []
    longest = 1
    try:
        header = next(rows, [])
        line = rows.line_num
        for row in rows:
            span = rows.line_num - line
            if span > longest:  # not max(): this loop runs per record per candidate
                longest = span
            line = rows.line_num
            if row:
                widths.append(len(row))
    except csv.Error:
        return CsvDialect(delimiter, quotechar, 1, 1, 0)  # the dialect cannot even parse it
    finally:
        csv.field_size_limit(limit)
    if cut and widths:
        widths.pop()  # the sample may end inside the last record
    wrong = sum(1 for width in widths if width != len(header))
    return CsvDialect(delimiter, quotechar, len(widths), wrong, len(header), not cut, longest)


def choose_dialect(
    text: str,
    cut: bool,
    suffix: str = "",
    delimiter: str | None = None,
    quote: str | None = None,
) -> tuple[CsvDialect, str]:
    """The dialect that reads ``text`` best, and a note saying why.

    ``cut`` says ``text`` is only the start of the file. ``delimiter`` and ``quote`` are what
    the user said (``quote="none"``: no quoting); only the rest is decided.
    """
    delimiters = (delimiter,) if delimiter else _DELIMITERS
    quotes = _QUOTES if quote is None else (None if quote.lower() == "none" else quote,)
    candidates = [(d, q) for d in delimiters for q in quotes]
    if len(text) > _FIRST_LOOK:
        # Twelve full parses cost a quarter second a megabyte: a first look at the start of
        # the file keeps the few that fit it best, and only those are judged on all of it.
        start = text[:_FIRST_LOOK]
        glance = sorted(candidates, key=lambda c: _rank(_judge(start, c[0], c[1], True)))
        candidates = glance[:_FINALISTS]
    judged = [_judge(text, d, q, cut) for d, q in candidates]
    preferred_delimiter = "\t" if suffix.lower() == ".tsv" else ","
    multi_column = [dialect for dialect in judged if dialect.width > 1] or judged

    def rank(dialect: CsvDialect) -> tuple[float, bool, int, int, bool, int]:
        share = dialect.wrong_width / dialect.records if dialect.records else 0.0
        return (
            share,
            # A stray quote that is never closed swallows the rest of the file into one field
            # under '"', while another reading keeps every line.
            dialect.swallows,
            _QUOTES.index(dialect.quotechar) if dialect.quotechar in _QUOTES else 0,
            -dialect.width,  # '"' unless the file proves otherwise, then more columns
            dialect.delimiter != preferred_delimiter,
            _DELIMITERS.index(dialect.delimiter) if dialect.delimiter in _DELIMITERS else 0,
        )

    ordered = sorted(multi_column, key=rank)
    best = ordered[0]
    origin = "given" if delimiter and quote is not None else "decided"
    scope = "the whole file" if best.whole_file else f"the first {len(text):,} characters"
    note = (
        f"CSV dialect: {best.describe()}, {origin} over {scope}: "
        f"{best.records - best.wrong_width:,} of {best.records:,} records "
        f"{best.width} fields wide like the header"
    )
    runner_up = next((d for d in ordered[1:] if d.width == best.width), None)
    if runner_up is not None and runner_up.wrong_width > best.wrong_width:
        note += f"; with {runner_up.describe()}, {runner_up.wrong_width:,} would not be"
    return best, note


def delimiter_named(name: str | None) -> str | None:
    """``--delimiter``: one character, or its name (comma, semicolon, tab, pipe)."""
    if name is None:
        return None
    by_name = {value: key for key, value in _NAMES.items()} | {"\\t": "\t"}
    delimiter = by_name.get(name.lower(), name)
    if len(delimiter) != 1 or delimiter in "\r\n\"'":
        raise ConfigError(
            f"--delimiter {name!r}: give one character, or comma, semicolon, tab or pipe"
        )
    return delimiter


def quote_named(name: str | None) -> str | None:
    """``--quote``: one character, or none for no quoting."""
    if name is None or name.lower() == "none":
        return name and "none"
    if len(name) != 1 or name in "\r\n":
        raise ConfigError(f"--quote {name!r}: give one character, or none for no quoting")
    return name

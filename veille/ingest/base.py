"""The reader contract: ``sniff`` a path, ``read`` it into records.

A reader is a class with a ``name``, a ``version`` and two methods. It never touches the store:
it yields records and the case writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import ClassVar, Protocol
from zoneinfo import ZoneInfo

from veille.model import Record

__all__ = ["MAX_RECORD_CHARS", "ReadOptions", "Reader"]

MAX_RECORD_CHARS = 10_000_000


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What the user told ``ingest`` beyond the path."""

    # Column mapping for tabular files: veille field -> column name in the file.
    mapping: dict[str, str] = field(default_factory=dict)
    # Zone for times the source writes without an offset (WhatsApp, most CSVs).
    zone: tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    # Forced date order for ambiguous numeric dates: "day" or "month"; None detects it.
    date_order: str | None = None
    # CSV dialect and text encoding, when the user says them; None decides from the file.
    delimiter: str | None = None
    quote: str | None = None  # a character, or "none" for no quoting
    encoding: str | None = None
    # The longest line or record a reader holds in memory: longer ones are quarantined. Real
    # posts and articles stay far below; a file with no line break must not be read whole.
    max_record_chars: int = MAX_RECORD_CHARS


class Reader(Protocol):
    """Turns one file or export folder into records."""

    name: ClassVar[str]
    version: ClassVar[int]

    def sniff(self, path: Path) -> int:
        """How sure this reader is that ``path`` is its format: 0 not mine .. 100 certain."""
        ...

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the records in ``path``; bad fragments come out as ``Reject``, never raise."""
        ...

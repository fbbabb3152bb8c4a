"""Read a text stream line by line, never holding more than a bound of any one line.

Internal helper of the line-based readers: not a stable API.

Iterating a text file gives whole lines, so a file of 10 GB without a line break is one 10 GB
string. Here a line longer than ``limit`` characters comes back cut to its first ``limit``
characters with its full length, and the rest of it is read in steps of ``limit`` and dropped:
memory stays within a few times ``limit`` whatever the file holds, and the reader can quarantine
the line with its length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

__all__ = ["Line", "bounded_lines"]


@dataclass(slots=True)
class Line:
    """One line of a text stream, or its first ``limit`` characters when it is longer."""

    text: str  # without its line break
    length: int  # characters in the whole line, line break excluded
    ended: bool  # a line break ended it (False only for a last line without one)

    @property
    def cut(self) -> bool:
        """Whether ``text`` holds only the start of the line."""
        return self.length > len(self.text)


def bounded_lines(stream: TextIO, limit: int) -> Iterator[Line]:
    """The lines of ``stream``, each at most ``limit`` characters long (see the module)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    while True:
        part = stream.readline(limit)
        if not part:
            return
        if part.endswith("\n"):
            yield Line(part[:-1], len(part) - 1, True)
            continue
        if len(part) < limit:  # readline stops short of the limit only at the end of the file
            yield Line(part, len(part), False)
            return
        length, ended = len(part), False
        while more := stream.readline(limit):
            if more.endswith("\n"):
                length += len(more) - 1
                ended = True
                break
            length += len(more)
        yield Line(part, length, ended)

"""Turn the paths given to ``ingest`` into (path, reader) units.

A folder is first offered whole to the readers, because many exports are folders (a Telegram
chat with its photos, a Twitter archive); if none claims it, its entries are walked one by one.
Files no reader claims are reported as skipped, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from veille.errors import InputError, PluginError
from veille.ingest import READERS
from veille.ingest.base import Reader

__all__ = ["MIN_SCORE", "Unit", "choose_reader", "discover"]

MIN_SCORE = 20  # below this a reader is guessing


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing to read: a file or export folder and the reader chosen for it."""

    path: Path
    reader: Reader | None  # None: no reader claims it
    score: int


def _best_reader(path: Path) -> tuple[Reader | None, int]:
    best: Reader | None = None
    best_score = 0
    for _, reader_class in READERS:
        reader = reader_class()
        try:
            score = reader.sniff(path)
        except OSError:
            score = 0  # unreadable here; the read itself will report why
        if score > best_score:
            best, best_score = reader, score
    return (best, best_score) if best_score >= MIN_SCORE else (None, best_score)


def choose_reader(path: Path, format_name: str | None = None) -> tuple[Reader | None, int]:
    """The reader for ``path``: the one named by ``--format``, else the highest sniff."""
    if format_name is None:
        return _best_reader(path)
    try:
        return READERS.get(format_name)(), 100
    except PluginError as error:
        raise InputError(str(error)) from error


def discover(path: Path, format_name: str | None = None) -> Iterator[Unit]:
    """Yield the units under ``path`` in a stable (sorted) order."""
    if path.is_dir():
        # --format applies to the files inside, unless that reader claims the folder itself.
        reader, score = _best_reader(path)
        if format_name is not None and reader is not None and reader.name != format_name:
            reader = None
        if reader is not None:
            yield Unit(path, reader, score)
            return
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue  # .DS_Store, .git and friends are never evidence
            yield from discover(child, format_name)
        return
    reader, score = choose_reader(path, format_name)
    yield Unit(path, reader, score)

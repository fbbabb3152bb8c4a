"""Turn the paths given to ``ingest`` into (path, reader) units, and say why the rest is not read.

A folder is first offered whole to the readers, because many exports are folders (a Telegram
chat with its photos, a Twitter archive). A reader that claims a folder reads some of its files
(the chat, the tweet files): those it names with ``parts(folder)``, or else those it would claim
one by one. Every other file under the folder is offered to the readers again, so a CSV or an
article beside a WhatsApp chat is read too; what no reader takes is an attachment or asset of
the export when it is a photo, video or sound (counted in a note on the export's unit), and
otherwise a skipped unit with its why.

The walk stays inside what the user named: a symbolic link out of it is not followed, each real
path is visited once (a link loop is read once and never hangs), and only regular files are
offered to readers (a FIFO named ``chat.txt`` would block whoever opens it).
"""

from __future__ import annotations

import mimetypes
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from veille.errors import InputError, PluginError
from veille.ingest import READERS
from veille.ingest.base import Reader
from veille.ingest.files.boundary import not_regular, real_path

__all__ = ["MIN_SCORE", "Unit", "choose_reader", "discover"]

MIN_SCORE = 20  # below this a reader is guessing
_MEDIA_TYPES = ("image/", "video/", "audio/")
# Folders that copies and zips of exports carry, which are never evidence.
_SYSTEM_FOLDERS = {"__MACOSX": "macOS resource forks added by the zip tool"}
_NO_READER = "no reader recognises it (see `veille readers`; --format names one)"


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing to read: a file or export folder and the reader chosen for it.

    A unit with no reader is not read: ``why`` says why. ``notes`` are what discover found
    about a unit that is read (the files of its export that are not read by themselves).
    """

    path: Path
    reader: Reader | None  # None: not read, see why
    score: int
    why: str | None = None
    notes: tuple[str, ...] = ()


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
    """The reader for ``path``: the one named by ``--format``, else the highest sniff.

    Raises InputError for a path that is neither a folder nor a regular file: opening a FIFO
    or a device would block, so no reader is given one.
    """
    if not path.is_dir():
        reason = not_regular(path)
        if reason is not None:
            raise InputError(f"{path}: {reason}")
    if format_name is None:
        return _best_reader(path)
    try:
        return READERS.get(format_name)(), 100
    except PluginError as error:
        raise InputError(str(error)) from error


def _is_media(path: Path) -> bool:
    kind = mimetypes.guess_type(path.name, strict=False)[0] or ""
    return kind.startswith(_MEDIA_TYPES)


@dataclass
class _Export:
    """A folder a reader claimed, and the media files under it that are its attachments."""

    folder: Path
    reader: Reader
    parts: set[Path] | None  # real paths the reader names; None: those it claims one by one
    media: Counter[str] = field(default_factory=Counter)  # extension -> attachments

    def notes(self) -> tuple[str, ...]:
        if not self.media:
            return ()
        return (
            f"{sum(self.media.values()):,} media files in this export ({_kinds(self.media)}) "
            "are its attachments: each is stored when a message refers to it",
        )

    def not_read(self, path: Path) -> str:
        where = path.relative_to(self.folder).as_posix()
        return (
            f"in the {self.reader.name} export {self.folder.name}, but not one of its message "
            f"files ({where}); no reader recognises it"
        )


def _kinds(counts: Counter[str]) -> str:
    return ", ".join(f"{count:,} {extension}" for extension, count in counts.most_common(4))


class _Walk:
    """One walk under a path the user named; remembers what it visited."""

    def __init__(self, root: Path, format_name: str | None) -> None:
        self.root = root
        self.real_root = real_path(root) or root.absolute()
        self.format_name = format_name
        self.visited: dict[Path, Path] = {}  # real path -> the path it was first met as

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix() or "."
        except ValueError:
            return str(path)

    def enter(self, path: Path) -> Unit | None:
        """None if ``path`` may be walked or read; else the skipped unit saying why not."""
        real = real_path(path)
        if real is None:
            why = "a symbolic link that leads nowhere (or in a loop)" if path.is_symlink() else None
            return Unit(path, None, 0, why or "cannot be read (vanished, or no access)")
        if real != self.real_root and not real.is_relative_to(self.real_root):
            return Unit(
                path, None, 0, f"a symbolic link to {real}, outside {self.root}; not followed"
            )
        first = self.visited.get(real)
        if first is not None:
            return Unit(
                path, None, 0, f"the same {_noun(path)} as {self.relative(first)}; read once"
            )
        self.visited[real] = path
        return None

    def children(self, folder: Path) -> tuple[list[Path], list[Unit]]:
        try:
            entries = sorted(folder.iterdir())
        except OSError as error:
            return [], [Unit(folder, None, 0, f"cannot list this folder ({error.strerror})")]
        kept, skipped = [], []
        for entry in entries:
            if entry.name.startswith("."):
                # .DS_Store, .git and friends are never evidence; one line each, not per file.
                skipped.append(Unit(entry, None, 0, f"hidden {_noun(entry)}; not read"))
            elif entry.name in _SYSTEM_FOLDERS and entry.is_dir():
                skipped.append(Unit(entry, None, 0, f"{_SYSTEM_FOLDERS[entry.name]}; not read"))
            else:
                kept.append(entry)
        return kept, skipped

    def path(self, path: Path, export: _Export | None = None) -> Iterator[Unit]:
        """Units for ``path`` and everything under it."""
        refused = self.enter(path)
        if refused is not None:
            yield refused
            return
        if path.is_dir():
            yield from self.folder(path, export)
        else:
            yield from self.file(path, export)

    def folder(self, folder: Path, export: _Export | None) -> Iterator[Unit]:
        # --format applies to the files inside, unless that reader claims the folder itself.
        reader, score = _best_reader(folder)
        if reader is not None and self.format_name not in (None, reader.name):
            reader = None
        if reader is None:
            yield from self.rest(folder, export)
            return
        claimed = _Export(folder, reader, _parts(reader, folder))
        later = list(self.rest(folder, claimed))  # walked first: its notes go on the unit
        yield Unit(folder, reader, score, notes=claimed.notes())
        yield from later

    def rest(self, folder: Path, export: _Export | None) -> Iterator[Unit]:
        """The entries of ``folder`` not already read as part of ``export``."""
        entries, skipped = self.children(folder)
        yield from skipped
        for entry in entries:
            inside = export is not None and entry.is_dir() and not entry.is_symlink()
            if inside and export is not None and _holds_parts(export, entry):
                # The export reads files in it: walk it, it is not an export of its own.
                refused = self.enter(entry)
                yield from [refused] if refused else self.rest(entry, export)
            else:
                yield from self.path(entry, export)

    def file(self, path: Path, export: _Export | None) -> Iterator[Unit]:
        reason = not_regular(path)
        if reason is not None:
            yield Unit(path, None, 0, reason)
            return
        if export is not None:
            if export.parts is not None and path.resolve() in export.parts:
                return  # read with its export
            if _is_media(path):  # not sniffed: exports hold thousands of photos
                export.media[path.suffix.lower() or "no extension"] += 1
                return
        reader, score = self.reader_for(path, export)
        if (
            export is not None
            and export.parts is None
            and reader is not None
            and reader.name == export.reader.name
        ):
            return  # the file the export's reader would claim: read with the export
        if reader is not None:
            yield Unit(path, reader, score)
        elif export is not None:
            yield Unit(path, None, score, export.not_read(path))
        else:
            yield Unit(path, None, score, _why_not_read(path))

    def reader_for(self, path: Path, export: _Export | None) -> tuple[Reader | None, int]:
        if self.format_name is None:
            return _best_reader(path)
        forced, score = choose_reader(path, self.format_name)
        if export is not None and forced is not None and forced.sniff(path) < MIN_SCORE:
            return None, 0  # inside an export --format names the export, not its photos
        return forced, score


def _why_not_read(path: Path) -> str:
    if _is_media(path):
        return "a media file: veille stores media as attachments of an export"
    if path.suffix.lower() == ".zip":
        return "a zip inside a folder is not opened; name it to ingest it (ingest CASE FILE.zip)"
    return _NO_READER


def _noun(path: Path) -> str:
    return "folder" if path.is_dir() else "file"


def _parts(reader: Reader, folder: Path) -> set[Path] | None:
    """Real paths of the files ``reader`` reads in ``folder``, if it says (``parts``)."""
    method: Callable[[Path], Iterable[Path]] | None = getattr(reader, "parts", None)
    if method is None:
        return None
    try:
        named = list(method(folder))
    except (OSError, InputError):
        return None  # the read will say what is wrong; until then, guess as for any reader
    return {real for real in map(real_path, named) if real is not None}


def _holds_parts(export: _Export, folder: Path) -> bool:
    """Whether ``folder`` (inside the export) holds files the export's reader reads."""
    real = real_path(folder)
    if real is None:
        return False
    if export.parts is None:
        # Unknown parts: a subfolder the same reader claims whole is read with the export
        # (Telegram's chats/chat_N), never twice.
        reader, _ = _best_reader(folder)
        return reader is not None and reader.name == export.reader.name
    return any(part.is_relative_to(real) for part in export.parts)


def discover(path: Path, format_name: str | None = None) -> Iterator[Unit]:
    """Yield the units under ``path`` in a stable (sorted) order, the skipped ones with why."""
    if not path.is_dir():
        reason = not_regular(path)
        if reason is not None:
            yield Unit(path, None, 0, reason)
            return
        reader, score = choose_reader(path, format_name)
        yield Unit(path, reader, score, None if reader is not None else _NO_READER)
        return
    yield from _Walk(path, format_name).path(path)

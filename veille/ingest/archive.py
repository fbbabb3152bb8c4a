"""Unpack zip exports (WhatsApp, Twitter archives) safely before any reader sees them.

A zip is hostile input: member names may climb out of the target folder (``../``), be absolute,
or be links; a small file may expand to terabytes. Each is refused with a one-line reason.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from veille.errors import InputError

__all__ = ["MAX_RATIO", "MAX_TOTAL_BYTES", "extract_zip", "opened"]

# Real exports compress text ~5-20x and media ~1x; 200x is a bomb, not an export.
MAX_RATIO = 200
MAX_TOTAL_BYTES = 50 * 1024**3
_SMALL_MEMBER = 1 << 20  # tiny members (an empty-ish text file) may have any ratio


def _checked_members(archive: zipfile.ZipFile, path: Path) -> list[zipfile.ZipInfo]:
    total = 0
    members = []
    for info in archive.infolist():
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or (name.parts and ":" in name.parts[0]):
            raise InputError(f"{path.name}: refused: member {info.filename!r} escapes the archive")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise InputError(f"{path.name}: refused: member {info.filename!r} is a symbolic link")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _SMALL_MEMBER and ratio > MAX_RATIO:
            raise InputError(
                f"{path.name}: refused: member {info.filename!r} expands {ratio:,.0f} times "
                f"(limit {MAX_RATIO}); this looks like a zip bomb"
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(
                f"{path.name}: refused: expands to more than {MAX_TOTAL_BYTES:,} bytes"
            )
        members.append(info)
    return members


def extract_zip(path: Path, target: Path) -> Path:
    """Extract ``path`` into ``target`` after checking every member; return ``target``."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _checked_members(archive, path)
            for info in members:
                destination = target / PurePosixPath(info.filename.replace("\\", "/"))
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                # zipfile stops reading at the declared size, which was checked above.
                with archive.open(info) as source, destination.open("wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
    except zipfile.BadZipFile as error:
        raise InputError(f"{path.name}: not a readable zip file ({error})") from error
    except (OSError, EOFError) as error:
        raise InputError(f"{path.name}: cannot extract ({error})") from error
    return target


@contextmanager
def opened(path: Path) -> Iterator[tuple[Path, str]]:
    """Yield (folder or file to discover, label prefix); zips are extracted for the duration."""
    if path.is_file() and path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="veille-zip-") as folder:
            # Named after the zip, not the temporary folder: readers may name things after
            # their folder (a WhatsApp chat), and ids must not change from one run to the next.
            yield extract_zip(path, Path(folder) / path.stem), f"{path}!"
    else:
        yield path, str(path)

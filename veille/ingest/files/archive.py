"""Unpack zip exports (WhatsApp, Twitter archives) safely before any reader sees them.

A zip is hostile input: member names may climb out of the target folder (``../``), be absolute,
or be links; a small file may expand to terabytes, in one member or in thousands of small ones;
its compressed data may be corrupt or use a method Python cannot decode. Each is refused with a
one-line reason, before anything is written when the zip's own directory shows it.

Extraction goes to a temporary folder named ``veille-zip-<pid>-…``. An ingest killed mid-way
cannot remove it, so the next zip opened removes the folders whose process is gone.
"""

from __future__ import annotations

import lzma
import os
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from veille.errors import InputError

__all__ = [
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "TEMP_PREFIX",
    "clean_stale_folders",
    "extract_zip",
    "opened",
]

# Real exports compress text ~5-20x and media ~1x; 200x is a bomb, not an export. The ratio is
# checked per member and for the whole archive, since a bomb can be many members of 1 MiB each.
MAX_RATIO = 200
MAX_TOTAL_BYTES = 50 * 1024**3
_SMALL_MEMBER = 1 << 20  # tiny members (an empty-ish text file) may have any ratio
_SMALL_TOTAL = 16 << 20  # below this, any whole-archive ratio is harmless
_FREE_MARGIN = 256 << 20  # left free on the temporary disk after extraction
TEMP_PREFIX = "veille-zip-"
_STALE_WITHOUT_OWNER = 6 * 3600  # seconds: folders named before the PID was in the name
_STALE_WITH_LIVE_OWNER = 7 * 24 * 3600  # a PID reused by another process after a reboot
# What a damaged or exotic member raises while it is decompressed: zlib.error (corrupt
# deflate), NotImplementedError (a compression method Python lacks), BadZipFile (bad CRC,
# damaged headers), EOFError (cut short), RuntimeError (encrypted), LZMAError.
_DECODE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    EOFError,
    RuntimeError,
    lzma.LZMAError,
    ValueError,
)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


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
    _check_whole(path, total)
    return members


def _check_whole(path: Path, total: int) -> None:
    """Refuse an archive whose members together expand too much, or do not fit on disk."""
    size = path.stat().st_size
    ratio = total / max(size, 1)
    if total > _SMALL_TOTAL and ratio > MAX_RATIO:
        raise InputError(
            f"{path.name}: refused: {size:,} bytes expand to {total:,} ({ratio:,.0f} times, limit "
            f"{MAX_RATIO}); this looks like a zip bomb"
        )
    folder = tempfile.gettempdir()
    free = shutil.disk_usage(folder).free
    if total + _FREE_MARGIN > free:
        raise InputError(
            f"{path.name}: refused: expands to {total:,} bytes and {folder} has {free:,} free; "
            "unzip it elsewhere and ingest the folder"
        )


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
                try:
                    # zipfile stops reading at the declared size, which was checked above.
                    with archive.open(info) as source, destination.open("wb") as sink:
                        shutil.copyfileobj(source, sink, 1 << 20)
                except _DECODE_ERRORS as error:
                    raise InputError(
                        f"{path.name}: member {info.filename!r} cannot be decompressed "
                        f"({_one_line(error)}); the archive was not read"
                    ) from None
    except (zipfile.BadZipFile, NotImplementedError) as error:
        # NotImplementedError: a member needs a newer zip version than Python reads.
        raise InputError(f"{path.name}: not a readable zip file ({_one_line(error)})") from None
    except (OSError, EOFError) as error:
        raise InputError(f"{path.name}: cannot extract ({_one_line(error)})") from None
    return target


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists but is not ours, or cannot tell: keep its folder
    return True


def _is_stale(entry: os.DirEntry[str], now: float) -> bool:
    owner = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
    age = now - entry.stat(follow_symlinks=False).st_mtime
    if not owner.isdigit():
        return age > _STALE_WITHOUT_OWNER
    pid = int(owner)
    if pid == os.getpid():
        return False
    return not _pid_alive(pid) or age > _STALE_WITH_LIVE_OWNER


def clean_stale_folders(folder: Path | None = None) -> list[Path]:
    """Remove temporary extraction folders left by killed ingests; return those removed.

    Only this user's real folders named ``veille-zip-*`` are touched, never a link.
    """
    base = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    now = time.time()
    try:
        entries = [entry for entry in os.scandir(base) if entry.name.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if uid is not None and entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            if not _is_stale(entry, now):
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


@contextmanager
def opened(path: Path) -> Iterator[tuple[Path, str]]:
    """Yield (folder or file to discover, label prefix); zips are extracted for the duration."""
    # is_file first: is_zipfile opens the path, and a FIFO named x.zip would block it.
    if path.suffix.lower() == ".zip" and path.is_file() and zipfile.is_zipfile(path):
        clean_stale_folders()
        prefix = f"{TEMP_PREFIX}{os.getpid()}-"
        with tempfile.TemporaryDirectory(prefix=prefix) as folder:
            # Named after the zip, not the temporary folder: readers may name things after
            # their folder (a WhatsApp chat), and ids must not change from one run to the next.
            yield extract_zip(path, Path(folder) / path.stem), f"{path}!"
    else:
        yield path, str(path)

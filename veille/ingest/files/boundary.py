"""Where reading stops: regular files only, and only inside what the user named.

Internal helper of discover and the readers: not a stable API.

An export is hostile input. A file in it may be a symbolic link to any file on this machine
(``photo.jpg -> ~/.ssh/id_rsa``), which a reader must not copy into the case; a FIFO or a device
named ``chat.txt`` blocks whoever opens it, for good. So a path is opened only once it is known
to be a regular file, and a path met inside an export is followed only while its real path
stays inside that export.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "Located",
    "describe_refused",
    "kind_of",
    "locate",
    "not_regular",
    "open_regular",
    "real_path",
]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words ("a FIFO (named pipe)")."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def not_regular(path: Path) -> str | None:
    """Why ``path`` (links followed) must not be opened as a file, or None when it may be."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return f"cannot be read ({reason})"
    if stat.S_ISREG(mode):
        return None
    return f"{kind_of(mode)}, not a regular file; not opened"


def real_path(path: Path) -> Path | None:
    """The real path of ``path`` (every link resolved), None when it cannot be resolved."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing, a link loop, a NUL in the name
        return None


@dataclass(frozen=True, slots=True)
class Located:
    """A file an export refers to: its real path, or why it is not taken (None: absent)."""

    file: Path | None
    refused: str | None = None


def locate(root: Path, candidate: Path) -> Located:
    """``candidate`` if it is a regular file whose real path is inside ``root``'s.

    ``root`` must already be resolved (callers resolve it once, not once per file). A link that
    stays inside the export is followed; one that leaves it is refused, as is a FIFO or device.
    """
    real = real_path(candidate)
    if real is None:
        return Located(None)
    if real != root and not real.is_relative_to(root):
        return Located(None, "a symbolic link to a file outside the export; not followed")
    reason = not_regular(real)
    if reason is not None:
        return Located(None, reason)
    return Located(real)


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for binary reading; OSError if it is not a regular file.

    Checked on the open file itself, so a FIFO swapped in after a check still cannot block:
    O_NONBLOCK makes opening a FIFO return at once, and fstat then says what was opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            message = f"{kind_of(mode)}, not a regular file; not opened"
            raise OSError(errno.EINVAL, message, str(path))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def describe_refused(refused: dict[str, str], shown: int = 3) -> str:
    """A few refused names with their reasons, for one line of a Note."""
    names = sorted(refused)
    listed = ", ".join(f"{name!r} ({refused[name]})" for name in names[:shown])
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return listed + more

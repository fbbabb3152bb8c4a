"""Content-addressed copies of attachments under the case's ``media/`` folder."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = ["MediaFolder"]

_CHUNK = 1 << 20


def _open_source(file: Path) -> BinaryIO:
    """Open an attachment to copy; OSError (with a reason) for a link or a non-regular file.

    Readers hand over real paths they checked to be inside the export; refusing links here as
    well means a reader that forgot cannot make the case copy a file from elsewhere. O_NONBLOCK:
    opening a FIFO would otherwise wait for a writer forever.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(file, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:  # what O_NOFOLLOW gives for a link
            raise OSError(errno.ELOOP, "a symbolic link; not followed", str(file)) from None
        raise
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file; not copied", str(file))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


class MediaFolder:
    """``media/ab/abcdef...``: one copy per distinct content, whatever its name in the exports."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def store(self, file: Path) -> tuple[str, int]:
        """Copy ``file`` in if its content is new; return (sha256, size).

        Raises OSError when ``file`` is a symbolic link, not a regular file, or changes while it
        is copied. Hashing and copying read the same open file, so what is stored is what was
        hashed.
        """
        with _open_source(file) as stream:
            digest = hashlib.sha256()
            size = 0
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
            sha256 = digest.hexdigest()
            target = self.path_for(sha256)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                stream.seek(0)
                self._copy(stream, target, sha256)
        return sha256, size

    @staticmethod
    def _copy(stream: BinaryIO, target: Path, sha256: str) -> None:
        # Copy then rename, so a crash never leaves a half-written file under its final name.
        partial = target.with_suffix(f".part{os.getpid()}")
        digest = hashlib.sha256()
        try:
            with partial.open("wb") as sink:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
                    sink.write(chunk)
            if digest.hexdigest() != sha256:
                raise OSError(errno.EIO, "changed while it was copied; not stored", str(target))
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)

"""Content-addressed copies of attachments under the case's ``media/`` folder."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

__all__ = ["MediaFolder"]

_CHUNK = 1 << 20


class MediaFolder:
    """``media/ab/abcdef...``: one copy per distinct content, whatever its name in the exports."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def store(self, file: Path) -> tuple[str, int]:
        """Copy ``file`` in if its content is new; return (sha256, size)."""
        digest = hashlib.sha256()
        size = 0
        with file.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
        sha256 = digest.hexdigest()
        target = self.path_for(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Copy then rename, so a crash never leaves a half-written file under its final name.
            partial = target.with_suffix(f".part{os.getpid()}")
            shutil.copyfile(file, partial)
            partial.replace(target)
        return sha256, size

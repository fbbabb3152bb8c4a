"""Media files an export references, refused when the reference leaves the export folder.

Internal helper of ``veille.ingest.telegram``: not a stable API.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Iterator
from pathlib import Path

from veille.ids import record_id
from veille.model import Media, Note, Provenance

__all__ = ["MediaFiles"]


class MediaFiles:
    """Turns media references of an export into Media records, refusing paths that leave it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.referenced = 0
        self.missing = 0
        self.outside = 0
        self._folder_exists: dict[str, bool] = {}

    def media(
        self,
        post_id: str,
        name: str,
        provenance: Provenance,
        mime: str | None = None,
        base: str = "",
    ) -> Media:
        """Media for the reference ``name`` (relative to ``base`` inside the export)."""
        self.referenced += 1
        relative = posixpath.normpath(posixpath.join(base, name.replace("\\", "/")))
        file = None
        if relative.startswith(("/", "../")) or relative == ".." or ":" in relative[:3]:
            # A reference out of the export folder would make the case copy any file on this
            # machine: it is hostile or broken, never followed.
            self.outside += 1
        else:
            file = self._existing(relative)
            name = relative
        if file is None:
            self.missing += 1
        if mime is None:
            mime = mimetypes.guess_type(name, strict=False)[0]
        return Media(record_id("media", post_id, name), post_id, name, provenance, file, mime)

    def missing_media(self, post_id: str, name: str, provenance: Provenance) -> Media:
        """Media the export mentions but did not include (export settings, size limit)."""
        self.referenced += 1
        self.missing += 1
        return Media(record_id("media", post_id, name), post_id, name, provenance, None, None)

    def _existing(self, relative: str) -> Path | None:
        folder = posixpath.dirname(relative)
        exists = self._folder_exists.get(folder)
        if exists is None:
            # Whole media folders are often left out of a copied export: one stat per folder.
            exists = self._folder_exists[folder] = _is_dir(self.root / folder)
        if not exists:
            return None
        candidate = self.root / relative
        try:
            if not candidate.is_file():
                return None
            real = candidate.resolve()
        except (OSError, ValueError):
            return None
        if real != self.root and self.root not in real.parents:
            self.outside += 1  # a symbolic link out of the export
            return None
        return real

    def notes(self) -> Iterator[Note]:
        """What the user should know about the media of this read."""
        if self.missing:
            yield Note(
                f"telegram: {self.missing:,} of {self.referenced:,} media files referenced by the "
                "export are not in it (not exported, or not copied); recorded as missing"
            )
        if self.outside:
            yield Note(
                f"telegram: {self.outside:,} media references point outside the export folder; "
                "they were not followed (damaged or tampered export)"
            )


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False

"""What each writer reports about the file it wrote: counts, bad records, media, zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["READERS", "BadRecord", "FileReport", "MediaRef", "write_bytes"]

# The veille reader each format is meant for.
READERS = {
    "tweets-csv": "tabular",
    "telegram-json": "telegram",
    "telegram-html": "telegram",
    "whatsapp": "whatsapp",
    "news-html": "news",
    "news-text": "news",
}


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record planted broken on purpose, and why a reader should quarantine it."""

    file: str
    locator: str
    reason: str

    def as_json(self) -> dict[str, str]:
        """The ground-truth form."""
        return {"file": self.file, "locator": self.locator, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A file a post refers to, and whether it is really on disk."""

    file: str  # the export this reference is in
    name: str  # the reference as the export writes it
    # "present"; "missing" (dangling path); "not_included" (Telegram's placeholder for a file
    # the export skipped); "omitted" (WhatsApp's "<Media omitted>" / "image omitted").
    status: str


@dataclass(slots=True)
class FileReport:
    """One written file (or export folder entry point) and what it holds."""

    path: str  # relative to the scenario folder, with forward slashes
    format: str
    records: int  # well-formed posts (messages, tweets, articles)
    zone: str | None  # how to read its naive times; None when they carry offsets
    service: int = 0  # service/system messages, not posts
    interactions: int = 0  # planted interactions its posts show
    bad: list[BadRecord] = field(default_factory=list)
    media: list[MediaRef] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    ingest: str | None = None  # what to hand to the reader when not ``path`` (export folders)

    def as_json(self) -> dict[str, Any]:
        """The ground-truth form."""
        media = {
            status: sum(1 for m in self.media if m.status == status)
            for status in ("present", "missing", "not_included", "omitted")
        }
        return {
            "format": self.format,
            "reader": READERS[self.format],
            "ingest": self.ingest or self.path,
            "records": self.records,
            "service": self.service,
            "bad": len(self.bad),
            "interactions": self.interactions,
            "zone": self.zone,
            "media": media,
            **self.extra,
        }


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, creating the folders it needs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)

"""One ``veille ingest``: paths in, records written, a report out.

For each path: zips are extracted safely to a temporary folder, folders are walked, each unit is
read by its reader and written source by source. A unit that cannot be read at all is reported
and quarantined whole; the other units still go in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from veille.errors import InputError
from veille.ids import record_id
from veille.ingest.archive import opened
from veille.ingest.base import ReadOptions
from veille.ingest.discover import Unit, discover
from veille.model import Reject
from veille.store.media_files import MediaFolder
from veille.store.runs import begin_source, finish_source
from veille.store.write import SourceCounts, SourceWriter

__all__ = ["IngestReport", "Progress", "SourceReport", "ingest_paths"]

Progress = Callable[[str, int], None]  # (unit label, posts read so far)
_PROGRESS_EVERY = 2_000


@dataclass
class SourceReport:
    """What happened to one file or export folder."""

    path: str
    reader: str | None
    counts: SourceCounts = field(default_factory=SourceCounts)
    error: str | None = None
    skipped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "reader": self.reader,
            "error": self.error,
            "skipped": self.skipped,
            **self.counts.as_dict(),
            "notes": self.counts.notes,
        }


@dataclass
class IngestReport:
    """What one ingest run did, file by file."""

    run_id: str
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def read_anything(self) -> bool:
        return any(s.error is None and not s.skipped for s in self.sources)

    def totals(self) -> dict[str, int]:
        keys = ("read", "new", "present", "quarantined", "media_stored", "media_missing")
        totals = dict.fromkeys(keys, 0)
        for source in self.sources:
            counts = source.counts.as_dict()
            for key in keys:
                totals[key] += counts[key]
        totals["files"] = sum(1 for s in self.sources if s.error is None and not s.skipped)
        totals["failed"] = sum(1 for s in self.sources if s.error is not None)
        totals["skipped"] = sum(1 for s in self.sources if s.skipped)
        return totals


def content_sha256(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, or of a folder's files (relative names and contents)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    size = 0
    for file in files:
        if file != path:
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with file.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    return digest.hexdigest(), size


def _label(unit: Unit, root: Path, prefix: str) -> str:
    if unit.path == root:
        return prefix.rstrip("!")
    relative = unit.path.relative_to(root).as_posix()
    return f"{prefix}/{relative}" if prefix.endswith("!") else str(unit.path)


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    media: MediaFolder,
    run_id: str,
    paths: list[Path],
    options: ReadOptions,
    format_name: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Read every path into the case; never stops at a bad file."""
    report = IngestReport(run_id)
    for path in paths:
        if not path.exists():
            report.sources.append(SourceReport(str(path), None, error="no such file or folder"))
            continue
        try:
            with opened(path) as (root, prefix):
                for unit in discover(root, format_name):
                    label = _label(unit, root, prefix)
                    if unit.reader is None:
                        report.sources.append(SourceReport(label, None, skipped=True))
                        continue
                    report.sources.append(
                        _read_unit(con, media, run_id, unit, label, options, progress)
                    )
        except InputError as error:
            report.sources.append(SourceReport(str(path), None, error=str(error)))
    return report


def _read_unit(
    con: duckdb.DuckDBPyConnection,
    media: MediaFolder,
    run_id: str,
    unit: Unit,
    label: str,
    options: ReadOptions,
    progress: Progress | None,
) -> SourceReport:
    assert unit.reader is not None
    reader = unit.reader
    report = SourceReport(label, reader.name)
    try:
        sha256, size = content_sha256(unit.path)
    except OSError as error:
        report.error = f"cannot read: {error.strerror or error}"
        return report
    source_id = record_id("source", sha256)
    begin_source(
        con,
        source_id=source_id,
        path=label,
        sha256=sha256,
        size=size,
        reader=reader.name,
        reader_version=reader.version,
        run_id=run_id,
    )
    writer = SourceWriter(con, source_id=source_id, source_path=label, run_id=run_id, media=media)
    reported = 0
    try:
        for record in reader.read(unit.path, options):
            writer.add(record)
            # Posts come one at a time or thousands at once (column batches): report by step.
            if progress is not None and writer.counts.read - reported >= _PROGRESS_EVERY:
                reported = writer.counts.read
                progress(label, reported)
    except (InputError, OSError, UnicodeError) as error:
        message = str(error) if isinstance(error, InputError) else f"{reader.name}: {error}"
        report.error = message
        # The whole file is unreadable: keep that fact in quarantine, so status shows it.
        writer.add(Reject("whole file", message))
    except BaseException:
        writer.abandon()  # the connection must be idle before anyone uses it again
        raise
    writer.close()
    finish_source(con, source_id, writer.counts)
    if progress is not None:
        progress(label, writer.counts.read)
    report.counts = writer.counts
    if report.error and writer.counts.read:
        # Some records went in before the failure: the file was read, partly.
        report.counts.notes.append(f"stopped early: {report.error}")
        report.error = None
    return report

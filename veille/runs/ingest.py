"""One ``veille ingest``: paths in, records written, a report out.

For each path: zips are extracted safely to a temporary folder, folders are walked, each unit is
read by its reader and written source by source. A unit that cannot be read at all is reported
and quarantined whole; the other units still go in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from veille.errors import InputError
from veille.ids import record_id
from veille.ingest.base import ReadOptions
from veille.ingest.files.archive import opened
from veille.ingest.files.discover import Unit, discover
from veille.ingest.files.hints import quarantine_hint
from veille.model import Record, Reject
from veille.store.media_files import MediaFolder
from veille.store.runs import begin_source, finish_source, quarantine_reasons
from veille.store.write import SourceCounts, SourceWriter

__all__ = [
    "QUARANTINE_LIMIT",
    "Fingerprint",
    "IngestResult",
    "Progress",
    "SourceResult",
    "changed_since",
    "fingerprint",
    "ingest_paths",
]

Progress = Callable[[str, int], None]  # (unit label, posts read so far)
_PROGRESS_EVERY = 2_000


# Past this share of a file's records in quarantine, the file is not "read": the command
# says so on stderr with a hint, and exits 3 (see README, exit codes).
QUARANTINE_LIMIT = 0.01


@dataclass
class SourceResult:
    """What happened to one file or export folder.

    Its ``status``: ``ok`` (every record read), ``partial`` (some quarantined, or the read
    stopped part-way: ``stopped`` says why), ``failed`` (nothing could be read, or the file
    changed while it was read: ``error`` says why) or ``skipped`` (no reader: ``why``).
    """

    path: str
    reader: str | None
    counts: SourceCounts = field(default_factory=SourceCounts)
    error: str | None = None
    skipped: bool = False
    why: str | None = None  # why a file was skipped
    stopped: str | None = None  # why the read stopped after some records went in
    hint: str | None = None  # what to try when much was quarantined

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        if self.error is not None:
            return "failed"
        if self.stopped or self.counts.quarantined:
            return "partial"
        return "ok"

    @property
    def quarantined_share(self) -> float:
        """Quarantined records over all the records met (read or quarantined)."""
        met = self.counts.read + self.counts.quarantined
        return self.counts.quarantined / met if met else 0.0

    @property
    def incomplete(self) -> bool:
        """Failed, stopped part-way, or more than ``QUARANTINE_LIMIT`` quarantined."""
        return (
            self.status == "failed"
            or self.stopped is not None
            or self.quarantined_share > QUARANTINE_LIMIT
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "reader": self.reader,
            "status": self.status,
            "error": self.error,
            "skipped": self.skipped,
            "why": self.why,
            "stopped": self.stopped,
            **self.counts.as_dict(),
            "quarantined_share": round(self.quarantined_share, 4),
            "hint": self.hint,
            "notes": self.counts.notes,
        }


@dataclass
class IngestResult:
    """What one ingest run did, file by file."""

    run_id: str
    sources: list[SourceResult] = field(default_factory=list)

    @property
    def read_anything(self) -> bool:
        return any(s.status in ("ok", "partial") for s in self.sources)

    @property
    def incomplete(self) -> list[SourceResult]:
        """Sources not read whole: failed, stopped, or past the quarantine limit."""
        return [s for s in self.sources if s.incomplete]

    def totals(self) -> dict[str, int]:
        keys = (
            "read", "new", "present", "repeated", "quarantined", "media_stored", "media_missing",
        )  # fmt: skip
        totals = dict.fromkeys(keys, 0)
        for source in self.sources:
            counts = source.counts.as_dict()
            for key in keys:
                totals[key] += counts[key]
        statuses = [s.status for s in self.sources]
        totals["files"] = statuses.count("ok") + statuses.count("partial")
        totals["partial"] = statuses.count("partial")
        totals["failed"] = statuses.count("failed")
        totals["skipped"] = statuses.count("skipped")
        return totals


@dataclass(frozen=True)
class Fingerprint:
    """What a source was when its read began: content hash, size, and each file's stat."""

    sha256: str
    size: int
    stats: tuple[tuple[str, int, int, int, int], ...]  # (name, size, mtime_ns, ctime_ns, inode)


def _files_of(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    # Links are not followed: what a folder links to lies outside what the user named.
    return sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _stats(path: Path, files: list[Path]) -> tuple[tuple[str, int, int, int, int], ...]:
    stats = []
    for file in files:
        info = file.stat()
        name = file.relative_to(path).as_posix() if file != path else ""
        stats.append((name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return tuple(stats)


def fingerprint(path: Path) -> Fingerprint:
    """sha256 and size of a file, or of a folder's files (relative names and contents)."""
    digest = hashlib.sha256()
    files = _files_of(path)
    stats = _stats(path, files)
    size = 0
    for file in files:
        if file != path:
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with file.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    return Fingerprint(digest.hexdigest(), size, stats)


def changed_since(path: Path, before: Fingerprint) -> str | None:
    """How ``path`` differs from ``before``, or None if it is as it was.

    A stat check (size, times, inode) rather than a second hash: the inode changes when a file
    is replaced and the change time when it is written, and neither can be set back by a user,
    so a file that passes is the file that was hashed. Only a changed one is hashed again.
    """
    try:
        if _stats(path, _files_of(path)) == before.stats:
            return None
        after = fingerprint(path)
    except OSError as error:
        return f"it can no longer be read ({error.strerror or error})"
    if after.sha256 == before.sha256:
        return None  # touched, not changed
    return f"its content changed while it was read ({before.size:,} bytes, now {after.size:,})"


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
) -> IngestResult:
    """Read every path into the case; never stops at a bad file."""
    report = IngestResult(run_id)
    for path in paths:
        if not path.exists():
            report.sources.append(SourceResult(str(path), None, error="no such file or folder"))
            continue
        try:
            with opened(path) as (root, prefix):
                for unit in discover(root, format_name):
                    label = _label(unit, root, prefix)
                    if unit.reader is None:
                        why = unit.why or "no reader recognises it"
                        report.sources.append(SourceResult(label, None, skipped=True, why=why))
                        continue
                    report.sources.append(
                        _read_unit(con, media, run_id, unit, label, options, progress)
                    )
        except InputError as error:
            report.sources.append(SourceResult(str(path), None, error=str(error)))
    return report


def _read_unit(
    con: duckdb.DuckDBPyConnection,
    media: MediaFolder,
    run_id: str,
    unit: Unit,
    label: str,
    options: ReadOptions,
    progress: Progress | None,
) -> SourceResult:
    assert unit.reader is not None
    reader = unit.reader
    report = SourceResult(label, reader.name)
    try:
        before = fingerprint(unit.path)
    except OSError as error:
        report.error = f"cannot read: {error.strerror or error}"
        return report
    source_id = record_id("source", before.sha256)
    begin_source(
        con,
        source_id=source_id,
        path=label,
        sha256=before.sha256,
        size=before.size,
        reader=reader.name,
        reader_version=reader.version,
        run_id=run_id,
    )
    writer = SourceWriter(con, source_id=source_id, source_path=label, run_id=run_id, media=media)
    writer.counts.notes.extend(unit.notes)  # what discover found: the export's attachments
    failure = None
    try:
        records = iter(reader.read(unit.path, options))
        failure = _read_records(records, writer, label, progress)
    except BaseException:
        writer.abandon()  # the connection must be idle before anyone uses it again
        raise
    if failure is not None:
        # Keep the fact in quarantine too, so `veille status` and `quarantine` show it.
        writer.add(
            Reject("whole file" if not writer.counts.read else "after the last record", failure)
        )
    writer.close()
    changed = changed_since(unit.path, before)
    if changed is not None:
        failure = report.error = (
            f"{changed}; the records read are kept, ingest the file again once it is complete"
        )
    elif failure is not None and not writer.counts.read:
        report.error = failure
    elif failure is not None:
        report.stopped = failure  # some records went in before it: the file was read, partly
    report.counts = writer.counts
    if report.quarantined_share > QUARANTINE_LIMIT:
        report.hint = quarantine_hint(quarantine_reasons(con, source_id, run_id))
    finish_source(con, source_id, writer.counts, "failed" if report.error else "done")
    if progress is not None:
        progress(label, writer.counts.read)
    return report


def _read_records(
    records: Iterator[Record], writer: SourceWriter, label: str, progress: Progress | None
) -> str | None:
    """Write what a reader yields; return why the read stopped early, if it did.

    A reader raises InputError for a file it cannot read; anything else it raises is a bug in
    veille, but one file must not stop the others: it fails that file as an "internal error".
    What the writer raises is the case's problem, not the file's, and stops the ingest.
    """
    reported = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            return None
        except InputError as error:
            return str(error)
        except (OSError, UnicodeError) as error:
            return f"cannot read: {error}"
        except Exception as error:  # a reader's bug fails its file, not the run
            return f"internal error: {type(error).__name__}: {error} (please report it)"
        writer.add(record)
        # Posts come one at a time or thousands at once (column batches): report by step.
        if progress is not None and writer.counts.read - reported >= _PROGRESS_EVERY:
            reported = writer.counts.read
            progress(label, reported)

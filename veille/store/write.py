"""Write the records of one source in transactional batches.

Each batch goes in one transaction that inserts only the ids not in the case yet
(``new_rows.py``), so a record already in the case is counted as present and not added again,
and a crash loses at most the batch in flight: the source stays marked ``started`` and reading
it again completes it.

A batch ends at ``BATCH_ROWS`` posts or ``BATCH_BYTES`` of text, whichever comes first: rows
alone do not bound memory, as 122,880 posts of 65,000 characters are 8 GB in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

import duckdb
import pyarrow as pa

from veille.ids import record_id
from veille.model import (
    BATCH_ROWS,
    Actor,
    Columns,
    Interaction,
    Media,
    Note,
    Post,
    Record,
    Reject,
)
from veille.store.actor_history import SIGHTINGS, sighting_columns, sighting_row
from veille.store.arrow_batches import (
    encoded,
    fitting,
    parts,
    str_or_none,
    text_bytes,
    value_at,
)
from veille.store.database import raise_memory_limit
from veille.store.media_files import MediaFolder
from veille.store.new_rows import NewRows
from veille.store.record_tables import RECORD_TABLES, record_schema

__all__ = ["BATCH_BYTES", "SourceCounts", "SourceWriter"]

# Bytes of text a batch holds at most, besides BATCH_ROWS: posts' text, raw, title and extra,
# and quarantined raw fragments, counted in UTF-8 as they arrive (Arrow's nbytes for column
# batches). With one batch written while the next fills, the writer holds about two of them,
# and DuckDB one transaction of that size, which must fit its memory limit during an ingest
# (128 MB at first, store/database.ingest_settings; a batch that does not fit is written again
# with more, see _write). A batch of
# 122,880 plain tweets is ~45 MB, of Telegram messages ~58 MB: such files still go in whole
# row groups (see model.BATCH_ROWS).
BATCH_BYTES = 64 << 20

_SCHEMAS = {table: record_schema(table) for table in RECORD_TABLES}
# Rows are tuples in their table's column order: the fields a record gives, by name, then what
# the writer adds, which the declarations put last (checked here, once).


def _record_fields(table: str, added: tuple[str, ...]) -> attrgetter[tuple[Any, ...]]:
    """What reads the columns of ``table`` before the ``added`` ones off a record."""
    names = _SCHEMAS[table].names
    if tuple(names[-len(added) :]) != added:
        raise RuntimeError(f"{table}'s declaration must end with {added}")
    return attrgetter(*names[: -len(added)])


_POST_FIELDS = _record_fields("posts", ("extra", "source_id", "locator", "file", "raw"))
_EDGE_FIELDS = _record_fields("interactions", ("source_id", "locator"))
_ACTOR_FIELDS = _record_fields("actors", ("source_id", "locator"))


@dataclass
class SourceCounts:
    """What reading one source did; ``read``/``new``/``present``/``repeated`` count posts.

    ``present`` posts were in the case before this ingest; ``repeated`` ones repeat the id of an
    earlier post of the same file read in the same ingest, and are kept once. Reading a file
    again, every id is in the case already: all its posts are present, none repeated.
    """

    read: int = 0
    new: int = 0
    repeated: int = 0
    quarantined: int = 0
    actors_new: int = 0
    interactions_new: int = 0
    media_stored: int = 0
    media_missing: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def present(self) -> int:
        return self.read - self.new - self.repeated

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "new": self.new,
            "present": self.present,
            "repeated": self.repeated,
            "quarantined": self.quarantined,
            "actors_new": self.actors_new,
            "interactions_new": self.interactions_new,
            "media_stored": self.media_stored,
            "media_missing": self.media_missing,
        }


class SourceWriter:
    """Buffers one source's records and writes them batch by batch."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        source_id: str,
        source_path: str,
        run_id: str,
        media: MediaFolder,
        batch_size: int = BATCH_ROWS,  # posts per transaction: see model.BATCH_ROWS
        batch_bytes: int | None = None,  # and bytes of text: BATCH_BYTES (read when called)
    ) -> None:
        self.con = con
        self.source_id = source_id
        self.source_path = source_path
        self.run_id = run_id
        self.media = media
        self.batch_size = batch_size
        self.batch_bytes = BATCH_BYTES if batch_bytes is None else batch_bytes
        self.counts = SourceCounts()
        # Rows by table, keyed by id: a record met twice in a batch is buffered once.
        self._rows: dict[str, dict[str, tuple[Any, ...]]] = {table: {} for table in _SCHEMAS}
        # Posts whose id came earlier in the batch: written too, so that NewRows counts them.
        self._repeats: list[tuple[Any, ...]] = []
        self._buffered = 0
        self._buffered_posts = 0
        self._buffered_bytes = 0  # text held, see BATCH_BYTES
        self.flushes = 0  # batches handed to the writing thread
        # Readers meet the same actor on every post; write each state once per source.
        self._actors_seen: set[str] = set()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="veille-writer")
        self._pending: Future[None] | None = None
        self._adders = {
            Post: self._add_post,
            Actor: self._add_actor,
            Interaction: self._add_interaction,
            Media: self._add_media,
            Reject: self._add_reject,
            Note: self._add_note,
            Columns: self._add_columns,
        }
        # Arrow tables built from Columns records, by table, waiting for the next flush.
        self._column_tables: dict[str, list[pa.Table]] = {table: [] for table in _SCHEMAS}
        self._new_rows: dict[str, NewRows] = {}  # by table, made by the writing thread

    def add(self, record: Record) -> None:
        """Buffer ``record``; write a batch when the buffer is full.

        The buffer is written when the next posts arrive, not as soon as it is full: a post's
        interactions and actors come beside it, so they go in the same transaction. A reader
        that knows where its batches end says so (``Columns.ends_batch``), and the batch is
        written at once, while the reader reads the next: waiting for the next posts would
        hold a whole batch back (1M CSV rows: 0.8 s and one batch of memory).
        """
        size = len(record) if isinstance(record, Columns) else 1
        posts = isinstance(record, Post) or (isinstance(record, Columns) and record.kind == "post")
        if posts and (
            self._buffered_posts >= self.batch_size or self._buffered_bytes >= self.batch_bytes
        ):
            self.flush()
        elif self._buffered >= 4 * self.batch_size or self._buffered_bytes >= 2 * self.batch_bytes:
            self.flush()  # a reader of few posts and many other records
        # Counted first: a column batch over BATCH_BYTES is written in parts as it is added.
        self._buffered += size
        if posts:
            self._buffered_posts += size
        self._adders[type(record)](record)  # type: ignore[operator]
        if isinstance(record, Columns) and record.ends_batch:
            self.flush()

    def _add_columns(self, columns: Columns) -> None:
        size = len(columns)
        values = columns.values
        given: dict[str, Any] = {"source_id": [self.source_id] * size}
        if columns.kind == "post":
            self.counts.read += size
            extras = values.get("extra")
            if isinstance(extras, list):  # Arrow columns carry it as JSON text already
                given["extra"] = [encoded(extra) for extra in extras]
            table = "posts"
        elif columns.kind == "actor":
            table = "actors"
            self._add_actor_names(columns.as_lists(("id", "name", "locator")), size)
            sightings, count = sighting_columns(values, size, self.source_id)
            self._column_tables[SIGHTINGS].extend(self._fit(SIGHTINGS, sightings, count))
        else:
            table = "interactions"
        nothing = pa.nulls(size)
        chosen = []
        for name in _SCHEMAS[table].names:
            column = given.get(name)
            if column is None:
                column = values.get(name)
            chosen.append(nothing if column is None else column)
        tables = self._fit(table, chosen, size)
        if table == "posts":
            self._add_post_tables(tables)
        else:
            self._column_tables[table].extend(tables)

    def _add_post_tables(self, tables: list[pa.Table]) -> None:
        """Buffer column batches of posts; one over ``batch_bytes`` is written in parts."""
        for table in tables:
            for number, part in enumerate(parts(table, self.batch_bytes)):
                if number:  # the parts before it are buffered: write them, then hold this one
                    self.flush()
                    self._buffered = self._buffered_posts = part.num_rows
                self._column_tables["posts"].append(part)
                self._buffered_bytes += part.nbytes

    def _add_actor_names(self, values: dict[str, Any], size: int) -> None:
        names = values.get("name") or [None] * size
        ids = values["id"]
        locators = values.get("locator") or [""] * size
        named = [i for i, name in enumerate(names) if name]
        named = [i for i in named if isinstance(names[i], str) and isinstance(ids[i], str)]
        if named:
            self._column_tables["actor_names"].extend(
                self._fit(
                    "actor_names",
                    [
                        [record_id("actor_name", ids[i], names[i]) for i in named],
                        [ids[i] for i in named],
                        [names[i] for i in named],
                        [self.source_id] * len(named),
                        [locators[i] for i in named],
                    ],
                    len(named),
                )
            )

    def _add_note(self, note: Note) -> None:
        self.counts.notes.append(note.text)

    def _add_post(self, post: Post) -> None:
        self.counts.read += 1
        prov = post.provenance
        extra = encoded(post.extra)
        self._buffered_bytes += (
            text_bytes(post.text)
            + text_bytes(prov.raw)
            + text_bytes(extra)
            + text_bytes(post.title)
        )
        row = (*_POST_FIELDS(post), extra, self.source_id, prov.locator, prov.file, prov.raw)
        rows = self._rows["posts"]
        if post.id in rows:  # kept too, after the first: NewRows keeps the first and counts it
            self._repeats.append(row)
        else:
            rows[post.id] = row

    def _add_actor(self, actor: Actor) -> None:
        sighting = sighting_row(actor, self.source_id)
        if sighting[0] in self._actors_seen:
            return
        self._actors_seen.add(sighting[0])
        self._rows[SIGHTINGS][sighting[0]] = sighting
        locator = actor.provenance.locator
        self._rows["actors"].setdefault(  # a later state of it: actors keeps the first
            actor.id, (*_ACTOR_FIELDS(actor), self.source_id, locator)
        )
        if actor.name and isinstance(actor.name, str) and isinstance(actor.id, str):
            name_id = record_id("actor_name", actor.id, actor.name)
            self._rows["actor_names"][name_id] = (
                name_id,
                actor.id,
                actor.name,
                self.source_id,
                locator,
            )

    def _add_interaction(self, edge: Interaction) -> None:
        self._rows["interactions"][edge.id] = (
            *_EDGE_FIELDS(edge),
            self.source_id,
            edge.provenance.locator,
        )

    def _add_media(self, media: Media) -> None:
        sha256: str | None = None
        size: int | None = None
        status = "missing"
        if media.file is not None:
            try:
                sha256, size = self.media.store(media.file)
                status = "stored"
            except OSError as error:
                self.counts.notes.append(f"{media.name}: cannot copy ({error.strerror}); missing")
        if status == "stored":
            self.counts.media_stored += 1
        else:
            self.counts.media_missing += 1
        self._rows["media"][media.id] = (
            media.id, media.post_id, media.name, status, sha256, size, media.mime,
            self.source_id, media.provenance.locator,
        )  # fmt: skip

    def _add_reject(self, reject: Reject) -> None:
        self.counts.quarantined += 1
        self._buffered_bytes += text_bytes(reject.raw)
        reject_id = record_id(
            "quarantine", self.source_id, reject.file, reject.locator, reject.reason
        )
        self._rows["quarantine"][reject_id] = (
            reject_id, self.source_id, self.source_path, str_or_none(reject.file),
            str(reject.locator), str(reject.reason), str_or_none(reject.raw), self.run_id,
        )  # fmt: skip

    def _fit(self, table: str, columns: Sequence[Sequence[Any]], size: int) -> list[pa.Table]:
        """``columns`` as Arrow tables; a row with a value its column cannot hold is quarantined.

        Readers should never produce one; when one does, it costs that record, not the batch.
        """
        tables, unfit = fitting(table, columns, size)
        names = _SCHEMAS[table].names
        where = {
            name: columns[names.index(name)] for name in ("locator", "raw", "file") if name in names
        }
        for row, why in unfit:
            found = {name: value_at(column, row) for name, column in where.items()}
            raw, file = found.get("raw"), found.get("file")
            if table == "posts":
                self.counts.read -= 1  # counted when it arrived; it is quarantined instead
            self._add_reject(
                Reject(
                    str(found.get("locator") or f"{table} record"),
                    why,
                    raw if isinstance(raw, str) else None,
                    file if isinstance(file, str) else None,
                )
            )
        return tables

    def flush(self) -> None:
        """Hand the buffered batch to the writing thread; it goes in as one transaction.

        Arrow tables are built here; the insert runs on a second thread (DuckDB releases the
        GIL), so the reader parses the next batch meanwhile. At most one batch is in flight,
        which keeps memory bounded by two batches whatever the file size.
        """
        tables = {}
        # In schema order, quarantine last: rows that do not fit the other tables go there.
        for table, rows in self._rows.items():
            parts = self._column_tables[table]
            values = list(rows.values())
            if table == "posts" and self._repeats:
                values.extend(self._repeats)
            if values:
                columns = list(zip(*values, strict=True))
                parts.extend(self._fit(table, columns, len(values)))
            if parts:
                tables[table] = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
        self._rows = {table: {} for table in _SCHEMAS}
        self._repeats = []
        self._column_tables = {table: [] for table in _SCHEMAS}
        self._buffered = self._buffered_posts = self._buffered_bytes = 0
        if tables:
            self.flushes += 1
        self.wait()
        read, quarantined = self.counts.read, self.counts.quarantined
        self._pending = self._thread.submit(self._write, tables, read, quarantined)

    def wait(self) -> None:
        """Block until the batch in flight is written; re-raise what went wrong there."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Write what is buffered, wait for it, and stop the writing thread."""
        try:
            self.flush()
            self.wait()
        finally:
            self._thread.shutdown(wait=True)
            self._forget_written()
        if self.counts.repeated:
            self.counts.notes.append(repeated_note(self.counts.repeated))

    def abandon(self) -> None:
        """Stop after a failure: wait for the batch in flight, drop what is buffered."""
        try:
            self.wait()
        finally:
            self._thread.shutdown(wait=True)
            self._forget_written()

    def _write(self, tables: dict[str, pa.Table], read: int, quarantined: int) -> None:
        # Runs on the writing thread, the only user of the connection while a batch is in flight.
        for table in tables.keys() - self._new_rows.keys():
            # Made before we write to the table; only posts' repeats are told to the user.
            self._new_rows[table] = NewRows(self.con, table, count_repeats=table == "posts")
        while True:
            repeated = {table: rows.repeated for table, rows in self._new_rows.items()}
            try:
                self._write_once(tables, read, quarantined)
                return
            except (duckdb.OutOfMemoryException, duckdb.TransactionException) as error:
                if not _out_of_memory(error):
                    raise
                # Rolled back: as if this batch had not been tried. Long texts need DuckDB to
                # hold more of a row group; give it more, once per step, or give up.
                for table, count in repeated.items():
                    self._new_rows[table].repeated = count
                raised = raise_memory_limit(self.con)
                if raised is None:
                    raise
                self.counts.notes.append(
                    f"DuckDB ran out of memory writing a batch (long texts): its limit for this "
                    f"ingest was raised to {raised} and the batch written again"
                )

    def _write_once(self, tables: dict[str, pa.Table], read: int, quarantined: int) -> None:
        new = self.counts.new
        self.con.execute("BEGIN TRANSACTION")
        try:
            # Uniqueness by the writer rather than a PRIMARY KEY: DuckDB's key index made bulk
            # inserts 2.5-3.5 times slower in bench/ingest.py, and degrades as the table grows.
            inserted = {
                table: self._new_rows[table].insert(batch) for table, batch in tables.items()
            }
            new += inserted.get("posts", 0)
            posts = self._new_rows.get("posts")
            repeated = posts.repeated if posts is not None else self.counts.repeated
            present = self.counts.read - new - repeated  # as SourceCounts.present
            self.con.execute(
                "UPDATE sources SET n_read = ?, n_new = ?, n_present = ?, n_quarantined = ? "
                "WHERE id = ?",
                [read, new, present, quarantined, self.source_id],
            )
            self.con.execute("COMMIT")
        except BaseException:
            # A failed COMMIT has ended the transaction already: keep its error, not ROLLBACK's.
            with suppress(duckdb.TransactionException):
                self.con.execute("ROLLBACK")
            raise
        # Counted once the batch is in: a batch tried again counts once.
        self.counts.new = new
        if "posts" in self._new_rows:
            self.counts.repeated = self._new_rows["posts"].repeated
        self.counts.actors_new += inserted.get("actors", 0)
        self.counts.interactions_new += inserted.get("interactions", 0)

    def _forget_written(self) -> None:
        # The hashes of what this writer wrote live in temporary tables: drop them at the end.
        for new_rows in self._new_rows.values():
            new_rows.close()
        self._new_rows.clear()


def _out_of_memory(error: duckdb.Error) -> bool:
    """DuckDB ran out of memory: raised as such, or as a failed commit that says so."""
    text = str(error)
    return isinstance(error, duckdb.OutOfMemoryException) or (
        "failed to pin block" in text or "Out of Memory" in text
    )


def repeated_note(repeated: int) -> str:
    """What to tell about the posts of a file that repeat an earlier post's id."""
    records = "1 record repeats" if repeated == 1 else f"{repeated:,} records repeat"
    kept = "was" if repeated == 1 else "were"
    return (
        f"{records} the id of an earlier record of this file and {kept} kept once "
        "(a post id column would tell them apart; see --map id=COLUMN)"
    )


def now_utc() -> datetime:
    """The current time, aware and UTC."""
    return datetime.now(UTC)

"""Write the records of one source in transactional batches.

Each batch goes in one transaction that inserts only the ids not in the case yet
(``new_rows.py``), so a record already in the case is counted as present and not added again,
and a crash loses at most the batch in flight: the source stays marked ``started`` and reading
it again completes it.

A batch ends at ``BATCH_ROWS`` posts or ``BATCH_BYTES`` of text, whichever comes first: rows
alone do not bound memory, as 122,880 posts of 65,000 characters are 8 GB in one batch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
from veille.store.actor_history import SIGHTING_SCHEMA, SIGHTINGS, sighting_columns, sighting_row
from veille.store.media_files import MediaFolder
from veille.store.new_rows import NewRows
from veille.store.text import without_lone_surrogates

__all__ = ["BATCH_BYTES", "SourceCounts", "SourceWriter"]

# Bytes of text a batch holds at most, besides BATCH_ROWS: posts' text, raw, title and extra,
# and quarantined raw fragments, counted in UTF-8 as they arrive (Arrow's nbytes for column
# batches). With one batch written while the next fills, the writer holds about two of them,
# and DuckDB one transaction of that size, which must fit its memory limit during an ingest
# (128 MB, store/database.ingest_settings) or the commit fails to pin a block. A batch of
# 122,880 plain tweets is ~45 MB, of Telegram messages ~58 MB: such files still go in whole
# row groups (see model.BATCH_ROWS).
BATCH_BYTES = 64 << 20

_TIME = pa.timestamp("us", tz="UTC")
# What pyarrow raises for a value that does not fit its column (ArrowInvalid and ArrowTypeError
# are ValueError and TypeError).
_UNFIT = (pa.ArrowException, TypeError, ValueError, OverflowError)
_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode
_SCHEMAS: dict[str, pa.Schema] = {
    "actors": pa.schema(
        [
            (name, pa.string())
            for name in (
                "id",
                "platform",
                "kind",
                "native_id",
                "handle",
                "name",
                "source_id",
                "locator",
            )
        ]
    ),
    "actor_names": pa.schema(
        [(name, pa.string()) for name in ("id", "actor_id", "name", "source_id", "locator")]
    ),
    SIGHTINGS: SIGHTING_SCHEMA,
    "posts": pa.schema(
        [
            *(
                (name, pa.string())
                for name in ("id", "platform", "kind", "native_id", "author_id", "chat_id")
            ),
            ("posted_at", _TIME),
            ("utc_offset_min", pa.int32()),
            *(
                (name, pa.string())
                for name in (
                    "text",
                    "title",
                    "url",
                    "reply_to_id",
                    "forwarded_from_id",
                    "quoted_id",
                )
            ),
            ("edited_at", _TIME),
            *(
                (name, pa.string())
                for name in (
                    "lang_hint",
                    "boilerplate",
                    "extra",
                    "source_id",
                    "locator",
                    "file",
                    "raw",
                )
            ),
        ]
    ),
    "interactions": pa.schema(
        [
            *(
                (name, pa.string())
                for name in (
                    "id",
                    "kind",
                    "source_actor_id",
                    "target_actor_id",
                    "post_id",
                    "platform",
                )
            ),
            ("occurred_at", _TIME),
            ("source_id", pa.string()),
            ("locator", pa.string()),
        ]
    ),
    "media": pa.schema(
        [
            *((name, pa.string()) for name in ("id", "post_id", "name", "status", "sha256")),
            ("size", pa.int64()),
            *((name, pa.string()) for name in ("mime", "source_id", "locator")),
        ]
    ),
    "quarantine": pa.schema(
        [
            (name, pa.string())
            for name in ("id", "source_id", "path", "file", "locator", "reason", "raw", "run_id")
        ]
    ),
}


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
                given["extra"] = [_encoded(extra) for extra in extras]
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
            for number, part in enumerate(_parts(table, self.batch_bytes)):
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
        extra = _encoded(post.extra)
        self._buffered_bytes += (
            _length(post.text) + _length(prov.raw) + _length(extra) + _length(post.title)
        )
        row = (
            post.id, post.platform, post.kind, post.native_id, post.author_id, post.chat_id,
            post.posted_at, post.utc_offset_min, post.text, post.title, post.url,
            post.reply_to_id, post.forwarded_from_id, post.quoted_id, post.edited_at,
            post.lang_hint, post.boilerplate, extra, self.source_id, prov.locator, prov.file,
            prov.raw,
        )  # fmt: skip
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
            actor.id,
            (actor.id, actor.platform, actor.kind, actor.native_id, actor.handle, actor.name,
             self.source_id, locator),
        )  # fmt: skip
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
            edge.id, edge.kind, edge.source_actor_id, edge.target_actor_id, edge.post_id,
            edge.platform, edge.occurred_at, self.source_id, edge.provenance.locator,
        )  # fmt: skip

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
        self._buffered_bytes += _length(reject.raw)
        reject_id = record_id(
            "quarantine", self.source_id, reject.file, reject.locator, reject.reason
        )
        self._rows["quarantine"][reject_id] = (
            reject_id, self.source_id, self.source_path, _str_or_none(reject.file),
            str(reject.locator), str(reject.reason), _str_or_none(reject.raw), self.run_id,
        )  # fmt: skip

    def _fit(self, table: str, columns: Sequence[Sequence[Any]], size: int) -> list[pa.Table]:
        """``columns`` as Arrow tables; a row with a value its column cannot hold is quarantined.

        Readers should never produce one; when one does, it costs that record, not the batch.
        """
        tables, unfit = _fitting(table, columns, size)
        names = _SCHEMAS[table].names
        where = {
            name: columns[names.index(name)] for name in ("locator", "raw", "file") if name in names
        }
        for row, why in unfit:
            found = {name: _value(column, row) for name, column in where.items()}
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
        self.con.execute("BEGIN TRANSACTION")
        try:
            # Uniqueness by the writer rather than a PRIMARY KEY: DuckDB's key index made bulk
            # inserts 2.5-3.5 times slower in bench/ingest.py, and degrades as the table grows.
            inserted = {
                table: self._new_rows[table].insert(batch) for table, batch in tables.items()
            }
            self.counts.new += inserted.get("posts", 0)
            if "posts" in self._new_rows:
                self.counts.repeated = self._new_rows["posts"].repeated
            self.counts.actors_new += inserted.get("actors", 0)
            self.counts.interactions_new += inserted.get("interactions", 0)
            self.con.execute(
                "UPDATE sources SET n_read = ?, n_new = ?, n_present = ?, n_quarantined = ? "
                "WHERE id = ?",
                [read, self.counts.new, self.counts.present, quarantined, self.source_id],
            )
            self.con.execute("COMMIT")
        except BaseException:
            # A failed COMMIT has ended the transaction already: keep its error, not ROLLBACK's.
            with suppress(duckdb.TransactionException):
                self.con.execute("ROLLBACK")
            raise

    def _forget_written(self) -> None:
        # The hashes of what this writer wrote live in temporary tables: drop them at the end.
        for new_rows in self._new_rows.values():
            new_rows.close()
        self._new_rows.clear()


def repeated_note(repeated: int) -> str:
    """What to tell about the posts of a file that repeat an earlier post's id."""
    records = "1 record repeats" if repeated == 1 else f"{repeated:,} records repeat"
    kept = "was" if repeated == 1 else "were"
    return (
        f"{records} the id of an earlier record of this file and {kept} kept once "
        "(a post id column would tell them apart; see --map id=COLUMN)"
    )


def _parts(table: pa.Table, budget: int) -> list[pa.Table]:
    """``table`` in slices of rows of about ``budget`` bytes each (zero-copy).

    A slice ends where the running size passes a multiple of ``budget``, so it holds at most
    ``budget`` plus its first row; a row of ``budget`` or more is a slice alone.
    """
    size = table.nbytes
    if size <= budget or table.num_rows <= 1:
        return [table]
    weights = np.zeros(table.num_rows, np.float64)
    for column in table.itercolumns():
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            weights += pc.binary_length(column).fill_null(0).to_numpy()
    # What the lengths leave out (offsets, times, validity) spread evenly.
    weights += max(0.0, size - float(weights.sum())) / table.num_rows
    big = np.flatnonzero(weights >= budget)
    cuts = np.flatnonzero(np.diff(np.cumsum(weights) // budget)) + 1
    starts = sorted({0, table.num_rows, *cuts.tolist(), *big.tolist(), *(big + 1).tolist()})
    return [table.slice(start, stop - start) for start, stop in pairwise(starts)]


def _arrow_table(table: str, columns: Sequence[Sequence[Any]]) -> pa.Table:
    """An Arrow table of ``table``'s schema from one sequence of values per column."""
    schema = _SCHEMAS[table]
    arrays = [_arrow_array(column, values) for column, values in zip(schema, columns, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _arrow_array(column: pa.Field, values: Sequence[Any]) -> pa.Array | pa.ChunkedArray:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        # Used as they are, chunks and all: combining copies, and text is most of a batch.
        return values if values.type == column.type else values.cast(column.type)
    if pa.types.is_timestamp(column.type):
        # Inferring then casting is ~6x faster than converting aware datetimes to a typed
        # array directly (pyarrow checks each value's zone on the typed path).
        return pa.array(values).cast(column.type)
    try:
        return pa.array(values, column.type)
    except UnicodeEncodeError:
        return pa.array(without_lone_surrogates(values), column.type)


def _fitting(
    table: str, columns: Sequence[Sequence[Any]], size: int
) -> tuple[list[pa.Table], list[tuple[int, str]]]:
    """Arrow tables of the rows that fit ``table``'s schema, and (row, why) for the others.

    The whole batch is tried first; only when it fails is it halved, and halved again, down to
    the rows that do not fit: a bad value costs its record, not the batch, and the search costs
    a few tables per bad row.
    """
    try:
        return [_arrow_table(table, columns)], []
    except _UNFIT as error:
        if size <= 1:
            return [], [(0, _why_unfit(table, columns, error))] if size else []
    half = size // 2
    tables, bad = _fitting(table, [_cut(c, 0, half) for c in columns], half)
    right, right_bad = _fitting(table, [_cut(c, half, size) for c in columns], size - half)
    return tables + right, bad + [(half + row, why) for row, why in right_bad]


def _why_unfit(table: str, row: Sequence[Sequence[Any]], error: BaseException) -> str:
    """Which field of a one-row ``row`` does not fit ``table``, as a reason for quarantine."""
    for column, values in zip(_SCHEMAS[table], row, strict=True):
        try:
            _arrow_array(column, values)
        except _UNFIT:
            value = _value(values, 0)
            shown = repr(value)
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            return (
                f"{table}: field {column.name!r} cannot hold {type(value).__name__} {shown} "
                "(a reader produced a value of the wrong type); record quarantined"
            )
    message = " ".join(str(error).split())[:200]
    return f"{table}: the record cannot be stored ({type(error).__name__}: {message}); quarantined"


def _cut(values: Sequence[Any], start: int, stop: int) -> Sequence[Any]:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        part: Sequence[Any] = values.slice(start, stop - start)
        return part
    return values[start:stop]


def _value(values: Sequence[Any], index: int) -> Any:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values[index].as_py()
    return values[index]


def _encoded(extra: Any) -> str | None:
    """``extra`` as JSON text; what the encoder refuses (nesting too deep) is kept as its repr."""
    if not extra:
        return None
    try:
        return _JSON(extra)
    except (ValueError, RecursionError):
        return _JSON({"unencodable": repr(extra)[:10_000]})


def _length(value: object) -> int:
    """A text field's size in UTF-8, as Arrow will hold it; 0 for None and a wrong-typed value.

    Arabic takes 2 bytes a character, emoji 4: counting characters let a batch of them reach
    twice the budget and more. ``isascii`` is a flag read, so only other texts are encoded.
    """
    if not isinstance(value, str):
        return 0
    return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))


def _str_or_none(value: object) -> str | None:
    return value if value is None or isinstance(value, str) else repr(value)


def now_utc() -> datetime:
    """The current time, aware and UTC."""
    return datetime.now(UTC)

"""Insert the rows of a batch whose id is not in the table yet, without reading the whole table.

Ids hash natural keys, so "already present" is a question about ids. Asking it by anti-joining
each batch with the whole table reads every id in the table, once per batch: one million CSV rows
read 4.4 million ids for posts alone, and an ingest got slower as its table grew. Here the
question is split by where a row came from:

- rows in the table before this writer's first batch (its *extent*, by rowid) are anti-joined
  as before, but only those: DuckDB skips the row groups past the extent, so a source new to
  an empty case reads nothing;
- rows this writer added are remembered by a 64-bit hash of their id in a temporary table
  (8 bytes a row; DuckDB spills it past its memory limit). A batch id whose hash is there is
  looked up exactly in the table, so a hash collision cannot drop a row.

Rowids of older rows only ever go down (a checkpoint may compact deleted rows), so every row is
covered by one of the two checks: an older row below the extent, one of ours in the hash table.

The same two checks say why a row was not inserted: its id was in the table before this writer
(*present*), or this writer met it earlier, in this batch or an earlier one (*repeated*: a file
holding the same record twice, or records that a mapping without their id column made alike).
Of the rows of one id, the first met is the one kept.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["NewRows"]


class NewRows:
    """Inserts into ``table`` the rows of each batch that are not in it yet; one per writer."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, table: str, *, count_repeats: bool = False
    ) -> None:
        # Called on the thread that writes, before its first batch, so nothing of ours is in yet.
        self.con = con
        self.table = table
        row = con.execute(f"SELECT coalesce(max(rowid) + 1, 0) FROM {table}").fetchone()
        self.extent = int(row[0]) if row else 0
        self.hashes = f"veille_written_{table}"
        con.execute(f"CREATE OR REPLACE TEMP TABLE {self.hashes} (h UBIGINT)")
        # Rows left out because this writer met their id before; counted when asked, as it
        # costs a look at the older rows for a batch with repeats (actors' states have many).
        self.count_repeats = count_repeats
        self.repeated = 0

    def insert(self, batch: pa.Table) -> int:
        """Insert the rows of ``batch`` whose id is new (one row per id); return how many.

        With ``count_repeats``, the rows left out whose id this writer met before (not those in
        the table before it) are added to ``repeated``.
        """
        con = self.con
        rows = batch.num_rows
        ids = batch.column("id")
        # A file may hold the same record twice (a duplicated CSV row): keep the first. Checked
        # first because finding the firsts costs a hash of the ids, and duplicates are rare.
        duplicated = pc.count_distinct(ids, mode="all").as_py() < rows
        if duplicated:
            batch = batch.take(pc.index_in(pc.unique(ids), value_set=ids))
        ours: pa.Table | None = None
        con.register("veille_batch", batch)
        try:
            # Each anti-join holds the batch in a hash table: only those that can remove rows.
            joins = []
            if self.extent:
                joins.append(
                    f"ANTI JOIN (SELECT id FROM {self.table} WHERE rowid < $extent) t "
                    "ON t.id = b.id"
                )
            ours = self._ours_again()
            if ours.num_rows:
                con.register("veille_ours_again", ours)
                joins.append("ANTI JOIN veille_ours_again o ON o.id = b.id")
            row = con.execute(
                f"INSERT INTO {self.table} BY NAME SELECT b.* FROM veille_batch b "
                + " ".join(joins),
                {"extent": self.extent} if self.extent else None,
            ).fetchone()
            con.execute(f"INSERT INTO {self.hashes} SELECT hash(id) FROM veille_batch")
        finally:
            con.unregister("veille_batch")
            if ours is not None and ours.num_rows:
                con.unregister("veille_ours_again")
        inserted = int(row[0]) if row else 0
        if self.count_repeats:
            # Without repeats in the batch, each row left out is present or ours, one row an id.
            present = self._present_rows(ids) if duplicated else rows - inserted - ours.num_rows
            self.repeated += rows - inserted - present
        return inserted

    def close(self) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {self.hashes}")

    def _ours_again(self) -> pa.Table:
        """Ids of the batch this writer has already inserted (read exactly, past the extent)."""
        con = self.con
        suspects = con.execute(
            f"SELECT DISTINCT b.id FROM veille_batch b SEMI JOIN {self.hashes} w "
            "ON w.h = hash(b.id)"
        ).to_arrow_table()
        if not suspects.num_rows:
            return suspects
        con.register("veille_suspects", suspects)
        try:
            return con.execute(
                f"SELECT id FROM {self.table} WHERE rowid >= $extent "
                "AND id IN (SELECT id FROM veille_suspects)",
                {"extent": self.extent},
            ).to_arrow_table()
        finally:
            con.unregister("veille_suspects")

    def _present_rows(self, ids: pa.Array | pa.ChunkedArray) -> int:
        """How many of ``ids`` (repeats included) were in the table before this writer."""
        if not self.extent:
            return 0
        con = self.con
        con.register("veille_batch_ids", pa.table({"id": ids}))
        try:
            row = con.execute(
                "SELECT count(*) FROM veille_batch_ids b SEMI JOIN "
                f"(SELECT id FROM {self.table} WHERE rowid < $extent) t ON t.id = b.id",
                {"extent": self.extent},
            ).fetchone()
        finally:
            con.unregister("veille_batch_ids")
        return int(row[0]) if row else 0

"""Batches of mapped table rows into posts, actors and interactions, a column at a time.

The same records as ``rows.RowBatcher`` gives row by row, for the bulk CSV path
(``csv_bulk.py``). The ids hash the same natural keys, computed by DuckDB's ``md5`` (which
``ids.record_id`` matches, see ``tests/unit/test_ids.py``). DuckDB runs here in memory as a
vectorised engine over one Arrow batch; the case store is not touched.

What stays in Python, because it must be exactly what the row path does: actor keys are
case-folded there (``identity.actor_id``), once per distinct key; mentions in text that is not
ASCII are found by ``edges.mentions_in`` (Python's ``\\w`` is Unicode, RE2's is not); times
that are not plain numeric ones are read by ``dates.DateParser`` (see ``column_dates.py``);
follower counts by ``counts.parse_count``, once per distinct cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from veille.ingest.base import MAX_RECORD_CHARS
from veille.ingest.common.dates import CachedParser, DateParser
from veille.ingest.common.edges import mentions_in
from veille.ingest.common.identity import actor_id
from veille.ingest.tabular.column_dates import parse_column
from veille.ingest.tabular.counts import parse_count
from veille.ingest.tabular.csv_bulk import RAW_KEPT, CsvBatch, too_long_reason
from veille.ingest.tabular.rows import STATES_KEPT
from veille.model import Columns, Record, Reject

if TYPE_CHECKING:
    import duckdb

__all__ = ["ColumnBatcher"]

_MAPPED = (
    "id", "author", "author_name", "author_id", "time", "text", "title", "url", "reply_to",
    "reply_to_id", "chat", "location", "description", "lang", "platform",
)  # fmt: skip
# edges._MENTION in RE2: the look-behind becomes a consumed character (RE2 has none), and word
# characters are ASCII ones. Both ways agree unless an "@" follows a non-ASCII character or a
# handle runs into one (Python's \w and \b are Unicode there): such texts go to mentions_in.
_ASCII_MENTION = r"(?:^|[^A-Za-z0-9_@])@([A-Za-z0-9_]{1,32})\b"
_UNICODE_NEIGHBOUR = r"[^\x00-\x7F]@|@[A-Za-z0-9_]+[^\x00-\x7F]"
_KEY_CACHE_LIMIT = 200_000
_TIME = pa.timestamp("us", tz="UTC")

# One narrow row per kept row, in the batch's order: platform resolved, keys, post id, and the
# @handles of the text (each once, in order). Wide columns (text, raw) stay in Arrow.
_ROWS_SQL = """
CREATE OR REPLACE TEMP TABLE veille_rows AS
SELECT line, locator, platform, author_name, reply_to, location, description, followers,
       posted_at,
       nullif(ltrim(author, '@'), '') AS handle,
       nullif(author_id, '') AS author_native,
       coalesce(nullif(ltrim(author, '@'), ''), nullif(author_id, '')) AS author_key,
       platform || chr(31) || author_key AS author_pk,
       CASE WHEN chat <> '' THEN platform || chr(31) || chat END AS chat_pk,
       chat,
       starts_with(text, 'RT @') AS is_retweet,
       left(md5(CASE WHEN id <> '' THEN concat_ws(chr(31), 'post', platform, id)
                     ELSE concat_ws(chr(31), 'post', platform, 'row',
                                    ltrim(author, '@'), time, text) END), 20) AS post_id,
       CASE WHEN reply_to_id <> ''
            THEN left(md5(concat_ws(chr(31), 'post', platform, reply_to_id)), 20) END
           AS reply_to_post,
       list_filter(found, lambda h, i: list_position(found, h) = i) AS handles
FROM (SELECT *, coalesce(nullif(platform_column, ''), $platform) AS platform,
             CASE WHEN has_author AND contains(text, '@') AND NOT unicode_neighbour
                  THEN regexp_extract_all(text, $mention, 1) END AS found
      FROM veille_batch)
"""

# Accounts a row points at, in the order the row path meets them: the account replied to, then
# the @handles of the text (the first of a retweet being the retweeted account).
_TARGETS_SQL = """
CREATE OR REPLACE TEMP TABLE veille_targets AS
WITH found AS (
    SELECT line, platform, is_retweet, unnest(handles) AS target_key,
           unnest(range(len(handles))) AS position
    FROM veille_rows WHERE handles IS NOT NULL
    UNION ALL
    SELECT m.line, r.platform, r.is_retweet, m.handle, m.position
    FROM veille_python_mentions m JOIN veille_rows r USING (line)
)
SELECT line, position, platform, target_key, platform || chr(31) || target_key AS target_pk,
       CASE WHEN position = 0 AND is_retweet THEN 'retweet' ELSE 'mention' END AS kind
FROM found
UNION ALL
SELECT line, -1, platform, ltrim(reply_to, '@'), platform || chr(31) || ltrim(reply_to, '@'),
       'reply'
FROM veille_rows WHERE author_key IS NOT NULL AND reply_to <> ''
"""

# Actor keys carry their platform ("twitter\x1fabu_1"): a join on one column, because joins on
# (platform, key) let DuckDB infer platform = platform between two lookups and cross them.
_KEYS_SQL = """
SELECT DISTINCT author_pk AS pk, platform, author_key AS key FROM veille_rows
WHERE author_key IS NOT NULL
UNION
SELECT DISTINCT chat_pk, platform, chat FROM veille_rows WHERE chat_pk IS NOT NULL
UNION
SELECT DISTINCT target_pk, platform, target_key FROM veille_targets
"""

# The computed fields of posts. No ORDER BY: a scan keeps insertion order (DuckDB's default
# preserve_insertion_order), and the result is checked against the batch's lines.
_POSTS_SQL = """
SELECT line, post_id AS id, platform, author_pk, chat_pk, reply_to_post AS reply_to_id,
       CASE WHEN location <> '' THEN '{"location": ' || to_json(location) || '}' END AS extra,
       locator
FROM veille_rows
"""

_EDGES_SQL = """
SELECT left(md5(concat_ws(chr(31), 'interaction', t.kind, r.post_id, a.actor_id, k.actor_id)),
            20) AS id,
       t.kind, a.actor_id AS source_actor_id, k.actor_id AS target_actor_id,
       r.post_id, r.platform, r.locator, r.line
FROM veille_targets t
JOIN veille_rows r USING (line)
JOIN veille_keys a ON a.pk = r.author_pk
JOIN veille_keys k ON k.pk = t.target_pk
"""

# Each state of each actor once per file (handle, name, profile), from its first sighting in
# the row path's order (a row's author, then the account it replies to, then its mentions);
# states met in earlier batches are left out. A sighting's place is one BIGINT, line * 2^24 +
# position + 2 (a struct's min cost 2.5 times more; positions past 2^24, a record of 16M
# mentions, tie on their line). States are grouped while the columns are narrow, before any
# join: most rows repeat their author's state.
_STATE = ("native_id", "handle", "name", "description", "location", "followers")
_STATE_COLUMNS = ", ".join(_STATE)
_ACTORS_SQL = f"""
WITH authors AS (
    SELECT author_pk, platform, author_native AS native_id, handle,
           nullif(author_name, '') AS name, nullif(description, '') AS description,
           nullif(location, '') AS location, followers, min(line) * 16777216 AS first
    FROM veille_rows WHERE author_pk IS NOT NULL GROUP BY ALL
), targets AS (
    SELECT target_pk, platform, target_key AS handle,
           min(line * 16777216 + least(position + 2, 16777215)) AS first
    FROM veille_targets GROUP BY ALL
), states AS (
    SELECT a.actor_id, x.platform, x.native_id, x.handle, x.name, x.description, x.location,
           x.followers, x.first
    FROM authors x JOIN veille_keys a ON a.pk = x.author_pk
    UNION ALL
    SELECT k.actor_id, t.platform, NULL, t.handle, NULL, NULL, NULL, NULL::BIGINT, t.first
    FROM targets t JOIN veille_keys k ON k.pk = t.target_pk
), firsts AS (
    SELECT actor_id, platform, {_STATE_COLUMNS}, min(first) AS first FROM states GROUP BY ALL
)
SELECT f.actor_id AS id, f.platform, 'account' AS kind,
       {", ".join(f"f.{name}" for name in _STATE)}, r.posted_at AS seen_at, r.locator
FROM firsts f JOIN veille_rows r ON r.line = f.first // 16777216
-- Joined on a hash of the state, then compared exactly: a collision cannot drop a state.
ANTI JOIN veille_states_met m ON m.h = hash(f.actor_id, {", ".join(f"f.{n}" for n in _STATE)})
    AND m.actor_id = f.actor_id
    {" ".join(f"AND m.{name} IS NOT DISTINCT FROM f.{name}" for name in _STATE)}
ORDER BY f.first  -- the row path's order, so both keep the same first state of an actor
"""
_STATES_MET = f"""
INSERT INTO veille_states_met
SELECT hash(id, {_STATE_COLUMNS}), id, {_STATE_COLUMNS} FROM veille_new_actors
"""


class ColumnBatcher:
    """Turns batches of mapped columns (field -> Arrow strings) into records."""

    def __init__(
        self, platform: str, parser: DateParser, zone: tzinfo, max_chars: int = MAX_RECORD_CHARS
    ) -> None:
        self.platform = platform
        self.max_chars = max_chars
        self._dates = CachedParser(parser, zone)
        import duckdb  # here, not at import: readers leave the database alone until they run

        # One thread: the writer's DuckDB works on the other core (store.database).
        self._con = duckdb.connect(config={"threads": 1})
        self._con.execute(
            "CREATE TEMP TABLE veille_states_met (h UBIGINT, actor_id VARCHAR, native_id VARCHAR, "
            "handle VARCHAR, name VARCHAR, description VARCHAR, location VARCHAR, "
            "followers BIGINT)"
        )
        self._states_met = 0
        self._actor_ids: dict[str, str] = {}

    def close(self) -> None:
        self._con.close()

    def read(self, batch: CsvBatch) -> Iterator[Record]:
        """Records of one batch of rows.

        Rows whose time cannot be read come out as Rejects, as in the row path.
        """
        fields, raw = batch.fields, batch.raw
        size = len(raw)
        empty = pa.nulls(size, pa.string()).fill_null("")
        columns = {name: fields.get(name, empty) for name in _MAPPED}
        columns["platform_column"] = columns.pop("platform")
        columns["line"] = batch.lines
        columns["locator"] = batch.locators
        columns["raw"] = raw
        columns["posted_at"] = pa.nulls(size, _TIME)
        columns["followers"] = _counts(fields.get("followers"), size)
        columns["utc_offset_min"] = pa.nulls(size, pa.int32())
        lengths = pc.utf8_length(raw)
        too_long = pc.greater(lengths, self.max_chars)
        for index in pc.indices_nonzero(too_long).to_pylist():
            locator = batch.locators[index].as_py()
            reason = too_long_reason(lengths[index].as_py(), self.max_chars)
            yield Reject(locator, reason, raw[index].as_py()[:RAW_KEPT])
        keep = pc.invert(too_long)
        if "time" in fields:
            parsed = parse_column(self._con, self._dates, fields["time"])
            columns["posted_at"], columns["utc_offset_min"] = parsed.times, parsed.offsets
            failed = pc.and_(pc.is_valid(parsed.errors), keep)
            for index in pc.indices_nonzero(failed).to_pylist():
                locator = batch.locators[index].as_py()
                yield Reject(locator, parsed.errors[index].as_py(), raw[index].as_py())
            keep = pc.and_(keep, pc.invert(failed))
        columns["unicode_neighbour"] = pc.match_substring_regex(columns["text"], _UNICODE_NEIGHBOUR)
        columns["has_author"] = pc.or_(
            pc.not_equal(pc.utf8_ltrim(columns["author"], "@"), ""),
            pc.not_equal(columns["author_id"], ""),
        )
        table = pa.table(columns)
        if not pc.all(keep).as_py():
            table = table.filter(keep)  # a copy of the batch: only when some rows were rejected
        if table.num_rows:
            yield from self._records(table)

    def _records(self, table: pa.Table) -> Iterator[Columns]:
        con = self._con
        con.register("veille_batch", table)
        con.register("veille_python_mentions", _python_mentions(table))
        try:
            con.execute(_ROWS_SQL, {"platform": self.platform, "mention": _ASCII_MENTION})
            con.execute(_TARGETS_SQL)
            keys_table = self._key_ids(con.execute(_KEYS_SQL).to_arrow_table())
            con.register("veille_keys", keys_table)
            actors = con.execute(_ACTORS_SQL).to_arrow_table()
            posts = con.execute(_POSTS_SQL).to_arrow_table()
            edges = con.execute(_EDGES_SQL).to_arrow_table()
            con.register("veille_new_actors", actors)
            self._remember(con, actors.num_rows)
        finally:
            for name in ("veille_batch", "veille_python_mentions", "veille_keys"):
                con.unregister(name)
            con.unregister("veille_new_actors")
        if actors.num_rows:
            yield Columns("actor", _columns_of(actors))
        if not posts.column("line").equals(table.column("line")):
            raise RuntimeError("DuckDB returned the batch's rows out of order")  # never silently
        ids = keys_table.column("actor_id")
        post_values = _columns_of(posts.drop_columns(["line", "author_pk", "chat_pk"]))
        post_values.update(
            author_id=pc.take(ids, pc.index_in(posts.column("author_pk"), keys_table.column("pk"))),
            chat_id=pc.take(ids, pc.index_in(posts.column("chat_pk"), keys_table.column("pk"))),
            native_id=_none_if_empty(table.column("id")),
            posted_at=table.column("posted_at"),
            utc_offset_min=table.column("utc_offset_min"),
            text=table.column("text"),
            title=_none_if_empty(table.column("title")),
            url=_none_if_empty(table.column("url")),
            lang_hint=_none_if_empty(table.column("lang")),
            raw=table.column("raw"),
            kind=pa.nulls(table.num_rows, pa.string()).fill_null("post"),
        )
        if not edges.num_rows:
            yield Columns("post", post_values, ends_batch=True)
            return
        yield Columns("post", post_values)
        rows = pc.index_in(edges.column("line"), value_set=table.column("line"))
        edge_values = _columns_of(edges.drop_columns(["line"]))
        edge_values["occurred_at"] = pc.take(table.column("posted_at"), rows)
        yield Columns("interaction", edge_values, ends_batch=True)

    def _remember(self, con: duckdb.DuckDBPyConnection, states: int) -> None:
        """Add the batch's new states to those met (all of them forgotten past STATES_KEPT)."""
        if self._states_met + states > STATES_KEPT:
            con.execute("DELETE FROM veille_states_met")
            self._states_met = 0
        con.execute(_STATES_MET)
        self._states_met += states

    def _key_ids(self, keys: pa.Table) -> pa.Table:
        """(pk, actor_id) with ids from ``identity.actor_id``, once per key."""
        known = self._actor_ids
        if len(known) > _KEY_CACHE_LIMIT:
            known.clear()
        ids = []
        for pk, platform, key in zip(*(keys.column(i).to_pylist() for i in range(3)), strict=True):
            identifier = known.get(pk)
            if identifier is None:
                identifier = known[pk] = actor_id(platform, key)
            ids.append(identifier)
        return pa.table({"pk": keys.column("pk"), "actor_id": pa.array(ids, pa.string())})


def _counts(column: pa.ChunkedArray | None, size: int) -> pa.Array:
    """Follower counts of a column, each distinct cell read once by ``parse_count``."""
    if column is None:
        return pa.nulls(size, pa.int64())
    distinct = pc.unique(column)
    counts = pa.array([parse_count(cell) for cell in distinct.to_pylist()], pa.int64())
    taken: pa.Array = pc.take(counts, pc.index_in(column, value_set=distinct))
    return taken


def _columns_of(table: pa.Table) -> dict[str, pa.ChunkedArray]:
    return {name: table.column(name) for name in table.column_names}


def _none_if_empty(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The row path writes ``row.get(field) or None``: an empty cell is no value."""
    return pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)


def _python_mentions(table: pa.Table) -> pa.Table:
    """(line, handle, position) of the mentions where Unicode decides what a handle is."""
    lines: list[int] = []
    handles: list[str] = []
    positions: list[int] = []
    wanted = pc.and_(table.column("has_author"), table.column("unicode_neighbour"))
    chosen = table.filter(wanted)
    for line, text in zip(
        chosen.column("line").to_pylist(), chosen.column("text").to_pylist(), strict=True
    ):
        for position, handle in enumerate(mentions_in(text)):
            lines.append(line)
            handles.append(handle)
            positions.append(position)
    return pa.table(
        {
            "line": pa.array(lines, pa.int64()),
            "handle": pa.array(handles, pa.string()),
            "position": pa.array(positions, pa.int64()),
        }
    )

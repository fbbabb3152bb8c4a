"""The full-text index over posts: DuckDB's ``fts`` extension, loaded from its wheel (offline).

``veille index CASE`` builds it; an ingest that adds posts rebuilds it when it exists, so it
never lags the case. One index serves every language: no stemmer and no stop words (a French
stemmer would mangle Arabic and English), lower case, accents stripped (``etat`` finds
``État``), and words split on anything that is not a letter or a digit in any script (the
extension's default keeps only ``a-z`` and would index no Arabic or Cyrillic at all).

Searching does not call the extension's ``match_bm25`` macro, which scores every post of the
case (1.4 s for one word over 10^6 posts): ``post_search`` reads ``hits``, the index's (word,
post, count, length) rows sorted by word, so a query touches only the row groups of its own
words (5 ms for a rare word over 10^6 posts), and scores the matches with the same BM25.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb

from veille.errors import StoreError

__all__ = [
    "INDEX_SCHEMA",
    "LOOKUPS",
    "IndexState",
    "build_index",
    "build_lookups",
    "drop_lookups",
    "index_state",
    "load_fts",
    "query_words",
    "word_weights",
]

INDEX_SCHEMA = "fts_main_posts"  # the name the extension gives the index of table `posts`
# Anything that is not a letter or a digit, in any script, separates words.
WORD_SEPARATORS = r"[^\p{L}\p{N}]+"
# ART indexes for the pages' look-ups by id, author, chat and post (name, table, column): a
# post or an account page at 10^6 posts went from 56 ms to 3 ms a query. On hold: after a
# process died inside an index build, a 10^6-post case reopened with DuckDB 1.5.5's "INTERNAL
# Error: ExtractIndexStorageInfo: index storage info with name 'veille_posts_author' not
# found" and could not be opened again. Until that is understood, none is created; an ingest
# still drops any a case holds.
CREATE_LOOKUPS = False
LOOKUPS = (
    ("veille_posts_id", "posts", "id"),
    ("veille_posts_author", "posts", "author_id"),
    ("veille_posts_chat", "posts", "chat_id"),
    ("veille_posts_reply", "posts", "reply_to_id"),
    ("veille_posts_quote", "posts", "quoted_id"),
    ("veille_interactions_source", "interactions", "source_actor_id"),
    ("veille_interactions_target", "interactions", "target_actor_id"),
    ("veille_interactions_post", "interactions", "post_id"),
    ("veille_places_post", "post_places", "post_id"),
    ("veille_entities_post", "post_entities", "post_id"),
    ("veille_links_post", "post_links", "post_id"),
    ("veille_languages_post", "post_languages", "post_id"),
    ("veille_media_post", "media", "post_id"),
    ("veille_actors_id", "actors", "id"),
    ("veille_sightings_actor", "actor_sightings", "actor_id"),
)


@dataclass(frozen=True, slots=True)
class IndexState:
    exists: bool
    indexed: int  # posts in the index
    posts: int  # posts in the case

    @property
    def stale(self) -> bool:
        return self.exists and self.indexed != self.posts


def _extension_path() -> Path:
    import duckdb_extension_fts  # type: ignore[import-untyped]

    folder = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(folder.glob(f"v{duckdb.__version__}/fts.duckdb_extension"))
    if not found:
        raise StoreError(
            f"no full-text extension for DuckDB {duckdb.__version__} in {folder}; "
            "reinstall veille (it pins the DuckDB version the extension is built for)"
        )
    return found[0]


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the extension from the installed wheel: nothing is fetched."""
    con.execute(f"LOAD '{_extension_path()}'")


def index_state(con: duckdb.DuckDBPyConnection) -> IndexState:
    row = con.execute("SELECT count(*) FROM posts").fetchone()
    posts = int(row[0]) if row else 0
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'hits'",
        [INDEX_SCHEMA],
    ).fetchone()
    if not found or not found[0]:
        return IndexState(False, 0, posts)
    row = con.execute(f"SELECT num_docs FROM {INDEX_SCHEMA}.stats").fetchone()
    return IndexState(True, int(row[0]) if row else 0, posts)


def drop_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the lookup indexes before a bulk write: DuckDB keeps an ART index up to date row
    by row, which made inserting 200,000 posts 4.7x slower; ``build_index`` puts them back."""
    for name, _, _ in LOOKUPS:
        con.execute(f"DROP INDEX IF EXISTS {name}")


def build_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the lookup indexes (none while ``CREATE_LOOKUPS`` is off)."""
    if not CREATE_LOOKUPS:
        return
    for name, table, column in LOOKUPS:
        con.execute(f"DROP INDEX IF EXISTS {name}")
        con.execute(f"CREATE INDEX {name} ON {table} ({column})")


def build_index(con: duckdb.DuckDBPyConnection) -> int:
    """Build (or rebuild) the index over every post's text and title, and the lookup indexes
    the workbench's pages use; returns the posts indexed."""
    load_fts(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "PRAGMA create_fts_index('posts', 'id', 'text', 'title', stemmer = 'none', "
            "stopwords = 'none', strip_accents = 1, lower = 1, "
            f"ignore = '{WORD_SEPARATORS}', overwrite = 1)"
        )
        # One row per (word, post), sorted by word: a query reads only the row groups that
        # hold its words, and needs no join to name the post or to know its length.
        con.execute(
            f"CREATE OR REPLACE TABLE {INDEX_SCHEMA}.hits AS "
            f"SELECT t.termid, d.name AS post_id, CAST(count(*) AS INTEGER) AS tf, "
            f"CAST(any_value(d.len) AS INTEGER) AS len "
            f"FROM {INDEX_SCHEMA}.terms t JOIN {INDEX_SCHEMA}.docs d USING (docid) "
            "GROUP BY ALL ORDER BY t.termid, post_id"
        )
        build_lookups(con)
        con.execute("COMMIT")
    except duckdb.Error as error:
        con.execute("ROLLBACK")
        raise StoreError(f"cannot build the search index: {error}") from error
    return index_state(con).indexed


def query_words(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """The words of ``query`` as the index holds them (lower case, no accents), in order."""
    row = con.execute(
        "SELECT regexp_split_to_array(lower(strip_accents(?)), ?)", [query, WORD_SEPARATORS]
    ).fetchone()
    words: list[str] = [] if row is None else [w for w in row[0] if w]
    return list(dict.fromkeys(words))


def word_weights(con: duckdb.DuckDBPyConnection, words: list[str]) -> dict[int, float] | None:
    """Each word's term id and BM25 weight (its inverse document frequency); None when a word
    is in no post, so no post can hold them all."""
    rows = con.execute(
        f"SELECT termid, df, st.num_docs FROM {INDEX_SCHEMA}.dict "
        f"CROSS JOIN {INDEX_SCHEMA}.stats st WHERE list_contains(?, term)",
        [words],
    ).fetchall()
    if len(rows) < len(words):
        return None
    return {
        int(termid): math.log((total - df + 0.5) / (df + 0.5) + 1) for termid, df, total in rows
    }

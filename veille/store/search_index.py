"""The full-text index over posts: DuckDB's ``fts`` extension, loaded from its wheel (offline).

``veille index CASE`` builds it; an ingest that adds posts rebuilds it when it exists, so it
never lags the case. One index serves every language: no stemmer and no stop words (a French
stemmer would mangle Arabic and English), lower case, accents stripped (``etat`` finds
``État``), and words split on anything that is not a letter or a digit in any script (the
extension's default keeps only ``a-z`` and would index no Arabic or Cyrillic at all).

Searching does not call the extension's ``match_bm25`` macro, which scores every post of the
case (1.4 s for one word over 10^6 posts): ``search_hits`` reads a copy of the index's
(term, post) pairs sorted by term, so a query touches only the row groups of its own words
(35 ms for a rare word over 10^6 posts), and scores the matches with the same BM25.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from veille.errors import StoreError

__all__ = [
    "INDEX_SCHEMA",
    "IndexState",
    "build_index",
    "index_state",
    "load_fts",
    "query_words",
]

INDEX_SCHEMA = "fts_main_posts"  # the name the extension gives the index of table `posts`
# Anything that is not a letter or a digit, in any script, separates words.
WORD_SEPARATORS = r"[^\p{L}\p{N}]+"


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
    exists = bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'by_term'",
            [INDEX_SCHEMA],
        ).fetchone()[0]  # type: ignore[index]
    )
    if not exists:
        return IndexState(False, 0, posts)
    row = con.execute(f"SELECT num_docs FROM {INDEX_SCHEMA}.stats").fetchone()
    return IndexState(True, int(row[0]) if row else 0, posts)


def build_index(con: duckdb.DuckDBPyConnection) -> int:
    """Build (or rebuild) the index over every post's text and title; returns the posts indexed."""
    load_fts(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "PRAGMA create_fts_index('posts', 'id', 'text', 'title', stemmer = 'none', "
            "stopwords = 'none', strip_accents = 1, lower = 1, "
            f"ignore = '{WORD_SEPARATORS}', overwrite = 1)"
        )
        # Sorted by term: a query reads only the row groups that hold its words.
        con.execute(
            f"CREATE OR REPLACE TABLE {INDEX_SCHEMA}.by_term AS "
            f"SELECT termid, docid, count(*) AS tf FROM {INDEX_SCHEMA}.terms "
            "GROUP BY ALL ORDER BY termid, docid"
        )
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

"""Full-text search: every script, all the words, filters, and the index kept in step."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veille.case import Case
from veille.store.database import open_database
from veille.store.post_search import SearchFilters, matching_posts, search_posts, search_timeline
from veille.store.search_index import build_index, index_state, query_words

TEXTS = {
    "p1": "Daech a frappé Mossoul hier, selon l'État islamique",
    "p2": "الدولة الإسلامية تعلن السيطرة في الموصل",
    "p3": "ISIS claims attack in Mosul #mosul",
    "p4": "Мосул под контролем",
    "p5": "Nothing to see in Raqqa today",
}


def _insert(con: duckdb.DuckDBPyConnection, texts: dict[str, str]) -> None:
    for number, (post_id, text) in enumerate(texts.items()):
        con.execute(
            "INSERT INTO posts (id, platform, kind, author_id, posted_at, text, source_id, "
            "locator) VALUES (?, 'telegram', 'message', ?, ?, ?, 's', ?)",
            [
                post_id,
                f"author{number % 2}",
                f"2016-11-{1 + number:02d} 10:00:00+00",
                text,
                f"line {number}",
            ],
        )


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(Path(":memory:"))
    _insert(connection, TEXTS)
    build_index(connection)
    yield connection
    connection.close()


def _ids(con: duckdb.DuckDBPyConnection, words: str, **filters: object) -> set[str]:
    page = search_posts(con, SearchFilters(words=words, **filters), limit=100)  # type: ignore[arg-type]
    return {row["id"] for row in page.rows}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("mossoul", {"p1"}),
        ("الموصل", {"p2"}),
        ("МОСУЛ", {"p4"}),  # case folded in Cyrillic too
        ("etat", {"p1"}),  # accents stripped: État
        ("#mosul", {"p3"}),  # the # is not part of the word
        ("mosul", {"p3"}),
        ("mosul claims", {"p3"}),  # every word must be there
        ("mosul raqqa", set()),
        ("", set(TEXTS)),  # no words: every post the filters keep
    ],
)
def test_words_are_found_in_every_script(
    con: duckdb.DuckDBPyConnection, words: str, expected: set[str]
) -> None:
    assert _ids(con, words) == expected


def test_filters_narrow_with_or_without_words(con: duckdb.DuckDBPyConnection) -> None:
    assert _ids(con, "", account="author0") == {"p1", "p3", "p5"}
    assert _ids(con, "mosul", account="author1") == set()
    assert _ids(con, "", since=date(2016, 11, 2), until=date(2016, 11, 3)) == {"p2", "p3"}
    assert _ids(con, "", platform="twitter") == set()


def test_rank_by_relevance_then_time(con: duckdb.DuckDBPyConnection) -> None:
    newest = search_posts(con, SearchFilters(sort="newest"), limit=2)
    assert [row["id"] for row in newest.rows] == ["p5", "p4"]
    assert newest.total == 5
    oldest = search_posts(con, SearchFilters(sort="oldest"), limit=2, offset=1)
    assert [row["id"] for row in oldest.rows] == ["p2", "p3"]


def test_timeline_and_export_agree_with_the_page(con: duckdb.DuckDBPyConnection) -> None:
    filters = SearchFilters(words="mosul")
    assert sum(n for _, n in search_timeline(con, filters)) == 1
    exported = matching_posts(con, filters)
    assert exported.column("id").to_pylist() == ["p3"]
    assert exported.column("locator").to_pylist() == ["line 2"]


def test_without_an_index_a_scan_gives_the_same_posts() -> None:
    connection = open_database(Path(":memory:"))
    _insert(connection, TEXTS)
    page = search_posts(connection, SearchFilters(words="Mossoul"))
    assert page.index_missing
    assert {row["id"] for row in page.rows} == {"p1"}
    connection.close()


def test_a_stale_index_says_so(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, {"p9": "late post about Mosul"})
    assert index_state(con).stale
    build_index(con)
    assert not index_state(con).stale
    assert _ids(con, "mosul") == {"p3", "p9"}


def test_an_ingest_keeps_a_built_index_in_step(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"user": "x", "created_at": "2020-01-01T00:00:00Z", "text": "hello Mosul"}\n')
    second.write_text(
        '{"user": "y", "created_at": "2020-01-02T00:00:00Z", "text": "Mosul again"}\n'
    )
    with Case.init(tmp_path / "case") as case:
        case.ingest([first])
        assert not index_state(case.con).exists  # nobody asked for one
        assert case.index() == 1
        case.ingest([second])
        state = index_state(case.con)
        assert (state.indexed, state.stale) == (2, False)
        runs = case.con.execute("SELECT count(*) FROM runs WHERE kind = 'index'").fetchone()
        assert runs == (2,)


# Words from several scripts, with and without accents: the index and a plain fold-and-compare
# must find the same posts for any word.
_WORDS = ["mosul", "Mossoul", "MOSSOUL", "état", "etat", "الموصل", "داعش", "Мосул", "ракка", "x1"]


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(
        st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6).map(" ".join),
        min_size=1,
        max_size=8,
    ),
    query=st.sampled_from(_WORDS),
)
def test_the_index_finds_exactly_the_posts_holding_the_word(texts: list[str], query: str) -> None:
    connection = open_database(Path(":memory:"))
    try:
        _insert(connection, {f"p{i}": text for i, text in enumerate(texts)})
        build_index(connection)
        expected = {
            f"p{i}" for i, text in enumerate(texts) if _fold(query) in map(_fold, text.split())
        }
        assert _ids(connection, query) == expected
        assert query_words(connection, query) == [_fold(query)]
    finally:
        connection.close()

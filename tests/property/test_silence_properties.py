"""The silence score on arbitrary histories: a longer silence is never less unusual for the same
history, an account's own record of long pauses caps how unusual one is, chances are chances,
and the SQL computes the documented formula."""

from __future__ import annotations

import math

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.analyze.silence_story import insert_history, reference_surprise, silence_of
from veille.store.database import migrations

# Gaps are empty days between posting days: mostly short, some long, as accounts post.
GAPS = st.lists(st.one_of(st.integers(0, 3), st.integers(0, 400)), min_size=1, max_size=40)
SILENCE = st.integers(1, 800)  # 0 days: the account posts on its sources' last day
JUDGE_ALL = {"min_posts": 1, "min_days": 1, "export_margin_days": 0, "min_silence_days": 0}


_STORE = duckdb.connect()
for _, _, _sql in migrations():
    _STORE.execute(_sql)


def _store() -> duckdb.DuckDBPyConnection:
    """The one in-memory store, emptied: creating the tables for each example is slow."""
    _STORE.execute("DELETE FROM posts")
    return _STORE


@settings(max_examples=40, deadline=None)
@given(GAPS, SILENCE, SILENCE)
def test_a_longer_silence_is_never_less_unusual(gaps: list[int], one: int, other: int) -> None:
    shorter, longer = sorted((one, other))
    con = _store()
    insert_history(con, "shorter", gaps, shorter)
    insert_history(con, "longer", gaps, longer)
    found = silence_of(con, **JUDGE_ALL)
    first, second = found["shorter"], found["longer"]
    assert first["surprise"] is not None
    assert second["surprise"] is not None
    assert first["surprise"] <= second["surprise"] + 1e-9
    if first["status"] == "silent":
        assert second["status"] == "silent"
    for row, silence in ((first, shorter), (second, longer)):
        assert row["surprise"] == pytest.approx(reference_surprise(gaps, silence), abs=1e-4)
        assert 0 < row["chance"] <= 1
        assert row["surprise"] >= 0
        assert math.isclose(row["chance"], 10 ** -row["surprise"], rel_tol=1e-3)


@settings(max_examples=40, deadline=None)
@given(GAPS, SILENCE)
def test_its_own_long_pauses_cap_how_unusual_a_silence_is(gaps: list[int], silence: int) -> None:
    as_long = sum(1 for empty in gaps if empty >= silence)
    con = _store()
    insert_history(con, "a", gaps, silence)
    surprise = silence_of(con, **JUDGE_ALL)["a"]["surprise"]
    if as_long:
        assert surprise <= -math.log10(as_long / len(gaps)) + 1e-4
    else:
        assert surprise > 0

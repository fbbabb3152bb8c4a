"""A pause's chance for one account's rhythm (the formula in ``veille.analyze.silence``)."""

from __future__ import annotations

import math

import duckdb
import pytest

from tests.unit.analyze.silence_story import insert_history, reference_surprise, silence_of
from veille.analyze import silence as silence_module


def _surprise(store: duckdb.DuckDBPyConnection, gaps: list[int], silence: int) -> float:
    insert_history(store, "a", gaps, silence)
    surprise = silence_of(store, export_margin_days=0)["a"]["surprise"]
    assert isinstance(surprise, float)
    return surprise


def test_a_regular_rhythm_makes_a_long_silence_very_unusual(
    store: duckdb.DuckDBPyConnection,
) -> None:
    # 30 gaps of one empty day; at t = 0: (b / (b + s)) ** a, a = 1 + 30, b = 1 + 30.
    assert _surprise(store, [1] * 30, 60) == pytest.approx(31 * math.log10(91 / 31), abs=1e-4)


@pytest.mark.parametrize(
    ("silence", "status"), [(3, "pause"), (6, "pause"), (7, "silent"), (30, "silent")]
)
def test_a_short_silence_is_a_pause_however_regular_the_account(
    store: duckdb.DuckDBPyConnection, silence: int, status: str
) -> None:
    # Every other day for 60 days: 3 days without a post is within its rhythm (chance 0.06);
    # 6 days would be unusual (0.004) but is shorter than min_silence_days (7).
    insert_history(store, "a", [1] * 30, silence)
    assert silence_of(store, export_margin_days=0)["a"]["status"] == status


@pytest.mark.parametrize(
    "gaps",
    [[0] * 95 + [40] * 5, [1] * 30, [6] * 50, [2, 3, 1, 4, 2, 2, 5], [0, 300, 0, 2, 1500]],
)
def test_the_sql_computes_the_documented_formula(
    store: duckdb.DuckDBPyConnection, gaps: list[int]
) -> None:
    silences = (1, 7, 30, 40, 41, 64, 65, 200, 2000)
    for silence in silences:
        insert_history(store, f"s{silence}", gaps, silence)
    found = silence_of(store, export_margin_days=0)
    for silence in silences:
        surprise = found[f"s{silence}"]["surprise"]
        assert surprise == pytest.approx(reference_surprise(gaps, silence), abs=1e-4), silence


def test_an_account_that_paused_as_long_before_is_not_unusual(
    store: duckdb.DuckDBPyConnection,
) -> None:
    # 5 pauses of 40 empty days among 100 gaps: at 40 days its own record says 1 in 20.
    bursty = [0] * 95 + [40] * 5
    for silence in (40, 41, 80):
        insert_history(store, f"s{silence}", bursty, silence)
    found = silence_of(store)
    assert found["s40"]["surprise"] == pytest.approx(-math.log10(5 / 100), abs=1e-4)
    assert found["s41"]["chance"] > 0.02
    statuses = [found[f"s{silence}"]["status"] for silence in (40, 41, 80)]
    assert statuses == ["pause", "pause", "silent"]


def test_chance_and_surprise_say_the_same(store: duckdb.DuckDBPyConnection) -> None:
    insert_history(store, "a", [2, 3, 1, 4, 2, 2, 5], 30)
    row = silence_of(store)["a"]
    assert row["chance"] == pytest.approx(10 ** -row["surprise"], rel=1e-3)
    assert row["median_gap_days"] == 3.0  # gaps 2-6 days
    assert row["longest_gap_days"] == 6
    assert (row["posts"], row["active_days"], row["silence_days"]) == (8, 8, 30)


def test_accounts_whose_hashes_meet_are_told_apart_by_their_ids(
    store: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    insert_history(store, "regular", [1] * 30, 60)
    insert_history(store, "bursty", [0] * 95 + [40] * 5, 45)
    insert_history(store, "rare", [29, 30, 31, 30], 20)
    by_hash = silence_of(store)
    # Every account with the same "hash": gaps keyed by it would be pooled.
    monkeypatch.setitem(silence_module._KEYS, "hash", ("1", "1"))
    assert silence_of(store) == by_hash
    assert by_hash["regular"]["status"] == "silent"
    assert by_hash["bursty"]["status"] == "pause"

"""Follower counts as tables write them, and nothing else taken for one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veille.ingest.tabular.counts import MAX_COUNT, parse_count


@pytest.mark.parametrize(
    ("cell", "count"),
    [
        ("1200", 1200),
        ("1200,0", 1200),  # Excel in French (tabular-quirks/excel-fr.csv)
        ("1200.0", 1200),  # pandas, a float column
        ("1,200", 1200),
        ("1.200.000", 1_200_000),
        ("1 200", 1200),
        ("1\u00a0200", 1200),
        ("1\u202f200", 1200),
        (" 845 ", 845),
        ("1.2K", 1200),
        ("3m", 3_000_000),
        ("0", 0),
    ],
)
def test_counts_are_read(cell: str, count: int) -> None:
    assert parse_count(cell) == count


@pytest.mark.parametrize(
    "cell",
    ["", " ", "12,5", "1,20", "-3", "abc", "١٢", "1 200,5", "12 3", "9" * 25, "1e5", None],
)
def test_what_is_no_count_gives_none(cell: str | None) -> None:
    assert parse_count(cell) is None


@given(st.integers(0, MAX_COUNT))
def test_written_counts_read_back(number: int) -> None:
    assert parse_count(str(number)) == number
    assert parse_count(f"{number:,}") == number
    assert parse_count(f"{number},0") == number


@given(st.text(max_size=50))
def test_any_cell_gives_a_count_in_range_or_none(cell: str) -> None:
    count = parse_count(cell)
    assert count is None or 0 <= count <= MAX_COUNT

"""Ids are stable across versions: cases written by one release are read by the next."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from veille.ids import record_id


def test_ids_are_pinned() -> None:
    # Changing how ids are made would duplicate every record of existing cases on re-ingest.
    assert record_id("post", "twitter", "123") == "03e052b45a50ddc5138e"


def test_none_and_numbers_hash_like_their_text() -> None:
    assert record_id("a", None, 5, "x") == record_id("a", "", "5", "x")


@given(st.lists(st.text(), max_size=4), st.lists(st.text(), max_size=4))
def test_parts_are_not_confused_by_concatenation(left: list[str], right: list[str]) -> None:
    # ("ab", "c") and ("a", "bc") must differ; the separator cannot occur in ordinary text.
    if left != right and not any("\x1f" in part for part in left + right):
        assert record_id("k", *left) != record_id("k", *right)

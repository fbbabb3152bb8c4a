"""Near-identical images group together; different ones stay apart."""

from __future__ import annotations

import pytest

from veille.analyze.similar_images import similar_groups


def test_close_hashes_group_and_far_ones_do_not() -> None:
    ids = ["a", "b", "c", "d"]
    hashes = ["c190666f3e629fc4", "c194666b3e629fc4", "e13cc3dc86cec439", "0000000000000000"]
    assert similar_groups(ids, hashes) == [["a", "b"]]
    assert similar_groups(ids, hashes, max_bits=0) == []


def test_grouping_is_transitive() -> None:
    hashes = ["0000000000000000", "000000000000003f", "0000000000000fff"]  # 0, 6, 12 bits
    assert similar_groups(["x", "y", "z"], hashes) == [["x", "y", "z"]]


def test_ids_and_hashes_must_pair() -> None:
    with pytest.raises(ValueError, match="one hash per id"):
        similar_groups(["x"], [])

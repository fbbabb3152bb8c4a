"""Lines read with a bound: over-long lines come back cut, with their length, never whole."""

from __future__ import annotations

import io

import pytest

from veille.ingest.common.bounded_lines import Line, bounded_lines


def lines(text: str, limit: int) -> list[Line]:
    return list(bounded_lines(io.StringIO(text), limit))


def test_short_lines_come_back_whole() -> None:
    assert lines("a\nbc\n\nd", 10) == [
        Line("a", 1, True),
        Line("bc", 2, True),
        Line("", 0, True),
        Line("d", 1, False),
    ]


def test_a_long_line_is_cut_and_measured_and_the_next_line_follows() -> None:
    found = lines("x" * 25 + "\nnext\n", 10)
    assert found == [Line("x" * 10, 25, True), Line("next", 4, True)]
    assert found[0].cut
    assert not found[1].cut


@pytest.mark.parametrize("length", [9, 10, 11, 20, 21])
def test_lengths_around_the_limit(length: int) -> None:
    (line,) = lines("y" * length + "\n", 10)
    assert line.length == length
    assert line.text == "y" * min(length, 10)
    assert line.cut == (length > 10)
    assert line.ended


def test_a_last_long_line_without_a_break() -> None:
    assert lines("z" * 30, 7) == [Line("z" * 7, 30, False)]


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        lines("a", 0)

"""A blackout's comparison: the series that held their level, the ones that fell too, or none."""

from __future__ import annotations

import numpy as np
import pytest

from veille.analyze.blackouts import Shift
from veille.analyze.comparison import compare
from veille.analyze.coverage import SeriesCoverage
from veille.analyze.daily_series import Series


def _series(key: str, counts: np.ndarray, dimension: str = "place") -> Series:
    return Series(dimension, key, key.title(), counts.astype(np.int64))


def _drop() -> Shift:
    return Shift("drop", 100, 130, False, 0.9, 300.0, 30, 0.999, 103)


def test_comparison_names_the_series_that_held() -> None:
    mosul = _series("mosul", np.r_[np.full(100, 10), np.full(30, 1), np.full(20, 10)])
    raqqa = _series("raqqa", np.full(150, 12))
    paris = _series("paris", np.r_[np.full(100, 5), np.full(50, 1)])
    held, note = compare(mosul, _drop(), [mosul, raqqa, paris])
    assert [row["label"] for row in held] == ["Raqqa"]
    assert note == "held their level: Raqqa"


def test_comparison_says_when_everything_fell() -> None:
    mosul = _series("mosul", np.r_[np.full(100, 10), np.full(50, 1)])
    paris = _series("paris", np.r_[np.full(100, 5), np.full(50, 1)])
    held, note = compare(mosul, _drop(), [mosul, paris])
    assert held == []
    assert "no comparable series held its level (Paris fell too)" in note


@pytest.mark.parametrize("why", ["too quiet", "no data"])
def test_comparison_says_when_there_is_none(why: str) -> None:
    mosul = _series("mosul", np.r_[np.full(100, 10), np.full(50, 1)])
    other = _series("raqqa", np.full(150, 0 if why == "too quiet" else 12))
    if why == "no data":  # its export ended during the drop
        other.counts[110:] = 0
        other.coverage = SeriesCoverage(np.arange(150) < 110, ((0, 110),), ())
    held, note = compare(mosul, _drop(), [mosul, other])
    assert held == []
    assert note.startswith("no comparable series:")

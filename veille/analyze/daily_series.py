"""Daily series on one calendar, and the evidence posts behind a stretch of one.

Every series of an ``activity`` run is laid on the same days (the first to the last day of the
case, zeros included), so a day index means the same date in all of them. Which of those days
its sources actually collected is its ``coverage`` (``veille.analyze.coverage``): a zero
outside it is no data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from veille.analyze.coverage import SeriesCoverage
from veille.store.activity import series_posts

__all__ = ["Calendar", "Series", "dense_series"]


@dataclass
class Series:
    dimension: str
    key: str
    label: str
    counts: np.ndarray[Any, np.dtype[np.int64]]
    coverage: SeriesCoverage | None = None  # None: every day of the calendar

    @property
    def name(self) -> str:
        return f"{self.dimension}:{self.key}"

    @property
    def covered(self) -> SeriesCoverage:
        return self.coverage or SeriesCoverage.everywhere(self.counts.size)


@dataclass
class Calendar:
    """The case's days, and the store lookups a finding needs to cite its posts."""

    con: duckdb.DuckDBPyConnection
    same_as: Mapping[str, str]
    first_day: date

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=int(index))

    def posts(self, series: Series, first: int, last: int, latest: bool = False) -> list[str]:
        """Up to three post ids of ``series`` between day indices ``first`` and ``last``."""
        return series_posts(
            self.con,
            series.dimension,
            series.key,
            self.day(first),
            self.day(last),
            limit=3,
            latest=latest,
        )


def dense_series(dimension: str, table: pa.Table, first: date, days: int) -> list[Series]:
    """One zero-filled array per series key, on the case's calendar."""
    columns = table.to_pydict()
    found: dict[str, Series] = {}
    for key, label, day, posts in zip(
        columns["key"], columns["label"], columns["day"], columns["posts"], strict=True
    ):
        series = found.get(key)
        if series is None:
            series = Series(dimension, key, label or key, np.zeros(days, dtype=np.int64))
            found[key] = series
        series.counts[(day - first).days] = posts
    return list(found.values())

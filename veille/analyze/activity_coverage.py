"""Coverage in the ``activity`` analysis: each source's, stored as rows, and each series'.

The rules are ``veille.analyze.coverage``'s; this module reads what they need from the store
(``veille.store.coverage``) and writes what they found in the run's tables: one
``source_coverage`` row per source, and on each ``blackouts`` verdict the days its series'
sources cover, the first day judged and the stretches without data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import TypedDict

import duckdb

from veille.analyze.blackouts import Verdict
from veille.analyze.coverage import SourceCoverage, series_coverage, source_coverage
from veille.analyze.daily_series import Calendar, Series
from veille.store.coverage import series_sources, source_days
from veille.store.declared import Json

__all__ = [
    "CoverageColumns",
    "SourceCoverageRow",
    "cover_series",
    "cover_sources",
    "source_rows",
    "verdict_coverage",
]


class SourceCoverageRow(TypedDict):
    """A row of ``source_coverage``: the days one source collected."""

    source_id: str
    path: str | None
    rule: str  # collection | one voice | few records
    records: int
    first_day: date
    last_day: date
    covered_from: date  # after a thin start
    gaps: Json | None  # [{"from", "to", "days"}]


def cover_sources(
    con: duckdb.DuckDBPyConnection, first_day: date, days: int
) -> list[SourceCoverage]:
    """The coverage of every source with timed posts (after ``prepare_local_posts``)."""
    return [
        source_coverage(s.source_id, s.path or s.source_id, s.daily, s.several_voices)
        for s in source_days(con, first_day, days)
    ]


def cover_series(
    con: duckdb.DuckDBPyConnection,
    dimension: str,
    found: Sequence[Series],
    sources: Sequence[SourceCoverage],
    days: int,
) -> None:
    """Give each series of ``dimension`` its coverage, from the sources of its posts.

    Sources that collected every day neither limit nor cut a series: only the posts the
    others gave it are counted (the rest came from those), and when every source with a span
    collected every day, every series is covered everywhere and nothing is asked.
    """
    others = [sc for sc in sources if not sc.covers_all(days)]
    if not found or not any(sc.has_span for sc in others):
        return
    by_id = {sc.source_id: sc for sc in others}
    given = series_sources(con, dimension, list(by_id))
    everywhere = SourceCoverage.everywhere(days)
    for series in found:
        mine = given.get(series.key, {})
        pairs = [(by_id[s], n) for s, n in sorted(mine.items())]
        rest = int(series.counts.sum()) - sum(mine.values())
        if rest > 0:
            pairs.append((everywhere, rest))
        series.coverage = series_coverage(series.counts, pairs)


def source_rows(sources: Sequence[SourceCoverage], calendar: Calendar) -> list[SourceCoverageRow]:
    return [
        {
            "source_id": sc.source_id,
            "path": None if sc.name == sc.source_id else sc.name,
            "rule": sc.rule,
            "records": sc.records,
            "first_day": calendar.day(sc.first),
            "last_day": calendar.day(sc.last),
            "covered_from": calendar.day(sc.start),
            "gaps": json.dumps(
                [
                    {
                        "from": calendar.day(a).isoformat(),
                        "to": calendar.day(b).isoformat(),
                        "days": b - a + 1,
                    }
                    for a, b in sc.gaps
                ]
            )
            if sc.gaps
            else None,
        }
        for sc in sources
        if sc.records
    ]


class CoverageColumns(TypedDict):
    """The coverage columns of a ``blackouts`` verdict row (see ``BlackoutRow``)."""

    covered_from: date | None
    covered_to: date | None
    judged_from: date | None
    no_data: Json | None


def verdict_coverage(
    series: Series, verdict: Verdict | None, calendar: Calendar
) -> CoverageColumns:
    """The coverage columns of a series' verdict row."""
    coverage = series.covered
    first, last = coverage.first, coverage.last
    judged = None if verdict is None else verdict.first_judged
    stretches = [
        {
            "from": calendar.day(gap.first).isoformat(),
            "to": calendar.day(gap.last).isoformat(),
            "why": gap.why,
        }
        for gap in coverage.no_data
    ]
    return {
        "covered_from": None if first is None else calendar.day(first),
        "covered_to": None if last is None else calendar.day(last),
        "judged_from": None if judged is None else calendar.day(judged),
        "no_data": json.dumps(stretches, ensure_ascii=False) if stretches else None,
    }

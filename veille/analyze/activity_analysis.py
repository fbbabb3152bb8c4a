"""The ``activity`` analysis: daily series, blackouts, moves and hotspots.

Series come from the store (``veille.store.activity``) for every dimension; each is laid on the
same calendar (first to last day of the case, zeros included), given the days its sources
collected (``veille.analyze.coverage``: before a collection starts, in a gap of it and after
the export ends a zero is no data) and judged on those days by the blackout detector against
its own past (``veille.analyze.blackouts``, through ``covered_shifts``); each blackout names
the comparable series that held their level, or says there were none
(``veille.analyze.comparison``). Drops and rises on platforms, channels and
communities-on-a-platform that start within ``margin_days`` of each other become moves when
the same people, links or forwards connect them (``veille.analyze.moves``). Communities come
from the latest ``network`` run, if there is one. ``veille activity`` is its short form; see
``docs/activity.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, TypedDict

import numpy as np
import pyarrow as pa

from veille.analyze import coverage as coverage_rules
from veille.analyze.activity_coverage import (
    SourceCoverageRow,
    cover_series,
    cover_sources,
    source_rows,
    verdict_coverage,
)
from veille.analyze.base import AnalysisInputs, Output, Plan
from veille.analyze.blackouts import DetectorSettings, Shift, Verdict
from veille.analyze.comparison import compare
from veille.analyze.covered_shifts import covered_shifts
from veille.analyze.daily_series import Calendar, Series, dense_series
from veille.analyze.hotspots import HotspotSettings, hotspot_settings
from veille.analyze.moves import MOVING, MoveRow, find_moves
from veille.analyze.place_hotspots import HotspotRow, place_hotspots
from veille.errors import ConfigError
from veille.store.activity import (
    DIMENSIONS,
    activity_table,
    day_range,
    local_post_count,
    prepare_local_posts,
)
from veille.store.declared import Json
from veille.store.results import latest_run

__all__ = [
    "ActivityAnalysis",
    "ActivityResult",
    "ActivityRow",
    "BlackoutRow",
    "HotspotRow",
    "SourceCoverageRow",
]

MIN_SERIES_POSTS = 20  # fewer posts in all: too sparse, not even judged
EXACT_ACCOUNTS_UP_TO = 2_000_000  # posts; above, active accounts per day are estimates (HLL)


class ActivityRow(TypedDict):
    """A row of ``activity``: one series on one day."""

    dimension: str  # place | country | community | platform | channel | community_platform
    key: str  # geonames:99072, IQ, 3, telegram, <chat actor id>, 3:twitter
    label: str | None
    day: date  # in the case's time zone
    posts: int
    accounts: int
    interactions: int


class BlackoutRow(TypedDict):
    """A row of ``blackouts``: the verdict on one series, one row per drop found."""

    dimension: str
    key: str
    label: str | None
    status: str  # blackout | steady | too sparse
    start_day: date | None
    end_day: date | None  # last day of the drop; None while ongoing
    ongoing: bool | None
    alarm_day: date | None  # when the detector would first have known
    depth: float | None  # 0.9: 90 % fewer posts than expected
    expected: float | None
    observed: int | None
    confidence: float | None
    baseline_mean: float | None  # posts per day before
    reason: str | None  # the verdict, then what the comparable series did (or that there were none)
    comparison: Json | None  # series that did not drop over the same days
    evidence: Json | None  # last posts before and first posts after the start
    covered_from: date | None  # first day the series' sources covered
    covered_to: date | None  # last day: after it the export had ended
    judged_from: date | None  # first day with a baseline to judge by (None: never)
    no_data: Json | None  # [{"from", "to", "why"}]: stretches inside the coverage without data


@dataclass
class ActivityResult:
    run_id: str
    parameters: dict[str, Any]
    first_day: date | None = None
    last_day: date | None = None
    series: dict[str, int] = field(default_factory=dict)  # dimension -> number of series
    blackouts: list[BlackoutRow] = field(default_factory=list)
    too_sparse: int = 0
    moves: list[MoveRow] = field(default_factory=list)
    hotspots: list[HotspotRow] = field(default_factory=list)
    coverage: list[SourceCoverageRow] = field(default_factory=list)


@dataclass(frozen=True)
class _Settings:
    detector: DetectorSettings
    hotspot: HotspotSettings


class ActivityAnalysis:
    """Where and when activity happens, and where it stops."""

    name: ClassVar[str] = "activity"
    # 2: coverage before judgement; 3: hotspots by people, about and from apart (issue 13)
    version: ClassVar[str] = "3"
    needs: ClassVar[tuple[str, ...]] = ("network",)
    tables: ClassVar[Mapping[str, type[Any]]] = {
        "activity": ActivityRow,
        "blackouts": BlackoutRow,
        "moves": MoveRow,
        "hotspots": HotspotRow,
        "source_coverage": SourceCoverageRow,
    }

    def plan(
        self,
        inputs: AnalysisInputs,
        *,
        margin_days: int = 14,
        detector: DetectorSettings | None = None,
        hotspot: HotspotSettings | Mapping[str, Any] | None = None,
        exact_accounts: bool | None = None,
    ) -> Plan:
        if margin_days < 0:
            raise ConfigError(f"margin_days: {margin_days} is not 0 or more")
        settings = _Settings(detector or DetectorSettings(), hotspot_settings(hotspot))
        network = latest_run(inputs.con, "network")
        network_run = network["id"] if network else None
        # One temporary table of posts with their local day: the run reads it.
        prepare_local_posts(inputs.con, inputs.zone, network_run)
        if exact_accounts is None:
            exact_accounts = local_post_count(inputs.con) <= EXACT_ACCOUNTS_UP_TO
        parameters = {
            "time_zone": inputs.zone,
            "network_run": network_run,
            "margin_days": margin_days,
            "same_as": dict(sorted(inputs.same_as.items())),  # people for moves and hotspots
            "detector": settings.detector.as_dict(),
            "hotspots": settings.hotspot.as_dict(),
            "min_series_posts": MIN_SERIES_POSTS,
            "exact_accounts": exact_accounts,
            "coverage": {
                "gap_min_days": coverage_rules.GAP_MIN_DAYS,
                "gap_alpha": coverage_rules.GAP_ALPHA,
                "thin_share": coverage_rules.THIN_SHARE,
                "thin_weeks": coverage_rules.THIN_WEEKS,
                "min_records": coverage_rules.MIN_RECORDS,
                "major_share": coverage_rules.MAJOR_SHARE,
                "major_min_posts": coverage_rules.MAJOR_MIN_POSTS,
            },
        }
        return Plan(parameters, settings)

    def run(self, inputs: AnalysisInputs, plan: Plan, run_id: str) -> Output[ActivityResult]:
        settings: _Settings = plan.prepared
        result = ActivityResult(run_id, plan.parameters)
        empty: dict[str, Any] = {name: [] for name in self.tables}
        span = day_range(inputs.con)
        if span is None:
            return Output(empty, {"series": 0}, result)
        result.first_day, result.last_day = span
        days = (result.last_day - result.first_day).days + 1
        weekdays = (result.first_day.weekday() + np.arange(days)) % 7
        calendar = Calendar(inputs.con, inputs.same_as, result.first_day)
        sources = cover_sources(inputs.con, result.first_day, days)
        result.coverage = source_rows(sources, calendar)
        tables, all_series = [], []
        for dimension in DIMENSIONS:
            table = activity_table(inputs.con, dimension, plan.parameters["exact_accounts"])
            tables.append(table)
            found = dense_series(dimension, table, result.first_day, days)
            cover_series(inputs.con, dimension, found, sources, days)
            result.series[dimension] = len(found)
            all_series.extend(found)
        verdicts: list[BlackoutRow] = []
        drops: list[tuple[Series, Shift]] = []
        rises: list[tuple[Series, Shift]] = []
        for series in all_series:
            verdict_rows, series_drops = _judge(
                calendar, series, weekdays, settings.detector, all_series
            )
            verdicts.extend(verdict_rows)
            drops.extend((series, shift) for shift in series_drops)
            if series.dimension in MOVING and series.counts.sum() >= MIN_SERIES_POSTS:
                rise = covered_shifts(
                    series.counts, weekdays, series.covered, "rise", settings.detector
                )
                rises.extend((series, shift) for shift in rise.shifts)
        result.blackouts = [row for row in verdicts if row["status"] == "blackout"]
        result.too_sparse = sum(1 for row in verdicts if row["status"] == "too sparse")
        result.moves = find_moves(calendar, drops, rises, plan.parameters["margin_days"])
        places = [series for series in all_series if series.dimension == "place"]
        result.hotspots = place_hotspots(
            calendar, places, inputs.same_as, plan.parameters["network_run"], settings.hotspot
        )
        counts = {
            "series": len(all_series),
            "blackouts": len(result.blackouts),
            "moves": len(result.moves),
            "hotspots": len(result.hotspots),
        }
        output_tables = {
            "activity": pa.concat_tables(tables),
            "blackouts": verdicts,
            "moves": result.moves,
            "hotspots": result.hotspots,
            "source_coverage": result.coverage,
        }
        return Output(output_tables, counts, result)


def _verdict(
    series: Series, status: str, reason: str | None, calendar: Calendar, verdict: Verdict | None
) -> BlackoutRow:
    """A verdict row with only what every verdict has; a blackout fills the rest."""
    row: BlackoutRow = {
        "dimension": series.dimension,
        "key": series.key,
        "label": series.label,
        "status": status,
        "start_day": None,
        "end_day": None,
        "ongoing": None,
        "alarm_day": None,
        "depth": None,
        "expected": None,
        "observed": None,
        "confidence": None,
        "baseline_mean": None,
        "reason": reason,
        "comparison": None,
        "evidence": None,
        **verdict_coverage(series, verdict, calendar),
    }
    return row


def _judge(
    calendar: Calendar,
    series: Series,
    weekdays: np.ndarray[Any, Any],
    detector: DetectorSettings,
    all_series: list[Series],
) -> tuple[list[BlackoutRow], list[Shift]]:
    total = int(series.counts.sum())
    if total < MIN_SERIES_POSTS:
        reason = f"{total} posts in all: fewer than {MIN_SERIES_POSTS}, too few to judge"
        return [_verdict(series, "too sparse", reason, calendar, None)], []
    verdict = covered_shifts(series.counts, weekdays, series.covered, "drop", detector)
    if verdict.status != "shift":
        status = "too sparse" if verdict.status == "too sparse" else "steady"
        row = _verdict(series, status, verdict.reason, calendar, verdict)
        row["baseline_mean"] = verdict.baseline_mean
        return [row], []
    rows = []
    for shift in verdict.shifts:
        last = shift.end - 1
        evidence = calendar.posts(series, max(0, shift.start - 28), shift.start - 1, latest=True)
        evidence += calendar.posts(series, shift.start, last)
        held, note = compare(series, shift, all_series)
        row = _verdict(series, "blackout", f"{verdict.reason}; {note}", calendar, verdict)
        row["start_day"] = calendar.day(shift.start)
        row["end_day"] = None if shift.ongoing else calendar.day(last)
        row["ongoing"] = shift.ongoing
        row["alarm_day"] = calendar.day(shift.alarm)
        row["depth"] = round(shift.depth, 4)
        row["expected"] = round(shift.expected, 2)
        row["observed"] = shift.observed
        row["confidence"] = round(shift.confidence, 4)
        row["baseline_mean"] = verdict.baseline_mean
        row["comparison"] = json.dumps(held, ensure_ascii=False)
        row["evidence"] = json.dumps(evidence)
        rows.append(row)
    return rows, list(verdict.shifts)

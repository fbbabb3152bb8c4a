"""One ``veille activity`` run: daily series, blackouts, migrations and hotspots, stored.

Series come from the store (``veille.store.activity``) for every dimension; each is laid on the
same calendar (first to last day of the case, zeros included) and judged by the blackout
detector against its own past (``veille.analyze.blackouts``). Drops and rises on platforms,
channels and communities-on-a-platform that start within ``margin_days`` of each other become
migrations when the same people, links or forwards connect them. The run id hashes the
parameters, so the same parameters replace the same run's rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from veille import __version__
from veille.analyze.blackouts import DetectorSettings, Shift, detect_shifts
from veille.analyze.hotspots import HotspotSettings, find_hotspots
from veille.analyze.migration_pairs import pair_migrations
from veille.store.activity import (
    DIMENSIONS,
    activity_table,
    day_range,
    local_post_count,
    prepare_local_posts,
    series_posts,
)
from veille.store.migration_evidence import migration_evidence
from veille.store.results import analysis_run_id, latest_run, replace_results
from veille.store.runs import finish_run, start_run

__all__ = ["SPACE_TIME_VERSION", "SpaceTimeReport", "run_space_time"]

SPACE_TIME_VERSION = "1"
MOVING = ("platform", "channel", "community_platform")  # where a migration can start or end
MIN_SERIES_POSTS = 20  # fewer posts in all: too sparse, not even judged
EXACT_ACCOUNTS_UP_TO = 2_000_000  # posts; above, active accounts per day are estimates (HLL)
COMPARISONS = 5


@dataclass
class Series:
    dimension: str
    key: str
    label: str
    counts: np.ndarray[Any, np.dtype[np.int64]]

    @property
    def name(self) -> str:
        return f"{self.dimension}:{self.key}"


@dataclass
class SpaceTimeReport:
    run_id: str
    parameters: dict[str, Any]
    first_day: date | None = None
    last_day: date | None = None
    series: dict[str, int] = field(default_factory=dict)  # dimension -> number of series
    blackouts: list[dict[str, Any]] = field(default_factory=list)
    too_sparse: int = 0
    migrations: list[dict[str, Any]] = field(default_factory=list)
    hotspots: list[dict[str, Any]] = field(default_factory=list)


def run_space_time(
    con: duckdb.DuckDBPyConnection,
    zone: str,
    same_as: Mapping[str, str],
    detector: DetectorSettings | None = None,
    hotspot: HotspotSettings | None = None,
    margin_days: int = 14,
    exact_accounts: bool | None = None,
) -> SpaceTimeReport:
    detector = detector or DetectorSettings()
    hotspot = hotspot or HotspotSettings()
    network = latest_run(con, "network")
    network_run = network["id"] if network else None
    prepare_local_posts(con, zone, network_run)
    if exact_accounts is None:
        exact_accounts = local_post_count(con) <= EXACT_ACCOUNTS_UP_TO
    parameters = {
        "time_zone": zone,
        "network_run": network_run,
        "margin_days": margin_days,
        "detector": detector.as_dict(),
        "hotspots": hotspot.as_dict(),
        "min_series_posts": MIN_SERIES_POSTS,
        "exact_accounts": exact_accounts,
    }
    run_id = analysis_run_id("space-time", SPACE_TIME_VERSION, parameters)
    start_run(
        con,
        kind="analysis",
        name="space-time",
        version=SPACE_TIME_VERSION,
        parameters=parameters,
        code_version=__version__,
        run_id=run_id,
    )
    report = SpaceTimeReport(run_id, parameters)
    span = day_range(con)
    if span is None:
        finish_run(con, run_id, {"series": 0})
        return report
    report.first_day, report.last_day = span
    days = (report.last_day - report.first_day).days + 1
    weekdays = (report.first_day.weekday() + np.arange(days)) % 7
    tables, all_series = [], []
    for dimension in DIMENSIONS:
        table = activity_table(con, dimension, exact_accounts)
        tables.append(table)
        found = _dense(dimension, table, report.first_day, days)
        report.series[dimension] = len(found)
        all_series.extend(found)
    context = _Context(con, zone, network_run, same_as, report.first_day)
    verdicts: list[dict[str, Any]] = []
    drops: list[tuple[Series, Shift]] = []
    rises: list[tuple[Series, Shift]] = []
    for series in all_series:
        verdict_rows, series_drops = _judge(context, series, weekdays, detector, all_series)
        verdicts.extend(verdict_rows)
        drops.extend((series, shift) for shift in series_drops)
        if series.dimension in MOVING and series.counts.sum() >= MIN_SERIES_POSTS:
            rise = detect_shifts(series.counts, weekdays, "rise", detector)
            rises.extend((series, shift) for shift in rise.shifts)
    report.blackouts = [row for row in verdicts if row["status"] == "blackout"]
    report.too_sparse = sum(1 for row in verdicts if row["status"] == "too sparse")
    report.migrations = _migrations(context, drops, rises, margin_days)
    report.hotspots = _hotspots(context, all_series, hotspot)
    replace_results(
        con,
        run_id,
        {
            "activity": _with_run(pa.concat_tables(tables), run_id),
            "blackouts": _rows_table(verdicts, run_id),
            "migrations": _rows_table(report.migrations, run_id),
            "hotspots": _rows_table(report.hotspots, run_id),
        },
    )
    finish_run(
        con,
        run_id,
        {
            "series": len(all_series),
            "blackouts": len(report.blackouts),
            "migrations": len(report.migrations),
        },
    )
    return report


@dataclass
class _Context:
    con: duckdb.DuckDBPyConnection
    zone: str
    network_run: str | None
    same_as: Mapping[str, str]
    first_day: date

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=int(index))

    def posts(self, series: Series, first: int, last: int, latest: bool = False) -> list[str]:
        return series_posts(
            self.con,
            series.dimension,
            series.key,
            self.day(first),
            self.day(last),
            limit=3,
            latest=latest,
        )


def _dense(dimension: str, table: pa.Table, first: date, days: int) -> list[Series]:
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


def _judge(
    context: _Context,
    series: Series,
    weekdays: np.ndarray[Any, Any],
    detector: DetectorSettings,
    all_series: list[Series],
) -> tuple[list[dict[str, Any]], list[Shift]]:
    base = {"dimension": series.dimension, "key": series.key, "label": series.label}
    total = int(series.counts.sum())
    if total < MIN_SERIES_POSTS:
        reason = f"{total} posts in all: fewer than {MIN_SERIES_POSTS}, too few to judge"
        return [{**base, "status": "too sparse", "reason": reason}], []
    verdict = detect_shifts(series.counts, weekdays, "drop", detector)
    if verdict.status != "shift":
        status = "too sparse" if verdict.status == "too sparse" else "steady"
        return [
            {
                **base,
                "status": status,
                "reason": verdict.reason,
                "baseline_mean": verdict.baseline_mean,
            }
        ], []
    rows = []
    for shift in verdict.shifts:
        last = shift.end - 1
        evidence = context.posts(series, max(0, shift.start - 28), shift.start - 1, latest=True)
        evidence += context.posts(series, shift.start, last)
        rows.append(
            {
                **base,
                "status": "blackout",
                "start_day": context.day(shift.start),
                "end_day": None if shift.ongoing else context.day(last),
                "ongoing": shift.ongoing,
                "alarm_day": context.day(shift.alarm),
                "depth": round(shift.depth, 4),
                "expected": round(shift.expected, 2),
                "observed": shift.observed,
                "confidence": round(shift.confidence, 4),
                "baseline_mean": verdict.baseline_mean,
                "reason": verdict.reason,
                "comparison": json.dumps(
                    _comparison(series, shift, all_series), ensure_ascii=False
                ),
                "evidence": json.dumps(evidence),
            }
        )
    return rows, list(verdict.shifts)


def _comparison(series: Series, shift: Shift, all_series: list[Series]) -> list[dict[str, Any]]:
    """Series of the same kind (and the platforms) that kept their level over the same days."""
    before = slice(max(0, shift.start - 28), shift.start)
    during = slice(shift.start, shift.end)
    kept: list[dict[str, Any]] = []
    for other in all_series:
        if other is series or other.dimension not in (series.dimension, "platform"):
            continue
        usual = float(other.counts[before].mean()) if shift.start > 0 else 0.0
        if usual < 1.0:
            continue
        ratio = float(other.counts[during].mean()) / usual
        if ratio >= 0.8:
            kept.append(
                {
                    "series": other.name,
                    "label": other.label,
                    "before_per_day": round(usual, 2),
                    "ratio": round(ratio, 3),
                }
            )
    kept.sort(key=lambda row: -float(row["before_per_day"]))
    return kept[:COMPARISONS]


def _migrations(
    context: _Context,
    drops: list[tuple[Series, Shift]],
    rises: list[tuple[Series, Shift]],
    margin_days: int,
) -> list[dict[str, Any]]:
    moving_drops = {s.name: (s, shift) for s, shift in drops if s.dimension in MOVING}
    by_name = {s.name: (s, shift) for s, shift in rises}
    pairs = pair_migrations(
        [(name, shift.start) for name, (_, shift) in moving_drops.items()],
        [(name, shift.start) for name, (_, shift) in by_name.items()],
        margin_days,
    )
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for pair in pairs:
        source, drop = moving_drops[pair.drop]
        target, rise = by_name[pair.rise]
        if _same_place(source, target):
            continue
        evidence = migration_evidence(
            context.con,
            context.same_as,
            (source.dimension, source.key),
            (target.dimension, target.key),
            context.day(drop.start),
            context.day(rise.start),
        )
        signals = [evidence.shared_accounts >= 2, evidence.links > 0, evidence.forwards > 0]
        if not any(signals):
            continue
        strength = 0.5 * signals[0] + 0.3 * signals[1] + 0.2 * signals[2]
        row = {
            "source_dimension": source.dimension,
            "source_key": source.key,
            "source_label": source.label,
            "target_dimension": target.dimension,
            "target_key": target.key,
            "target_label": target.label,
            "drop_day": context.day(drop.start),
            "rise_day": context.day(rise.start),
            "lag_days": pair.lag,
            "shared_accounts": evidence.shared_accounts,
            "links": evidence.links,
            "forwards": evidence.forwards,
            "confidence": round(strength * min(drop.confidence, rise.confidence), 4),
            "evidence": json.dumps(evidence.posts),
        }
        key = (source.label, target.label)
        if key not in best or row["confidence"] > best[key]["confidence"]:
            best[key] = row
    return sorted(best.values(), key=lambda row: -row["confidence"])


def _same_place(source: Series, target: Series) -> bool:
    """A platform and a channel or community on that same platform are not a move."""
    return source.key.split(":")[-1] == target.key.split(":")[-1] and "platform" in (
        source.dimension,
        target.dimension,
    )


def _hotspots(
    context: _Context, all_series: list[Series], settings: HotspotSettings
) -> list[dict[str, Any]]:
    rows = []
    for series in all_series:
        if series.dimension != "place":
            continue
        for spot in find_hotspots(series.counts, settings):
            rows.append(
                {
                    "place_id": series.key,
                    "label": series.label,
                    "start_day": context.day(spot.start),
                    "end_day": context.day(spot.end - 1),
                    "posts": spot.observed,
                    "expected": round(spot.expected, 2),
                    "ratio": round(spot.ratio, 2),
                    "evidence": json.dumps(context.posts(series, spot.start, spot.end - 1)),
                }
            )
    return sorted(rows, key=lambda row: -float(row["ratio"]))


def _with_run(table: pa.Table, run_id: str) -> pa.Table:
    return table.append_column("run_id", pa.array([run_id] * table.num_rows, pa.string()))


def _rows_table(rows: list[dict[str, Any]], run_id: str) -> pa.Table:
    if not rows:
        return pa.table({"run_id": pa.array([], pa.string())})
    columns = sorted({key for row in rows for key in row})
    data = {column: [row.get(column) for row in rows] for column in columns}
    data["run_id"] = [run_id] * len(rows)
    return pa.table(data)

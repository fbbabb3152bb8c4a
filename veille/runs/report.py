"""``veille report``: gather a case's records and latest results into ``ReportData``, render it.

The report shows the latest ``network`` and ``activity`` runs; when there is none, their
sections say so (run ``veille network`` and ``veille activity`` first, or let ``veille report
--analyse`` run them). Every post a table cites is gathered once, for the evidence section.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from veille.analyze.activity_analysis import BlackoutRow, HotspotRow
from veille.analyze.moves import MoveRow
from veille.report.html_report import render_report
from veille.report.report_data import (
    AccountItem,
    BlackoutItem,
    HotspotItem,
    MoveItem,
    ReportData,
    SeriesItem,
)
from veille.store.fact_lists import entity_list
from veille.store.place_people import countries_by_people, places_by_people
from veille.store.read import quarantine_rows, status
from veille.store.report_queries import (
    activity_series,
    evidence_posts,
    summary_counts,
    top_accounts,
)
from veille.store.results import latest_run, read_typed

__all__ = ["build_report_data", "write_report"]

TOP_ACCOUNTS = 15
SHOWN_SERIES = 12
SHOWN_HOTSPOTS = 20  # of each kind: about, from
HOTSPOT_EVIDENCE = 12  # posts cited per hotspot in the report (the table keeps up to 50)
MAPPED_PLACES = 60  # of each kind


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.isoformat()) if hasattr(value, "isoformat") else str(value)


def _json_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(json.loads(value)) if isinstance(value, str) else list(value)


def _country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or getattr(country, "name", code))


def _blackout(row: BlackoutRow) -> BlackoutItem:
    return {
        "dimension": row["dimension"],
        "key": row["key"],
        "label": row["label"],
        "status": row["status"],
        "start": _iso(row["start_day"]),
        "end": _iso(row["end_day"]),
        "ongoing": row["ongoing"],
        "depth": row["depth"],
        "confidence": row["confidence"],
        "baseline_mean": row["baseline_mean"],
        "comparison": [c["label"] for c in _json_list(row["comparison"])],
        "evidence": _json_list(row["evidence"]),
    }


def _move(row: MoveRow) -> MoveItem:
    return {
        "source_label": row["source_label"],
        "target_label": row["target_label"],
        "source_key": row["source_key"],
        "target_key": row["target_key"],
        "start": _iso(row["rise_day"]),
        "drop_day": _iso(row["drop_day"]),
        "lag_days": row["lag_days"],
        "shared_accounts": row["shared_accounts"],
        "links": row["links"],
        "forwards": row["forwards"],
        "confidence": row["confidence"],
        "evidence": _json_list(row["evidence"]),
    }


def _hotspot(row: HotspotRow, window_days: int) -> HotspotItem:
    return {
        "place": row["label"],
        "kind": row["kind"],
        "start": _iso(row["start_day"]),
        "end": _iso(row["end_day"]),
        "accounts": row["accounts"],
        "peak_accounts": row["peak_accounts"],
        "expected_accounts": row["expected_accounts"],
        "window_days": window_days,
        "posts": row["posts"],
        "communities": row["communities"],
        "evidence": _json_list(row["evidence"]),
    }


def _shown_series(
    series: list[dict[str, Any]], blackouts: list[BlackoutRow], moves: list[MoveRow]
) -> list[SeriesItem]:
    """The series with a blackout or a move first, then the busiest places and platforms."""
    wanted = {(b["dimension"], b["key"]) for b in blackouts}
    wanted |= {(m["source_dimension"], m["source_key"]) for m in moves}
    wanted |= {(m["target_dimension"], m["target_key"]) for m in moves}
    first = [s for s in series if (s["dimension"], s["key"]) in wanted]
    rest = [s for s in series if s["dimension"] in ("place", "platform") and s not in first]
    return [
        SeriesItem(
            dimension=s["dimension"], key=s["key"], label=s["label"], days=s["days"],
            posts=s["posts"],
        )
        for s in (first + rest)[:SHOWN_SERIES]
    ]  # fmt: skip


def _top_hotspots(rows: list[HotspotRow]) -> list[HotspotRow]:
    """The first ``SHOWN_HOTSPOTS`` of each kind (rows come most people first)."""
    shown: dict[str, int] = {}
    kept = []
    for row in rows:
        shown[row["kind"]] = shown.get(row["kind"], 0) + 1
        if shown[row["kind"]] <= SHOWN_HOTSPOTS:
            kept.append(row)
    return kept


def _account(row: dict[str, Any]) -> AccountItem:
    return AccountItem(
        rank=row["rank"],
        label=row["label"],
        platform=row["platform"],
        combined=row["combined"],
        community=row["community"],
        sentence=row["sentence"],
        evidence=row["evidence"],
    )


def build_report_data(
    con: duckdb.DuckDBPyConnection,
    case_name: str,
    zone: str,
    same_as: Mapping[str, str] | None = None,
) -> ReportData:
    network = latest_run(con, "network")
    activity = latest_run(con, "activity")
    accounts = (
        [_account(r) for r in top_accounts(con, network["id"], TOP_ACCOUNTS)] if network else []
    )
    blackout_rows: list[BlackoutRow] = []
    move_rows: list[MoveRow] = []
    hotspot_rows: list[HotspotRow] = []
    series: list[dict[str, Any]] = []
    if activity:
        blackout_rows = read_typed(con, "blackouts", activity["id"], BlackoutRow)
        move_rows = read_typed(con, "moves", activity["id"], MoveRow)
        hotspot_rows = read_typed(con, "hotspots", activity["id"], HotspotRow)
        series = activity_series(con, activity["id"])
    blackouts = [_blackout(r) for r in blackout_rows if r["status"] == "blackout"]
    moves = [_move(r) for r in move_rows]
    window = (activity or {}).get("parameters", {}).get("hotspots", {}).get("window", 7)
    hotspots = [_hotspot(r, int(window)) for r in _top_hotspots(hotspot_rows)]
    cited = _cited(accounts, blackouts, moves, hotspots)
    people = same_as or {}
    places = [row for row in places_by_people(con, people, MAPPED_PLACES) if row["latitude"]]
    countries = [
        {**row, "name": _country_name(row["country_code"])}
        for row in countries_by_people(con, people)
    ]
    return ReportData(
        case_name=case_name,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        time_zone=zone,
        summary=summary_counts(con),
        sources=status(con)["sources"],
        quarantine=quarantine_rows(con, limit=50),
        top_accounts=accounts,
        places=places,
        countries=countries,
        series=_shown_series(series, blackout_rows, move_rows),
        blackouts=blackouts,
        moves=moves,
        hotspots=hotspots,
        entities=[
            {k: row[k] for k in ("name", "type", "mentions", "names_seen")}
            for row in entity_list(con, top=30)
        ],
        evidence_posts=evidence_posts(con, cited),
    )


def _cited(*groups: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for row in group:
            for post in row.get("evidence", []):
                seen.setdefault(post)
    return list(seen)


def write_report(
    con: duckdb.DuckDBPyConnection,
    case_name: str,
    zone: str,
    path: Path,
    same_as: Mapping[str, str] | None = None,
) -> int:
    """Write the report to ``path``; return its size in bytes (``same_as``: merged account id
    -> the account it stands for, so the map counts people)."""
    html = render_report(build_report_data(con, case_name, zone, same_as))
    path.write_text(html, encoding="utf-8")
    return len(html.encode("utf-8"))

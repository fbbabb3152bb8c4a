"""What ``make demo`` prints after the network: enrichment, places, blackouts, moves,
each set beside what the scenario planted (ground_truth.json)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from veille.analyze.activity_analysis import ActivityResult, BlackoutRow
from veille.case import Case
from veille.runs.enrich import EnrichResult

__all__ = ["print_activity", "print_enrichment"]


def print_enrichment(console: Console, case: Case, reports: list[EnrichResult]) -> None:
    done = ", ".join(f"{r.enricher} {sum(r.facts.values()):,} facts" for r in reports)
    console.print(f"\nEnrichment (veille enrich): {done}.")
    table = Table(title="Most named places (veille places)", title_justify="left")
    for column in ("place", "country", "GeoNames", "posts", "written as", "why this place"):
        table.add_column(column)
    for row in case.places(top=6):
        table.add_row(
            row["name"],
            row["country_code"] or "",
            str(row["geonameid"] or ""),
            f"{row['posts']:,}",
            ", ".join(row["names_seen"] or []),
            row["usual_reason"],
        )
    console.print(table)
    photos, same = case.photos()
    placed = sorted({str(p["place"]) for p in photos if p["place"]})
    console.print(
        f"Photos: {len(photos)} read, {sum(1 for p in photos if p['latitude'])} with GPS "
        f"(near {', '.join(placed) or 'no town'}); the same image posted again: "
        + ("; ".join(f"{len(g)} copies" for g in same) or "none")
        + " (veille media)."
    )
    group = [row for row in case.entities(top=50) if row["entity_id"] == "org:islamic-state"]
    if group:
        names = ", ".join(group[0]["names_seen"])
        console.print(f"The group is found under {len(group[0]['names_seen'])} names: {names}.")


def print_activity(console: Console, report: ActivityResult, truth: dict[str, Any]) -> None:
    planted = {b["series"]: b["start"] for b in truth["blackouts"]}
    table = Table(
        title=f"Blackouts (veille activity; planted: {', '.join(planted)} from "
        f"{', '.join(sorted(set(planted.values())))})",
        title_justify="left",
    )
    for column in ("series", "kind", "from", "depth", "confidence", "posts/day before"):
        table.add_column(column)

    def size(row: BlackoutRow) -> float:  # posts a day the drop took away
        return (row["depth"] or 0.0) * (row["baseline_mean"] or 0.0)

    for row in sorted(report.blackouts, key=size, reverse=True)[:8]:
        table.add_row(
            row["label"],
            row["dimension"],
            str(row["start_day"]),
            f"{row['depth']:.0%}",
            f"{row['confidence']:.0%}",
            f"{row['baseline_mean']:.1f}",
        )
    console.print(table)
    move = truth["moves"][0]
    console.print(
        f"Moves (planted: {move['from']} -> {move['to']} from {move['start']}, "
        f"{len(move['accounts'])} accounts):"
    )
    for found in report.moves[:3]:
        console.print(
            f"  {found['source_label']} -> {found['target_label']}: drop {found['drop_day']}, "
            f"rise {found['rise_day']}; {found['shared_accounts']} accounts on both, "
            f"{found['links']} posts linking to it, {found['forwards']} forwards; "
            f"confidence {found['confidence']:.0%}"
        )
    if not report.moves:
        console.print("  none found")

"""``veille activity``: where and when activity happens, blackouts, moves, hotspots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import FormatOption, JsonOption, emit_json, emit_rows, stdout

_KINDS = {"about": "named in posts", "from": "posted from"}


def _percent(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else ""


def _compared(row: Any) -> str:
    """The series that held their level, or what the row says instead."""
    held = [str(c["label"]) for c in json.loads(row["comparison"] or "[]")]
    if held:
        return ", ".join(held)
    reason = str(row["reason"] or "")
    return "none held (all fell)" if "fell too" in reason else "none comparable"


def _coverage_lines(sources: list[Any], last_day: Any) -> list[str]:
    """Sources whose collection has a gap, a thin start, or ends before the case does."""
    lines = []
    for source in sources:
        name = source["path"] or source["source_id"]
        for gap in json.loads(source["gaps"] or "[]"):
            lines.append(
                f"{name}: collection gap {gap['from']} to {gap['to']} ({gap['days']} days)"
            )
        if source["covered_from"] != source["first_day"]:
            lines.append(
                f"{name}: thin collection from {source['first_day']}, "
                f"full from {source['covered_from']}"
            )
        if source["rule"] != "few records" and source["last_day"] < last_day:
            lines.append(f"{name}: ends {source['last_day']}")
    return lines


@app.command()
def activity(
    case: Path = typer.Argument(..., help="The case folder."),
    margin_days: int = typer.Option(
        14, min=0, help="Days between a drop and a rise for them to count as one move."
    ),
    json_output: bool = JsonOption,
) -> None:
    """Daily activity by place, community, platform and channel; blackouts, moves, and places
    far more accounts than usual named or posted from."""
    with Case.open(case) as opened:
        report = opened.activity(margin_days=margin_days)
    if json_output:
        emit_json(
            {
                "ok": True,
                "run": report.run_id,
                "parameters": report.parameters,
                "first_day": report.first_day,
                "last_day": report.last_day,
                "series": report.series,
                "too_sparse": report.too_sparse,
                "blackouts": report.blackouts,
                "moves": report.moves,
                "hotspots": report.hotspots,
                "coverage": report.coverage,
            }
        )
        return
    counted = ", ".join(f"{n} {dimension}" for dimension, n in report.series.items())
    stdout.print(
        f"{report.first_day} to {report.last_day}: series {counted}; "
        f"{report.too_sparse} too sparse to judge; run {report.run_id}"
    )
    for line in _coverage_lines(report.coverage, report.last_day):
        stdout.print(f"no data: {line}", markup=False)
    emit_rows(
        (
            "blackout",
            "kind",
            "from",
            "to",
            "depth",
            "confidence",
            "posts/day before",
            "compared with",
        ),
        [
            (
                row["label"],
                row["dimension"],
                row["start_day"],
                row["end_day"] or "ongoing",
                _percent(row["depth"]),
                _percent(row["confidence"]),
                f"{row['baseline_mean']:.1f}",
                _compared(row),
            )
            for row in report.blackouts
        ],
    )
    emit_rows(
        ("moved from", "to", "drop", "rise", "shared accounts", "links", "forwards", "confidence"),
        [
            (
                row["source_label"],
                row["target_label"],
                row["drop_day"],
                row["rise_day"],
                row["shared_accounts"],
                row["links"],
                row["forwards"],
                _percent(row["confidence"]),
            )
            for row in report.moves
        ],
    )
    emit_rows(
        ("busy place", "kind", "from", "to", "accounts", "usual a window", "posts", "communities"),
        [
            (
                row["label"] or row["place_id"],
                _KINDS.get(row["kind"], row["kind"]),
                row["start_day"],
                row["end_day"],
                row["accounts"],
                row["expected_accounts"],
                row["posts"],
                "" if row["communities"] is None else row["communities"],
            )
            for row in report.hotspots
        ],
    )


@app.command()
def series(
    case: Path = typer.Argument(..., help="The case folder."),
    by: str = typer.Option(
        "place",
        help="place, country, community, platform, channel, community_platform or account "
        "(labelled @handle (Name)).",
    ),
    bucket: str = typer.Option("day", help="hour, day or week (weeks start on Monday)."),
    output_format: str = FormatOption,
    json_output: bool = JsonOption,
) -> None:
    """Posts and active accounts per hour, day or week, in the case's time zone."""
    with Case.open(case) as opened:
        rows = opened.series(by, bucket)
    columns = ("key", "label", "bucket", "posts", "accounts")
    if json_output:
        emit_json({"ok": True, "by": by, "bucket": bucket, "series": rows})
        return
    emit_rows(columns, [tuple(row[c] for c in columns) for row in rows], file_format=output_format)

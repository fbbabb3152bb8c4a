"""``veille silences``: accounts that fell silent, how unusual that is, and silence waves."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import typer

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, emit_rows, stdout

_SHOWN_IN_WAVE = 5  # accounts named per wave in the table; --json gives them all


def _chance(value: float | None) -> str:
    """0.0031, or 1 in 10^18 for the tiny ones (0 when it underflowed)."""
    if value is None:
        return ""
    if value >= 1e-4:
        return f"{value:.2g}"
    return f"1 in 10^{-math.log10(value):.0f}" if value > 0 else "1 in 10^300+"


def _communities(counted: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{'none' if c['community'] is None else c['community']}: {c['accounts']}" for c in counted
    )


@app.command()
def silences(
    case: Path = typer.Argument(..., help="The case folder."),
    min_silence_days: int = typer.Option(
        7, min=0, help="Shortest silence that can count as unusual, in days."
    ),
    export_margin_days: int = typer.Option(
        3, min=0, help="A last post this close to the end of its sources is the export ending."
    ),
    coverage: str = typer.Option(
        "sources",
        help="What covers an account after its last post: the sources it was read from, or "
        "every source of its platform (an export split into files by date).",
    ),
    top: int = typer.Option(20, min=0, help="Most unusual silences to print (0: all, up to 100)."),
    json_output: bool = JsonOption,
) -> None:
    """Accounts that fell silent, against their own rhythm; weeks when many fell at once."""
    with Case.open(case) as opened:
        found = opened.silences(
            coverage=coverage,
            min_silence_days=min_silence_days,
            export_margin_days=export_margin_days,
        )
    waves = [
        {
            **wave,
            "accounts": json.loads(wave["accounts"] or "[]"),
            "communities": json.loads(wave["communities"] or "[]"),
        }
        for wave in found.waves
    ]
    unusual = found.unusual[: top or None]
    if json_output:
        emit_json(
            {
                "ok": True,
                "run": found.run_id,
                "parameters": found.parameters,
                "accounts": found.accounts,
                "statuses": found.statuses,
                "weeks": found.weeks,
                "waves": waves,
                "unusual": unusual,
            }
        )
        return
    statuses = ", ".join(f"{n:,} {status}" for status, n in found.statuses.items())
    stdout.print(
        f"{found.accounts:,} accounts: {statuses}; {len(waves)} silence waves in "
        f"{found.weeks} weeks; run {found.run_id}",
        markup=False,
    )
    if not waves:
        stdout.print("no silence wave: no week with far more silences than the case's rate")
    else:
        _print_waves(waves)
    if not unusual:
        stdout.print("no account fell silent unusually for its own rhythm")
        return
    emit_rows(
        ("silent account", "last post", "days silent", "usual gap", "chance", "community",
         "rank", "last post id"),
        [
            (
                f"{row['label']} [{row['platform']}]",
                row["last_day"],
                row["silence_days"],
                f"{row['median_gap_days']:g} d" if row["median_gap_days"] is not None else "",
                _chance(row["chance"]),
                row["community"],
                row["rank"],
                row["last_post_id"],
            )
            for row in unusual
        ],
    )  # fmt: skip


def _print_waves(waves: list[dict[str, Any]]) -> None:
    emit_rows(
        ("wave week", "fell silent", "active", "expected", "chance", "communities", "accounts"),
        [
            (
                f"{wave['week_start']} to {wave['week_end']}",
                wave["silent"],
                wave["active"],
                f"{wave['expected']:.1f}",
                _chance(wave["chance"]),
                _communities(wave["communities"]),
                ", ".join(a["label"] for a in wave["accounts"][:_SHOWN_IN_WAVE])
                + (" ..." if len(wave["accounts"]) > _SHOWN_IN_WAVE else ""),
            )
            for wave in waves
        ],
    )

"""``veille successors CASE``: accounts that replaced silent ones, with the reasons to think so."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, emit_rows, stdout


@app.command()
def successors(
    case: Path = typer.Argument(..., help="The case folder."),
    min_score: float = typer.Option(0.35, min=0.0, max=1.0, help="Leave out weaker pairs."),
    window_days: int = typer.Option(60, min=1, help="Days after the last post to look in."),
    json_output: bool = JsonOption,
) -> None:
    """Candidate successors of accounts that fell silent: same stem, name, audience, links."""
    with Case.open(case) as opened:
        finished = opened.analyze("successors", min_score=min_score, window_days=window_days)
    found = finished.result

    def name(actor: str) -> str:
        label, platform = found.labels.get(actor, (actor, "?"))
        return f"{label} [{platform}]"

    if json_output:
        emit_json(
            {
                "ok": True,
                "run": finished.run_id,
                "candidates": [
                    {
                        **row,
                        "old": name(row["old_actor_id"]),
                        "new": name(row["new_actor_id"]),
                        "reasons": json.loads(row["reasons"]),
                        "evidence": json.loads(row["evidence"]),
                    }
                    for row in found.candidates
                ],
            }
        )
        return
    stdout.print(
        f"{len(found.candidates)} candidate(s) for {found.silent_accounts} account(s) fallen "
        f"silent; run {finished.run_id}. Confirm one with `veille same-as`.",
        markup=False,
    )
    emit_rows(
        ["score", "fell silent", "last day", "successor", "first day", "why"],
        [
            (
                f"{row['score']:.2f}",
                name(row["old_actor_id"]),
                row["old_last_day"],
                name(row["new_actor_id"]),
                row["new_first_day"],
                "; ".join(reason["detail"] for reason in json.loads(row["reasons"])),
            )
            for row in found.candidates
        ],
    )

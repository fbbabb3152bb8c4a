"""What ``make demo`` prints after the blackouts: the collection's coverage, the silence waves
and the successors, each beside what the scenario planted, then the scores against it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from veille.analyze.activity_analysis import ActivityResult
from veille.analyze.silence import SilenceResult
from veille.analyze.successors import SuccessorsFound
from veille.case import Case
from veille.demo.scores import misplaced_blackouts, silence_scores, successor_scores, wave_scores

__all__ = ["print_turnover"]

_NAMED = 4  # accounts named per wave


def print_turnover(
    console: Console, case: Case, activity: ActivityResult, truth: dict[str, Any]
) -> dict[str, Any]:
    """Run ``silence`` and ``successors``, print them beside the truth; return the scores."""
    _print_collection(console, activity, truth)
    silences = case.silences()
    finished = case.analyze("successors")
    found: SuccessorsFound = finished.result
    _print_waves(console, silences, truth)
    _print_successors(console, found, truth)
    scores = _scores(case, activity, silences, found, truth)
    _print_scores(console, scores, truth)
    return scores


def _print_collection(console: Console, activity: ActivityResult, truth: dict[str, Any]) -> None:
    planted = truth["collection"]
    thin, gaps = planted["thin_start"], planted["gaps"]
    console.print(
        f"\nCollection (planted: {thin['posts']} tweets from {thin['from']} before the real "
        f"volume from {thin['real_volume_from']}; "
        + "; ".join(f"no tweet from {g['from']} to {g['to']}" for g in gaps)
        + "). veille activity found:"
    )
    for row in activity.coverage:
        if row["covered_from"] == row["first_day"] and not row["gaps"]:
            continue
        found = (
            [f"thin until {row['covered_from']}"] if row["covered_from"] > row["first_day"] else []
        )
        found += [f"gap {g['from']} to {g['to']}" for g in json.loads(row["gaps"] or "[]")]
        console.print(f"  {row['path'] or row['source_id']}: {', '.join(found)}")


def _print_waves(console: Console, silences: SilenceResult, truth: dict[str, Any]) -> None:
    planted = {w["week_start"]: w for w in truth["silence_waves"]}
    table = Table(
        title=f"Silence waves (veille silences: {silences.statuses.get('silent', 0)} accounts "
        f"fell silent, {len(silences.waves)} waves; planted: "
        f"{sum(1 for w in planted.values() if w['why'] == 'suspensions')} suspension waves "
        f"and the move's week)",
        title_justify="left",
    )
    for column in ("week", "fell silent", "expected", "planted", "accounts"):
        table.add_column(column)
    weeks = {str(w["week_start"]): w for w in silences.waves}
    for week in sorted(set(weeks) | set(planted)):
        wave, plant = weeks.get(week), planted.get(week)
        accounts = json.loads(wave["accounts"] or "[]") if wave else []
        names = ", ".join(a["label"].split(" ")[0] for a in accounts[:_NAMED])
        table.add_row(
            week,
            str(wave["silent"]) if wave else "not found",
            f"{wave['expected']:.1f}" if wave else "",
            f"{plant['silent']} ({plant['why']})" if plant else "not planted",
            names + (" ..." if len(accounts) > _NAMED else ""),
        )
    console.print(table)


def _print_successors(console: Console, found: SuccessorsFound, truth: dict[str, Any]) -> None:
    planted = {(p["old"]["actor_id"], p["new"]["actor_id"]) for p in truth["successors"]}
    decoys = {d["actor_id"]: d["kind"] for d in truth["decoys"]}
    table = Table(
        title=f"Successors (veille successors: {len(found.candidates)} candidates; planted: "
        f"{len(planted)} pairs and {len(decoys)} decoys that are nobody's successor)",
        title_justify="left",
    )
    for column in ("score", "fell silent", "successor", "planted", "why"):
        table.add_column(column)

    def label(actor: str) -> str:
        return found.labels.get(actor, (actor, ""))[0].split(" ")[0]

    for row in found.candidates:
        old, new = row["old_actor_id"], row["new_actor_id"]
        verdict = (
            "yes" if (old, new) in planted else f"decoy ({decoys[new]})" if new in decoys else "no"
        )
        why = "; ".join(r["kind"] for r in json.loads(row["reasons"]))
        table.add_row(f"{row['score']:.2f}", label(old), label(new), verdict, Text(why))
    console.print(table)


def _scores(
    case: Case,
    activity: ActivityResult,
    silences: SilenceResult,
    found: SuccessorsFound,
    truth: dict[str, Any],
) -> dict[str, Any]:
    # Run ids are the analyses' own hex digests: safe to write into the SQL.
    _, rows = case.query(
        f"SELECT actor_id, status, last_post_id FROM silences WHERE run_id = '{silences.run_id}'"
    )
    judged = [{"actor_id": a, "status": s, "last_post_id": p} for a, s, p in rows]
    _, firsts = case.query(
        "SELECT dimension, key, min(day) FROM activity "
        f"WHERE run_id = '{activity.run_id}' AND posts > 0 GROUP BY 1, 2"
    )
    series_first: dict[tuple[str, str], date] = {(d, k): day for d, k, day in firsts}
    ends = sorted({row["last_day"] for row in activity.coverage if row["rule"] != "few records"})
    misplaced = misplaced_blackouts(truth, activity.blackouts, series_first, ends)
    parameters = silences.parameters
    return {
        "successors": successor_scores(truth, found.candidates),
        "silences": silence_scores(truth, judged, parameters["min_posts"], parameters["min_days"]),
        "waves": wave_scores(truth, [w["week_start"] for w in silences.waves]),
        "misplaced_blackouts": {"count": len(misplaced), "blackouts": misplaced},
    }


def _print_scores(console: Console, scores: dict[str, Any], truth: dict[str, Any]) -> None:
    pairs, silent, waves = scores["successors"], scores["silences"], scores["waves"]
    misplaced = scores["misplaced_blackouts"]
    goal = pairs["goal"]
    console.print("Against the ground truth:")
    console.print(
        f"  successors: precision {pairs['precision']:.2f}, recall {pairs['recall']:.2f} "
        f"({pairs['correct']} of {pairs['planted']} planted pairs reported, "
        f"{pairs['reported'] - pairs['correct']} other pairs; "
        f"{len(pairs['decoys_reported'])} of {pairs['decoys']} decoys reported) "
        f"[goal: {goal} each]" + "".join(f"\n    missed: {m}" for m in pairs["missed"]),
        markup=False,
    )
    kinds = "; ".join(
        f"{why}: {n['unusual']} of {n['planted']}" for why, n in silent["by_why"].items()
    )
    console.print(
        f"  planted silences of 30+ days reported with their last post: {silent['reported']} "
        f"of {silent['planted']} [goal: all]; judged unusual for the account's own rhythm: "
        f"{silent['unusual']} ({kinds})"
        + (
            f"; {silent['too_little_history']} with too little history to judge"
            if silent["too_little_history"]
            else ""
        )
        + "".join(
            f"\n    not judged unusual: @{m['handle']} ({m['why']}): {m['status']}"
            for m in silent["not_unusual"]
        ),
        markup=False,
    )
    console.print(
        f"  planted wave weeks found: {len(waves['found'])} of {len(waves['planted'])}"
        + (f" (missed {', '.join(waves['missed'])})" if waves["missed"] else "")
        + (
            f"; other weeks found: {', '.join(waves['other_weeks'])}"
            if waves["other_weeks"]
            else ""
        ),
        markup=False,
    )
    console.print(
        f"  blackouts at a series start, in a collection gap or at an export's end: "
        f"{misplaced['count']} [goal: 0]"
        + "".join(
            f"\n    {b['series']} from {b['start']} ({b['where']})" for b in misplaced["blackouts"]
        ),
        markup=False,
    )
    profiles = ", ".join(
        f"@{p['handle']} ({p['location']}, on {p['share']:.0%} of {p['posts']} posts)"
        for p in truth["profile_places"]
    )
    voices = ", ".join(f"@{m['handle']}" for m in truth["mentioned_only"])
    console.print(
        f"Also planted: profile places {profiles}; accounts only ever addressed: {voices}.",
        markup=False,
    )

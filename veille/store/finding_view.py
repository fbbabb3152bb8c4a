"""Findings as the workbench lists them: each blackout, move, hotspot, silence wave and
successor candidate of the latest runs, numbered in its run so it has a page of its own."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb

from veille.store.actor_history import actor_labels
from veille.store.results import latest_run

__all__ = ["FINDING_KINDS", "TIMELINE_KINDS", "finding", "finding_spans", "findings"]

# Finding kind -> (analysis that writes it, result table, condition on its rows, order).
FINDING_KINDS: dict[str, tuple[str, str, str]] = {
    "blackout": ("activity", "blackouts", "status = 'blackout'"),
    "move": ("activity", "moves", "TRUE"),
    "hotspot": ("activity", "hotspots", "TRUE"),
    "wave": ("silence", "silence_waves", "TRUE"),
    "successor": ("successors", "successor_candidates", "TRUE"),
}


def _rows(con: duckdb.DuckDBPyConnection, kind: str) -> tuple[str | None, list[dict[str, Any]]]:
    analysis, table, condition = FINDING_KINDS[kind]
    run = latest_run(con, analysis)
    if run is None:
        return None, []
    cursor = con.execute(
        f"SELECT * EXCLUDE (run_id) FROM {table} WHERE run_id = ? AND {condition} ORDER BY rowid",
        [run["id"]],
    )
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for number, row in enumerate(rows, 1):
        row["number"] = number
        row["kind"] = kind
    return run["id"], rows


def findings(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Every finding of the latest runs, by kind, numbered from 1 in its run."""
    found = {kind: _rows(con, kind)[1] for kind in FINDING_KINDS}
    successors = found["successor"]
    labels = actor_labels(
        con, [r["old_actor_id"] for r in successors] + [r["new_actor_id"] for r in successors]
    )
    for row in successors:
        row["old_label"] = labels.get(row["old_actor_id"], (row["old_actor_id"], ""))[0]
        row["new_label"] = labels.get(row["new_actor_id"], (row["new_actor_id"], ""))[0]
    for row in found["wave"]:
        row["accounts"] = json.loads(row["accounts"] or "[]")
        row["communities"] = json.loads(row["communities"] or "[]")
    return found


def finding(
    con: duckdb.DuckDBPyConnection, kind: str, number: int
) -> tuple[dict[str, Any], list[str]] | None:
    """Finding ``number`` of ``kind`` in the latest run and the ids of its evidence posts."""
    if kind not in FINDING_KINDS:
        return None
    run_id, rows = _rows(con, kind)
    if not 1 <= number <= len(rows):
        return None
    row = findings(con)[kind][number - 1] if kind in ("successor", "wave") else rows[number - 1]
    row["run_id"] = run_id
    if kind == "wave":
        evidence = [account["last_post_id"] for account in row["accounts"]]
    else:
        evidence = json.loads(row.get("evidence") or "[]")
    if kind == "blackout":
        row["comparison"] = json.loads(row.get("comparison") or "[]")
    if kind == "successor":
        row["reasons"] = json.loads(row["reasons"] or "[]")
    return row, [post for post in evidence if isinstance(post, str)]


TIMELINE_KINDS = ("blackout", "move", "wave")  # the findings the timeline marks


def finding_spans(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Blackouts, moves and silence waves of the latest runs as spans of days: kind, number
    (as on its page), first and last day (None: still going), and a few words; by first day.
    """
    found = findings(con)
    spans: list[dict[str, Any]] = []
    for row in found["blackout"]:
        spans.append(
            _span(
                row, row["start_day"], row["end_day"], f"blackout of {row['label'] or row['key']}"
            )
        )
    for row in found["move"]:
        source = row["source_label"] or row["source_key"]
        target = row["target_label"] or row["target_key"]
        spans.append(_span(row, row["drop_day"], row["rise_day"], f"move {source} → {target}"))
    for row in found["wave"]:
        words = f"{row['silent']} accounts fell silent"
        spans.append(_span(row, row["week_start"], row["week_end"], words))
    return sorted(spans, key=lambda s: (s["start"] or date.min, s["kind"], s["number"]))


def _span(row: dict[str, Any], start: date | None, end: date | None, words: str) -> dict[str, Any]:
    return {
        "kind": row["kind"],
        "number": row["number"],
        "start": start,
        "end": end,
        "words": words,
    }

"""Scores of what the analyses found against what the scenario planted (ground_truth.json).

Pure functions over the truth and the analyses' rows, so a test can score without printing
and ``veille demo`` prints and returns the same figures:

- successors: precision and recall of the candidate pairs ``veille successors`` reports
  (every pair it lists counts, not only each account's best), and the decoys among them;
- silences: the planted 30+ day silences reported with the planted last tweet as their last
  post (its veille id), those judged unusual for the account's rhythm (``silent``), and those
  with too little history to judge at this scale;
- waves: the planted wave weeks (suspension waves and the move's week) among the weeks found;
- misplaced blackouts: blackouts starting where a drop says nothing about the group: in a
  series' first 4 weeks of data or the collection's thin start (plus a week), in a collection
  gap or the week before it, or in the last week of a source's records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

__all__ = [
    "GOALS",
    "misplaced_blackouts",
    "silence_scores",
    "successor_scores",
    "wave_scores",
]

GOALS = {"successor_precision": 0.9, "successor_recall": 0.9}
START_DAYS = 28  # a series' first days: no baseline yet to fall from
MARGIN_DAYS = 7


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def successor_scores(
    truth: Mapping[str, Any], candidates: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Precision and recall of the reported (old, new) pairs against the planted ones."""
    planted = {(p["old"]["actor_id"], p["new"]["actor_id"]) for p in truth["successors"]}
    decoys = {d["actor_id"]: d["kind"] for d in truth["decoys"]}
    reported = {(c["old_actor_id"], c["new_actor_id"]) for c in candidates}
    correct = planted & reported
    accounts = [a for p in truth["successors"] for a in (p["old"], p["new"])]
    handle = {a["actor_id"]: a["handle"] for a in [*accounts, *truth["decoys"]]}
    return {
        "planted": len(planted),
        "reported": len(reported),
        "correct": len(correct),
        "precision": _ratio(len(correct), len(reported)),
        "recall": _ratio(len(correct), len(planted)),
        "decoys": len(decoys),
        "decoys_reported": sorted(
            f"{decoys[new]}: @{handle.get(new, new)}" for _, new in reported if new in decoys
        ),
        "missed": sorted(f"@{handle[old]} -> @{handle[new]}" for old, new in planted - reported),
        "goal": GOALS["successor_precision"],
    }


def silence_scores(
    truth: Mapping[str, Any], rows: Iterable[Mapping[str, Any]], min_posts: int, min_days: int
) -> dict[str, Any]:
    """The planted silences the run reports with their planted last post, and those it judged
    unusual for the account's own rhythm (``silent``), by why they were planted.

    Reported: the account's row holds the planted last tweet as its last post and the silence
    was judged (``silent`` or ``pause``; not cut short by an export's end, not too little
    history). ``rows``: the run's ``silences`` table (actor_id, status, last_post_id);
    ``min_posts`` and ``min_days``: its usable history, to count the silences too thin to judge.
    """
    found = {row["actor_id"]: row for row in rows}
    reported, unusual, missed = 0, 0, []
    by_why: dict[str, dict[str, int]] = {}
    for silence in truth["silences"]:
        row = found.get(silence["actor_id"])
        counts = by_why.setdefault(silence["why"], {"planted": 0, "reported": 0, "unusual": 0})
        counts["planted"] += 1
        same = row is not None and row["last_post_id"] == silence["last_post_id"]
        if same and row is not None and row["status"] in ("silent", "pause"):
            reported += 1
            counts["reported"] += 1
            if row["status"] == "silent":
                unusual += 1
                counts["unusual"] += 1
                continue
        status = row["status"] if row else "not in the run"
        if row and not same:
            status = f"{status}, last post {row['last_post_id']}"
        missed.append({"handle": silence["handle"], "why": silence["why"], "status": status})
    planted = len(truth["silences"])
    thin = sum(
        1 for s in truth["silences"] if s["posts"] < min_posts or s["active_days"] < min_days
    )
    return {
        "planted": planted,
        "reported": reported,
        "share": _ratio(reported, planted),
        "unusual": unusual,
        "by_why": by_why,
        "too_little_history": thin,
        "not_unusual": missed,
    }


def wave_scores(truth: Mapping[str, Any], weeks: Iterable[date | str]) -> dict[str, Any]:
    """The planted wave weeks (Mondays) among the ``weeks`` found, and the others found."""
    planted = [w["week_start"] for w in truth["silence_waves"]]
    found = sorted({_day(w).isoformat() for w in weeks})
    return {
        "planted": planted,
        "found": [w for w in planted if w in found],
        "missed": [w for w in planted if w not in found],
        "other_weeks": [w for w in found if w not in planted],
    }


def _zones(truth: Mapping[str, Any], source_ends: Sequence[date]) -> list[tuple[date, date, str]]:
    collection = truth["collection"]
    thin = collection["thin_start"]
    zones = [
        (
            _day(collection["first_day"]),
            _day(thin["real_volume_from"]) + timedelta(days=MARGIN_DAYS - 1),
            "series start",
        )
    ]
    for gap in collection["gaps"]:
        first = _day(gap["from"]) - timedelta(days=MARGIN_DAYS)
        zones.append((first, _day(gap["to"]), "collection gap"))
    for end in source_ends:
        zones.append((end - timedelta(days=MARGIN_DAYS), date.max, "export end"))
    return zones


def misplaced_blackouts(
    truth: Mapping[str, Any],
    blackouts: Iterable[Mapping[str, Any]],
    series_first: Mapping[tuple[str, str], date],
    source_ends: Sequence[date],
) -> list[dict[str, Any]]:
    """Blackouts starting at a series' start, in a collection gap or at a source's end.

    ``series_first``: (dimension, key) -> the series' first day with posts; ``source_ends``:
    each source's last day with a record."""
    zones = _zones(truth, source_ends)
    found = []
    for row in blackouts:
        start = _day(row["start_day"])
        where = [why for first, last, why in zones if first <= start <= last]
        first = series_first.get((row["dimension"], row["key"]))
        if first is not None and first <= start < first + timedelta(days=START_DAYS):
            where.insert(0, "series start")
        if where:
            label = row["label"] or row["key"]
            found.append({"series": f"{row['dimension']} {label}", "start": start.isoformat(),
                          "where": where[0]})  # fmt: skip
    return found

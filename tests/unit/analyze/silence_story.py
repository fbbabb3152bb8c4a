"""Small hand-made cases for the silence analysis, as CSV files a user would ingest.

``rhythms``: one account of each kind (silent, export ends, pause, too little history).
``wave``: about 20 accounts active at a time over 30 weeks; one stops a week (a new one starts),
8 stop in week 12 (the wave) and 3 in week 18 (a busy week, not a wave).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

T0 = datetime(2016, 1, 1, 10, tzinfo=UTC)  # 13:00 in Baghdad: the same day in either zone
MONDAY = datetime(2016, 1, 4, 10, tzinfo=UTC)
WEEKS = 30
WAVE_WEEK = 12
BUSY_WEEK = 18  # 3 accounts stop: more than usual, not a wave
WAVE_MONDAY = (MONDAY + timedelta(weeks=WAVE_WEEK)).date()


def _lines(name: str, start: datetime, days: Iterable[int], mention: str = "steady") -> list[str]:
    return [f"{name},{(start + timedelta(days=d)).isoformat()},day {d} @{mention}" for d in days]


def write_rhythms(folder: Path) -> tuple[Path, Path]:
    """Two sources. ``group.csv`` runs from 1 January to 29 June 2016:

    - ``stops`` posts every 2 days until 30 April, then nothing for 60 days: silent;
    - ``steady`` every 2 days to the end; ``rare`` once every 30 days: a pause, not a silence;
    - ``newbie`` twice in January: too little history.

    ``other.csv`` ends on 12 March: ``cut`` posts every 2 days until 9 March, 3 days before
    its only source ends: the export ends, not a silence.
    """
    group = ["username,time,text"]
    group += _lines("steady", T0, range(0, 181, 2))
    group += _lines("stops", T0, range(0, 121, 2))
    group += _lines("rare", T0, range(0, 181, 30))
    group += _lines("newbie", T0, [5, 9])
    other = ["username,time,text"]
    other += _lines("cut", T0, range(0, 69, 2)) + _lines("filler", T0, [71])
    paths = (folder / "group.csv", folder / "other.csv")
    for path, lines in zip(paths, (group, other), strict=True):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def stops_in(week: int) -> int:
    return {WAVE_WEEK: 8, BUSY_WEEK: 3}.get(week, 1 if 2 <= week <= 25 else 0)


def write_wave(folder: Path) -> tuple[Path, dict[str, date]]:
    """``wave.csv``, and the last day of each account that stops before the end.

    Every account posts daily and mentions ``first_0`` and the account before it (so the
    network has edges); a stopping account posts its last on the Thursday of its week.
    """
    pool = [f"first_{n}" for n in range(20)]
    spans = {name: [0, WEEKS * 7 - 1] for name in pool}
    born = 0
    for week in range(WEEKS):
        for _ in range(stops_in(week)):
            gone = pool.pop(0)
            spans[gone][1] = week * 7 + 3
            pool.append(f"new_{born}")
            spans[f"new_{born}"] = [week * 7, WEEKS * 7 - 1]
            born += 1
    lines = ["username,time,text"]
    names = list(spans)
    for index, (name, (first, last)) in enumerate(spans.items()):
        lines += _lines(name, MONDAY, range(first, last + 1), names[index - 1])
    path = folder / "wave.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ended = {
        name: (MONDAY + timedelta(days=last)).date()
        for name, (_, last) in spans.items()
        if last < WEEKS * 7 - 1
    }
    return path, ended


def insert_history(con: Any, name: str, gaps: list[int], silence: int) -> None:
    """Posts of ``name`` from 1 January 2016 with these gaps (empty days between posting days),
    alone in a source that ends ``silence`` days after its last post (another account's post
    then). Straight into the store: faster than ingesting, for many small cases."""
    days = [0]
    for empty in gaps:
        days.append(days[-1] + empty + 1)
    rows = [(f"{name}-{n}", name, T0 + timedelta(days=day)) for n, day in enumerate(days)]
    rows.append((f"{name}-end", f"clock-{name}", T0 + timedelta(days=days[-1] + silence)))
    con.executemany(
        "INSERT INTO posts (id, platform, kind, author_id, posted_at, text, source_id, locator) "
        "VALUES (?, 'twitter', 'post', ?, ?, '', ?, 'row')",
        [(post, author, at, f"source-{name}") for post, author, at in rows],
    )


def silence_of(con: Any, **options: Any) -> dict[str, dict[str, Any]]:
    """Run the analysis on ``con`` (time zone UTC); its silences rows by account id."""
    from veille.analyze.base import AnalysisInputs
    from veille.analyze.silence import SilenceAnalysis

    analysis = SilenceAnalysis()
    inputs = AnalysisInputs(con, "UTC", {})
    output = analysis.run(inputs, analysis.plan(inputs, **options), "run")
    return {row["actor_id"]: row for row in output.tables["silences"].to_pylist()}


def reference_surprise(gaps: list[int], silence: int) -> float:
    """The formula of ``veille.analyze.silence``'s docstring, term by term, in plain Python."""
    from veille.analyze.silence import THRESHOLDS

    terms = [sum(1 for e in gaps if e >= silence) / len(gaps)]  # t = s: its own record
    for t in THRESHOLDS:
        longer = [e for e in gaps if e >= t]
        if longer:
            b = max(t, 1) + sum(e - t for e in longer)
            tail = (b / (b + max(silence - t, 0))) ** (1 + len(longer))
            terms.append(len(longer) / len(gaps) * tail)
    return max(-math.log10(max(terms)), 0.0)

"""Blackout detection: quality and speed of ``detect_shifts`` on planted series.

Plants one blackout in each of ``--series`` synthetic series (``veille.demo.planted_series``:
weekly cycle, negative-binomial noise, trends, bursts; depth 30-95 %, 3-60 days, 1-200
posts/day) and adds ``--controls`` series without one (half of them bursty), then scores the
drop shifts found (``veille.analyze.changepoint_scores``):

- precision and recall of the shift starts at margins 3, 5 and 7 days, pooled over series,
  without the added 0 (detections on a stratum's series / its planted starts), for the goal
  stratum (depth >= 60 %, duration >= 10 days, mean >= 20 posts/day), all planted series,
  and by depth band, mean level, duration; beside them TCPDBench's F1 (0 added, mean over
  series) of the detector and of the no-change detector that reports nothing;
- detection delay, alarm day - true start, for starts matched at margin 5, and the median
  error of the depth found (|found - planted|, in points) for starts within 5 days;
- false alarms: drop shifts (and rise shifts) on the controls per 10 series-years;
- speed: series per second, one process, one core;
- coverage cases (``plant_coverage_cases``, ``--cases`` series of each kind, half with a drop
  of 60-95 % at 20-200 posts a day): a series that starts late, a collection that starts
  thin, a collection gap, an export that ends. Each is judged as the ``activity`` analysis
  judges a series that is its source's only one: coverage from ``veille.analyze.coverage``
  on its own records, then ``covered_shifts``. ``--calendar-only`` judges every day of the
  calendar instead, zeros included, as veille did before coverage (and runs on a checkout
  from before it, for the before/after figures). Scored: P/R within 5 days, false alarms per
  series, and of those the ones in days without data (before the series began, in the gap,
  after the export ended).

The thresholds are ``DetectorSettings()``'s defaults, chosen by ``--tune`` on ``--tune-seed``;
the figures are reported on ``--seed``, a different planted set.

    .venv/bin/python bench/blackouts.py              # report on seed 2
    .venv/bin/python bench/blackouts.py --json
    .venv/bin/python bench/blackouts.py --tune       # grid search on seed 1 (5-10 minutes)
    .venv/bin/python bench/blackouts.py --calendar-only   # coverage cases judged as before
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any

from veille.analyze.blackouts import DetectorSettings, Verdict, detect_shifts
from veille.analyze.changepoint_scores import (
    Counts,
    delay_summary,
    delays,
    f_measure,
    false_alarms_per_year,
    pooled,
)
from veille.demo.planted_series import (
    COVERAGE_CASES,
    CoverageCase,
    PlantedBlackout,
    PlantedSet,
    plant_coverage_cases,
    plant_series,
)

MARGINS = (3, 5, 7)
GOAL_MARGIN = 5
GOAL = "goal: depth>=60%, >=10 days, >=20/day"
# The grid --tune searches; the budget keeps headroom under the goal of 1 per 10 series-years.
GRID: dict[str, tuple[Any, ...]] = {
    "threshold": (6.0, 8.0, 10.0, 12.0, 15.0),
    "drop_ratio": (0.3, 0.4, 0.5),
    "drop_min_days": (2, 3, 4),
    "min_depth": (0.2, 0.3, 0.4),
}  # min_confidence left out: at 0.95-0.999 it changed nothing (an alarm is already rare)
TUNE_BUDGET = 0.5  # false drop alarms per 10 control series-years on the tuning seed


def _in_goal(b: PlantedBlackout) -> bool:
    return b.depth >= 0.6 and b.duration >= 10 and b.mean >= 20


STRATA: list[tuple[str, Callable[[PlantedBlackout], bool]]] = [
    (GOAL, _in_goal),
    ("all planted", lambda b: True),
    ("depth 30-45%", lambda b: b.depth < 0.45),
    ("depth 45-60%", lambda b: 0.45 <= b.depth < 0.6),
    ("depth 60-75%", lambda b: 0.6 <= b.depth < 0.75),
    ("depth 75-95%", lambda b: b.depth >= 0.75),
    ("mean 1-5/day", lambda b: b.mean < 5),
    ("mean 5-20/day", lambda b: 5 <= b.mean < 20),
    ("mean 20-200/day", lambda b: b.mean >= 20),
    ("3-9 days", lambda b: b.duration < 10),
    (">=10 days", lambda b: b.duration >= 10),
    ("ongoing at the end", lambda b: b.ongoing),
]


def run(planted: PlantedSet, settings: DetectorSettings, direction: str) -> tuple[
    list[Verdict], float
]:  # fmt: skip
    """Verdicts for every row, and the seconds spent in detect_shifts."""
    started = time.perf_counter()
    verdicts = [
        detect_shifts(planted.counts[i], planted.weekdays[i], direction, settings)
        for i in range(planted.counts.shape[0])
    ]
    return verdicts, time.perf_counter() - started


def _nan_to_none(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def score(
    planted: PlantedSet,
    drops: list[Verdict],
    rises: list[Verdict],
    strata_kept: list[tuple[str, Callable[[PlantedBlackout], bool]]] = STRATA,
    margins: tuple[int, ...] = MARGINS,
) -> dict[str, Any]:
    """Every figure the bench prints, as one JSON-able dict."""
    strata: dict[str, Any] = {}
    for name, keep in strata_kept:
        chosen = [b for b in planted.blackouts if keep(b)]
        row: dict[str, Any] = {"n": len(chosen)}
        for margin in margins:
            total = Counts(0, 0, 0)
            for b in chosen:
                total += pooled([b.start], [s.start for s in drops[b.series].shifts], margin)
            row[f"M{margin}"] = {
                "precision": _nan_to_none(total.precision),
                "recall": _nan_to_none(total.recall),
                "found": total.found,
                "matched": total.matched,
            }
        f1 = [
            f_measure([[b.start]], [s.start for s in drops[b.series].shifts], GOAL_MARGIN).f1
            for b in chosen
        ]
        silent = [f_measure([[b.start]], [], GOAL_MARGIN).f1 for b in chosen]
        row["tcpd_f1"] = _nan_to_none(sum(f1) / len(f1)) if f1 else None
        row["tcpd_f1_no_change"] = _nan_to_none(sum(silent) / len(silent)) if silent else None
        late = [
            d
            for b in chosen
            for d in delays(
                [b.start],
                [s.start for s in drops[b.series].shifts],
                [s.alarm for s in drops[b.series].shifts],
                GOAL_MARGIN,
            )
        ]
        median, p90 = delay_summary(late)
        row["delay_median"], row["delay_p90"] = _nan_to_none(median), _nan_to_none(p90)
        errors = [
            abs(s.depth - b.depth)
            for b in chosen
            for s in drops[b.series].shifts
            if abs(s.start - b.start) <= GOAL_MARGIN
        ]
        row["depth_error_median"] = _nan_to_none(delay_summary(errors)[0])
        strata[name] = row
    controls = [i for i in range(len(drops)) if planted.is_control[i]]
    days = planted.days * len(controls)
    bursty = [i for i in controls if planted.bursty[i]]

    def per_ten_years(verdicts: list[Verdict], rows: list[int]) -> float | None:
        alarms = sum(len(verdicts[i].shifts) for i in rows)
        return _nan_to_none(10 * false_alarms_per_year(alarms, planted.days * len(rows)))

    return {
        "seed": planted.seed,
        "planted": len(planted.blackouts),
        "controls": len(controls),
        "days": planted.days,
        "strata": strata,
        "false_alarms_per_10_series_years": {
            "drop": per_ten_years(drops, controls),
            "drop_bursty": per_ten_years(drops, bursty),
            "rise": per_ten_years(rises, controls),
            "rise_bursty": per_ten_years(rises, bursty),
            "control_series_years": round(days / 365, 1),
        },
        "too_sparse": sum(v.status == "too sparse" for v in drops),
    }


def _judge_case(case: CoverageCase, settings: DetectorSettings, calendar_only: bool) -> Verdict:
    if calendar_only:  # every day of the calendar, zeros included: veille before coverage
        return detect_shifts(case.counts, case.weekdays, "drop", settings)
    from veille.analyze.coverage import series_coverage, source_coverage
    from veille.analyze.covered_shifts import covered_shifts

    source = source_coverage("planted", "planted", case.counts, several_voices=True)
    coverage = series_coverage(case.counts, [(source, int(case.counts.sum()))])
    return covered_shifts(case.counts, case.weekdays, coverage, "drop", settings)


def coverage_cases(
    per_case: int, days: int, seed: int, settings: DetectorSettings, calendar_only: bool
) -> dict[str, Any]:
    """P/R (margin 5) and false alarms on each kind of coverage case."""
    cases = plant_coverage_cases(per_case, days, seed)
    out: dict[str, Any] = {}
    for kind in COVERAGE_CASES:
        total = Counts(0, 0, 0)
        false = in_no_data = 0
        chosen = [case for case in cases if case.kind == kind]
        for case in chosen:
            shifts = _judge_case(case, settings, calendar_only).shifts
            truth = [] if case.blackout is None else [case.blackout.start]
            total += pooled(truth, [s.start for s in shifts], GOAL_MARGIN)
            absent = ~case.collected
            absent[: case.begins] = True
            for shift in shifts:
                if truth and abs(shift.start - truth[0]) <= GOAL_MARGIN:
                    continue
                false += 1
                in_no_data += bool(absent[shift.start : shift.end].any())
        out[kind] = {
            "series": len(chosen),
            "planted": total.true,
            "precision": _nan_to_none(total.precision),
            "recall": _nan_to_none(total.recall),
            "false_per_series": round(false / len(chosen), 3) if chosen else None,
            "false_in_no_data": in_no_data,
        }
    return {"seed": seed, "calendar_only": calendar_only, "kinds": out}


def tune(args: argparse.Namespace) -> dict[str, Any]:
    """Grid search on the tuning seed: best F1 over all planted at margin 5 within budget."""
    planted = plant_series(args.series, args.controls, args.days, args.tune_seed)
    none: list[Verdict] = [Verdict("steady", (), 0.0, "") for _ in range(planted.counts.shape[0])]
    tried = []
    for values in itertools.product(*GRID.values()):
        settings = DetectorSettings(**dict(zip(GRID, values, strict=True)))
        drops = run(planted, settings, "drop")[0]
        figures = score(planted, drops, none, STRATA[:2], (GOAL_MARGIN,))  # goal and all
        everything = figures["strata"]["all planted"][f"M{GOAL_MARGIN}"]
        goal = figures["strata"][GOAL][f"M{GOAL_MARGIN}"]
        p, r = everything["precision"] or 0.0, everything["recall"] or 0.0
        row = {
            **dict(zip(GRID, values, strict=True)),
            "false_alarms": figures["false_alarms_per_10_series_years"]["drop"],
            "goal_precision": goal["precision"],
            "goal_recall": goal["recall"],
            "f1_all": 0.0 if p + r == 0 else 2 * p * r / (p + r),
        }
        tried.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    allowed = [
        row
        for row in tried
        if row["false_alarms"] <= TUNE_BUDGET
        and (row["goal_precision"] or 0) >= 0.9
        and (row["goal_recall"] or 0) >= 0.9
    ]
    best = max(allowed or tried, key=lambda row: row["f1_all"])
    return {"tune_seed": args.tune_seed, "budget": TUNE_BUDGET, "best": best, "tried": len(tried)}


def _pr(cell: dict[str, Any]) -> str:
    def fmt(value: float | None) -> str:
        return "  —  " if value is None else f"{value:.3f}"

    return f"{fmt(cell['precision'])}/{fmt(cell['recall'])}"


def show(figures: dict[str, Any], settings: DetectorSettings, tune_seed: int) -> None:
    print("Blackout detection on planted series: veille.analyze.blackouts (NB CUSUM)")
    print(
        f"thresholds: DetectorSettings() defaults, tuned with --tune on seed {tune_seed}; "
        f"figures below on seed {figures['seed']}"
    )
    print(
        f"{figures['planted']} planted series + {figures['controls']} controls (half bursty), "
        f"{figures['days']} days each; too sparse: {figures['too_sparse']}"
    )
    print()
    print("P/R: pooled precision/recall of shift starts, no added 0 (no-change: —/0.000)")
    print("F1: TCPDBench F1 at M=5 (0 added, mean over series), detector vs no-change")
    head = f"{'stratum':<38} {'n':>5}" + "".join(f"  {'M=' + str(m) + ' P/R':>13}" for m in MARGINS)
    print(f"{head}  {'F1':>5} {'none':>5}  {'delay med/p90':>13}  {'|Δdepth|':>8}")
    for name, row in figures["strata"].items():
        cells = "".join(f"  {_pr(row[f'M{m}']):>13}" for m in MARGINS)
        f1 = row["tcpd_f1"]
        silent = row["tcpd_f1_no_change"]
        delay = (
            "—"
            if row["delay_median"] is None
            else f"{row['delay_median']:.0f}/{row['delay_p90']:.0f} d"
        )
        f1_text = "  —  " if f1 is None else f"{f1:.3f}"
        silent_text = "  —  " if silent is None else f"{silent:.3f}"
        error = row["depth_error_median"]
        error_text = "—" if error is None else f"{100 * error:.1f} pt"
        print(
            f"{name:<38} {row['n']:>5}{cells}  {f1_text} {silent_text}  {delay:>13}"
            f"  {error_text:>8}"
        )
    alarms = figures["false_alarms_per_10_series_years"]
    print()
    print(
        f"false alarms per 10 control series-years ({alarms['control_series_years']} "
        f"series-years): drops {alarms['drop']} (bursty controls {alarms['drop_bursty']}), "
        f"rises {alarms['rise']} (bursty {alarms['rise_bursty']})"
    )
    speed = figures["speed"]
    print(
        f"speed: {speed['series_per_second']:.0f} series/s of {figures['days']} days "
        f"(drop direction, one process, {speed['seconds']:.2f} s)"
    )
    cases = figures["coverage_cases"]
    how = "every calendar day (--calendar-only)" if cases["calendar_only"] else "coverage"
    print()
    print(f"coverage cases (seed {cases['seed']}), judged on {how}:")
    head = f"{'case':<16} {'series':>6} {'drops':>5}  {'M=5 P/R':>13}  {'false/series':>12}"
    print(f"{head}  in no data")
    for kind, row in cases["kinds"].items():
        print(
            f"{kind:<16} {row['series']:>6} {row['planted']:>5}  {_pr(row):>13}  "
            f"{row['false_per_series']:>12}  {row['false_in_no_data']}"
        )
    print(f"settings: {json.dumps(settings.as_dict())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000, help="planted series")
    parser.add_argument("--controls", type=int, default=1000, help="series without a blackout")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=2, help="planted set the figures are on")
    parser.add_argument("--tune-seed", type=int, default=1, help="planted set --tune uses")
    parser.add_argument("--tune", action="store_true", help="grid-search the thresholds")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--cases", type=int, default=200, help="coverage cases of each kind")
    parser.add_argument(
        "--calendar-only",
        action="store_true",
        help="judge coverage cases on every calendar day, as veille did before coverage",
    )
    args = parser.parse_args()
    if args.tune:
        if args.seed == args.tune_seed:
            parser.error("tune and report on different seeds")
        print(json.dumps(tune(args), indent=2))
        return
    settings = DetectorSettings()
    planted = plant_series(args.series, args.controls, args.days, args.seed)
    drops, seconds = run(planted, settings, "drop")
    rises, _ = run(planted, settings, "rise")
    figures = score(planted, drops, rises)
    figures["tune_seed"] = args.tune_seed
    figures["speed"] = {
        "series": len(drops),
        "seconds": round(seconds, 3),
        "series_per_second": round(len(drops) / seconds, 1),
    }
    figures["settings"] = settings.as_dict()
    figures["coverage_cases"] = coverage_cases(
        args.cases, args.days, args.seed, settings, args.calendar_only
    )
    if args.json:
        print(json.dumps({"ok": True, **figures}, indent=2))
    else:
        show(figures, settings, args.tune_seed)


if __name__ == "__main__":
    main()

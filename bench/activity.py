"""Activity series, blackout detection and account silence over generated posts, beside pandas
doing the series and the per-account silence figures.

Generates (at bench time, in a temporary case) ``--posts`` posts over two years on four
platforms, 40 channels and ``--accounts`` accounts (5,000), 30 % of them naming one of 60 places,
with a planted blackout on one place; then, each in a child process (peak RSS is per process):

- ``veille-exact``: the ``activity`` analysis (series by place, country, platform and channel in
  DuckDB, blackout and rise detection on every series, moves, hotspots by people, results
  stored) with exact counts of active accounts, then the ``silence`` analysis (every account's
  rhythm, last post, coverage and silence, scored; waves; results stored);
- ``veille-estimated``: the same with HyperLogLog account counts, veille's default above
  2,000,000 posts;
- ``pandas``: the same daily series with ``groupby`` + ``resample``, and the silence analysis's
  per-account figures and scores with ``groupby`` (``bench/silence.py``'s ``pandas_silence``),
  from a DataFrame already in memory (loading it from the case is timed apart); no blackout
  or hotspot detection at all.

    .venv/bin/python bench/activity.py                  # 10^7 posts
    .venv/bin/python bench/activity.py --posts 1000000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from child import cpu_seconds, peak_rss_mb, run_child
from silence import pandas_silence

MODES = ("veille-exact", "veille-estimated", "pandas")
PLACES = 60
DAYS = 730
BLACKOUT_PLACE = 7  # its posts fall by 90 % from day 500
ZONE = "Asia/Baghdad"


def build(root: Path, posts: int, accounts: int) -> None:
    from veille.case import Case

    case = Case.init(root / "case", time_zone=ZONE)
    con = case.con
    con.execute(
        f"""
        INSERT INTO posts (id, platform, kind, author_id, chat_id, posted_at, text, source_id,
                           locator)
        SELECT 'p' || i, ['twitter', 'telegram', 'whatsapp', 'web'][1 + i % 4], 'post',
               'a' || (hash(i) % {accounts}), 'c' || (hash(i * 7) % 40),
               TIMESTAMPTZ '2015-01-01 00:00:00+00'
                   + to_seconds((hash(i * 13) % ({DAYS} * 86400))::BIGINT),
               '', 'bench', 'row ' || i
        FROM range({posts}) t(i)
        """
    )
    con.execute(
        f"""
        INSERT INTO post_places (run_id, post_id, origin, field, place_id, name, country_code,
                                 level, latitude, longitude, confidence, reason)
        SELECT 'bench', id, 'text', 'text', 'geonames:' || place, 'Place ' || place,
               'C' || (place % 12), 'city', 30.0, 40.0, 0.95, 'bench'
        FROM (SELECT id, posted_at, hash(id) % {PLACES} AS place FROM posts
              WHERE hash(id || 'x') % 10 < 3)
        WHERE NOT (place = {BLACKOUT_PLACE}
                   AND posted_at >= TIMESTAMPTZ '2015-01-01 00:00:00+00' + INTERVAL 500 DAY
                   AND hash(id || 'y') % 10 < 9)
        """
    )
    case.close()


def run_veille(root: Path, exact: bool) -> dict[str, Any]:
    # Imported before the clock starts, as imports are not work: scipy's, and pandas, which
    # DuckDB imports on the first query with parameters (the pandas side imports it untimed).
    import pandas  # noqa: F401

    from veille.analyze import ANALYSES
    from veille.analyze.base import AnalysisInputs
    from veille.runs.analysis import run_analysis
    from veille.store.database import open_database

    ANALYSES.get("activity")
    ANALYSES.get("silence")
    con = open_database(root / "case" / "case.duckdb")
    inputs = AnalysisInputs(con, ZONE, {})
    began, cpu = time.perf_counter(), cpu_seconds()
    report = run_analysis(inputs, "activity", exact_accounts=exact).result
    activity, activity_cpu = time.perf_counter() - began, cpu_seconds() - cpu
    began, cpu = time.perf_counter(), cpu_seconds()
    silence = run_analysis(inputs, "silence").result
    silent, silence_cpu = time.perf_counter() - began, cpu_seconds() - cpu
    found = [b for b in report.blackouts if b["key"] == f"geonames:{BLACKOUT_PLACE}"]
    return {
        "seconds": activity + silent,
        "activity_seconds": activity,
        "silence_seconds": silent,
        "cpu_seconds": activity_cpu + silence_cpu,
        "series": report.series,
        "blackouts": len(report.blackouts),
        "hotspots": len(report.hotspots),
        "planted_found": bool(found),
        "found_start": str(found[0]["start_day"]) if found else None,
        "accounts": silence.accounts,
        "statuses": silence.statuses,
    }


def run_pandas(root: Path) -> dict[str, Any]:
    import duckdb  # .df() below needs pandas installed

    con = duckdb.connect(str(root / "case" / "case.duckdb"), read_only=True)
    began = time.perf_counter()
    posts = con.execute(
        "SELECT id, author_id, platform, chat_id, posted_at, source_id FROM posts "
        "WHERE kind <> 'service'"
    ).df()
    places = con.execute("SELECT post_id, place_id, country_code FROM post_places").df()
    loaded = time.perf_counter() - began
    began, cpu = time.perf_counter(), cpu_seconds()
    silence = pandas_silence(posts[["id", "author_id", "posted_at", "source_id"]].copy(), ZONE)
    silent = time.perf_counter() - began
    began = time.perf_counter()
    posts["posted_at"] = posts["posted_at"].dt.tz_convert(ZONE)
    posts = posts.set_index("posted_at")
    series = 0
    for column in ("platform", "chat_id"):
        daily = posts.groupby(column).resample("D").agg({"id": "count", "author_id": "nunique"})
        series += daily.index.get_level_values(0).nunique()
    joined = places.merge(posts.reset_index(), left_on="post_id", right_on="id")
    joined = joined.set_index("posted_at")
    for column in ("place_id", "country_code"):
        daily = joined.groupby(column).resample("D").agg({"id": "count", "author_id": "nunique"})
        series += daily.index.get_level_values(0).nunique()
    activity = time.perf_counter() - began
    return {
        "seconds": activity + silent,
        "activity_seconds": activity,
        "silence_seconds": silent,
        "cpu_seconds": cpu_seconds() - cpu,
        "load_seconds": loaded,
        "series": series,
        **{f"silence_{key}": value for key, value in silence.items()},
    }


def child(mode: str, root: Path) -> None:
    if mode == "pandas":
        result = run_pandas(root)
    else:
        result = run_veille(root, exact=mode == "veille-exact")
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def measure(mode: str, root: Path) -> dict[str, Any]:
    return run_child(__file__, "--child", mode, "--root", str(root))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000_000)
    parser.add_argument("--accounts", type=int, default=5_000)
    parser.add_argument("--child", choices=MODES)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.root)
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        began = time.perf_counter()
        build(root, args.posts, args.accounts)
        built = time.perf_counter() - began
        results = {
            "posts": args.posts,
            "accounts": args.accounts,
            "build_seconds": built,
            **{mode: measure(mode, root) for mode in MODES},
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    p = results["pandas"]
    print(f"{args.posts:,} posts, {args.accounts:,} accounts (generated in {built:.1f} s)")
    for mode in ("veille-exact", "veille-estimated"):
        v = results[mode]
        print(
            f"{mode:<17} activity {v['activity_seconds']:6.2f} s "
            f"({p['activity_seconds'] / v['activity_seconds']:.1f}x pandas) + silence "
            f"{v['silence_seconds']:6.2f} s ({p['silence_seconds'] / v['silence_seconds']:.1f}x) "
            f"= {v['seconds']:6.2f} s, peak {v['peak_rss_mb']:,.0f} MB, "
            f"{p['seconds'] / v['seconds']:.1f}x pandas (CPU {v['cpu_seconds']:.1f} s, "
            f"{p['cpu_seconds'] / v['cpu_seconds']:.1f}x); planted blackout found: "
            f"{v['planted_found']} ({v['found_start']}); {v['hotspots']} hotspots"
        )
    print(
        f"{'pandas':<17} series {p['activity_seconds']:6.2f} s + silence "
        f"{p['silence_seconds']:6.2f} s = {p['seconds']:6.2f} s "
        f"(+{p['load_seconds']:.1f} s loading), CPU {p['cpu_seconds']:.1f} s, "
        f"peak {p['peak_rss_mb']:,.0f} MB"
    )
    v = results["veille-exact"]
    print(f"series: {v['series']}; silence statuses: {v['statuses']}")


if __name__ == "__main__":
    main()

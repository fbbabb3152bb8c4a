"""Account silence over generated posts, beside pandas computing the same per-account figures.

Generates (at bench time, in a temporary case) ``--accounts`` accounts and ``--posts`` posts
(10^6 and 10^7 by default: ten posts each) over two years, each account posting on its own
first and last day and at random between; a planted wave: 4 % of the accounts alive in week 60
post their last that week; one of four sources ends on day 500, so the accounts read only from
it end with their export. Then, each in a child process (peak RSS is per process):

- ``veille``: the ``silence`` analysis (per-account rhythm, coverage and silence in DuckDB,
  scores and waves with numpy, results stored), with no network run;
- ``pandas``: the same per-account figures (posting days, gaps, last post, coverage of its
  sources, gaps at least as long as the silence) with ``groupby`` from a DataFrame already in
  memory (loading it from the case is timed apart), scored by the same numpy functions.

    .venv/bin/python bench/silence.py                          # 10^6 accounts, 10^7 posts
    .venv/bin/python bench/silence.py --accounts 100000 --posts 1000000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from child import peak_rss_mb, run_child

MODES = ("veille", "pandas")
DAYS = 730
ZONE = "Asia/Baghdad"
WAVE_DAY = 7 * 60 + 4  # a Monday: 2015-01-01 + 424 days is Monday 2016-02-29
SOURCE_END = 500  # the last day of source 3
START = date(2015, 1, 1)


def build(root: Path, accounts: int, posts: int) -> None:
    from veille.case import Case

    case = Case.init(root / "case", time_zone=ZONE)
    con = case.con
    con.execute(
        f"""
        CREATE TEMP TABLE spans AS
        WITH drawn AS (
            SELECT a, (hash(a) % CASE WHEN a % 4 = 3 THEN {SOURCE_END - 30} ELSE {DAYS - 60} END
                      )::BIGINT AS first_day,
                   (30 + hash(a * 3) % 500)::BIGINT AS life,
                   hash(a * 5) % 100 < 4 AS in_wave, a % 4 = 3 AS short_source
            FROM range({accounts}) t(a)
        ),
        ended AS (
            SELECT a, first_day, short_source,
                   CASE WHEN in_wave AND first_day < {WAVE_DAY} - 30
                             AND first_day + life > {WAVE_DAY} + 6
                        THEN {WAVE_DAY} + (hash(a * 11) % 7)::BIGINT
                        ELSE least(first_day + life, {DAYS - 1}) END AS last_day
            FROM drawn
        )
        SELECT a, first_day,
               CASE WHEN short_source THEN least(last_day, {SOURCE_END}) ELSE last_day END
                   AS last_day,
               'bench-' || (a % 4) AS source_id
        FROM ended
        """
    )
    con.execute(
        """
        INSERT INTO actors (id, platform, kind, handle, name, source_id, locator)
        SELECT 'a' || a, 'twitter', 'account', 'user_' || a, 'User ' || a, source_id, 'bench'
        FROM spans
        """
    )
    con.execute(
        f"""
        INSERT INTO posts (id, platform, kind, author_id, posted_at, text, source_id, locator)
        SELECT 'p' || i, 'twitter', 'post', 'a' || s.a,
               TIMESTAMPTZ '2015-01-01 00:00:00+00'
                   + to_seconds(day * 86400 + (hash(i * 17) % (20 * 3600))::BIGINT),
               '', s.source_id, 'row ' || i
        FROM (
            -- An account's first post is on its last day, its second on its first; the rest
            -- between. Hours 0-20 UTC stay on the same day in Baghdad (UTC+3).
            SELECT i, i % {accounts} AS a,
                   CASE i // {accounts} WHEN 0 THEN s.last_day WHEN 1 THEN s.first_day
                        ELSE s.first_day
                             + (hash(i * 13) % (s.last_day - s.first_day + 1))::BIGINT
                   END AS day
            FROM range({posts}) t(i) JOIN spans s ON s.a = i % {accounts}
        ) d JOIN spans s USING (a)
        """
    )
    case.close()


def run_veille(root: Path) -> dict[str, Any]:
    from veille.analyze import ANALYSES
    from veille.analyze.base import AnalysisInputs
    from veille.runs.analysis import run_analysis
    from veille.store.database import open_database

    ANALYSES.get("silence")  # imported before the clock starts, as scipy's import is not work
    con = open_database(root / "case" / "case.duckdb")
    began = time.perf_counter()
    found = run_analysis(AnalysisInputs(con, ZONE, {}), "silence").result
    seconds = time.perf_counter() - began
    wave = START + timedelta(days=WAVE_DAY)
    weeks = [str(w["week_start"]) for w in found.waves]
    return {
        "seconds": seconds,
        "accounts": found.accounts,
        "statuses": found.statuses,
        "waves": weeks,
        "planted_wave_found": str(wave - timedelta(days=wave.weekday())) in weeks,
    }


def run_pandas(root: Path) -> dict[str, Any]:
    import duckdb  # .df() below needs pandas installed

    con = duckdb.connect(str(root / "case" / "case.duckdb"), read_only=True)
    began = time.perf_counter()
    posts = con.execute(
        "SELECT id, author_id, posted_at, source_id FROM posts WHERE kind <> 'service'"
    ).df()
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    found = pandas_silence(posts, ZONE)
    return {"seconds": time.perf_counter() - began, "load_seconds": loaded, **found}


def pandas_silence(posts: Any, zone: str) -> dict[str, Any]:
    """The silence analysis's per-account figures, scores and weekly counts, the plain pandas
    way, from a DataFrame of posts (id, author_id, posted_at, source_id; service lines out):
    what ``bench/activity.py`` runs too."""
    import numpy as np
    import pandas as pd

    from veille.analyze.silence import THRESHOLDS
    from veille.analyze.silence_waves import silence_weeks, week_index

    local = posts["posted_at"].dt.tz_convert(zone).dt.tz_localize(None)
    posts["day"] = (local.dt.floor("D") - pd.Timestamp("1970-01-01")).dt.days
    source_end = posts.groupby("source_id")["day"].max().rename("source_end")
    sources = posts[["author_id", "source_id"]].drop_duplicates().join(source_end, on="source_id")
    covered = sources.groupby("author_id")["source_end"].max()
    ordered = posts.sort_values(["author_id", "posted_at", "id"])
    per_account = ordered.groupby("author_id").agg(
        posts=("id", "size"), first_day=("day", "min"), last_day=("day", "max"),
        last_post_id=("id", "last"),
    )  # fmt: skip
    per_account["silence_days"] = covered - per_account["last_day"]
    days = posts[["author_id", "day"]].drop_duplicates().sort_values(["author_id", "day"])
    days["empty"] = days.groupby("author_id")["day"].diff() - 1
    days = days.join(per_account["silence_days"], on="author_id")
    rhythm = days.groupby("author_id").agg(
        active_days=("day", "size"), gaps=("empty", "count"), median_gap=("empty", "median"),
        longest_gap=("empty", "max"),
    )  # fmt: skip
    table = per_account.join(rhythm)
    # The pause's chance: for each threshold, the gaps at least that long and their empty
    # days; the smallest surprise over the thresholds and the silence's own length.
    valid = days.dropna(subset=["empty"])
    owner = valid["author_id"]
    gaps, silence = table["gaps"].to_numpy(), table["silence_days"].to_numpy()

    def summed(values: Any) -> Any:  # per account, in the table's order
        return values.groupby(owner).sum().reindex(table.index, fill_value=0).to_numpy()

    with np.errstate(divide="ignore", invalid="ignore"):
        as_long = summed(valid["empty"] >= valid["silence_days"])
        terms = [np.where(as_long > 0, np.log10(gaps) - np.log10(as_long), np.inf)]
        for t in THRESHOLDS:
            longer = valid["empty"] >= t
            n_t, d_t = summed(longer), summed(valid["empty"].where(longer, 0))
            b = max(t, 1) + d_t - n_t * t
            tail = (1 + n_t) * (np.log10(b + np.maximum(silence - t, 0)) - np.log10(b))
            terms.append(np.where(n_t > 0, np.log10(gaps) - np.log10(n_t) + tail, np.inf))
    smallest = np.min(terms, axis=0)
    surprise = np.where(np.isfinite(smallest), np.maximum(smallest, 0), 0)
    usable = (table["posts"] >= 5).to_numpy() & (table["active_days"] >= 4).to_numpy()
    silent = usable & (silence > 3) & (silence >= 7) & (surprise >= 2)
    weeks = silence_weeks(
        week_index(table["first_day"].to_numpy()[usable]),
        week_index(table["last_day"].to_numpy()[usable]),
        silent[usable],
    )
    return {
        "accounts": len(table),
        "silent": int(np.count_nonzero(silent)),
        "weeks": len(weeks.silent),
    }


def child(mode: str, root: Path) -> None:
    result = run_pandas(root) if mode == "pandas" else run_veille(root)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def measure(mode: str, root: Path) -> dict[str, Any]:
    return run_child(__file__, "--child", mode, "--root", str(root))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--posts", type=int, default=10_000_000)
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
        build(root, args.accounts, args.posts)
        built = time.perf_counter() - began
        results = {
            "accounts": args.accounts,
            "posts": args.posts,
            "build_seconds": built,
            **{mode: measure(mode, root) for mode in MODES},
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    v, p = results["veille"], results["pandas"]
    print(f"{args.accounts:,} accounts, {args.posts:,} posts (generated in {built:.1f} s)")
    print(
        f"veille  silence analysis, stored: {v['seconds']:6.2f} s, peak "
        f"{v['peak_rss_mb']:,.0f} MB, {p['seconds'] / v['seconds']:.1f}x pandas; "
        f"{v['statuses']}; waves {v['waves']} (planted found: {v['planted_wave_found']})"
    )
    print(
        f"pandas  same figures (groupby): {p['seconds']:6.2f} s (+{p['load_seconds']:.1f} s "
        f"loading), peak {p['peak_rss_mb']:,.0f} MB; {p['silent']:,} silent"
    )


if __name__ == "__main__":
    main()

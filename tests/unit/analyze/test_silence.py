"""The silence analysis on small hand-made cases: silences with their last post, the end of an
export told apart, accounts judged by their own rhythm, and waves against the case's rate."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.unit.analyze.silence_story import (
    BUSY_WEEK,
    MONDAY,
    WAVE_MONDAY,
    write_rhythms,
    write_wave,
)
from veille.case import Case
from veille.errors import ConfigError


@pytest.fixture(scope="module")
def rhythms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The rhythms case's silences by handle, with the text of the last post."""
    folder = tmp_path_factory.mktemp("rhythms")
    with Case.init(folder / "case", time_zone="Asia/Baghdad") as case:
        case.ingest(list(write_rhythms(folder)))
        found = case.analyze("silence")
        cursor = case.con.execute(
            "SELECT a.handle, p.text AS last_text, s.* FROM silences s "
            "JOIN actors a ON a.id = s.actor_id JOIN posts p ON p.id = s.last_post_id "
            "WHERE s.run_id = ?",
            [found.run_id],
        )
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def test_an_account_that_stops_while_its_source_goes_on_fell_silent(
    rhythms: dict[str, dict[str, Any]],
) -> None:
    stops = rhythms["stops"]
    assert stops["status"] == "silent"
    assert stops["last_day"] == date(2016, 4, 30)
    assert stops["last_text"] == "day 120 @steady"  # the last post is the evidence
    assert stops["coverage_end_day"] == date(2016, 6, 29)
    assert stops["silence_days"] == 60
    assert (stops["median_gap_days"], stops["longest_gap_days"]) == (2.0, 2)
    assert stops["chance"] < 1e-10
    assert stops["surprise"] == pytest.approx(-math.log10(stops["chance"]), 1e-3)


def test_an_account_whose_source_ends_after_its_last_post_is_the_export_ending(
    rhythms: dict[str, dict[str, Any]],
) -> None:
    cut = rhythms["cut"]
    assert cut["status"] == "export ends"
    assert (cut["last_day"], cut["coverage_end_day"], cut["silence_days"]) == (
        date(2016, 3, 9),
        date(2016, 3, 12),
        3,
    )
    assert cut["chance"] is None  # not judged: the data stops, not the account


def test_each_account_is_judged_by_its_own_rhythm(rhythms: dict[str, dict[str, Any]]) -> None:
    assert rhythms["steady"]["status"] == "export ends"  # posts to the last day
    rare = rhythms["rare"]  # every 30 days: a month without a post is its usual
    assert rare["status"] == "export ends"
    newbie = rhythms["newbie"]
    assert newbie["status"] == "too little history"
    assert newbie["silence_days"] == 171
    assert newbie["chance"] is None


def test_a_pause_within_the_rhythm_is_not_a_silence(tmp_path: Path) -> None:
    lines = ["username,time,text"]
    lines += [f"monthly,2016-{m:02d}-01T10:00:00Z,news" for m in range(1, 10)]
    lines += [
        f"fortnightly,2016-{m:02d}-{d:02d}T10:00:00Z,x" for m in range(1, 11) for d in (1, 15)
    ]
    (tmp_path / "posts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Case.init(tmp_path / "case") as case:
        case.ingest([tmp_path / "posts.csv"])
        found = case.silences()
        rows = case.con.execute(
            "SELECT a.handle, status, silence_days, chance FROM silences s "
            "JOIN actors a ON a.id = s.actor_id WHERE run_id = ? ORDER BY a.handle",
            [found.run_id],
        ).fetchall()
    # monthly: last post 1 September, sources go on to 15 October: 44 days, after gaps of 29-31.
    (fortnightly, monthly) = rows
    assert fortnightly[1] == "export ends"
    assert monthly[1:3] == ("pause", 44)
    assert 0.01 < monthly[3] < 0.5
    assert found.statuses == {"silent": 0, "pause": 1, "export ends": 1, "too little history": 0}


@pytest.fixture(scope="module")
def wave_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wave")
    path, _ = write_wave(folder)
    with Case.init(folder / "case", time_zone="Asia/Baghdad") as case:
        case.ingest([path])
    return folder / "case"


def test_a_week_in_which_8_of_about_20_accounts_stop_is_a_wave(wave_case: Path) -> None:
    with Case.open(wave_case) as case:
        found = case.silences()
    assert [wave["week_start"] for wave in found.waves] == [WAVE_MONDAY]
    wave = found.waves[0]
    assert wave["week_end"] == WAVE_MONDAY + timedelta(days=6)
    assert wave["silent"] == 8
    assert wave["active"] == 28  # 20 active, and the 8 that replace them that week
    assert wave["expected"] < 2
    assert wave["chance"] < 1e-3
    accounts = json.loads(wave["accounts"] or "[]")
    assert len(accounts) == 8
    assert {a["last_day"] for a in accounts} == {str(WAVE_MONDAY + timedelta(days=3))}
    assert all(a["label"].startswith("@") and a["last_post_id"] for a in accounts)
    assert json.loads(wave["communities"] or "[]") == [{"community": None, "accounts": 8}]


def test_an_ordinary_busy_week_is_not_a_wave(wave_case: Path) -> None:
    with Case.open(wave_case) as case:
        found = case.silences()
        busy = MONDAY.date() + timedelta(weeks=BUSY_WEEK)
        silent_that_week = case.con.execute(
            "SELECT count(*) FROM silences WHERE run_id = ? AND status = 'silent' "
            "AND last_day BETWEEN ? AND ?",
            [found.run_id, busy, busy + timedelta(days=6)],
        ).fetchone()
    assert silent_that_week == (3,)
    assert busy not in [wave["week_start"] for wave in found.waves]


def test_wave_accounts_carry_their_community_and_importance(wave_case: Path) -> None:
    with Case.open(wave_case) as case:
        network = case.network()
        found = case.silences()
    assert found.parameters["network_run"] == network.run_id
    accounts = json.loads(found.waves[0]["accounts"] or "[]")
    ranks = [a["rank"] for a in accounts]
    assert all(isinstance(rank, int) for rank in ranks)
    assert ranks == sorted(ranks)
    assert all(a["community"] is not None and a["combined"] is not None for a in accounts)
    communities = json.loads(found.waves[0]["communities"] or "[]")
    assert sum(c["accounts"] for c in communities) == 8
    assert found.unusual
    assert all(row["rank"] is not None for row in found.unusual)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_posts": -1}, "min_posts: -1 is not a whole number"),
        ({"min_days": 2.5}, "min_days: 2.5 is not a whole number"),
        ({"max_chance": 0}, "max_chance: 0 is not a probability"),
        ({"wave_max_chance": 2}, "wave_max_chance: 2 is not a probability"),
        ({"wave_min_ratio": 0.5}, "wave_min_ratio: 0.5 is not 1 or more"),
        ({"wave_min_accounts": 0}, "wave_min_accounts: 0 is not 1 or more"),
    ],
)
def test_bad_parameters_are_refused(wave_case: Path, options: dict[str, Any], message: str) -> None:
    with Case.open(wave_case) as case, pytest.raises(ConfigError, match=message):
        case.silences(**options)


def test_an_export_split_by_date_is_one_coverage_with_coverage_platform(tmp_path: Path) -> None:
    # January and February in two files: every January account's last post is near the end
    # of its only file, whether or not it went on posting.
    for month, days in (("01", range(1, 32)), ("02", range(1, 29))):
        lines = ["username,time,text"]
        lines += [f"carries_on,2016-{month}-{d:02d}T10:00:00Z,x" for d in days]
        if month == "01":
            lines += [f"stops,2016-01-{d:02d}T10:00:00Z,x" for d in range(2, 31, 2)]
        (tmp_path / f"{month}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Case.init(tmp_path / "case") as case:
        case.ingest([tmp_path / "01.csv", tmp_path / "02.csv"])
        by_sources = case.silences()
        by_platform = case.silences(coverage="platform")
        with pytest.raises(ConfigError, match="coverage: 'case' is not one of sources, platform"):
            case.silences(coverage="case")
    assert by_sources.statuses["silent"] == 0
    assert by_sources.statuses["export ends"] == 2
    (stops,) = by_platform.unusual
    assert stops["label"] == "@stops"
    assert (stops["last_day"], stops["silence_days"]) == (date(2016, 1, 30), 29)

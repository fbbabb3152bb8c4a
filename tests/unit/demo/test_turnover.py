"""The collection's thin start and gap, and the turnover (suspensions, successors, decoys,
profile places, accounts only addressed): the ground truth counts what the tweets CSV holds."""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from veille.analyze.successors import handle_stem
from veille.demo.collection import thin_start_posts
from veille.demo.generate import FILES, write_scenario
from veille.demo.scenario import (
    BACKGROUND_SUSPENSIONS,
    PERIOD_START,
    SILENT_FOR_GOOD_DAYS,
    SUSPENSION_WAVES,
    TWITTER_GAP,
)
from veille.demo.truth_turnover import monday
from veille.demo.turnover import successor_handle
from veille.ids import record_id

SCALE = 0.05
TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d\d)")
ADDRESSED = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,15})")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    folder = tmp_path_factory.mktemp("turnover")
    truth = write_scenario(folder, seed=7, scale=SCALE)
    with (folder / FILES["tweets"]).open(encoding="utf-8", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            match = TIME.fullmatch(row["time"])
            if match is None or row["time"].startswith("2/30/"):
                continue  # the rows planted broken
            month, day, year, hour, minute = map(int, match.groups())
            row["at"] = datetime(year, month, day, hour, minute, tzinfo=UTC)
            rows.append(row)
    return rows, truth


def _by_handle(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    own: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r["at"]):
        own.setdefault(row["username"], []).append(row)
    return own


def _addressers(rows: list[dict[str, Any]], handle: str) -> set[str]:
    """Who mentioned, replied to or retweeted ``handle`` in the CSV."""
    wanted = handle.casefold()
    return {
        r["username"]
        for r in rows
        if wanted in {h.casefold() for h in ADDRESSED.findall(r["tweets"])}
    }


def _alike(old: str, new: str) -> bool:
    """What the successors analysis takes for a handle alike: the same stem, or ratio 80+."""
    return handle_stem(old) == handle_stem(new) or fuzz.ratio(old.casefold(), new.casefold()) >= 80


def _links(own: list[dict[str, Any]]) -> set[str]:
    return {link for r in own for link in re.findall(r"https://\S+", r["tweets"])}


# -- the collection -----------------------------------------------------------------------------


def test_the_collection_starts_with_a_trickle(demo: Any) -> None:
    rows, truth = demo
    thin = [r for r in rows if r["at"].date() < PERIOD_START]
    planted = truth["collection"]["thin_start"]
    assert len(thin) == planted["posts"] == thin_start_posts(SCALE)
    assert 12 <= len(thin) <= 40
    assert truth["collection"]["first_day"] == min(r["at"] for r in rows).date().isoformat()
    first_week = [r for r in rows if PERIOD_START <= r["at"].date() < PERIOD_START + timedelta(7)]
    weeks = (PERIOD_START - date.fromisoformat(planted["from"])).days / 7
    assert len(thin) / weeks < 0.2 * len(first_week)  # a trickle, then the real volume
    authors = {r["username"] for r in thin}
    assert len(authors) <= 5
    assert authors.isdisjoint(s["handle"] for s in truth["silences"])  # they tweet on


def test_the_collection_has_a_gap(demo: Any) -> None:
    rows, truth = demo
    first, last = TWITTER_GAP
    [gap] = truth["collection"]["gaps"]
    assert (gap["from"], gap["to"]) == (first.isoformat(), last.isoformat())
    assert gap["days"] >= 14
    days = Counter(r["at"].date() for r in rows)
    assert all(days[first + timedelta(n)] == 0 for n in range(gap["days"]))
    assert days[first - timedelta(1)]  # only those days
    assert days[last + timedelta(1)]


# -- silences and waves -------------------------------------------------------------------------


def test_each_planted_silence_is_the_accounts_last_tweet(demo: Any) -> None:
    rows, truth = demo
    own = _by_handle(rows)
    end = max(r["at"] for r in rows).date()
    assert truth["silences"]
    for silence in truth["silences"]:
        last = own[silence["handle"]][-1]
        assert last["at"].isoformat()[:16] == silence["last_post_at"][:16]
        # The id veille gives a CSV row without an id column: handle, time and text.
        expected = record_id(
            "post", "twitter", "row", last["username"], last["time"], last["tweets"]
        )
        assert silence["last_post_id"] == expected
        assert silence["posts"] == len(own[silence["handle"]])
        assert silence["silent_days"] == (end - last["at"].date()).days >= SILENT_FOR_GOOD_DAYS


def test_waves_are_the_weeks_planted_and_counted(demo: Any) -> None:
    _, truth = demo
    weeks = Counter(s["week"] for s in truth["silences"] if s["why"] == "suspended in a wave")
    planted = {w.week.isoformat(): w.accounts for w in SUSPENSION_WAVES}
    assert dict(weeks) == planted
    alone = Counter(s["week"] for s in truth["silences"] if s["why"] == "suspended")
    assert dict(alone) == {week.isoformat(): 1 for week in BACKGROUND_SUSPENSIONS}
    found = {w["week_start"]: w["silent"] for w in truth["silence_waves"]}
    moved = [s for s in truth["silences"] if s["why"] == "moved to Telegram"]
    assert found == {**planted, moved[0]["week"]: len(moved)}
    assert all(date.fromisoformat(w).weekday() == 0 for w in found)


def test_the_group_keeps_tweeting_through_the_waves(demo: Any) -> None:
    rows, truth = demo
    weekly = Counter(monday(r["at"].date()) for r in rows if r["at"].date() >= PERIOD_START)
    assert truth["twitter_weekly_volume"] == {
        week.isoformat(): n for week, n in sorted(weekly.items())
    }
    for wave in SUSPENSION_WAVES:
        before = weekly[wave.week - timedelta(7)]
        # Successors and newcomers carry it: no week around a wave loses half the tweets.
        assert weekly[wave.week] > 0.5 * before
        assert weekly[wave.week + timedelta(7)] > 0.5 * before


# -- successors and decoys ----------------------------------------------------------------------


def test_successors_look_like_and_are_addressed_like_the_suspended(demo: Any) -> None:
    rows, truth = demo
    own = _by_handle(rows)
    pairs = truth["successors"]
    assert len(pairs) == sum(w.successors for w in SUSPENSION_WAVES) + 1
    for pair in pairs:
        old, new = pair["old"]["handle"], pair["new"]["handle"]
        before, after = own[old], own[new]
        assert before[-1]["at"] < after[0]["at"]
        assert pair["gap_days"] == (after[0]["at"].date() - before[-1]["at"].date()).days
        assert old.casefold() != new.casefold()
        assert _alike(old, new)
        assert fuzz.ratio(before[0]["name"], after[0]["name"]) >= 85
        assert pair["same_name"] == (before[0]["name"] == after[0]["name"])
        assert before[0]["description"] in after[0]["description"]
        assert pair["shared_links"] == len(_links(before) & _links(after))
        shared = _addressers(rows, old) & _addressers(rows, new)
        assert pair["shared_audience"] == len(shared)
    assert any(p["shared_audience"] >= 2 for p in pairs)  # their fans followed them
    for account in [p["new"] for p in pairs]:  # opened days after, first tweet that day
        assert account["handle"] in own


def test_decoys_are_new_the_same_week_and_nobodys_successor(demo: Any) -> None:
    rows, truth = demo
    own = _by_handle(rows)
    kinds = Counter(d["kind"] for d in truth["decoys"])
    assert kinds == Counter(kind for w in SUSPENSION_WAVES for kind in w.decoys)
    successors = {p["new"]["handle"] for p in truth["successors"]}
    for decoy in truth["decoys"]:
        near = decoy["not_successor_of"]
        assert decoy["handle"] not in successors
        assert decoy["community"] != near["community"]
        first = own[decoy["handle"]][0]["at"].date()
        assert first.isoformat() == decoy["first_post_at"][:10]
        assert monday(first) == monday(own[near["handle"]][-1]["at"].date())
        same_stem = handle_stem(decoy["handle"]) == handle_stem(near["handle"])
        assert same_stem == (decoy["kind"] == "look-alike")
        # Another audience: fewer shared addressers than the analysis's audience needs (2).
        assert len(_addressers(rows, decoy["handle"]) & _addressers(rows, near["handle"])) < 2


# -- profile places and accounts only addressed -------------------------------------------------


def test_profile_places_are_on_every_post_of_their_account(demo: Any) -> None:
    rows, truth = demo
    own = _by_handle(rows)
    assert {p["location"] for p in truth["profile_places"]} == {"Brunei", "Bahia"}
    for planted in truth["profile_places"]:
        posts = own[planted["handle"]]
        assert planted["posts"] == len(posts)
        with_it = sum(1 for r in posts if r["location"] == planted["location"])
        assert planted["posts_with_location"] == with_it
        assert with_it / len(posts) >= 0.95


def test_accounts_known_only_from_mentions_never_post(demo: Any) -> None:
    rows, truth = demo
    authors = {r["username"].casefold() for r in rows}
    assert len(truth["mentioned_only"]) >= 3
    for voice in truth["mentioned_only"]:
        assert voice["handle"].casefold() not in authors
        addressed = _addressers(rows, voice["handle"])
        assert voice["by"] == len(addressed) >= 1
        mentions = sum(
            1
            for r in rows
            for h in ADDRESSED.findall(r["tweets"])
            if h.casefold() == voice["handle"].casefold()
        )
        assert sum(voice["addressed"].values()) == mentions


# -- properties of the generators ---------------------------------------------------------------


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{3,14}", fullmatch=True), st.integers(0, 2**32))
def test_a_successor_handle_is_one_the_successor_rule_recognises(handle: str, seed: int) -> None:
    new = successor_handle(random.Random(seed), handle)
    assert new.casefold() != handle.casefold()
    assert len(new) <= 15
    assert _alike(handle, new)


@given(st.floats(0.001, 100))
def test_the_thin_start_is_a_few_dozen_tweets_at_any_scale(scale: float) -> None:
    assert 12 <= thin_start_posts(scale) <= 40
    assert thin_start_posts(scale) <= thin_start_posts(scale * 2)


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)))
def test_monday_starts_the_week_of_the_day(day: date) -> None:
    start = monday(day)
    assert start.weekday() == 0
    assert 0 <= (day - start).days <= 6

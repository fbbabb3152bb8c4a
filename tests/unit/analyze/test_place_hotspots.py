"""Hotspots by people, not posts: one account never makes one, places named and places posted
from are judged apart, same_as does not multiply a person and retweets are not writing."""

from __future__ import annotations

import json

import pytest

from tests.unit.analyze.place_story import Said, background, burst, hotspots
from veille.analyze.hotspots import HotspotSettings, hotspot_settings
from veille.errors import ConfigError

QUIET = ("geonames:1", "geonames:2")  # places nobody names until the burst


def test_one_account_posting_a_hundred_times_about_a_place_is_no_hotspot() -> None:
    said = background(()) + burst("geonames:1", accounts=1, posts_each=100)
    assert hotspots(said) == []


def test_six_accounts_naming_a_quiet_place_in_a_week_are_a_hotspot() -> None:
    said = background(()) + burst("geonames:1", accounts=6, posts_each=2)
    (spot,) = hotspots(said)
    assert spot["place_id"] == "geonames:1"
    assert spot["kind"] == "about"
    assert spot["accounts"] == spot["peak_accounts"] == 6
    assert spot["posts"] == 12
    assert spot["expected_accounts"] == 0.5  # nobody before: the floor
    # Day 100 to 106, the days of the burst's posts (its busy windows reach further).
    assert (str(spot["start_day"]), str(spot["end_day"])) == ("2017-04-12", "2017-04-18")
    evidence = json.loads(spot["evidence"])
    assert len(evidence) == 6  # the first post of each account: each one can be read


def test_a_hundred_posts_from_one_profile_location_are_no_hotspot_six_profiles_are() -> None:
    one = background(()) + burst("geonames:2", accounts=1, posts_each=100, kind="from")
    assert hotspots(one) == []
    six = background(()) + burst("geonames:2", accounts=6, posts_each=3, kind="from")
    (spot,) = hotspots(six)
    assert (spot["kind"], spot["accounts"]) == ("from", 6)


def test_places_named_and_places_posted_from_are_judged_apart() -> None:
    # Three accounts name the place and three others are from it in the same week: six
    # people, but three of each kind, and neither kind alone is busy.
    said = (
        background(())
        + burst("geonames:1", accounts=3)
        + [Said(f"local-{a}", 100 + a, "geonames:1", kind="from") for a in range(3)]
    )
    assert hotspots(said) == []


def test_the_same_person_under_two_accounts_counts_once() -> None:
    said = background(()) + burst("geonames:1", accounts=5)
    assert len(hotspots(said)) == 1
    merged = {"geonames:1-burst-1": "geonames:1-burst-0"}  # two of the five are one person
    assert hotspots(said, same_as=merged) == []


def test_retweets_and_forwards_are_someone_elses_words() -> None:
    original = Said("reporter", 100, "geonames:1")
    retweets = [
        Said(f"fan-{a}", 100 + a % 7, "geonames:1", hour=a % 24, repeats="reporter")
        for a in range(30)
    ]
    assert hotspots([*background(()), original, *retweets]) == []
    # One account relaying six others' posts is still one account.
    relayed = [Said("relay", 100 + a, "geonames:1", repeats=f"writer-{a}") for a in range(6)]
    assert hotspots(background(()) + relayed) == []
    # Six who wrote it themselves are six, whoever relays them.
    writers = [Said(f"writer-{a}", 100 + a, "geonames:1") for a in range(6)]
    (spot,) = hotspots(background(()) + relayed + writers)
    assert (spot["accounts"], spot["posts"]) == (6, 6)


def test_a_retweeters_profile_location_is_its_own() -> None:
    said = [Said(f"fan-{a}", 100 + a, "geonames:2", "from", repeats="reporter") for a in range(6)]
    (spot,) = hotspots(background(()) + said)
    assert (spot["kind"], spot["accounts"]) == ("from", 6)


def test_where_two_accounts_a_week_are_usual_it_takes_nine() -> None:
    base = background(QUIET[:1], accounts=2, every=3)
    assert hotspots(base + burst("geonames:1", accounts=6)) == []  # 8 people: not unusual
    (spot,) = hotspots(base + burst("geonames:1", accounts=8))  # 10 people
    assert spot["peak_accounts"] == 10
    assert spot["expected_accounts"] == 2.0
    assert spot["ratio"] == 5.0


def test_a_burst_before_the_place_has_history_is_not_judged() -> None:
    # Day 30: fewer than 8 weeks of history before it.
    assert hotspots(background(()) + burst("geonames:1", accounts=10, day=30)) == []


def test_most_people_first() -> None:
    said = (
        background(()) + burst("geonames:1", accounts=6) + burst("geonames:2", accounts=9, day=110)
    )
    assert [(s["place_id"], s["accounts"]) for s in hotspots(said)] == [
        ("geonames:2", 9),
        ("geonames:1", 6),
    ]


def test_settings_reach_the_detector() -> None:
    said = background(()) + burst("geonames:1", accounts=6)
    assert hotspots(said, min_accounts=7) == []


def test_settings_can_be_given_as_their_keys_and_are_checked() -> None:
    assert hotspot_settings({"min_accounts": 3}).min_accounts == 3
    assert hotspot_settings(None) == HotspotSettings()
    with pytest.raises(ConfigError, match="no setting min_posts; its settings: window"):
        hotspot_settings({"min_posts": 10})
    with pytest.raises(ConfigError, match="whole numbers"):
        hotspot_settings({"min_accounts": 0})
    with pytest.raises(ConfigError, match="alpha"):
        hotspot_settings({"alpha": 0})

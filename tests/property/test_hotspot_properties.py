"""Hotspots on arbitrary posts: people per window are exactly the distinct people of its days,
one account never makes a hotspot, more posts from people already counted never add to a count,
and every hotspot has at least its minimum of people."""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.analyze.place_story import (
    DAYS,
    Said,
    background,
    empty,
    new_store,
    place_hotspots_only,
    write,
)
from veille.analyze.hotspots import HotspotSettings
from veille.store.activity import day_range, prepare_local_posts
from veille.store.place_people import place_days

_STORE = new_store()
MIN = HotspotSettings().min_accounts
PLACES = ("geonames:1", "geonames:2")


@st.composite
def posts(
    draw: st.DrawFn, accounts: int = 10, first: int = 0, last: int = DAYS - 1, least: int = 0
) -> list[Said]:
    """Posts of up to ``accounts`` accounts about or from two places, some repeating others."""
    said = []
    for _ in range(draw(st.integers(least, 60))):
        account = draw(st.integers(0, accounts - 1))
        repeats = draw(st.one_of(st.none(), st.integers(0, accounts - 1)))
        said.append(
            Said(
                f"a{account}",
                draw(st.integers(first, last)),
                draw(st.sampled_from(PLACES)),
                draw(st.sampled_from(("about", "from"))),
                hour=draw(st.integers(0, 23)),
                repeats=None if repeats is None or repeats == account else f"a{repeats}",
            )
        )
    return said


SAME_AS = st.dictionaries(
    st.sampled_from([f"a{n}" for n in range(10)]), st.sampled_from(["a0", "a1"]), max_size=3
).map(lambda pairs: {k: v for k, v in pairs.items() if k not in ("a0", "a1")})


def _person(post: Said, same_as: Mapping[str, str]) -> str | None:
    """Who a post counts for: its author, but nobody for the places a repeat names."""
    if post.kind == "about" and post.repeats:
        return None
    return same_as.get(post.account, post.account)


@settings(max_examples=60, deadline=None)
@given(posts(last=40), SAME_AS, st.integers(1, 9))
def test_people_per_window_are_the_distinct_people_of_its_days(
    said: list[Said], same_as: dict[str, str], window: int
) -> None:
    con = empty(_STORE)
    write(con, said)
    prepare_local_posts(con, "UTC", None)
    span = day_range(con)
    if span is None:
        return
    first, last = span
    days = (last - first).days + 1
    found = {(s.place_id, s.kind): s for s in place_days(con, same_as, first, days, window)}
    offset = min(post.day for post in said)
    for place in PLACES:
        for kind in ("about", "from"):
            mine = [
                p
                for p in said
                if p.place == place and p.kind == kind and _person(p, same_as) is not None
            ]
            if not mine:
                assert (place, kind) not in found
                continue
            series = found[(place, kind)]
            people = [
                len({_person(p, same_as) for p in mine if s <= p.day - offset < s + window})
                for s in range(days)
            ]
            assert series.people.tolist() == people
            assert series.posts.sum() == len(mine)


@settings(max_examples=25, deadline=None)
@given(posts(first=95, last=110, least=30), st.integers(1, 30))
def test_more_posts_from_people_already_counted_add_no_one(said: list[Said], more: int) -> None:
    base = background(()) + said
    before = place_hotspots_only(_STORE, base)
    for spot in before:
        assert spot["accounts"] >= spot["peak_accounts"] >= MIN
        assert len(json.loads(spot["evidence"])) == spot["accounts"]
    # Each account posts again, as often as ``more``, on days it already posted there.
    again = [Said(p.account, p.day, p.place, p.kind, hour=(p.hour + k) % 24, repeats=p.repeats)
             for k in range(more) for p in said[:3]]  # fmt: skip
    after = place_hotspots_only(_STORE, base + again)

    def people(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
        keys = ("place_id", "kind", "start_day", "end_day", "accounts", "peak_accounts")
        return [tuple(row[k] for k in keys) for row in rows]

    assert sorted(people(after), key=str) == sorted(people(before), key=str)


@settings(max_examples=25, deadline=None)
@given(posts(accounts=1, first=60), st.integers(1, 8))
def test_one_account_never_makes_a_hotspot(said: list[Said], copies: int) -> None:
    # However many times it posts, about or from any place, repeating anyone.
    assert place_hotspots_only(_STORE, background(()) + said * copies) == []


@settings(max_examples=25, deadline=None)
@given(posts(first=56), st.integers(1, 12))
def test_every_hotspot_has_its_minimum_of_people(said: list[Said], minimum: int) -> None:
    for spot in place_hotspots_only(_STORE, background(()) + said, min_accounts=minimum):
        assert spot["peak_accounts"] >= minimum
        assert spot["accounts"] >= spot["peak_accounts"]
        assert spot["ratio"] == round(spot["peak_accounts"] / spot["expected_accounts"], 2)
        assert np.isfinite(spot["ratio"])

"""Twitter API objects carry the profile: each state of an account is yielded with its time."""

from __future__ import annotations

from typing import Any

from veille.ingest.twitter.twarc import records_from_page
from veille.ingest.twitter.tweet_fields import records_from_v1_tweet
from veille.model import Actor, Provenance


def _v1(number: int, user: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id_str": str(number),
        "created_at": f"Wed Sep 0{number} 13:51:55 +0000 2019",
        "full_text": text,
        "user": user,
    }


def test_a_mentioned_account_gets_its_name_and_profile_when_it_posts() -> None:
    seen: set[str] = set()
    first = records_from_v1_tweet(
        _v1(1, {"screen_name": "abu", "id_str": "1", "name": "Abu"}, "hi @hub"),
        Provenance("[0]"),
        seen_actors=seen,
    )
    hub = {"screen_name": "hub", "id_str": "2", "name": "Hub", "description": "bio"}
    later = records_from_v1_tweet(
        _v1(2, {**hub, "location": "Mosul", "followers_count": 1200}, "news"),
        Provenance("[1]"),
        seen_actors=seen,
    )
    again = records_from_v1_tweet(
        _v1(3, {**hub, "location": "Mosul", "followers_count": 1200}, "more"),
        Provenance("[2]"),
        seen_actors=seen,
    )
    mentioned = [r for r in first if isinstance(r, Actor) and r.handle == "hub"]
    assert [(a.name, a.followers) for a in mentioned] == [(None, None)]
    (posted,) = [r for r in later if isinstance(r, Actor)]
    assert (posted.name, posted.description, posted.location, posted.followers) == (
        "Hub",
        "bio",
        "Mosul",
        1200,
    )
    assert posted.seen_at is not None
    assert posted.seen_at.day == 2
    assert not [r for r in again if isinstance(r, Actor)]  # the same state: yielded once


def test_twarc_users_carry_description_location_and_followers() -> None:
    page = {
        "data": [
            {"id": "9", "author_id": "2", "text": "x", "created_at": "2022-10-03T17:57:11.000Z"}
        ],
        "includes": {
            "users": [
                {
                    "id": "2",
                    "username": "hub",
                    "name": "Hub",
                    "description": "bio",
                    "location": "Mosul",
                    "public_metrics": {"followers_count": 138097},
                }
            ]
        },
    }
    (actor,) = [r for r in records_from_page(page, "line 1") if isinstance(r, Actor)]
    assert (actor.description, actor.location, actor.followers) == ("bio", "Mosul", 138097)
    assert actor.seen_at is not None
    assert actor.seen_at.year == 2022

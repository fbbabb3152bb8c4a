"""What the Twitter collector saw: a thin start before the real volume, and a gap.

A scraped collection rarely starts with its real volume: on a real dataset a few dozen tweets
came months before the rest, and a detector that read the zeros in between as activity called a
drop on the first day it judged. ``thin_start`` writes such a trickle, from a handful of hubs and
brokers that tweet to the end, between ``COLLECTION_START`` and ``PERIOD_START``. ``drop_gap``
removes every tweet of the days the collector was down (``TWITTER_GAP``): people posted, the
collection holds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from veille.demo.cast import Cast
from veille.demo.drafts import TWITTER, Draft, draft_on, moment_on
from veille.demo.scenario import COLLECTION_START, PERIOD_START, TWITTER_GAP

__all__ = ["THIN_START_AUTHORS", "drop_gap", "in_gap", "thin_start", "thin_start_posts"]

THIN_START_AUTHORS = 5


def thin_start_posts(scale: float) -> int:
    """Tweets in the trickle: a few dozen (fewer in the smallest demos, still a trickle there)."""
    return max(12, min(40, round(200 * scale)))


def thin_start(rng: random.Random, cast: Cast, scale: float) -> list[Draft]:
    """The trickle of tweets before the collection's real volume, oldest days first."""
    authors = [
        a
        for a in cast.accounts
        if a.role in ("hub", "broker")
        and a.twitter_rate
        and not a.migrates
        and a.twitter_from is None
        and a.twitter_until is None
    ]
    authors = rng.sample(authors, min(THIN_START_AUTHORS, len(authors)))
    days = (PERIOD_START - COLLECTION_START).days
    drafts = []
    for _ in range(thin_start_posts(scale)):
        author = rng.choice(authors)
        # From the second day: a local evening in UTC+03:00 is still the day before in UTC.
        day = COLLECTION_START + timedelta(days=rng.randrange(1, days))
        drafts.append(draft_on(rng, author, TWITTER, moment_on(rng, author, day)))
    return sorted(drafts, key=lambda d: d.at)


def in_gap(moment: datetime) -> bool:
    """Whether the collector was down at the UTC ``moment``."""
    return TWITTER_GAP[0] <= moment.date() <= TWITTER_GAP[1]


def drop_gap(tweets: list[Draft]) -> list[Draft]:
    """The tweets the collector kept: none from the days it was down."""
    return [draft for draft in tweets if not in_gap(draft.at)]

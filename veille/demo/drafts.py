"""One post to write (``Draft``), and how a post's moment, place and language are drawn."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time

from veille.demo.cast import Account
from veille.demo.clock import DIURNAL, local_to_utc
from veille.demo.scenario import CITIES, COMMUNITIES
from veille.demo.textgen import Part

__all__ = ["TWITTER", "Draft", "choose_lang", "choose_place", "draft_on", "moment_on"]

TWITTER = "twitter"


@dataclass(slots=True)
class Draft:
    """One post to write: its author, time, place and planted interactions."""

    venue: str
    author: Account
    at: datetime  # aware, UTC
    lang: str
    place: str | None
    parts: list[Part] = field(default_factory=list)
    interactions: list[tuple[str, Account]] = field(default_factory=list)  # (kind, target)
    forwarded_from: Account | None = None
    forwarded_at: datetime | None = None
    reply_to: int | None = None  # index of the replied-to draft in the same venue
    media: bool = False
    announce: bool = False
    edited_at: datetime | None = None
    service: str | None = None  # a service message ("join_group_by_link") instead of a post


def choose_place(rng: random.Random, account: Account) -> str | None:
    """The city a post of ``account`` is about (its community's weights), or None."""
    spec = next(s for s in COMMUNITIES if s.key == account.community)
    values = [value for value, _ in spec.places]
    place = rng.choices(values, [w for _, w in spec.places])[0]
    return account.home if place == "home" else place


def choose_lang(rng: random.Random, account: Account) -> str:
    """The language of a post: the account's own, sometimes another it writes."""
    if len(account.languages) > 1 and rng.random() < 0.4:
        return rng.choice(account.languages[1:])
    return account.lang


def moment_on(rng: random.Random, account: Account, day: date) -> datetime:
    """A UTC instant on the local ``day`` of ``account``, at an hour its people post."""
    hour = rng.choices(range(24), DIURNAL)[0]
    local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
    return local_to_utc(CITIES[account.home].zone, local)


def draft_on(rng: random.Random, account: Account, venue: str, at: datetime) -> Draft:
    """A post of ``account`` on ``venue`` at ``at``, about a place it would write about."""
    place = choose_place(rng, account)
    return Draft(venue, account, at, choose_lang(rng, account), place)

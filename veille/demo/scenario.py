"""The story of the demo as data: period, planted events, cities, communities and their rates.

Everything here is fictional. Names are assembled from common given names, kunyas and invented
place-of-origin suffixes; handles, channel names and domains (example.org, example.com) belong
to no one. Phone numbers use the +44 7700 900xxx range Ofcom reserves for drama.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "ANNOUNCE_DAYS",
    "BACKGROUND_SUSPENSIONS",
    "BLACKOUT_KEEP",
    "BLACKOUT_START",
    "CITIES",
    "COLLECTION_START",
    "COMMUNITIES",
    "EXPORT_DATE",
    "EXPORT_OFFSET_MIN",
    "FRIDAY_FACTOR",
    "GROUP_NAME",
    "GROUP_USERNAME",
    "MENTIONED_ONLY",
    "MIGRATION_START",
    "PERIOD_END",
    "PERIOD_START",
    "PROFILE_PLACES",
    "SILENT_FOR_GOOD_DAYS",
    "SUSPENSION_WAVES",
    "TWITTER_GAP",
    "City",
    "CommunitySpec",
    "SuspensionWave",
]

PERIOD_START = date(2016, 9, 1)
PERIOD_END = date(2017, 2, 28)  # inclusive
BLACKOUT_START = date(2016, 11, 14)
# Share of Mosul activity that survives the blackout: depth 0.9.
BLACKOUT_KEEP = 0.1
MIGRATION_START = date(2016, 12, 12)
# The migrants' last two tweets (within the week before the move) announce the group's link.
ANNOUNCE_DAYS = 7
# Weekly cycle: Fridays see half the usual activity, every other day the full rate.
FRIDAY_FACTOR = 0.5
# The Telegram exports were made on a machine set to UTC+03:00 (no daylight saving).
EXPORT_OFFSET_MIN = 180
EXPORT_DATE = date(2017, 3, 1)

# What broke on a real dataset, planted so the demo shows whether the analyses hold.
# The Twitter collection starts with a trickle (a few dozen tweets) three months before its
# real volume, which starts with PERIOD_START: a naive detector calls a drop at the start.
COLLECTION_START = date(2016, 6, 1)
# The collector was down: no tweet at all on these days (inclusive), though people posted.
TWITTER_GAP = (date(2017, 1, 23), date(2017, 2, 6))
# A planted silence lasts at least this long before the export ends: suspended for good.
SILENT_FOR_GOOD_DAYS = 30


@dataclass(frozen=True, slots=True)
class SuspensionWave:
    """A week in which several Twitter accounts post their last tweet (suspended).

    ``successors`` of them come back under a look-alike handle days later; ``decoys`` are new
    accounts that appear the same week and are *not* anyone's successor: ``unrelated`` (another
    handle, another audience) or ``look-alike`` (a handle with the same stem as a suspended
    account's, another person with another audience). The others are replaced by newcomers, so
    the group's weekly volume stays about level.
    """

    week: date  # a Monday
    accounts: int
    successors: int
    decoys: tuple[str, ...]


SUSPENSION_WAVES: tuple[SuspensionWave, ...] = (
    SuspensionWave(date(2016, 10, 17), 9, 3, ("unrelated",)),
    SuspensionWave(date(2016, 11, 28), 10, 4, ("look-alike",)),
    SuspensionWave(date(2017, 1, 9), 9, 3, ("unrelated", "look-alike")),
)
# The base rate the waves stand out from: one account suspended alone in each of these weeks
# (Mondays; none before October, so each has weeks of tweets to judge its silence against);
# the first listed comes back under a successor too.
BACKGROUND_SUSPENSIONS = (
    date(2016, 10, 31),
    date(2016, 10, 10),
    date(2016, 11, 21),
    date(2017, 1, 2),
)
# Newcomers whose profile location is on every post they write, as the Brunei and "Bahia"
# profiles were on a real dataset: (location as written, language, first day on Twitter).
PROFILE_PLACES = (("Brunei", "en", date(2016, 10, 3)), ("Bahia", "ar", date(2016, 12, 19)))
# Accounts only ever mentioned, retweeted or replied to: they never post in the collection.
MENTIONED_ONLY = 3

GROUP_NAME = "Muhajirun EU"
GROUP_USERNAME = "muhajirun_eu"


@dataclass(frozen=True, slots=True)
class City:
    """A city the story happens in, with its names per language and the zone its people use."""

    key: str
    names: dict[str, tuple[str, ...]]  # language -> spellings, the first is the usual one
    zone: str  # "+3" (fixed UTC+03:00), "eu1" (CET/CEST) or "eu0" (GMT/BST)
    latitude: float
    longitude: float
    front: bool  # in the conflict zone (posts report from it) or in Europe (posts chat about it)


CITIES: dict[str, City] = {
    city.key: city
    for city in (
        City(
            "Mosul",
            {"ar": ("الموصل",), "en": ("Mosul",), "fr": ("Mossoul",), "de": ("Mossul",)},
            "+3",
            36.34,
            43.13,
            True,
        ),
        City(
            "Raqqa",
            {"ar": ("الرقة",), "en": ("Raqqa",), "fr": ("Raqqa", "Rakka"), "de": ("Rakka",)},
            "+3",
            35.95,
            39.01,
            True,
        ),
        City(
            "Paris",
            {"ar": ("باريس",), "en": ("Paris",), "fr": ("Paris",), "de": ("Paris",)},
            "eu1",
            48.86,
            2.35,
            False,
        ),
        City(
            "Brussels",
            {"ar": ("بروكسل",), "en": ("Brussels",), "fr": ("Bruxelles",), "de": ("Brüssel",)},
            "eu1",
            50.85,
            4.35,
            False,
        ),
        City(
            "Berlin",
            {"ar": ("برلين",), "en": ("Berlin",), "fr": ("Berlin",), "de": ("Berlin",)},
            "eu1",
            52.52,
            13.40,
            False,
        ),
        City(
            "London",
            {"ar": ("لندن",), "en": ("London",), "fr": ("Londres",), "de": ("London",)},
            "eu0",
            51.51,
            -0.13,
            False,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class CommunitySpec:
    """One planted community: who is in it, where they live, what they write about and how much.

    ``places`` weights the city a post is about; ``None`` is a post naming no place and
    ``"home"`` the author's own city. Mosul people only ever write about Mosul (or nowhere), so
    the blackout leaves the other place series untouched.
    """

    key: str
    label: str
    members: int  # ordinary Twitter accounts, on top of hubs and brokers
    homes: tuple[tuple[str, float], ...]
    languages: tuple[tuple[str, float], ...]
    places: tuple[tuple[str | None, float], ...]
    suffixes: tuple[str, ...]  # invented nisba-style suffixes for kunya names
    telegram_contributors: int  # members who also have a Telegram username


COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        key="mosul_cell",
        label="Mosul cell",
        members=36,
        homes=(("Mosul", 1.0),),
        languages=(("ar", 0.75), ("en", 0.25)),
        places=(("Mosul", 0.85), (None, 0.15)),
        suffixes=("al-Nahri", "al-Jisri", "al-Shamali", "al-Ninawi", "al-Qal'awi", "al-Tali"),
        telegram_contributors=5,
    ),
    CommunitySpec(
        key="raqqa_media",
        label="Raqqa media office",
        members=32,
        homes=(("Raqqa", 1.0),),
        languages=(("ar", 0.7), ("en", 0.2), ("fr", 0.1)),
        places=(("Raqqa", 0.8), (None, 0.2)),
        suffixes=("al-Furati", "al-Sharqi", "al-Raqqawi", "al-Wadi", "al-Sahili"),
        telegram_contributors=5,
    ),
    CommunitySpec(
        key="european_supporters",
        label="European supporters",
        members=40,
        homes=(("Paris", 0.35), ("Brussels", 0.25), ("London", 0.25), ("Berlin", 0.15)),
        languages=(("fr", 0.5), ("en", 0.35), ("de", 0.15)),
        places=(
            ("home", 0.55),
            ("Paris", 0.05),
            ("Brussels", 0.05),
            ("London", 0.05),
            ("Raqqa", 0.10),
            (None, 0.20),
        ),
        suffixes=("al-Urubbi",),  # and one by home city, see cast.EUROPEAN_SUFFIX
        telegram_contributors=0,
    ),
    CommunitySpec(
        key="news_relay",
        label="Sada news relay (Amaq-style)",
        members=22,
        homes=(("Raqqa", 0.6), ("Berlin", 0.2), ("London", 0.2)),
        languages=(("ar", 0.5), ("en", 0.3), ("fr", 0.2)),
        places=(
            ("Mosul", 0.3),
            ("Raqqa", 0.35),
            ("Paris", 0.05),
            ("Brussels", 0.05),
            ("Berlin", 0.05),
            ("London", 0.05),
            (None, 0.15),
        ),
        suffixes=("al-Sadawi", "al-Akhbari", "al-Nashir", "al-Raqmi"),
        telegram_contributors=4,
    ),
)

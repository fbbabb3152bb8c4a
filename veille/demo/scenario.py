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
    "BLACKOUT_KEEP",
    "BLACKOUT_START",
    "CITIES",
    "COMMUNITIES",
    "EXPORT_DATE",
    "EXPORT_OFFSET_MIN",
    "FRIDAY_FACTOR",
    "GROUP_NAME",
    "GROUP_USERNAME",
    "MIGRATION_START",
    "PERIOD_END",
    "PERIOD_START",
    "City",
    "CommunitySpec",
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

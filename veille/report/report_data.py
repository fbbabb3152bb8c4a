"""What ``veille report`` renders: a case's results as plain data, gathered before rendering.

The renderer (:mod:`veille.report.html_report`) reads nothing else: no database, no network.
Every string in here comes from the case and is treated as hostile. :func:`sample_report_data`
builds a small realistic case (French, English and Arabic text, hostile strings on purpose)
for the tests and the screenshot in ``docs/``.
"""

from __future__ import annotations

import math
import random
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict, TypeVar, cast, get_type_hints

__all__ = [
    "AccountItem",
    "BlackoutItem",
    "HotspotItem",
    "MoveItem",
    "ReportData",
    "SeriesItem",
    "sample_report_data",
]

Item = TypeVar("Item")


class AccountItem(TypedDict):
    """An account of the ranking (latest network run)."""

    rank: int
    label: str
    platform: str | None
    combined: float  # 0-1
    community: int | str | None
    sentence: str  # why, in words
    evidence: list[str]  # post ids


class SeriesItem(TypedDict):
    """A daily series of the latest activity run."""

    dimension: str  # place | country | community | platform | channel | community_platform
    key: str
    label: str | None
    days: list[str]  # ISO dates
    posts: list[int]


class BlackoutItem(TypedDict):
    dimension: str
    key: str
    label: str | None
    status: str  # blackout | too sparse
    start: str | None  # ISO date
    end: str | None  # ISO date; None while ongoing
    ongoing: bool | None
    depth: float | None  # 0-1
    confidence: float | None  # 0-1
    baseline_mean: float | None  # posts a day before
    comparison: list[str]  # labels of series that did not drop
    evidence: list[str]  # post ids


class MoveItem(TypedDict):
    source_label: str | None
    target_label: str | None
    source_key: str
    target_key: str
    start: str | None  # ISO date of the rise
    drop_day: str | None
    lag_days: int
    shared_accounts: int
    links: int
    forwards: int
    confidence: float
    evidence: list[str]


class HotspotItem(TypedDict):
    place: str | None  # its label
    kind: str  # about (named in posts) | from (profile location, photo GPS) | mixed (old run)
    start: str | None
    end: str | None
    accounts: int | None  # distinct people over the days; None in an old run's rows
    peak_accounts: int | None  # the most in one window
    expected_accounts: float | None  # usual in a window
    window_days: int
    posts: int
    communities: int | None
    evidence: list[str]  # each account's first post of the days


@dataclass(frozen=True)
class ReportData:
    case_name: str
    generated_at: str  # ISO timestamp
    time_zone: str  # the zone days are counted in
    summary: dict[str, int]  # posts, accounts, interactions, sources, quarantined, media, ...
    sources: list[dict[str, Any]]  # path, reader, status, n_read, n_new, n_quarantined
    quarantine: list[dict[str, Any]]  # path, locator, reason (first 50)
    top_accounts: list[AccountItem]
    # place_id, kind ("about": named in posts | "from": profile location, photo GPS), name,
    # country_code, level ("city"|"region"|"country"|"continent"|"point"), latitude,
    # longitude, accounts, posts, names_seen: list[str]
    places: list[dict[str, Any]]
    countries: list[dict[str, Any]]  # country_code (ISO alpha-2), name, kind, accounts, posts
    series: list[SeriesItem]
    blackouts: list[BlackoutItem]
    moves: list[MoveItem]
    hotspots: list[HotspotItem]
    entities: list[dict[str, Any]]  # name, type, mentions, names_seen: list[str]
    # post_id -> platform, author, posted_at, text, url, source_path, locator
    evidence_posts: dict[str, dict[str, Any]]


# Hostile strings the sample carries on purpose: the report must show them, never run them.
SCRIPT = "<script>alert(1)</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(document.cookie)"
RTL_OVERRIDE = "\u202etxt.exe"  # shows as "exe.txt" if the override leaks
HOSTILE = (SCRIPT, IMG_ONERROR, JS_URL, RTL_OVERRIDE)

_FIRST_DAY = date(2016, 10, 1)
_DAYS = 92  # 1 Oct - 31 Dec 2016


def _day(offset: int) -> date:
    return _FIRST_DAY + timedelta(days=offset)


def _index(iso: str) -> int:
    return (date.fromisoformat(iso) - _FIRST_DAY).days


def _curve(
    rng: random.Random,
    level: float,
    *,
    changes: tuple[tuple[str, float], ...] = (),
    bumps: tuple[tuple[str, str, float], ...] = (),
) -> list[int]:
    """Daily counts around ``level`` with a weekly rhythm; ``changes`` multiply the level from
    a date on, ``bumps`` between two dates."""
    counts = []
    for i in range(_DAYS):
        mean = level * (0.75 if _day(i).weekday() == 4 else 1.0)  # quieter on Fridays
        for start, factor in changes:
            if i >= _index(start):
                mean = level * factor
        for start, end, factor in bumps:
            if _index(start) <= i <= _index(end):
                mean *= factor
        noise = rng.gauss(0, math.sqrt(mean) if mean > 0 else 0)
        counts.append(max(0, round(mean + noise)))
    return counts


def _rows(fields: str, *rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Rows of a data table as dicts: ``fields`` names the columns, space-separated."""
    names = fields.split()
    return [dict(zip(names, row, strict=True)) for row in rows]


def _items(item_type: type[Item], rows: list[dict[str, Any]]) -> list[Item]:
    """Sample rows as ``item_type``, which must name exactly their columns."""
    expected = set(get_type_hints(item_type))
    for row in rows:
        if set(row) != expected:
            raise ValueError(f"{item_type.__name__}: sample has {sorted(row)}")
    return cast(list[Item], rows)


_TW, _TG = "exports/twitter_archive_2016.zip", "exports/telegram/result.json"
# Data tables read best one row a line.
# fmt: off
_POSTS = _rows(
    "post_id platform author posted_at text url source_path locator",
    ("p01", "twitter", "@wilayat_ninawa", "2016-11-12T09:14:00+01:00",
     "الموصل: بيان عاجل من المكتب الإعلامي — تابعونا على القناة الجديدة",
     "https://twitter.com/wilayat_ninawa/status/7981", _TW, "tweets[412]"),
    ("p02", "twitter", "@wilayat_ninawa", "2016-11-13T22:40:00+01:00",
     f"Dernier message avant coupure {SCRIPT}",
     "https://twitter.com/wilayat_ninawa/status/7990", _TW, "tweets[433]"),
    ("p03", "telegram", "Amaq FR", "2016-11-15T07:02:00+01:00",
     "Les communications sont coupées à Mossoul depuis hier soir.",
     "https://t.me/amaq_fr/1204", _TG, "messages[1204]"),
    ("p04", "twitter", "@raqqa_watch", "2016-11-20T18:30:00+01:00",
     "Raqqa: markets open as usual, no internet cut reported here.",
     "https://twitter.com/raqqa_watch/status/8102", _TW, "tweets[1020]"),
    ("p05", "telegram", "نشر الأخبار", "2016-12-03T11:11:00+01:00",
     f"انتقلوا إلى تيليغرام {IMG_ONERROR}", JS_URL, _TG, "messages[2230]"),
    ("p06", "twitter", "@ansar_media_en", "2016-12-03T12:00:00+01:00",
     "Account suspended again. Join us on Telegram: t.me/joinchat/AAAA",
     "https://twitter.com/ansar_media_en/status/8311", _TW, "tweets[2001]"),
    ("p07", "telegram", "Ansar Media EN", "2016-12-05T08:45:00+01:00",
     f"New home. Forward widely. {RTL_OVERRIDE}",
     "https://t.me/ansar_media_en/3", _TG, "messages[2301]"),
    ("p08", "telegram", "Amaq FR", "2016-12-11T16:20:00+01:00",
     "Raqqa : rassemblement signalé près du rond-point Naim.",
     'http://example.org/relay?u=<x>&v="y"', _TG, "messages[2544]"),
    ("p09", "telegram", "نشر الأخبار", "2016-12-12T10:05:00+01:00",
     "الرقة: صور من الاستعراض العسكري", "https://t.me/nashr_news/880", _TG, "messages[2601]"),
    ("p10", "twitter", "@brux_obs", "2016-11-28T14:00:00+01:00",
     "Brussels: two accounts reposting Amaq content, low volume.",
     "https://twitter.com/brux_obs/status/8250", _TW, "tweets[1788]"),
    ("p11", "telegram", "Ansar Media EN", "2016-12-14T21:30:00+01:00",
     "London and Berlin mentioned in the same thread as Raqqa.",
     "https://t.me/ansar_media_en/41", _TG, "messages[2710]"),
    ("p12", "twitter", f"@{IMG_ONERROR}", "2016-11-02T03:00:00+01:00",
     "Paris — appel relayé par plusieurs comptes francophones.",
     "https://twitter.com/x/status/7700", _TW, "tweets[90]"),
)
_ACCOUNTS = _rows(
    "rank label platform combined community sentence evidence",
    (1, "@wilayat_ninawa", "twitter", 0.94, "Communauté 1",
     "Most retweeted account of the case; its posts reach 3 communities.", ["p01", "p02"]),
    (2, "نشر الأخبار", "telegram", 0.81, "Communauté 1",
     "Its channel is forwarded by 41 other channels; first to post after the move.",
     ["p05", "p09"]),
    (3, "Amaq FR", "telegram", 0.66, "Communauté 2",
     "Bridges the French-speaking and Arabic-speaking communities.", ["p03", "p08"]),
    (4, "@ansar_media_en", "twitter", 0.52, "Communauté 2",
     "Announced the move to Telegram; 14 of its followers moved too.", ["p06", "p07"]),
    (5, f"@{IMG_ONERROR}", "twitter", 0.31, f"Communauté 3 {SCRIPT}",
     f"Mentioned often but posts little. {RTL_OVERRIDE}", ["p12"]),
    # "missing-post" is cited but not in the extract: the report must still link somewhere.
    (6, "@brux_obs", "twitter", 0.12, "Communauté 4",
     "Only account posting about Brussels.", ["p10", "missing-post"]),
)
_ENTITIES = _rows(
    "name type mentions names_seen",
    ("Amaq", "organisation", 214, ["Amaq", "أعماق", "Amaq News Agency"]),
    ("Mosul", "place", 180, ["Mossoul", "الموصل"]),
    ("Abu Bakr al-Baghdadi", "person", 77, ["al-Baghdadi", "البغدادي"]),
    ("Raqqa", "place", 66, ["Rakka", "الرقة"]),
    (SCRIPT, "organisation", 3, [SCRIPT]),
    ("Telegram", "product", 58, ["تيليغرام"]),
    ("Daech", "organisation", 41, ["Daech", "ISIS", "داعش"]),
    (f"Rue {RTL_OVERRIDE}", "place", 2, []),
)
_SOURCES = _rows(
    "path reader status n_read n_new n_quarantined",
    (_TW, "twitter_archive@1", "done", 5120, 5120, 2),
    (_TG, "telegram@1", "done", 3406, 3390, 1),
    (f"exports/{IMG_ONERROR}.txt", "whatsapp@1", "done", 88, 88, 0),
    ("exports/مصادر/news.jsonl", "news@1", "failed", 0, 0, 0),
)
_QUARANTINE = _rows(
    "path locator reason",
    (_TW, "tweets[77]", 'unreadable date "31/02/16"'),
    (_TW, "tweets[3001]", f"text is not valid JSON: {SCRIPT}"),
    (_TG, "messages[19]", "message without id"),
)
_BLACKOUTS = _rows(
    "dimension key label start end ongoing depth confidence baseline_mean comparison "
    "evidence status",
    ("place", "pl-mosul", "Mosul", "2016-11-14", "2016-12-04", False, 0.88, 0.93, 41.6,
     ["Raqqa", "Telegram"], ["p01", "p02", "p03", "p04"], "blackout"),
    ("platform", "twitter", "Twitter", "2016-12-03", None, True, 0.7, 0.81, 69.0,
     ["Telegram"], ["p06"], "blackout"),
    ("place", "pl-brussels", "Brussels", "2016-11-26", "2016-12-01", False, 1.0, 0.2, 1.2,
     [], ["p10"], "too sparse"),
)
_MOVES = _rows(
    "source_label target_label source_key target_key start drop_day lag_days shared_accounts "
    "links forwards evidence confidence",
    ("Twitter", "Telegram", "twitter", "telegram", "2016-12-03", "2016-12-01", 2, 14, 37, 52,
     ["p05", "p06", "p07"], 0.84),
)
# fmt: on


def _series(dimension: str, key: str, label: str, posts: list[int]) -> SeriesItem:
    return {
        "dimension": dimension,
        "key": key,
        "label": label,
        "days": [_day(i).isoformat() for i in range(_DAYS)],
        "posts": posts,
    }


def sample_report_data() -> ReportData:
    """A small but realistic case: a Mosul blackout from 14 Nov 2016 and a Twitter → Telegram
    move from 3 Dec 2016, with hostile strings in names, texts, paths and URLs."""
    rng = random.Random(20161114)
    mosul = _curve(rng, 42, bumps=(("2016-11-14", "2016-12-04", 0.12),))
    raqqa = _curve(rng, 30, bumps=(("2016-12-10", "2016-12-16", 2.7),))
    paris = _curve(rng, 6)
    brussels = _curve(rng, 1.2)
    london = _curve(rng, 4)
    berlin = _curve(rng, 3)
    istanbul = _curve(rng, 5)
    aleppo = _curve(rng, 9)
    twitter = _curve(rng, 70, changes=(("2016-12-03", 0.3),))
    telegram = _curve(rng, 18, changes=(("2016-12-05", 3.1),))
    channel = _curve(rng, 8, changes=(("2016-12-05", 2.5),))
    community = _curve(rng, 25)
    series = [
        _series("place", "pl-mosul", "Mosul", mosul),
        _series("place", "pl-raqqa", "Raqqa", raqqa),
        _series("platform", "twitter", "Twitter", twitter),
        _series("platform", "telegram", "Telegram", telegram),
        _series("channel", "ch-nashr", f"نشر الأخبار {RTL_OVERRIDE}", channel),
        _series("community", "c3", f"Communauté 3 {SCRIPT}", community),
        _series("place", "pl-paris", "Paris", paris),
        _series("place", "pl-brussels", "Brussels", brussels),
        _series("place", "pl-aleppo", "Aleppo", aleppo),
    ]
    # fmt: off
    places = _rows(
        "place_id kind name country_code level latitude longitude accounts posts names_seen",
        ("pl-mosul", "about", "Mosul", "IQ", "city", 36.34, 43.13, 96, sum(mosul),
         ["Mosul", "Mossoul", "الموصل"]),
        ("pl-raqqa", "about", "Raqqa", "SY", "city", 35.95, 39.01, 81, sum(raqqa),
         ["Raqqa", "Rakka", "الرقة"]),
        ("pl-raqqa", "from", "Raqqa", "SY", "city", 35.95, 39.01, 12, 640, ["Raqqa"]),
        ("pl-aleppo", "about", "Aleppo", "SY", "city", 36.20, 37.16, 40, sum(aleppo),
         ["Alep", "حلب"]),
        ("pl-paris", "about", "Paris", "FR", "city", 48.86, 2.35, 31, sum(paris),
         ["Paris", "باريس"]),
        ("pl-brussels", "about", "Brussels", "BE", "city", 50.85, 4.35, 9, sum(brussels),
         ["Bruxelles", "Brussel", IMG_ONERROR]),
        ("pl-brussels", "from", "Brussels", "BE", "city", 50.85, 4.35, 2, 210, ["Bruxelles"]),
        ("pl-london", "about", "London", "GB", "city", 51.51, -0.13, 22, sum(london),
         ["Londres"]),
        ("pl-berlin", "about", "Berlin", "DE", "city", 52.52, 13.40, 17, sum(berlin),
         ["Berlin"]),
        ("pl-istanbul", "from", "Istanbul", "TR", "city", 41.01, 28.98, 7, sum(istanbul),
         ["Istanbul", "إسطنبول"]),
        ("pl-iraq", "about", "Iraq", "IQ", "country", 33.0, 44.0, 54, 310, ["Irak", "العراق"]),
    )
    countries = _rows(
        "country_code name kind accounts posts",
        ("IQ", "Iraq", "about", 120, sum(mosul) + 310),
        ("SY", "Syria", "about", 97, sum(raqqa) + sum(aleppo)),
        ("SY", "Syria", "from", 12, 640),
        ("FR", "France", "about", 31, sum(paris)),
        ("BE", "Belgium", "about", 9, sum(brussels)),
        ("BE", "Belgium", "from", 2, 210),
        ("GB", "United Kingdom", "about", 22, sum(london)),
        ("DE", "Germany", "about", 17, sum(berlin)),
        ("TR", "Türkiye", "from", 7, sum(istanbul)),
        ("LY", "Libya", "about", 4, 57),
    )
    hotspots = _rows(
        "place kind start end accounts peak_accounts expected_accounts window_days posts "
        "communities evidence",
        ("Raqqa", "about", "2016-12-10", "2016-12-16", 14, 14, 3.5, 7,
         sum(raqqa[_index("2016-12-10") : _index("2016-12-16") + 1]), 2,
         ["p08", "p09", "p11"]),
        ("Istanbul", "from", "2016-11-20", "2016-11-26", 6, 6, 0.5, 7, 48, 1, ["p04"]),
    )
    summary = {
        "posts": 8598, "accounts": 1204, "interactions": 15872, "sources": len(_SOURCES),
        "quarantined": len(_QUARANTINE), "media": 640, "places": len(places),
        "entities": len(_ENTITIES),
    }
    # fmt: on
    evidence_posts = {p["post_id"]: {k: v for k, v in p.items() if k != "post_id"} for p in _POSTS}
    return ReportData(
        case_name=f"Opération Hiver — « الولاية » {SCRIPT}",
        generated_at="2017-01-02T09:30:00+01:00",
        time_zone="Europe/Paris",
        summary=summary,
        sources=deepcopy(_SOURCES),
        quarantine=deepcopy(_QUARANTINE),
        top_accounts=_items(AccountItem, deepcopy(_ACCOUNTS)),
        places=places,
        countries=countries,
        series=series,
        blackouts=_items(BlackoutItem, deepcopy(_BLACKOUTS)),
        moves=_items(MoveItem, deepcopy(_MOVES)),
        hotspots=_items(HotspotItem, hotspots),
        entities=deepcopy(_ENTITIES),
        evidence_posts=evidence_posts,
    )

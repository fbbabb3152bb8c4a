"""The ground truth of one generated scenario, computed from what was actually written.

Numbers here are counted on the drafts and the writers' reports, not copied from the
scenario's parameters, so a test can compare an analysis with what is really in the files.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from veille.demo.activity import PERSONAL, TWITTER, Draft, Story, venue_of_channel
from veille.demo.cast import Account
from veille.demo.clock import days_between
from veille.demo.output import FileReport
from veille.demo.scenario import (
    ANNOUNCE_DAYS,
    BLACKOUT_KEEP,
    BLACKOUT_START,
    CITIES,
    COLLECTION_START,
    COMMUNITIES,
    FRIDAY_FACTOR,
    GROUP_USERNAME,
    MIGRATION_START,
    PERIOD_END,
    PERIOD_START,
)
from veille.demo.truth_turnover import turnover_truth
from veille.ingest.common.identity import actor_id

__all__ = ["ground_truth"]

_CONTROLS = ("place:Raqqa", "place:Brussels", "community:raqqa_media", "platform:whatsapp")


def _platform(venue: str) -> str:
    return venue.split(":", 1)[0]


def _posts(story: Story) -> list[Draft]:
    return [d for drafts in story.venues.values() for d in drafts if d.service is None]


def _series(story: Story) -> dict[str, list[int]]:
    """Posts per UTC day for every series the analyses look at, from the collection's first
    day (the thin start of the Twitter collection) to the period's end."""
    days = days_between(COLLECTION_START, PERIOD_END)
    index = {day: n for n, day in enumerate(days)}
    series: dict[str, list[int]] = {}

    def count(key: str, day: date) -> None:
        series.setdefault(key, [0] * len(days))[index[day]] += 1

    for key in [
        "total",
        *(f"place:{c}" for c in CITIES),
        *(f"community:{c.key}" for c in COMMUNITIES),
    ]:
        series[key] = [0] * len(days)
    for draft in _posts(story):
        day = draft.at.date()
        count("total", day)
        count(f"community:{draft.author.community}", day)
        count(f"platform:{_platform(draft.venue)}", day)
        count(f"venue:{draft.venue}", day)
        if draft.place:
            count(f"place:{draft.place}", day)
        if draft.author.migrates and draft.venue in (TWITTER, f"telegram:{GROUP_USERNAME}"):
            count(f"migrants:{_platform(draft.venue)}", day)
    return series


def _mean_per_day(values: list[int], start: date, end: date) -> float:
    first = (start - COLLECTION_START).days
    last = (end - COLLECTION_START).days
    chunk = values[first : last + 1]
    return round(sum(chunk) / len(chunk), 3) if chunk else 0.0


def _before_after(values: list[int], pivot: date) -> dict[str, float | None]:
    before = _mean_per_day(values, PERIOD_START, pivot - timedelta(days=1))
    after = _mean_per_day(values, pivot, PERIOD_END)
    return {
        "before_per_day": before,
        "after_per_day": after,
        "ratio": round(after / before, 3) if before else None,
    }


def _interactions(story: Story) -> list[tuple[str, str, Account, Account]]:
    return [
        (kind, draft.venue, draft.author, target)
        for draft in _posts(story)
        for kind, target in draft.interactions
    ]


def _interaction_stats(story: Story) -> dict[str, Any]:
    edges = _interactions(story)
    within = sum(1 for _, _, s, t in edges if s.community == t.community)
    matrix: dict[str, dict[str, int]] = {
        c.key: {d.key: 0 for d in COMMUNITIES} for c in COMMUNITIES
    }
    for _, _, source, target in edges:
        matrix[source.community][target.community] += 1
    return {
        "total": len(edges),
        "within_community": within,
        "share_within": round(within / len(edges), 4) if edges else 0.0,
        "by_kind": dict(sorted(Counter(kind for kind, _, _, _ in edges).items())),
        "by_platform": dict(sorted(Counter(_platform(v) for _, v, _, _ in edges).items())),
        "matrix": matrix,
        "note": "planted edges only: retweets, replies and mentions in tweets, forwards, "
        "mentions and replies on Telegram. WhatsApp chats plant none; a reader that links chat "
        "participants (contact edges) links each chat's people, listed in files[...].participants",
    }


def _keys(account: Account) -> dict[str, str]:
    keys: dict[str, str] = {}
    if account.twitter:
        keys["twitter"] = account.twitter
    if account.telegram_from_id:
        keys["telegram"] = account.telegram_from_id
    if account.telegram_username:
        keys["telegram_username"] = account.telegram_username
    if account.telegram_export == "html":
        keys["telegram_html"] = f"name:{account.name}"
    if account.whatsapp:
        keys["whatsapp"] = account.whatsapp
    return keys


def _actor_ids(keys: dict[str, str]) -> dict[str, str]:
    platform_of = {"twitter": "twitter", "telegram": "telegram", "telegram_html": "telegram",
                   "whatsapp": "whatsapp"}  # fmt: skip
    return {
        name: actor_id(platform_of[name], key) for name, key in keys.items() if name in platform_of
    }


def _turnover_role(account: Account) -> str | None:
    """What ``veille.demo.turnover`` made of the account, if anything."""
    if account.twitter_until is not None:
        return "suspended"
    if account.successor_of is not None:
        return "successor"
    if account.decoy_kind is not None:
        return f"decoy ({account.decoy_kind})"
    if account.profile_place:
        return "profile place"
    if account.role == "voice":
        return "mentioned only"
    return "newcomer" if account.twitter_from is not None else None


def _accounts(story: Story, received: Counter[str]) -> list[dict[str, Any]]:
    posts: dict[str, Counter[str]] = {}
    for draft in _posts(story):
        posts.setdefault(draft.author.id, Counter())[draft.venue] += 1
    result = []
    for account in story.cast.accounts:
        keys = _keys(account)
        platforms = [
            p for p in ("twitter", "telegram", "whatsapp") if any(k.startswith(p) for k in keys)
        ]
        result.append(
            {
                "id": account.id,
                "name": account.name,
                "community": account.community,
                "home_city": account.home,
                "language": account.lang,
                "kind": account.kind,
                "role": account.role,
                "platforms": platforms,
                "keys": keys,
                "actor_ids": _actor_ids(keys),
                "migrates": account.migrates,
                "turnover": _turnover_role(account),
                "posts": dict(sorted(posts.get(account.id, Counter()).items())),
                "received_interactions": received[account.id],
            }
        )
    return result


def _central(story: Story, received: Counter[str]) -> list[dict[str, Any]]:
    hubs = [a for a in story.cast.accounts if a.role == "hub"]
    hubs.sort(key=lambda a: (-received[a.id], a.id))
    return [
        {
            "rank": rank,
            "id": a.id,
            "name": a.name,
            "community": a.community,
            "received_interactions": received[a.id],
        }
        for rank, a in enumerate(hubs, start=1)
    ]


def _brokers(story: Story) -> list[dict[str, Any]]:
    edges = _interactions(story)
    result = []
    for account in story.cast.accounts:
        if account.role != "broker":
            continue
        cross = [(s, t) for _, _, s, t in edges if account in (s, t) and s.community != t.community]
        linked = sorted({(t if s is account else s).community for s, t in cross})
        result.append(
            {
                "id": account.id,
                "name": account.name,
                "community": account.community,
                "links_to": linked,
                "cross_community_interactions": len(cross),
            }
        )
    return result


def _move(story: Story, series: dict[str, list[int]]) -> dict[str, Any]:
    migrants = [a for a in story.cast.accounts if a.migrates]
    announcements = sum(1 for d in story.venues.get(TWITTER, []) if d.announce)
    zeros = [0] * len(series["total"])
    return {
        "from": "twitter",
        "to": f"telegram:{GROUP_USERNAME}",
        "start": MIGRATION_START.isoformat(),
        "depth": 1.0,
        "announce_from": (MIGRATION_START - timedelta(days=ANNOUNCE_DAYS)).isoformat(),
        "link": f"https://t.me/{GROUP_USERNAME}",
        "announcement_tweets": announcements,
        "accounts": [a.id for a in migrants],
        "twitter_handles": [a.twitter for a in migrants],
        "names": [a.name for a in migrants],
        "joined_group_at": {
            a.id: story.joins[a.id].isoformat() for a in migrants if a.id in story.joins
        },
        "series": ["migrants:twitter", "migrants:telegram"],
        "observed": {
            "migrants:twitter": _before_after(
                series.get("migrants:twitter", zeros), MIGRATION_START
            ),
            "migrants:telegram": _before_after(
                series.get("migrants:telegram", zeros), MIGRATION_START
            ),
        },
    }


def _communities(story: Story) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for spec in COMMUNITIES:
        members = story.cast.community(spec.key)
        result[spec.key] = {
            "label": spec.label,
            "home_cities": sorted({a.home for a in members}),
            "languages": [lang for lang, _ in spec.languages],
            "accounts": [a.id for a in members],
            "hubs": [a.id for a in members if a.role == "hub"],
            "brokers": [a.id for a in members if a.role == "broker"],
        }
    return result


def _media(reports: list[FileReport]) -> dict[str, Any]:
    totals = Counter(m.status for r in reports for m in r.media)
    listing = [
        {"file": m.file, "name": m.name, "status": m.status}
        for r in reports
        for m in r.media
        if m.status != "omitted"
    ]
    return {"counts": dict(sorted(totals.items())), "files": listing}


def ground_truth(
    story: Story, reports: list[FileReport], news: list[dict[str, Any]], seed: int, scale: float
) -> dict[str, Any]:
    """Everything planted in one scenario, as a JSON-ready dict."""
    series = _series(story)
    received: Counter[str] = Counter(t.id for _, _, _, t in _interactions(story))
    hadba = next(
        a for a in story.cast.accounts if a.community == "mosul_cell" and a.kind == "channel"
    )
    blackouts = [
        {
            "series": key,
            "start": BLACKOUT_START.isoformat(),
            "depth": round(1 - BLACKOUT_KEEP, 3),
            "end": None,
            "observed": _before_after(series.get(key, [0] * len(series["total"])), BLACKOUT_START),
        }
        for key in ("place:Mosul", "community:mosul_cell", f"venue:{venue_of_channel(hadba)}")
    ]
    controls = [
        {"series": key, "observed": _before_after(series[key], BLACKOUT_START)} for key in _CONTROLS
    ]
    posts = _posts(story)
    by_format = Counter(r.format for r in reports)
    distinct = {
        "tweets-csv": sum(1 for d in posts if d.venue == TWITTER),
        "telegram-json": sum(
            1
            for d in posts
            if d.venue.startswith("telegram:") and d.author.telegram_export != "html"
        ),
        "telegram-html": sum(1 for d in posts if d.author.telegram_export == "html"),
        "whatsapp": sum(1 for d in posts if d.venue.startswith("whatsapp:")),
        "news": len(news),
    }
    bad = [b.as_json() for r in reports for b in r.bad]
    return {
        "seed": seed,
        "scale": scale,
        "period": {
            "start": PERIOD_START.isoformat(),
            "end": PERIOD_END.isoformat(),
            "series_start": COLLECTION_START.isoformat(),
            "days": len(series["total"]),
            "day_basis": "UTC calendar days",
            "weekly_cycle": {"Friday": FRIDAY_FACTOR, "other days": 1.0},
        },
        "communities": _communities(story),
        "accounts": _accounts(story, received),
        "central_accounts": _central(story, received),
        "brokers": _brokers(story),
        "interactions": _interaction_stats(story),
        "places": {
            city.key: {
                "names": {lang: list(names) for lang, names in city.names.items()},
                "latitude": city.latitude,
                "longitude": city.longitude,
                "posts": sum(series[f"place:{city.key}"]),
            }
            for city in CITIES.values()
        },
        "blackouts": blackouts,
        "moves": [_move(story, series)],
        "controls": controls,
        "series": series,
        **turnover_truth(story.cast.accounts, story.venues.get(TWITTER, [])),
        "news": news,
        "files": {r.path: r.as_json() for r in reports},
        "media": _media(reports),
        "bad_records": bad,
        "expected_counts": {
            "posts": sum(distinct.values()),
            "posts_by_format": distinct,
            "posts_in_files": sum(r.records for r in reports),
            "files_by_format": dict(sorted(by_format.items())),
            "service_messages": sum(r.service for r in reports),
            "rejects": len(bad),
            "interactions": sum(len(d.interactions) for d in posts),
            "accounts": len(story.cast.accounts),
            "personal_chat_messages": len(story.venues.get(PERSONAL, [])),
        },
    }

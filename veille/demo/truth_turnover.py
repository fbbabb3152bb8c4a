"""The ground truth of the collection and the turnover, counted from the tweets written.

What a later analysis should find: the thin start and the gap of the Twitter collection, each
planted silence with its last tweet (and the veille post id that tweet gets), the weeks of the
silence waves, the successor pairs and the decoys, the accounts whose profile location is on
their every post, and the accounts only ever addressed. Nothing here is copied from the
scenario's parameters where the written tweets can say it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from veille.demo.cast import Account
from veille.demo.drafts import TWITTER, Draft
from veille.demo.scenario import (
    COLLECTION_START,
    PERIOD_START,
    SILENT_FOR_GOOD_DAYS,
    SUSPENSION_WAVES,
    TWITTER_GAP,
)
from veille.demo.textgen import join_plain
from veille.demo.write_tweets_csv import csv_time
from veille.ingest.common.identity import actor_id, post_id

__all__ = ["monday", "turnover_truth", "tweet_id"]


def monday(day: date) -> date:
    """The Monday starting the week of ``day`` (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def tweet_id(draft: Draft) -> str:
    """The id veille gives this tweet read from the CSV (no id column: handle, time, text)."""
    return post_id(
        TWITTER, "row", draft.author.twitter, csv_time(draft.at), join_plain(draft.parts)
    )


def _who(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "handle": account.twitter,
        "name": account.name,
        "actor_id": actor_id(TWITTER, account.twitter or ""),
        "community": account.community,
    }


def _by_author(tweets: list[Draft]) -> dict[str, list[Draft]]:
    own: dict[str, list[Draft]] = {}
    for draft in sorted(tweets, key=lambda d: d.at):
        own.setdefault(draft.author.id, []).append(draft)
    return own


def _collection(tweets: list[Draft]) -> dict[str, Any]:
    thin = [d for d in tweets if d.at.date() < PERIOD_START]
    gap_from, gap_to = TWITTER_GAP
    return {
        "source": "twitter",
        "first_day": min(d.at.date() for d in tweets).isoformat(),
        "last_day": max(d.at.date() for d in tweets).isoformat(),
        "thin_start": {
            "from": COLLECTION_START.isoformat(),
            "to": (PERIOD_START - timedelta(days=1)).isoformat(),
            "posts": len(thin),
            "accounts": sorted({d.author.id for d in thin}),
            "first_post": min(d.at for d in thin).isoformat() if thin else None,
            "real_volume_from": PERIOD_START.isoformat(),
        },
        "gaps": [
            {
                "from": gap_from.isoformat(),
                "to": gap_to.isoformat(),
                "days": (gap_to - gap_from).days + 1,
                "posts_inside": sum(1 for d in tweets if gap_from <= d.at.date() <= gap_to),
                "why": "the collector was down: people posted, the file holds nothing",
            }
        ],
    }


def _silence(own: list[Draft], why: str, end: date) -> dict[str, Any]:
    last = own[-1]
    return {
        **_who(last.author),
        "why": why,
        "last_post_id": tweet_id(last),
        "last_post_at": last.at.isoformat(),
        "last_day": last.at.date().isoformat(),
        "week": monday(last.at.date()).isoformat(),
        "posts": len(own),
        "active_days": len({d.at.date() for d in own}),
        "silent_days": (end - last.at.date()).days,
    }


def _silences(cast: list[Account], own: dict[str, list[Draft]], end: date) -> list[dict[str, Any]]:
    """Every account planted to stop tweeting for good: suspended, or moved to Telegram."""
    waves = {wave.week for wave in SUSPENSION_WAVES}
    found = []
    for account in cast:
        tweets = own.get(account.id, [])
        if not tweets or not (account.twitter_until or account.migrates):
            continue
        if account.migrates:
            why = "moved to Telegram"
        elif monday(tweets[-1].at.date()) in waves:
            why = "suspended in a wave"
        else:
            why = "suspended"
        found.append(_silence(tweets, why, end))
    return [s for s in found if s["silent_days"] >= SILENT_FOR_GOOD_DAYS]


def _waves(silences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The weeks the planted silences came in several at once: the suspension waves and the
    move's week (its people fell silent on Twitter too)."""
    weeks: dict[str, list[dict[str, Any]]] = {}
    for silence in silences:
        if silence["why"] != "suspended":
            weeks.setdefault(silence["week"], []).append(silence)
    return [
        {
            "week_start": week,
            "week_end": (date.fromisoformat(week) + timedelta(days=6)).isoformat(),
            "why": "move to Telegram"
            if all(s["why"] == "moved to Telegram" for s in members)
            else "suspensions",
            "accounts": [s["id"] for s in members],
            "silent": len(members),
        }
        for week, members in sorted(weeks.items())
    ]


def _addressers(tweets: list[Draft]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for draft in tweets:
        for _, target in draft.interactions:
            found.setdefault(target.id, set()).add(draft.author.id)
    return found


def _links(own: list[Draft]) -> set[str]:
    return {text for d in own for kind, text in d.parts if kind == "link"}


def _successors(
    cast: list[Account], own: dict[str, list[Draft]], tweets: list[Draft]
) -> list[dict[str, Any]]:
    by_id = {a.id: a for a in cast}
    audience = _addressers(tweets)
    pairs = []
    for new in cast:
        if new.successor_of is None or not own.get(new.id):
            continue
        old = by_id[new.successor_of]
        before, after = own[old.id], own[new.id]
        pairs.append(
            {
                "old": _who(old),
                "new": _who(new),
                "old_last_post_at": before[-1].at.isoformat(),
                "new_first_post_at": after[0].at.isoformat(),
                "gap_days": (after[0].at.date() - before[-1].at.date()).days,
                "same_name": old.name == new.name,
                "same_profile": old.description == new.description,
                "shared_audience": len(audience.get(old.id, set()) & audience.get(new.id, set())),
                "shared_links": len(_links(before) & _links(after)),
            }
        )
    return pairs


def _decoys(cast: list[Account], own: dict[str, list[Draft]]) -> list[dict[str, Any]]:
    by_id = {a.id: a for a in cast}
    return [
        {
            **_who(account),
            "kind": account.decoy_kind,
            "not_successor_of": _who(by_id[account.decoy_for]),
            "first_post_at": own[account.id][0].at.isoformat(),
        }
        for account in cast
        if account.decoy_for is not None and own.get(account.id)
    ]


def _profile_places(cast: list[Account], own: dict[str, list[Draft]]) -> list[dict[str, Any]]:
    found = []
    for account in cast:
        tweets = own.get(account.id, [])
        if not account.profile_place or not tweets:
            continue
        # The CSV writes its author's profile location on every row.
        with_location = len(tweets) if account.location else 0
        found.append(
            {
                **_who(account),
                "location": account.location,
                "posts": len(tweets),
                "posts_with_location": with_location,
                "share": round(with_location / len(tweets), 4),
                "first_day": tweets[0].at.date().isoformat(),
            }
        )
    return found


def _mentioned_only(cast: list[Account], tweets: list[Draft]) -> list[dict[str, Any]]:
    authors = {d.author.id for d in tweets}
    found = []
    for account in cast:
        if account.twitter is None or account.id in authors:
            continue
        kinds = Counter(k for d in tweets for k, t in d.interactions if t is account)
        if not kinds:
            continue
        by = {d.author.id for d in tweets for _, t in d.interactions if t is account}
        found.append({**_who(account), "addressed": dict(sorted(kinds.items())), "by": len(by)})
    return found


def _weekly_volume(tweets: list[Draft]) -> dict[str, int]:
    """Tweets per week (Mondays) from the real volume on: level through the waves."""
    weeks = Counter(monday(d.at.date()).isoformat() for d in tweets if d.at.date() >= PERIOD_START)
    return dict(sorted(weeks.items()))


def turnover_truth(cast: list[Account], tweets: list[Draft]) -> dict[str, Any]:
    """The collection's and the turnover's ground truth, from the tweets as written."""
    own = _by_author(tweets)
    end = max(d.at.date() for d in tweets)
    silences = _silences(cast, own, end)
    return {
        "collection": _collection(tweets),
        "silences": silences,
        "silence_waves": _waves(silences),
        "successors": _successors(cast, own, tweets),
        "decoys": _decoys(cast, own),
        "newcomers": [
            {**_who(a), "first_day": own[a.id][0].at.date().isoformat()}
            for a in cast
            if a.twitter_from is not None and own.get(a.id)
        ],
        "profile_places": _profile_places(cast, own),
        "mentioned_only": _mentioned_only(cast, tweets),
        "twitter_weekly_volume": _weekly_volume(tweets),
    }

"""The simulation: who posts where and when, about which city, and who they interact with.

Each account posts on each of its venues as a Poisson process per day (weekly cycle, daily
rhythm), then the planted events act on it: the Mosul blackout thins posts by Mosul people or
about Mosul, the planted move takes the migrants from Twitter to the Telegram group, suspended
accounts tweet for the last time at their planted moment (``veille.demo.turnover``), and the
Twitter collection gets its thin start and its gap (``veille.demo.collection``). Interactions
then pick their targets mostly inside the author's community, preferring hubs, among accounts
on Twitter at the time; brokers reach across; fans address their idol, then its successor. The
result is a list of ``Draft`` per venue, in time order, which the writers render.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from veille.demo.cast import ANDROID_CHAT, Account, Cast
from veille.demo.clock import days_between, local_to_utc, poisson, weekday_factor
from veille.demo.collection import drop_gap, thin_start
from veille.demo.drafts import TWITTER, Draft, choose_lang, choose_place, draft_on, moment_on
from veille.demo.scenario import (
    ANNOUNCE_DAYS,
    BLACKOUT_KEEP,
    BLACKOUT_START,
    CITIES,
    MIGRATION_START,
    PERIOD_END,
    PERIOD_START,
)
from veille.demo.textgen import Part, announcement, body, merge

__all__ = [
    "ANDROID",
    "IOS",
    "PERSONAL",
    "TWITTER",
    "Draft",
    "Story",
    "simulate",
    "venue_of_channel",
]

ANDROID = "whatsapp:android"
IOS = "whatsapp:ios"
PERSONAL = "telegram:personal"

_WITHIN = {"hub": 0.96, "member": 0.96, "broker": 0.5, "venue": 1.0}
_WEIGHT_HOME = {"hub": 20.0, "broker": 3.0, "member": 1.0, "voice": 3.0}
_WEIGHT_AWAY = {"hub": 5.0, "broker": 10.0, "member": 1.0, "voice": 2.0}
_FAN_SHARE = 0.4  # of a fan's tweets that address its idol (or the idol's successor)
_LINK_SHARE = 0.3  # of a suspended account's (or its successor's) tweets with one of its links


def venue_of_channel(account: Account) -> str:
    """The venue key of a Telegram channel or group."""
    return f"telegram:{account.telegram_username}"


@dataclass(slots=True)
class Story:
    """Every draft, by venue, plus what the truth needs to know about how they were made."""

    venues: dict[str, list[Draft]]
    cast: Cast
    joins: dict[str, datetime]  # migrant id -> when they joined the group


def _period_bounds() -> tuple[datetime, datetime]:
    start = datetime.combine(PERIOD_START, time.min, UTC)
    end = datetime.combine(PERIOD_END + timedelta(days=1), time.min, UTC)
    return start, end


def _survives_blackout(
    rng: random.Random, account: Account, place: str | None, at: datetime
) -> bool:
    if at.date() < BLACKOUT_START:
        return True
    if place != "Mosul" and account.home != "Mosul":
        return True
    return rng.random() < BLACKOUT_KEEP


def _stream(
    rng: random.Random,
    account: Account,
    venue: str,
    rate: float,
    first: date,
    last: date,
    scale: float,
) -> list[Draft]:
    start, end = _period_bounds()
    drafts: list[Draft] = []
    for day in days_between(first, last):
        for _ in range(poisson(rng, rate * weekday_factor(day) * scale)):
            place = choose_place(rng, account)
            at = moment_on(rng, account, day)
            if not start <= at < end or not _survives_blackout(rng, account, place, at):
                continue
            if venue == TWITTER and not account.on_twitter(at):
                continue  # not opened yet, or suspended
            drafts.append(Draft(venue, account, at, choose_lang(rng, account), place))
    return drafts


def _raw_activity(rng: random.Random, cast: Cast, scale: float) -> dict[str, list[Draft]]:
    venues: dict[str, list[Draft]] = {}

    def add(venue: str, drafts: list[Draft]) -> None:
        venues.setdefault(venue, []).extend(drafts)

    last_tweet_day = MIGRATION_START - timedelta(days=1)
    for account in cast.accounts:
        if account.twitter_rate:
            first = account.twitter_from or PERIOD_START
            last = last_tweet_day if account.migrates else PERIOD_END
            if account.twitter_until is not None:
                last = account.twitter_until.date() + timedelta(days=1)  # a zone's day later
            add(TWITTER, _stream(rng, account, TWITTER, account.twitter_rate, first, last, scale))
        if account.channel_rate:
            venue = venue_of_channel(account)
            add(
                venue,
                _stream(rng, account, venue, account.channel_rate, PERIOD_START, PERIOD_END, scale),
            )
        if account.group_rate:
            venue = venue_of_channel(cast.group)
            first = MIGRATION_START if account.migrates else PERIOD_START
            add(venue, _stream(rng, account, venue, account.group_rate, first, PERIOD_END, scale))
        if account.whatsapp_rate:
            venue = ANDROID if account.whatsapp_chat == ANDROID_CHAT else IOS
            add(
                venue,
                _stream(
                    rng, account, venue, account.whatsapp_rate, PERIOD_START, PERIOD_END, scale
                ),
            )
    for account in (cast.owner, cast.contact):
        add(PERSONAL, _stream(rng, account, PERSONAL, 0.4, PERIOD_START, PERIOD_END, scale))
    return venues


def _plant_turnover(rng: random.Random, story: Story) -> None:
    """Each suspended account's last tweet comes at the moment planted for it, and each new
    account's first tweet on the day it was opened, whatever the scale."""
    tweets = story.venues.setdefault(TWITTER, [])
    for account in story.cast.accounts:
        if account.twitter_until is not None:
            tweets.append(draft_on(rng, account, TWITTER, account.twitter_until))
        if account.twitter_from is not None and account.twitter_rate:
            opened = [
                d for d in tweets if d.author is account and d.at.date() == account.twitter_from
            ]
            if not opened:
                at = datetime.combine(
                    account.twitter_from, time(12 + rng.randrange(8), rng.randrange(60)), UTC
                )
                tweets.append(draft_on(rng, account, TWITTER, at))


def _plant_follow_ups(rng: random.Random, story: Story) -> None:
    """Channels post some statements in two parts, the second minutes after the first (an HTML
    export then joins them under one header): 3 % of a channel's posts, at least one."""
    _, end = _period_bounds()
    for venue, drafts in story.venues.items():
        if not venue.startswith("telegram:"):
            continue
        own = [d for d in drafts if d.author.kind == "channel"]
        for first in rng.sample(own, min(len(own), max(1, round(len(own) * 0.03)))):
            at = first.at + timedelta(minutes=rng.randint(2, 9))
            if at < end:
                drafts.append(Draft(venue, first.author, at, first.lang, first.place))


def _plant_move(rng: random.Random, story: Story) -> None:
    """Announce the group in the migrants' last two tweets; log their joining the group."""
    tweets = story.venues[TWITTER]
    group_venue = venue_of_channel(story.cast.group)
    window = MIGRATION_START - timedelta(days=ANNOUNCE_DAYS)
    for account in story.cast.accounts:
        if not account.migrates:
            continue
        own = [d for d in tweets if d.author is account and d.at.date() >= window]
        if not own:
            at = local_to_utc(
                CITIES[account.home].zone,
                datetime.combine(MIGRATION_START - timedelta(days=1), time(20, rng.randrange(60))),
            )
            own = [Draft(TWITTER, account, at, account.lang, None)]
            tweets.append(own[0])
        own.sort(key=lambda d: d.at)
        for draft in own[-2:]:  # the last tweets before leaving
            draft.announce = True
            draft.place = None
        join = local_to_utc(
            CITIES[account.home].zone,
            datetime.combine(MIGRATION_START, time(8 + rng.randrange(4), rng.randrange(60))),
        )
        story.joins[account.id] = join
        group = story.venues.setdefault(group_venue, [])
        group[:] = [d for d in group if d.author is not account or d.at > join]
        group.append(
            Draft(group_venue, account, join, account.lang, None, service="join_group_by_link")
        )


class _Targets:
    """Chooses interaction targets: mostly inside the community, hubs first, brokers across."""

    def __init__(self, accounts: list[Account]) -> None:
        self.accounts = accounts

    def pick(
        self, rng: random.Random, source: Account, eligible: Callable[[Account], bool]
    ) -> Account | None:
        within = rng.random() < _WITHIN[source.role]
        if within:
            pool = [a for a in self.accounts if a.community == source.community]
            weights = _WEIGHT_HOME
        else:
            others = sorted({a.community for a in self.accounts} - {source.community})
            community = rng.choice(others)
            pool = [a for a in self.accounts if a.community == community]
            weights = _WEIGHT_AWAY
        pool = [a for a in pool if a is not source and a.kind != "group" and eligible(a)]
        if not pool:
            return None
        return rng.choices(pool, [weights.get(a.role, 1.0) for a in pool])[0]


def _has_username(account: Account) -> bool:
    return account.telegram_username is not None


def _posts_on_telegram(account: Account) -> bool:
    return account.telegram_id is not None


def _idols(cast: Cast) -> dict[str, list[Account]]:
    """For each account with fans: itself, then its successor (whom the fans follow to)."""
    by_id = cast.by_id()
    idols = {a.fan_of: [by_id[a.fan_of]] for a in cast.accounts if a.fan_of}
    for account in cast.accounts:
        if account.successor_of in idols:
            idols[account.successor_of].append(account)
    return idols


def _on_twitter_at(moment: datetime) -> Callable[[Account], bool]:
    return lambda account: account.on_twitter(moment)


def _interact_twitter(
    rng: random.Random, drafts: list[Draft], targets: _Targets, idols: dict[str, list[Account]]
) -> None:
    for draft in drafts:
        if draft.announce:
            continue
        at = draft.at
        if draft.author.fan_of:
            idol = next((a for a in idols[draft.author.fan_of] if a.on_twitter(at)), None)
            if idol is not None and rng.random() < _FAN_SHARE:
                draft.interactions.append((rng.choice(("retweet", "mention")), idol))
                continue
        if rng.random() >= 0.55:
            continue
        kind = rng.choices(("retweet", "mention", "reply"), (0.4, 0.35, 0.25))[0]
        count = 2 if kind == "mention" and rng.random() < 0.15 else 1
        for _ in range(count):
            # Nobody addresses an account before it is opened, or once it is suspended.
            target = targets.pick(rng, draft.author, _on_twitter_at(at))
            if target and all(t is not target for _, t in draft.interactions):
                draft.interactions.append((kind, target))


def _interact_telegram(
    rng: random.Random, drafts: list[Draft], targets: _Targets, group: bool
) -> None:
    last_by_author: dict[str, int] = {}
    for index, draft in enumerate(drafts):
        if draft.service is None and rng.random() < (0.5 if group else 0.35):
            if group:
                kind = rng.choices(("reply", "mention", "forward"), (0.45, 0.3, 0.25))[0]
            else:
                kind = rng.choices(("forward", "mention"), (0.6, 0.4))[0]
            eligible = _posts_on_telegram if kind != "mention" else _has_username
            target = targets.pick(rng, draft.author, eligible)
            if kind == "reply" and target is not None and target.id not in last_by_author:
                kind = "mention" if target.telegram_username else "forward"
            if target is not None:
                draft.interactions.append((kind, target))
                if kind == "reply":
                    draft.reply_to = last_by_author[target.id]
                elif kind == "forward":
                    draft.forwarded_from = target
                    draft.forwarded_at = draft.at - timedelta(minutes=rng.randint(5, 600))
        if draft.service is None:
            last_by_author[draft.author.id] = index


def _compose(rng: random.Random, story: Story) -> None:
    """Write every post's text; the interactions show in it the way each platform shows them."""
    for venue, drafts in story.venues.items():
        for draft in drafts:
            if draft.service:
                continue
            if draft.announce:
                draft.parts = announcement(draft.lang)
                continue
            source = draft.forwarded_from or draft.author
            lang = source.lang if draft.forwarded_from else draft.lang
            channel = _channel_of(story.cast, source)
            multiline = 0.25 if venue != TWITTER else 0.02
            text = body(rng, lang, draft.place, channel=channel, multiline=multiline)
            if venue == TWITTER and draft.author.links and rng.random() < _LINK_SHARE:
                text += [("plain", " "), ("link", rng.choice(draft.author.links))]
            prefix: list[Part] = []
            suffix: list[Part] = []
            for kind, target in draft.interactions:
                if venue == TWITTER and kind == "retweet":
                    prefix = [
                        ("plain", "RT "),
                        ("mention", "@" + (target.twitter or "")),
                        ("plain", ": "),
                    ]
                elif venue == TWITTER and kind == "reply":
                    prefix = [("mention", "@" + (target.twitter or "")), ("plain", " ")]
                elif kind == "mention":
                    handle = target.twitter if venue == TWITTER else target.telegram_username
                    suffix += [
                        ("plain", " via " if not suffix else " "),
                        ("mention", "@" + (handle or "")),
                    ]
            draft.parts = merge(prefix + text + suffix)
            if venue.startswith("telegram") and rng.random() < 0.03:
                draft.edited_at = draft.at + timedelta(minutes=rng.randint(1, 90))


def _channel_of(cast: Cast, account: Account) -> str | None:
    """The t.me channel an author links to: its own, else its community's first channel."""
    if account.kind == "channel":
        return account.telegram_username
    for candidate in cast.accounts:
        if candidate.community == account.community and candidate.kind == "channel":
            return candidate.telegram_username
    return None


def _pick_media(rng: random.Random, story: Story, scale: float) -> None:
    """Attach photos to a few posts per export; at least a handful whatever the scale."""
    channels = [
        d
        for venue, drafts in story.venues.items()
        if venue.startswith("telegram:") and venue != PERSONAL
        for d in drafts
        if d.service is None and d.author.kind == "channel" and d.author.telegram_export == "json"
    ]
    html = [
        d
        for drafts in story.venues.values()
        for d in drafts
        if d.author.telegram_export == "html" and d.forwarded_from is None
    ]
    android = story.venues.get(ANDROID, [])
    ios = story.venues.get(IOS, [])
    for pool, wanted in (
        (channels, max(4, round(24 * scale))),
        (html, max(3, round(8 * scale))),
        (android, max(2, round(40 * scale))),
        (ios, max(2, round(10 * scale))),
    ):
        candidates = [d for d in pool if d.service is None and not d.interactions]
        for draft in rng.sample(candidates, min(wanted, len(candidates))):
            draft.media = True


def simulate(rng: random.Random, cast: Cast, scale: float) -> Story:
    """Run the story once: every draft of every venue, in time order."""
    story = Story(venues=_raw_activity(rng, cast, scale), cast=cast, joins={})
    _plant_turnover(rng, story)
    _plant_follow_ups(rng, story)
    _plant_move(rng, story)
    # What the collector kept: a trickle before the real volume, nothing while it was down.
    story.venues[TWITTER] = drop_gap(thin_start(rng, cast, scale) + story.venues[TWITTER])
    for drafts in story.venues.values():
        drafts.sort(key=lambda d: (d.at, d.author.id, d.service or ""))
    targets = _Targets(cast.accounts)
    _interact_twitter(rng, story.venues[TWITTER], targets, _idols(cast))
    group_venue = venue_of_channel(cast.group)
    for venue, drafts in story.venues.items():
        if venue.startswith("telegram:") and venue != PERSONAL:
            _interact_telegram(rng, drafts, targets, group=venue == group_venue)
    _compose(rng, story)
    _pick_media(rng, story, scale)
    return story

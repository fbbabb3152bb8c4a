"""The simulation: who posts where and when, about which city, and who they interact with.

Each account posts on each of its venues as a Poisson process per day (weekly cycle, daily
rhythm), then the planted events act on it: the Mosul blackout thins posts by Mosul people or
about Mosul, the planted move takes the migrants from Twitter to the Telegram group. Interactions
then pick their targets mostly inside the author's community, preferring hubs; brokers reach
across. The result is a list of ``Draft`` per venue, in time order, which the writers render.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from veille.demo.cast import ANDROID_CHAT, Account, Cast
from veille.demo.clock import DIURNAL, days_between, local_to_utc, poisson, weekday_factor
from veille.demo.scenario import (
    ANNOUNCE_DAYS,
    BLACKOUT_KEEP,
    BLACKOUT_START,
    CITIES,
    COMMUNITIES,
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

TWITTER = "twitter"
ANDROID = "whatsapp:android"
IOS = "whatsapp:ios"
PERSONAL = "telegram:personal"

_WITHIN = {"hub": 0.96, "member": 0.96, "broker": 0.5, "venue": 1.0}
_WEIGHT_HOME = {"hub": 20.0, "broker": 3.0, "member": 1.0}
_WEIGHT_AWAY = {"hub": 5.0, "broker": 10.0, "member": 1.0}


def venue_of_channel(account: Account) -> str:
    """The venue key of a Telegram channel or group."""
    return f"telegram:{account.telegram_username}"


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


def _choose_place(rng: random.Random, account: Account) -> str | None:
    spec = next(s for s in COMMUNITIES if s.key == account.community)
    values = [value for value, _ in spec.places]
    place = rng.choices(values, [w for _, w in spec.places])[0]
    return account.home if place == "home" else place


def _choose_lang(rng: random.Random, account: Account) -> str:
    if len(account.languages) > 1 and rng.random() < 0.4:
        return rng.choice(account.languages[1:])
    return account.lang


def _moment(rng: random.Random, account: Account, day: date) -> datetime:
    hour = rng.choices(range(24), DIURNAL)[0]
    local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
    return local_to_utc(CITIES[account.home].zone, local)


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
            place = _choose_place(rng, account)
            at = _moment(rng, account, day)
            if not start <= at < end or not _survives_blackout(rng, account, place, at):
                continue
            drafts.append(Draft(venue, account, at, _choose_lang(rng, account), place))
    return drafts


def _raw_activity(rng: random.Random, cast: Cast, scale: float) -> dict[str, list[Draft]]:
    venues: dict[str, list[Draft]] = {}

    def add(venue: str, drafts: list[Draft]) -> None:
        venues.setdefault(venue, []).extend(drafts)

    last_tweet_day = MIGRATION_START - timedelta(days=1)
    for account in cast.accounts:
        if account.twitter_rate:
            last = last_tweet_day if account.migrates else PERIOD_END
            add(
                TWITTER,
                _stream(rng, account, TWITTER, account.twitter_rate, PERIOD_START, last, scale),
            )
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


def _on_twitter(account: Account) -> bool:
    return account.twitter is not None


def _has_username(account: Account) -> bool:
    return account.telegram_username is not None


def _posts_on_telegram(account: Account) -> bool:
    return account.telegram_id is not None


def _interact_twitter(rng: random.Random, drafts: list[Draft], targets: _Targets) -> None:
    for draft in drafts:
        if draft.announce or rng.random() >= 0.55:
            continue
        kind = rng.choices(("retweet", "mention", "reply"), (0.4, 0.35, 0.25))[0]
        count = 2 if kind == "mention" and rng.random() < 0.15 else 1
        for _ in range(count):
            target = targets.pick(rng, draft.author, _on_twitter)
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
    _plant_move(rng, story)
    for drafts in story.venues.values():
        drafts.sort(key=lambda d: (d.at, d.author.id, d.service or ""))
    targets = _Targets(cast.accounts)
    _interact_twitter(rng, story.venues.get(TWITTER, []), targets)
    group_venue = venue_of_channel(cast.group)
    for venue, drafts in story.venues.items():
        if venue.startswith("telegram:") and venue != PERSONAL:
            _interact_telegram(rng, drafts, targets, group=venue == group_venue)
    _compose(rng, story)
    _pick_media(rng, story, scale)
    return story

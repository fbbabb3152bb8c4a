"""The turnover of Twitter accounts: suspension waves, successors, decoys and newcomers.

On a real dataset (17,410 tweets of 112 accounts) most accounts stopped for good, in waves of
suspensions, while the group's weekly volume held: owners came back under look-alike handles
and new accounts joined. This plants that on the cast, from its own random stream, so the rest
of the cast is the same with or without it:

- in each ``SUSPENSION_WAVES`` week that many prolific members post their last tweet; some come
  back days later as a *successor*: the handle changed by a number or a few characters, the
  same or a near display name and profile, the same links, and their fans (members who address
  them often) address the successor instead;
- *decoys* appear the same week and are nobody's successor: an unrelated newcomer (another
  handle, another community) or a look-alike (a suspended account's handle stem with other
  digits: another person, in another community);
- the other suspended accounts are replaced by newcomers of their community, so the weekly
  volume stays about level; one account is suspended alone in each ``BACKGROUND_SUSPENSIONS``
  week (the base rate the waves stand out from), the first of them with a successor;
- newcomers whose profile location is on every post (``PROFILE_PLACES``), and accounts only
  ever addressed, never posting (``MENTIONED_ONLY``).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from veille.demo.cast import Account, Cast, Namer, describe
from veille.demo.scenario import (
    BACKGROUND_SUSPENSIONS,
    BLACKOUT_START,
    COMMUNITIES,
    MENTIONED_ONLY,
    PROFILE_PLACES,
    SUSPENSION_WAVES,
    CommunitySpec,
)

__all__ = ["plant_turnover", "successor_handle"]

# Tweets a day (at scale 1) of a suspended account: the prolific ones get reported.
_PROLIFIC = (1.2, 2.4)
_FANS = 5  # accounts that address a suspended account, then its successor, often
_NEW_ACCOUNT = {"ar": "الحساب الجديد", "en": "new account", "fr": "nouveau compte",
                "de": "neues Konto"}  # fmt: skip
_LINK_HOSTS = ("archive.example.org", "files.example.com", "media.example.org")
_TAIL = re.compile(r"[\d_.\-]+$")
_MAX_HANDLE = 15
# Left out of the turnover: Mosul people go dark with the blackout (their end, a successor or a
# fan would not show after it), and the European supporters are the move's people, whose drop
# on Twitter newcomers would fill.
_DARK = "mosul_cell"
_MOVERS = "european_supporters"


def _spec(key: str) -> CommunitySpec:
    return next(spec for spec in COMMUNITIES if spec.key == key)


def _weighted(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in weighted], [w for _, w in weighted])[0]


class _Turnover:
    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng = rng
        self.cast = cast
        self.namer = Namer(rng, cast.accounts)
        # Twitter-only members: a suspension there leaves no account elsewhere posting on.
        self.pool = [
            a
            for a in cast.accounts
            if a.role == "member"
            and a.twitter
            and not a.migrates
            and a.telegram_id is None
            and a.whatsapp is None
        ]

    def add(self, account: Account) -> Account:
        account.id = f"acc{len(self.cast.accounts) + 1:03d}"
        self.cast.accounts.append(account)
        return account

    def suspend(self, week: date, count: int) -> list[Account]:
        """Pick ``count`` members and end their Twitter within ``week``, in pick order."""
        # Mosul people only well before the blackout: after it they barely post, so neither
        # their end nor a successor would show. Fans stay (while there are others to pick), so
        # a successor's audience is there to find.
        early = week + timedelta(days=28) <= BLACKOUT_START
        eligible = [
            a for a in self.pool if a.community != _MOVERS and (early or a.community != _DARK)
        ]
        calm = [a for a in eligible if a.fan_of is None]
        chosen = self.rng.sample(calm if len(calm) >= count else eligible, count)
        for account in chosen:
            self.pool.remove(account)
            day = week + timedelta(days=self.rng.randrange(7))
            moment = time(self.rng.randint(9, 21), self.rng.randrange(60))
            account.twitter_until = datetime.combine(day, moment, UTC)
            account.twitter_rate = max(account.twitter_rate, round(self.rng.uniform(*_PROLIFIC), 2))
            token = "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=6))
            host = self.rng.choice(_LINK_HOSTS)
            account.links = tuple(f"https://{host}/{token}/{n}" for n in (1, 2, 3))
        return chosen

    def successor(self, old: Account) -> Account:
        rng = self.rng
        assert old.twitter
        assert old.twitter_until
        handle = successor_handle(rng, old.twitter, self.namer.take)
        name = old.name
        if rng.random() < 0.3:
            name = f"{old.name} {rng.choice(('2', 'II'))}"
        self.namer.names.add(name)
        description = old.description
        if rng.random() < 0.5:
            description = f"{description} | {_NEW_ACCOUNT[old.lang]}"
        new = self.add(
            Account(
                id="", name=name, community=old.community, home=old.home, lang=old.lang,
                role="member", kind="account", twitter=handle, twitter_rate=old.twitter_rate,
                languages=old.languages, description=description, location=old.location,
                followers=rng.randint(20, 300), statuses=rng.randint(0, 40), links=old.links,
                twitter_from=old.twitter_until.date() + timedelta(days=rng.randint(2, 9)),
                successor_of=old.id,
            )
        )  # fmt: skip
        self._fans(old)
        return new

    def _fans(self, idol: Account) -> None:
        """Its community's members first; others when the community has too few left."""
        free = [
            a
            for a in self.cast.accounts
            if a.role == "member"  # brokers' tweets link communities: not a fan's
            and a.twitter
            and not a.migrates
            and a.twitter_from is None
            and a.twitter_until is None
            and a.fan_of is None
            and a.twitter_rate >= 0.5
        ]
        near = [a for a in free if a.community == idol.community]
        others = [a for a in free if a.community not in (idol.community, _DARK, _MOVERS)]
        fans = self.rng.sample(near, min(_FANS, len(near)))
        fans += self.rng.sample(others, min(_FANS - len(fans), len(others)))
        for fan in fans:
            fan.fan_of = idol.id

    def newcomer(
        self, community: str, first: date, rate: float, lang: str | None = None
    ) -> Account:
        rng = self.rng
        spec = _spec(community)
        home = _weighted(rng, spec.homes)
        lang = lang or _weighted(rng, spec.languages)
        if home == "London":
            lang = "en"
        name = self.namer.name(spec, lang, home)
        account = self.add(
            Account(
                id="", name=name, community=community, home=home, lang=lang, role="member",
                kind="account", twitter=self.namer.new_handle(name), twitter_rate=rate,
                languages=(lang,), followers=rng.randint(20, 600), statuses=rng.randint(0, 200),
                twitter_from=first,
            )
        )  # fmt: skip
        describe(rng, account)
        return account

    def decoy(self, kind: str, near: Account, week: date) -> Account:
        """A new account the same week that is *not* ``near``'s successor."""
        rng = self.rng
        others = sorted({s.key for s in COMMUNITIES} - {near.community, _DARK, _MOVERS})
        community = rng.choice(others)
        first = week + timedelta(days=rng.randrange(7))
        spec = _spec(community)
        # Another language than ``near``'s where the community has one: another profile text.
        langs = tuple((lang, w) for lang, w in spec.languages if lang != near.lang)
        account = self.newcomer(community, first, round(rng.uniform(0.8, 1.6), 2),
                                _weighted(rng, langs or spec.languages))  # fmt: skip
        if kind == "look-alike":
            assert near.twitter
            self.namer.handles.discard((account.twitter or "").casefold())
            account.twitter = _look_alike(rng, near.twitter, self.namer.take)
        account.decoy_for, account.decoy_kind = near.id, kind
        return account


def successor_handle(
    rng: random.Random, handle: str, take: Callable[[str], bool] | None = None
) -> str:
    """A handle its owner might open after ``handle`` was suspended: ``name_27`` -> ``name_28``,
    ``dannyd`` -> ``dannyd2``, or a few characters changed (``AbuSami`` -> ``Abu_Sami``,
    ``dannyd`` -> ``dannydd``).

    ``take`` (a ``Namer.take``) claims the handle and says whether it was free."""
    for _ in range(100):
        digits = re.search(r"\d+$", handle)
        draw = rng.random()
        if digits and draw < 0.6:
            number = int(digits.group()) + rng.randint(1, 3)
            candidate = f"{handle[: digits.start()]}{number}"
        elif draw < 0.6:
            candidate = f"{handle}{rng.choice(('2', '_2', '1', '_'))}"
        elif draw < 0.8 and (cuts := _word_starts(handle)):
            cut = rng.choice(cuts)
            candidate = f"{handle[:cut]}_{handle[cut:]}"
        elif len(handle) < _MAX_HANDLE:
            candidate = f"{handle}{handle[-1]}"  # a doubled last letter
        else:  # no room left: the last character becomes a digit
            candidate = f"{handle[:-1]}{rng.randint(1, 9)}"
        candidate = candidate[:_MAX_HANDLE]
        if candidate.casefold() == handle.casefold():
            continue
        if take is None or take(candidate):
            return candidate
    raise RuntimeError(f"no free successor handle for {handle}")  # pragma: no cover


def _word_starts(handle: str) -> list[int]:
    """Where a word or a number starts inside ``handle`` (``AbuSami79``: 3, 7)."""
    return [
        i
        for i in range(1, len(handle))
        if handle[i - 1] != "_"
        and (handle[i].isupper() or (handle[i].isdigit() and not handle[i - 1].isdigit()))
    ]


def _look_alike(rng: random.Random, handle: str, take: Callable[[str], bool]) -> str:
    stem = _TAIL.sub("", handle) or handle
    while True:
        candidate = f"{stem[: _MAX_HANDLE - 3]}{rng.choice(('', '_'))}{rng.randint(2, 99)}"
        if candidate.casefold() != handle.casefold() and take(candidate):
            return candidate


def plant_turnover(rng: random.Random, cast: Cast) -> None:
    """Plant the suspensions, successors, decoys, newcomers, profile places and voices."""
    turnover = _Turnover(rng, cast)
    for wave in SUSPENSION_WAVES:
        suspended = turnover.suspend(wave.week, wave.accounts)
        for old in suspended[: wave.successors]:
            turnover.successor(old)
        alone = suspended[wave.successors :]
        for kind, near in zip(wave.decoys, alone, strict=False):
            turnover.decoy(kind, near, wave.week)
        for old in alone[len(wave.decoys) :]:
            assert old.twitter_until
            first = old.twitter_until.date() + timedelta(days=rng.randint(1, 10))
            turnover.newcomer(old.community, first, old.twitter_rate)
    for index, week in enumerate(BACKGROUND_SUSPENSIONS):
        [old] = turnover.suspend(week, 1)
        if index == 0:
            turnover.successor(old)
    for location, lang, first in PROFILE_PLACES:
        account = turnover.newcomer("news_relay", first, 2.0, lang)
        account.location, account.profile_place = location, True
    for community in ("raqqa_media", "news_relay", "european_supporters")[:MENTIONED_ONLY]:
        spec = _spec(community)
        home = spec.homes[0][0]
        lang = spec.languages[0][0]
        name = turnover.namer.name(spec, lang, home)
        turnover.add(
            Account(
                id="", name=name, community=community, home=home, lang=lang, role="voice",
                kind="account", twitter=turnover.namer.new_handle(name), languages=(lang,),
            )
        )  # fmt: skip

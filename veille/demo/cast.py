"""The cast: every fictional account of the story, built deterministically from a seeded RNG."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from veille.demo.scenario import CITIES, COMMUNITIES, GROUP_NAME, GROUP_USERNAME, CommunitySpec

__all__ = [
    "ANDROID_CHAT",
    "EUROPEAN_SUFFIX",
    "IOS_CHAT",
    "Account",
    "Cast",
    "Namer",
    "build_cast",
    "describe",
]

ANDROID_CHAT = "Raqqa Office Team"
IOS_CHAT = "Brothers EU"

_KUNYAS: tuple[tuple[str, str], ...] = (
    ("Abu Yusuf", "أبو يوسف"), ("Abu Ayman", "أبو أيمن"), ("Abu Khalid", "أبو خالد"),
    ("Abu Talha", "أبو طلحة"), ("Abu Saad", "أبو سعد"), ("Abu Hafs", "أبو حفص"),
    ("Abu Zaid", "أبو زيد"), ("Abu Ilyas", "أبو إلياس"), ("Abu Qasim", "أبو قاسم"),
    ("Abu Harith", "أبو الحارث"), ("Abu Salim", "أبو سالم"), ("Abu Anas", "أبو أنس"),
    ("Abu Mansur", "أبو منصور"), ("Abu Yahya", "أبو يحيى"), ("Abu Idris", "أبو إدريس"),
    ("Abu Nasir", "أبو ناصر"), ("Abu Rami", "أبو رامي"), ("Abu Tariq", "أبو طارق"),
    ("Abu Walid", "أبو وليد"), ("Abu Sami", "أبو سامي"), ("Abu Karim", "أبو كريم"),
    ("Abu Hamid", "أبو حامد"), ("Abu Bilal", "أبو بلال"), ("Abu Layth", "أبو ليث"),
    ("Abu Dawud", "أبو داود"), ("Abu Shadi", "أبو شادي"), ("Abu Nizar", "أبو نزار"),
    ("Abu Fadi", "أبو فادي"), ("Abu Jalal", "أبو جلال"), ("Abu Marwan", "أبو مروان"),
)  # fmt: skip
_SUFFIX_AR: dict[str, str] = {
    "al-Nahri": "النهري", "al-Jisri": "الجسري", "al-Shamali": "الشمالي", "al-Ninawi": "النينوي",
    "al-Qal'awi": "القلعاوي", "al-Tali": "التالي", "al-Furati": "الفراتي", "al-Sharqi": "الشرقي",
    "al-Raqqawi": "الرقاوي", "al-Wadi": "الوادي", "al-Sahili": "الساحلي", "al-Sadawi": "الصداوي",
    "al-Akhbari": "الأخباري", "al-Nashir": "الناشر", "al-Raqmi": "الرقمي",
}  # fmt: skip
EUROPEAN_SUFFIX = {
    "Paris": "al-Faransi",
    "Brussels": "al-Belgiki",
    "London": "al-Britani",
    "Berlin": "al-Almani",
}
_GIVEN: dict[str, tuple[str, ...]] = {
    "fr": ("Sofiane", "Yanis", "Mehdi", "Karim", "Nabil", "Rachid", "Samir", "Thomas", "Lucas",
           "Julien", "Ilyes", "Anis", "Hakim", "Walid", "Kevin", "Nordine", "Farid", "Jordan"),
    "en": ("Adam", "Bilal", "Jamal", "Ryan", "Luke", "Zak", "Imran", "Tariq", "Danny", "Aaron",
           "Hamza", "Idris", "Callum"),
    "de": ("Dennis", "Murat", "Deniz", "Felix", "Erkan", "Marco", "Timo", "Kerem", "Yunus"),
}  # fmt: skip
_INITIALS = "ABDFHKLMNRST"
# Organisation hubs: (community, display name, twitter handle or None, telegram username,
# which Telegram export shows the channel).
_ORGS: tuple[tuple[str, str, str | None, str, str], ...] = (
    ("mosul_cell", "Hadba Dispatch", "HadbaDispatch", "hadba_dispatch", "json"),
    ("raqqa_media", "Furat Lens", "FuratLens", "furat_lens", "json"),
    ("news_relay", "Sada Relay", "SadaRelay", "sada_relay", "json"),
    ("news_relay", "Wakalat Sada", None, "wakalat_sada", "html"),
)


@dataclass(slots=True)
class Account:
    """One account of the story, with its presence and posting rate on each platform."""

    id: str
    name: str
    community: str
    home: str
    lang: str
    # "hub", "broker", "member", "venue" for the group chat itself, or "voice": an account only
    # ever mentioned, retweeted or replied to, never posting in the collection
    role: str
    kind: str  # "account", "channel" or "group"
    twitter: str | None = None
    twitter_rate: float = 0.0
    telegram_username: str | None = None
    telegram_id: int | None = None  # bare numeric id
    telegram_export: str | None = None  # "json" or "html" for channels
    channel_rate: float = 0.0
    group_rate: float = 0.0  # messages per day in the Telegram group
    in_group_from_start: bool = False
    whatsapp: str | None = None  # the name WhatsApp exports print for this person
    whatsapp_chat: str | None = None
    whatsapp_rate: float = 0.0
    migrates: bool = False
    description: str = ""
    location: str = ""
    followers: int = 0
    statuses: int = 0
    languages: tuple[str, ...] = field(default_factory=tuple)
    # The turnover (veille.demo.turnover): when the account is on Twitter, and who it is to whom.
    twitter_from: date | None = None  # opened after the period started (UTC day)
    twitter_until: datetime | None = None  # suspended: its last tweet, UTC
    successor_of: str | None = None  # the suspended account whose owner opened this one
    decoy_for: str | None = None  # the suspended account this one is *not* the successor of
    decoy_kind: str | None = None  # "unrelated" or "look-alike"
    fan_of: str | None = None  # addresses this account (then its successor) often
    links: tuple[str, ...] = ()  # its own links, in some of its tweets
    profile_place: bool = False  # planted for its profile location (on every post)

    def on_twitter(self, moment: datetime) -> bool:
        """Whether the account can tweet or be addressed at ``moment`` (UTC)."""
        if self.twitter is None:
            return False
        if self.twitter_from is not None and moment.date() < self.twitter_from:
            return False
        return self.twitter_until is None or moment <= self.twitter_until

    @property
    def telegram_from_id(self) -> str | None:
        """The ``from_id`` a Telegram JSON export writes for this account."""
        if self.telegram_id is None:
            return None
        prefix = "user" if self.kind == "account" else "channel"
        return f"{prefix}{self.telegram_id}"


@dataclass(slots=True)
class Cast:
    """All accounts, with the special ones named."""

    accounts: list[Account]
    owner: Account  # whose Telegram account and iPhone the exports come from
    group: Account  # the Telegram group the migrants move to
    contact: Account  # the owner's one personal Telegram chat

    def by_id(self) -> dict[str, Account]:
        """Accounts keyed by id."""
        return {account.id: account for account in self.accounts}

    def community(self, key: str) -> list[Account]:
        """The accounts of one community, in creation order."""
        return [account for account in self.accounts if account.community == key]


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in weighted], [w for _, w in weighted])[0]


def _ascii(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text.replace("al-", ""))


class Namer:
    """Hands out display names, handles and Telegram ids, never twice."""

    def __init__(self, rng: random.Random, accounts: Sequence[Account] = ()) -> None:
        self.rng = rng
        self.names: set[str] = {a.name for a in accounts}
        self.handles: set[str] = {a.twitter.casefold() for a in accounts if a.twitter}
        self.usernames: set[str] = {a.telegram_username for a in accounts if a.telegram_username}
        self.ids: set[int] = {a.telegram_id for a in accounts if a.telegram_id is not None}

    def name(self, spec: CommunitySpec, lang: str, home: str) -> str:
        rng = self.rng
        for _ in range(200):
            if spec.key == "european_supporters" and rng.random() < 0.6:
                given = rng.choice(_GIVEN[lang])
                candidate = f"{given} {rng.choice(_INITIALS)}."
                if rng.random() < 0.3:
                    candidate = f"{given} {CITIES[home].names[lang][0]}"
            else:
                latin, arabic = rng.choice(_KUNYAS)
                suffix = rng.choice(spec.suffixes)
                if home in EUROPEAN_SUFFIX and rng.random() < 0.8:
                    suffix = EUROPEAN_SUFFIX[home]
                if lang == "ar" and rng.random() < 0.35:
                    candidate = f"{arabic} {_SUFFIX_AR.get(suffix, '')}".strip()
                else:
                    candidate = f"{latin} {suffix}"
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate
        raise RuntimeError("name pool exhausted")  # pragma: no cover - pools are large enough

    def handle(self, name: str, latin_hint: str) -> str:
        rng = self.rng
        base = _ascii(name) or _ascii(latin_hint) or "user"
        if rng.random() < 0.4:
            base = base.lower()
        base = base[:11]
        candidate = base if rng.random() < 0.5 else f"{base}{rng.randint(1, 99)}"
        while candidate.casefold() in self.handles or len(candidate) < 4:
            candidate = f"{base}{rng.randint(100, 9999)}"[:15]
        self.handles.add(candidate.casefold())
        return candidate

    def new_handle(self, name: str) -> str:
        """A handle for a new account called ``name`` (a kunya as hint for Arabic names)."""
        hint = self.rng.choice(_KUNYAS)[0]
        return self.handle(name, hint)

    def take(self, handle: str) -> bool:
        """Claim ``handle`` if nobody has it (case aside); whether it was free."""
        if handle.casefold() in self.handles:
            return False
        self.handles.add(handle.casefold())
        return True

    def telegram_id(self, low: int, high: int) -> int:
        while True:
            value = self.rng.randint(low, high)
            if value not in self.ids:
                self.ids.add(value)
                return value


def _bio(rng: random.Random, account: Account) -> str:
    city = CITIES[account.home].names[account.lang][0]
    options = {
        "ar": (f"حساب إخباري | {city}", "الله أكبر ولله الحمد", f"من {city} إلى العالم"),
        "en": (f"News and updates from {city}", "Follow for the latest", "Truth is coming"),
        "fr": (f"Infos et actus | {city}", "Suivez pour les dernières infos", "Patience"),
        "de": (f"Nachrichten aus {city}", "Folgt mir für Updates", "Geduld"),
    }[account.lang]
    return rng.choice(options)


def _location(rng: random.Random, account: Account) -> str:
    draw = rng.random()
    if draw < 0.55:
        return CITIES[account.home].names[account.lang][0]
    if draw < 0.85:
        return ""
    return rng.choice(("Dar al-Hijra", "Earth", "أرض الله", "Ici et ailleurs"))


def describe(rng: random.Random, account: Account) -> None:
    """Give ``account`` its profile text and location, in its language."""
    account.description = _bio(rng, account)
    account.location = _location(rng, account)


def _member_rate(rng: random.Random) -> float:
    return round(min(2.0, max(0.15, rng.lognormvariate(-0.6, 0.6))), 2)


def build_cast(rng: random.Random) -> Cast:
    """Build every account of the story; the same RNG state always gives the same cast."""
    namer = Namer(rng)
    accounts: list[Account] = []

    def add(account: Account) -> Account:
        accounts.append(account)
        return account

    def next_id() -> str:
        return f"acc{len(accounts) + 1:03d}"

    for community, name, handle, username, export in _ORGS:
        spec = next(s for s in COMMUNITIES if s.key == community)
        home = spec.homes[0][0]
        namer.names.add(name)
        namer.usernames.add(username)
        if handle:
            namer.handles.add(handle.casefold())
        add(
            Account(
                id=next_id(),
                name=name,
                community=community,
                home=home,
                lang="ar",
                role="hub",
                kind="channel",
                twitter=handle,
                twitter_rate=4.0 if handle else 0.0,
                telegram_username=username,
                telegram_id=namer.telegram_id(1_000_000_000, 1_199_999_999),
                telegram_export=export,
                channel_rate=12.0,
                languages=("ar", "en", "fr") if community == "news_relay" else ("ar", "en"),
                followers=rng.randint(4000, 9000),
                statuses=rng.randint(2000, 6000),
            )
        )

    for spec in COMMUNITIES:
        person_hubs = 2 if spec.key == "european_supporters" else 1
        brokers = 2 if spec.key == "european_supporters" else 1
        if spec.key == "news_relay":
            person_hubs = 0
        roles = ["hub"] * person_hubs + ["broker"] * brokers + ["member"] * spec.members
        for index, role in enumerate(roles):
            if spec.key == "european_supporters" and index < 3:
                # Fixed homes for the planted people: the Paris hub (who migrates), the
                # London hub (who stays) and the Brussels broker (whose exports these are).
                home = ("Paris", "London", "Brussels")[index]
            else:
                home = _pick(rng, spec.homes)
            lang = _pick(rng, spec.languages)
            if home == "London":
                lang = "en"
            elif home in ("Paris", "Brussels") and lang == "de":
                lang = "fr"
            name = namer.name(spec, lang, home)
            rate = {"hub": 6.0, "broker": 2.0}.get(role, 0.0) or _member_rate(rng)
            account = add(
                Account(
                    id=next_id(),
                    name=name,
                    community=spec.key,
                    home=home,
                    lang=lang,
                    role=role,
                    kind="account",
                    twitter=namer.handle(name, rng.choice(_KUNYAS)[0]),
                    twitter_rate=rate,
                    languages=(lang,),
                )
            )
            account.followers = rng.randint(2000, 8000) if role == "hub" else rng.randint(30, 1500)
            account.statuses = rng.randint(50, 4000)

    for account in accounts:
        describe(rng, account)

    _telegram_presence(rng, accounts, namer)
    group = add(
        Account(
            id=next_id(),
            name=GROUP_NAME,
            community="european_supporters",
            home="Brussels",
            lang="fr",
            role="venue",
            kind="group",
            telegram_username=GROUP_USERNAME,
            telegram_id=namer.telegram_id(1_000_000_000, 1_199_999_999),
            languages=("fr", "en"),
        )
    )
    europeans = [a for a in accounts if a.community == "european_supporters" and a.twitter]
    owner = europeans[2]
    contact = europeans[1]
    _whatsapp_presence(rng, accounts, owner)
    return Cast(accounts=accounts, owner=owner, group=group, contact=contact)


def _telegram_presence(rng: random.Random, accounts: list[Account], namer: Namer) -> None:
    """Give Telegram usernames to contributors, and plant the migrants and early group members."""
    for spec in COMMUNITIES:
        members = [a for a in accounts if a.community == spec.key and a.role == "member"]
        for account in rng.sample(members, spec.telegram_contributors):
            account.telegram_username = _username(account, namer)
            account.telegram_id = namer.telegram_id(100_000_000, 999_999_999)
    europeans = [a for a in accounts if a.community == "european_supporters"]
    paris_hub, london_hub, owner = europeans[0], europeans[1], europeans[2]
    members = [a for a in europeans if a.role == "member"]
    # The most active members move: the drop on Twitter must show against the noise.
    by_activity = sorted(members, key=lambda a: (-a.twitter_rate, a.id))
    migrants = [paris_hub, *by_activity[:14]]
    early = [owner, london_hub, *by_activity[14:19]]
    for account in migrants:
        account.migrates = True
        account.group_rate = max(0.5, account.twitter_rate)
    for account in early:
        account.in_group_from_start = True
        account.group_rate = 0.6
    for account in [*migrants, *early]:
        account.telegram_username = _username(account, namer)
        account.telegram_id = namer.telegram_id(100_000_000, 999_999_999)


def _username(account: Account, namer: Namer) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", (account.twitter or account.name).lower()).strip("_")
    base = (base if len(base) >= 5 else f"{base}_tg")[:28]
    candidate = base
    while candidate in namer.usernames:
        candidate = f"{base}_{namer.rng.randint(1, 99)}"
    namer.usernames.add(candidate)
    return candidate


def _whatsapp_presence(rng: random.Random, accounts: list[Account], owner: Account) -> None:
    """Seat people in the two WhatsApp chats; one broker shows up as a bare phone number."""
    raqqa = [a for a in accounts if a.community == "raqqa_media" and a.kind == "account"]
    android = raqqa[:2] + rng.sample(raqqa[2:], 9)
    for account in android:
        account.whatsapp, account.whatsapp_chat, account.whatsapp_rate = (
            account.name,
            ANDROID_CHAT,
            0.9,
        )
    other_broker = next(
        a
        for a in accounts
        if a.community == "european_supporters" and a.role == "broker" and a.id != owner.id
    )
    # Not in anyone's address book: the export prints the number (Ofcom's drama range).
    other_broker.whatsapp = "+44 7700 900456"
    other_broker.whatsapp_chat = ANDROID_CHAT
    other_broker.whatsapp_rate = 0.5
    europeans = [
        a
        for a in accounts
        if a.community == "european_supporters" and a.role == "member" and a.kind == "account"
    ]
    for account in [owner, *rng.sample(europeans, 8)]:
        account.whatsapp, account.whatsapp_chat, account.whatsapp_rate = (
            account.name,
            IOS_CHAT,
            0.7,
        )

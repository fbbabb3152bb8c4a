"""Column mappings: which column of a scraped table holds the author, the time, the text...

A mapping is ``field -> column``. It comes from ``--map author=username,time=time,text=tweets``,
from a mapping file (TOML: ``[map]`` table, or ``field = "column"`` lines), or is guessed from
common column names; the mapping used is always reported.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from veille.errors import ConfigError, InputError

__all__ = ["FIELDS", "guess_mapping", "parse_mapping", "parse_mappings", "resolve_mapping"]

# The fields a row can fill, and what each means.
FIELDS: dict[str, str] = {
    "id": "the platform's id of the post",
    "author": "author handle (@name, without the @)",
    "author_name": "author display name",
    "author_id": "author's numeric or native id",
    "time": "when it was posted",
    "text": "the post text",
    "title": "a title, for articles",
    "url": "the post's address",
    "reply_to": "handle of the account replied to",
    "reply_to_id": "id of the post replied to",
    "chat": "channel or group the post was made in",
    "location": "the author's profile location, as typed",
    "description": "the author's profile text (bio), as it was then",
    "followers": "the author's follower count then (1200, 1,200, 1200,0 and 1.2K are read)",
    "lang": "language declared by the source",
    "platform": "a column naming the platform, or a platform name for the whole file",
}

# Lower-cased column names seen in public datasets and scraper outputs, most specific first:
# English scrapers, twarc-csv (``author.username``), 4CAT (``body``, ``author_fullname``), and
# the French and Arabic headers of exports made by hand in Excel.
_GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("id_str", "tweet_id", "post_id", "message_id", "status_id", "id", "identifiant"),
    "author": (
        "username", "screen_name", "user_screen_name", "author.username", "handle", "user",
        "author", "auteur", "utilisateur", "compte", "المستخدم", "الحساب", "الكاتب",
    ),
    "author_name": (
        "name", "user_name", "display_name", "author_name", "author.name", "author_fullname",
        "nom", "الاسم",
    ),
    "author_id": ("user_id", "author_id", "author.id", "from_id"),
    "time": (
        "time", "created_at", "date", "timestamp", "datetime", "posted_at", "published",
        "heure", "date de publication", "التاريخ", "الوقت",
    ),
    "text": (
        "text", "full_text", "tweet", "tweets", "content", "message", "body", "texte",
        "contenu", "النص", "المحتوى", "الرسالة",
    ),
    "title": ("title", "headline", "subject", "titre", "العنوان"),
    "url": ("url", "link", "permalink", "lien", "الرابط"),
    "reply_to": ("in_reply_to_screen_name", "in_reply_to_username", "reply_to"),
    "reply_to_id": (
        "in_reply_to_status_id_str", "in_reply_to_status_id",
        "referenced_tweets.replied_to.id", "reply_to_id",
    ),
    "chat": ("channel", "chat", "group", "canal", "groupe", "القناة", "المجموعة"),
    "location": (
        "location", "user_location", "author.location", "localisation", "lieu", "الموقع",
    ),
    "description": (
        "description", "user_description", "author.description", "bio", "user_bio",
        "الوصف", "النبذة",
    ),
    "followers": (
        "followers", "followers_count", "user_followers_count", "user_followers",
        "author.public_metrics.followers_count", "abonnés", "abonnes", "المتابعون",
        "المتابعين",
    ),
    "lang": ("lang", "language", "language_guess", "langue", "اللغة"),
    "platform": ("platform", "network", "site", "plateforme", "المنصة"),
}  # fmt: skip
_TWITTER_COLUMNS = {
    "tweet",
    "tweets",
    "screen_name",
    "retweet_count",
    "in_reply_to_screen_name",
    "full_text",
    "numberstatuses",
    "retweets",
    "author.username",
    "public_metrics.retweet_count",
    "referenced_tweets.retweeted.id",
}


def parse_mapping(spec: str | None) -> dict[str, str]:
    """Parse ``author=username,time=time`` or the path of a mapping file."""
    if not spec:
        return {}
    path = Path(spec)
    if "=" not in spec and path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"mapping file {path}: {error}") from error
        table = data.get("map", data)
        mapping = {str(key): str(value) for key, value in table.items()}
    else:
        mapping = {}
        for pair in spec.split(","):
            field, sep, column = pair.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise ConfigError(f"--map: {pair!r} is not field=column")
            mapping[field.strip()] = column.strip()
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ConfigError(
            f"--map: unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}"
        )
    return mapping


def parse_mappings(specs: list[str]) -> dict[str, str]:
    """Several ``--map`` options as one mapping; a field mapped twice two ways is an error."""
    merged: dict[str, str] = {}
    for spec in specs:
        for field, column in parse_mapping(spec).items():
            if merged.get(field, column) != column:
                raise ConfigError(
                    f"--map: {field} is mapped to both {merged[field]!r} and {column!r}"
                )
            merged[field] = column
    return merged


def guess_mapping(columns: list[str]) -> tuple[dict[str, str], str | None]:
    """Guess a mapping from column names; also the platform when the columns betray it."""
    by_lower = {column.strip().lower(): column for column in columns}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for field, candidates in _GUESSES.items():
        for candidate in candidates:
            column = by_lower.get(candidate)
            if column is not None and column not in taken:
                mapping[field] = column
                taken.add(column)
                break
    platform = "twitter" if _TWITTER_COLUMNS & set(by_lower) else None
    return mapping, platform


def resolve_mapping(
    columns: list[str], given: dict[str, str]
) -> tuple[dict[str, str], str, list[str]]:
    """The mapping to use, the platform, and notes on both.

    A given mapping completes the guess rather than replacing it: ``--map platform=twitter``
    on a table whose author, time and text columns were guessed keeps those three. A field
    given by the user wins, and a guessed field loses its column if the user gave it to another.
    """
    guessed, guessed_platform = guess_mapping(columns)
    mapping = dict(given)
    platform = guessed_platform or "unknown"
    if "platform" in mapping and mapping["platform"] not in columns:
        platform = mapping.pop("platform")  # not a column: a platform name for the whole file
    taken = set(mapping.values())
    completed = {
        field: column
        for field, column in guessed.items()
        if field not in given and column not in taken
    }
    mapping.update(completed)
    missing = sorted(column for column in mapping.values() if column not in columns)
    if missing:
        raise InputError(
            f"tabular: mapped column(s) not in the file: {', '.join(missing)}; "
            f"columns are: {', '.join(columns)}"
        )
    used = ", ".join(
        f"{field}={column}" + (" (guessed)" if given and field in completed else "")
        for field, column in mapping.items()
    )
    origin = "given, completed from column names" if given else "guessed from column names"
    notes = [f"column mapping {origin}: {used}; platform {platform}"]
    if "text" not in mapping:
        notes.append("no text column mapped: posts will have empty text (use --map text=COLUMN)")
    if platform == "unknown":
        notes.append("platform unknown: add --map platform=NAME")
    return mapping, platform, notes

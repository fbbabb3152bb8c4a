"""Find what a Twitter/X archive holds: its tweet files, media folders and owner.

Internal helper of ``veille.ingest.twitter.archive_reader``: not a stable API.

The owner comes from ``data/manifest.js`` (``window.__THAR_CONFIG = {...}``, which also lists the
tweet files and media folders), else ``data/account.js``. Paths the manifest names are input
too: one that leaves the archive folder is ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.errors import InputError
from veille.ingest.common.textfile import detect_encoding, open_text
from veille.ingest.files.boundary import locate, real_path
from veille.ingest.twitter.tweet_values import account, serialise
from veille.model import Actor, Note, Provenance, Record, Reject

__all__ = [
    "NAME",
    "SNIFF_BYTES",
    "TWEET_FILE",
    "TWEET_GLOBALS",
    "YTD",
    "Layout",
    "data_folder",
    "find_layout",
    "read_small_js",
    "starts_like_archive",
    "tweet_files_by_name",
]

NAME = "twitter-archive"
YTD = re.compile(r"\s*window\.YTD\.([A-Za-z0-9_]+)\.part\d+\s*=\s*")
_MANIFEST = re.compile(r"\s*window\.__THAR_CONFIG\s*=\s*")
# community_tweet: what the owner posted in X Communities, tweets like the others.
TWEET_GLOBALS = frozenset({"tweets", "tweet", "deleted_tweets", "community_tweet"})
TWEET_FILE = re.compile(r"(tweets?|deleted-tweets|community-tweet)(?:-part(\d+))?\.js")
_MEDIA_DIRS = ("tweets_media", "tweet_media", "deleted_tweets_media", "community_tweet_media")
_MANIFEST_TYPES = ("tweets", "tweet", "deletedTweets", "communityTweet")
_MANIFEST_MEDIA = ("tweetsMedia", "tweetMedia", "deletedTweetsMedia", "communityTweetMedia")
_NOT_READ = (
    "direct-messages.js",
    "direct-messages-group.js",
    "like.js",
    "follower.js",
    "following.js",
)
_SMALL_FILE = 16 << 20  # manifest.js and account.js are kilobytes; more is not one of them
SNIFF_BYTES = 512


def read_small_js(path: Path, prefix: re.Pattern[str]) -> Any:
    """Parse a small ``window.X = <json>`` file whole; raises ValueError with the reason."""
    if path.stat().st_size > _SMALL_FILE:
        raise ValueError(f"larger than {_SMALL_FILE >> 20} MB")
    with open_text(path) as decoded:
        text = decoded.stream.read(_SMALL_FILE + 1)  # bounded even if the file grew meanwhile
    if len(text) > _SMALL_FILE:
        raise ValueError(f"larger than {_SMALL_FILE >> 20} MB")
    match = prefix.match(text)
    if match is None:
        raise ValueError("it does not start with its window.… assignment")
    try:
        return json.loads(text[match.end() :].rstrip().rstrip(";"))
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _inside(folder: Path, relative: object) -> Path | None:
    """``folder / relative`` if that stays inside ``folder`` (manifest paths are input too)."""
    if not isinstance(relative, str) or not relative or "\x00" in relative:
        return None
    candidate = folder / relative
    try:
        if candidate.resolve().is_relative_to(folder.resolve()):
            return candidate
    except (OSError, RuntimeError, ValueError):
        return None
    return None


_KIND_ORDER = {"deleted-tweets": 1, "community-tweet": 2}  # after tweets.js and its parts


def _part_order(path: Path) -> tuple[int, int, str]:
    match = TWEET_FILE.fullmatch(path.name)
    kind = _KIND_ORDER.get(match.group(1), 0) if match else 0
    part = int(match.group(2)) if match and match.group(2) else 0
    return kind, part, path.name


def tweet_files_by_name(data: Path) -> list[Path]:
    files = [entry for entry in data.iterdir() if TWEET_FILE.fullmatch(entry.name)]
    return sorted((entry for entry in files if entry.is_file()), key=_part_order)


def data_folder(folder: Path) -> Path | None:
    """The archive's ``data/`` under ``folder`` (also one level down, or ``folder`` itself)."""
    candidates = [folder / "data", folder]
    subfolders = [entry for entry in folder.iterdir() if entry.is_dir()]
    if len(subfolders) == 1:
        candidates.append(subfolders[0] / "data")
    for candidate in candidates:
        if candidate.is_dir() and (
            (candidate / "manifest.js").is_file() or tweet_files_by_name(candidate)
        ):
            return candidate
    return None


def starts_like_archive(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    text = sample.decode(detect_encoding(sample), "replace").lstrip("\ufeff \t\r\n")
    match = YTD.match(text)
    return bool((match and match.group(1) in TWEET_GLOBALS) or _MANIFEST.match(text))


@dataclass
class Layout:
    """What an archive holds: tweet files, media, owner, and what to tell the user about it."""

    base: Path  # the folder (or the file's folder) names are given relative to
    several: bool  # a whole folder: Provenance.file is set
    tweet_files: list[Path] = field(default_factory=list)
    media_dirs: list[Path] = field(default_factory=list)
    owner: Actor | None = None
    announced: dict[Path, int] = field(default_factory=dict)  # resolved file -> manifest count
    records: list[Record] = field(default_factory=list)  # Notes and Rejects to yield first

    def name(self, path: Path) -> str:
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return path.name


def find_layout(path: Path) -> Layout:
    """Find the tweet files, media folders and owner of ``path``; raises InputError."""
    if path.is_dir():
        data = data_folder(path)
        if data is None:
            raise InputError(f"{NAME}: {path.name}: no data/manifest.js nor data/tweets.js")
        layout = Layout(base=path, several=True)
    else:
        data = path.parent
        layout = Layout(base=path.parent, several=False, tweet_files=[path])
    manifest = _manifest(data, layout)
    if path.is_dir() and not layout.tweet_files:
        layout.tweet_files = tweet_files_by_name(data)
    if path.is_dir():
        layout.tweet_files = _confined(path, layout)
    for name in _MEDIA_DIRS:
        if (data / name).is_dir() and data / name not in layout.media_dirs:
            layout.media_dirs.append(data / name)
    _find_owner(data, manifest, layout)
    if path.is_dir():
        unread = [name for name in _NOT_READ if (data / name).is_file()]
        if unread:
            names = ", ".join(layout.name(data / name) for name in unread)
            layout.records.append(Note(f"not read (this reader reads tweets only): {names}"))
    return layout


def _confined(folder: Path, layout: Layout) -> list[Path]:
    """The tweet files whose real path is a regular file inside the archive folder; the others
    (a link out of the archive, a FIFO) are quarantined with the reason, never opened."""
    root = real_path(folder)
    kept = []
    for file in layout.tweet_files:
        found = locate(root, file) if root is not None else None
        if found is not None and found.file is not None:
            kept.append(file)
            continue
        name = layout.name(file)
        why = (found and found.refused) or "cannot be read"
        layout.records.append(Reject(name, f"{name}: {why}; file not read", file=name))
    return kept


def _manifest(data: Path, layout: Layout) -> dict[str, Any]:
    """Read data/manifest.js; list its tweet files and media folders into ``layout``."""
    path = data / "manifest.js"
    if not path.is_file():
        return {}
    try:
        manifest = _dict(read_small_js(path, _MANIFEST))
    except (OSError, ValueError) as error:
        layout.records.append(Note(f"{layout.name(path)} unreadable ({error}); ignored"))
        return {}
    types = _dict(manifest.get("dataTypes"))
    listed: dict[Path, int | None] = {}  # file -> tweet count the manifest announces
    for key in (*_MANIFEST_TYPES, *_MANIFEST_MEDIA):
        entry = _dict(types.get(key))
        media = _inside(data, _relative_to_data(entry.get("mediaDirectory")))
        if media is not None and media.is_dir() and media not in layout.media_dirs:
            layout.media_dirs.append(media)
        files = entry.get("files")
        for item in files if isinstance(files, list) else []:
            file = _inside(data, _relative_to_data(_dict(item).get("fileName")))
            count = _dict(item).get("count")
            if file is not None and file not in listed:
                listed[file] = int(count) if isinstance(count, str) and count.isdigit() else None
    for file, count in listed.items():
        if count is not None:
            layout.announced[file.resolve()] = count
    if layout.several:
        for file, count in listed.items():
            if file.is_file():
                layout.tweet_files.append(file)
            elif count != 0:  # an empty part is listed but not written
                layout.records.append(
                    Reject(
                        layout.name(file),
                        f"{layout.name(file)} is listed in {layout.name(path)} but missing from "
                        "the folder; its tweets are not in this case",
                        file=layout.name(file),
                    )
                )
    return manifest


def _relative_to_data(value: object) -> str | None:
    """Manifest paths start with "data/"; the rest is relative to the data folder."""
    if not isinstance(value, str):
        return None
    return value[len("data/") :] if value.startswith("data/") else value


def _find_owner(data: Path, manifest: dict[str, Any], layout: Layout) -> None:
    info = _dict(manifest.get("userInfo"))
    source = data / "manifest.js"
    handle, native_id, name = (
        _str(info.get("userName")),
        _str(info.get("accountId")),
        _str(info.get("displayName")),
    )
    raw, locator = serialise(info) if info else None, "userInfo"
    if handle is None and (data / "account.js").is_file():
        source = data / "account.js"
        try:
            accounts = read_small_js(source, YTD)
        except (OSError, ValueError) as error:
            layout.records.append(Note(f"{layout.name(source)} unreadable ({error}); ignored"))
            accounts = []
        first = accounts[0] if isinstance(accounts, list) and accounts else {}
        details = _dict(_dict(first).get("account"))
        handle = _str(details.get("username"))
        native_id = _str(details.get("accountId"))
        name = _str(details.get("accountDisplayName"))
        raw, locator = serialise(first), f"{layout.name(source)}[0]"
    if handle is None:
        return
    provenance = Provenance(locator, raw, layout.name(source))
    layout.owner = account(handle, provenance, native_id, name)
    layout.records.append(
        Note(
            f"owner @{handle}" + (f" (account {native_id})" if native_id else "") + f" from "
            f"{layout.name(source)}: the archive's tweets are authored by this account"
        )
    )

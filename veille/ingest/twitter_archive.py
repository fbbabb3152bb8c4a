"""Read the tweets of a Twitter/X account archive: the export folder, or one tweets.js file.

An archive is a folder whose ``data/`` holds ``manifest.js`` (``window.__THAR_CONFIG = {...}``:
the owner and the data files), ``account.js``, and the tweets as JavaScript assignments,
``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`` (``tweet.js`` / ``YTD.tweet`` before
October 2022), split into ``-partN`` files past a size, with media in ``data/tweets_media/``
(``tweet_media/`` before). The tweets carry no author: they are the owner's, named by the
manifest or account.js; without either (a lone tweets.js), the owner is the handle a tweet's
own media link names, else unknown.

The tweet arrays reach gigabytes, so they are streamed after the ``=``, one tweet at a time.
A file holding a plain JSON array (the prefix stripped by hand) is accepted as well.
Only tweets (and deleted tweets) are read; likes, direct messages and follows are not.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.textfile import DecodedText, detect_encoding, open_text
from veille.ingest.tweet_fields import (
    account,
    author_from_media_links,
    records_from_v1_tweet,
    serialise,
)
from veille.model import Actor, Media, Note, Provenance, Record, Reject

__all__ = ["TwitterArchiveReader"]

NAME = "twitter-archive"
_YTD = re.compile(r"\s*window\.YTD\.([A-Za-z0-9_]+)\.part\d+\s*=\s*")
_MANIFEST = re.compile(r"\s*window\.__THAR_CONFIG\s*=\s*")
_TWEET_GLOBALS = frozenset({"tweets", "tweet", "deleted_tweets"})
_TWEET_FILE = re.compile(r"(tweets?|deleted-tweets)(?:-part(\d+))?\.js")
_MEDIA_DIRS = ("tweets_media", "tweet_media", "deleted_tweets_media")
_MANIFEST_TYPES = ("tweets", "tweet", "deletedTweets")
_MANIFEST_MEDIA = ("tweetsMedia", "tweetMedia", "deletedTweetsMedia")
_NOT_READ = (
    "direct-messages.js",
    "direct-messages-group.js",
    "like.js",
    "follower.js",
    "following.js",
)
_SMALL_FILE = 16 << 20  # manifest.js and account.js are kilobytes; more is not one of them
_OWNER_SCAN = 20_000  # tweets searched for a media link naming the owner
_SNIFF_BYTES = 512
_CHUNK = 1 << 20
_MAX_ITEM = 16 << 20  # no tweet object comes near: a fragment this long without an end is broken
_DECODER = json.JSONDecoder()
_SEPARATORS = re.compile(r"[\s,]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotTweets(Exception):
    """A file that is not a tweet array; the message says why."""


@dataclass
class _ArrayText:
    """A tweet file opened and read up to just after its ``[``."""

    decoded: DecodedText
    rest: str  # text already read past the "["


def _open_array(path: Path) -> _ArrayText:
    """Open a tweet file positioned after its ``[``; raises _NotTweets."""
    decoded = open_text(path)
    try:
        head = decoded.stream.read(_SNIFF_BYTES)
        while head.isspace() and len(head) < (1 << 16):
            more = decoded.stream.read(_SNIFF_BYTES)
            if not more:
                break
            head += more
        if not head.strip():
            raise _NotTweets("the file is empty")
        match = _YTD.match(head)
        rest = head
        if match is not None:
            if match.group(1) not in _TWEET_GLOBALS:
                raise _NotTweets(f"it holds window.YTD.{match.group(1)}, not tweets")
            rest = head[match.end() :]
            while not rest.strip():
                more = decoded.stream.read(_SNIFF_BYTES)
                if not more:
                    break
                rest += more
        rest = rest.lstrip()
        if not rest.startswith("["):
            raise _NotTweets("it does not start with 'window.YTD.tweets.part0 = [' nor '['")
    except BaseException:
        decoded.close()
        raise
    return _ArrayText(decoded, rest[1:])


@dataclass(frozen=True, slots=True)
class _Broken:
    """Where the JSON of a tweet file broke, in place of the next item."""

    message: str
    trailing: bool  # the array was whole; something follows it


def _items(source: _ArrayText) -> Iterator[tuple[int, object]]:
    """(index, item) of the tweet array, streamed; a _Broken item last if the JSON breaks.

    Each item is cut out of a sliding text buffer by the C JSON scanner (``raw_decode``): a
    tweet is a small fragment, and this is twice as fast as ijson's event parser, so the file
    is still streamed, chunk by chunk, with memory bound by the chunk and the largest tweet.
    """
    read = source.decoded.stream.read
    buffer, pos, index, at_end = source.rest, 0, 0, False
    while True:
        pos = _SEPARATORS.match(buffer, pos).end()  # type: ignore[union-attr]
        if pos < len(buffer) and buffer[pos] == "]":
            trailing = _trailing_text(buffer[pos + 1 :], read)
            if trailing:
                yield index, _Broken(f"text after the closing ]: {trailing[:40]!r}", True)
            return
        complete = True
        try:
            if pos >= len(buffer):
                raise ValueError("the file ends before the closing ]")
            item, end = _DECODER.raw_decode(buffer, pos)
            complete = end < len(buffer)  # a number at the buffer's end may go on in the next
        except RecursionError:
            yield index, _Broken("a tweet is nested too deeply to read", False)
            return
        except ValueError as error:
            # Incomplete or broken? Read on while the fragment could still be a tweet cut by
            # the chunk; past that, or at the end of the file, it is broken.
            if at_end or len(buffer) - pos > _MAX_ITEM:
                message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
                yield index, _Broken(message, False)
                return
            complete = False
        if not complete and not at_end:
            chunk = read(_CHUNK)
            at_end = not chunk
            buffer, pos = buffer[pos:] + chunk, 0
            continue
        if buffer.find("\\u", pos, end) >= 0:
            item = _without_lone_surrogates(item)
        yield index, item
        index += 1
        pos = end


def _trailing_text(text: str, read: Callable[[int], str]) -> str:
    """What follows the array's ``]`` apart from blanks and ``;`` (read only as far as needed)."""
    while True:
        stripped = text.strip().lstrip(";").strip()
        if stripped:
            return stripped
        text = read(_CHUNK)
        if not text:
            return ""


def _without_lone_surrogates(item: Any) -> Any:
    """``item`` with escaped lone surrogates ("\\ud800") made U+FFFD: they cannot be stored."""
    text = serialise(item)
    if _SURROGATE.search(text) is None:
        return item
    return json.loads(_SURROGATE.sub("\ufffd", text))


def _read_small_js(path: Path, prefix: re.Pattern[str]) -> Any:
    """Parse a small ``window.X = <json>`` file whole; raises ValueError with the reason."""
    if path.stat().st_size > _SMALL_FILE:
        raise ValueError(f"larger than {_SMALL_FILE >> 20} MB")
    with open_text(path) as decoded:
        text = decoded.stream.read()
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


def _part_order(path: Path) -> tuple[int, int, str]:
    match = _TWEET_FILE.fullmatch(path.name)
    deleted = 1 if match and match.group(1) == "deleted-tweets" else 0
    part = int(match.group(2)) if match and match.group(2) else 0
    return deleted, part, path.name


def _tweet_files_by_name(data: Path) -> list[Path]:
    files = [entry for entry in data.iterdir() if _TWEET_FILE.fullmatch(entry.name)]
    return sorted((entry for entry in files if entry.is_file()), key=_part_order)


def _data_folder(folder: Path) -> Path | None:
    """The archive's ``data/`` under ``folder`` (also one level down, or ``folder`` itself)."""
    candidates = [folder / "data", folder]
    subfolders = [entry for entry in folder.iterdir() if entry.is_dir()]
    if len(subfolders) == 1:
        candidates.append(subfolders[0] / "data")
    for candidate in candidates:
        if candidate.is_dir() and (
            (candidate / "manifest.js").is_file() or _tweet_files_by_name(candidate)
        ):
            return candidate
    return None


def _starts_like_archive(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(_SNIFF_BYTES)
    text = sample.decode(detect_encoding(sample), "replace").lstrip("\ufeff \t\r\n")
    match = _YTD.match(text)
    return bool((match and match.group(1) in _TWEET_GLOBALS) or _MANIFEST.match(text))


@dataclass
class _Layout:
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


def _layout(path: Path) -> _Layout:
    """Find the tweet files, media folders and owner of ``path``; raises InputError."""
    if path.is_dir():
        data = _data_folder(path)
        if data is None:
            raise InputError(f"{NAME}: {path.name}: no data/manifest.js nor data/tweets.js")
        layout = _Layout(base=path, several=True)
    else:
        data = path.parent
        layout = _Layout(base=path.parent, several=False, tweet_files=[path])
    manifest = _manifest(data, layout)
    if path.is_dir() and not layout.tweet_files:
        layout.tweet_files = _tweet_files_by_name(data)
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


def _manifest(data: Path, layout: _Layout) -> dict[str, Any]:
    """Read data/manifest.js; list its tweet files and media folders into ``layout``."""
    path = data / "manifest.js"
    if not path.is_file():
        return {}
    try:
        manifest = _dict(_read_small_js(path, _MANIFEST))
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


def _find_owner(data: Path, manifest: dict[str, Any], layout: _Layout) -> None:
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
            accounts = _read_small_js(source, _YTD)
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


def _infer_owner(files: list[Path]) -> tuple[str, str] | None:
    """(handle, tweet id) from the first tweet whose own media link names its author."""
    scanned = 0
    for file in files:
        try:
            source = _open_array(file)
        except (_NotTweets, OSError):
            continue
        with source.decoded:
            for _, item in _items(source):
                scanned += 1
                tweet = _tweet_of(item)
                if tweet is not None:
                    handle = author_from_media_links(tweet)
                    if handle is not None:
                        return handle, str(tweet.get("id_str"))
                if scanned >= _OWNER_SCAN:
                    return None
    return None


def _tweet_of(item: object) -> dict[str, Any] | None:
    """The tweet object of an array item: ``{"tweet": {...}}``, or a bare tweet."""
    if not isinstance(item, dict):
        return None
    inner = item.get("tweet")
    if isinstance(inner, dict):
        return inner
    if "id_str" in item or "full_text" in item:
        return item
    return None


def _count_suffix(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


class TwitterArchiveReader:
    """Twitter/X account archives: a whole ``data/`` folder, or one tweets.js file."""

    name: ClassVar[str] = NAME
    version: ClassVar[int] = 1

    def sniff(self, path: Path) -> int:
        """95 for an archive folder, 90 for a tweets.js file, 40 for a bare array so named."""
        if path.is_dir():
            data = _data_folder(path)
            if data is None:
                return 0
            probes = [data / "manifest.js", *_tweet_files_by_name(data)[:1]]
            if any(probe.is_file() and _starts_like_archive(probe) for probe in probes):
                return 95
            return 40
        if not path.is_file() or path.suffix.lower() not in (".js", ".json"):
            return 0
        with path.open("rb") as handle:
            sample = handle.read(_SNIFF_BYTES)
        text = sample.decode(detect_encoding(sample), "replace").lstrip("\ufeff \t\r\n")
        match = _YTD.match(text)
        if match is not None:
            return 90 if match.group(1) in _TWEET_GLOBALS else 0
        if _TWEET_FILE.fullmatch(path.name) and text.startswith("["):
            return 40
        return 0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the owner, then each tweet's actors, post, interactions and media."""
        layout = _layout(path)
        good: list[Path] = []
        for file in layout.tweet_files:
            try:
                _open_array(file).decoded.close()
            except (_NotTweets, OSError) as error:
                if not layout.several:
                    raise InputError(f"{NAME}: {file.name}: {error}") from None
                layout.records.append(
                    Reject(layout.name(file), f"{layout.name(file)}: {error}; file not read")
                )
            else:
                good.append(file)
        if not good:
            raise InputError(f"{NAME}: {path.name}: no readable tweet file (tweets.js)")
        if layout.owner is None:
            inferred = _infer_owner(good)
            if inferred is not None:
                layout.owner = account(inferred[0], Provenance(f"tweet {inferred[1]}"))
                layout.records.append(
                    Note(
                        f"owner @{inferred[0]} inferred from the media link of tweet "
                        f"{inferred[1]} (no manifest.js or account.js): every tweet is theirs"
                    )
                )
            else:
                layout.records.append(
                    Note(
                        "owner unknown: no manifest.js or account.js, and no tweet links its "
                        "own media; posts have no author and their edges are kept in "
                        "extra['edges_without_author']"
                    )
                )
        first = _open_array(good[0])
        items = _items(first)
        peeked = next(items)
        if isinstance(peeked[1], _Broken) and not peeked[1].trailing and len(good) == 1:
            first.decoded.close()
            raise InputError(
                f"{NAME}: {layout.name(good[0])}: no tweet could be read ({peeked[1].message})"
            )
        yield from self._records(layout, good, first, peeked, items, options)

    def _records(
        self,
        layout: _Layout,
        files: list[Path],
        first: _ArrayText,
        peeked: tuple[int, object],
        items: Iterator[tuple[int, object]],
        options: ReadOptions,
    ) -> Iterator[Record]:
        names = ", ".join(layout.name(file) for file in files)
        yield Note(f"tweets read from {names}")
        yield from layout.records
        seen: set[str] = set()
        if layout.owner is not None:
            seen.add(layout.owner.id)
            yield layout.owner
        media = _media_index(layout.media_dirs)
        counts = {"media": 0, "missing": 0, "items": 0}
        for number, file in enumerate(files):
            source = first if number == 0 else None
            try:
                source = source or _open_array(file)
            except (_NotTweets, OSError) as error:  # changed since it was checked
                yield Reject(layout.name(file), f"{layout.name(file)}: {error}; file not read")
                continue
            with source.decoded:
                stream = _chain(peeked, items) if number == 0 else _items(source)
                counts["items"] = 0
                yield from self._file_records(layout, file, stream, seen, media, counts, options)
                announced = layout.announced.get(file.resolve())
                if announced is not None and announced != counts["items"]:
                    yield Note(
                        f"{layout.name(file)}: the manifest announces "
                        f"{_count_suffix(announced, 'tweet')}, the file holds {counts['items']:,}"
                    )
                if source.decoded.replaced_bytes:
                    yield Note(
                        f"{layout.name(file)}: {source.decoded.replaced_bytes:,} bytes did not "
                        f"decode as {source.decoded.encoding} and were replaced by U+FFFD"
                    )
        if counts["missing"]:
            folders = ", ".join(layout.name(folder) for folder in layout.media_dirs) or "none"
            yield Note(
                f"{_count_suffix(counts['missing'], 'media file')} of {counts['media']:,} not "
                f"found (media folders: {folders}); recorded as missing"
            )

    def _file_records(
        self,
        layout: _Layout,
        file: Path,
        stream: Iterator[tuple[int, object]],
        seen: set[str],
        media: dict[str, Path],
        counts: dict[str, int],
        options: ReadOptions,
    ) -> Iterator[Record]:
        name = layout.name(file)
        relative = name if layout.several else None
        for index, item in stream:
            locator = f"{name}[{index}]"
            if isinstance(item, _Broken):
                if item.trailing:
                    reason = f"{name}: text after the end of the tweet array was not read"
                    yield Reject(f"{name} after the array", reason, file=relative)
                else:
                    reason = (
                        f"{name}: the JSON breaks in tweet {index} ({item.message}); the "
                        f"{_count_suffix(index, 'tweet')} before it were kept, the rest of the "
                        "file was not read"
                    )
                    yield Reject(f"{name}[{index}:]", reason, file=relative)
                return
            counts["items"] += 1
            try:
                raw = serialise(item)
            except (RecursionError, ValueError):
                yield Reject(locator, f"{locator}: item nested too deeply; skipped", file=relative)
                continue
            tweet = _tweet_of(item)
            if tweet is None:
                reason = f'{locator}: not a tweet (no "tweet" object); skipped'
                yield Reject(locator, reason, raw, relative)
                continue
            provenance = Provenance(locator, raw, relative)
            try:
                records = records_from_v1_tweet(
                    tweet,
                    provenance,
                    layout.owner,
                    seen_actors=seen,
                    media_files=media,
                    zone=options.zone,
                )
            except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
                # The mapping guards every field it reads; this is the net for a shape nobody
                # foresaw, so one odd tweet is quarantined instead of ending the read.
                reason = f"{locator}: tweet could not be mapped ({error!r}); skipped"
                yield Reject(locator, reason, raw, relative)
                continue
            for record in records:
                if isinstance(record, Media):
                    counts["media"] += 1
                    counts["missing"] += record.file is None
            yield from records


def _chain(
    first: tuple[int, object], rest: Iterator[tuple[int, object]]
) -> Iterator[tuple[int, object]]:
    yield first
    yield from rest


def _media_index(folders: list[Path]) -> dict[str, Path]:
    """File name -> path of every media file the archive holds (listed once, not per tweet)."""
    index: dict[str, Path] = {}
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_file() and entry.name not in index:
                index[entry.name] = Path(entry.path).absolute()
    return index

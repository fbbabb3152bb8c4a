"""Read the tweets of a Twitter/X account archive: the export folder, or one tweets.js file.

An archive is a folder whose ``data/`` holds ``manifest.js`` (``window.__THAR_CONFIG = {...}``:
the owner and the data files), ``account.js``, and the tweets as JavaScript assignments,
``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`` (``tweet.js`` / ``YTD.tweet`` before
October 2022), split into ``-partN`` files past a size, with media in ``data/tweets_media/``
(``tweet_media/`` before). The tweets carry no author: they are the owner's, named by the
manifest or account.js; without either (a lone tweets.js), the owner is the handle a tweet's
own media link names, else unknown.

The tweet arrays reach gigabytes, so they are streamed after the ``=``, one tweet at a time
(``veille.ingest.common.json_stream``).
A file holding a plain JSON array (the prefix stripped by hand) is accepted as well.
Only tweets are read (tweets.js, deleted-tweets.js, and community-tweet.js: what the owner posted
in X Communities); likes, direct messages and follows are not.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.json_events import Item, JsonStreamError, TooLong
from veille.ingest.common.json_stream import stream_json
from veille.ingest.common.textfile import DecodedText, detect_encoding, open_text
from veille.ingest.files.boundary import describe_refused, locate, real_path
from veille.ingest.twitter.archive_layout import (
    NAME,
    SNIFF_BYTES,
    TWEET_FILE,
    TWEET_GLOBALS,
    YTD,
    Layout,
    data_folder,
    find_layout,
    starts_like_archive,
    tweet_files_by_name,
)
from veille.ingest.twitter.tweet_fields import records_from_v1_tweet
from veille.ingest.twitter.tweet_values import account, author_from_media_links, serialise
from veille.model import Media, Note, Post, Provenance, Record, Reject

__all__ = ["TwitterArchiveReader"]

_OWNER_SCAN = 20_000  # tweets searched for a media link naming the owner
# Characters: no tweet comes near; a fragment this long without an end is broken.
_MAX_ITEM = 16 << 20


class _NotTweets(Exception):
    """A file that is not a tweet array; the message says why."""


@dataclass
class _ArrayText:
    """A tweet file opened and read up to its ``[``."""

    decoded: DecodedText
    rest: str  # text already read, from the "[" on


def _open_array(path: Path) -> _ArrayText:
    """Open a tweet file positioned at its ``[``; raises _NotTweets."""
    decoded = open_text(path)
    try:
        head = decoded.stream.read(SNIFF_BYTES)
        while head.isspace() and len(head) < (1 << 16):
            more = decoded.stream.read(SNIFF_BYTES)
            if not more:
                break
            head += more
        if not head.strip():
            raise _NotTweets("the file is empty")
        match = YTD.match(head)
        rest = head
        if match is not None:
            if match.group(1) not in TWEET_GLOBALS:
                raise _NotTweets(f"it holds window.YTD.{match.group(1)}, not tweets")
            rest = head[match.end() :].lstrip()
            while not rest:  # blanks are dropped as read: a file of blanks costs no memory
                more = decoded.stream.read(SNIFF_BYTES)
                if not more:
                    break
                rest = more.lstrip()
        rest = rest.lstrip()
        if not rest.startswith("["):
            raise _NotTweets("it does not start with 'window.YTD.tweets.part0 = [' nor '['")
    except BaseException:
        decoded.close()
        raise
    return _ArrayText(decoded, rest)


@dataclass(frozen=True, slots=True)
class _Broken:
    """Where the JSON of a tweet file broke, in place of the next item."""

    message: str
    trailing: bool  # the array was whole; something follows it


def _items(source: _ArrayText) -> Iterator[tuple[int, object]]:
    """(index, item) of the tweet array, streamed; a _Broken item last if the JSON breaks."""
    events = stream_json(
        source.decoded.stream, ["[*]"], head=source.rest, trailing=";", max_value=_MAX_ITEM
    )
    index = 0
    try:
        for event in events:
            if type(event) is Item and event.index is not None:
                index = event.index
                yield index, event.value
                index += 1
    except JsonStreamError as error:
        if error.kind == "trailing":
            yield index, _Broken(error.reason, True)
        else:
            broken_at = error.path[0] if error.path else index
            yield int(broken_at), _Broken(error.reason, False)


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
            data = data_folder(path)
            if data is None:
                return 0
            probes = [data / "manifest.js", *tweet_files_by_name(data)[:1]]
            if any(probe.is_file() and starts_like_archive(probe) for probe in probes):
                return 95
            return 40
        if not path.is_file() or path.suffix.lower() not in (".js", ".json"):
            return 0
        with path.open("rb") as handle:
            sample = handle.read(SNIFF_BYTES)
        text = sample.decode(detect_encoding(sample), "replace").lstrip("\ufeff \t\r\n")
        match = YTD.match(text)
        if match is not None:
            return 90 if match.group(1) in TWEET_GLOBALS else 0
        if TWEET_FILE.fullmatch(path.name) and text.startswith("["):
            return 40
        return 0

    def parts(self, path: Path) -> list[Path]:
        """The files of the archive folder ``path`` this reader reads (tweets, manifest, owner);
        its media are attachments, its other data files are not read."""
        layout = find_layout(path)
        data = data_folder(path) if path.is_dir() else None
        found = [data / name for name in ("manifest.js", "account.js")] if data else []
        return [*layout.tweet_files, *(file for file in found if file.is_file())]

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the owner, then each tweet's actors, post, interactions and media."""
        layout = find_layout(path)
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
        try:
            items = _items(first)
            # None: an empty array ("window.YTD.tweets.part0 = []"), a file with no tweets.
            peeked = next(items, None)
            if (
                peeked is not None
                and isinstance(peeked[1], _Broken)
                and not peeked[1].trailing
                and len(good) == 1
            ):
                raise InputError(
                    f"{NAME}: {layout.name(good[0])}: no tweet could be read ({peeked[1].message})"
                )
            yield from self._records(layout, good, first, peeked, items, options)
        finally:
            # _records closes it too; this covers a failure before, or a caller that stops early.
            first.decoded.close()

    def _records(
        self,
        layout: Layout,
        files: list[Path],
        first: _ArrayText,
        peeked: tuple[int, object] | None,
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
        media, refused = _media_index(layout.media_dirs, layout.base)
        if refused:
            yield Note(
                f"{_count_suffix(len(refused), 'media file')} refused (their tweets record them "
                f"as missing): {describe_refused(refused)}"
            )
        counts = {"media": 0, "missing": 0, "items": 0, "broken": 0}
        for number, file in enumerate(files):
            source = first if number == 0 else None
            try:
                source = source or _open_array(file)
            except (_NotTweets, OSError) as error:  # changed since it was checked
                yield Reject(layout.name(file), f"{layout.name(file)}: {error}; file not read")
                continue
            with source.decoded:
                stream = _chain(peeked, items) if number == 0 else _items(source)
                counts["items"] = counts["broken"] = 0
                yield from self._file_records(layout, file, stream, seen, media, counts, options)
                if counts["items"] and TWEET_FILE.fullmatch(file.name) and "community" in file.name:
                    yield Note(
                        f"{layout.name(file)}: {_count_suffix(counts['items'], 'tweet')} the "
                        "owner posted in X Communities, read like the others (extra "
                        "'community_id' names the community)"
                    )
                if not counts["items"] and not counts["broken"]:
                    yield Note(f"{layout.name(file)}: the tweet array is empty")
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
        layout: Layout,
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
                counts["broken"] += 1
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
            if isinstance(item, TooLong):  # walked past unread: only its start is kept
                reason = f"{locator}: {item} characters (a tweet is far shorter); skipped"
                yield Reject(locator, reason, item.head, relative)
                continue
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
            community = tweet.get("community_id")
            for record in records:
                if isinstance(record, Media):
                    counts["media"] += 1
                    counts["missing"] += record.file is None
                elif isinstance(record, Post) and isinstance(community, str) and community:
                    # Posted in an X Community: say which, beside the file it came from.
                    record = replace(record, extra={**record.extra, "community_id": community})
                yield record


def _chain(
    first: tuple[int, object] | None, rest: Iterator[tuple[int, object]]
) -> Iterator[tuple[int, object]]:
    if first is not None:
        yield first
    yield from rest


def _media_index(folders: list[Path], base: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """File name -> real path of every media file the archive holds (listed once, not per
    tweet), and file name -> why it was refused: a link out of the archive, or not a file."""
    index: dict[str, Path] = {}
    refused: dict[str, str] = {}
    root = real_path(base)
    if root is None:
        return index, refused
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name in index or entry.is_dir():
                continue
            found = locate(root, Path(entry.path))
            if found.file is not None:
                index[entry.name] = found.file
                refused.pop(entry.name, None)
            elif found.refused is not None:
                refused[entry.name] = found.refused
    return index, refused

"""Nothing outside what the user named is read or copied, and only regular files are opened:
symbolic links out of an export, FIFOs named like exports, X Community tweets."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from veille.ingest.base import ReadOptions
from veille.ingest.files.boundary import locate, not_regular, open_regular, real_path
from veille.ingest.twitter.archive_reader import TwitterArchiveReader
from veille.ingest.whatsapp.chat_files import Attachments, chat_file, starts_with_header
from veille.ingest.whatsapp.reader import WhatsAppReader
from veille.model import Media, Note, Post, Record, Reject
from veille.store.media_files import MediaFolder

needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs")
pytestmark = needs_posix

SECRET = b"-----BEGIN OPENSSH PRIVATE KEY----- not evidence"


def notes(records: list[Record]) -> str:
    return "\n".join(record.text for record in records if isinstance(record, Note))


def media_of(records: list[Record]) -> dict[str, Media]:
    return {record.name: record for record in records if isinstance(record, Media)}


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every export: what a hostile link points at."""
    outside = tmp_path / "home" / "id_rsa"
    outside.parent.mkdir()
    outside.write_bytes(SECRET)
    return outside


# --- the helpers ------------------------------------------------------------------------------


def test_locate_follows_links_inside_and_refuses_links_out(tmp_path: Path, secret: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    (export / "a.jpg").write_bytes(b"jpeg")
    (export / "inside.jpg").symlink_to(export / "a.jpg")
    (export / "out.jpg").symlink_to(secret)
    (export / "loop.jpg").symlink_to(export / "loop.jpg")
    root = real_path(export)
    assert root is not None
    assert locate(root, export / "inside.jpg").file == (export / "a.jpg").resolve()
    refused = locate(root, export / "out.jpg")
    assert refused.file is None
    assert refused.refused is not None
    assert "outside the export" in refused.refused
    assert locate(root, export / "loop.jpg").file is None  # a loop is simply not a file
    assert locate(root, export / "absent.jpg").file is None


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "WhatsApp Chat with Ann.txt"
    os.mkfifo(fifo)
    reason = not_regular(fifo)
    assert reason is not None
    assert "FIFO" in reason
    with pytest.raises(OSError, match="FIFO"):
        open_regular(fifo)  # returns at once instead of waiting for a writer
    assert not starts_with_header(fifo)
    assert WhatsAppReader().sniff(fifo) == 0
    assert TwitterArchiveReader().sniff(tmp_path) == 0
    root = real_path(tmp_path)
    assert root is not None
    assert locate(root, fifo).refused is not None


# --- WhatsApp ---------------------------------------------------------------------------------


def whatsapp_export(folder: Path, attachments: list[str]) -> Path:
    folder.mkdir(parents=True)
    lines = [
        f"15/08/23, 09:1{n} - Ann: {name} (file attached)" for n, name in enumerate(attachments)
    ]
    (folder / "WhatsApp Chat with Ann.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_whatsapp_attachment_linking_out_of_the_export_is_refused(
    tmp_path: Path, secret: Path
) -> None:
    folder = whatsapp_export(tmp_path / "chat", ["IMG-1.jpg", "IMG-2.jpg", "IMG-3.jpg"])
    (folder / "IMG-1.jpg").write_bytes(b"jpeg")
    (folder / "IMG-2.jpg").symlink_to(secret)
    (folder / "IMG-3.jpg").symlink_to(folder / "IMG-1.jpg")  # a link inside: followed
    records = list(WhatsAppReader().read(folder, ReadOptions()))
    media = media_of(records)
    assert media["IMG-1.jpg"].file == (folder / "IMG-1.jpg").resolve()
    assert media["IMG-2.jpg"].file is None  # recorded as missing, never copied
    assert media["IMG-3.jpg"].file == (folder / "IMG-1.jpg").resolve()


def test_attachments_say_why_a_file_was_refused(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "chat"
    folder.mkdir()
    (folder / "IMG-2.jpg").symlink_to(secret)
    os.mkfifo(folder / "PTT-1.opus")
    attachments = Attachments(folder)
    assert attachments.path("IMG-2.jpg") is None
    assert attachments.path("PTT-1.opus") is None
    assert attachments.path("../home/id_rsa") is None
    assert set(attachments.refused) == {"IMG-2.jpg", "PTT-1.opus"}
    (note,) = attachments.notes()
    assert note.startswith("2 attachments refused and recorded as missing: 'IMG-2.jpg' (a ")
    assert "outside the export" in note
    assert "FIFO" in note


def test_chat_file_linking_out_of_the_folder_is_not_the_chat(tmp_path: Path) -> None:
    elsewhere = whatsapp_export(tmp_path / "elsewhere", ["IMG-1.jpg"])
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "_chat.txt").symlink_to(elsewhere / "WhatsApp Chat with Ann.txt")
    assert chat_file(folder) is None
    assert WhatsAppReader().sniff(folder) == 0


# --- Twitter archive --------------------------------------------------------------------------


def tweet(id_str: str, **fields: object) -> dict[str, object]:
    return {
        "id_str": id_str,
        "created_at": "Sun Oct 07 07:39:51 +0000 2012",
        "full_text": f"tweet {id_str}",
        "entities": {"user_mentions": [], "hashtags": [], "urls": []},
        **fields,
    }


def tweets_js(tweets: list[dict[str, object]], name: str = "tweets") -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps([{"tweet": item} for item in tweets])


def photo(tweet_id: str, key: str) -> dict[str, object]:
    media = {
        "type": "photo",
        "media_url_https": f"https://pbs.twimg.com/media/{key}.jpg",
        "expanded_url": f"https://twitter.com/owner/status/{tweet_id}/photo/1",
    }
    return {"extended_entities": {"media": [media]}}


def account_js(data: Path) -> None:
    details = {"username": "owner", "accountId": "42", "accountDisplayName": "The Owner"}
    text = "window.YTD.account.part0 = " + json.dumps([{"account": details}])
    (data / "account.js").write_text(text, encoding="utf-8")


def test_twitter_media_linking_out_of_the_archive_is_refused(tmp_path: Path, secret: Path) -> None:
    data = tmp_path / "archive" / "data"
    (data / "tweets_media").mkdir(parents=True)
    account_js(data)
    tweets = [tweet("1", **photo("1", "Good")), tweet("2", **photo("2", "Evil"))]
    (data / "tweets.js").write_text(tweets_js(tweets), encoding="utf-8")
    (data / "tweets_media" / "1-Good.jpg").write_bytes(b"jpeg")
    (data / "tweets_media" / "2-Evil.jpg").symlink_to(secret)
    records = list(TwitterArchiveReader().read(tmp_path / "archive", ReadOptions()))
    media = {record.post_id: record for record in records if isinstance(record, Media)}
    posts = {record.native_id: record.id for record in records if isinstance(record, Post)}
    assert media[posts["1"]].file == (data / "tweets_media" / "1-Good.jpg").resolve()
    assert media[posts["2"]].file is None
    assert "1 media file refused (their tweets record them as missing): '2-Evil.jpg'" in notes(
        records
    )


def test_twitter_media_folder_linking_out_of_the_archive_is_refused(
    tmp_path: Path, secret: Path
) -> None:
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    (secret.parent / "1-Evil.jpg").write_bytes(SECRET)
    (data / "tweets_media").symlink_to(secret.parent)
    (data / "tweets.js").write_text(tweets_js([tweet("1", **photo("1", "Evil"))]), "utf-8")
    records = list(TwitterArchiveReader().read(tmp_path / "archive", ReadOptions()))
    (media,) = media_of(records).values()
    assert media.file is None


def test_twitter_tweet_file_linking_out_of_the_archive_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "tweets.js").write_text(tweets_js([tweet("9")]), encoding="utf-8")
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    account_js(data)
    (data / "tweets.js").write_text(tweets_js([tweet("1")]), encoding="utf-8")
    (data / "tweets-part1.js").symlink_to(elsewhere / "tweets.js")
    records = list(TwitterArchiveReader().read(tmp_path / "archive", ReadOptions()))
    assert [r.native_id for r in records if isinstance(r, Post)] == ["1"]
    (reject,) = [r for r in records if isinstance(r, Reject)]
    assert reject.locator == "data/tweets-part1.js"
    assert "outside the export; not followed; file not read" in reject.reason


def test_community_tweets_are_read_with_where_they_came_from(tmp_path: Path) -> None:
    data = tmp_path / "archive" / "data"
    (data / "community_tweet_media").mkdir(parents=True)
    account_js(data)
    (data / "tweets.js").write_text(tweets_js([tweet("1")]), encoding="utf-8")
    community = [tweet("2", community_id="1490", **photo("2", "Pic"))]
    text = tweets_js(community, name="community_tweet")
    (data / "community-tweet.js").write_text(text, encoding="utf-8")
    (data / "community_tweet_media" / "2-Pic.jpg").write_bytes(b"jpeg")
    reader = TwitterArchiveReader()
    records = list(reader.read(tmp_path / "archive", ReadOptions()))
    posts = {r.native_id: r for r in records if isinstance(r, Post)}
    assert set(posts) == {"1", "2"}
    assert posts["2"].provenance.file == "data/community-tweet.js"
    assert posts["2"].extra["community_id"] == "1490"
    assert "community_id" not in posts["1"].extra
    (media,) = media_of(records).values()
    assert media.file == (data / "community_tweet_media" / "2-Pic.jpg").resolve()
    assert "data/community-tweet.js: 1 tweet the owner posted in X Communities" in notes(records)
    # Read alone too, as any tweet file.
    assert reader.sniff(data / "community-tweet.js") == 90
    alone = list(reader.read(data / "community-tweet.js", ReadOptions()))
    assert [r.native_id for r in alone if isinstance(r, Post)] == ["2"]


# --- the media store, the last gate -----------------------------------------------------------


def test_media_folder_copies_regular_files_only(tmp_path: Path, secret: Path) -> None:
    store = MediaFolder(tmp_path / "case" / "media")
    good = tmp_path / "photo.jpg"
    good.write_bytes(b"jpeg bytes")
    sha256, size = store.store(good)
    assert size == len(b"jpeg bytes")
    assert store.path_for(sha256).read_bytes() == b"jpeg bytes"
    link = tmp_path / "link.jpg"
    link.symlink_to(secret)
    with pytest.raises(OSError, match="a symbolic link; not followed"):
        store.store(link)
    fifo = tmp_path / "fifo.jpg"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        store.store(fifo)
    stored = sorted(p.name for p in (tmp_path / "case" / "media").rglob("*") if p.is_file())
    assert stored == [sha256]  # nothing else, no partial file left behind

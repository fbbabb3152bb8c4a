"""discover: every file under a folder is read by its reader or skipped with why; the walk stays
inside what the user named and visits each real path once."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from veille.errors import InputError
from veille.ingest.files.discover import Unit, choose_reader, discover

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs")

CHAT = "15/08/23, 09:12 - Ann: IMG-1.jpg (file attached)\n15/08/23, 09:13 - Bob: hello Ann\n"
CSV = "author,text,date\nann,hello,2023-08-15\nbob,hi,2023-08-16\n"
ARTICLE = (
    "<html><head><title>Mosul tonight</title></head><body><article><h1>Mosul tonight</h1>"
    + "<p>The city was quiet as the night fell over the old town and its markets.</p>" * 8
    + "</article></body></html>"
)


def units(path: Path, format_name: str | None = None) -> dict[str, Unit]:
    found = list(discover(path, format_name))
    by_name = {unit.path.relative_to(path).as_posix() if unit.path != path else ".": unit
               for unit in found}  # fmt: skip
    assert len(by_name) == len(found), "a path came out twice"
    return by_name


def read(found: dict[str, Unit]) -> dict[str, str]:
    return {name: unit.reader.name for name, unit in found.items() if unit.reader is not None}


def skipped(found: dict[str, Unit]) -> dict[str, str]:
    return {name: unit.why or "" for name, unit in found.items() if unit.reader is None}


def test_a_whatsapp_export_folder_no_longer_hides_the_files_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "WhatsApp Chat with Ann.txt").write_text(CHAT, encoding="utf-8")
    (folder / "IMG-1.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "PTT-2.opus").write_bytes(b"OggS")
    (folder / "tweets.csv").write_text(CSV, encoding="utf-8")
    (folder / "article.html").write_text(ARTICLE, encoding="utf-8")
    (folder / "notes.bin").write_bytes(b"\x00\x01\x02")
    found = units(folder)
    assert read(found) == {".": "whatsapp", "tweets.csv": "tabular", "article.html": "news"}
    (attachments,) = found["."].notes
    assert attachments.startswith("2 media files in this export (1 .jpg, 1 .opus)")
    assert "its attachments: each is stored when a message refers to it" in attachments
    assert skipped(found) == {
        "notes.bin": "in the whatsapp export exports, but not one of its message files "
        "(notes.bin); no reader recognises it"
    }


def test_telegram_html_pages_are_not_read_again_as_articles(tmp_path: Path) -> None:
    export = tmp_path / "ChatExport"
    (export / "photos").mkdir(parents=True)
    (export / "css").mkdir()
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"/><title>Exported Data</title>'
        '<link href="css/style.css" rel="stylesheet"/></head><body><div class="page_wrap">'
        '<div class="page_header"><div class="content"><div class="text bold">Chan</div></div>'
        '</div><div class="page_body chat_page"><div class="history">'
        '<div class="message default clearfix" id="message1"><div class="body">'
        '<div class="pull_right date details" title="01.09.2016 10:00:00">10:00</div>'
        '<div class="from_name">Chan</div><div class="text">hello</div></div></div>'
        "</div></div></div></body></html>"
    )
    (export / "messages.html").write_text(page, encoding="utf-8")
    (export / "messages2.html").write_text(page, encoding="utf-8")
    (export / "photos" / "photo_1.jpg").write_bytes(b"\xff\xd8")
    (export / "css" / "style.css").write_text("body {}", encoding="utf-8")
    (export / "report.csv").write_text(CSV, encoding="utf-8")
    found = units(export)
    assert read(found) == {".": "telegram", "report.csv": "tabular"}
    (attachments,) = found["."].notes
    assert "(1 .jpg)" in attachments
    assert set(skipped(found)) == {"css/style.css"}


def test_telegram_json_export_with_a_csv_and_a_nested_chat_export(tmp_path: Path) -> None:
    export = tmp_path / "DataExport"
    (export / "chats" / "chat_1" / "photos").mkdir(parents=True)
    result = {"name": "Chan", "type": "public_channel", "id": 1, "messages": []}
    (export / "result.json").write_text(json.dumps(result), encoding="utf-8")
    (export / "chats" / "chat_1" / "photos" / "p.jpg").write_bytes(b"\xff\xd8")
    (export / "extra.csv").write_text(CSV, encoding="utf-8")
    whatsapp = export / "other" / "chat"
    whatsapp.mkdir(parents=True)
    (whatsapp / "_chat.txt").write_text(CHAT, encoding="utf-8")
    found = units(export)
    assert read(found) == {".": "telegram", "extra.csv": "tabular", "other/chat": "whatsapp"}


def test_twitter_archive_reads_its_tweet_files_once_and_lists_the_rest(tmp_path: Path) -> None:
    data = tmp_path / "archive" / "twitter-2023" / "data"
    (data / "tweets_media").mkdir(parents=True)
    tweets = [{"tweet": {"id_str": "1", "full_text": "hi", "created_at": "x"}}]
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets), "utf-8")
    (data / "manifest.js").write_text("window.__THAR_CONFIG = {}", encoding="utf-8")
    (data / "like.js").write_text("window.YTD.like.part0 = []", encoding="utf-8")
    (data / "tweets_media" / "1-a.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "archive" / "followers.csv").write_text(CSV, encoding="utf-8")
    found = units(tmp_path / "archive")
    assert read(found) == {".": "twitter-archive", "followers.csv": "tabular"}
    (media,) = found["."].notes
    assert "1 .jpg" in media
    assert set(skipped(found)) == {"twitter-2023/data/like.js"}


def test_unknown_files_outside_any_export_are_skipped_with_why(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / "export.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._photo.jpg").write_bytes(b"\x00")
    why = skipped(units(tmp_path))
    assert why["README.md"].startswith("no reader recognises it")
    assert why["photo.jpg"].startswith("a media file")
    assert why[".DS_Store"] == "hidden file; not read"
    assert why["export.zip"].startswith("a zip inside a folder is not opened; name it")
    assert why["__MACOSX"].startswith("macOS resource forks")


def test_a_symlink_loop_is_walked_once_and_never_hangs(tmp_path: Path) -> None:
    root = tmp_path / "material"
    (root / "a").mkdir(parents=True)
    (root / "a" / "tweets.csv").write_text(CSV, encoding="utf-8")
    (root / "a" / "loop").symlink_to(root / "a")
    (root / "a" / "up").symlink_to(root)
    (root / "b").symlink_to(root / "b")  # a link to itself
    (root / "again.csv").symlink_to(root / "a" / "tweets.csv")
    found = units(root)
    assert read(found) == {"a/tweets.csv": "tabular"}
    why = skipped(found)
    assert why["a/loop"] == "the same folder as a; read once"
    assert why["a/up"] == "the same folder as .; read once"
    assert why["again.csv"] == "the same file as a/tweets.csv; read once"
    assert "leads nowhere" in why["b"]


def test_links_out_of_the_named_folder_are_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.csv").write_text(CSV, encoding="utf-8")
    root = tmp_path / "material"
    root.mkdir()
    (root / "secret.csv").symlink_to(elsewhere / "secret.csv")
    (root / "home").symlink_to(elsewhere)
    why = skipped(units(root))
    assert set(why) == {"secret.csv", "home"}
    assert all("outside" in reason and "not followed" in reason for reason in why.values())
    # Named by the user, a link is theirs to follow.
    assert read(units(root / "home")) == {"secret.csv": "tabular"}


def test_fifos_are_skipped_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "WhatsApp Chat with Ann.txt")
    os.mkfifo(tmp_path / "tweets.csv")
    (tmp_path / "real.csv").write_text(CSV, encoding="utf-8")
    found = units(tmp_path)
    assert read(found) == {"real.csv": "tabular"}
    why = skipped(found)
    assert why["tweets.csv"] == "a FIFO (named pipe), not a regular file; not opened"
    assert why["WhatsApp Chat with Ann.txt"].startswith("a FIFO")
    (alone,) = discover(tmp_path / "tweets.csv", "tabular")  # even when --format is given
    assert alone.reader is None
    assert alone.why is not None
    with pytest.raises(InputError, match="FIFO"):
        choose_reader(tmp_path / "tweets.csv", "tabular")


def test_format_inside_an_export_does_not_force_its_photos(tmp_path: Path) -> None:
    (tmp_path / "WhatsApp Chat with Ann.txt").write_text(CHAT, encoding="utf-8")
    (tmp_path / "IMG-1.jpg").write_bytes(b"\xff\xd8\xff")
    found = units(tmp_path, "whatsapp")
    assert read(found) == {".": "whatsapp"}
    assert not skipped(found)

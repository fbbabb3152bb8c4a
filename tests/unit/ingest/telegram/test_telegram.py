"""The Telegram reader on JSON exports: fixture values, full-account exports, damaged files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.telegram.chats import AuthorIndex
from veille.ingest.telegram.raw_json import encode_raw
from veille.ingest.telegram.reader import TelegramReader
from veille.model import Actor, Columns, Interaction, Media, Note, Post, Record, Reject

READER = TelegramReader()


def read(path: Path, **options: Any) -> list[Record]:
    """The records read, posts in column batches expanded to one ``Post`` each."""
    records: list[Record] = []
    for record in READER.read(path, ReadOptions(**options)):
        records.extend(record.records() if isinstance(record, Columns) else [record])
    return records


def of_type(records: list[Record], kind: type[Any]) -> list[Any]:
    return [record for record in records if isinstance(record, kind)]


def message(ident: int, text: Any = "hi", **fields: Any) -> dict[str, Any]:
    """A current-format message from user1 at 2023-01-01T10:00 UTC + ident minutes."""
    unix = 1672567200 + 60 * ident
    local = datetime.fromtimestamp(unix, UTC).replace(tzinfo=None).isoformat()
    base = {
        "id": ident,
        "type": "message",
        "date": local,
        "date_unixtime": str(unix),
        "from": "User One",
        "from_id": "user1",
        "text": text,
    }
    base.update(fields)
    return base


def write_chat(path: Path, messages: list[Any], **header: Any) -> Path:
    chat = {"name": "Group", "type": "private_supergroup", "id": 77, **header, "messages": messages}
    path.write_text(json.dumps(chat, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


# --- the shared fixtures -------------------------------------------------------------------


def test_langchain_json_first_message_and_authors(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "telegram" / "langchain-personal-chat-result.json")
    posts = of_type(records, Post)
    actors = {a.id: a for a in of_type(records, Actor)}
    assert len(posts) == 4
    first = posts[0]
    assert first.text == "i refuse to converse with you"
    assert actors[first.author_id].name == "Jimmeny Marvelton"
    assert actors[first.author_id].native_id == "user123450513"
    # date_unixtime is exact UTC; "date" is the exporting computer's wall time (UTC-7 then).
    assert first.posted_at == datetime(2023, 8, 23, 20, 11, 23, tzinfo=UTC)
    assert first.utc_offset_min == -7 * 60
    assert posts[2].author_id == posts[3].author_id == first.author_id
    assert actors[posts[1].author_id].name == "Batman & Robin"
    chat = actors[first.chat_id]
    assert (chat.kind, chat.name, chat.native_id) == ("group", "Jimmeny", "chat5965280513")
    assert posts[-1].text == "you will not trick me this time"
    assert {p.kind for p in posts} == {"message"}
    assert not of_type(records, Reject)


def test_tg2md_old_channel_export(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "telegram" / "tg2md-test-channel-result.json")
    posts = of_type(records, Post)
    actors = of_type(records, Actor)
    assert len(posts) == 19
    # The channel and the author of its posts are one actor.
    assert len(actors) == 1
    channel = actors[0]
    assert (channel.kind, channel.name, channel.native_id) == (
        "channel",
        "test",
        "channel1292077344",
    )
    assert {p.author_id for p in posts} == {p.chat_id for p in posts} == {channel.id}
    service = posts[0]
    assert service.kind == "service"
    assert service.extra["action"] == "create_channel"
    assert {p.kind for p in posts[1:]} == {"post"}
    by_id = {p.native_id: p for p in posts}
    assert by_id["5"].text == "italic\n\nbold\n\nunderline\n\nstrikethrough\n\nmonospace"
    assert by_id["5"].edited_at == datetime(2020, 11, 12, 13, 3, tzinfo=UTC)
    assert by_id["14"].extra["text_links"] == ["http://example.com/"]
    assert by_id["14"].text == "text link\n\nexample.com\n\nexample@example.com"
    assert by_id["21"].text == "тестирование utf-8."
    assert posts[-1].text == "test text file"
    # Old format: naive local times, read in the zone given, no offset shown.
    assert all(p.utc_offset_min is None for p in posts)
    media = of_type(records, Media)
    assert len(media) == 10
    assert all(m.file is None for m in media)
    assert media[0].name == "photos/photo_1@12-11-2020_12-57-31.jpg"
    notes = " ".join(n.text for n in of_type(records, Note))
    assert "10 of 10 media files" in notes
    assert "no date_unixtime" in notes


def test_old_format_times_are_read_in_the_zone_given(fixtures_dir: Path) -> None:
    path = fixtures_dir / "telegram" / "tg2md-test-channel-result.json"
    posts = of_type(read(path, zone=ZoneInfo("Europe/Moscow")), Post)
    assert posts[0].posted_at == datetime(2020, 11, 12, 9, 53, 52, tzinfo=UTC)


def test_raw_is_the_compact_json_of_the_message(fixtures_dir: Path) -> None:
    path = fixtures_dir / "telegram" / "tg2md-test-channel-result.json"
    original = json.loads(path.read_text(encoding="utf-8"))["messages"][4]
    post = of_type(read(path), Post)[4]
    assert post.provenance.locator == "messages[4]"
    assert post.provenance.raw == json.dumps(original, ensure_ascii=False, separators=(",", ":"))


def test_encode_raw_matches_json_dumps() -> None:
    value = {"a": [1, 2.5, None, True, 'é"\n\u2028'], "b": {"c": []}}
    assert encode_raw(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert encode_raw("x") == '"x"'


# --- sniff and dispatch --------------------------------------------------------------------


def test_sniff(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = fixtures_dir / "telegram"
    assert READER.sniff(folder / "tg2md-test-channel-result.json") == 90
    assert READER.sniff(folder / "langchain-personal-chat-result.json") == 90
    assert READER.sniff(folder / "langchain-personal-chat-messages.html") == 90
    other = tmp_path / "other.json"
    other.write_text('{"data": [{"id": 1, "text": "tweet"}]}', encoding="utf-8")
    assert READER.sniff(other) == 0
    plain = tmp_path / "page.html"
    plain.write_text("<html><body><p>news</p></body></html>", encoding="utf-8")
    assert READER.sniff(plain) == 0
    assert READER.sniff(tmp_path) == 0
    write_chat(tmp_path / "result.json", [message(1)])
    assert READER.sniff(tmp_path) == 90
    account = tmp_path / "account.json"
    account.write_text('{"about": "x", "personal_information": {"user_id": 1}}', encoding="utf-8")
    assert READER.sniff(account) == 90


def test_folder_with_json_and_html_reads_the_json(tmp_path: Path) -> None:
    write_chat(tmp_path / "result.json", [message(1)])
    (tmp_path / "messages.html").write_text("<div class='page_wrap'></div>", encoding="utf-8")
    records = read(tmp_path)
    post = of_type(records, Post)[0]
    assert post.provenance.file == "result.json"
    assert any("HTML pages were not read" in n.text for n in of_type(records, Note))


# --- messages ------------------------------------------------------------------------------


def test_replies_forwards_mentions_and_entities(tmp_path: Path) -> None:
    messages = [
        message(1, "first, cc @Some_Handle and mail a@b.org"),
        message(2, "answer", from_id="user2", **{"from": "User Two"}, reply_to_message_id=1),
        message(3, "dangling", reply_to_message_id=99),
        message(4, "fwd", forwarded_from="Source Channel", forwarded_from_id="channel555"),
        message(5, "fwd by name", forwarded_from="Someone"),
        message(
            6,
            [
                "see ",
                {"type": "mention_name", "text": "Carol", "user_id": 300},
                " ",
                {"type": "text_link", "text": "here", "href": "https://example.org/x"},
            ],
        ),
    ]
    records = read(write_chat(tmp_path / "result.json", messages))
    posts = {p.native_id: p for p in of_type(records, Post)}
    edges = of_type(records, Interaction)
    user1, user2 = actor_id("telegram", "user1"), actor_id("telegram", "user2")
    chat_key = "channel77"  # supergroups share the channel id space
    assert posts["1"].chat_id == actor_id("telegram", chat_key)
    assert posts["2"].reply_to_id == post_id("telegram", chat_key, 1) == posts["1"].id
    replies = [e for e in edges if e.kind == "reply"]
    assert [(e.source_actor_id, e.target_actor_id, e.post_id) for e in replies] == [
        (user2, user1, posts["2"].id)
    ]
    assert replies[0].occurred_at == posts["2"].posted_at
    assert posts["3"].reply_to_id == post_id("telegram", chat_key, 99)  # not seen: no edge
    forwards = {e.post_id: e.target_actor_id for e in edges if e.kind == "forward"}
    assert (
        forwards[posts["4"].id]
        == actor_id("telegram", "channel555")
        == posts["4"].forwarded_from_id
    )
    assert forwards[posts["5"].id] == actor_id("telegram", "name:Someone")
    mentions = {(e.post_id, e.target_actor_id) for e in edges if e.kind == "mention"}
    assert mentions == {
        (posts["1"].id, actor_id("telegram", "@some_handle")),
        (posts["6"].id, actor_id("telegram", "user300")),
    }
    actors = {a.id: a for a in of_type(records, Actor)}
    assert actors[actor_id("telegram", "@Some_Handle")].handle == "Some_Handle"
    assert actors[actor_id("telegram", "channel555")].kind == "channel"
    assert actors[actor_id("telegram", "user300")].name == "Carol"
    assert posts["6"].text == "see Carol here"
    assert posts["6"].extra["text_links"] == ["https://example.org/x"]
    assert len(actors) == len(of_type(records, Actor))  # each actor once


def test_service_message_extra_and_edit_times(tmp_path: Path) -> None:
    service = {
        "id": 1,
        "type": "service",
        "date": "2023-01-01T12:00:00",
        "date_unixtime": "1672567200",
        "actor": "User One",
        "actor_id": "user1",
        "action": "invite_members",
        "members": ["A", "B"],
        "text": "",
    }
    edited = message(2, "edited", edited="2023-01-01T12:30:00", edited_unixtime="1672569000")
    reacted = message(
        3, "x", reactions=[{"type": "emoji", "count": 2, "emoji": "👍", "recent": []}]
    )
    records = read(write_chat(tmp_path / "result.json", [service, edited, reacted]))
    posts = of_type(records, Post)
    assert posts[0].kind == "service"
    assert posts[0].author_id == actor_id("telegram", "user1")
    assert posts[0].extra == {"action": "invite_members", "members": ["A", "B"]}
    assert posts[0].utc_offset_min == 120  # 12:00 on the exporting computer at 10:00 UTC
    assert posts[1].edited_at == datetime(2023, 1, 1, 10, 30, tzinfo=UTC)
    assert posts[2].extra["reactions"] == [{"emoji": "👍", "count": 2}]


def test_unreadable_date_and_missing_id_are_rejected(tmp_path: Path) -> None:
    bad_date = message(2, "bad")
    del bad_date["date_unixtime"]
    bad_date["date"] = "yesterday at noon"
    no_id = message(3, "no id")
    del no_id["id"]
    records = read(write_chat(tmp_path / "result.json", [message(1), bad_date, no_id, message(4)]))
    assert [p.native_id for p in of_type(records, Post)] == ["1", "4"]
    rejects = of_type(records, Reject)
    assert [r.locator for r in rejects] == ["messages[1]", "messages[2]"]
    assert "unreadable date 'yesterday at noon'" in rejects[0].reason
    assert "no message id" in rejects[1].reason
    assert json.loads(rejects[0].raw or "")["text"] == "bad"


def test_truncated_file_keeps_messages_before_the_cut(tmp_path: Path) -> None:
    path = write_chat(tmp_path / "result.json", [message(i, f"text {i}") for i in range(1, 9)])
    data = path.read_bytes()
    cut = data.index(b'"text 6"')  # in the middle of the sixth message
    path.write_bytes(data[:cut])
    records = read(path)
    assert [p.native_id for p in of_type(records, Post)] == ["1", "2", "3", "4", "5"]
    rejects = of_type(records, Reject)
    assert len(rejects) == 1
    assert rejects[0].locator == "messages[5]"
    assert "breaks off" in rejects[0].reason
    assert "5 messages" in rejects[0].reason
    assert rejects[0].raw is not None
    assert rejects[0].raw.endswith('"text": ')


def test_malformed_middle_becomes_one_reject(tmp_path: Path) -> None:
    path = write_chat(tmp_path / "result.json", [message(i) for i in range(1, 5)])
    data = path.read_bytes().replace(b'"id": 3', b'"id": 3 garbage')
    path.write_bytes(data)
    records = read(path)
    assert [p.native_id for p in of_type(records, Post)] == ["1", "2"]
    assert [r.locator for r in of_type(records, Reject)] == ["messages[2]"]


def test_old_integer_from_id_and_unsigned_channel_posts(tmp_path: Path) -> None:
    plain = message(1, "by user")
    plain["from_id"] = 12345
    unsigned = message(2, "by the channel")
    del unsigned["from_id"], unsigned["from"]
    path = write_chat(tmp_path / "result.json", [plain, unsigned], type="public_channel", id=9)
    posts = of_type(read(path), Post)
    assert posts[0].author_id == actor_id("telegram", "user12345")
    assert posts[1].author_id == posts[1].chat_id == actor_id("telegram", "channel9")


def test_media_present_missing_not_exported_and_escaping(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "p1.jpg").write_bytes(b"\xff\xd8")
    messages = [
        message(1, "", photo="photos/p1.jpg"),
        message(2, "", photo="photos/absent.jpg"),
        message(
            3,
            "",
            file="(File not included. Change data exporting settings to download.)",
            file_name="report.pdf",
        ),
        message(4, "", file="../../etc/passwd"),
    ]
    records = read(write_chat(tmp_path / "result.json", messages))
    media = of_type(records, Media)
    assert media[0].file == (tmp_path / "photos" / "p1.jpg").resolve()
    assert media[0].mime == "image/jpeg"
    assert media[1].file is None
    assert media[1].name == "photos/absent.jpg"
    assert media[2].file is None
    assert media[2].name == "(not exported) report.pdf"
    assert media[3].file is None
    notes = " ".join(n.text for n in of_type(records, Note))
    assert "3 of 4 media files" in notes
    assert "outside the export folder" in notes


def test_bom_is_skipped(tmp_path: Path) -> None:
    path = write_chat(tmp_path / "result.json", [message(1, "été")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [p.text for p in of_type(read(path), Post)] == ["été"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"not json at all", "not valid JSON"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'{"data": [{"id": 1}]}', "not a Telegram export"),
    ],
)
def test_unreadable_files_raise_input_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read(path)


def test_empty_folder_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no result\.json"):
        read(tmp_path)


# --- full-account exports ------------------------------------------------------------------


def write_account(path: Path) -> Path:
    account = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 42, "first_name": "Owner", "username": "@owner"},
        "chats": {
            "about": "chats",
            "list": [
                {
                    "name": "Alice",
                    "type": "personal_chat",
                    "id": 100,
                    "messages": [
                        message(1, "hello", from_id="user100"),
                        message(2, "reply", from_id="user42", reply_to_message_id=1),
                    ],
                },
                {
                    "name": "News",
                    "type": "public_channel",
                    "id": 555,
                    "messages": [message(1, "breaking", from_id="channel555")],
                },
            ],
        },
        "left_chats": {
            "about": "left",
            "list": [
                {
                    "name": "Old",
                    "type": "private_group",
                    "id": 9,
                    "messages": [message(7, "bye", from_id="user100")],
                }
            ],
        },
    }
    path.write_text(json.dumps(account, indent=1), encoding="utf-8")
    return path


def test_full_account_export(tmp_path: Path) -> None:
    records = read(write_account(tmp_path / "result.json"))
    posts = of_type(records, Post)
    chats = {
        actor_id("telegram", "chat100"): "Alice",
        actor_id("telegram", "channel555"): "News",
        actor_id("telegram", "chat9"): "Old",
    }
    assert [(chats[p.chat_id], p.native_id) for p in posts] == [
        ("Alice", "1"),
        ("Alice", "2"),
        ("News", "1"),
        ("Old", "7"),
    ]
    assert [p.provenance.locator for p in posts] == [
        "chats.list[0].messages[0]",
        "chats.list[0].messages[1]",
        "chats.list[1].messages[0]",
        "left_chats.list[0].messages[0]",
    ]
    # Same message id in two chats: two posts.
    assert posts[0].id == post_id("telegram", "chat100", 1) != posts[2].id
    assert posts[2].author_id == posts[2].chat_id
    assert posts[2].kind == "post"
    reply = [e for e in of_type(records, Interaction) if e.kind == "reply"]
    assert [(e.source_actor_id, e.target_actor_id) for e in reply] == [
        (actor_id("telegram", "user42"), actor_id("telegram", "user100"))
    ]
    actors: dict[str, Actor] = {}
    for actor in of_type(records, Actor):
        actors.setdefault(actor.id, actor)  # the first state: the account's own profile
    owner = actors[actor_id("telegram", "user42")]
    assert (owner.handle, owner.name) == ("owner", "Owner")
    # The chats show the owner under another name: a second state, kept with its time.
    shown = [a for a in of_type(records, Actor) if a.id == owner.id and a.name != "Owner"]
    assert [(a.name, a.seen_at is not None) for a in shown] == [("User One", True)]
    assert actors[actor_id("telegram", "chat100")].kind == "group"
    notes = " ".join(n.text for n in of_type(records, Note))
    assert "account owner 'Owner' (@owner, user id 42)" in notes
    assert "3 chats" in notes


def test_full_account_truncated_in_second_chat(tmp_path: Path) -> None:
    path = write_account(tmp_path / "result.json")
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b'"breaking"')])
    records = read(path)
    assert [p.text for p in of_type(records, Post)] == ["hello", "reply"]
    assert [r.locator for r in of_type(records, Reject)] == ["chats.list[1].messages[0]"]


# --- helpers -------------------------------------------------------------------------------


def test_author_index_in_and_out_of_order() -> None:
    index = AuthorIndex()
    index.add(5, "a")
    index.add(9, "b")
    index.add(7, "c")  # out of order
    index.add(2**70, "d")  # beyond 64 bits
    assert [index.get(i) for i in (5, 7, 9, 2**70, 6)] == ["a", "c", "b", "d", None]

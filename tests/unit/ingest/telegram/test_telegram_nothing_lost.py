"""Telegram messages that used to read empty or lose a link: services, polls, forwarded replies,
texts past libxml2's 10 MB limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.unit.ingest.telegram.test_telegram_html import default, page, text
from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.telegram.reader import TelegramReader
from veille.model import Columns, Interaction, Note, Post, Record


def read(path: Path) -> list[Record]:
    records: list[Record] = []
    for record in TelegramReader().read(path, ReadOptions()):
        records.extend(record.records() if isinstance(record, Columns) else [record])
    return records


def of(kind: type[Any], records: list[Record]) -> list[Any]:
    return [r for r in records if isinstance(r, kind)]


def export(tmp_path: Path, *messages: dict[str, Any]) -> Path:
    path = tmp_path / "result.json"
    document = {"name": "G", "type": "private_group", "id": 5, "messages": list(messages)}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def message(ident: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "message",
        "date": "2024-05-01T10:00:00",
        "date_unixtime": "1714557600",
        "from": "Alice",
        "from_id": "user1",
        "text": "",
        **fields,
    }


def test_json_service_messages_with_empty_text_say_what_happened(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        message(1, type="service", actor="Alice", actor_id="user1", action="invite_members",
                members=["Bob", "Carol"]),
        message(2, type="service", actor="Alice", actor_id="user1", action="pin_message",
                message_id=1),
        message(3, type="service", actor="Alice", actor_id="user1", action="edit_group_title",
                title="New"),
    )  # fmt: skip
    texts = [p.text for p in of(Post, read(path))]
    assert texts == [
        "invite members: Bob, Carol",
        "pin message (message 1)",
        "edit group title: New",
    ]


def test_a_poll_question_is_the_post_text(tmp_path: Path) -> None:
    poll = {
        "question": "Where do we meet?",
        "closed": False,
        "total_voters": 3,
        "answers": [{"text": "Here", "voters": 2}, {"text": "There", "voters": 1}],
    }
    (post,) = of(Post, read(export(tmp_path, message(1, poll=poll))))
    assert post.text == "Where do we meet?\n- Here\n- There"
    assert post.extra["poll"] == poll


def test_html_poll_question_is_the_post_text(tmp_path: Path) -> None:
    poll = (
        '<div class="media_wrap clearfix"><div class="media_poll">'
        '<div class="question bold">Where do we meet?</div>'
        '<div class="details">Anonymous poll</div>'
        '<div class="answer">- Here</div><div class="answer">- There</div>'
        '<div class="total details">3 votes</div></div></div>'
    )
    path = tmp_path / "messages.html"
    path.write_text(page("Team", default(1, poll)), encoding="utf-8")
    (post,) = of(Post, read(path))
    assert post.text == "Where do we meet?\n- Here\n- There"


def test_html_service_messages_are_read_with_their_day_and_noted(tmp_path: Path) -> None:
    service = (
        '<div class="message service" id="message7"><div class="body details">'
        "Alice invited Bob</div></div>"
    )
    path = tmp_path / "messages.html"
    path.write_text(page("Team", default(1, text("hi")), service), encoding="utf-8")
    records = read(path)
    posts = {p.native_id: p for p in of(Post, records)}
    assert posts["7"].kind == "service"
    assert posts["7"].text == "Alice invited Bob"
    assert posts["7"].posted_at is None
    assert posts["7"].extra == {"day": "1 May 2024"}
    assert any("1 HTML service messages" in n.text for n in of(Note, records))


def test_a_reply_inside_a_forwarded_block_is_kept(tmp_path: Path) -> None:
    forwarded = (
        '<div class="pull_left forwarded userpic_wrap"></div>'
        '<div class="forwarded body"><div class="from_name">Bob</div>'
        '<div class="reply_to details">In reply to <a href="#go_to_message1" '
        'onclick="return GoToMessage(1)">this message</a></div>'
        '<div class="text">I agree</div></div>'
    )
    path = tmp_path / "messages.html"
    path.write_text(
        page("Team", default(1, text("a question")), default(2, forwarded)), encoding="utf-8"
    )
    records = read(path)
    posts = {p.native_id: p for p in of(Post, records)}
    assert posts["2"].reply_to_id == post_id("telegram", "chat:Team", 1)
    assert posts["2"].forwarded_from_id == actor_id("telegram", "name:Bob")
    assert posts["2"].extra["reply_in_forwarded"] is True
    replies = [i for i in of(Interaction, records) if i.kind == "reply"]
    assert [(i.source_actor_id, i.target_actor_id) for i in replies] == [
        (actor_id("telegram", "name:Bob"), actor_id("telegram", "name:Alice"))
    ]


def test_html_text_past_10_mb_is_read_whole(tmp_path: Path) -> None:
    long_text = "word " * (2_300_000)  # 11.5 MB: libxml2 drops it without huge_tree
    path = tmp_path / "messages.html"
    path.write_text(page("Team", default(1, text(long_text))), encoding="utf-8")
    (post,) = of(Post, read(path))
    assert len(post.text) == len(long_text.strip())

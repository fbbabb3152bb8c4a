"""The Telegram reader on HTML exports: the fixture, pagination, markup variants, damage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.telegram.reader import TelegramReader
from veille.model import Actor, Interaction, Media, Note, Post, Record, Reject

READER = TelegramReader()


def read(path: Path) -> list[Record]:
    return list(READER.read(path, ReadOptions()))


def of_type(records: list[Record], kind: type[Any]) -> list[Any]:
    return [record for record in records if isinstance(record, kind)]


def page(header: str, *messages: str) -> str:
    """A page as Telegram Desktop writes it, around the given message divs."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"/><title>Exported Data</title></head>'
        '<body onload="CheckLocation();"><div class="page_wrap"><div class="page_header">'
        f'<div class="content"><div class="text bold">\n{header}\n</div></div></div>'
        '<div class="page_body chat_page"><div class="history">'
        '<div class="message service" id="message-1">'
        '<div class="body details">1 May 2024</div></div>'
        + "".join(messages)
        + "</div></div></div></body></html>"
    )


def default(
    ident: int,
    inner: str,
    author: str | None = "Alice",
    when: str = "01.05.2024 10:00:00 UTC+02:00",
) -> str:
    joined = "" if author else " joined"
    name = f'<div class="from_name">\n{author}\n</div>' if author else ""
    return (
        f'<div class="message default clearfix{joined}" id="message{ident}"><div class="body">'
        f'<div class="pull_right date details" title="{when}">10:00</div>{name}{inner}</div></div>'
    )


def text(value: str) -> str:
    return f'<div class="text">\n{value}\n</div>'


def test_langchain_html(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "telegram" / "langchain-personal-chat-messages.html")
    posts = of_type(records, Post)
    actors = {a.id: a for a in of_type(records, Actor)}
    assert len(posts) == 4  # the date separator is not a message
    first = posts[0]
    assert first.text == "i refuse to converse with you"
    assert actors[first.author_id].name == "Jimmeny Marvelton"
    assert first.posted_at == datetime(2023, 8, 23, 21, 11, 23, tzinfo=UTC)
    assert first.utc_offset_min == -8 * 60
    assert first.provenance.locator == "langchain-personal-chat-messages.html#message1"
    assert first.provenance.raw is not None
    assert first.provenance.raw.startswith('<div class="message default clearfix" id="message1">')
    assert actors[posts[1].author_id].name == "Batman & Robin"
    # #4 is "joined": no from_name, same author as #3.
    assert posts[3].author_id == posts[2].author_id == first.author_id
    assert posts[3].text == "you will not trick me this time"
    chat = actors[first.chat_id]
    assert (chat.kind, chat.name) == ("group", "Jimmeny Marvelton")
    assert chat.id != first.author_id  # the chat is not the person
    assert not of_type(records, Reject)


def test_pages_are_read_in_numeric_order(tmp_path: Path) -> None:
    for number, ident in ((1, 1), (2, 2), (10, 10), (3, 3)):
        name = "messages.html" if number == 1 else f"messages{number}.html"
        (tmp_path / name).write_text(
            page("Group", default(ident, text(f"m{ident}"))), encoding="utf-8"
        )
    records = read(tmp_path)
    posts = of_type(records, Post)
    assert [p.native_id for p in posts] == ["1", "2", "3", "10"]
    assert [p.provenance.file for p in posts] == [
        "messages.html",
        "messages2.html",
        "messages3.html",
        "messages10.html",
    ]
    assert len({p.chat_id for p in posts}) == 1
    assert "4 page(s)" in of_type(records, Note)[0].text


def test_a_single_page_given_alone_is_read_alone(tmp_path: Path) -> None:
    (tmp_path / "messages.html").write_text(page("G", default(1, text("one"))), encoding="utf-8")
    (tmp_path / "messages2.html").write_text(page("G", default(2, text("two"))), encoding="utf-8")
    posts = of_type(read(tmp_path / "messages2.html"), Post)
    assert [p.text for p in posts] == ["two"]
    assert posts[0].provenance.file is None


def test_reply_forward_mention_media_service_and_bot(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "p.jpg").write_bytes(b"\xff\xd8")
    messages = [
        default(1, text("first line<br>second, ask @some_user")),
        default(
            2,
            '<div class="reply_to details">In reply to <a href="#go_to_message1" '
            'onclick="return GoToMessage(1)">this message</a></div>' + text("answer"),
            author="Bob via @helper_bot",
        ),
        default(
            3,
            '<div class="pull_left forwarded userpic_wrap"></div><div class="forwarded body">'
            '<div class="from_name">\nSource &amp; Co<span class="date details"> 01.01.2024</span>'
            '</div><div class="media_wrap clearfix"><a class="photo_wrap clearfix pull_left" '
            'href="photos/p.jpg"><img class="photo" src="photos/p_thumb.jpg"/></a></div>'
            + text('see <a href="https://example.org/a">this</a>')
            + "</div>",
        ),
        default(
            4,
            '<div class="media_wrap clearfix"><div class="media clearfix pull_left media_file">'
            '<div class="fill pull_left"></div><div class="body"><div class="title bold">'
            'report.pdf</div><div class="description">Not included, change data exporting '
            "settings to download.</div></div></div></div>",
            author=None,
        ),
        '<div class="message service" id="message5"><div class="body details">Alice pinned '
        '<a href="#go_to_message3" onclick="return GoToMessage(3)">this message</a></div></div>',
    ]
    records = read_page(tmp_path, page("Team", *messages))
    posts = {p.native_id: p for p in of_type(records, Post)}
    alice, bob = actor_id("telegram", "name:Alice"), actor_id("telegram", "name:Bob")
    chat_key = "chat:Team"
    assert posts["1"].text == "first line\nsecond, ask @some_user"
    assert posts["2"].author_id == bob
    assert posts["2"].extra == {"via_bot": "@helper_bot"}
    assert posts["2"].reply_to_id == post_id("telegram", chat_key, 1) == posts["1"].id
    source = actor_id("telegram", "name:Source & Co")
    assert posts["3"].forwarded_from_id == source
    assert posts["3"].text == "see this"
    assert posts["3"].extra == {"text_links": ["https://example.org/a"]}
    assert posts["4"].author_id == alice  # joined after Alice's message
    assert (posts["5"].kind, posts["5"].extra) == (
        "service",
        {"message_id": 3, "day": "1 May 2024"},  # the date separator above it
    )
    assert posts["5"].text == "Alice pinned this message"
    edges = {
        (e.kind, e.source_actor_id, e.target_actor_id, e.post_id)
        for e in of_type(records, Interaction)
    }
    assert edges == {
        ("mention", alice, actor_id("telegram", "@some_user"), posts["1"].id),
        ("reply", bob, alice, posts["2"].id),
        ("forward", alice, source, posts["3"].id),
    }
    media = of_type(records, Media)
    assert [(m.post_id, m.name, m.file is not None) for m in media] == [
        (posts["3"].id, "photos/p.jpg", True),
        (posts["4"].id, "(not exported) report.pdf", False),
    ]


def read_page(folder: Path, html: str) -> list[Record]:
    (folder / "messages.html").write_text(html, encoding="utf-8")
    return read(folder)


def test_channel_posts_are_the_channels(tmp_path: Path) -> None:
    html = page(
        "Daily News", default(1, text("a"), author="Daily News"), default(2, text("b"), author=None)
    )
    records = read_page(tmp_path, html)
    posts = of_type(records, Post)
    actors = of_type(records, Actor)
    assert len(actors) == 1
    assert actors[0].kind == "channel"
    assert {p.author_id for p in posts} == {p.chat_id for p in posts} == {actors[0].id}
    assert {p.kind for p in posts} == {"post"}


def test_bad_date_and_bad_markup_are_rejected(tmp_path: Path) -> None:
    html = page(
        "G",
        default(1, text("ok")),
        default(2, text("bad"), when="someday"),
        '<div class="message default clearfix" id="messageX"><div class="body"></div></div>',
        default(4, text("ok too"), when="01.05.2024 10:00:00"),
    )
    records = read_page(tmp_path, html)
    assert [p.text for p in of_type(records, Post)] == ["ok", "ok too"]
    rejects = of_type(records, Reject)
    assert [r.locator for r in rejects] == ["messages.html#message2", "messages.html#messageX"]
    assert "unreadable date 'someday'" in rejects[0].reason
    assert rejects[0].raw is not None
    assert "bad" in rejects[0].raw
    # No offset in the title: read in the zone given (UTC here), no offset shown.
    assert of_type(records, Post)[1].utc_offset_min is None
    assert any("show no UTC offset" in n.text for n in of_type(records, Note))


def test_truncated_page_keeps_what_was_read(tmp_path: Path) -> None:
    html = page("G", default(1, text("one")), default(2, text("two")), default(3, text("three")))
    records = read_page(tmp_path, html[: html.index("three") + 3])
    assert [p.text for p in of_type(records, Post)] == ["one", "two", "thr"]


def test_cp1252_page_is_decoded(tmp_path: Path) -> None:
    sentence = "Le café crème est très apprécié à Paris, près de la Seine, en été comme en hiver."
    html = page("Groupe", *(default(i, text(sentence)) for i in range(1, 30)))
    (tmp_path / "messages.html").write_bytes(html.encode("cp1252"))
    assert {p.text for p in of_type(read(tmp_path), Post)} == {sentence}


def test_broken_later_page_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "messages.html").write_text(page("G", default(1, text("one"))), encoding="utf-8")
    (tmp_path / "messages2.html").write_text("", encoding="utf-8")
    (tmp_path / "messages3.html").write_text("<p>nothing here</p>", encoding="utf-8")
    records = read(tmp_path)
    assert [p.text for p in of_type(records, Post)] == ["one"]
    assert [(r.locator, r.reason) for r in of_type(records, Reject)] == [
        ("messages2.html", "the page is empty; page skipped"),
        ("messages3.html", "not a Telegram Desktop chat page; skipped"),
    ]


@pytest.mark.parametrize(
    "content", [b"", b"   \n", b"<html><body><p>a news page</p></body></html>"]
)
def test_unreadable_first_page_raises(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "messages.html"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"telegram: messages\.html"):
        read(path)


def test_full_account_html_export(tmp_path: Path) -> None:
    (tmp_path / "export_results.html").write_text("<div class='page_wrap'></div>", encoding="utf-8")
    for number, name in ((1, "Alpha"), (2, "Beta")):
        folder = tmp_path / "chats" / f"chat_{number:03d}"
        (folder / "photos").mkdir(parents=True)
        (folder / "photos" / "x.jpg").write_bytes(b"jpg")
        photo = (
            '<div class="media_wrap clearfix"><a class="photo_wrap clearfix pull_left" '
            f'href="../../chats/chat_{number:03d}/photos/x.jpg"></a></div>'
        )
        (folder / "messages.html").write_text(page(name, default(1, photo)), encoding="utf-8")
    assert READER.sniff(tmp_path) == 90
    records = read(tmp_path)
    posts = of_type(records, Post)
    assert [p.provenance.locator for p in posts] == [
        "chats/chat_001/messages.html#message1",
        "chats/chat_002/messages.html#message1",
    ]
    assert posts[0].id != posts[1].id
    media = of_type(records, Media)
    assert [m.name for m in media] == ["chats/chat_001/photos/x.jpg", "chats/chat_002/photos/x.jpg"]
    assert all(m.file is not None for m in media)

"""WhatsApp reader: the fixtures' expected values, every header variant, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id
from veille.ingest.whatsapp.reader import WhatsAppReader
from veille.model import Actor, Interaction, Media, Note, Post, Record, Reject

LRM = "\u200e"


def read(path: Path, **options: object) -> list[Record]:
    return list(WhatsAppReader().read(path, ReadOptions(**options)))  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "chat.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def posts(records: list[Record]) -> list[Post]:
    return [record for record in records if isinstance(record, Post)]


def of_type(records: list[Record], kind: type) -> list:  # type: ignore[type-arg]
    return [record for record in records if isinstance(record, kind)]


def names(records: list[Record]) -> dict[str, str | None]:
    return {actor.id: actor.name for actor in of_type(records, Actor)}


def aid(name: str) -> str:
    return actor_id("whatsapp", name)


# The shared fixtures --------------------------------------------------------------------------


@pytest.fixture
def whatsapp_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "whatsapp"


def test_chat_miner_24h_expected_values(whatsapp_dir: Path) -> None:
    records = read(whatsapp_dir / "chat-miner-android-ddmmyy-24h.txt")
    found = posts(records)
    messages = [post for post in found if post.kind == "message"]
    # chat-miner counts 6: it drops the two system lines and the empty-bodied "John Doe:.".
    # We keep "John Doe:." (text "."): nothing the export holds is lost; system lines are
    # "service" posts.
    assert len(messages) == 7
    assert [post.kind for post in found].count("service") == 2
    assert found[0].posted_at == datetime(2019, 1, 1, 11, 25, tzinfo=UTC)
    assert found[0].text == "Lorem ipsum dolor sit amet."
    assert found[0].author_id == aid("John Doe")
    assert found[0].utc_offset_min is None
    assert found[1].text == "."
    last = found[-1]
    assert last.posted_at == datetime(2021, 12, 30, 22, 1, tzinfo=UTC)
    assert last.author_id == aid("John Doe")
    assert last.text == "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."
    authors = {names(records)[post.author_id] for post in messages if post.author_id}
    assert {"🤓", "John Doe 🤓", "John Doe", "Jahn Doe", "John-John Doe"} == authors
    assert "Lorem ipsum : dolor sit amet." in [post.text for post in messages]
    notes = [note.text for note in of_type(records, Note)]
    assert any("day-first" in note for note in notes)


def test_chat_miner_system_lines(whatsapp_dir: Path) -> None:
    records = read(whatsapp_dir / "chat-miner-android-ddmmyy-24h.txt")
    service = [post for post in posts(records) if post.kind == "service"]
    assert [post.text for post in service] == [
        '+12 345 578 created group "Groupname"',
        "You were added",
    ]
    assert service[0].author_id == aid("+12 345 578")
    assert service[1].author_id is None
    assert names(records)[aid("+12 345 578")] == "+12 345 578"


def test_both_chat_miner_formats_give_the_same_posts(whatsapp_dir: Path) -> None:
    day_first = read(whatsapp_dir / "chat-miner-android-ddmmyy-24h.txt")
    month_first_12h = read(whatsapp_dir / "chat-miner-android-es-12h.txt")

    def summary(records: list[Record]) -> list[tuple[object, ...]]:
        return [(p.posted_at, p.kind, p.author_id, p.text) for p in posts(records)]

    assert summary(day_first) == summary(month_first_12h)
    assert len(summary(day_first)) == 9
    # "00:08 a. m." is 00:08, and "12:10 p. m." noon.
    times = [post.posted_at for post in posts(month_first_12h)]
    assert datetime(2020, 6, 20, 0, 8, tzinfo=UTC) in times
    assert datetime(2021, 12, 20, 12, 10, tzinfo=UTC) in times
    notes = " ".join(note.text for note in of_type(month_first_12h, Note))
    assert "month-first" in notes


def test_ios_fixture(whatsapp_dir: Path) -> None:
    records = read(whatsapp_dir / "langchain-ios-en-us.txt")
    found = posts(records)
    assert len(found) == 12
    accounts = [a.name for a in of_type(records, Actor) if a.kind == "account"]
    assert accounts == ["Dr. Feather", "Jungle Jane"]
    notice = found[0]
    assert notice.kind == "service"
    assert notice.author_id is None
    assert notice.text.startswith("Messages and calls are end-to-end encrypted.")
    assert notice.posted_at == datetime(2023, 8, 15, 9, 12, 33, tzinfo=UTC)
    omitted = [post for post in found if post.extra.get("media_omitted")]
    assert [post.provenance.locator for post in omitted] == ["line 3", "line 5", "line 8"]
    assert all(
        post.text == "image omitted" and post.extra["media_type"] == "image" for post in omitted
    )
    media = of_type(records, Media)
    assert [m.post_id for m in media] == [post.id for post in omitted]
    assert all(m.name == "<media omitted>" and m.file is None for m in media)
    assert found[-1].posted_at == datetime(2023, 8, 15, 21, 25, 16, tzinfo=UTC)
    assert found[2].provenance.raw == f"{LRM}[8/15/23, 9:12:48 AM] Dr. Feather: {LRM}image omitted"


def test_ios_fixture_contacts_between_the_two_participants(whatsapp_dir: Path) -> None:
    records = read(whatsapp_dir / "langchain-ios-en-us.txt")
    contacts = [(e.source_actor_id, e.target_actor_id) for e in of_type(records, Interaction)]
    # One edge per author and day: both wrote on 15 August only.
    assert contacts == [
        (aid("Dr. Feather"), aid("Jungle Jane")),
        (aid("Jungle Jane"), aid("Dr. Feather")),
    ]


# Header variants -----------------------------------------------------------------------------

VARIANTS = [
    # Android en-GB, dd/mm/yy, 24 h
    ("30/01/19, 20:49 - Ann: hi", datetime(2019, 1, 30, 20, 49), "Ann", "hi"),
    # iOS en-US, seconds, AM/PM
    ("[8/15/23, 9:12:33 PM] Ann: hi", datetime(2023, 8, 15, 21, 12, 33), "Ann", "hi"),
    # de-style dots, bracketed, 24 h with seconds
    ("[25.05.23, 15:48:11] Ann: hi", datetime(2023, 5, 25, 15, 48, 11), "Ann", "hi"),
    # year-first
    ("[2023/5/4, 16:13:23] Ann: hi", datetime(2023, 5, 4, 16, 13, 23), "Ann", "hi"),
    # U+202F before PM (iOS 17)
    ("[1/24/21, 12:41:03\u202fPM] Ann: hi", datetime(2021, 1, 24, 12, 41, 3), "Ann", "hi"),
    # U+00A0 inside "p. m." (Android es)
    ("01/30/2019, 08:49\u00a0p.\u00a0m. - Ann: hi", datetime(2019, 1, 30, 20, 49), "Ann", "hi"),
    # lower-case am, no seconds, Android
    ("7/20/22, 11:32 am - Ann: hi", datetime(2022, 7, 20, 11, 32), "Ann", "hi"),
    # 12 AM is midnight
    ("7/20/22, 12:05 AM - Ann: hi", datetime(2022, 7, 20, 0, 5), "Ann", "hi"),
    # dashes as date separators, four-digit year, no comma
    ("20-07-2022 11:32 - Ann: hi", datetime(2022, 7, 20, 11, 32), "Ann", "hi"),
    # unsaved contact: "~ " and a narrow no-break space
    (
        "[1/24/21, 12:41:03 PM] ~\u202fUser name 2: Of course!",
        datetime(2021, 1, 24, 12, 41, 3),
        "User name 2",
        "Of course!",
    ),
    # phone number as the name, bidi embedding marks
    (
        "30/01/19, 20:49 - \u202a+33 6 12 34 56 78\u202c: allo",
        datetime(2019, 1, 30, 20, 49),
        "+33 6 12 34 56 78",
        "allo",
    ),
]


@pytest.mark.parametrize(("line", "local", "author", "text"), VARIANTS)
def test_header_variants(
    tmp_path: Path, line: str, local: datetime, author: str, text: str
) -> None:
    records = read(write(tmp_path, line + "\n"))
    (post,) = posts(records)
    assert post.posted_at == local.replace(tzinfo=UTC)
    assert post.author_id == aid(author)
    assert names(records)[post.author_id] == author
    assert post.text == text
    assert post.provenance.locator == "line 1"
    assert post.provenance.raw == line


def test_year_first_dates_are_noted(tmp_path: Path) -> None:
    records = read(write(tmp_path, "[2023/5/4, 16:13:23] Ann: hi\n"))
    assert any("year-first" in note.text for note in of_type(records, Note))


def test_media_omitted_deleted_and_edited(tmp_path: Path) -> None:
    chat = (
        "4/20/23, 9:42 am - User 3: <Media omitted>\n"
        "6/29/23, 12:16 am - User 4: This message was deleted\n"
        f"[6/29/23, 12:17:00 AM] User 4: {LRM}You deleted this message.\n"
        f"[6/29/23, 12:18:00 AM] User 4: fixed typo {LRM}<This message was edited>\n"
        f"[6/29/23, 12:19:00 AM] User 4: Report.pdf • 3 pages {LRM}document omitted\n"
    )
    records = read(write(tmp_path, chat))
    omitted, deleted, deleted_ios, edited, document = posts(records)
    assert omitted.extra == {"media_omitted": True}
    assert deleted.extra == {"deleted": True}
    assert deleted.text == "This message was deleted"
    assert deleted_ios.extra == {"deleted": True}
    assert edited.extra == {"edited": True}
    assert edited.text == "fixed typo"
    assert document.extra == {"media_omitted": True, "media_type": "document"}
    media = of_type(records, Media)
    assert [m.post_id for m in media] == [omitted.id, document.id]
    assert all(m.file is None for m in media)
    assert any("2 attachments: 2 left out" in note.text for note in of_type(records, Note))


def test_multiline_messages_keep_their_newlines_and_raw(tmp_path: Path) -> None:
    chat = "30/01/19, 20:49 - Ann: first\n\nthird line\n31/01/19, 08:00 - Bob: next\n"
    records = read(write(tmp_path, chat))
    first, second = posts(records)
    assert first.text == "first\n\nthird line"
    assert first.provenance.raw == "30/01/19, 20:49 - Ann: first\n\nthird line"
    assert second.provenance.locator == "line 4"


def test_lines_before_the_first_header_are_rejected(tmp_path: Path) -> None:
    chat = "Chat export of the Foo group\nsecond line\n30/01/19, 20:49 - Ann: hi\n"
    records = read(write(tmp_path, chat))
    (reject,) = of_type(records, Reject)
    assert reject.locator == "lines 1-2"
    assert reject.raw == "Chat export of the Foo group\nsecond line"
    assert "before the first message header" in reject.reason
    assert len(posts(records)) == 1


def test_impossible_date_quarantines_the_message(tmp_path: Path) -> None:
    chat = (
        "30/01/19, 20:49 - Ann: hi\n"
        "31/02/19, 10:00 - Ann: no such day\nmore\n"
        "01/03/19, 10:00 - Bob: ok\n"
    )
    records = read(write(tmp_path, chat))
    (reject,) = of_type(records, Reject)
    assert reject.locator == "line 2"
    assert "impossible date '31/02/19'" in reject.reason
    assert "line 2" in reject.reason
    assert reject.raw == "31/02/19, 10:00 - Ann: no such day\nmore"
    assert [post.text for post in posts(records)] == ["hi", "ok"]


def test_impossible_time_quarantines_the_message(tmp_path: Path) -> None:
    records = read(write(tmp_path, "30/01/19, 20:49 - Ann: hi\n30/01/19, 25:49 - Ann: late\n"))
    (reject,) = of_type(records, Reject)
    assert "impossible time" in reject.reason
    assert len(posts(records)) == 1


def test_identical_messages_stay_two_posts_with_stable_ids(tmp_path: Path) -> None:
    chat = "30/01/19, 20:49 - Ann: ok\n30/01/19, 20:49 - Ann: ok\n30/01/19, 20:49 - Bob: ok\n"
    path = write(tmp_path, chat)
    first = [post.id for post in posts(read(path))]
    assert len(set(first)) == 3
    assert first == [post.id for post in posts(read(path))]


def test_post_ids_do_not_depend_on_the_zone(tmp_path: Path) -> None:
    path = write(tmp_path, "30/01/19, 20:49 - Ann: ok\n")
    utc = posts(read(path))[0]
    paris = posts(read(path, zone=ZoneInfo("Europe/Paris")))[0]
    assert utc.id == paris.id
    assert paris.posted_at == datetime(2019, 1, 30, 19, 49, tzinfo=UTC)
    assert paris.utc_offset_min is None


def test_zone_across_a_daylight_saving_change(tmp_path: Path) -> None:
    chat = (
        "26/03/23, 01:30 - Ann: winter\n26/03/23, 03:30 - Ann: summer\n27/03/23, 12:00 - Ann: x\n"
    )
    times = [
        post.posted_at for post in posts(read(write(tmp_path, chat), zone=ZoneInfo("Europe/Paris")))
    ]
    assert times == [
        datetime(2023, 3, 26, 0, 30, tzinfo=UTC),
        datetime(2023, 3, 26, 1, 30, tzinfo=UTC),
        datetime(2023, 3, 27, 10, 0, tzinfo=UTC),
    ]


def test_ambiguous_dates_follow_chronology_or_the_forced_order(tmp_path: Path) -> None:
    # Every date fits both orders; read day-first they run 1 Feb, 2 Feb, 3 Feb in order.
    chat = "01/02/20, 10:00 - Ann: a\n02/02/20, 10:00 - Ann: b\n03/02/20, 10:00 - Ann: c\n"
    path = write(tmp_path, chat)
    assert posts(read(path))[1].posted_at == datetime(2020, 2, 2, 10, 0, tzinfo=UTC)
    forced = posts(read(path, date_order="month"))
    assert forced[1].posted_at == datetime(2020, 2, 2, 10, 0, tzinfo=UTC)
    assert forced[0].posted_at == datetime(2020, 1, 2, 10, 0, tzinfo=UTC)


def test_ios_group_system_lines_are_service_posts(tmp_path: Path) -> None:
    chat = (
        f"[1/2/24, 10:00:00 AM] Birds: {LRM}Messages and calls are end-to-end encrypted. No one.\n"
        f"[1/2/24, 10:00:01 AM] Birds: {LRM}Ann created group “Birds”\n"
        f"[1/2/24, 10:00:02 AM] Birds: {LRM}You added Bob\n"
        "[1/2/24, 10:01:00 AM] Ann: Ann added Bob, says Ann\n"
    )
    found = posts(read(write(tmp_path, chat)))
    assert [post.kind for post in found] == ["service", "service", "service", "message"]
    assert [post.author_id for post in found] == [None, aid("Ann"), None, aid("Ann")]
    assert found[1].text == "Ann created group “Birds”"


def test_colon_in_a_system_line_is_not_an_author(tmp_path: Path) -> None:
    chat = (
        '30/01/19, 20:49 - Ann changed the subject from "a" to "Plan: B"\n'
        "30/01/19, 20:50 - Ann: ok\n"
    )
    service, message = posts(read(write(tmp_path, chat)))
    assert service.kind == "service"
    assert service.author_id == aid("Ann")
    assert message.kind == "message"


def test_mentions_resolve_to_participants(tmp_path: Path) -> None:
    chat = (
        "30/01/19, 20:49 - Ann Lee: hello @\u2068Bob\u2069 and @33612345678 and @Nobody\n"
        "30/01/19, 20:50 - Bob: @Ann Lee, yes; mail me at bob@ann.org\n"
        "30/01/19, 20:51 - +33 6 12 34 56 78: hi\n"
    )
    records = read(write(tmp_path, chat))
    mentions = [
        (e.source_actor_id, e.target_actor_id, e.post_id)
        for e in of_type(records, Interaction)
        if e.kind == "mention"
    ]
    first, second, _ = posts(records)
    assert mentions == [
        (aid("Ann Lee"), aid("Bob"), first.id),
        (aid("Ann Lee"), aid("+33 6 12 34 56 78"), first.id),
        (aid("Bob"), aid("Ann Lee"), second.id),
    ]
    assert all(
        e.occurred_at == first.posted_at
        for e in of_type(records, Interaction)
        if e.post_id == first.id
    )


def test_contact_rule_window_and_first_message_of_the_day(tmp_path: Path) -> None:
    chat = (
        "01/01/20, 10:00 - Ann: a\n"
        "01/01/20, 10:05 - Ann: again, same day: no new edges\n"
        "15/01/20, 10:00 - Bob: b\n"
        "01/06/20, 10:00 - Cid: c, months later\n"
        "02/06/20, 10:00 - Bob: d\n"
    )
    records = read(write(tmp_path, chat))
    first, _, bob, cid, bob_june = posts(records)
    edges = [
        (e.source_actor_id, e.target_actor_id, e.post_id) for e in of_type(records, Interaction)
    ]
    assert edges == [
        (aid("Ann"), aid("Bob"), first.id),
        (aid("Bob"), aid("Ann"), bob.id),
        (aid("Cid"), aid("Bob"), cid.id),
        (aid("Bob"), aid("Cid"), bob_june.id),
    ]
    assert all(e.kind == "contact" for e in of_type(records, Interaction))


def test_two_participants_are_in_contact_whatever_the_gap(tmp_path: Path) -> None:
    chat = "01/01/20, 10:00 - Ann: a\n01/06/20, 10:00 - Bob: b\n"
    edges = of_type(read(write(tmp_path, chat)), Interaction)
    assert [(e.source_actor_id, e.target_actor_id) for e in edges] == [
        (aid("Ann"), aid("Bob")),
        (aid("Bob"), aid("Ann")),
    ]


def test_each_actor_is_yielded_once(tmp_path: Path) -> None:
    chat = "01/01/20, 10:00 - Ann: a\n01/01/20, 10:01 - ann: b\n01/01/20, 10:02 - Ann added Bob\n"
    actors = of_type(read(write(tmp_path, chat)), Actor)
    ids = [actor.id for actor in actors]
    assert len(ids) == len(set(ids)) == 2  # the chat and Ann (names are case-insensitive)


# Export folders and attachments --------------------------------------------------------------


def test_ios_zip_export_folder_with_attachments(tmp_path: Path) -> None:
    folder = tmp_path / "WhatsApp Chat - Birds"
    folder.mkdir()
    (folder / "00000012-PHOTO-2023-08-15-09-12-48.jpg").write_bytes(b"\xff\xd8jpeg")
    write(
        folder,
        f"[8/15/23, 9:12:48 AM] Ann: {LRM}<attached: 00000012-PHOTO-2023-08-15-09-12-48.jpg>\n"
        f"[8/15/23, 9:13:00 AM] Ann: {LRM}<attached: 00000013-AUDIO-2023-08-15-09-13-00.opus>\n"
        f"[8/15/23, 9:14:00 AM] Ann: {LRM}<attached: ../../etc/passwd>\n",
        name="_chat.txt",
    )
    assert WhatsAppReader().sniff(folder) == 90
    records = read(folder)
    chat = next(a for a in of_type(records, Actor) if a.kind == "group")
    assert chat.name == "Birds"
    assert chat.id == aid("chat:Birds")
    photo, audio, hostile = of_type(records, Media)
    assert photo.file == (folder / "00000012-PHOTO-2023-08-15-09-12-48.jpg").resolve()
    assert photo.file.is_absolute()
    assert photo.mime == "image/jpeg"
    assert audio.file is None
    assert audio.mime == "audio/ogg"
    assert hostile.file is None
    assert all(post.provenance.file == "_chat.txt" for post in posts(records))
    assert all(post.chat_id == chat.id for post in posts(records))
    assert any(
        "3 attachments: 0 left out of the export, 2 named but not found" in n.text
        for n in of_type(records, Note)
    )


def test_android_zip_export_folder_picks_the_chat_among_txt_files(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "IMG-20230815-WA0001.jpg").write_bytes(b"jpeg")
    (folder / "notes.txt").write_text("a shared document, not the chat\n", encoding="utf-8")
    write(
        folder,
        "15/08/23, 09:12 - Ann: IMG-20230815-WA0001.jpg (file attached)\nlook at this\n",
        name="WhatsApp Chat with Bob Smith.txt",
    )
    records = read(folder)
    chat = next(a for a in of_type(records, Actor) if a.kind == "group")
    assert chat.name == "Bob Smith"
    (post,) = posts(records)
    assert post.text == "IMG-20230815-WA0001.jpg (file attached)\nlook at this"
    (media,) = of_type(records, Media)
    assert media.name == "IMG-20230815-WA0001.jpg"
    assert media.file == (folder / "IMG-20230815-WA0001.jpg").resolve()


def test_folder_without_a_single_chat_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("30/01/19, 20:49 - Ann: hi\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("30/01/19, 20:49 - Bob: hi\n", encoding="utf-8")
    assert WhatsAppReader().sniff(tmp_path) == 0
    with pytest.raises(InputError, match="no single chat"):
        read(tmp_path)


# Encodings and bad files ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_and_utf16_files(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "30/01/19, 20:49 - Zoé: ça va\n", encoding=encoding)
    assert WhatsAppReader().sniff(path) == 90
    (post,) = posts(read(path))
    assert post.text == "ça va"
    assert post.author_id == aid("Zoé")


def test_undecodable_bytes_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    good = "30/01/19, 20:49 - Zoé: ça va\n" * 50
    path.write_bytes(good.encode() + b"30/01/19, 20:50 - Ann: \xff\xfe!\n")
    records = read(path)
    assert posts(records)[-1].text == "\ufffd\ufffd!"
    assert any("2 bytes did not decode as utf-8" in note.text for note in of_type(records, Note))


def test_windows_1252_file(tmp_path: Path) -> None:
    text = "30/01/19, 20:49 - Jürgen: Grüße aus München, schöne Straße\r\n" * 20
    records = read(write(tmp_path, text, encoding="cp1252"))
    assert posts(records)[0].text == "Grüße aus München, schöne Straße"
    assert posts(records)[0].author_id == aid("Jürgen")
    assert any("decoded as cp1252" in note.text for note in of_type(records, Note))


def test_windows_1252_french_file(tmp_path: Path) -> None:
    text = "30/01/19, 20:49 - Zoé: déjà vu à l'été\r\n" * 20
    records = read(write(tmp_path, text, encoding="cp1252"))
    assert posts(records)[0].text == "déjà vu à l'été"


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read(write(tmp_path, ""))


def test_not_a_chat_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "id,text\n1,hello\n")
    assert WhatsAppReader().sniff(path) == 0
    with pytest.raises(InputError, match="no line starts like a WhatsApp message"):
        read(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        read(tmp_path / "absent.txt")


def test_truncated_file_keeps_what_came_before_the_cut(tmp_path: Path) -> None:
    full = "30/01/19, 20:49 - Ann: one\n30/01/19, 20:50 - Bob: two\n30/01/19, 20:51 - Ann: three"
    path = tmp_path / "chat.txt"
    path.write_bytes(full.encode()[: full.index(" - Ann: three")])
    records = read(path)
    assert [post.text for post in posts(records)] == ["one", "two"]
    (reject,) = of_type(records, Reject)
    assert reject.locator == "line 3"
    assert reject.raw == "30/01/19, 20:51"
    assert "ends inside a message header" in reject.reason
    # Cut inside a message's text, the cut cannot be seen: the message keeps what is left.
    path.write_bytes(full.encode()[:-2])
    records = read(path)
    assert [post.text for post in posts(records)] == ["one", "two", "thr"]
    assert not of_type(records, Reject)


def test_a_last_line_of_numbers_that_ends_with_a_newline_is_text(tmp_path: Path) -> None:
    (post,) = posts(read(write(tmp_path, "30/01/19, 20:49 - Ann: the code is\n12/34\n")))
    assert post.text == "the code is\n12/34"


def test_sniff(tmp_path: Path) -> None:
    reader = WhatsAppReader()
    assert (
        reader.sniff(write(tmp_path, f"\ufeff{LRM}[8/15/23, 9:12:33 AM] Ann: hi\n", "a.txt")) == 90
    )
    assert reader.sniff(write(tmp_path, "\n\n30/01/19, 20:49 - Ann: hi\n", "b.txt")) == 90
    assert reader.sniff(write(tmp_path, "30/01/19, 20:49 - Ann: hi\n", "c.csv")) == 0
    assert reader.sniff(write(tmp_path, "hello\n30/01/19, 20:49 - Ann: hi\n", "d.txt")) == 0
    assert reader.sniff(write(tmp_path, "", "e.txt")) == 0
    assert reader.sniff(tmp_path / "absent.txt") == 0


def test_a_banner_line_before_the_first_header_still_sniffs_as_a_chat(tmp_path: Path) -> None:
    chat = tmp_path / "WhatsApp Chat with Team.txt"
    chat.write_text(
        "--- chat history restored from backup ---\n"
        "31/08/2016, 22:02 - Abu A: salam\n"
        "31/08/2016, 22:03 - Abu B: salam\n",
        encoding="utf-8",
    )
    assert WhatsAppReader().sniff(chat) == 90
    records = list(WhatsAppReader().read(chat, ReadOptions()))
    assert [r.locator for r in records if isinstance(r, Reject)] == ["line 1"]


def test_text_export_and_zip_export_of_one_chat_give_the_same_posts(tmp_path: Path) -> None:
    header = "\u200e[9/3/16, 3:26:31 PM] Abu Ilyas: \u200e"
    text_only = tmp_path / "WhatsApp Chat - Brothers.txt"
    text_only.write_text(header + "image omitted\n", encoding="utf-8")
    folder = tmp_path / "WhatsApp Chat - Brothers"
    folder.mkdir()
    (folder / "_chat.txt").write_text(
        header + "<attached: 00000021-PHOTO-2016-09-03-15-26-31.jpg>\n", encoding="utf-8"
    )
    (folder / "00000021-PHOTO-2016-09-03-15-26-31.jpg").write_bytes(b"\xff\xd8\xff")

    def post_ids(path: Path) -> list[str]:
        return [r.id for r in WhatsAppReader().read(path, ReadOptions()) if isinstance(r, Post)]

    assert post_ids(text_only) == post_ids(folder)

"""WhatsApp headers as phones in many locales write them, and how a chat's date order is chosen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id
from veille.ingest.whatsapp.header_dates import buddhist_era, chronology_tie
from veille.ingest.whatsapp.reader import WhatsAppReader
from veille.model import Note, Post, Record, Reject

RLM, LRM, ALM = "\u200f", "\u200e", "\u061c"


def read(path: Path, **options: object) -> list[Record]:
    return list(WhatsAppReader().read(path, ReadOptions(**options)))  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "chat.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def posts(records: list[Record]) -> list[Post]:
    return [record for record in records if isinstance(record, Post)]


def notes(records: list[Record]) -> str:
    return "\n".join(record.text for record in records if isinstance(record, Note))


def rejects(records: list[Record]) -> list[Reject]:
    return [record for record in records if isinstance(record, Reject)]


# One line per locale and platform, as the phone writes it, with its local time and author.
LOCALES = [
    # Arabic Android: Arabic-Indic digits, RLM after each date part, Arabic comma, م = PM
    (
        f"٢٥{RLM}/٣{RLM}/٢٠٢٢، ١٠:٣٠ م - أحمد: مرحبا",
        datetime(2022, 3, 25, 22, 30),
        "أحمد",
        "مرحبا",
    ),
    # Arabic iOS: RLM before the bracket and inside the date, seconds, ص = AM
    (
        f"{RLM}[٢٥{RLM}/٠٣{RLM}/٢٠٢٢، ٩:٠٥:٤١ ص] سارة: صباح الخير",
        datetime(2022, 3, 25, 9, 5, 41),
        "سارة",
        "صباح الخير",
    ),
    # Arabic with ASCII digits, the Arabic letter mark and an LRM before the dash
    (
        f"25{ALM}/03{ALM}/2022، 22:30 {LRM}- Ali: salam",
        datetime(2022, 3, 25, 22, 30),
        "Ali",
        "salam",
    ),
    # Thai iOS: Buddhist-era year, no comma, 24 h
    ("[25/3/2565 14:30:05] สมชาย: สวัสดีครับ", datetime(2022, 3, 25, 14, 30, 5), "สมชาย", "สวัสดีครับ"),
    # Thai Android: two-digit Buddhist-era year
    ("25/3/65 14:30 - สมชาย: สวัสดีครับ", datetime(2022, 3, 25, 14, 30), "สมชาย", "สวัสดีครับ"),
    # French Android (newer): "à" before the time
    ("25/03/2022 à 14:30 - Jean: Bonjour", datetime(2022, 3, 25, 14, 30), "Jean", "Bonjour"),
    # French Android (older) and iOS
    ("25/03/2022, 14:30 - Jean: Bonjour", datetime(2022, 3, 25, 14, 30), "Jean", "Bonjour"),
    ("[25/03/2022 14:30:05] Jean: Bonjour", datetime(2022, 3, 25, 14, 30, 5), "Jean", "Bonjour"),
    # German Android and iOS: dots, two-digit year
    ("25.03.22, 14:30 - Jürgen: Hallo", datetime(2022, 3, 25, 14, 30), "Jürgen", "Hallo"),
    ("[25.03.22, 14:30:05] Jürgen: Hallo", datetime(2022, 3, 25, 14, 30, 5), "Jürgen", "Hallo"),
    # Spanish Android, 12 h with "p. m." and no-break spaces
    ("25/3/22, 2:30\u00a0p.\u00a0m. - Lucía: Hola", datetime(2022, 3, 25, 14, 30), "Lucía", "Hola"),
    # Portuguese (Brazil) Android: no comma
    ("25/03/2022 14:30 - João: Olá", datetime(2022, 3, 25, 14, 30), "João", "Olá"),
    # Russian Android
    ("25.03.2022, 14:30 - Иван: Привет", datetime(2022, 3, 25, 14, 30), "Иван", "Привет"),
    # English (US) Android and iOS 17 (U+202F before PM)
    ("3/25/22, 2:30 PM - Ann: hi", datetime(2022, 3, 25, 14, 30), "Ann", "hi"),
    ("[3/25/22, 2:30:05\u202fPM] Ann: hi", datetime(2022, 3, 25, 14, 30, 5), "Ann", "hi"),
    # English (UK) Android, 24 h
    ("25/03/2022, 14:30 - Ann: hi", datetime(2022, 3, 25, 14, 30), "Ann", "hi"),
    # Finnish iOS: "klo" and dotted time
    ("[25.3.2022 klo 14.30.05] Matti: Moi", datetime(2022, 3, 25, 14, 30, 5), "Matti", "Moi"),
    # iOS with a BOM right after the bracket
    ("[\ufeff3/25/22, 2:30:05 PM] Ann: hi", datetime(2022, 3, 25, 14, 30, 5), "Ann", "hi"),
]


@pytest.mark.parametrize(("line", "local", "author", "text"), LOCALES)
def test_locale_headers(tmp_path: Path, line: str, local: datetime, author: str, text: str) -> None:
    records = read(write(tmp_path, line + "\n"))
    assert not rejects(records)
    (post,) = posts(records)
    assert post.posted_at == local.replace(tzinfo=UTC)
    assert post.author_id == actor_id("whatsapp", author)
    assert post.text == text
    assert post.provenance.raw == line


def test_arabic_chat_is_read_whole(tmp_path: Path) -> None:
    chat = (
        f"٢٥{RLM}/٣{RLM}/٢٠٢٢، ١٠:٣٠ م - أحمد: مرحبا\n"
        "سطر ثان\n"
        f"٢٦{RLM}/٣{RLM}/٢٠٢٢، ٨:٠٠ ص - سارة: أهلا\n"
    )
    found = posts(read(write(tmp_path, chat)))
    assert [post.text for post in found] == ["مرحبا\nسطر ثان", "أهلا"]
    assert found[1].posted_at == datetime(2022, 3, 26, 8, 0, tzinfo=UTC)


def test_bom_after_the_bracket_starts_a_message(tmp_path: Path) -> None:
    # Without U+FEFF in the grammar, the second message was glued to the first.
    chat = "[3/25/22, 2:30:05 PM] Ann: one\n[\ufeff3/25/22, 2:31:00 PM] Bob: two\n"
    found = posts(read(write(tmp_path, chat)))
    assert [(post.text, post.author_id) for post in found] == [
        ("one", actor_id("whatsapp", "Ann")),
        ("two", actor_id("whatsapp", "Bob")),
    ]


def test_buddhist_era_is_noted_and_ids_use_the_gregorian_date(tmp_path: Path) -> None:
    thai = read(write(tmp_path, "[25/3/2565 14:30:05] สมชาย: hi\n", "a.txt"))
    gregorian = read(write(tmp_path, "[25/3/2022 14:30:05] สมชาย: hi\n", "a2.txt"))
    assert "Buddhist-era" in notes(thai)
    assert "Buddhist-era" not in notes(gregorian)
    assert posts(thai)[0].posted_at == posts(gregorian)[0].posted_at


def test_buddhist_era_rule() -> None:
    assert buddhist_era(["2565"], this_year=2026)
    assert buddhist_era(["65", "66"], this_year=2026)
    assert not buddhist_era(["2022", "2565"], this_year=2026)  # one plausible Gregorian year
    assert not buddhist_era(["70"], this_year=2026)  # 1970: a phone with a reset clock
    assert not buddhist_era(["22"], this_year=2026)
    assert not buddhist_era(["9999"], this_year=2026)  # read Buddhist-era, still the future
    assert not buddhist_era([], this_year=2026)


# Date order: evidence when every date fits both orders ------------------------------------------


def test_chronology_tie() -> None:
    # 1, 2, 3 February read day-first; 2 January, 2 February, 2 March month-first: both in order.
    assert chronology_tie([(1, 2, 20), (2, 2, 20), (3, 2, 20)])
    assert not chronology_tie([(12, 2, 20), (1, 3, 20)])


AMBIGUOUS = "01/02/2020, 10:00 - Ann: a\n02/02/2020, 10:00 - Bob: b\n03/02/2020, 10:00 - Ann: c\n"


def test_all_ambiguous_with_no_evidence_stays_month_first_and_says_so(tmp_path: Path) -> None:
    records = read(write(tmp_path, AMBIGUOUS))
    assert posts(records)[0].posted_at == datetime(2020, 1, 2, 10, 0, tzinfo=UTC)
    assert "assumed (override with --date-order day)" in notes(records)


@pytest.mark.parametrize(
    ("system_line", "language"),
    [
        ("01/02/2020, 09:00 - Ann a créé le groupe « Voisins »", "French"),
        ("01/02/2020, 09:00 - Los mensajes y las llamadas están cifrados de extremo a extremo.",
         "Spanish"),
        ("01/02/2020, 09:00 - Ann hat die Gruppe „Nachbarn“ erstellt", "German"),
        ("01/02/2020, 09:00 - Bob: <Mídia oculta>", "Portuguese"),
    ],
)  # fmt: skip
def test_system_lines_in_a_day_first_language_decide(
    tmp_path: Path, system_line: str, language: str
) -> None:
    records = read(write(tmp_path, system_line + "\n" + AMBIGUOUS))
    assert posts(records)[-1].posted_at == datetime(2020, 2, 3, 10, 0, tzinfo=UTC)
    said = notes(records)
    assert "day-first (D/M/Y), every value fits both orders" in said
    assert language in said
    assert "--date-order month" in said


def test_english_encryption_notice_is_no_evidence(tmp_path: Path) -> None:
    notice = "01/02/2020, 09:00 - Messages and calls are end-to-end encrypted.\n"
    records = read(write(tmp_path, notice + AMBIGUOUS))
    assert posts(records)[1].posted_at == datetime(2020, 1, 2, 10, 0, tzinfo=UTC)


def test_a_date_written_out_in_a_message_decides(tmp_path: Path) -> None:
    chat = AMBIGUOUS + "03/02/2020, 11:00 - Ann: see you on 3 February 2020 at noon\n"
    records = read(write(tmp_path, chat))
    assert posts(records)[0].posted_at == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)
    assert "written out" in notes(records)
    # The same words under month-first headers point the other way.
    us = "2/1/2020, 10:00 AM - Ann: a\n2/2/2020, 10:00 AM - Bob: b\n"
    us += "2/3/2020, 11:00 AM - Ann: see you on February 3, 2020 at noon\n"
    records = read(write(tmp_path, us, "us.txt"))
    assert posts(records)[0].posted_at == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)
    assert "month-first (M/D/Y), every value fits both orders" in notes(records)


def test_a_weekday_beside_a_numeric_date_decides(tmp_path: Path) -> None:
    # 5 April 2020 was a Sunday; 4 May 2020 a Monday.
    chat = AMBIGUOUS + "03/02/2020, 11:00 - Ann: the meeting is Sunday 05/04/2020\n"
    records = read(write(tmp_path, chat))
    assert posts(records)[0].posted_at == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)


def test_an_unambiguous_date_in_a_message_text_decides(tmp_path: Path) -> None:
    chat = AMBIGUOUS + "03/02/2020, 11:00 - Ann: the invoice of 25/01/2020 is paid\n"
    records = read(write(tmp_path, chat))
    assert posts(records)[0].posted_at == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)
    assert "in message texts" in notes(records)


def test_dots_as_separators_mean_day_first(tmp_path: Path) -> None:
    chat = AMBIGUOUS.replace("/", ".")
    records = read(write(tmp_path, chat))
    assert posts(records)[0].posted_at == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)
    assert "dots" in notes(records)


def test_a_later_unambiguous_header_anywhere_decides(tmp_path: Path) -> None:
    chat = AMBIGUOUS + "".join(f"0{n}/03/2020, 10:00 - Ann: x\n" for n in range(1, 10))
    chat += "25/03/2020, 10:00 - Bob: the last one\n"
    records = read(write(tmp_path, chat))
    assert posts(records)[0].posted_at == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)
    assert "1 value only fits that order" in notes(records)


def test_forced_order_wins_over_the_evidence(tmp_path: Path) -> None:
    chat = "01/02/2020, 09:00 - Ann a créé le groupe « Voisins »\n" + AMBIGUOUS
    records = read(write(tmp_path, chat), date_order="month")
    assert posts(records)[1].posted_at == datetime(2020, 1, 2, 10, 0, tzinfo=UTC)
    assert "as asked with --date-order" in notes(records)


def test_evidence_of_chronology_is_not_overridden(tmp_path: Path) -> None:
    # 12 February then 1 March keeps time order only day-first; French words are not needed.
    chat = "12/02/2020, 10:00 - Ann: a\n01/03/2020, 10:00 - Bob: b\n"
    records = read(write(tmp_path, chat))
    assert "day-first keeps the rows in time order" in notes(records)

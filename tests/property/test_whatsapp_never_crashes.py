"""The WhatsApp reader never crashes: any bytes give records (Rejects allowed) or an InputError."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.property.reader_settings import RECORD_TYPES, SETTINGS
from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.whatsapp.reader import WhatsAppReader
from veille.model import Post, Reject

FIXTURES = (
    "chat-miner-android-ddmmyy-24h.txt",
    "chat-miner-android-es-12h.txt",
    "langchain-ios-en-us.txt",
)
# Lines in every variant the grammar knows, to build chats hypothesis can shuffle and break.
LINES = (
    "30/01/19, 20:49 - John Doe: Lorem ipsum",
    "[8/15/23, 9:12:33\u202fPM] ~\u202fAnn: \u200eimage omitted",
    "\u200e[25.05.23, 15:48:11] Bob: \u200e<attached: 00000012-PHOTO-2023-08-15.jpg>",
    "[2023/5/4, 16:13:23] Birds: \u200eAnn added Bob",
    "01/30/2019, 08:49 p.\u00a0m. - +33 6 12 34 56 78: @\u2068Ann\u2069 @Bob hi",
    "31/02/19, 25:61 - Ann: impossible",
    "01/01/0001, 00:30 - Ann: the first day",
    "[9999/12/31, 23:59:59] Bob: the last second",
    "7/20/22, 12:05 AM - You were added",
    "IMG-20230815-WA0001.jpg (file attached)",
    "4/20/23, 9:42 am - User 3: <Media omitted>",
    "\u200f[\u0662\u0665\u200f/\u0663\u200f/\u0662\u0660\u0662\u0662\u060c "
    "\u0669:\u0660\u0665 \u0645] A: x",
    "[25/3/2565 14:30:05] B: \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35",
    "[\ufeff3/25/22, 2:30:05 PM] Ann: hi",
    "01/02/2020, 09:00 - Ann a cr\u00e9\u00e9 le groupe",
    "25.03.22 \u00e0 14:30 - " + "N" * 150 + ": long name",
    "continuation line: with a colon",
    "",
)


def read_all(path: Path, zone: str = "UTC") -> None:
    reader = WhatsAppReader()
    assert 0 <= reader.sniff(path) <= 100
    try:
        records = list(reader.read(path, ReadOptions(zone=ZoneInfo(zone))))
    except InputError:
        return
    assert all(isinstance(record, RECORD_TYPES) for record in records)
    assert any(isinstance(record, Post | Reject) for record in records)


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(data)
    read_all(path)


@SETTINGS
@given(
    lines=st.lists(st.sampled_from(LINES), max_size=30),
    newline=st.sampled_from(["\n", "\r\n"]),
    zone=st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris"]),
)
def test_shuffled_grammar_lines(tmp_path: Path, lines: list[str], newline: str, zone: str) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(newline.join(lines).encode())
    read_all(path, zone)


@pytest.mark.parametrize("name", FIXTURES)
@SETTINGS
@given(data=st.data())
def test_mangled_fixtures(
    fixtures_dir: Path, tmp_path: Path, name: str, data: st.DataObject
) -> None:
    original = (fixtures_dir / "whatsapp" / name).read_bytes()
    cut = data.draw(st.integers(0, len(original)), label="cut")
    mangled = bytearray(original[:cut])
    for _ in range(data.draw(st.integers(0, 8), label="replacements")):
        if mangled:
            where = data.draw(st.integers(0, len(mangled) - 1), label="where")
            mangled[where] = data.draw(st.integers(0, 255), label="byte")
    path = tmp_path / "chat.txt"
    path.write_bytes(bytes(mangled))
    read_all(path)


@SETTINGS
@given(data=st.binary(max_size=500), name=st.sampled_from(["_chat.txt", "notes.txt"]))
def test_export_folders(tmp_path: Path, data: bytes, name: str) -> None:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    read_all_folder(folder)


def read_all_folder(folder: Path) -> None:
    reader = WhatsAppReader()
    assert reader.sniff(folder) in (0, 90)
    try:
        records = list(reader.read(folder, ReadOptions()))
    except InputError:
        return
    assert all(isinstance(record, RECORD_TYPES) for record in records)

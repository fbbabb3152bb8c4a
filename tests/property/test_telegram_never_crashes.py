"""The Telegram reader never crashes: any bytes give records (Rejects allowed) or an InputError."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.property.reader_settings import RECORD_TYPES, SETTINGS
from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.telegram.reader import TelegramReader

FIXTURES = (
    "langchain-personal-chat-result.json",
    "langchain-personal-chat-messages.html",
    "tg2md-test-channel-result.json",
)
# JSON values of the shapes an export has, and of shapes it should not have.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "id",
        "type",
        "date",
        "date_unixtime",
        "from",
        "from_id",
        "actor_id",
        "text",
        "text_entities",
        "reply_to_message_id",
        "reply_to_peer_id",
        "forwarded_from",
        "forwarded_from_id",
        "photo",
        "file",
        "thumbnail",
        "edited",
        "reactions",
        "members",
    ]
)
MESSAGES = st.lists(st.dictionaries(KEYS, VALUES, max_size=8), max_size=6)


def read_all(path: Path) -> None:
    reader = TelegramReader()
    assert 0 <= reader.sniff(path) <= 100
    try:
        records = list(reader.read(path, ReadOptions()))
    except InputError:
        return
    assert all(isinstance(record, RECORD_TYPES) for record in records)


@pytest.mark.parametrize("suffix", [".json", ".html"])
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"messages{suffix}"
        path.write_bytes(data)
        read_all(path)


@SETTINGS
@given(messages=MESSAGES, account=st.booleans())
def test_messages_of_any_shape(messages: list[dict[str, object]], account: bool) -> None:
    chat = {"name": "c", "type": "private_supergroup", "id": 5, "messages": messages}
    document: object = {"personal_information": {}, "chats": {"list": [chat]}} if account else chat
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        read_all(path)


@pytest.mark.parametrize("name", FIXTURES)
@SETTINGS
@given(data=st.data())
def test_mangled_fixtures(fixtures_dir: Path, name: str, data: st.DataObject) -> None:
    original = (fixtures_dir / "telegram" / name).read_bytes()
    cut = data.draw(st.integers(0, len(original)), label="cut")
    mangled = bytearray(original[:cut])
    for _ in range(data.draw(st.integers(0, 4), label="replacements")):
        if mangled:
            at = data.draw(st.integers(0, len(mangled) - 1), label="at")
            mangled[at] = data.draw(st.integers(0, 255), label="byte")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(bytes(mangled))
        read_all(path)

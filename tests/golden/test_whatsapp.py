"""Golden files for the WhatsApp reader: every chat export fixture, record for record."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.golden import assert_golden
from veille.ingest.base import ReadOptions
from veille.ingest.whatsapp.reader import WhatsAppReader

FIXTURES = (
    "chat-miner-android-ddmmyy-24h.txt",
    "chat-miner-android-es-12h.txt",
    "langchain-ios-en-us.txt",
)


def test_every_fixture_has_a_golden_test(fixtures_dir: Path) -> None:
    present = sorted(path.name for path in (fixtures_dir / "whatsapp").glob("*.txt"))
    assert present == sorted(FIXTURES)


@pytest.mark.parametrize("name", FIXTURES)
def test_whatsapp_golden(fixtures_dir: Path, update_golden: bool, name: str) -> None:
    path = fixtures_dir / "whatsapp" / name
    records = list(WhatsAppReader().read(path, ReadOptions()))
    assert_golden(records, f"whatsapp/{Path(name).stem}", update_golden)

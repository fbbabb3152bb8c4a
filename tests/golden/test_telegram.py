"""Golden outputs of the Telegram reader on the telegram fixtures (JSON old and current, HTML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.golden import assert_golden
from veille.ingest.base import ReadOptions
from veille.ingest.telegram.reader import TelegramReader

FILES = [
    "langchain-personal-chat-result.json",
    "langchain-personal-chat-messages.html",
    "tg2md-test-channel-result.json",
]


@pytest.mark.parametrize("name", FILES)
def test_telegram_golden(fixtures_dir: Path, update_golden: bool, name: str) -> None:
    path = fixtures_dir / "telegram" / name
    records = list(TelegramReader().read(path, ReadOptions()))
    assert_golden(records, f"telegram/{Path(name).stem}", update_golden)


def test_every_fixture_has_a_golden_test(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "telegram"
    present = {p.name for p in folder.iterdir() if p.suffix in (".json", ".html")}
    assert present == set(FILES)

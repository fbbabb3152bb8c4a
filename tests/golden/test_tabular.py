"""Golden outputs of the tabular reader on the posts-jsonl fixtures (twarc2 JSONL, v1.1 JSON)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.golden import assert_golden
from veille.ingest.base import ReadOptions
from veille.ingest.tabular.reader import TabularReader

FILES = ["twarc2-media_tweet.jsonl", "twarc2-edited.jsonl", "twitter-v1.1-tweets.json"]


@pytest.mark.parametrize("name", FILES)
def test_tabular_golden(fixtures_dir: Path, update_golden: bool, name: str) -> None:
    path = fixtures_dir / "posts-jsonl" / name
    records = list(TabularReader().read(path, ReadOptions()))
    assert_golden(records, f"tabular/{Path(name).stem}", update_golden)

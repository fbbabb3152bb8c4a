"""The tabular reader yields records or raises InputError, whatever the bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.property.reader_settings import RECORD_TYPES, SETTINGS
from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.tabular.reader import TabularReader


def read_all(path: Path) -> None:
    try:
        for record in TabularReader().read(path, ReadOptions()):
            assert isinstance(record, RECORD_TYPES)
    except InputError:
        pass


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    read_all(path)


@SETTINGS
@given(
    rows=st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=5), max_size=20),
)
def test_arbitrary_tables(tmp_path: Path, rows: list[list[str]]) -> None:
    import csv

    path = tmp_path / "input.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["username", "time", "text"])
        writer.writerows(rows)
    read_all(path)


@SETTINGS
@given(
    cut=st.integers(min_value=0, max_value=30_000),
    flips=st.lists(st.integers(0, 30_000), max_size=8),
)
def test_mangled_fixtures(tmp_path: Path, fixtures_dir: Path, cut: int, flips: list[int]) -> None:
    for name in ("twitter-v1.1-tweets.json", "twarc2-media_tweet.jsonl"):
        data = bytearray((fixtures_dir / "posts-jsonl" / name).read_bytes()[:cut])
        for position in flips:
            if position < len(data):
                data[position] = (data[position] + 97) % 256
        path = tmp_path / name
        path.write_bytes(bytes(data))
        read_all(path)

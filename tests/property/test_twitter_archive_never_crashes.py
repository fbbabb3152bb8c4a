"""The Twitter archive reader never crashes: any bytes give records (Rejects allowed) or an
InputError, whether the damaged file is read alone or inside an archive folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.property.reader_settings import RECORD_TYPES, SETTINGS
from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.twitter.archive_reader import TwitterArchiveReader
from veille.ingest.twitter.tweet_fields import records_from_v1_tweet
from veille.model import Post, Provenance, Record, Reject

FIXTURES = (
    "darkliquid-2023/data/tweets.js",
    "darkliquid-2023/data/manifest.js",
    "mrled-2022-tweet.js",
    "django-ditto-v2-with-media-tweet.js",
)


def read_all(path: Path) -> list[Record]:
    reader = TwitterArchiveReader()
    assert 0 <= reader.sniff(path) <= 100
    try:
        records = list(reader.read(path, ReadOptions()))
    except InputError as error:
        message = str(error)
    else:
        message = ""
    if message:
        assert message.startswith("twitter-archive: ")
        return []
    assert all(isinstance(record, RECORD_TYPES) for record in records)
    for record in records:
        if isinstance(record, Post | Reject):
            raw = record.provenance.raw if isinstance(record, Post) else record.raw
            (raw or "").encode("utf-8")  # storable: no lone surrogates
    return records


@pytest.fixture(scope="module", params=FIXTURES)
def fixture_bytes(request: pytest.FixtureRequest, fixtures_dir: Path) -> bytes:
    path: Path = fixtures_dir / "twitter-archive" / request.param
    return path.read_bytes()


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "tweets.js"
    path.write_bytes(data)
    read_all(path)


@SETTINGS
@given(data=st.binary(max_size=500))
def test_arbitrary_bytes_after_the_prefix(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "tweet.js"
    path.write_bytes(b"window.YTD.tweet.part0 = [ " + data)
    read_all(path)


@SETTINGS
@given(cut=st.floats(min_value=0, max_value=1))
def test_truncated_fixture(tmp_path: Path, fixture_bytes: bytes, cut: float) -> None:
    path = tmp_path / "tweets.js"
    path.write_bytes(fixture_bytes[: int(len(fixture_bytes) * cut)])
    read_all(path)


@SETTINGS
@given(data=st.data())
def test_fixture_with_bytes_replaced(
    tmp_path: Path, fixture_bytes: bytes, data: st.DataObject
) -> None:
    mangled = bytearray(fixture_bytes)
    for _ in range(data.draw(st.integers(min_value=1, max_value=12))):
        at = data.draw(st.integers(min_value=0, max_value=len(mangled) - 1))
        mangled[at] = data.draw(st.sampled_from(b'{}[]",:\\ 0a\x00\xff\xe9'))
    path = tmp_path / "tweets.js"
    path.write_bytes(bytes(mangled))
    read_all(path)


@SETTINGS
@given(manifest=st.binary(max_size=300), tweets_cut=st.floats(min_value=0, max_value=1))
def test_archive_folder_with_damaged_manifest(
    tmp_path: Path, fixtures_dir: Path, manifest: bytes, tweets_cut: float
) -> None:
    data = tmp_path / "archive" / "data"
    shutil.rmtree(tmp_path / "archive", ignore_errors=True)
    data.mkdir(parents=True)
    tweets = (fixtures_dir / "twitter-archive" / "mrled-2022-tweet.js").read_bytes()
    (data / "tweet.js").write_bytes(tweets[: int(len(tweets) * tweets_cut)])
    (data / "manifest.js").write_bytes(b"window.__THAR_CONFIG = " + manifest)
    (data / "account.js").write_bytes(manifest)
    read_all(tmp_path / "archive")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
TWEET_KEYS = st.sampled_from(
    [
        "id_str",
        "created_at",
        "full_text",
        "entities",
        "extended_entities",
        "user",
        "retweeted_status",
        "quoted_status",
        "quoted_status_permalink",
        "in_reply_to_screen_name",
        "in_reply_to_status_id_str",
        "edit_info",
        "place",
        "coordinates",
        "source",
        "lang",
    ]
)


@settings(max_examples=200, deadline=None)
@given(fields=st.dictionaries(TWEET_KEYS, JSON_VALUES))
def test_any_shape_of_tweet_object(fields: dict[str, object]) -> None:
    """records_from_v1_tweet (also used for v1.1 JSON) maps any object without raising."""
    fields.setdefault("id_str", "1")
    records = records_from_v1_tweet(fields, Provenance("[0]", json.dumps(fields)))
    assert all(isinstance(record, RECORD_TYPES) for record in records)

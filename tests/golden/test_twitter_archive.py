"""Golden outputs of the Twitter/X archive reader on every twitter-archive fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.golden import assert_golden
from veille.ingest.base import ReadOptions
from veille.ingest.twitter.archive_reader import TwitterArchiveReader
from veille.model import Post, Record

# The whole archive folder, and the two lone tweet.js files (older format).
UNITS = ["darkliquid-2023", "mrled-2022-tweet.js", "django-ditto-v2-with-media-tweet.js"]


@pytest.mark.parametrize("name", UNITS)
def test_twitter_archive_golden(fixtures_dir: Path, update_golden: bool, name: str) -> None:
    path = fixtures_dir / "twitter-archive" / name
    records = list(TwitterArchiveReader().read(path, ReadOptions()))
    assert_golden(records, f"twitter-archive/{Path(name).stem}", update_golden)


def test_lone_tweets_js_of_an_archive_matches_the_folder(fixtures_dir: Path) -> None:
    """data/tweets.js given alone finds its manifest beside it: same posts, same edges."""
    folder = fixtures_dir / "twitter-archive" / "darkliquid-2023"
    whole = list(TwitterArchiveReader().read(folder, ReadOptions()))
    alone = list(TwitterArchiveReader().read(folder / "data" / "tweets.js", ReadOptions()))

    def posts(records: list[Record]) -> list[tuple[str, str | None, str, str | None]]:
        return [
            (post.id, post.author_id, post.text, post.reply_to_id)
            for post in records
            if isinstance(post, Post)
        ]

    assert posts(alone) == posts(whole)
    assert len(posts(whole)) == 28

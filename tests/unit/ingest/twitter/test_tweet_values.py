"""Single values of a tweet: a media item's file name and type."""

from __future__ import annotations

import pytest

from veille.ingest.twitter.tweet_values import media_name


def test_a_media_item_names_its_file_after_the_tweet() -> None:
    item = {"media_url_https": "https://pbs.twimg.com/media/Cx1.jpg", "type": "photo"}
    assert media_name("7981", item) == ("7981-Cx1.jpg", "image/jpeg")


@pytest.mark.parametrize("url", ["http://[[[[[[[", "https://[::1/x.jpg", "http://]x.jpg"])
def test_a_url_urlsplit_refuses_gives_no_media_name(url: str) -> None:
    # Found by bench/fuzz.py (json-array, seed 6102, input 3504): urlsplit raised ValueError
    # ("Invalid IPv6 URL") out of the reader.
    assert media_name("7981", {"media_url_https": url, "type": "photo"}) == (None, None)

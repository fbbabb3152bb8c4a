"""The Twitter/X archive reader: the values SOURCES.md gives, and the ways archives go wrong."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.twitter.archive_reader import TwitterArchiveReader
from veille.ingest.twitter.tweet_fields import records_from_v1_tweet
from veille.ingest.twitter.tweet_values import parse_created_at
from veille.model import Actor, Interaction, Media, Note, Post, Provenance, Record, Reject

READER = TwitterArchiveReader()
T = TypeVar("T")


def read(path: Path) -> list[Record]:
    return list(READER.read(path, ReadOptions()))


def of_type(records: list[Record], kind: type[T]) -> list[T]:
    return [record for record in records if isinstance(record, kind)]


def edges(records: list[Record], kind: str) -> list[Interaction]:
    return [edge for edge in of_type(records, Interaction) if edge.kind == kind]


def notes(records: list[Record]) -> str:
    return "\n".join(note.text for note in of_type(records, Note))


def tweet(id_str: str, text: str = "hello", **fields: object) -> dict[str, object]:
    """A tweet as archives write it (strings for numbers, no user)."""
    return {
        "id_str": id_str,
        "created_at": "Sun Oct 07 07:39:51 +0000 2012",
        "full_text": text,
        "entities": {"user_mentions": [], "hashtags": [], "urls": []},
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        **fields,
    }


def tweets_js(tweets: list[dict[str, object]], name: str = "tweets") -> str:
    items = [{"tweet": item} for item in tweets]
    text = json.dumps(items, indent=2, ensure_ascii=False)
    return f"window.YTD.{name}.part0 = " + text.replace('": ', '" : ')


def archive(
    root: Path, tweets: list[dict[str, object]], account: str | None = "ownerhandle"
) -> Path:
    """An archive folder: data/tweets.js, and data/account.js naming ``account``."""
    data = root / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_text(tweets_js(tweets), encoding="utf-8")
    if account is not None:
        details = {"username": account, "accountId": "42", "accountDisplayName": "The Owner"}
        accounts = [{"account": details}]
        (data / "account.js").write_text(
            "window.YTD.account.part0 = " + json.dumps(accounts), encoding="utf-8"
        )
    return root


# --- the fixtures, against SOURCES.md -------------------------------------------------------


@pytest.fixture(scope="module")
def darkliquid(fixtures_dir: Path) -> list[Record]:
    return read(fixtures_dir / "twitter-archive" / "darkliquid-2023")


def test_darkliquid_has_28_tweets_by_the_manifest_owner(darkliquid: list[Record]) -> None:
    posts = of_type(darkliquid, Post)
    owner = actor_id("twitter", "darkliquid")
    assert len(posts) == 28
    assert {post.author_id for post in posts} == {owner}
    (owner_actor,) = [actor for actor in of_type(darkliquid, Actor) if actor.id == owner]
    assert (owner_actor.native_id, owner_actor.handle) == ("15942882", "darkliquid")
    assert owner_actor.provenance.file == "data/manifest.js"
    assert "owner @darkliquid (account 15942882) from data/manifest.js" in notes(darkliquid)


def test_darkliquid_first_and_last_tweets(darkliquid: list[Record]) -> None:
    posts = of_type(darkliquid, Post)
    first, last = posts[0], posts[-1]
    assert first.native_id == "1629012888185610242"
    assert first.posted_at == datetime(2023, 2, 24, 6, 58, 32, tzinfo=UTC)
    assert first.utc_offset_min == 0
    assert first.text == "@RPDeshaies Pretty much anything by Bal-Sagoth"
    assert first.url == "https://twitter.com/darkliquid/status/1629012888185610242"
    assert first.provenance.locator == "data/tweets.js[0]"
    assert first.provenance.file == "data/tweets.js"
    assert json.loads(first.provenance.raw or "")["tweet"]["id_str"] == first.native_id
    assert last.native_id == "1541752634348019715"
    assert last.posted_at == datetime(2022, 6, 28, 11, 57, 27, tzinfo=UTC)
    assert first.extra["source"] == "Twitter for Android"


def test_darkliquid_replies_retweet_and_mentions(darkliquid: list[Record]) -> None:
    posts = of_type(darkliquid, Post)
    assert sum(post.reply_to_id is not None for post in posts) == 23
    # One of the 23 continues the owner's own thread: not an edge between two accounts.
    assert len(edges(darkliquid, "reply")) == 22
    (retweet,) = edges(darkliquid, "retweet")
    assert retweet.target_actor_id == actor_id("twitter", "boondaburrah")
    (rt_post,) = [post for post in posts if post.id == retweet.post_id]
    assert rt_post.forwarded_from_id == actor_id("twitter", "boondaburrah")
    # The retweeted handle is the retweet, not also a mention.
    assert not [edge for edge in edges(darkliquid, "mention") if edge.post_id == rt_post.id]
    assert len(edges(darkliquid, "mention")) == 14


def test_darkliquid_twelve_mention_tweet(darkliquid: list[Record]) -> None:
    (post,) = [
        post for post in of_type(darkliquid, Post) if post.native_id == "1603463121561128960"
    ]
    shown = [edge for edge in of_type(darkliquid, Interaction) if edge.post_id == post.id]
    assert Counter(edge.kind for edge in shown) == {"reply": 1, "mention": 11}
    assert len({edge.target_actor_id for edge in shown}) == 12
    (reply,) = [edge for edge in shown if edge.kind == "reply"]
    assert reply.target_actor_id == actor_id("twitter", "saveRBWofficial")
    assert post.extra["hashtags"] == ["RenewRaisedByWolves"]
    assert post.lang_hint is None
    assert post.extra["lang"] == "qme"


def test_darkliquid_hashtags_urls_and_media(darkliquid: list[Record]) -> None:
    posts = {post.native_id: post for post in of_type(darkliquid, Post)}
    tagged = posts["1609828443029491714"]
    assert tagged.extra["hashtags"] == ["dungeon23", "City23", "setting23", "finishit23"]
    assert tagged.extra["urls"] == ["http://dice.camp/@darkliquid"]
    (media,) = of_type(darkliquid, Media)
    assert media.post_id == posts["1541752634348019715"].id
    assert media.name == "1541752634348019715-FWVnxzyWIAIEZU3.png"
    assert (media.file, media.mime) == (None, "image/png")
    assert "1 media file of 1 not found" in notes(darkliquid)


def test_darkliquid_actors_once_and_counts_noted(darkliquid: list[Record]) -> None:
    actors = of_type(darkliquid, Actor)
    assert len(actors) == len({actor.id for actor in actors}) == 29
    assert "the manifest announces 8,769 tweets, the file holds 28" in notes(darkliquid)
    assert not of_type(darkliquid, Reject)  # deleted-tweets.js is listed with count 0


def test_mrled_old_format_owner_unknown(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "twitter-archive" / "mrled-2022-tweet.js")
    retweet, tweet_2020 = of_type(records, Post)
    assert retweet.posted_at == datetime(2012, 10, 7, 7, 39, 51, tzinfo=UTC)
    assert retweet.extra["source"] == "Twitter for iPhone"
    assert retweet.forwarded_from_id == actor_id("twitter", "nostrich")
    assert retweet.extra["edges_without_author"] == ["retweet:@nostrich"]
    assert tweet_2020.posted_at == datetime(2020, 6, 27, 16, 34, 46, tzinfo=UTC)
    assert tweet_2020.extra["source"] == "Twitter Web App"
    assert tweet_2020.extra["edges_without_author"] == ["mention:@syncthing"]
    assert retweet.author_id is None
    assert tweet_2020.author_id is None
    assert not of_type(records, Interaction)  # no source actor to draw them from
    assert {actor.handle for actor in of_type(records, Actor)} == {"nostrich", "syncthing"}
    assert "owner unknown" in notes(records)
    assert retweet.provenance.locator == "mrled-2022-tweet.js[0]"
    assert retweet.provenance.file is None


def test_django_ditto_media_missing_and_owner_from_media_link(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "twitter-archive" / "django-ditto-v2-with-media-tweet.js")
    posts = of_type(records, Post)
    assert [post.native_id for post in posts] == ["1247471193357275137", "1359135226161750021"]
    assert {post.author_id for post in posts} == {actor_id("twitter", "philgyford")}
    assert "owner @philgyford inferred" in notes(records)
    gif, photo = of_type(records, Media)
    assert (gif.name, gif.mime, gif.file) == (
        "1247471193357275137-EU_oaKjWkAAj6Gv.mp4",
        "video/mp4",
        None,
    )
    assert (photo.name, photo.mime, photo.file) == (
        "1359135226161750021-EtyeQ0FWYAEQDqk.jpg",
        "image/jpeg",
        None,
    )
    (quote,) = edges(records, "quote")
    assert quote.target_actor_id == actor_id("twitter", "peterme")
    assert posts[1].quoted_id == post_id("twitter", "1358811736464191488")
    assert "2 media files of 2 not found" in notes(records)


def test_sniff_scores(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = fixtures_dir / "twitter-archive"
    assert READER.sniff(folder / "darkliquid-2023") == 95
    assert READER.sniff(folder / "darkliquid-2023" / "data" / "tweets.js") == 90
    assert READER.sniff(folder / "mrled-2022-tweet.js") == 90
    assert READER.sniff(folder / "darkliquid-2023" / "data" / "manifest.js") == 0
    assert READER.sniff(folder / "SOURCES.md") == 0
    assert READER.sniff(folder) == 0
    likes = tmp_path / "like.js"
    likes.write_text('window.YTD.like.part0 = [ {"like": {}} ]', encoding="utf-8")
    assert READER.sniff(likes) == 0
    bare = tmp_path / "tweets.js"
    bare.write_text(json.dumps([{"tweet": tweet("1")}]), encoding="utf-8")
    assert READER.sniff(bare) == 40


# --- archives built here --------------------------------------------------------------------


def test_archive_with_account_js_and_media_on_disk(tmp_path: Path) -> None:
    media_item = {
        "type": "photo",
        "media_url_https": "https://pbs.twimg.com/media/AbC_d-1.jpg",
        "expanded_url": "https://twitter.com/ownerhandle/status/100/photo/1",
    }
    root = archive(tmp_path / "export", [tweet("100", extended_entities={"media": [media_item]})])
    (root / "data" / "tweets_media").mkdir()
    (root / "data" / "tweets_media" / "100-AbC_d-1.jpg").write_bytes(b"\xff\xd8\xff")
    assert READER.sniff(root) == 95
    records = read(root)
    (post,) = of_type(records, Post)
    assert post.author_id == actor_id("twitter", "ownerhandle")
    (owner,) = of_type(records, Actor)
    assert (owner.native_id, owner.name) == ("42", "The Owner")
    assert owner.provenance.locator == "data/account.js[0]"
    (media,) = of_type(records, Media)
    assert media.file is not None
    assert media.file.is_file()
    assert media.file.is_absolute()
    assert media.file.name == "100-AbC_d-1.jpg"
    assert "not found" not in notes(records)


def test_truncated_file_keeps_the_tweets_before_the_cut(tmp_path: Path) -> None:
    text = tweets_js([tweet("1"), tweet("2"), tweet("3")])
    path = tmp_path / "tweets.js"
    path.write_text(text[: text.index('"3"') + 10], encoding="utf-8")
    records = read(path)
    assert [post.native_id for post in of_type(records, Post)] == ["1", "2"]
    (reject,) = of_type(records, Reject)
    assert reject.locator == "tweets.js[2:]"
    assert "the 2 tweets before it were kept" in reject.reason


def test_cut_between_tweets_is_one_reject(tmp_path: Path) -> None:
    text = tweets_js([tweet("1"), tweet("2")])
    path = tmp_path / "tweets.js"
    path.write_text(text[: text.rindex("]")], encoding="utf-8")  # the closing ] is lost
    records = read(path)
    assert len(of_type(records, Post)) == 2
    (reject,) = of_type(records, Reject)
    assert "ends before the closing ]" in reject.reason


def test_bad_created_at_quarantines_that_tweet_only(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    bad = tweet("2", created_at="Sun Oct 37 07:39:51 +0000 2012")
    path.write_text(tweets_js([tweet("1"), bad, tweet("3")]), encoding="utf-8")
    records = read(path)
    assert [post.native_id for post in of_type(records, Post)] == ["1", "3"]
    (reject,) = of_type(records, Reject)
    assert reject.locator == "tweets.js[1]"
    assert "unreadable created_at" in reject.reason
    assert "tweet 2" in reject.reason
    assert json.loads(reject.raw or "")["tweet"]["id_str"] == "2"


def test_items_that_are_not_tweets_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    items = [{"tweet": tweet("1")}, 7, {"like": {}}, {"tweet": {"full_text": "no id"}}]
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(items), encoding="utf-8")
    records = read(path)
    assert len(of_type(records, Post)) == 1
    reasons = [reject.reason for reject in of_type(records, Reject)]
    assert len(reasons) == 3
    assert "not a tweet" in reasons[0]
    assert "no id_str" in reasons[2]


def test_plain_json_array_without_prefix_is_accepted(tmp_path: Path) -> None:
    """Decision: a tweets.js whose window.YTD prefix was stripped is still read."""
    path = tmp_path / "tweets.js"
    path.write_text(json.dumps([{"tweet": tweet("1")}, tweet("2")]), encoding="utf-8")
    assert [post.native_id for post in of_type(read(path), Post)] == ["1", "2"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ('window.YTD.like.part0 = [ {"like": {}} ]', "not tweets"),
        ("window.YTD.tweets.part0 = {}", "does not start"),
        ("hello world", "does not start"),
        ("window.YTD.tweets.part0 = [ {nope ]", "no tweet could be read"),
    ],
)
def test_unreadable_files_raise_input_error(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "tweets.js"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as error:
        read(path)
    assert str(error.value).startswith("twitter-archive: tweets.js: ")


def test_folder_that_is_not_an_archive(tmp_path: Path) -> None:
    assert READER.sniff(tmp_path) == 0
    with pytest.raises(InputError, match=r"no data/manifest\.js nor data/tweets\.js"):
        read(tmp_path)


def test_utf16_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text(tweets_js([tweet("1", "Ça va ? مرحبا")]), encoding="utf-16")
    assert READER.sniff(path) == 90
    (post,) = of_type(read(path), Post)
    assert post.text == "Ça va ? مرحبا"


def test_broken_bytes_are_replaced_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    text = tweets_js([tweet("1", "déjà vu, café crème MARK"), tweet("2", "ok")])
    path.write_bytes(text.encode("utf-8").replace(b"MARK", b"\xe9\xff"))
    records = read(path)
    first, _ = of_type(records, Post)
    assert first.text == "déjà vu, café crème \ufffd\ufffd"
    assert "2 bytes did not decode" in notes(records)


def test_multi_part_archive_without_manifest(tmp_path: Path) -> None:
    root = archive(tmp_path / "x", [tweet("1")])
    data = root / "data"
    (data / "tweets-part2.js").write_text(tweets_js([tweet("3")]), encoding="utf-8")
    (data / "tweets-part1.js").write_text(tweets_js([tweet("2")]), encoding="utf-8")
    records = read(root)
    posts = of_type(records, Post)
    assert [post.native_id for post in posts] == ["1", "2", "3"]
    assert [post.provenance.file for post in posts] == [
        "data/tweets.js",
        "data/tweets-part1.js",
        "data/tweets-part2.js",
    ]


def test_manifest_lists_parts_and_missing_files(tmp_path: Path) -> None:
    root = archive(tmp_path / "x", [tweet("1")], account=None)
    data = root / "data"
    (data / "tweets-part1.js").write_text(tweets_js([tweet("2")]), encoding="utf-8")
    files = [
        {"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0", "count": "1"},
        {"fileName": "data/tweets-part1.js", "globalName": "YTD.tweets.part1", "count": "5"},
        {"fileName": "data/tweets-part2.js", "globalName": "YTD.tweets.part2", "count": "3"},
        {"fileName": "data/../../../etc/passwd", "globalName": "YTD.tweets.part3"},
    ]
    manifest = {
        "userInfo": {"accountId": "7", "userName": "someone", "displayName": "Some One"},
        "dataTypes": {"tweets": {"mediaDirectory": "data/tweets_media", "files": files}},
    }
    (data / "manifest.js").write_text(
        "window.__THAR_CONFIG = " + json.dumps(manifest, indent=2), encoding="utf-8"
    )
    records = read(root)
    assert [post.native_id for post in of_type(records, Post)] == ["1", "2"]
    assert {post.author_id for post in of_type(records, Post)} == {actor_id("twitter", "someone")}
    (missing,) = of_type(records, Reject)
    assert missing.locator == "data/tweets-part2.js"
    assert "listed in data/manifest.js but missing" in missing.reason
    assert "data/tweets-part1.js: the manifest announces 5 tweets, the file holds 1" in notes(
        records
    )


def test_trailing_text_after_the_array(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text(tweets_js([tweet("1")]) + ";\n", encoding="utf-8")
    assert not of_type(read(path), Reject)  # a closing semicolon is harmless
    path.write_text(tweets_js([tweet("1")]) + "\nwindow.YTD.tweets.part1 = [", encoding="utf-8")
    records = read(path)
    assert len(of_type(records, Post)) == 1
    (reject,) = of_type(records, Reject)
    assert "after the end of the tweet array" in reject.reason


def test_lone_surrogate_escape_and_deep_nesting_do_not_break(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    deep = "[" * 100_000 + "]" * 100_000
    body = '[{"tweet": {"id_str": "1", "full_text": "a\\ud800b"}}, ' + deep + "]"
    path.write_text("window.YTD.tweets.part0 = " + body, encoding="utf-8")
    records = read(path)
    (post,) = of_type(records, Post)
    assert post.text == "a\ufffdb"
    assert (post.provenance.raw or "").encode("utf-8")
    (reject,) = of_type(records, Reject)
    assert "nested too deeply" in reject.reason


def test_deleted_tweets_file(tmp_path: Path) -> None:
    root = archive(tmp_path / "x", [tweet("1")])
    deleted = tweet("9", deleted_at="Mon Jan 02 10:00:00 +0000 2023")
    (root / "data" / "deleted-tweets.js").write_text(
        tweets_js([deleted], name="deleted_tweets"), encoding="utf-8"
    )
    posts = of_type(read(root), Post)
    assert [post.native_id for post in posts] == ["1", "9"]
    assert posts[1].extra["deleted_at"] == "Mon Jan 02 10:00:00 +0000 2023"


# --- one tweet object -----------------------------------------------------------------------


def test_parse_created_at_keeps_the_offset() -> None:
    moment, offset = parse_created_at("Wed Oct 10 20:19:24 +0230 2018")
    assert moment == datetime(2018, 10, 10, 17, 49, 24, tzinfo=UTC)
    assert offset == 150
    assert parse_created_at("2020-01-02T03:04:05Z") == (
        datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        0,
    )
    with pytest.raises(ValueError, match="offset"):
        parse_created_at("Wed Oct 10 20:19:24 UTC+0 2018")


def test_v1_tweets_with_user_retweeted_and_quoted_status(fixtures_dir: Path) -> None:
    path = fixtures_dir / "posts-jsonl" / "twitter-v1.1-tweets.json"
    seen: set[str] = set()
    records: list[Record] = []
    for index, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        records += records_from_v1_tweet(item, Provenance(f"[{index}]"), seen_actors=seen)
    simonw = actor_id("twitter", "simonw")
    retweet, reply, quote = of_type(records, Post)
    assert {post.author_id for post in (retweet, reply, quote)} == {simonw}
    assert retweet.forwarded_from_id == actor_id("twitter", "drvox")
    assert retweet.extra["retweeted_id"] == post_id("twitter", retweet_of(path))
    (reply_edge,) = [edge for edge in edges(records, "reply") if edge.post_id == reply.id]
    assert reply_edge.target_actor_id == actor_id("twitter", "scientiffic")
    mentioned = {edge.target_actor_id for edge in edges(records, "mention")}
    # The reply prefix beyond the replied-to account stays mentions, whatever the API's
    # display_text_range says.
    assert actor_id("twitter", "Wikipedia") in mentioned
    assert actor_id("twitter", "scientiffic") not in mentioned
    assert reply.extra["place"] == "Manhattan, NY"
    (quote_edge,) = edges(records, "quote")
    assert quote_edge.target_actor_id == actor_id("twitter", "bwhitman")
    assert quote.quoted_id == post_id("twitter", "861696799362478085")
    assert len(of_type(records, Actor)) == len(seen)


def retweet_of(path: Path) -> str:
    first = json.loads(path.read_text(encoding="utf-8"))[0]
    return str(first["retweeted_status"]["id_str"])


def test_retweet_mentions_are_the_original_authors() -> None:
    owner = Actor(actor_id("twitter", "me"), "twitter", "account", Provenance("x"), handle="me")
    item = tweet("5", "RT @orig: hi @third and @me")
    item["entities"] = {}  # no entities: handles come from the text
    records = records_from_v1_tweet(item, Provenance("[0]"), owner)
    (retweet,) = edges(records, "retweet")
    assert (retweet.source_actor_id, retweet.target_actor_id) == (
        owner.id,
        actor_id("twitter", "orig"),
    )
    mentions = {(edge.source_actor_id, edge.target_actor_id) for edge in edges(records, "mention")}
    assert mentions == {
        (actor_id("twitter", "orig"), actor_id("twitter", "third")),
        (actor_id("twitter", "orig"), owner.id),
    }


def test_text_entities_are_unescaped_and_source_app_kept() -> None:
    (post,) = of_type(records_from_v1_tweet(tweet("1", "a &amp; b &lt;3"), Provenance("x")), Post)
    assert post.text == "a & b <3"
    assert post.extra["source"] == "Twitter Web App"


@pytest.mark.parametrize(
    "content", ["window.YTD.tweet.part0 = [ ]", "window.YTD.tweets.part0 = []"]
)
def test_empty_tweet_array_is_read_as_no_tweet(tmp_path: Path, content: str) -> None:
    path = tmp_path / "tweet.js"
    path.write_text(content, encoding="utf-8")
    records = read(path)
    assert not of_type(records, Post)
    assert "tweet.js: the tweet array is empty" in notes(records)


def test_archive_whose_first_part_is_empty_reads_the_next(tmp_path: Path) -> None:
    root = archive(tmp_path / "x", [])
    (root / "data" / "tweets-part1.js").write_text(tweets_js([tweet("2")]), encoding="utf-8")
    records = read(root)
    assert [post.native_id for post in of_type(records, Post)] == ["2"]
    assert "data/tweets.js: the tweet array is empty" in notes(records)


def test_reader_stopped_early_closes_its_file(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text(tweets_js([tweet("1"), tweet("2")]), encoding="utf-8")
    records = READER.read(path, ReadOptions())
    next(iter(records))
    records.close()  # type: ignore[attr-defined]  # a generator; ResourceWarning is an error

"""One bad JSON record costs that record: deep nesting, huge integers, wrong-typed API fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from veille.ingest.base import ReadOptions
from veille.ingest.common.json_decoding import loads
from veille.ingest.common.json_events import Item
from veille.ingest.common.json_stream import stream_json
from veille.ingest.tabular.reader import TabularReader
from veille.ingest.twitter.twarc import records_from_page
from veille.model import Actor, Columns, Interaction, Post, Record, Reject

HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000


def read(path: Path) -> list[Record]:
    records: list[Record] = []
    for record in TabularReader().read(path, ReadOptions()):
        records.extend(record.records() if isinstance(record, Columns) else [record])
    return records


def of(kind: type[Any], records: list[Record]) -> list[Any]:
    return [r for r in records if isinstance(r, kind)]


def flat(number: int) -> str:
    return json.dumps(
        {"username": f"user{number % 7}", "time": "2016-01-01T10:00:00Z", "text": f"post {number}"}
    )


def test_loads_keeps_the_digits_of_an_integer_past_the_limit() -> None:
    assert loads('{"id": ' + HUGE + ', "n": 5}') == {"id": HUGE, "n": 5}
    with pytest.raises(json.JSONDecodeError):
        loads("{")


def test_the_stream_reads_past_an_integer_past_the_limit() -> None:
    import io

    text = io.StringIO('[{"id": 1}, {"id": ' + HUGE + '}, {"id": 3}]')
    values = [e.value for e in stream_json(text, ["[*]"]) if isinstance(e, Item)]
    assert values == [{"id": 1}, {"id": HUGE}, {"id": 3}]


@pytest.mark.parametrize(
    ("bad", "quarantined"),
    [
        (DEEP, 1),  # too deep for the decoder: that line is quarantined
        ('{"a": ' * 5000 + "1" + "}" * 5000, 1),
        ("{not json", 1),
        ("[1, 2]", 1),  # not an object
    ],
)
def test_200_good_lines_and_one_bad_one(tmp_path: Path, bad: str, quarantined: int) -> None:
    lines = [flat(n) for n in range(100)] + [bad] + [flat(n) for n in range(100, 200)]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = read(path)
    assert len(of(Post, records)) == 200
    rejects = of(Reject, records)
    assert len(rejects) == quarantined
    assert rejects[0].locator == "line 101"


def test_a_huge_integer_in_a_line_is_read_as_its_digits(tmp_path: Path) -> None:
    lines = [flat(n) for n in range(200)]
    lines.append('{"username": "x", "time": "2016-01-01T10:00:00Z", "text": ' + HUGE + "}")
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    records = read(path)
    found = of(Post, records)
    assert len(found) == 201
    assert not of(Reject, records)
    assert found[-1].text == HUGE


def test_a_huge_integer_in_a_json_array(tmp_path: Path) -> None:
    path = tmp_path / "tweets.json"
    tweet = {"id_str": "1", "user": {"screen_name": "a"}, "text": "hi", "favorite_count": 1}
    text = json.dumps([tweet, {**tweet, "id_str": "2"}])
    path.write_text(text.replace('"favorite_count": 1', '"favorite_count": ' + HUGE, 1))
    assert [p.native_id for p in of(Post, read(path))] == ["1", "2"]


PAGE: dict[str, Any] = {
    "data": [
        {
            "id": "10",
            "text": "hello @b",
            "author_id": "1",
            "created_at": "2022-10-03T17:57:11.000Z",
            "referenced_tweets": [{"type": "replied_to", "id": "9"}],
            "entities": {"mentions": [{"username": "b", "id": "2"}], "hashtags": [{"tag": "x"}]},
            "attachments": {"media_keys": ["m1"]},
            "lang": "en",
        }
    ],
    "includes": {
        "users": [{"id": "1", "username": "a", "name": "A"}, {"id": "2", "username": "b"}],
        "tweets": [{"id": "9", "author_id": "2"}],
        "media": [{"media_key": "m1", "type": "photo", "url": "https://x/y.jpg"}],
    },
}
WRONG = [None, True, 0, 1.5, "", "x", [], {}, [1, "a"], {"a": 1}, HUGE]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value``."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)  # type: ignore[index]
    return copy


@pytest.mark.parametrize("path", _paths(PAGE), ids=lambda p: ".".join(map(str, p)))
def test_a_twarc_page_with_any_field_of_a_wrong_type_never_raises(path: tuple[Any, ...]) -> None:
    for wrong in WRONG:
        records = list(records_from_page(_replaced(PAGE, path, wrong), "line 1"))
        for post in of(Post, records):  # what reaches the writer has the types it stores
            assert isinstance(post.text, str)
            assert isinstance(post.native_id, str)
            assert all(
                value is None or isinstance(value, str)
                for value in (post.author_id, post.url, post.reply_to_id, post.quoted_id)
            )
            assert post.lang_hint is None or isinstance(post.lang_hint, str)
        for actor in of(Actor, records):
            assert isinstance(actor.handle, str)
            assert actor.name is None or isinstance(actor.name, str)
            assert actor.native_id is None or isinstance(actor.native_id, str)
        if path[0] != "data":  # the tweet itself is intact: it is read
            assert len(of(Post, records)) == 1


def test_bare_v2_tweets_are_twitter_posts_with_replies_and_quotes(tmp_path: Path) -> None:
    tweets = [
        {"id": "1", "text": "first", "author_id": "100", "edit_history_tweet_ids": ["1"]},
        {
            "id": "2",
            "text": "a reply",
            "author_id": "200",
            "created_at": "2023-01-02T03:04:05.000Z",
            "referenced_tweets": [{"type": "replied_to", "id": "1"}],
            "in_reply_to_user_id": "100",
        },
        {
            "id": "3",
            "text": "a quote",
            "author_id": "200",
            "referenced_tweets": [{"type": "quoted", "id": "1"}],
        },
    ]
    path = tmp_path / "tweets.jsonl"
    path.write_text("\n".join(json.dumps(t) for t in tweets), encoding="utf-8")
    records = read(path)
    found = {p.native_id: p for p in of(Post, records)}
    assert {p.platform for p in found.values()} == {"twitter"}
    assert found["2"].reply_to_id == found["1"].id
    assert found["3"].quoted_id == found["1"].id
    assert found["2"].extra["author_native_id"] == "200"  # no handle to make an actor of
    assert not of(Reject, records)


def test_flattened_v2_tweets_name_their_authors_and_edges(tmp_path: Path) -> None:
    tweet = {
        "id": "2",
        "text": "@a hi",
        "author_id": "200",
        "author": {"id": "200", "username": "b", "name": "B"},
        "created_at": "2023-01-02T03:04:05.000Z",
        "in_reply_to_user_id": "100",
        "in_reply_to_user": {"id": "100", "username": "a"},
        "referenced_tweets": [
            {"type": "replied_to", "id": "1", "author_id": "100", "text": "x"},
            {
                "type": "quoted",
                "id": "5",
                "author_id": "300",
                "author": {"id": "300", "username": "c"},
            },
        ],
    }
    path = tmp_path / "flat.jsonl"
    path.write_text(json.dumps(tweet), encoding="utf-8")
    records = read(path)
    (post,) = of(Post, records)
    assert post.url == "https://twitter.com/b/status/2"
    edges = {(e.kind, e.target_actor_id) for e in of(Interaction, records)}
    handles = {a.id: a.handle for a in of(Actor, records)}
    assert {(kind, handles[target]) for kind, target in edges} == {("reply", "a"), ("quote", "c")}


def test_the_stream_refuses_nesting_past_its_depth_limit_without_holding_it() -> None:
    import io

    from veille.ingest.common.json_events import JsonStreamError
    from veille.ingest.common.json_stream import MAX_DEPTH

    text = io.StringIO('{"skipped": ' + "[" * (MAX_DEPTH + 10) + ', "messages": []}')
    with pytest.raises(JsonStreamError, match="levels deep"):
        list(stream_json(text, ["messages[*]"]))


def test_the_whole_ingest_keeps_200_posts_and_quarantines_the_bad_line(tmp_path: Path) -> None:
    from veille.case import Case

    lines = [flat(n) for n in range(100)] + [DEEP] + [flat(n) for n in range(100, 200)]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Case.init(tmp_path / "case") as case:
        report = case.ingest([path])
        (source,) = report.sources
        assert source.error is None
        assert (source.counts.read, source.counts.quarantined) == (200, 1)
        statuses = case.con.execute("SELECT status FROM sources").fetchall()
        assert statuses == [("done",)]
        (reason,) = case.con.execute("SELECT reason FROM quarantine").fetchone() or ("",)
        assert "nested too deeply" in reason

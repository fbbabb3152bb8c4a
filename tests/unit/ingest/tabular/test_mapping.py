"""Column mappings: guessed from the headers real exports have, completed by a partial --map."""

from __future__ import annotations

import pytest

from veille.errors import ConfigError, InputError
from veille.ingest.tabular.mapping import guess_mapping, parse_mappings, resolve_mapping

# Headers as the tools write them (twarc-csv's and 4CAT's are abridged, in their order).
TWARC_CSV = [
    "id", "conversation_id", "referenced_tweets.replied_to.id", "referenced_tweets.retweeted.id",
    "author_id", "created_at", "text", "lang", "author.id", "author.username", "author.name",
    "author.description", "author.location", "public_metrics.retweet_count",
]  # fmt: skip
FOURCAT = ["id", "thread_id", "timestamp", "subject", "body", "author", "author_fullname"]


@pytest.mark.parametrize(
    ("columns", "expected", "platform"),
    [
        (
            TWARC_CSV,
            {"author": "author.username", "author_name": "author.name", "time": "created_at",
             "text": "text", "id": "id", "reply_to_id": "referenced_tweets.replied_to.id"},
            "twitter",
        ),
        (
            FOURCAT,
            {"author": "author", "author_name": "author_fullname", "time": "timestamp",
             "text": "body", "title": "subject"},
            None,
        ),
        (
            ["Auteur", "Date", "Texte", "Abonnés"],
            {"author": "Auteur", "time": "Date", "text": "Texte"},
            None,
        ),
        (
            ["المستخدم", "التاريخ", "النص", "الموقع"],
            {"author": "المستخدم", "time": "التاريخ", "text": "النص", "location": "الموقع"},
            None,
        ),
    ],
)  # fmt: skip
def test_headers_of_real_exports_are_recognised(
    columns: list[str], expected: dict[str, str], platform: str | None
) -> None:
    mapping, found_platform = guess_mapping(columns)
    assert {field: mapping.get(field) for field in expected} == expected
    assert found_platform == platform


def test_a_partial_map_completes_the_guess() -> None:
    mapping, platform, notes = resolve_mapping(["username", "time", "message"], {"platform": "x"})
    assert mapping == {"author": "username", "time": "time", "text": "message"}
    assert platform == "x"
    assert "(guessed)" in notes[0]


def test_a_column_given_to_one_field_is_taken_from_the_guess() -> None:
    mapping, _, _ = resolve_mapping(["username", "name", "time", "tweets"], {"author": "name"})
    assert mapping["author"] == "name"
    assert "author_name" not in mapping  # "name" would have been the display name


def test_a_mapped_column_that_is_not_there_is_an_error() -> None:
    with pytest.raises(InputError, match="not in the file: nope"):
        resolve_mapping(["a", "b"], {"text": "nope"})


def test_two_maps_merge_and_disagreements_are_refused() -> None:
    assert parse_mappings(["author=a", "time=t,text=x"]) == {
        "author": "a", "time": "t", "text": "x"
    }  # fmt: skip
    with pytest.raises(ConfigError, match="mapped to both"):
        parse_mappings(["author=a", "author=b"])

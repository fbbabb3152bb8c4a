"""The streaming JSON navigator: paths, skipping, chunk boundaries, and every way to break."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest

from veille.ingest.common.json_events import (
    Enter,
    Event,
    Item,
    JsonStreamError,
    Scalar,
    TooLong,
    format_path,
)
from veille.ingest.common.json_stream import stream_json

ACCOUNT = {
    "about": "x",
    "personal_information": {"user_id": 1, "names": ["a", "b"]},
    "contacts": {"list": [{"name": '[{"]}'}, 1, None]},
    "chats": {
        "about": "",
        "list": [
            {"name": "A", "type": "t", "id": 1, "messages": [{"id": 1}, {"id": 2}], "after": 5},
            {"name": "B", "messages": []},
            7,
            {"messages": {"not": "an array"}},
        ],
    },
    "left_chats": {"list": [{"name": "C", "messages": [1, 2.5, "s", None, True, [], {}, -1e5]}]},
}
PATHS = ["chats.list[*].messages[*]", "left_chats.list[*].messages[*]", "personal_information"]


def events(text: str, paths: list[str], chunk: int = 1 << 16, **options: object) -> list[Event]:
    return list(stream_json(io.StringIO(text), paths, chunk_size=chunk, **options))  # type: ignore[arg-type]


def items(text: str, path: str, chunk: int = 1 << 16) -> list[object]:
    return [e.value for e in events(text, [path], chunk) if isinstance(e, Item)]


def test_nested_paths_report_headers_and_items() -> None:
    found = events(json.dumps(ACCOUNT), PATHS)
    assert found[:3] == [
        Enter(()),
        Scalar(("about",), "x"),
        Item(("personal_information",), None, {"user_id": 1, "names": ["a", "b"]}),
    ]
    chat = ("chats", "list", 0)
    assert [e for e in found if e.path[:3] == chat] == [
        Enter(chat),
        Scalar((*chat, "name"), "A"),
        Scalar((*chat, "type"), "t"),
        Scalar((*chat, "id"), 1),
        Enter((*chat, "messages")),
        Item((*chat, "messages"), 0, {"id": 1}),
        Item((*chat, "messages"), 1, {"id": 2}),
        Scalar((*chat, "after"), 5),
    ]
    left = [e.value for e in found if isinstance(e, Item) and e.path[0] == "left_chats"]
    assert left == [1, 2.5, "s", None, True, [], {}, -1e5]
    # The third chat is not an object and the fourth's messages not an array: both skipped.
    assert Enter(("chats", "list", 3)) in found
    assert not [e for e in found if e.path[:4] == ("chats", "list", 3, "messages")]


def test_items_share_the_path_of_their_array() -> None:
    found = [e for e in events('{"m": [1, 2]}', ["m[*]"]) if isinstance(e, Item)]
    assert found[0].path is found[1].path


@pytest.mark.parametrize(
    "skipped",
    ['"a string with [ { ] } \\" \\\\ and \\u00e9"', "12.5e-3", "-0", "true", "false", "null",
     "[]", "{}", '[1, [2, [3, {"a": "]"}]]]', '{"k": {"k": ["}"]}}'],
)  # fmt: skip
def test_values_off_the_path_are_skipped(skipped: str) -> None:
    text = f'{{"before": {skipped}, "messages": [{skipped}, 1], "after": {skipped}}}'
    assert items(text, "messages[*]") == [json.loads(skipped), 1]
    assert items(text, "messages[*]", chunk=1) == [json.loads(skipped), 1]


def test_strings_with_brackets_quotes_and_escapes() -> None:
    tricky = ['"]', "[{", '\\"}', "\\", "\u00e9\U0001f600", "\n\t", "a,b]c"]
    text = json.dumps({"x": tricky, "messages": tricky})
    for chunk in (1, 2, 3, 5, 64):
        assert items(text, "messages[*]", chunk) == tricky


def test_items_split_across_chunk_boundaries() -> None:
    messages = [{"id": n, "text": "é" * n, "n": n * 1.5, "big": 10**n} for n in range(30)]
    text = json.dumps({"messages": messages}, ensure_ascii=False)
    for chunk in (1, 2, 3, 7, 16, 1000):
        assert items(text, "messages[*]", chunk) == messages


def test_root_array_and_whole_value() -> None:
    assert items("[1, [2], {}]", "[*]") == [1, [2], {}]
    assert items('{"a": {"b": [1, 2]}}', "a") == [{"b": [1, 2]}]
    assert items('{"a": {"b": [[1, 2], [3]]}}', "a.b[*][*]") == [1, 2, 3]
    assert items("[]", "[*]") == []
    assert items('{"a": 1}', "[*]") == []  # the root is not the array asked for


def test_byte_order_mark_is_skipped() -> None:
    assert items('\ufeff{"messages": [1]}', "messages[*]") == [1]


def test_lone_surrogate_escapes_become_replacement_characters() -> None:
    text = '{"messages": ["a\\ud800b", {"k": "\\udc00"}, "\\ud83d\\ude00"], "s": "\\ud800"}'
    found = events(text, ["messages[*]"])
    values = [e.value for e in found if isinstance(e, Item)]
    assert values == ["a\ufffdb", {"k": "\ufffd"}, "\U0001f600"]
    assert Scalar(("s",), "\ufffd") in found


def test_deeply_nested_values() -> None:
    deep = "[" * 50_000 + "]" * 50_000
    assert items(f'{{"skip": {deep}, "messages": [1]}}', "messages[*]") == [1]
    with pytest.raises(JsonStreamError, match="nested too deeply") as error:
        items(f'{{"messages": [1, {deep}]}}', "messages[*]")
    assert error.value.path == ("messages", 1)


def test_big_skipped_values_are_walked_not_held() -> None:
    big = json.dumps({"list": [{"text": "x" * 100, "n": n} for n in range(2000)]})
    text = f'{{"contacts": {big}, "messages": [1, 2]}}'
    assert items(text, "messages[*]", chunk=256) == [1, 2]


def _events(text: str, path: str, limit: int = 100) -> list[Event]:
    return list(stream_json(io.StringIO(text), [path], chunk_size=10, max_value=limit))


@pytest.mark.parametrize(
    "long",
    [
        json.dumps("x" * 1000),  # a string
        json.dumps({"text": 'a\\"]}' * 300, "n": [1, [2]]}),  # escapes, brackets in strings
        json.dumps([[["x" * 500]]]),
        "9" * 1000,  # a number: its digits
    ],
)
def test_an_item_longer_than_the_limit_is_walked_past_and_the_next_read(long: str) -> None:
    text = f'{{"messages": [1, {long}, {{"id": 3}}], "after": "x"}}'
    values = [e.value for e in _events(text, "messages[*]") if isinstance(e, Item)]
    assert values[0] == 1
    assert values[2] == {"id": 3}
    too_long = values[1]
    assert isinstance(too_long, TooLong)
    assert too_long.length == len(long)
    assert long.startswith(too_long.head)  # what was held when the limit was passed
    assert len(too_long.head) > 100
    assert f"value is {len(long):,} characters long" in str(too_long)
    assert "over the limit of 100" in str(too_long)


def test_a_skipped_value_cut_short_is_truncated() -> None:
    with pytest.raises(JsonStreamError, match="ends inside a value too long") as error:
        _events('{"messages": [1, "' + "x" * 500, "messages[*]")
    assert error.value.kind == "truncated"


def test_a_key_longer_than_the_limit_is_an_error() -> None:
    text = json.dumps({"k" * 1000: 1, "messages": [1]})
    with pytest.raises(JsonStreamError, match="runs past") as error:
        _events(text, "messages[*]")
    assert error.value.kind == "malformed"


def test_a_long_value_is_never_held_whole() -> None:
    """Memory: 20 MB of string with a 1 MB limit costs about the limit, not the string."""
    text = '{"messages": [1, "' + "x" * 20_000_000 + '", 2]}'
    stream = io.StringIO(text)
    tracemalloc.start()
    try:
        events = list(stream_json(stream, ["messages[*]"], max_value=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [e.value for e in events if isinstance(e, Item)][2] == 2
    assert peak < 8 << 20


DOCUMENT = json.dumps(
    {"name": "c", "messages": [{"id": 1, "t": "a]"}, 22, {"id": 3}], "end": [1, {"x": "y"}]}
)
COMPLETE_AT = {  # the offset at which each item's text is complete
    index: DOCUMENT.index(marker) + len(marker)
    for index, marker in enumerate(['"a]"}', "22", '{"id": 3}'])
}


def read_until_broken(text: str, chunk: int) -> tuple[list[object], JsonStreamError | None]:
    read: list[object] = []
    try:
        for event in stream_json(io.StringIO(text), ["messages[*]"], chunk_size=chunk):
            if isinstance(event, Item):
                read.append(event.value)
    except JsonStreamError as error:
        return read, error
    return read, None


@pytest.mark.parametrize("chunk", [1, 4, 1000])
def test_truncation_at_every_offset(chunk: int) -> None:
    for cut in range(len(DOCUMENT)):
        read, error = read_until_broken(DOCUMENT[:cut], chunk)
        assert error is not None, cut
        assert (error.kind, error.offset) == ("truncated", cut), error
        # An item is yielded once its text is whole; a number only once something follows it.
        whole = [i for i, end in COMPLETE_AT.items() if end < cut or (end == cut and i != 1)]
        assert read == json.loads(DOCUMENT)["messages"][: len(whole)], cut
        if DOCUMENT.index("[") < cut < COMPLETE_AT[2]:
            assert error.path[:2] == ("messages", len(whole))


@pytest.mark.parametrize(
    ("text", "offset", "path"),
    [
        ('{"messages": [1, 2 3]}', 19, ("messages", 2)),
        ('{"messages": [1, {"a" 1}]}', 22, ("messages", 1)),
        ('{"messages": [1,]}', 16, ("messages", 1)),
        ('{"messages": [,1]}', 14, ("messages", 0)),
        ('{"a": tru, "messages": []}', 6, ("a",)),
        ('{"a" 1, "messages": []}', 5, ("a",)),
        ('{"a": 1 "messages": []}', 8, ()),
        ("nonsense", 0, ()),
    ],
)
def test_syntax_errors_carry_offset_and_path(text: str, offset: int, path: tuple[object]) -> None:
    with pytest.raises(JsonStreamError) as error:
        events(text, ["messages[*]"])
    assert error.value.kind == "malformed"
    assert (error.value.offset, error.value.path) == (offset, path)
    assert f"character {offset}" in str(error.value)


def test_trailing_text() -> None:
    assert items('{"messages": [1]}  \n', "messages[*]") == [1]
    with pytest.raises(JsonStreamError, match="after the end") as error:
        events('{"messages": [1]} x', ["messages[*]"])
    assert (error.value.kind, error.value.offset) == ("trailing", 18)
    assert events("[1];\n", ["[*]"], trailing=";")[-1] == Item((), 0, 1)
    with pytest.raises(JsonStreamError):
        events("[1]; [2]", ["[*]"], trailing=";")


def test_empty_text() -> None:
    for text in ("", "   \n", "\ufeff"):
        with pytest.raises(JsonStreamError, match="no JSON value") as error:
            events(text, ["[*]"])
        assert error.value.kind == "truncated"


def test_head_and_offset() -> None:
    stream = io.StringIO("2, 3]")
    found = stream_json(stream, ["[*]"], head="[1, ", offset=100, chunk_size=2)
    assert [e.value for e in found if isinstance(e, Item)] == [1, 2, 3]
    with pytest.raises(JsonStreamError) as error:
        list(stream_json(io.StringIO("2, "), ["[*]"], head="[1, ", offset=100))
    assert error.value.offset == 107


@pytest.mark.parametrize("path", ["", "a..b", "a[1]", "a[*]b", "a.[*]", "a]"])
def test_malformed_paths_are_refused_at_once(path: str) -> None:
    with pytest.raises(ValueError, match="malformed JSON path"):
        stream_json(io.StringIO("{}"), [path])


def test_a_path_inside_another_is_refused() -> None:
    with pytest.raises(ValueError, match="inside another"):
        stream_json(io.StringIO("{}"), ["a", "a.b[*]"])


def test_format_path() -> None:
    assert format_path(("chats", "list", 3, "messages", 7)) == "chats.list[3].messages[7]"
    assert format_path((4,)) == "[4]"
    assert format_path(()) == ""

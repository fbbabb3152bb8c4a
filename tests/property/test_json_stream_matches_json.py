"""Streamed items equal ``json.loads`` of the whole document, whatever the chunk size."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.ingest.common.json_events import Item, JsonStreamError
from veille.ingest.common.json_stream import stream_json

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=16,
)
KEYS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=".[]"),
    min_size=1,
    max_size=6,
)  # a lone surrogate in a key would be read as U+FFFD (see json_stream)
CHUNKS = (1, 2, 3, 7, 64, 1 << 16)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str, list[Any]]:
    """(JSON text, path "k1.k2[*]", the items at that path) with noise around the path."""
    items = draw(st.lists(VALUES, max_size=6))
    keys = draw(st.lists(KEYS, min_size=0, max_size=3, unique=True))
    value: Any = items
    for key in reversed(keys):
        siblings = draw(
            st.dictionaries(KEYS.filter(lambda k, key=key: k != key), VALUES, max_size=3)
        )
        members = list(siblings.items())
        members.insert(draw(st.integers(0, len(members))), (key, value))
        value = dict(members)
    indent = draw(st.sampled_from([None, 0, 1, 2]))
    text = json.dumps(value, indent=indent, ensure_ascii=draw(st.booleans()))
    path = ".".join(keys) + "[*]"
    return text, path, items


@settings(max_examples=150, deadline=None)
@given(documents())
def test_streamed_items_equal_json_loads(document: tuple[str, str, list[Any]]) -> None:
    text, path, expected = document
    navigated: Any = json.loads(text)
    for key in path[:-3].split(".") if path != "[*]" else []:
        navigated = navigated[key]
    assert navigated == expected
    for chunk in CHUNKS:
        events = stream_json(io.StringIO(text), [path], chunk_size=chunk)
        assert [e.value for e in events if isinstance(e, Item)] == expected


@settings(max_examples=100, deadline=None)
@given(documents(), st.data())
def test_a_cut_document_yields_a_prefix_then_one_error(
    document: tuple[str, str, list[Any]], data: st.DataObject
) -> None:
    text, path, expected = document
    cut = data.draw(st.integers(0, max(len(text) - 1, 0)))
    chunk = data.draw(st.sampled_from(CHUNKS))
    read: list[Any] = []
    failure: JsonStreamError | None = None
    try:
        for event in stream_json(io.StringIO(text[:cut]), [path], chunk_size=chunk):
            if isinstance(event, Item):
                read.append(event.value)
    except JsonStreamError as error:
        failure = error
    assert failure is not None, f"no error for a document cut at {cut} of {len(text)}"
    assert (failure.kind, failure.offset) == ("truncated", cut)
    assert read == expected[: len(read)]

"""``encode_raw`` writes what compact json.dumps(ensure_ascii=False) writes, or falls back to it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.ingest.telegram.raw_json import encode_raw

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),  # past 64 bits too: the fallback
    st.text(),  # lone surrogates included: the fallback
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


def python_way(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=300, deadline=None)
@given(value=values)
def test_same_text_as_json(value: Any) -> None:
    assert encode_raw(value) == python_way(value)


@settings(max_examples=200, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_back_the_same(value: float) -> None:
    assert json.loads(encode_raw([value])) == [value]

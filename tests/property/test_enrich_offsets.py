"""Whatever the text, facts point at what they say: text[start:end] is the surface, in bounds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.property.reader_settings import SETTINGS
from veille.enrich.aliases import load_alias_table
from veille.enrich.folding import fold
from veille.enrich.gazetteer import load_gazetteer
from veille.enrich.places import find_places

# Letters that fold (accents, Arabic variants, diacritics, tatweel) mixed with names veille knows.
PIECES = st.sampled_from(
    [
        "Mossoul",
        "الموصل",
        "الْمَوْصِل",
        "ـ",
        "\u064e",
        "\u200f",
        "é",
        "É",
        "l'",
        "EI",
        "Daech",
        "#",
        "_",
        " ",
        "\n",
        "Paris",
        "Tripoli",
        "Police",
        "والعراق",
        "داعش",
        "MOSUL",
        "ß",
        "İ",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=25).map("".join)


@SETTINGS
@given(TEXTS, st.booleans())
def test_folding_spans_map_back_inside_the_text(text: str, lower: bool) -> None:
    folded = fold(text, lower=lower)
    assert len(folded.text) <= len(text)
    for start in range(len(folded.text)):
        original_start, original_end = folded.span(start, start + 1)
        assert 0 <= original_start < original_end <= len(text)


@SETTINGS
@given(TEXTS)
def test_place_mentions_quote_the_text(text: str) -> None:
    previous_end = 0
    for mention in find_places(text, load_gazetteer(), "fr"):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.surface
        assert mention.start >= previous_end
        assert 0.0 < mention.confidence <= 1.0
        previous_end = mention.end


@SETTINGS
@given(TEXTS)
def test_alias_matches_quote_the_text(text: str) -> None:
    for match in load_alias_table().find(text):
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.surface

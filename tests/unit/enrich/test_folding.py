"""Folding keeps offsets: a name found in folded text is highlighted in the original."""

from __future__ import annotations

import pytest

from veille.enrich.folding import fold, fold_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kobané", "Kobane"),
        ("l’EI", "l'EI"),
        ("État islamique", "Etat islamique"),
        ("Daïch", "Daich"),
        ("أإآٱ", "اااا"),
        ("مدينة", "مدينه"),
        ("مستشفى", "مستشفي"),
    ],
)
def test_one_for_one_folds_keep_the_length(text: str, expected: str) -> None:
    folded = fold(text)
    assert folded.text == expected
    assert folded.origin is None
    assert folded.span(0, len(expected)) == (0, len(text))


def test_case_is_kept_unless_asked() -> None:
    assert fold("Mossoul").text == "Mossoul"
    assert fold("MOSSOUL É", lower=True).text == "mossoul e"


def test_arabic_diacritics_and_tatweel_are_removed_and_offsets_map_back() -> None:
    text = "في الْمَوْصِل اليوم ـــ"
    folded = fold(text)
    assert "الموصل" in folded.text
    start = folded.text.index("الموصل")
    original = folded.span(start, start + len("الموصل"))
    assert text[original[0] : original[1]] == "الْمَوْصِل"


def test_keys_ignore_case_accents_and_spacing() -> None:
    assert fold_key("  Daïch   ÉTAT ") == fold_key("daich etat") == "daich etat"

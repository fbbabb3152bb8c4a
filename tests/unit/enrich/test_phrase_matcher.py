"""Names are found on word boundaries, leftmost-longest, after Arabic proclitics."""

from __future__ import annotations

from veille.enrich.phrase_matcher import PhraseMatcher


def _matcher(*keys: str) -> PhraseMatcher[str]:
    matcher: PhraseMatcher[str] = PhraseMatcher()
    for key in keys:
        matcher.add(key, key.upper())
    return matcher


def _found(matcher: PhraseMatcher[str], text: str) -> list[str]:
    return [text[m.start : m.end] for m in matcher.find(text)]


def test_word_boundaries() -> None:
    matcher = _matcher("EI")
    assert _found(matcher, "l'EI recule") == ["EI"]
    assert _found(matcher, "la tour EIffel") == []
    assert _found(matcher, "NEI, EI.") == ["EI"]


def test_longest_match_wins() -> None:
    matcher = _matcher("Islamic State", "Islamic State of Iraq", "Iraq")
    assert _found(matcher, "the Islamic State of Iraq said") == ["Islamic State of Iraq"]
    assert _found(matcher, "the Islamic State in Iraq") == ["Islamic State", "Iraq"]


def test_arabic_proclitic_letters_may_precede_a_name() -> None:
    matcher = _matcher("العراق", "الموصل")
    found = matcher.find("سوريا والعراق وبالموصل")
    assert [m.key for m in found] == ["العراق"]  # "وب" is two proclitics: not taken
    assert found[0].proclitic
    assert _found(matcher, "بالموصل") == ["الموصل"]
    assert _found(matcher, "كالعراق") == ["العراق"]
    assert _found(matcher, "مالعراق") == []  # م is not a proclitic


def test_values_and_removal() -> None:
    matcher = _matcher("Paris")
    matcher.add("Paris", "PARIS, TX")
    assert matcher.find("Paris")[0].values == ("PARIS", "PARIS, TX")
    matcher.remove("Paris")
    assert matcher.find("Paris") == []
    assert len(matcher) == 0

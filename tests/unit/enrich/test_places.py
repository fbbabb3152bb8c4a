"""Places: found whatever the spelling, resolved with a reason, common words left alone."""

from __future__ import annotations

from collections import Counter

import pytest

from veille.enrich.gazetteer import Gazetteer, load_gazetteer
from veille.enrich.places import find_places

MOSUL = 99072


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def _places(gazetteer: Gazetteer, text: str, lang: str | None = None) -> list[tuple[str, str]]:
    return [(m.surface, m.place.place_id) for m in find_places(text, gazetteer, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("Nouvelles depuis Mossoul ce soir", "fr", "Mossoul"),
        ("Heavy shelling in Mosul", "en", "Mosul"),
        ("Neuigkeiten aus Mossul", "de", "Mossul"),
        ("أخبار من الموصل اليوم", "ar", "الموصل"),
        ("أخبار من الْمَوْصِل اليوم", "ar", "الْمَوْصِل"),
        ("الجيش يتقدم بالموصل", "ar", "الموصل"),
        ("#Mossoul", "fr", "Mossoul"),
        ("MOSUL (Reuters) - Iraqi forces", "en", "MOSUL"),
    ],
)
def test_every_spelling_of_mosul_is_mosul(
    gazetteer: Gazetteer, text: str, lang: str, surface: str
) -> None:
    found = find_places(text, gazetteer, lang)
    assert [(m.surface, m.place.geonameid) for m in found] == [(surface, MOSUL)]
    mention = found[0]
    assert text[mention.start : mention.end] == surface
    assert mention.place.country_code == "IQ"
    assert mention.place.level == "city"
    assert mention.reason


def test_accents_are_folded_but_offsets_are_the_original_ones(gazetteer: Gazetteer) -> None:
    text = "La bataille de Kobané est finie"
    found = find_places(text, gazetteer, "fr")
    assert [m.surface for m in found] == ["Kobané"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Police checks everywhere today", "en"),  # Police, Poland
        ("Les frères selon cela", "fr"),  # Les, Selon, Cela: stop words
        ("الحراك مستمر من أجل الحرية", "ar"),  # الحراك "the movement", a town in Syria
        ("This is a nice day", "en"),
    ],
)
def test_common_words_are_not_places(gazetteer: Gazetteer, text: str, lang: str) -> None:
    assert _places(gazetteer, text, lang) == []


def test_a_town_named_like_a_word_needs_its_country_nearby(gazetteer: Gazetteer) -> None:
    alone = "الحراك مستمر"
    supported = "الحراك قرب حلب مستمر"  # Aleppo, Syria, next to it
    assert _places(gazetteer, alone, "ar") == []
    assert ("الحراك", "geonames:173819") in _places(gazetteer, supported, "ar")


def test_country_in_the_same_text_decides_between_homonyms(gazetteer: Gazetteer) -> None:
    by_population = find_places("Clashes in Tripoli", gazetteer, "en")
    assert by_population[0].place.country_code == "LY"
    assert "largest population" in by_population[0].reason
    in_lebanon = find_places("Clashes in Tripoli, north of Beirut", gazetteer, "en")
    assert in_lebanon[0].place.country_code == "LB"
    assert "named in the same text" in in_lebanon[0].reason


def test_the_accounts_other_places_break_ties(gazetteer: Gazetteer) -> None:
    lebanese = Counter({"LB": 12})
    found = find_places("Back in Tripoli tonight", gazetteer, "en", lebanese)
    assert found[0].place.country_code == "LB"
    assert "account's other posts" in found[0].reason


def test_a_persons_name_is_not_a_place(gazetteer: Gazetteer) -> None:
    text = "Joaquin Phoenix flew back to Phoenix."
    persons = [(0, 15)]
    city = text.rindex("Phoenix")
    assert city in [m.start for m in find_places(text, gazetteer, "en")]
    assert find_places(text, gazetteer, "en", person_spans=persons) == []


def test_a_profile_location_is_all_places(gazetteer: Gazetteer) -> None:
    found = find_places("Nice / Mossoul", gazetteer, "en", profile=True)
    assert [(m.surface, m.place.country_code) for m in found] == [("Nice", "FR"), ("Mossoul", "IQ")]
    assert find_places("Nice / Mossoul", gazetteer, "en")[0].surface == "Mossoul"

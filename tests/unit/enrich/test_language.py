"""Language detection: right on clear texts, "unknown" on texts too short to tell."""

from __future__ import annotations

import pytest

from veille.enrich.language import UNKNOWN, LanguageSettings, detect, paragraphs


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nouvelles depuis Mossoul ce soir, les combats continuent", "fr"),
        ("Heavy shelling reported in Mosul since this morning", "en"),
        ("قصف متواصل على الموصل منذ الصباح", "ar"),
        ("Neuigkeiten aus Mossul heute Abend, die Lage ist ernst", "de"),
    ],
)
def test_clear_texts(text: str, lang: str) -> None:
    guess = detect(text)
    assert guess.lang == lang
    assert 0.3 <= guess.confidence <= 1.0


@pytest.mark.parametrize("text", ["ok", "#Mosul https://t.me/x @abc", "12:30", ""])
def test_too_short_is_unknown(text: str) -> None:
    assert detect(text).lang == UNKNOWN


def test_links_and_tags_do_not_decide_the_language() -> None:
    text = "الإخوة في الموصل بخير والحمد لله #Mosul #news https://example.org/news/today"
    assert detect(text).lang == "ar"


def test_stricter_settings_say_unknown() -> None:
    strict = LanguageSettings(min_confidence=0.9999)
    assert detect("Patience les frères, bientôt", strict).lang == UNKNOWN


def test_paragraphs_are_lines() -> None:
    text = "Premier paragraphe.\n\nSecond.\nTroisième."
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "Premier paragraphe.",
        "Second.",
        "Troisième.",
    ]

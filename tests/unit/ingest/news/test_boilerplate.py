"""Boilerplate separation on articles that are not the fixtures: English, Arabic, French."""

from __future__ import annotations

from typing import Any

import pytest

from veille.ingest.news.boilerplate import byline_names, guess_site_name, separate

EN_PARAGRAPH = (
    "The group's media office posted the statement on several channels on Tuesday, according "
    "to researchers who monitor its accounts, and urged supporters to share it widely."
)
EN_ARTICLE = f"""Militant group moves its propaganda to new platforms
By Jane Doe and John Smith
We use cookies to improve your experience. By clicking Accept, you consent to our use of cookies.
Accept all
{EN_PARAGRAPH}
Read more:
Inside the group's media operation
{EN_PARAGRAPH.replace("Tuesday", "Wednesday")}
A new front in the online war
{EN_PARAGRAPH.replace("Tuesday", "Thursday")}
Photo: Reuters/Staff
Follow us on Telegram for the latest updates
Sign in to leave a comment
Share
© 2024 Example News. All rights reserved.
"""

AR_PARAGRAPH = (
    "أعلن المكتب الإعلامي للتنظيم يوم الثلاثاء عن إطلاق قناة جديدة على تطبيق تلغرام، بحسب "
    "باحثين يتابعون حساباته، ودعا أنصاره إلى نشر الرسالة على نطاق واسع."
)
AR_ARTICLE = f"""التنظيم ينقل دعايته إلى منصات جديدة
بقلم محمد علي
{AR_PARAGRAPH}
اقرأ أيضا
خبايا المكتب الإعلامي للتنظيم
{AR_PARAGRAPH.replace("الثلاثاء", "الأربعاء")}
تابعونا على تلغرام
Share this article
"""


def reasons(text: str, **options: Any) -> dict[str, str | None]:
    separation = separate(text, **options)
    return {line.text: line.reason for line in separation.lines}


def test_english_article() -> None:
    found = reasons(EN_ARTICLE, first_line_is_title=True)
    body = [line for line, reason in found.items() if reason is None]
    assert body == [
        EN_PARAGRAPH,
        EN_PARAGRAPH.replace("Tuesday", "Wednesday"),
        "A new front in the online war",  # a subheading: five words, stays in the body
        EN_PARAGRAPH.replace("Tuesday", "Thursday"),
    ]
    assert found["Militant group moves its propaganda to new platforms"] == "title"
    assert found["By Jane Doe and John Smith"] == "byline"
    assert found["Accept all"] == "cookie/consent banner"
    assert found["Read more:"] == "related-article teaser"
    assert found["Inside the group's media operation"] == "teaser headline"
    assert found["Photo: Reuters/Staff"] == "photo credit or caption"
    assert found["Follow us on Telegram for the latest updates"] == "follow/subscribe prompt"
    assert found["Sign in to leave a comment"] == "comment/login prompt"
    assert found["Share"] is not None


def test_arabic_article() -> None:
    found = reasons(AR_ARTICLE, first_line_is_title=True)
    body = [line for line, reason in found.items() if reason is None]
    assert body == [AR_PARAGRAPH, AR_PARAGRAPH.replace("الثلاثاء", "الأربعاء")]
    assert found["بقلم محمد علي"] == "byline"
    assert found["اقرأ أيضا"] == "related-article teaser"
    assert found["خبايا المكتب الإعلامي للتنظيم"] == "teaser headline"
    assert found["تابعونا على تلغرام"] == "follow/subscribe prompt"
    assert found["Share this article"] is not None  # Latin UI string in an Arabic article


def test_every_line_is_kept_somewhere_in_order() -> None:
    separation = separate(EN_ARTICLE, first_line_is_title=True)
    lines = [line for line in EN_ARTICLE.splitlines() if line.strip()]
    assert [line.text for line in separation.lines] == lines
    kept = separation.body.split("\n") + (separation.boilerplate or "").split("\n")
    assert sorted(kept) == sorted(lines)


@pytest.mark.parametrize(
    "paragraph",
    [
        # Article prose that uses the vocabulary of boilerplate must stay in the body.
        "La CNIL a infligé une amende à la plateforme, qui collectait des données personnelles "
        "sans consentement explicite de ses utilisateurs, a indiqué l'autorité dans un communiqué "
        "publié jeudi, ajoutant que l'enquête se poursuivait sur d'autres services de messagerie.",
        "Selon l'enquête, les recruteurs invitaient les jeunes à rejoindre des groupes privés "
        "sur Telegram, où ils diffusaient des vidéos de propagande et des consignes.",
        "By the end of the week, the channel had gained more than 40,000 subscribers, researchers "
        "said, many of them from accounts created in the previous days.",
        "Il a refusé d'accepter les conditions posées par les négociateurs, selon une source "
        "proche du dossier.",
    ],
)
def test_prose_with_boilerplate_words_stays_in_the_body(paragraph: str) -> None:
    text = f"Titre\n{EN_PARAGRAPH}\n{paragraph}\n"
    found = reasons(text, first_line_is_title=True)
    assert found[paragraph] is None


def test_unstructured_mode_keeps_short_lines() -> None:
    text = f"Key points\n{EN_PARAGRAPH}\nWhat happens next\nWe use cookies on this site.\n"
    found = reasons(text, structural=False)
    assert found["Key points"] is None
    assert found["What happens next"] is None
    assert found["We use cookies on this site."] == "cookie/consent banner"
    strict = reasons(text)
    assert strict["Key points"] == "very short line without sentence punctuation"


def test_title_repeated_with_a_suffix_is_set_aside() -> None:
    text = (
        f"Un titre d'article | Rubrique | Site | 23.05.2011\n{EN_PARAGRAPH}\nUn titre d'article\n"
    )
    found = reasons(text, title="Un titre d'article", structural=False)
    assert found["Un titre d'article | Rubrique | Site | 23.05.2011"] == "repeats the title"
    assert found["Un titre d'article"] == "repeats the title"
    assert found[EN_PARAGRAPH] is None


def test_line_in_another_script_is_set_aside() -> None:
    text = f"Titre\n{EN_PARAGRAPH}\nПоделиться материалом\n{EN_PARAGRAPH}\n"
    found = reasons(text)
    assert found["Поделиться материалом"] == "UI string in another script"


def test_bilingual_text_has_no_dominant_script() -> None:
    text = f"{AR_PARAGRAPH}\n{EN_PARAGRAPH}\n"
    found = reasons(text)
    assert found[AR_PARAGRAPH] is None
    assert found[EN_PARAGRAPH] is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Auteur : Kossivi Tiassou", ["Kossivi Tiassou"]),
        ("By Jill Serjeant", ["Jill Serjeant"]),
        ("Par Jean de La Fontaine et Marie Curie", ["Jean de La Fontaine", "Marie Curie"]),
        ("حوار: آسيا العتروس", ["آسيا العتروس"]),
        ("بقلم محمد علي", ["محمد علي"]),
        ("By the end of the day", None),
        ("Par ailleurs, il a ajouté", None),
        ("Les autorités ont annoncé une enquête.", None),
    ],
)
def test_byline_names(line: str, names: list[str] | None) -> None:
    assert byline_names(line) == names


@pytest.mark.parametrize(
    ("lines", "site"),
    [
        (["Mossoul - Sputnik Afrique", "x", "Europol - Sputnik Afrique"], "Sputnik Afrique"),
        (["RT en français utilise des cookies pour exploiter ses services."], "RT en français"),
        (["Suivez RT en français surTelegram"], "RT en français"),
        (["Follow Example News on Twitter"], "Example News"),
        (["Follow us on Telegram"], None),
        (["Paris - Le Monde"], None),  # once is not enough: could be a dateline
    ],
)
def test_guess_site_name(lines: list[str], site: str | None) -> None:
    assert guess_site_name(lines) == site

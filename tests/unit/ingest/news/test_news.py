"""The news reader: the SOURCES.md expectations of both news fixtures, and edge cases."""

from __future__ import annotations

import hashlib
import json
import socket
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.news.reader import NewsReader
from veille.model import Actor, Interaction, Note, Post, Record, Reject

READER = NewsReader()


def read(path: Path, **options: Any) -> list[Record]:
    return list(READER.read(path, ReadOptions(**options)))


def only_post(records: list[Record]) -> Post:
    posts = [record for record in records if isinstance(record, Post)]
    assert len(posts) == 1
    return posts[0]


def outlets(records: list[Record]) -> list[Actor]:
    return [r for r in records if isinstance(r, Actor) and r.kind == "outlet"]


def nonempty_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- news-text: every line of both files, article or boilerplate, with the reason -------------

SPUTNIK = "news-text/sputnik-2017-daech-reseaux-sociaux.txt"
RT = "news-text/rt-2016-daesh-messageries.txt"

# The first words of each article paragraph; the whole line must be in the body.
SPUTNIK_ARTICLE = [
    "Les réseaux sociaux sont désormais interdits d’accès",  # lead
    "Les terroristes de Daech se trouvant près de la ville",
    "Daech « utilise cette technique quand il y a un enjeu",
    "La communication des combattants sur les réseaux sociaux",  # glued under a teaser
    "« L'EI a régulièrement effectué des interdictions",
    "Toutefois, l'ordre de renoncer aux réseaux sociaux",
    "« Les cellules de communication de l'EI existent",
    "D'après lui, Daech n'a pas d'intérêt à pérenniser",  # glued under a teaser
    "En plus, « toute information tactique ou sensible",
    "Début mai, un porte-parole d'Europol a annoncé",
]
SPUTNIK_BOILERPLATE = [
    "Daech interdit à ses membres d’utiliser les réseaux sociaux à Mossoul",  # title (Post.title)
    "S'abonner",  # subscribe button
    "Mossoul - Sputnik Afrique",  # related-article tag: place - site name
    "Daech au bord d'une «défaite totale» à Mossoul, selon la coalition",  # its headline
    "Europol - Sputnik Afrique",  # second related-article tag
    "Daech cherche à créer son propre réseau social, selon Europol",  # its headline
    "Suivez Sputnik sur Telegram pour ne jamais manquer",  # Telegram prompt
    "Fil d’actu",  # news-feed widget
    "0",  # comment counter
    "Pour participer aux discussions, identifiez-vous",  # comment-login prompt
    "loader",  # UI string
    "Chat",  # UI string
    "Заголовок открываемого материала",  # Russian UI string, another script
]
RT_ARTICLE = [
    "L'Etat islamique estime que l'utilisation des applications",  # lead
    "«Si vous accédez à des applications comme WhatsApp",
    "L'organisation terroriste soupçonne la coalition militaire",
    "Jusqu'à encore récemment, Daesh utilisait ces applications",
    "Selon les autorités françaises, Daesh aurait été",
    "Par ailleurs, l'organisation terroriste n'avait pas hésité",
    "La coalition militaire dirigée par les Etats-Unis bombarde",
]
RT_BOILERPLATE = [
    "Daesh demande à ses partisans d'arrêter d'utiliser des applications de messagerie",  # title
    "messagerie © Dado Ruvic Source: Reuters",  # photo caption and credit
    "Suivez RT en français surTelegram",  # Telegram prompt (twice in the file)
    "Lire aussi : Syrie : un drone russe",  # related-article teaser with its headline
    "Raconter l'actualité",  # site slogan
    'En cliquant sur "Tout Accepter" vous consentez',  # cookie banner from here on
    "OK",
    "RT en français utilise des cookies",
    "Vous pouvez exprimer vos choix en cliquant",
    "Pour en savoir plus sur vos droits et nos pratiques en matière de cookies",
    "Tout AccepterTout refuserParamétrer vos choix",
]


def line_starting(lines: list[str], start: str) -> str:
    """The fixture line holding ``start``; the fixtures use no-break spaces inside guillemets."""
    matches = [line for line in lines if line == start] or [
        line for line in lines if start in " ".join(line.split())
    ]
    assert matches, f"no line with {start!r} in the fixture"
    return matches[0]


@pytest.mark.parametrize(
    ("name", "article", "boilerplate"),
    [(SPUTNIK, SPUTNIK_ARTICLE, SPUTNIK_BOILERPLATE), (RT, RT_ARTICLE, RT_BOILERPLATE)],
)
def test_text_body_keeps_article_paragraphs_and_sets_boilerplate_aside(
    fixtures_dir: Path, name: str, article: list[str], boilerplate: list[str]
) -> None:
    path = fixtures_dir / name
    lines = nonempty_lines(path)
    post = only_post(read(path))
    assert post.boilerplate is not None
    body_lines = post.text.split("\n")
    aside_lines = post.boilerplate.split("\n")
    for start in article:
        line = line_starting(lines, start)
        assert line in body_lines, f"article paragraph not whole in the body: {start!r}"
    for start in boilerplate:
        line = line_starting(lines, start)
        assert line in aside_lines, f"not in the boilerplate: {start!r}"
        assert line not in body_lines, f"boilerplate in the body: {start!r}"
    # Nothing lost, nothing invented: the file's lines are exactly body + boilerplate.
    assert sorted(body_lines + aside_lines) == sorted(lines)
    assert len(body_lines) == len(article)


def test_text_cookie_telegram_and_cyrillic_strings_are_not_in_the_body(
    fixtures_dir: Path,
) -> None:
    sputnik = only_post(read(fixtures_dir / SPUTNIK))
    rt = only_post(read(fixtures_dir / RT))
    for forbidden in ("Telegram pour ne jamais", "Заголовок", "identifiez-vous", "Fil d’actu"):
        assert forbidden not in sputnik.text
        assert forbidden in (sputnik.boilerplate or "")
    for forbidden in ("cookies", "Tout Accepter", "surTelegram", "© Dado Ruvic", "Lire aussi"):
        assert forbidden not in rt.text
        assert forbidden in (rt.boilerplate or "")
    assert "Telegram" in rt.text  # the article itself speaks of Telegram: that stays


def test_text_sputnik_post_and_outlet(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / SPUTNIK)
    post = only_post(records)
    assert post.title == "Daech interdit à ses membres d’utiliser les réseaux sociaux à Mossoul"
    assert post.kind == "article"
    assert post.platform == "web"
    assert post.text.startswith("Les réseaux sociaux sont désormais interdits")
    assert post.text.endswith("en évitant les contrôles de sécurité.")
    assert post.posted_at is None  # no date line in the text
    assert post.lang_hint is None
    assert post.url is None
    assert post.id == post_id("web", "sha256:" + hashlib.sha256(post.text.encode()).hexdigest())
    [outlet] = outlets(records)
    assert outlet.name == "Sputnik Afrique"
    assert outlet.id == actor_id("web", "Sputnik Afrique")
    assert post.author_id == outlet.id
    assert post.extra == {"site_name": "Sputnik Afrique"}
    assert post.provenance.locator == "whole file"
    assert not [r for r in records if isinstance(r, Interaction | Reject)]


def test_text_rt_post_and_outlet(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / RT)
    post = only_post(records)
    assert post.title == (
        "Daesh demande à ses partisans d'arrêter d'utiliser des applications de messagerie"
    )
    assert post.text.startswith("L'Etat islamique estime")
    assert post.text.endswith("depuis le mois de septembre 2015.")
    [outlet] = outlets(records)
    assert outlet.id == actor_id("web", "RT en français")
    assert any("RT en français" in r.text for r in records if isinstance(r, Note))


# --- news-html: the trafilatura evaluation data ----------------------------------------------


def evaldata(fixtures_dir: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((fixtures_dir / "news-html/trafilatura-evaldata-subset.json").read_text())
    return {entry["file"]: entry | {"url": url} for url, entry in data.items()}


HTML_FILES = {
    "dw.com-elephants.html": "fr-dw.com-elephants.html",
    "reuters.com.parasite.html": "en-reuters.com.parasite.html",
    "assabah.com.tn.article.html": "ar-assabah.com.tn.article.html",
}


@pytest.mark.parametrize("source", sorted(HTML_FILES))
def test_html_main_text_has_the_with_snippets_and_not_the_without(
    fixtures_dir: Path, source: str
) -> None:
    expected = evaldata(fixtures_dir)[source]
    post = only_post(read(fixtures_dir / "news-html" / HTML_FILES[source]))
    for snippet in expected["with"]:
        assert snippet in post.text
    for snippet in expected["without"]:
        assert snippet not in post.text


@pytest.mark.parametrize("source", sorted(HTML_FILES))
def test_html_title_and_author_match_the_evaluation_data(fixtures_dir: Path, source: str) -> None:
    expected = evaldata(fixtures_dir)[source]
    post = only_post(read(fixtures_dir / "news-html" / HTML_FILES[source]))
    assert post.title is not None
    assert " ".join(post.title.split()) == " ".join(expected["title"].split())
    if expected["author"]:
        assert post.extra["authors"] == [expected["author"]]


def test_html_dw(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "news-html/fr-dw.com-elephants.html")
    post = only_post(records)
    assert post.posted_at == datetime(2011, 5, 23, tzinfo=UTC)
    assert post.utc_offset_min is None  # a day, no offset shown
    assert post.lang_hint == "fr"
    assert post.url == (
        "https://www.dw.com/fr/la-perte-des-terres-fertiles-et-les-%C3%A9l%C3%A9phants-en-"
        "guin%C3%A9e-conakry/a-6533123"
    )
    assert post.id == post_id("web", post.url)
    # The site (meta author "Deutsche Welle") is not the author; the byline is.
    assert post.extra["authors"] == ["Kossivi Tiassou"]
    assert "Nous utilisons des cookies" in (post.boilerplate or "")
    [outlet] = outlets(records)
    assert outlet.id == actor_id("web", "dw.com")


def test_html_reuters(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "news-html/en-reuters.com.parasite.html")
    post = only_post(records)
    # The page declares og:article:published_time 2020-01-19T12:25:36Z: kept to the second
    # (htmldate alone gives the day, 2020-01-20 in trafilatura's realworld tests).
    assert post.posted_at == datetime(2020, 1, 19, 12, 25, 36, tzinfo=UTC)
    assert post.utc_offset_min == 0
    assert post.lang_hint == "en"
    assert post.url == "https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH"
    assert post.extra["site_name"] == "Reuters"
    assert post.text.startswith("LOS ANGELES (Reuters) - South Korean thriller")
    assert "DISAPPOINTING NIGHT FOR ‘IRISHMAN’" in post.text.split("\n")  # a subheading stays
    [outlet] = outlets(records)
    assert outlet.id == actor_id("web", "reuters.com")
    assert outlet.name == "Reuters"


def test_html_arabic_page_is_arabic(fixtures_dir: Path) -> None:
    records = read(fixtures_dir / "news-html/ar-assabah.com.tn.article.html")
    post = only_post(records)
    assert post.lang_hint == "ar"
    letters = [char for char in post.text if char.isalpha()]
    arabic = [char for char in letters if unicodedata.name(char).startswith("ARABIC")]
    assert len(arabic) > 0.95 * len(letters)
    assert post.text.startswith("مالذي يحدث في السودان؟")
    assert post.extra["site_name"] == "Assabah News"
    # No author in the metadata; the byline in the text names the interviewer.
    assert post.extra["authors"] == ["آسيا العتروس"]
    [outlet] = outlets(records)
    assert outlet.id == actor_id("web", "assabah.com.tn")


def test_reading_never_opens_a_socket(
    fixtures_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the news reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for path in (fixtures_dir / "news-html").glob("*.html"):
        assert only_post(read(path)).text
    # htmldate downloads a string that looks like a URL; the reader must never hand it one.
    page = tmp_path / "link.html"
    page.write_text("http://127.0.0.1:9/page.html", encoding="utf-8")
    with pytest.raises(InputError, match="no HTML"):
        read(page)


# --- sniff -----------------------------------------------------------------------------------


def test_sniff_fixtures(fixtures_dir: Path) -> None:
    for path in (fixtures_dir / "news-html").glob("*.html"):
        assert READER.sniff(path) == 70
    for path in (fixtures_dir / "news-text").glob("*.txt"):
        assert READER.sniff(path) == 30
    assert READER.sniff(fixtures_dir / "news-html") == 0
    assert READER.sniff(fixtures_dir / "news-html/trafilatura-evaldata-subset.json") == 0


def test_sniff_leaves_chats_and_scraps_alone(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "".join(
            f"12/06/2017, 10:{minute:02d} - Abu: this is a message long enough to look like a "
            "sentence of prose. It even ends with a period.\n"
            for minute in range(30)
        ),
        encoding="utf-8",
    )
    assert READER.sniff(chat) == 0
    notes = tmp_path / "list.txt"
    notes.write_text("eggs\nmilk\nbread\n", encoding="utf-8")
    assert READER.sniff(notes) == 0
    page = tmp_path / "page.htm"
    page.write_text("<div><p>Hello</p></div>", encoding="utf-8")
    assert READER.sniff(page) == 70
    doctype = tmp_path / "saved"
    doctype.write_text("<!DOCTYPE html><html><body><p>x</p></body></html>", encoding="utf-8")
    assert READER.sniff(doctype) == 70


# --- edge cases ------------------------------------------------------------------------------

PARAGRAPH = (
    "Les autorités ont annoncé mercredi que l'enquête sur les réseaux de propagande avait "
    "permis d'identifier plusieurs comptes très actifs, selon un communiqué publié à Paris."
)


def test_empty_and_blank_files_raise(tmp_path: Path) -> None:
    for name, content in (("empty.txt", b""), ("blank.html", b"  \n\n "), ("empty.html", b"")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError, match="empty file"):
            read(path)


def test_binary_file_named_html_raises_one_line_reason(tmp_path: Path) -> None:
    path = tmp_path / "photo.html"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(InputError, match=r"^news: photo\.html: binary content") as error:
        read(path)
    assert "\n" not in str(error.value)


def test_html_without_article_text_raises(tmp_path: Path) -> None:
    path = tmp_path / "empty-page.html"
    path.write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="no article text"):
        read(path)


def test_folder_is_not_read(tmp_path: Path) -> None:
    assert READER.sniff(tmp_path) == 0
    with pytest.raises(InputError, match="folder"):
        read(tmp_path)


def test_cp1252_french_text_decodes(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    text = f"Un titre accentué : l'été à Mossoul\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n"
    path.write_bytes(text.encode("cp1252"))
    records = read(path)
    post = only_post(records)
    assert post.title == "Un titre accentué : l'été à Mossoul"
    assert post.text == f"{PARAGRAPH}\n{PARAGRAPH}"
    assert any("cp1252" in r.text for r in records if isinstance(r, Note))


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    path = tmp_path / "latin.html"
    html = (
        '<html lang="fr-FR"><head><meta charset="windows-1252"><title>Été</title></head>'
        f"<body><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>"
    )
    path.write_bytes(html.encode("cp1252"))
    post = only_post(read(path))
    assert "réseaux de propagande" in post.text
    assert post.lang_hint == "fr"


def test_text_date_line_gives_the_publication_time(tmp_path: Path) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(
        f"Titre de l'article\nPublié le 14.06.2017 à 10h32\n\n{PARAGRAPH}\n", encoding="utf-8"
    )
    post = only_post(read(path, zone=ZoneInfo("Europe/Paris")))
    assert post.posted_at == datetime(2017, 6, 14, 8, 32, tzinfo=UTC)
    assert post.utc_offset_min is None  # the text showed no offset
    assert post.boilerplate == "Titre de l'article\nPublié le 14.06.2017 à 10h32"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("3 juin 2017", datetime(2017, 6, 3)),
        ("June 3, 2017", datetime(2017, 6, 3)),
        ("2017-06-03", datetime(2017, 6, 3)),
        ("03/06/2017", datetime(2017, 6, 3)),  # day first unless told otherwise
        ("13/06/2017", datetime(2017, 6, 13)),
        ("06/13/2017", datetime(2017, 6, 13)),  # only month-first fits
        ("3 يونيو 2017", datetime(2017, 6, 3)),
    ],
)
def test_text_date_forms(tmp_path: Path, line: str, expected: datetime) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(f"Titre\n{line}\n{PARAGRAPH}\n", encoding="utf-8")
    post = only_post(read(path))
    assert post.posted_at == expected.replace(tzinfo=UTC)


def test_text_date_order_option(tmp_path: Path) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(f"Titre\n03/06/2017\n{PARAGRAPH}\n", encoding="utf-8")
    post = only_post(read(path, date_order="month"))
    assert post.posted_at == datetime(2017, 3, 6, tzinfo=UTC)


def test_impossible_date_line_is_not_a_date(tmp_path: Path) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(f"Titre\n31.02.2017\n{PARAGRAPH}\n", encoding="utf-8")
    post = only_post(read(path))
    assert post.posted_at is None
    assert "31.02.2017" in (post.boilerplate or "")  # kept, not lost


def test_html_date_is_midnight_in_the_zone(fixtures_dir: Path) -> None:
    path = fixtures_dir / "news-html/fr-dw.com-elephants.html"
    post = only_post(read(path, zone=ZoneInfo("Europe/Paris")))
    assert post.posted_at == datetime(2011, 5, 22, 22, 0, tzinfo=UTC)


def test_mentions_become_outlet_to_account_interactions(tmp_path: Path) -> None:
    folder = tmp_path / "Le Journal"
    folder.mkdir()
    path = folder / "article.txt"
    path.write_text(
        f"Titre\n\n{PARAGRAPH} Le compte @amaq_agency a relayé le message de @Nashir_news.\n",
        encoding="utf-8",
    )
    records = read(path)
    post = only_post(records)
    [outlet] = outlets(records)
    # No site name in the text: the folder names the outlet.
    assert outlet.id == actor_id("web", "Le Journal")
    accounts = {r.handle for r in records if isinstance(r, Actor) and r.kind == "account"}
    assert accounts == {"amaq_agency", "Nashir_news"}
    edges = [r for r in records if isinstance(r, Interaction)]
    assert {(e.kind, e.source_actor_id, e.target_actor_id) for e in edges} == {
        ("mention", outlet.id, actor_id("web", "amaq_agency")),
        ("mention", outlet.id, actor_id("web", "Nashir_news")),
    }
    assert all(e.post_id == post.id for e in edges)


def test_title_only_files_are_distinct_posts(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Premier titre\n", encoding="utf-8")
    second.write_text("Second titre\n", encoding="utf-8")
    one, two = only_post(read(first)), only_post(read(second))
    assert one.text == two.text == ""
    assert one.id != two.id
    assert one.boilerplate == "Premier titre"


def test_truncated_page_keeps_what_precedes_the_cut(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Un titre</title></head><body><article>"
        f"<p>{PARAGRAPH}</p><p>Deuxième paragraphe : {PARAGRAPH}</p><p>Troisième {PARAGRAPH}"
    )
    path = tmp_path / "cut.html"
    path.write_text(page[: len(page) - 40], encoding="utf-8")
    post = only_post(read(path))
    assert f"Deuxième paragraphe : {PARAGRAPH}" in post.text


def test_undecodable_bytes_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    paragraphs = f"<p>{PARAGRAPH}</p>" * 20
    data = f"<html><body><article>{paragraphs}</article></body></html>".encode()
    # Three stray bytes in a UTF-8 page: replaced and counted, the rest stays UTF-8.
    path.write_bytes(data[:12] + b"\xff\xfe\xfa" + data[12:])
    records = read(path)
    notes = [r.text for r in records if isinstance(r, Note)]
    assert only_post(records).text
    assert any("3 characters did not decode as utf-8" in note for note in notes), notes
    assert "réseaux de propagande" in only_post(records).text

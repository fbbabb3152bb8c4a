"""News articles as saved web pages (article amid navigation, cookie banner, footer) or text.

The HTML pages carry the metadata news sites do (``og:`` tags, ``article:published_time``,
JSON-LD); the text file is what copying a page gives: title, photo credit, "follow us on
Telegram", body, a "read also" teaser and the cookie-consent text.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from veille.demo.news_articles import ALIASES, ARTICLES, Article
from veille.demo.output import FileReport, write_bytes
from veille.demo.scenario import CITIES

__all__ = ["article_truth", "write_news"]

_CHROME: dict[str, dict[str, str]] = {
    "fr": {
        "cookie": "Nous utilisons des cookies pour mesurer l'audience et personnaliser les "
        "contenus. En cliquant sur « Tout accepter », vous consentez à leur dépôt.",
        "accept": "Tout accepter",
        "refuse": "Tout refuser",
        "nav": "Accueil|Monde|France|Économie|Culture|Vidéos",
        "by": "Par",
        "follow": "Suivez-nous sur Telegram",
        "comments": "Pour participer aux discussions, identifiez-vous ou créez un compte",
        "footer": "© 2016 Tous droits réservés · Mentions légales · Contact",
    },
    "en": {
        "cookie": "We use cookies to improve your experience and to show you relevant "
        "advertising. By clicking “Accept all” you agree to their use.",
        "accept": "Accept all",
        "refuse": "Reject all",
        "nav": "Home|World|UK|Business|Culture|Video",
        "by": "By",
        "follow": "Follow us on Telegram",
        "comments": "Sign in or create an account to join the discussion",
        "footer": "© 2016 All rights reserved · Terms · Privacy policy · Contact",
    },
    "ar": {
        "cookie": "نستخدم ملفات تعريف الارتباط لتحسين تجربتك. بالنقر على «قبول الكل» فإنك توافق "
        "على استخدامها.",
        "accept": "قبول الكل",
        "refuse": "رفض الكل",
        "nav": "الرئيسية|أخبار|اقتصاد|ثقافة|رياضة",
        "by": "بقلم",
        "follow": "تابعونا على تلغرام",
        "comments": "سجل الدخول للمشاركة في النقاش",
        "footer": "© 2016 جميع الحقوق محفوظة · اتصل بنا",
    },
}
_COOKIE_TEXT_FR = (
    'En cliquant sur "Tout accepter" vous consentez au traitement de certaines données '
    "personnelles stockées sur votre terminal (adresses IP, données de navigation, données "
    'd\'utilisation). En cliquant sur "Tout refuser", seuls les cookies techniques seront '
    "déposés. Vous pouvez modifier vos choix à tout moment via la rubrique «Paramétrer vos "
    "choix»."
)


def _html(article: Article) -> str:
    chrome = _CHROME[article.lang]
    direction = ' dir="rtl"' if article.lang == "ar" else ""
    site = article.url.split("/")[2]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published,
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": article.outlet},
        "inLanguage": article.lang,
    }
    nav = "".join(
        f'<li><a href="https://{site}/{n}">{escape(label)}</a></li>'
        for n, label in enumerate(chrome["nav"].split("|"))
    )
    paragraphs = article.paragraphs
    middle = len(paragraphs) // 2
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs[:middle])
    body += f'\n<aside class="related"><p><a href="https://{site}/related">'
    body += f"{escape(article.teaser)}</a></p></aside>\n"
    body += "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs[middle:])
    return f"""<!DOCTYPE html>
<html lang="{article.lang}"{direction}>
<head>
<meta charset="utf-8">
<title>{escape(article.title)} | {escape(article.outlet)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(paragraphs[0][:150])}">
<meta name="author" content="{escape(article.author)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(article.title)}">
<meta property="og:url" content="{escape(article.url)}">
<meta property="og:site_name" content="{escape(article.outlet)}">
<meta property="article:published_time" content="{article.published}">
<meta property="article:section" content="{escape(article.section)}">
<link rel="canonical" href="{escape(article.url)}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<div id="cookie-banner" class="cookie-consent" role="dialog">
<p>{escape(chrome["cookie"])}</p>
<button class="accept">{escape(chrome["accept"])}</button>
<button class="refuse">{escape(chrome["refuse"])}</button>
</div>
<header class="site-header">
<a class="logo" href="https://{site}/">{escape(article.outlet)}</a>
<nav class="main-nav"><ul>{nav}</ul></nav>
</header>
<main>
<article class="story">
<p class="kicker">{escape(article.section)}</p>
<h1>{escape(article.title)}</h1>
<p class="byline">{escape(chrome["by"])} <span class="author">{escape(article.author)}</span>,
<time datetime="{article.published}">{escape(article.published_label)}</time></p>
{body}
</article>
<div class="share-bar"><a href="https://t.me/share/url?url={escape(article.url)}">Telegram</a>
<span>{escape(chrome["follow"])}</span></div>
<section class="comments"><p>{escape(chrome["comments"])}</p></section>
</main>
<footer class="site-footer"><p>{escape(chrome["footer"])}</p></footer>
</body>
</html>
"""


def _text(article: Article) -> str:
    lines = [
        article.title,
        "",
        f"{article.title} © Photo d'illustration Source: Dépêche Exemple",
        "Suivez-nous surTelegram",
        "",
    ]
    for paragraph in article.paragraphs:
        lines += [paragraph, ""]
    lines += [
        article.teaser,
        "",
        "Suivez-nous surTelegram",
        "",
        _COOKIE_TEXT_FR,
        "",
        "OK",
        "",
        "Tout AccepterTout refuserParamétrer vos choix",
    ]
    return "\n".join(lines)


def _found(names: list[tuple[str, str]], text: str) -> list[str]:
    found: list[str] = []
    for key, name in names:
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) and key not in found:
            found.append(key)
    return found


def article_truth(article: Article) -> dict[str, Any]:
    """What the article says, for the ground truth: aliases and cities, body vs boilerplate."""
    body = "\n".join((article.title, *article.paragraphs))
    city_names = [
        (city.key, name)
        for city in CITIES.values()
        for spellings in city.names.values()
        for name in spellings
    ]
    aliases = [(alias, alias) for alias in ALIASES]
    return {
        "file": article.file,
        "lang": article.lang,
        "outlet": article.outlet,
        "url": article.url,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "aliases": _found(aliases, body),
        "places": _found(city_names, body),
        "boilerplate_places": _found(city_names, article.teaser),
        "paragraphs": len(article.paragraphs),
    }


def write_news(folder: Path) -> list[FileReport]:
    """Write every article; one report per file."""
    reports = []
    for article in ARTICLES:
        content = _html(article) if article.form == "html" else _text(article)
        write_bytes(folder / article.file, content.encode("utf-8"))
        reports.append(
            FileReport(
                article.file,
                "news-html" if article.form == "html" else "news-text",
                records=1,
                zone=None,
                extra={"lang": article.lang},
            )
        )
    return reports

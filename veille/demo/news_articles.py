"""The demo's news articles: invented outlets on example domains, reporting the planted events.

Each names the group under several aliases and the story's cities under their local exonyms.
``teaser`` is a "read also" link and sits in the boilerplate, not in the article body.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ALIASES", "ARTICLES", "Article"]

# Every way the articles name the group, as written.
ALIASES: tuple[str, ...] = (
    "Daech", "Daesh", "EI", "État islamique", "Etat islamique", "ISIS", "ISIL",
    "Islamic State", "الدولة الإسلامية", "داعش",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Article:
    """One article: where it is published, its text, and its boilerplate."""

    file: str  # relative path in the scenario folder
    form: str  # "html" or "text"
    lang: str
    outlet: str
    url: str
    title: str
    author: str
    published: str  # ISO 8601 with offset
    published_label: str  # the date as the page prints it
    paragraphs: tuple[str, ...]
    teaser: str  # "read also" line, boilerplate
    section: str


ARTICLES: tuple[Article, ...] = (
    Article(
        file="news/fr-le-veilleur-mossoul-silence.html",
        form="html",
        lang="fr",
        outlet="Le Veilleur du Soir",
        url="https://www.example.org/monde/2016/11/21/mossoul-silence-numerique-daech",
        title="Mossoul : le silence numérique de Daech intrigue les enquêteurs",
        author="Claire Fontenay",
        published="2016-11-21T08:30:00+01:00",
        published_label="21 novembre 2016 à 08h30",
        paragraphs=(
            "Depuis le 14 novembre, les comptes de l'organisation État islamique qui publiaient "
            "chaque jour depuis Mossoul se sont presque tous tus. Sur Twitter comme sur Telegram, "
            "le volume de messages venant de la ville a chuté d'environ 90 %.",
            "Selon plusieurs chercheurs, Daech aurait ordonné à ses membres de cesser toute "
            "activité en ligne autour de Mossoul, de crainte que leurs téléphones ne soient "
            "localisés par la coalition.",
            "À Raqqa, en revanche, le bureau des médias de l'EI continue de diffuser ses "
            "publications au même rythme, tout comme les relais installés en Europe.",
            "À Paris et à Bruxelles, les services spécialisés observent ces comptes de près : "
            "« Le silence d'une ville est en soi une information », résume un enquêteur.",
        ),
        teaser="Lire aussi : À Berlin, la police s'inquiète des messageries chiffrées",
        section="Monde",
    ),
    Article(
        file="news/en-example-herald-telegram-move.html",
        form="html",
        lang="en",
        outlet="The Example Herald",
        url="https://www.example.com/world/2016/dec/19/islamic-state-supporters-telegram",
        title="Islamic State supporters quit Twitter for Telegram",
        author="Martin Hale",
        published="2016-12-19T10:00:00+00:00",
        published_label="Mon 19 Dec 2016 10.00 GMT",
        paragraphs=(
            "A cluster of European accounts that spread Islamic State material on Twitter went "
            "quiet last week. Within days the same names reappeared in a Telegram group whose "
            "link they had posted in their final tweets.",
            "Researchers who follow ISIS online say the move began on 12 December. Supporters "
            "based in London, Brussels and Berlin were among the first to leave.",
            "Channels relaying news from Raqqa kept posting as usual, while activity around "
            "Mosul has been almost silent since mid-November, as ISIL fighters were reportedly "
            "ordered off their phones.",
            "Twitter said it had suspended several accounts. Telegram did not respond to a "
            "request for comment.",
        ),
        teaser="Read more: Paris prosecutors open inquiry into online recruitment",
        section="World",
    ),
    Article(
        file="news/ar-sahifat-al-mithal-mosul.html",
        form="html",
        lang="ar",
        outlet="صحيفة المثال",
        url="https://ar.example.org/news/2016/11/25/mosul-silence",
        title="صمت إعلامي لتنظيم داعش في الموصل",
        author="سامر الحلبي",
        published="2016-11-25T12:00:00+03:00",
        published_label="25 نوفمبر 2016",
        paragraphs=(
            "توقفت معظم الحسابات التابعة لتنظيم الدولة الإسلامية في الموصل عن النشر منذ منتصف "
            "شهر نوفمبر، بحسب متابعين لنشاط التنظيم على شبكات التواصل.",
            "ويرى باحثون أن داعش طلب من عناصره في الموصل التوقف عن استخدام الهواتف خوفا من "
            "تحديد مواقعهم، بينما تواصل حسابات الرقة النشر بشكل طبيعي.",
            "وفي باريس، قال خبير في شؤون الجماعات المسلحة إن هذا الصمت قد يكون مؤقتا.",
        ),
        teaser="اقرأ أيضا: تقرير عن قنوات تلغرام في لندن",
        section="أخبار",
    ),
    Article(
        file="news/fr-depeche-partisans-telegram.txt",
        form="text",
        lang="fr",
        outlet="Dépêche Exemple",
        url="https://depeche.example.org/2016/12/20/daesh-partisans-telegram",
        title="Daesh : des partisans européens quittent Twitter pour Telegram",
        author="Rédaction",
        published="2016-12-20T18:45:00+01:00",
        published_label="20 décembre 2016",
        paragraphs=(
            "Plusieurs comptes de partisans de l'Etat islamique basés en Europe ont cessé de "
            "publier sur Twitter à la mi-décembre et annoncé leur départ vers un groupe "
            "Telegram.",
            "Selon un chercheur interrogé, ces comptes, actifs depuis Bruxelles, Londres et "
            "Berlin, relayaient surtout des nouvelles de Rakka, où l'EI conserve son bureau "
            "des médias.",
            "Depuis Mossoul, en revanche, Daesh ne publie presque plus rien depuis le 14 novembre.",
        ),
        teaser="Lire aussi : Paris renforce la surveillance des réseaux sociaux",
        section="International",
    ),
)

"""Post texts as typed parts (plain, hashtag, mention, link), in the author's language.

Writers render the parts their own way: plain text for CSV and WhatsApp, entity arrays for
Telegram JSON, anchors for Telegram HTML. Every text names at most one city (the post's place),
in the spelling of its language, sometimes as a hashtag.
"""

from __future__ import annotations

import random

from veille.demo.scenario import CITIES, GROUP_USERNAME

__all__ = ["Part", "announcement", "body", "join_plain", "merge"]

Part = tuple[str, str]  # (kind, text): kind is "plain", "hashtag", "mention" or "link"

# Reports from the conflict zone.
_FRONT: dict[str, tuple[str, ...]] = {
    "ar": (
        "أخبار من {p} اليوم", "الإخوة في {p} بخير والحمد لله", "تقرير جديد عن الوضع في {p}",
        "قصف متواصل على {p} منذ الصباح", "صور جديدة من {p}", "بيان جديد من المكتب الإعلامي في {p}",
        "الأسواق في {p} مزدحمة هذا المساء", "انقطاع الكهرباء في {p} مرة أخرى",
    ),
    "en": (
        "News from {p} today", "Brothers in {p} are steadfast",
        "New report on the situation in {p}", "Heavy shelling reported in {p} since this morning",
        "New pictures from {p}", "Markets in {p} are busy tonight",
        "Latest update from {p}: more details soon", "Power cut again in {p}",
    ),
    "fr": (
        "Nouvelles depuis {p} ce soir", "Les frères de {p} tiennent bon",
        "Nouveau rapport sur la situation à {p}", "Bombardements signalés à {p} depuis ce matin",
        "De nouvelles photos de {p}", "Ambiance calme à {p} aujourd'hui",
        "Encore une coupure de courant à {p}",
    ),
    "de": (
        "Neuigkeiten aus {p} heute", "Neuer Bericht zur Lage in {p}", "Neue Bilder aus {p}",
        "Stromausfall in {p}",
    ),
}  # fmt: skip
# Supporters chatting about the European cities they live in.
_HOME: dict[str, tuple[str, ...]] = {
    "ar": ("هل من إخوة في {p}؟", "الشرطة في كل مكان في {p} اليوم", "يوم ممطر في {p}"),
    "en": (
        "Anyone here from {p}?", "Police checks everywhere in {p} today", "Rainy day in {p}",
        "Meeting the brothers in {p} this weekend", "Back in {p} tonight",
    ),
    "fr": (
        "Des frères de {p} ici ?", "Contrôles de police partout à {p} aujourd'hui",
        "Journée pluvieuse à {p}", "On se retrouve à {p} ce week-end", "De retour à {p} ce soir",
    ),
    "de": (
        "Jemand aus {p} hier?", "Überall Polizei in {p} heute", "Regentag in {p}",
        "Wieder in {p} heute Abend",
    ),
}  # fmt: skip
_WITHOUT_PLACE: dict[str, tuple[str, ...]] = {
    "ar": ("ثبات ثبات يا إخوة", "اللهم انصر إخواننا", "تابعونا للمزيد من الأخبار",
           "إصدار جديد قريبا بإذن الله"),
    "en": ("Stay patient brothers", "Follow us for more updates", "New release coming soon",
           "The media will not tell you this"),
    "fr": ("Patience les frères", "Suivez-nous pour plus d'infos", "Nouvelle publication bientôt",
           "Les médias ne vous diront pas ça"),
    "de": ("Geduld, Brüder", "Folgt uns für mehr Updates", "Bald gibt es Neues"),
}  # fmt: skip
_SECOND_LINE: dict[str, tuple[str, ...]] = {
    "ar": ("المزيد قريبا", "انشروا", "الحمد لله"),
    "en": ("More soon.", "Share it.", "Stay tuned."),
    "fr": ("Plus d'infos bientôt.", "Partagez.", "Restez connectés."),
    "de": ("Mehr bald.", "Teilt das.", "Bleibt dran."),
}  # fmt: skip
_GROUP_TAG = {
    "ar": "#الدولة_الإسلامية",
    "en": "#IslamicState",
    "fr": "#EtatIslamique",
    "de": "#IslamischerStaat",
}
_ANNOUNCE = {
    "ar": "انتقلنا إلى تلغرام، انضموا إلينا: ",
    "en": "Moving to Telegram, join us: ",
    "fr": "On déménage sur Telegram, rejoignez-nous : ",
    "de": "Wir ziehen zu Telegram um, kommt mit: ",
}
_PATHS = ("news", "actu", "media", "files", "watch", "p")


def merge(parts: list[Part]) -> list[Part]:
    """Join neighbouring plain parts and drop empty ones."""
    merged: list[Part] = []
    for kind, text in parts:
        if not text:
            continue
        if kind == "plain" and merged and merged[-1][0] == "plain":
            merged[-1] = ("plain", merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged


def join_plain(parts: list[Part]) -> str:
    """The text as a person reads it."""
    return "".join(text for _, text in parts)


def _place_parts(rng: random.Random, lang: str, place: str) -> list[Part]:
    template = rng.choice((_FRONT if CITIES[place].front else _HOME)[lang])
    before, after = template.split("{p}")
    name = rng.choice(CITIES[place].names[lang])
    if rng.random() < 0.3:
        return [("plain", before), ("hashtag", "#" + name), ("plain", after)]
    return [("plain", before + name + after)]


def _link(rng: random.Random, channel: str | None) -> Part:
    if channel and rng.random() < 0.5:
        return ("link", f"https://t.me/{channel}")
    domain = rng.choice(("example.org", "example.com"))
    return ("link", f"https://{domain}/{rng.choice(_PATHS)}/{rng.randint(1000, 99999)}")


def body(
    rng: random.Random,
    lang: str,
    place: str | None,
    *,
    channel: str | None = None,
    multiline: float = 0.0,
) -> list[Part]:
    """A post body in ``lang`` about ``place``; may carry a link (to ``channel`` or a site)."""
    if place is None:
        parts: list[Part] = [("plain", rng.choice(_WITHOUT_PLACE[lang]))]
    else:
        parts = _place_parts(rng, lang, place)
    if rng.random() < multiline:
        parts.append(("plain", "\n" + rng.choice(_SECOND_LINE[lang])))
    if rng.random() < 0.1:
        parts += [("plain", " "), ("hashtag", _GROUP_TAG[lang])]
    if rng.random() < 0.12:
        parts += [("plain", " "), _link(rng, channel)]
    return merge(parts)


def announcement(lang: str) -> list[Part]:
    """A migrant's tweet announcing the Telegram group."""
    return [("plain", _ANNOUNCE[lang]), ("link", f"https://t.me/{GROUP_USERNAME}")]

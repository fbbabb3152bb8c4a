"""Separate an article's body from the site boilerplate saved along with it, line by line.

Text copied from a news page carries the site around the article: cookie banners, "follow us on
Telegram", "Lire aussi" teasers and their headlines, photo credits, comment-login prompts, stray
UI strings. Each line is classified on its own by general cues, never by a list of known strings:

- vocabulary, in French, English and Arabic: consent, follow/subscribe prompts, teasers, comment
  logins, photo credits, legal notices, share/print/UI words;
- structure: a line repeating the title, a line naming the site ("Mossoul - Sputnik Afrique")
  and the teaser headline after it, a line in another script than the article's, a very short
  line without sentence punctuation ("OK", "loader", "S'abonner"), a line with no words at all.

Nothing is dropped: every line ends up either in the body or in the boilerplate, in order, with
the reason it was set aside. ``structural=False`` keeps only the vocabulary cues, for text that
an extractor (trafilatura) already cleaned, where short lines are subheadings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Line", "Separation", "byline_names", "guess_site_name", "separate"]

# Sentence-final punctuation, quotes and brackets that may close a sentence included.
_SENTENCE_END = re.compile(r"[.!?…؟。»\"”’)\]]\s*$")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")

_PLATFORMS = (
    r"telegram|twitter|facebook|instagram|youtube|tiktok|whatsapp|vkontakte|\bvk\b|linkedin|"
    r"newsletter|\brss\b|notifications?|cha[iî]ne|channel|تلغرام|تليغرام|تيليجرام|تلجرام|"
    r"فيسبوك|فيس بوك|تويتر|يوتيوب|قناتنا|النشرة"
)
_FOLLOW = re.compile(
    r"^\W*(?:suivez|suivre|rejoignez|rejoindre|abonnez[- ]vous|s['’]abonner|inscrivez[- ]vous|"
    r"follow|join|subscribe|sign up|تابعونا|تابعوا|تابع|انضموا|انضم|اشترك|اشتركوا)(?!\w)",
    re.IGNORECASE,
)
_PLATFORM = re.compile(_PLATFORMS, re.IGNORECASE)

_TEASER = re.compile(
    r"^\W*(?:(?:à|a)\s+)?(?:lire|voir)\s+(?:aussi|également|egalement|plus)|^\W*read\s+(?:more|also)"
    r"|^\W*see\s+also|^\W*also\s+read|^\W*related(?:\s+(?:articles?|stories|coverage|content))?\b"
    r"|^\W*more\s+(?:on|from|about)\s|^\W*recommended\b|^\W*sur\s+le\s+même\s+sujet"
    r"|^\W*dans\s+la\s+même\s+rubrique|^\W*(?:إقرأ|اقرأ)\s+(?:أيضا|أيضاً|ايضا|المزيد)"
    r"|^\W*(?:مواضيع|أخبار|مقالات)\s+ذات\s+صلة|^\W*ذات\s+صلة",
    re.IGNORECASE,
)

_COMMENT_PHRASE = re.compile(
    r"pour\s+participer\s+aux\s+discussions|pour\s+(?:commenter|réagir)|laisser\s+un\s+commentaire"
    r"|(?:leave|post|add|write)\s+a\s+comment|to\s+comment\b|comments?\s*\(\d+\)"
    r"|commentaires?\s*\(\d+\)|إضافة\s+تعليق|أضف\s+تعليق|اترك\s+تعليقا",
    re.IGNORECASE,
)
_LOGIN = re.compile(
    r"identifiez[- ]vous|connectez[- ]vous|se\s+connecter|créez[- ](?:vous\s+)?un\s+compte"
    r"|log\s*in|sign\s*in|create\s+an\s+account|register|سجل\s+الدخول|تسجيل\s+الدخول|إنشاء\s+حساب",
    re.IGNORECASE,
)
_LOGIN_CONTEXT = re.compile(r"comment|discussion|compte|account|تعليق|حساب", re.IGNORECASE)

# Consent banners: one pass finds which consent terms a line holds; a cookie word weighs two,
# the rest one (see _is_consent for the thresholds).
_CONSENT_PATTERNS = (
    r"cookies?\b|traceurs?\b|trackers?\b|ملفات\s+تعريف\s+الارتباط|الكوكيز|كوكيز",
    r"consent",
    r"vos\s+choix|your\s+choices|manage\s+(?:preferences|settings|options)",
    r"politique\s+de\s+confidentialité|privacy\s+policy|سياسة\s+الخصوصية",
    r"données\s+personnelles|personal\s+data|البيانات\s+الشخصية",
    r"protection\s+des\s+données|data\s+protection|datenschutz",
    r"en\s+cliquant|by\s+clicking|بالنقر",
    r"(?:tout\s+)?accepter|accept(?:\s+all)?\b|j['’]accepte|أوافق|قبول",
    r"(?:tout\s+)?refuser|reject\s+all|decline|رفض",
    r"paramétrer|personnaliser|customi[sz]e\s+settings",
)
_CONSENT = re.compile(
    "|".join(f"(?P<t{index}>{pattern})" for index, pattern in enumerate(_CONSENT_PATTERNS)),
    re.IGNORECASE,
)
_USES_COOKIES = re.compile(
    r"\b(?:utilis\w*|uses?|using|verwendet|nutzt|يستخدم|نستخدم)\b.{0,40}"
    r"(?:cookies?|traceurs?|trackers?|ملفات\s+تعريف\s+الارتباط|الكوكيز|كوكيز)",
    re.IGNORECASE,
)

_CREDIT = re.compile(
    r"©|\(c\)\s|\bcrédits?\s*(?:photo)?\s*:|\bcredits?\s*:|\bphoto\s*:|\bphoto\s+(?:credit|by)\b"
    r"|\bgetty\s+images\b|\bafp\s+photo\b|\bap\s+photo\b|\bshutterstock\b"
    r"|\bsource\s*:\s*[\w .-]{1,40}$"
    r"|^\W*(?:photo|image|illustration|capture\s+d['’]écran|screenshot|صورة|الصورة)\s*[:|-]",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"tous\s+droits\s+réservés|all\s+rights\s+reserved|جميع\s+الحقوق\s+محفوظة|our\s+standards"
    r"|trust\s+principles|terms\s+(?:of\s+use|and\s+conditions)|conditions\s+(?:générales|d['’]utilisation)"
    r"|mentions\s+légales|\bimpressum\b|privacy\s+policy|politique\s+de\s+confidentialité",
    re.IGNORECASE,
)
_UI_WORDS = re.compile(
    r"fil\s+d['’]actu|en\s+direct|\blive\b|breaking|dernières\s+(?:infos|nouvelles)|latest\s+news"
    r"|top\s+stories|à\s+la\s+une|\bmenu\b|recherche|\bsearch\b|partager|\bshare\b|\btweet\b"
    r"|imprimer|\bprint\b|permalien|permalink|newsletter|loader|loading|chargement|\bchat\b"
    r"|accueil|\bhome\b|copier\s+le\s+lien|copy\s+link|envoyer\s+par|e-?mail|الرئيسية|شارك"
    r"|مشاركة|طباعة|عاجل|بحث",
    re.IGNORECASE,
)

_BYLINE = re.compile(
    r"^\W*(?P<label>auteure?s?|authors?|written\s+by|by|par|texte|reportage|بقلم|حوار|كتب|كتبت|إعداد|اعداد)"
    r"(?!\w)\s*[:：]?\s*(?P<names>\S.*)$",
    re.IGNORECASE,
)
_EXPLICIT_BYLINE = {"auteur", "auteure", "auteurs", "author", "authors", "texte", "reportage"}
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|(?<=\s)و(?=\s))\s*", re.IGNORECASE)
_NAME_PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "al", "el", "ben", "bin"}

# "Mossoul - Sputnik Afrique": a tag, then the site name after a dash or a bar.
_TAGGED = re.compile(r"^(?P<tag>[^|–—-]{1,60}?)\s+[-–—|]\s+(?P<site>[^|–—-]{2,40}?)\s*$")
# Possessive quantifiers (``*+``, ``++``) keep these linear: with plain ones, a long run of
# blanks was tried against every split between the quantifiers around the site name (cubic: a
# 300 KB line of spaces took minutes). Giving nothing back only keeps a site name from
# starting with blanks or punctuation, which no name does.
_SITE_FROM_FOLLOW = re.compile(
    r"^\W*+(?:suivez|rejoignez|follow|join)\s++(?P<site>.{2,40}?)\s*+(?:\bsur|\bon)\s*+(?:"
    + _PLATFORMS
    + ")",
    re.IGNORECASE,
)
_SITE_FROM_COOKIES = re.compile(
    r"^\W*+(?P<site>.{2,40}?)\s++(?:utilise|uses|use|verwendet|يستخدم)\s++(?:des\s++)?"
    r"(?:cookies?|traceurs?)",
    re.IGNORECASE,
)
_NOT_A_SITE = {"nous", "us", "notre chaîne", "our channel", "we", "this site", "ce site", "le site"}

_SHORT_WORDS = 3  # at most this many words and no sentence punctuation: a UI string
_SHORT_LINE = 80  # characters: the longest a tag, a site name or a teaser marker line runs
_SCRIPT_SAMPLE = 20_000  # letters counted to find the dominant script
# Characters: the longest consent banner line met is 1,268; a longer line is article text, and
# matching the consent vocabulary over a 50 MB paragraph took seconds.
_BANNER = 4_000
_HEADLINE = 160  # characters: the longest teaser headline taken after a teaser marker


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty input line and where it went; ``reason`` says why it was set aside."""

    number: int  # 1-based, counting every line of the input
    text: str
    reason: str | None = None  # None: article body

    @property
    def is_boilerplate(self) -> bool:
        """True when the line was set aside."""
        return self.reason is not None


@dataclass(frozen=True, slots=True)
class Separation:
    """The classified lines of a text, and the site name read from them, if any."""

    lines: tuple[Line, ...]
    site_name: str | None

    @property
    def body(self) -> str:
        """The article lines, in order, one per line."""
        return "\n".join(line.text for line in self.lines if not line.is_boilerplate)

    @property
    def boilerplate(self) -> str | None:
        """The lines set aside, in order, one per line; None when there are none."""
        kept = [line.text for line in self.lines if line.is_boilerplate]
        return "\n".join(kept) if kept else None


@lru_cache(maxsize=4096)
def _script(char: str) -> str | None:
    """Unicode script of a letter, from the first word of its name ("LATIN", "ARABIC"...)."""
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return None


def _scripts(text: str) -> Counter[str]:
    return Counter(script for char in text if char.isalpha() and (script := _script(char)))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_consent(text: str) -> bool:
    """A consent banner line: enough consent vocabulary, or "<site> uses cookies"."""
    if len(text) > _BANNER:
        return False
    if len(text) <= 250 and _USES_COOKIES.search(text):
        return True
    terms = {match.lastgroup for match in _CONSENT.finditer(text)}
    score = len(terms) + (1 if "t0" in terms else 0)
    # A long article paragraph on data protection can hold two of these words; a banner line
    # holds three or more, or two within a short line; a button label ("Accept all") one.
    if score >= 1 and len(text) <= 40 and len(_words(text)) <= 4:
        return True
    return score >= 3 or (score >= 2 and len(text) <= 200)


def _is_follow_prompt(text: str) -> bool:
    return bool(_FOLLOW.search(text)) and (len(text) <= 60 or bool(_PLATFORM.search(text)))


def _is_comment_prompt(text: str) -> bool:
    if len(text) > 200:
        return False
    if _COMMENT_PHRASE.search(text):
        return True
    return bool(_LOGIN.search(text)) and bool(_LOGIN_CONTEXT.search(text))


def _is_bare_marker(text: str) -> bool:
    """A teaser marker with no headline of its own: the headline is on the next line."""
    rest = _TEASER.sub("", text, count=1)
    return not _words(rest)


def _looks_like_headline(text: str) -> bool:
    stripped = text.strip()
    return (
        len(stripped) <= _HEADLINE
        and len(_words(stripped)) >= 2
        and not re.search(r"[.!?…:;]\s*$", stripped)
    )


def _title_echo(text: str, title: str | None) -> bool:
    """The title again, alone or followed by a caption, credit or site suffix."""
    if not title:
        return False
    line, head = _norm(text), _norm(title)
    return bool(head) and line.startswith(head) and len(line) - len(head) <= _SHORT_LINE


def byline_names(text: str) -> list[str] | None:
    """The author names of a byline line ("Auteur : Kossivi Tiassou", "By Jill Serjeant").

    None when the line is not a byline. After "by"/"par" the names must look like names
    (capitalised words), so "By the end of the day" is not a byline.
    """
    stripped = text.strip()
    if len(stripped) > _SHORT_LINE or _SENTENCE_END.search(stripped.rstrip('»"”’')):
        return None
    match = _BYLINE.match(stripped)
    if match is None:
        return None
    label = match.group("label").casefold()
    names = [
        name.strip(" .:-")
        for name in _NAME_SEPARATORS.split(match.group("names"))
        if name.strip(" .:-")
    ]
    if not names or len(names) > 4 or any(len(_words(name)) > 5 for name in names):
        return None
    latin = any(char.isascii() and char.isalpha() for name in names for char in name)
    if label in _EXPLICIT_BYLINE or not latin:
        return names  # an explicit label, or a script without capitals (Arabic)
    for name in names:
        for word in _words(name):
            if word.casefold() not in _NAME_PARTICLES and not word[0].isupper():
                return None
    return names


def guess_site_name(lines: Iterable[str]) -> str | None:
    """The outlet's name as its own boilerplate writes it, or None.

    Read from, in this order: a site name repeated after a dash on short lines ("Mossoul -
    Sputnik Afrique" twice), "<site> uses cookies", "Follow <site> on Telegram".
    """
    tagged: Counter[str] = Counter()
    from_cookies: str | None = None
    from_follow: str | None = None
    for text in lines:
        stripped = text.strip()
        if len(stripped) <= _SHORT_LINE and not _SENTENCE_END.search(stripped):
            match = _TAGGED.match(stripped)
            if match and len(_words(match.group("site"))) <= 4:
                tagged[match.group("site").strip()] += 1
        if from_cookies is None and (match := _SITE_FROM_COOKIES.match(stripped)):
            from_cookies = _site_candidate(match.group("site"))
        if from_follow is None and (match := _SITE_FROM_FOLLOW.match(stripped)):
            from_follow = _site_candidate(match.group("site"))
    repeated = [site for site, count in tagged.most_common() if count >= 2]
    if repeated:
        return repeated[0]
    return from_cookies or from_follow


def _site_candidate(text: str) -> str | None:
    name = text.strip(" «»\"'“”")
    if not name or _norm(name) in _NOT_A_SITE or len(_words(name)) > 4:
        return None
    return name


class _Classifier:
    """Internal helper: the per-line rules of ``separate``; not a stable API."""

    def __init__(
        self, title: str | None, site_names: Sequence[str], dominant: str | None, structural: bool
    ) -> None:
        self.title = title
        self.sites = [_norm(name) for name in site_names if name and name.strip()]
        self.dominant = dominant
        self.structural = structural

    def reason(self, text: str) -> str | None:
        """Why ``text`` is boilerplate, or None when it is article text."""
        stripped = text.strip()
        short = len(stripped) <= _SHORT_LINE
        unpunctuated = not _SENTENCE_END.search(stripped)
        if _title_echo(stripped, self.title):
            return "repeats the title"
        if _is_consent(stripped):
            return "cookie/consent banner"
        if _is_follow_prompt(stripped):
            return "follow/subscribe prompt"
        if _TEASER.search(stripped) and len(stripped) <= 300:
            return "related-article teaser"
        if _is_comment_prompt(stripped):
            return "comment/login prompt"
        if len(stripped) <= 300 and _CREDIT.search(stripped):
            return "photo credit or caption"
        if len(stripped) <= 300 and _LEGAL.search(stripped):
            return "legal or publisher notice"
        if byline_names(stripped) is not None:
            return "byline"
        if short and self._other_script(stripped):
            return "UI string in another script"
        if short and unpunctuated and any(site in _norm(stripped) for site in self.sites):
            return "site name or section tag"
        if short and unpunctuated and len(_words(stripped)) <= 6 and _UI_WORDS.search(stripped):
            return "share/navigation/UI string"
        if not self.structural:
            return None
        if not any(char.isalpha() for char in stripped):
            return "no words"
        if unpunctuated and len(_words(stripped)) <= _SHORT_WORDS:
            return "very short line without sentence punctuation"
        return None

    def _other_script(self, text: str) -> bool:
        if self.dominant is None:
            return False
        counts = _scripts(text)
        total = sum(counts.values())
        if total == 0:
            return False
        script, count = counts.most_common(1)[0]
        return script != self.dominant and count >= 0.8 * total


def _dominant_script(texts: Iterable[str]) -> str | None:
    """The script of most letters, if clearly dominant (over 60%); bilingual texts get None."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_scripts(text[:_SCRIPT_SAMPLE]))  # one huge line is a sample too
        if counts.total() > _SCRIPT_SAMPLE:
            break  # enough letters to know; long texts need not be counted whole
    total = sum(counts.values())
    if not total:
        return None
    script, count = counts.most_common(1)[0]
    return script if count > 0.6 * total else None


def separate(
    text: str,
    *,
    title: str | None = None,
    first_line_is_title: bool = False,
    site_names: Sequence[str] = (),
    structural: bool = True,
) -> Separation:
    """Classify every non-empty line of ``text`` as article body or boilerplate.

    ``title`` marks lines repeating it; ``first_line_is_title`` sets the first non-empty line
    aside as the title (it is the post's title, not its body). ``site_names`` are names the
    outlet is known by; the name its boilerplate shows is added to them.
    """
    raw_lines = text.splitlines()
    numbered = [(number, line) for number, line in enumerate(raw_lines, 1) if line.strip()]
    site_name = guess_site_name(line for _, line in numbered)
    names = [*site_names, *([site_name] if site_name else [])]
    classifier = _Classifier(
        title, names, _dominant_script(line for _, line in numbered), structural
    )
    result: list[Line] = []
    headline_next = False
    for index, (number, line) in enumerate(numbered):
        if index == 0 and first_line_is_title:
            result.append(Line(number, line, "title"))
            continue
        if headline_next and _looks_like_headline(line):
            result.append(Line(number, line, "teaser headline"))
            headline_next = False
            continue
        reason = classifier.reason(line)
        # A bare "Lire aussi" or a "<tag> - <site>" line announces a teaser whose headline
        # is the next line.
        headline_next = (reason == "related-article teaser" and _is_bare_marker(line)) or (
            reason == "site name or section tag" and _TAGGED.match(line.strip()) is not None
        )
        result.append(Line(number, line, reason))
    return Separation(tuple(result), site_name)

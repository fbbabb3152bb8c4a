"""The ``links`` enricher: URLs, hashtags, mentions, Telegram and WhatsApp links, emails, phones."""

from __future__ import annotations

from typing import Any, ClassVar

from veille.enrich import links
from veille.enrich.base import Batch, EnrichContext, FactRows

__all__ = ["LinksEnricher"]

COLUMNS = ("post_id", "field", "start_char", "end_char", "kind", "value", "normalized", "domain",
           "target")  # fmt: skip


class LinksEnricher:
    name: ClassVar[str] = "links"
    version: ClassVar[int] = links.VERSION
    target: ClassVar[str] = "posts"
    tables: ClassVar[tuple[str, ...]] = ("post_links",)
    needs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, context: EnrichContext) -> None:
        pass

    def parameters(self) -> dict[str, Any]:
        return {"kinds": list(links.LINK_KINDS)}

    def enrich(self, batch: Batch) -> dict[str, FactRows]:
        rows = FactRows(COLUMNS)
        for post_id, text, title in zip(batch["id"], batch["text"], batch["title"], strict=True):
            for field, value in (("text", text), ("title", title)):
                if not value:
                    continue
                for found in links.find_links(value):
                    rows.add(post_id=post_id, field=field, start_char=found.start,
                             end_char=found.end, kind=found.kind, value=found.value,
                             normalized=found.normalized, domain=found.domain,
                             target=found.target)  # fmt: skip
        return {"post_links": rows}

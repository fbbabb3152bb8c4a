"""One ``veille enrich``: run the enrichers, in order, over the records that lack their facts.

Each enricher that has something to do is one run (kind ``enrich``) with its version and
parameters; its facts carry that run's id. Records go through in slices of ``SLICE`` and each
slice is committed with its facts, so a second ``enrich`` only does what the first did not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import duckdb
import pyarrow as pa

from veille import __version__
from veille.enrich import ENRICHERS, ORDER, EnrichContext, Enricher, FactRows
from veille.errors import ConfigError
from veille.store.facts import (
    entity_catalogue,
    forget_enricher,
    pending_slice,
    replace_entities,
    snapshot_pending,
    write_facts,
)
from veille.store.media_files import MediaFolder
from veille.store.runs import recorded_run

__all__ = ["SLICE", "CatalogueKeeper", "EnrichResult", "Progress", "run_enrichers"]

SLICE = 20_000
Progress = Callable[[str, int, int], None]  # (enricher, records done, records to do)


@runtime_checkable
class CatalogueKeeper(Protocol):
    """An enricher that also keeps the case's entity catalogue (the ``entities`` table)."""

    def start(self, previous: list[dict[str, Any]]) -> None: ...

    def catalogue(self) -> FactRows: ...


@dataclass
class EnrichResult:
    """What one enricher did in this ``enrich``."""

    enricher: str
    version: int
    run_id: str | None  # None when there was nothing to do
    records: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "enricher": self.enricher,
            "version": self.version,
            "run_id": self.run_id,
            "records": self.records,
            "facts": self.facts,
            "seconds": round(self.seconds, 3),
        }


def chosen_enrichers(only: Sequence[str] | None) -> list[str]:
    """The enrichers to run, in dependency order; unknown names raise ConfigError."""
    if not only:
        return list(ORDER)
    known = set(ENRICHERS.names())
    unknown = [name for name in only if name not in known]
    if unknown:
        raise ConfigError(f"unknown enricher {unknown[0]!r}; known: {', '.join(sorted(known))}")
    return [name for name in ORDER if name in only] + [n for n in only if n not in ORDER]


def run_enrichers(
    con: duckdb.DuckDBPyConnection,
    context: EnrichContext,
    only: Sequence[str] | None = None,
    redo: bool = False,
    progress: Progress | None = None,
) -> list[EnrichResult]:
    reports = []
    for name in chosen_enrichers(only):
        enricher_class = ENRICHERS.get(name)
        try:
            enricher = enricher_class(context)
        except TypeError as error:  # an unknown key in case.toml's [enrich.<name>] table
            raise ConfigError(f"case.toml [enrich.{name}]: {error}") from error
        if redo:
            forget_enricher(con, name, enricher.tables)
        reports.append(_run_one(con, name, enricher, MediaFolder(context.root / "media"), progress))
    return reports


def _run_one(
    con: duckdb.DuckDBPyConnection,
    name: str,
    enricher: Enricher,
    media: MediaFolder,
    progress: Progress | None,
) -> EnrichResult:
    began = time.perf_counter()
    report = EnrichResult(name, enricher.version, None)
    total = snapshot_pending(con, name, enricher.target)
    if total == 0:
        return report
    with recorded_run(
        con,
        kind="enrich",
        name=name,
        version=str(enricher.version),
        parameters=enricher.parameters(),
        code_version=__version__,
    ) as run:
        report.run_id = run.id
        if isinstance(enricher, CatalogueKeeper):
            enricher.start(entity_catalogue(con))
        for start in range(0, total, SLICE):
            batch = pending_slice(con, enricher.target, start, SLICE)
            if enricher.target == "media":
                batch["path"] = _media_paths(media, batch)
            found = enricher.enrich(batch)
            tables = {table: _arrow(rows, run.id) for table, rows in found.items()}
            write_facts(con, name, run.id, list(batch["id"]), tables)
            report.records += len(batch["id"])
            for table, rows in tables.items():
                report.facts[table] = report.facts.get(table, 0) + rows.num_rows
            run.counts = {"records": report.records, **report.facts}
            if progress:
                progress(name, report.records, total)
        if isinstance(enricher, CatalogueKeeper):
            catalogue = pa.table(enricher.catalogue().columns)
            replace_entities(con, run.id, catalogue)
            report.facts["entities"] = catalogue.num_rows
        run.counts = {"records": report.records, **report.facts}
    report.seconds = time.perf_counter() - began
    return report


def _media_paths(media: MediaFolder, batch: dict[str, list[Any]]) -> list[str | None]:
    return [
        str(media.path_for(sha256)) if status == "stored" and sha256 else None
        for sha256, status in zip(batch["sha256"], batch["status"], strict=True)
    ]


def _arrow(rows: FactRows, run_id: str) -> pa.Table:
    columns = {"run_id": [run_id] * len(rows), **rows.columns}
    return pa.table(columns)

"""What an enricher is: declarative attributes plus one verb, ``enrich(batch) -> facts``.

Enrichers work on records, never the store: the runner (``veille.runs.enrich``) hands them a batch
of rows column by column and writes back the fact rows they return, under one run.

A posts batch has the columns ``id, text, title, kind, platform, author_id, lang, person_spans,
name_spans``:
``lang`` is the detected language of the whole text when the ``lang`` enricher ran first (else
None), ``person_spans`` and ``name_spans`` the ``[start, end]`` of the persons and of the other
named entities (not places) the ``entities`` enricher found in it, ``location`` the author's
profile location as the source gave it (None for most sources).
A media batch has ``id, post_id, sha256, path`` (``path`` of the stored copy, None if missing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

__all__ = ["Batch", "EnrichContext", "Enricher", "FactRows"]

Batch = Mapping[str, Sequence[Any]]


class FactRows:
    """Rows of one fact table, kept column by column (the runner turns them into Arrow)."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in columns}

    def add(self, **values: Any) -> None:
        unknown = values.keys() - self.columns.keys()
        if unknown:
            raise KeyError(f"not columns of this fact table: {sorted(unknown)}")
        for name, column in self.columns.items():
            column.append(values.get(name))

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))


@dataclass(frozen=True, slots=True)
class EnrichContext:
    """What an enricher may know of its case: where it is and what ``case.toml`` adds."""

    root: Path
    settings: Mapping[str, Any] = field(default_factory=dict)  # case.toml's [enrich] table


class Enricher(Protocol):
    name: ClassVar[str]  # lang | links | entities | places | media
    version: ClassVar[int]
    target: ClassVar[str]  # posts | media
    tables: ClassVar[tuple[str, ...]]  # the fact tables it writes
    needs: ClassVar[tuple[str, ...]]  # enrichers whose facts it reads (run first)

    def __init__(self, context: EnrichContext) -> None: ...

    def parameters(self) -> dict[str, Any]:
        """Everything that changes its output: recorded with the run."""
        ...

    def enrich(self, batch: Batch) -> dict[str, FactRows]:
        """Facts for the records of ``batch``, by fact table."""
        ...

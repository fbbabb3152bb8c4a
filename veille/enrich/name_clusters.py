"""Clusters of the names NER found that no alias names: one entity per person or organisation.

"Abou Bakr al-Baghdadi" and "Abu Bakr al-Baghdadi" are one man written the French and the
English way. Names are first reduced to a key (accents, case, hyphens, honorifics, the usual
transliteration variants ou/u, ee/i, doubled letters), then a key joins an existing cluster of the
same type when their similarity (rapidfuzz ratio) reaches ``threshold``. Clusters never absorb an
alias-table entity: only an exact alias turns an NER name into that entity (``AliasTable``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from veille.enrich.folding import fold
from veille.ids import record_id

__all__ = ["NameClusters", "name_key"]

_HONORIFICS = re.compile(r"^(?:m|mme|mlle|mr|mrs|ms|dr|sheikh|cheikh|general|gen|president)\.?\s+")
_SPELLINGS = (("ou", "u"), ("ee", "i"), ("oo", "u"), ("dj", "j"), ("ph", "f"))
_DOUBLED = re.compile(r"(\w)\1")
_SEPARATORS = re.compile(r"[-'’.\s]+")


def name_key(name: str) -> str:
    """The spelling-independent key of a name ("abu bakr al bagdadi")."""
    key = fold(" ".join(name.split()), lower=True).text
    key = _HONORIFICS.sub("", key)
    key = _SEPARATORS.sub(" ", key).strip()
    for written, spoken in _SPELLINGS:
        key = key.replace(written, spoken)
    return _DOUBLED.sub(r"\1", key)


@dataclass
class _Cluster:
    id: str
    type: str
    name: str
    keys: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


class NameClusters:
    """Assigns each (type, name) a cluster id, growing clusters as names arrive."""

    def __init__(self, threshold: float = 90.0) -> None:
        self.threshold = threshold
        self._by_key: dict[tuple[str, str], _Cluster] = {}
        self._blocks: dict[tuple[str, str], list[str]] = {}  # (type, first letter) -> keys
        self.clusters: dict[str, _Cluster] = {}

    def restore(self, entity_id: str, entity_type: str, name: str, aliases: list[str]) -> None:
        """Bring back a cluster a previous run made, so ids stay stable across runs."""
        cluster = _Cluster(entity_id, entity_type, name)
        self.clusters[entity_id] = cluster
        for alias in {name, *aliases}:
            self._join(cluster, name_key(alias), alias)

    def assign(self, entity_type: str, name: str) -> str:
        key = name_key(name)
        cluster = self._by_key.get((entity_type, key)) or self._similar(entity_type, key)
        if cluster is None:
            cluster = _Cluster(f"ner:{entity_type}:{record_id('name', entity_type, key)[:12]}",
                               entity_type, name)  # fmt: skip
            self.clusters[cluster.id] = cluster
        self._join(cluster, key, name)
        return cluster.id

    def _similar(self, entity_type: str, key: str) -> _Cluster | None:
        block = self._blocks.get((entity_type, key[:1]), [])
        best = process.extractOne(key, block, scorer=fuzz.ratio, score_cutoff=self.threshold)
        return self._by_key[(entity_type, best[0])] if best else None

    def _join(self, cluster: _Cluster, key: str, name: str) -> None:
        if (cluster.type, key) not in self._by_key:
            self._by_key[(cluster.type, key)] = cluster
            self._blocks.setdefault((cluster.type, key[:1]), []).append(key)
        cluster.keys.add(key)
        cluster.names.add(name)

    def names_of(self, entity_id: str) -> list[str]:
        return sorted(self.clusters[entity_id].names)

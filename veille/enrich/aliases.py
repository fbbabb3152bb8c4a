"""The alias table: one canonical entity per row, with every name it goes by.

veille ships ``data/entities.csv`` (armed groups, agencies, outlets, platforms, a few leaders);
a case adds or overrides rows in ``case.toml``::

    [[enrich.entities.add]]
    id = "org:katiba-x"
    type = "armed_group"
    name = "Katiba X"
    aliases = ["Katibat X", "كتيبة إكس"]

Matching folds accents and Arabic letter variants. Short all-capital aliases (EI, IS, ISIS, UN)
are matched with their case, so "EI" is not found in "ei" or "Ei"; longer aliases ignore case.
Multi-word aliases are also matched written together, as in hashtags (#EtatIslamique).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from veille.enrich.data_files import data_rows
from veille.enrich.folding import fold
from veille.enrich.phrase_matcher import PhraseMatcher
from veille.errors import ConfigError

__all__ = ["AliasMatch", "AliasTable", "Entity", "load_alias_table", "shipped_entities"]

ENTITY_TYPES = ("armed_group", "agency", "outlet", "platform", "person", "organisation", "place")
_CASE_SENSITIVE_MAX = 5  # all-capital aliases up to this length keep their case
_ELIDED = re.compile(r"^(?:[lLdD]['’]|the\s+|The\s+)")
# Names are not looked for inside links (t.me is not a mention of Telegram) nor in the "RT @"
# that opens a retweet (not the outlet RT).
_NOT_PROSE = re.compile(r"(?:https?://|www\.|\b[a-z0-9-]+\.(?:me|com|org|net)/)\S*|\bRT(?= @)")


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    origin: str  # alias table | case
    case_sensitive: frozenset[str] = frozenset()  # aliases that are words in lower case


@dataclass(frozen=True, slots=True)
class AliasMatch:
    start: int  # offsets into the original text
    end: int
    surface: str
    entity: Entity


@cache
def shipped_entities() -> tuple[Entity, ...]:
    return tuple(
        Entity(
            row["id"],
            row["type"],
            row["name"],
            tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            "alias table",
            _case_sensitive_in(row.get("notes") or ""),
        )
        for row in data_rows("entities.csv")
    )


def _case_sensitive_in(notes: str) -> frozenset[str]:
    """Aliases the notes mark ``case-sensitive: a|b`` ("Le Monde", "Signal": also words)."""
    for segment in notes.split(";"):
        label, _, names = segment.strip().partition(":")
        if label.strip() == "case-sensitive":
            # "case-sensitive: Le Monde (lower-case 'le monde' is 'the world')|Signal"
            cleaned = (name.split(" (")[0].strip() for name in names.split("|"))
            return frozenset(name for name in cleaned if name)
    return frozenset()


def case_entities(rows: Iterable[Mapping[str, Any]]) -> list[Entity]:
    """Rows from ``case.toml``; a malformed one raises ConfigError naming what is wrong."""
    entities = []
    for number, row in enumerate(rows, start=1):
        where = f"case.toml [[enrich.entities.add]] #{number}"
        missing = [key for key in ("id", "type", "name") if not isinstance(row.get(key), str)]
        if missing:
            raise ConfigError(f"{where}: missing {', '.join(missing)}")
        if row["type"] not in ENTITY_TYPES:
            raise ConfigError(f"{where}: type must be one of {', '.join(ENTITY_TYPES)}")
        aliases = row.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"{where}: aliases must be a list of strings")
        entities.append(Entity(row["id"], row["type"], row["name"], tuple(aliases), "case"))
    return entities


def _is_case_sensitive(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return alias.isupper() and len(letters) <= _CASE_SENSITIVE_MAX


class AliasTable:
    """Entities by id, and two matchers: case-sensitive short acronyms, case-blind the rest."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = {entity.id: entity for entity in entities}  # later rows override
        self.exact: PhraseMatcher[str] = PhraseMatcher()
        self.blind: PhraseMatcher[str] = PhraseMatcher()
        self.keys: dict[str, str] = {}  # case-blind folded alias -> entity id
        for entity in self.entities.values():
            for alias in {entity.name, *entity.aliases}:
                self._add(alias, entity.id, alias in entity.case_sensitive)
        self.exact.build()
        self.blind.build()

    def _add(self, alias: str, entity_id: str, keep_case: bool = False) -> None:
        # "l'Etat islamique": the name is "Etat islamique"; the boundary rule finds it after l'.
        alias = _ELIDED.sub("", alias.strip())
        if not alias:
            return
        if keep_case or _is_case_sensitive(alias):
            self.exact.add(fold(alias).text, entity_id)
            return
        key = " ".join(fold(alias, lower=True).text.split())
        self.blind.add(key, entity_id)
        self.keys.setdefault(key, entity_id)
        compact = key.replace(" ", "").replace("-", "")
        if compact != key and len(compact) >= 6:
            self.blind.add(compact, entity_id)

    def entity_for(self, name: str) -> Entity | None:
        """The entity ``name`` is an alias of, if any (case-blind)."""
        entity_id = self.keys.get(" ".join(fold(name, lower=True).text.split()))
        if entity_id is None:
            folded = fold(name).text
            ids = self.exact.values(folded)
            entity_id = ids[0] if ids else None
        return self.entities.get(entity_id) if entity_id else None

    def find(self, text: str) -> list[AliasMatch]:
        """Every alias in ``text``; overlaps between the two matchers go to the longer."""
        found = []
        exact = fold(text)
        # Hashtags join words with "_" (#الدولة_الإسلامية); read it as a space, one for one.
        blind = fold(text.replace("_", " "), lower=True)
        skipped = [m.span() for m in _NOT_PROSE.finditer(text)]
        for folded, matcher in ((exact, self.exact), (blind, self.blind)):
            for hit in matcher.find(folded.text, longest_first=True):
                start, end = folded.span(hit.start, hit.end)
                if any(a <= start < b for a, b in skipped):
                    continue
                entity = self.entities[hit.values[0]]
                found.append(AliasMatch(start, end, text[start:end], entity))
        found.sort(key=lambda m: (m.start - m.end, m.start))
        chosen: list[AliasMatch] = []
        for match in found:
            if all(match.end <= other.start or other.end <= match.start for other in chosen):
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)


def load_alias_table(case_rows: Iterable[Mapping[str, Any]] = ()) -> AliasTable:
    return AliasTable([*shipped_entities(), *case_entities(case_rows)])

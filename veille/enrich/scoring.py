"""Precision and recall of found spans against annotated ones (a gold set).

A found span is right when its offsets equal an annotated span's of the same type and, when both
name an identity (a GeoNames id), the identities agree too. Each annotated span is matched once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Score", "Span", "score_spans"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str  # PER | ORG | LOC
    identity: str | None = None  # e.g. "geonames:99072"; None: the offsets decide alone


@dataclass(frozen=True, slots=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        annotated = self.true_positives + self.false_negatives
        return self.true_positives / annotated if annotated else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


def _agrees(gold: Span, found: Span) -> bool:
    return gold.identity is None or found.identity is None or gold.identity == found.identity


def score_spans(gold: Iterable[Span], found: Iterable[Span], span_type: str) -> Score:
    """How ``found`` spans of ``span_type`` compare with the ``gold`` ones in one document."""
    remaining = {(s.start, s.end): s for s in gold if s.type == span_type}
    annotated = len(remaining)
    true_positives = false_positives = 0
    for span in found:
        if span.type != span_type:
            continue
        match = remaining.get((span.start, span.end))
        if match is not None and _agrees(match, span):
            true_positives += 1
            del remaining[(span.start, span.end)]
        else:
            false_positives += 1
    return Score(true_positives, false_positives, annotated - true_positives)

"""Accuracy of entity and place finding on the hand-annotated gold set (tests/gold).

Prints precision, recall and F1 per type (PER, ORG, LOC) for the news articles, the demo posts
and both; a place counts as found only with the right GeoNames id. Also the language accuracy.

    .venv/bin/python bench/enrich_accuracy.py [--fixtures ../shared/fixtures] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.gold.harness import found_spans, gold_documents, scores  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    documents = gold_documents(args.fixtures)
    found, languages = found_spans(documents)
    table = scores(documents, found)
    right = sum(languages.get(d.id) == d.lang for d in documents)
    if args.json:
        payload = {
            f"{part}/{kind}": {
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "tp": s.true_positives,
                "fp": s.false_positives,
                "fn": s.false_negatives,
            }
            for (part, kind), s in sorted(table.items())
        }
        payload["language_accuracy"] = right / len(documents)  # type: ignore[assignment]
        print(json.dumps(payload, indent=2))
        return
    print(f"{'set':<6} {'type':<4} {'P':>5} {'R':>5} {'F1':>5} {'TP':>4} {'FP':>4} {'FN':>4}")
    for (part, kind), s in sorted(table.items()):
        print(
            f"{part:<6} {kind:<4} {s.precision:>5.2f} {s.recall:>5.2f} {s.f1:>5.2f} "
            f"{s.true_positives:>4} {s.false_positives:>4} {s.false_negatives:>4}"
        )
    print(f"language: {right}/{len(documents)} documents right ({right / len(documents):.1%})")


if __name__ == "__main__":
    main()

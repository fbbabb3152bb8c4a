"""Compare a reader's records with a committed JSONL file, or rewrite it with --update-golden."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from veille.ingest.records_json import records_to_jsonl
from veille.model import Record

EXPECTED = Path(__file__).parent / "expected"


def assert_golden(records: Iterable[Record], name: str, update: bool) -> None:
    """The records must serialise exactly to ``expected/<name>.jsonl``."""
    actual = records_to_jsonl(records)
    path = EXPECTED / f"{name}.jsonl"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True)[:400],
                actual.splitlines(keepends=True)[:400],
                "expected",
                "actual",
                n=1,
            )
        )
        raise AssertionError(f"{name} differs from its golden file:\n{diff[:6000]}")

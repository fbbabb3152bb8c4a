"""The fuzz harness (bench/fuzz.py) on a small budget per format: no traceback, no hang.

Each format's fixtures are mutated (bit flips, truncation, insertions, wrong JSON types, deep
nesting, huge numbers) and read by their reader; one input in a few also goes through the
whole ingest. The long run is ``bench/fuzz.py --count N``; set VEILLE_FUZZ_SEED to explore
other inputs here.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

BUDGET_SECONDS = 3.5  # per format: ten formats stay under a minute on two cores
SEED = int(os.environ.get("VEILLE_FUZZ_SEED", "0"))


def _load_harness() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("veille_bench_fuzz", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


fuzz = _load_harness()


@pytest.mark.parametrize("name", sorted(fuzz.FORMATS))
def test_no_mutated_fixture_ends_in_a_traceback(
    name: str, fixtures_dir: Path, tmp_path: Path
) -> None:
    report = fuzz.fuzz_format(
        name,
        seed=SEED,
        budget_seconds=BUDGET_SECONDS,
        count=2000,
        save=tmp_path,
        ingest_every=8,
        fixtures=fixtures_dir,
    )
    assert report.tried > 0
    assert report.ingested > 0  # input 0 always goes through the whole ingest
    findings = {place: (f.count, f.message, f.example) for place, f in report.findings.items()}
    assert findings == {}
    assert report.hangs == 0


def test_the_mutations_depend_only_on_the_seed(fixtures_dir: Path, tmp_path: Path) -> None:
    def inputs(seed: int) -> list[bytes]:
        fuzzer = fuzz.Fuzzer(
            fuzz.FORMATS["jsonl"], seed, tmp_path, tmp_path / "w", fixtures=fixtures_dir
        )
        return [fuzzer.input(number)[1] for number in range(30)]

    assert inputs(1) == inputs(1)
    assert inputs(1) != inputs(2)


def test_an_unexpected_exception_is_a_finding_with_its_place(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    fuzzer = fuzz.Fuzzer(fuzz.FORMATS["jsonl"], 0, tmp_path, tmp_path / "w", fixtures=fixtures_dir)

    def broken() -> None:
        {}["missing"]  # the KeyError is the point

    fuzzer._timed(3, b"input", broken)
    (place,) = fuzzer.report.findings
    assert place.startswith("test_fuzz_budget.py:")
    assert place.endswith("KeyError")
    assert Path(fuzzer.report.findings[place].example).read_bytes() == b"input"


def _timed_with_limits(fuzzer: fuzz.Fuzzer, action: Callable[[], None]) -> None:
    previous = signal.signal(signal.SIGALRM, fuzz._on_alarm)
    previous_prof = signal.signal(signal.SIGPROF, fuzz._on_alarm)
    try:
        fuzzer._timed(7, b"slow input", action)
    finally:
        signal.signal(signal.SIGALRM, previous)
        signal.signal(signal.SIGPROF, previous_prof)


def test_an_input_that_computes_past_the_cpu_limit_is_a_hang(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    fuzzer = fuzz.Fuzzer(
        fuzz.FORMATS["jsonl"], 0, tmp_path, tmp_path / "w", hang_seconds=0.3, fixtures=fixtures_dir
    )

    def spin() -> None:
        while True:
            pass

    _timed_with_limits(fuzzer, spin)
    assert fuzzer.report.hangs == 1
    assert list(fuzzer.report.findings) == ["hang over 0.3 s"]


def test_waiting_is_not_computing_until_the_wall_clock_limit(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    fuzzer = fuzz.Fuzzer(
        fuzz.FORMATS["jsonl"], 0, tmp_path, tmp_path / "w", hang_seconds=0.2, fixtures=fixtures_dir
    )
    _timed_with_limits(fuzzer, lambda: time.sleep(0.5))  # a slow machine: not a hang
    assert fuzzer.report.hangs == 0
    fuzzer.stuck_seconds = 0.3
    _timed_with_limits(fuzzer, lambda: time.sleep(5))  # blocked for good: a hang
    assert fuzzer.report.hangs == 1

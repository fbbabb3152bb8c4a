"""``veille analyze CASE silence`` and ``veille silences``: stored runs, waves, silences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.unit.analyze.silence_story import WAVE_MONDAY, write_wave
from veille.case import Case
from veille.cli import app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def wave_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("wave")
    path, ended = write_wave(folder)
    with Case.init(folder / "case", time_zone="Asia/Baghdad") as case:
        case.ingest([path])
    return folder / "case", ended


def _json(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def test_analyze_silence_stores_a_run_with_its_counts(
    wave_case: tuple[Path, dict[str, Any]],
) -> None:
    case, ended = wave_case
    out = _json(["analyze", str(case), "silence", "--json"])
    assert out["analysis"] == "silence"
    # Every account that stopped (by week 25, a month before the end) fell silent; the others
    # post to the end.
    assert out["counts"]["silent"] == len(ended) == 33
    assert out["counts"]["export_ends"] == out["counts"]["accounts"] - 33
    assert out["counts"]["waves"] == 1
    with Case.open(case, read_only=True) as opened:
        stored = opened.con.execute(
            "SELECT count(*) FROM silences WHERE run_id = ?", [out["run"]]
        ).fetchone()
    assert stored == (out["counts"]["accounts"],)


def test_the_silences_verb_gives_waves_and_the_most_unusual_silences(
    wave_case: tuple[Path, dict[str, Any]],
) -> None:
    case, ended = wave_case
    out = _json(["silences", str(case), "--top", "5", "--json"])
    assert out["ok"] is True
    assert out["statuses"]["silent"] > 0
    (wave,) = out["waves"]
    assert wave["week_start"] == str(WAVE_MONDAY)
    assert wave["silent"] == 8
    that_week = {name for name, day in ended.items() if 0 <= (day - WAVE_MONDAY).days < 7}
    assert {a["label"] for a in wave["accounts"]} == {f"@{name}" for name in that_week}
    assert len(out["unusual"]) == 5
    first = out["unusual"][0]
    assert first["status"] == "silent"
    assert first["last_post_id"]
    assert first["label"].startswith("@")
    assert first["chance"] < 0.01
    assert first["last_day"] == str(ended[first["label"][1:]])


def test_the_silences_verb_prints_tables(wave_case: tuple[Path, dict[str, Any]]) -> None:
    case, _ = wave_case
    result = CliRunner().invoke(app, ["silences", str(case), "--top", "3"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "1 silence waves in 30 weeks" in text
    assert f"{WAVE_MONDAY} to" in text
    assert "days silent" in text
    assert "@first_" in text

"""Accounts shown as they were named: `veille network` ranks `@handle (Name)`, even for an
account first seen in a mention, and tells two accounts of the same name apart."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app

pytestmark = pytest.mark.e2e


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("labels")
    table = root / "tweets.csv"
    with table.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["username", "name", "followers", "time", "tweets"])
        # Everyone mentions @hub before @hub posts anything; two fans share one display name.
        for day in range(1, 11):
            for fan in ("fan_a", "fan_b", "fan_c"):
                name = "Same Name" if fan != "fan_c" else "Fan C"
                writer.writerow([fan, name, "10", f"2016-01-{day:02d} 10:00", f"news @hub {day}"])
        writer.writerow(["hub", "Hub Old Name", "100", "2016-02-01 10:00", "hello @fan_a"])
        writer.writerow(["hub", "Hub Name", "1.2K", "2016-03-01 10:00", "renamed @fan_b"])
    _invoke("init", str(root / "case"))
    _invoke("ingest", str(root / "case"), str(table))
    return root / "case"


def test_the_network_ranking_shows_handle_and_latest_name(case: Path) -> None:
    report = json.loads(_invoke("network", str(case), "--json"))
    labels = [actor["label"] for actor in report["actors"]]
    assert labels[0] == "@hub (Hub Name)"
    assert "@fan_a (Same Name)" in labels
    assert "@fan_b (Same Name)" in labels
    assert all(label.strip() for label in labels)
    tops = [label for community in report["communities"] for label in community["top_labels"]]
    assert "@hub (Hub Name) [twitter]" in tops


def test_every_name_is_queryable_with_when_and_where(case: Path) -> None:
    output = _invoke(
        "query",
        str(case),
        "SELECT name, followers, first_seen, first_locator FROM actor_history "
        "WHERE handle = 'hub' ORDER BY first_seen",
        "--format",
        "csv",
    )
    lines = output.strip().splitlines()
    assert lines[1:] == [
        ",,2016-01-01T10:00:00+00:00,line 2",
        "Hub Old Name,100,2016-02-01T10:00:00+00:00,line 32",
        "Hub Name,1200,2016-03-01T10:00:00+00:00,line 33",
    ]

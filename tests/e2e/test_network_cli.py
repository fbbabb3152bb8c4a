"""`veille demo` then `veille network`: ranked accounts with reasons, stored as a run."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from veille.cli import app

pytestmark = pytest.mark.e2e
PUBLIC = ["--kind", "mention", "--kind", "reply", "--kind", "forward", "--kind", "retweet"]


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app, ["demo", str(root / "case"), "--data", str(root / "data"), "--scale", "0.1"]
    )
    assert result.exit_code == 0, result.output
    assert "planted hubs are in the top 10" in result.output
    return root / "case"


def network(case: Path, *extra: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["network", str(case), "--json", *PUBLIC, *extra])
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.output)
    return payload


def test_network_ranks_the_planted_hubs_with_reasons(demo_case: Path) -> None:
    truth = json.loads((demo_case.parent / "data" / "ground_truth.json").read_text())
    hubs = {
        actor
        for account in truth["accounts"]
        if account["id"] in {hub["id"] for hub in truth["central_accounts"]}
        for actor in account["actor_ids"].values()
    }
    report = network(demo_case, "--top", "10")
    actors = report["actors"]
    assert isinstance(actors, list)
    assert sum(1 for actor in actors if actor["actor_id"] in hubs) >= 6
    first = actors[0]
    assert first["rank"] == 1
    assert "ranked 1st overall" in first["reasons"]["sentence"]
    assert first["reasons"]["top_edges"][0]["evidence"]  # posts that show the edge


def test_the_same_parameters_replace_the_run(demo_case: Path) -> None:
    one = network(demo_case)
    two = network(demo_case)
    other = network(demo_case, "--min-weight", "2")
    assert one["run"] == two["run"] != other["run"]
    con = duckdb.connect(str(demo_case / "case.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT count(*), count(DISTINCT actor_id) FROM actor_metrics WHERE run_id = ?",
        [one["run"]],
    ).fetchone()
    con.close()
    assert rows is not None
    assert rows[0] == rows[1] == one["vertices"]


def test_unknown_kind_is_a_clear_error(demo_case: Path) -> None:
    result = CliRunner().invoke(app, ["network", str(demo_case), "--kind", "like"])
    assert result.exit_code == 1
    assert "unknown like" in result.output

"""``veille analyze CASE NAME``: any registered analysis, run and stored the same way."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.case import Case
from veille.cli import app

# abu_a posts on 1, 3 and 9 June (twice on the 3rd, once as a join line that is no post).
CSV = (
    "username,time,text,kind\n"
    "abu_a,2015-06-01T10:00:00Z,first @abu_b,post\n"
    "abu_a,2015-06-03T10:00:00Z,second,post\n"
    "abu_a,2015-06-03T22:30:00Z,third: the 4th in Baghdad,post\n"
    "abu_a,2015-06-09T10:00:00Z,last,post\n"
    "abu_b,2015-06-02T10:00:00Z,only post,post\n"
)


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    data = tmp_path / "posts.csv"
    data.write_text(CSV, encoding="utf-8")
    with Case.init(tmp_path / "case", time_zone="Asia/Baghdad") as case:
        case.ingest([data])
    return tmp_path / "case"


def _json(args: list[str]) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_accounts_analysis_gives_each_account_its_rhythm_and_last_post(
    case_path: Path,
) -> None:
    out = _json(["analyze", str(case_path), "accounts", "--json"])
    assert out["analysis"] == "accounts"
    assert out["counts"] == {"accounts": 2, "posts": 5}
    with Case.open(case_path, read_only=True) as case:
        rows = case.con.execute(
            "SELECT a.handle, posts, active_days, first_day, last_day, median_gap_days, "
            "longest_gap_days, p.text FROM account_activity m "
            "JOIN actors a ON a.id = m.actor_id JOIN posts p ON p.id = m.last_post_id "
            "WHERE run_id = ? ORDER BY a.handle",
            [out["run"]],
        ).fetchall()
    # Days in Baghdad (UTC+3): 22:30 UTC on the 3rd is the 4th: days 1, 3, 4, 9, gaps 2, 1, 5.
    assert rows == [
        ("abu_a", 4, 4, date(2015, 6, 1), date(2015, 6, 9), 2.0, 5, "last"),
        ("abu_b", 1, 1, date(2015, 6, 2), date(2015, 6, 2), None, None, "only post"),
    ]


def test_analyze_network_is_the_network_verb(case_path: Path) -> None:
    generic = _json(["analyze", str(case_path), "network", "--set", "seed=0", "--json"])
    verb = _json(["network", str(case_path), "--json"])
    assert generic["run"] == verb["run"]
    assert generic["counts"]["actors"] == verb["vertices"] == 2


def test_analyze_takes_json_parameters(case_path: Path) -> None:
    out = _json(
        ["analyze", str(case_path), "reach", "--set", 'watchlist=["abu_a"]',
         "--set", "hops=1", "--json"]
    )  # fmt: skip
    assert out["parameters"]["hops"] == 1
    assert out["counts"] == {"reached": 1, "unknown": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nosuch"],
            "unknown analysis 'nosuch'; known: accounts, activity, network, reach, silence, "
            "successors",
        ),
        (["network", "--set", "hops=2"], "has no parameter hops; its parameters: kinds"),
        (["network", "--set", "kinds"], "is not KEY=VALUE"),
        (["network", "--set", "since=yesterday"], "'yesterday' is not a date"),
    ],
)
def test_analyze_says_what_is_wrong(case_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["analyze", str(case_path), *args])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())

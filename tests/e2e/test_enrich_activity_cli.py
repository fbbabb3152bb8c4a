"""`veille demo`, then `enrich`, `entities`, `places`, `activity`: what was planted is found."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from veille.cli import app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_case(demo_run: tuple[Path, dict[str, Any]]) -> Path:
    return demo_run[0]


def _json(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _truth(case: Path) -> Any:
    return json.loads((case.parent / "data" / "ground_truth.json").read_text(encoding="utf-8"))


def test_the_demo_enriched_everything_and_a_second_enrich_adds_nothing(demo_case: Path) -> None:
    again = _json("enrich", str(demo_case))
    assert [e["records"] for e in again["enrichers"]] == [0, 0, 0, 0, 0]
    redo = _json("enrich", str(demo_case), "--only", "links", "--redo")
    assert redo["enrichers"][0]["records"] > 0


def test_mosul_is_found_under_all_its_names(demo_case: Path) -> None:
    places = _json("places", str(demo_case), "--level", "city")["places"]
    mosul = next(p for p in places if p["geonameid"] == 99072)
    assert {"Mosul", "Mossoul", "الموصل"} <= set(mosul["names_seen"])
    assert mosul["country_code"] == "IQ"
    example = mosul["examples"][0]
    assert example["surface"] in example["context"]


def test_the_group_is_one_entity_under_many_names(demo_case: Path) -> None:
    entities = _json("entities", str(demo_case), "--type", "armed_group")["entities"]
    group = next(e for e in entities if e["entity_id"] == "org:islamic-state")
    assert len(group["names_seen"]) >= 5
    assert {"Daech", "داعش"} & set(group["names_seen"])


def test_activity_finds_the_planted_blackout_and_move(demo_case: Path) -> None:
    truth = _truth(demo_case)
    report = _json("activity", str(demo_case))
    planted = truth["blackouts"][0]["start"]
    mosul = [b for b in report["blackouts"] if b["label"] == "Mosul"]
    assert mosul, report["blackouts"]
    assert abs(_days(mosul[0]["start_day"], planted)) <= 3
    assert mosul[0]["depth"] >= 0.6
    assert json.loads(mosul[0]["comparison"]), "series that did not drop are named"
    assert json.loads(mosul[0]["evidence"])
    move = truth["moves"][0]
    found = [m for m in report["moves"] if m["target_label"] == "Muhajirun EU"]
    assert found, report["moves"]
    assert abs(_days(found[0]["rise_day"], move["start"])) <= 3
    assert found[0]["shared_accounts"] >= 5
    assert found[0]["links"] >= 1
    raqqa = [b for b in report["blackouts"] if b["label"] == "Ar Raqqah"]
    assert raqqa == [], "the control city did not go dark"


def _days(found: str, planted: str) -> int:
    from datetime import date

    return (date.fromisoformat(found[:10]) - date.fromisoformat(planted)).days


def test_the_report_marks_the_blackout_and_the_move(demo_case: Path, tmp_path: Path) -> None:
    written = _json("report", str(demo_case), "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert written["bytes"] == len(html.encode("utf-8"))
    assert "Activity in Mosul fell by" in html
    assert "Muhajirun EU" in html
    assert 'src="http' not in html
    assert 'href="http' not in html
    assert (demo_case / "report.html").is_file(), "make demo writes the report too"


def test_places_of_one_account_and_one_community(demo_case: Path) -> None:
    everything = _json("places", str(demo_case), "--top", "0")["places"]
    truth = _truth(demo_case)
    mover = truth["moves"][0]["twitter_handles"][0]
    own = _json("places", str(demo_case), "--top", "0", "--account", f"twitter:{mover}")["places"]
    assert own
    assert sum(p["posts"] for p in own) < sum(p["posts"] for p in everything)
    assert {p["place_id"] for p in own} <= {p["place_id"] for p in everything}
    bad = CliRunner().invoke(app, ["places", str(demo_case), "--account", "nocolon"])
    assert bad.exit_code == 1
    assert "platform:handle" in bad.output


def test_media_lists_photos_with_their_exif(demo_case: Path) -> None:
    listed = _json("media", str(demo_case))
    assert listed["media"]
    assert all(len(row["sha256"]) == 64 for row in listed["media"])
    assert all(len(group) >= 2 for group in listed["same_image"])


def test_series_by_week_and_hour(demo_case: Path) -> None:
    weekly = CliRunner().invoke(
        app, ["series", str(demo_case), "--by", "platform", "--bucket", "week", "-f", "json"]
    )
    assert weekly.exit_code == 0, weekly.output
    rows = json.loads(weekly.output)
    assert {row["key"] for row in rows} >= {"twitter", "telegram"}
    assert all(row["bucket"].endswith("00:00:00") for row in rows)
    from datetime import date

    assert {date.fromisoformat(row["bucket"][:10]).weekday() for row in rows} == {0}
    hourly = CliRunner().invoke(app, ["series", str(demo_case), "--bucket", "hour", "-f", "csv"])
    assert hourly.exit_code == 0
    assert hourly.output.startswith("key,label,bucket,posts,accounts")
    wrong = CliRunner().invoke(app, ["series", str(demo_case), "--bucket", "month"])
    assert wrong.exit_code == 1
    assert "unknown bucket" in wrong.output

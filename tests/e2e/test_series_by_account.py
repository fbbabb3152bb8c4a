"""``veille series --by account``: each account's own series, named ``@handle (Name)``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.unit.analyze.silence_story import write_rhythms
from veille.case import Case
from veille.cli import app

pytestmark = pytest.mark.e2e


def _json(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def test_series_by_account_names_each_account(tmp_path: Path) -> None:
    with Case.init(tmp_path / "case", time_zone="Asia/Baghdad") as case:
        case.ingest(list(write_rhythms(tmp_path)))
    out = _json(["series", str(tmp_path / "case"), "--by", "account", "--bucket", "week",
                 "--json"])  # fmt: skip
    labels = {row["label"] for row in out["series"]}
    assert labels == {"@steady", "@stops", "@rare", "@newbie", "@cut", "@filler"}
    stops = [row for row in out["series"] if row["label"] == "@stops"]
    assert sum(row["posts"] for row in stops) == 61
    assert {row["accounts"] for row in stops} == {1}
    assert stops[-1]["bucket"].startswith("2016-04-25")  # the week of its last post


def test_series_names_the_dimensions_it_knows(tmp_path: Path) -> None:
    Case.init(tmp_path / "case").close()
    result = CliRunner().invoke(app, ["series", str(tmp_path / "case"), "--by", "person"])
    assert result.exit_code == 1
    assert "unknown dimension 'person'" in result.output
    assert "community_platform, account" in " ".join(result.output.split())

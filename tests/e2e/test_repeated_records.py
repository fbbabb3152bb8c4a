"""Records of one file that collapse onto one id are counted and told, never silently merged.

A table without a post id column gets ids from its author, time and text: two rows alike are one
post. The ingest keeps one, counts the others as ``repeated`` (not as ``present``, which means
"in the case before this ingest") and says so in a note. Read again, every post is present.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from veille.cli import app
from veille.ingest.tabular import csv_bulk

pytestmark = pytest.mark.e2e
runner = CliRunner()

UNIQUE = 2_000  # rows of their own
REPEATS = 37  # copies of earlier rows, some in the same batch, some far from their first


def ingest(case: Path, *paths: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["ingest", str(case), *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    output: dict[str, Any] = json.loads(result.stdout)
    return output


def _row(number: int) -> str:
    return f"abu_{number % 50},1/6/2015 {number % 24}:{number % 60:02d},post number {number}"


def _table(path: Path, unique: int, repeats: int) -> Path:
    rows = [_row(number) for number in range(unique)]
    for copy in range(repeats):
        rows.insert(unique // 2 + copy * 3, _row(copy * 41 % unique))
    path.write_text("username,time,tweets\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=["bulk", "rows"])
def table_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a table is read give the same counts."""
    minimum = 0 if request.param == "bulk" else 1 << 40
    monkeypatch.setattr(csv_bulk, "BULK_MIN_BYTES", minimum)
    return str(request.param)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    return folder


def test_rows_alike_are_counted_as_repeated_with_a_note(
    case: Path, tmp_path: Path, table_path: str
) -> None:
    data = _table(tmp_path / "t.csv", UNIQUE, REPEATS)
    (source,) = ingest(case, data)["sources"]
    assert source["status"] == "ok"
    counts = {key: source[key] for key in ("read", "new", "present", "repeated")}
    assert counts == {"read": UNIQUE + REPEATS, "new": UNIQUE, "present": 0, "repeated": REPEATS}
    assert (
        f"{REPEATS} records repeat the id of an earlier record of this file and were kept once "
        "(a post id column would tell them apart; see --map id=COLUMN)"
    ) in source["notes"]


def test_read_again_every_record_is_present_and_none_repeated(
    case: Path, tmp_path: Path, table_path: str
) -> None:
    data = _table(tmp_path / "t.csv", UNIQUE, REPEATS)
    ingest(case, data)
    (source,) = ingest(case, data)["sources"]
    counts = {key: source[key] for key in ("read", "new", "present", "repeated")}
    assert counts == {
        "read": UNIQUE + REPEATS,
        "new": 0,
        "present": UNIQUE + REPEATS,
        "repeated": 0,
    }
    assert not any("repeat" in note for note in source["notes"])


def test_present_counts_what_an_earlier_file_brought_repeated_what_this_one_did(
    case: Path, tmp_path: Path, table_path: str
) -> None:
    ingest(case, _table(tmp_path / "first.csv", 100, 0))
    second = _table(tmp_path / "second.csv", 300, 0)
    with second.open("a", encoding="utf-8") as out:  # one old row again, and one new row again
        out.write(_row(5) + "\n" + _row(250) + "\n")
    (source,) = ingest(case, second)["sources"]
    counts = {key: source[key] for key in ("read", "new", "present", "repeated")}
    assert counts == {"read": 302, "new": 200, "present": 101, "repeated": 1}
    assert "1 record repeats the id of an earlier record of this file and was kept once" in (
        " ".join(source["notes"])
    )


def test_without_repeats_there_is_no_note(case: Path, tmp_path: Path) -> None:
    (source,) = ingest(case, _table(tmp_path / "t.csv", 50, 0))["sources"]
    assert source["repeated"] == 0
    assert not any("repeat" in note for note in source["notes"])

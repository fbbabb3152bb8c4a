"""The command line never shows a traceback, and never stays silent about a bad value.

Each case here was a traceback or a silent empty result before: a path that cannot be
created or written, an option out of range, an unknown value. Each must end in one line
saying what is wrong (exit 1), or Click's usage error (exit 2), and change nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner, Result

from veille import __version__
from veille.cli import app

pytestmark = pytest.mark.e2e
runner = CliRunner()


def veille(*args: object) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(result: Result, code: int = 1) -> str:
    """The result is a handled error: the exit code, no exception, no traceback."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if code == 1:
        assert result.output.startswith("error: ")
        assert len(result.output.strip().splitlines()) == 1, result.output
    return result.output


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("case")
    assert veille("init", root / "case").exit_code == 0
    data = root / "t.csv"
    data.write_text(
        "username,time,text\nabu_a,2016-01-01,hello @abu_b\nabu_b,2016-01-02,hi @abu_a\n"
    )
    assert veille("ingest", root / "case", data, "--quiet").exit_code == 0
    return root / "case"


def test_init_where_no_folder_can_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "No such file or directory" in one_line_error(veille("init", "/proc/x"))
    assert "Not a directory" in one_line_error(veille("init", blocker / "case"))
    result = veille("init", blocker / "case", "--json")
    assert result.exit_code == 1
    assert json.loads(result.output)["ok"] is False


def test_init_refuses_an_empty_time_zone(tmp_path: Path) -> None:
    assert "time zone" in one_line_error(veille("init", tmp_path / "case", "--tz", ""))
    assert not (tmp_path / "case").exists()


def test_debug_shows_the_traceback() -> None:
    result = veille("--debug", "init", "/proc/x")
    assert isinstance(result.exception, FileNotFoundError)


def test_report_to_a_missing_folder_or_a_folder(case: Path, tmp_path: Path) -> None:
    output = one_line_error(veille("report", case, "-o", tmp_path / "nowhere" / "r.html"))
    assert "does not exist" in output
    assert "is a folder" in one_line_error(veille("report", case, "-o", tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_export_where_no_folder_can_be_made(case: Path) -> None:
    assert "/proc/x" in one_line_error(veille("export", case, "-o", "/proc/x/out"))
    assert "unknown 'xml'" in one_line_error(veille("export", case, "-o", "/tmp/x", "--to", "xml"))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["network", "{case}", "--min-weight", "-5"], "--min-weight"),
        (["network", "{case}", "--min-weight", "0"], "--min-weight"),
        (["network", "{case}", "--top", "-1"], "--top"),
        (["reach", "{case}", "--watchlist", "{case}/case.toml", "--hops", "0"], "--hops"),
        (["quarantine", "{case}", "--limit", "-3"], "--limit"),
        (["query", "{case}", "SELECT 1", "-f", "xml"], "'xml' is not one of table, csv, json"),
        (["series", "{case}", "-f", "xml"], "'xml' is not one of table, csv, json"),
        (["places", "{case}", "--level", "galaxy"], "city, region, country, continent, point"),
        (["entities", "{case}", "--type", "nosuch"], "armed_group, agency, outlet, platform"),
        (["peek", "{case}/case.toml", "--limit", "-1"], "--limit"),
    ],
)
def test_bad_values_are_usage_errors(case: Path, args: list[str], words: str) -> None:
    result = veille(*(a.format(case=case) for a in args))
    output = " ".join(one_line_error(result, code=2).replace("│", " ").split())
    assert words in output


def test_an_empty_watchlist_is_an_error(case: Path, tmp_path: Path) -> None:
    watchlist = tmp_path / "watch.txt"
    watchlist.write_text("\n  \n# nobody yet\n")
    assert "names no account" in one_line_error(veille("reach", case, "--watchlist", watchlist))


def test_demo_never_writes_over_something_else(tmp_path: Path) -> None:
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0")
    data = tmp_path / "demo-data"
    data.mkdir()
    (data / "ground_truth.json").write_text("{}")  # a previous demo's data: may be replaced
    assert "not a folder" in one_line_error(veille("demo", a_file, "--data", data))
    assert a_file.read_text() == "root:x:0:0"
    assert (data / "ground_truth.json").exists()  # nothing deleted before the refusal

    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine")
    assert "not a previous demo case" in one_line_error(veille("demo", work, "--data", data))
    assert "not a previous demo's data" in one_line_error(
        veille("demo", tmp_path / "new", "--data", work)
    )
    assert (work / "notes.txt").read_text() == "mine"
    assert "--scale" in one_line_error(veille("demo", tmp_path / "new", "--scale", "0"))


def test_demo_refuses_a_users_case(case: Path, tmp_path: Path) -> None:
    # The case's sources were read from elsewhere than the demo's data folder.
    output = one_line_error(veille("demo", case, "--data", tmp_path / "demo-data"))
    assert "not a previous demo case" in output
    assert (case / "case.duckdb").exists()


def test_demo_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import veille.demo.run as demo_run

    def quick_demo(case: Path, data: Path, console: object, **_: object) -> dict[str, object]:
        # Stands in for the 30-second scenario: a case and a data folder as the demo leaves.
        data.mkdir()
        (data / "ground_truth.json").write_text("{}")
        veille("init", case)
        print("progress the JSON must not show", file=console.file)  # type: ignore[attr-defined]
        return {"successors": {"precision": 1.0}}

    monkeypatch.setattr(demo_run, "run_demo", quick_demo)
    result = veille("demo", tmp_path / "case", "--data", tmp_path / "data", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["ok"] is True
    assert payload["totals"]["posts"] == 0
    assert payload["ground_truth"] == str(tmp_path / "data" / "ground_truth.json")
    assert payload["scores"] == {"successors": {"precision": 1.0}}


def test_json_everywhere(case: Path, tmp_path: Path) -> None:
    readers = json.loads(veille("readers", "--json").output)
    assert {"tabular", "telegram", "whatsapp"} <= {r["name"] for r in readers["readers"]}

    data = tmp_path / "t.csv"
    data.write_text("username,time,text\nabu_a,2016-01-01,hello\n")
    peeked = json.loads(veille("peek", data, "--json").output)
    assert peeked["reader"] == "tabular"
    assert any(record.get("text") == "hello" for record in peeked["records"])

    data.write_text("who,when,what\nabu_a,2016-01-01,hello\n")
    two_maps = veille("peek", data, "--map", "author=who", "--map", "time=when,text=what", "--json")
    assert json.loads(two_maps.output)["records"][-1]["text"] == "hello"
    clash = veille("peek", data, "--map", "author=who", "--map", "author=what")
    assert "mapped to both" in one_line_error(clash)

    series = json.loads(veille("series", case, "--by", "platform", "--json").output)
    assert series["ok"] is True
    assert sum(row["posts"] for row in series["series"]) == 2

    queried = json.loads(veille("query", case, "SELECT count(*) AS n FROM posts", "--json").output)
    assert queried == {"ok": True, "columns": ["n"], "rows": [[2]]}


def test_every_command_takes_json() -> None:
    commands = get_command(app).commands  # type: ignore[attr-defined]
    lacking = [
        name
        for name, command in commands.items()
        if not any("--json" in param.opts for param in command.params)
    ]
    assert lacking == []


def test_version() -> None:
    result = veille("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"veille {__version__}"


@pytest.mark.parametrize("command", [[], ["enrich"], ["ingest"], ["network"], ["report"]])
def test_help_shows_flags_without_a_type(command: list[str]) -> None:
    result = veille(*command, "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert "--json" in result.output or not command


def test_status_says_an_ingest_is_running(case: Path) -> None:
    # A process holding the case as an ingest does, with an ingest's command line.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[3]); print('ready', "
            "flush=True); time.sleep(60)",
            "veille",
            "ingest",
            str(case / "case.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        result = veille("status", case)
        assert result.exit_code == 0, result.output
        assert f"an ingest is running (PID {holder.pid})" in result.output
        busy = json.loads(veille("status", case, "--json").output)
        assert busy["busy"]["pid"] == holder.pid
        # Other commands say the same in one line instead of DuckDB's lock error.
        output = one_line_error(veille("quarantine", case))
        assert f"an ingest is running (PID {holder.pid})" in output
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    deadline = time.monotonic() + 10
    while veille("status", case).exit_code != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "2 posts" in veille("status", case).output

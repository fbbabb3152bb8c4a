"""A file's status says what happened to it, and the exit code says whether all was read.

ok: every record read; partial: some quarantined (past 1%: a warning with a hint, exit 3);
failed: nothing read, or the file changed during its read; skipped: no reader, with why.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from veille.case import Case
from veille.cli import app
from veille.ingest.base import ReadOptions
from veille.ingest.tabular.reader import TabularReader
from veille.model import Record

pytestmark = pytest.mark.e2e
runner = CliRunner()


def veille(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def table(path: Path, good: int, bad: int) -> Path:
    rows = [f"abu_{n},1/6/2015 21:07,post {n}" for n in range(good)]
    rows += [f"abu_{n},not a date,bad {n}" for n in range(bad)]
    path.write_text("username,time,tweets\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    assert veille("init", folder)[0] == 0
    return folder


def test_past_one_percent_quarantined_the_file_is_partial_and_exit_is_3(
    case: Path, tmp_path: Path
) -> None:
    code, output = veille("ingest", case, table(tmp_path / "t.csv", 90, 10))
    assert code == 3
    assert "partial (10.0% quarantined)" in output
    assert "Warning:" in output
    assert "time that could not be read" in output  # the hint


def test_under_one_percent_the_file_is_partial_but_the_exit_is_0(
    case: Path, tmp_path: Path
) -> None:
    code, output = veille("ingest", case, table(tmp_path / "t.csv", 300, 1), "--json")
    assert code == 0
    source = json.loads(output)["sources"][0]
    assert (source["status"], source["quarantined"]) == ("partial", 1)
    code, _ = veille("ingest", case, table(tmp_path / "u.csv", 299, 1), "--strict", "--json")
    assert code == 3  # --strict stays stricter


def test_a_clean_file_is_ok_and_skipped_files_say_why(case: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    table(folder / "t.csv", 5, 0)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a table")
    code, output = veille("ingest", case, folder, "--json")
    assert code == 0, output
    by_name = {Path(s["path"]).name: s for s in json.loads(output)["sources"]}
    assert by_name["t.csv"]["status"] == "ok"
    assert by_name["notes.docx"]["status"] == "skipped"
    assert by_name["notes.docx"]["why"]


READ = TabularReader.read


def _changing_read(path: Path, options: ReadOptions) -> Iterator[Record]:
    records = READ(TabularReader(), path, options)
    yield next(records)
    with path.open("a", encoding="utf-8") as out:  # someone writes to it during the read
        out.write("abu_9,1/6/2015 21:07,appended\n")
    yield from records


def test_a_file_changed_during_its_read_is_failed_not_done(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        TabularReader, "read", lambda self, path, options: _changing_read(path, options)
    )
    source = table(tmp_path / "t.csv", 5, 0)
    with Case.open(case) as opened:
        report = opened.ingest([source])
    (only,) = report.sources
    assert only.status == "failed"
    assert "changed while it was read" in (only.error or "")
    con = duckdb.connect(str(case / "case.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT status FROM sources").fetchall() == [("failed",)]
    finally:
        con.close()


def _broken_read(path: Path, options: ReadOptions) -> Iterator[Record]:
    yield from READ(TabularReader(), path, options)
    raise RuntimeError("a reader bug")  # after its posts: the file was read, partly


def test_a_reader_bug_fails_its_file_and_the_next_file_still_goes_in(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = table(tmp_path / "a.csv", 5, 0)
    second = tmp_path / "b.jsonl"
    second.write_text('{"user": "x", "created_at": "2020-01-01T00:00:00Z", "text": "hi"}\n')

    def read(self: TabularReader, path: Path, options: ReadOptions) -> Iterator[Record]:
        if path.suffix == ".csv":
            return _broken_read(path, options)
        return READ(self, path, options)

    monkeypatch.setattr(TabularReader, "read", read)
    with Case.open(case) as opened:
        report = opened.ingest([first, second])
        runs = opened.con.execute("SELECT status FROM runs WHERE kind = 'ingest'").fetchall()
    statuses = {Path(s.path).name: s for s in report.sources}
    assert statuses["a.csv"].status == "partial"
    assert "internal error: RuntimeError: a reader bug" in (statuses["a.csv"].stopped or "")
    assert statuses["a.csv"].incomplete
    assert statuses["b.jsonl"].status == "ok"
    assert runs == [("done",)]


def test_a_run_that_raises_ends_failed_not_started(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise MemoryError("out of memory")

    monkeypatch.setattr("veille.case.ingest_paths", explode)
    with Case.open(case) as opened, pytest.raises(MemoryError):
        opened.ingest([table(tmp_path / "t.csv", 1, 0)])
    with Case.open(case) as opened:
        runs = opened.con.execute("SELECT status, counts FROM runs").fetchall()
    assert runs[0][0] == "failed"
    assert "out of memory" in runs[0][1]


def test_the_case_remembers_the_order_of_ambiguous_dates(case: Path, tmp_path: Path) -> None:
    """case.toml's ingest.date_order reads 3/4/2016 as 3 April when the file cannot tell."""
    toml = case / "case.toml"
    text = toml.read_text(encoding="utf-8").replace('# date_order = "day"', 'date_order = "day"')
    toml.write_text(text, encoding="utf-8")
    data = tmp_path / "t.csv"
    data.write_text("username,time,tweets\na,3/4/2016 10:00,one\n", encoding="utf-8")
    with Case.open(case) as opened:
        opened.ingest([data])
        (moment,) = opened.con.execute("SELECT posted_at FROM posts").fetchone() or (None,)
    assert (moment.month, moment.day) == (4, 3)


def test_a_wrong_date_order_in_case_toml_is_a_clear_error(case: Path) -> None:
    toml = case / "case.toml"
    text = toml.read_text(encoding="utf-8").replace('# date_order = "day"', 'date_order = "week"')
    toml.write_text(text, encoding="utf-8")
    code, output = veille("status", case)
    assert code == 1
    assert 'ingest.date_order must be "day" or "month"' in output


def _replacing_read(path: Path, options: ReadOptions) -> Iterator[Record]:
    records = READ(TabularReader(), path, options)
    yield next(records)
    # Replaced by another file of the same size and a back-dated time (cp -p, a sync tool).
    other = path.with_suffix(".new")
    other.write_bytes(path.read_bytes().replace(b"post", b"POST"))
    stat = path.stat()
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    other.replace(path)
    yield from records


def test_a_file_replaced_by_one_of_the_same_size_and_time_is_noticed(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        TabularReader, "read", lambda self, path, options: _replacing_read(path, options)
    )
    with Case.open(case) as opened:
        (only,) = opened.ingest([table(tmp_path / "t.csv", 5, 0)]).sources
    assert only.status == "failed"
    assert "changed while it was read" in (only.error or "")


def test_following_the_platform_hint_keeps_the_guessed_columns(case: Path, tmp_path: Path) -> None:
    """--map platform=NAME on a table with no platform column completes the guess."""
    data = tmp_path / "t.csv"
    rows = "".join(f"abu_{n % 7},1/6/2015 21:{n % 60:02d},post number {n}\n" for n in range(448))
    data.write_text("username,time,message\n" + rows, encoding="utf-8")
    code, output = veille("ingest", case, data, "--map", "platform=twitter", "--json")
    report = json.loads(output)
    assert code == 0, output
    assert report["counts"]["new"] == 448  # not 1 empty post and 447 "already present"
    assert "author=username" in " ".join(report["sources"][0]["notes"])
    with Case.open(case) as opened:
        texts = opened.con.execute("SELECT DISTINCT platform, count(*) FROM posts GROUP BY 1")
        assert texts.fetchall() == [("twitter", 448)]


def test_map_given_twice_merges_and_a_field_mapped_two_ways_is_refused(
    case: Path, tmp_path: Path
) -> None:
    data = tmp_path / "t.csv"
    data.write_text("who,when,what\nabu,1/6/2015 21:07,salam\n", encoding="utf-8")
    code, output = veille(
        "ingest", case, data, "--map", "author=who", "--map", "time=when,text=what", "--json"
    )
    assert code == 0, output
    notes = " ".join(json.loads(output)["sources"][0]["notes"])
    assert "author=who" in notes
    assert "time=when" in notes
    code, output = veille("ingest", case, data, "--map", "author=who", "--map", "author=what")
    assert code == 1
    assert "author is mapped to both 'who' and 'what'" in output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--tz", "", "--tz is empty"),
        ("--delimiter", "ab", "give one character"),
        ("--quote", "\n", "give one character"),
        ("--encoding", "klingon", "unknown encoding"),
        ("--max-record-chars", "10", "10"),
    ],
)
def test_bad_ingest_options_are_one_line_errors(
    case: Path, tmp_path: Path, option: str, value: str, message: str
) -> None:
    code, output = veille("ingest", case, table(tmp_path / "t.csv", 1, 0), option, value)
    assert code in (1, 2)
    assert message in output
    assert "Traceback" not in output


def test_a_cp1256_table_reads_exactly_and_says_how_sure(case: Path, tmp_path: Path) -> None:
    texts = ["الدولة الإسلامية في الموصل", "بيان جديد من القناة", "مرحبا بكم"]
    data = tmp_path / "t.csv"
    body = "".join(f"abu_{n},1/6/2015 21:0{n},{text}\n" for n, text in enumerate(texts))
    data.write_bytes(("username,time,tweets\n" + body).encode("cp1256"))
    code, output = veille("ingest", case, data, "--json")
    assert code == 0, output
    notes = " ".join(json.loads(output)["sources"][0]["notes"])
    assert "encoding cp1256" in notes
    assert "words of its languages" in notes
    with Case.open(case) as opened:
        stored = [
            row[0] for row in opened.con.execute("SELECT text FROM posts ORDER BY 1").fetchall()
        ]
    assert stored == sorted(texts)


def test_delimiter_quote_and_encoding_given_are_used(case: Path, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_bytes("username|time|tweets\nabu|1/6/2015 21:07|'a|b' é\n".encode("latin-1"))
    code, output = veille(
        "ingest", case, data, "--delimiter", "pipe", "--quote", "'", "--encoding", "latin-1",
        "--json",
    )  # fmt: skip
    assert code == 0, output
    with Case.open(case) as opened:
        assert opened.con.execute("SELECT text FROM posts").fetchall() == [("a|b é",)]

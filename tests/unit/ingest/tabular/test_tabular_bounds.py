"""A CSV file's records are bounded in memory: an over-long line costs its record, not the run."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.tabular.reader import TabularReader
from veille.model import Columns, Reject


def _read(path: Path, limit: int) -> list[object]:
    return list(TabularReader().read(path, ReadOptions(max_record_chars=limit)))


def _posts(records: list[object]) -> int:
    return sum(len(r.values["id"]) for r in records if isinstance(r, Columns) and r.kind == "post")


def test_an_over_long_line_is_quarantined_and_the_rest_goes_in(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("username,text\na,one\nb," + "x" * 50_000 + "\nc,three\n", encoding="utf-8")
    records = _read(path, 10_000)
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [r.locator for r in rejects] == ["line 3"]
    assert "50,002 characters long, over the limit of 10,000" in rejects[0].reason
    assert len(rejects[0].raw or "") == 4096
    assert _posts(records) == 2


def test_a_stray_quote_never_closed_is_read_as_a_character(tmp_path: Path) -> None:
    """Read with '"', the stray quote would swallow 5,000 lines into one field."""
    path = tmp_path / "t.csv"
    lines = "".join(f"b,line {n}\n" for n in range(5_000))
    path.write_text(f'username,text\na,"never closed\n{lines}', encoding="utf-8")
    records = _read(path, 10_000)
    assert not [r for r in records if isinstance(r, Reject)]
    assert _posts(records) == 5_001


def test_an_unclosed_quote_costs_a_bounded_field_not_the_file(tmp_path: Path) -> None:
    """Where the file proves '"' (quoted commas), an unclosed one runs into the field limit."""
    path = tmp_path / "t.csv"
    quoted = "".join(f'b,"x, {n}"\n' for n in range(100))
    lines = "".join(f"b,line {n}\n" for n in range(5_000))
    path.write_text(f'username,text\n{quoted}a,"never closed\n{lines}', encoding="utf-8")
    records = _read(path, 10_000)
    rejects = [r for r in records if isinstance(r, Reject)]
    assert len(rejects) == 1
    assert "over the limit of 10,000 characters" in rejects[0].reason
    assert _posts(records) >= 100


def test_a_file_with_no_line_break_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(40):
            out.write("a," * 500_000)  # 40 MB, one line
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="not a table's header"):
            _read(path, 100_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 << 20

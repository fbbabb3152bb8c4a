"""Whatever the rows, ingesting the same file twice adds nothing the second time."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.case import Case

handles = st.from_regex(r"[a-z_]{1,8}", fullmatch=True)
rows = st.lists(
    st.tuples(
        handles,
        st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%d %H:%M")),
        st.text(max_size=40),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None)
@given(rows=rows)
def test_second_ingest_adds_nothing(rows: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = root / "posts.csv"
        with data.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["username", "time", "text"])
            writer.writerows(rows)
        with Case.init(root / "case") as case:
            first = case.ingest([data]).totals()
            posts_after_first = case.query("SELECT count(*) FROM posts")[1][0][0]
            second = case.ingest([data]).totals()
            totals = case.query(
                "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM interactions), "
                "(SELECT count(*) FROM actors), (SELECT count(DISTINCT id) FROM posts)"
            )[1][0]
    assert second["new"] == 0
    assert second["read"] == first["read"]
    assert totals[0] == posts_after_first == totals[3] == first["new"]

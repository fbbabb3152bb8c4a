"""The dialect chosen for a table reads back exactly the records that were written."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from tests.property.reader_settings import SETTINGS
from veille.ingest.tabular.csv_dialect import choose_dialect

cells = st.one_of(
    st.sampled_from(
        ["news", "the 'market' is", "l'armée", "a, b", 'say "hi"', "x;y", "two\nlines",
         "crlf\r\nend", "1200,0", "a|b", "tab\there", "", "الموصل", "'", '"']
    ),
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
)  # fmt: skip


@SETTINGS
@given(
    width=st.integers(2, 6),
    rows=st.data(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_the_chosen_dialect_reads_every_record_back(
    width: int, rows: st.DataObject, delimiter: str, quoting: int, line_end: str
) -> None:
    header = [f"column {n}" for n in range(width)]
    body = rows.draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=30))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(body)
    text = out.getvalue()
    chosen, note = choose_dialect(text, cut=False)
    read = list(csv.reader(io.StringIO(text, newline=""), chosen.as_csv()))
    assert chosen.wrong_width == 0, note
    assert [row for row in read if row] == [header, *[row for row in body if row]], note

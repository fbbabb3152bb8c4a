"""The news reader on garbage and on damaged fixtures: records or InputError, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.property.reader_settings import RECORD_TYPES, SETTINGS
from veille.errors import InputError
from veille.ingest.base import ReadOptions
from veille.ingest.news.reader import NewsReader
from veille.model import Post

FIXTURES = [
    "news-html/fr-dw.com-elephants.html",
    "news-html/ar-assabah.com.tn.article.html",
    "news-html/en-reuters.com.parasite.html",
    "news-text/rt-2016-daesh-messageries.txt",
    "news-text/sputnik-2017-daech-reseaux-sociaux.txt",
]


def read_or_input_error(path: Path) -> None:
    reader = NewsReader()
    assert 0 <= reader.sniff(path) <= 100
    message: str | None = None
    try:
        records = list(reader.read(path, ReadOptions()))
    except InputError as error:
        message = str(error)
    if message is not None:  # a one-line reason naming the reader
        assert message.startswith("news: ")
        assert "\n" not in message
        return
    assert all(isinstance(record, RECORD_TYPES) for record in records)
    assert sum(isinstance(record, Post) for record in records) == 1


@SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".html", ".txt", ".htm", ""]))
def test_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    read_or_input_error(path)


@SETTINGS
@given(
    text=st.lists(
        st.sampled_from(
            [*"<>/=\"' \nabcpé©@.:-|", "<p>", "</p>", "<html>", "<meta charset=", "http://x"]
        ),
        max_size=200,
    ).map("".join),
    suffix=st.sampled_from([".html", ".txt"]),
)
def test_html_like_text(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    read_or_input_error(path)


@SETTINGS
@given(
    name=st.sampled_from(FIXTURES),
    cut=st.floats(min_value=0.0, max_value=1.0),
    damage=st.lists(
        st.tuples(st.floats(min_value=0.0, max_value=1.0), st.binary(min_size=1, max_size=8)),
        max_size=6,
    ),
)
def test_damaged_fixtures(
    fixtures_dir: Path,
    tmp_path: Path,
    name: str,
    cut: float,
    damage: list[tuple[float, bytes]],
) -> None:
    data = bytearray((fixtures_dir / name).read_bytes())
    data = data[: int(len(data) * cut)]  # truncated at a random offset
    for where, junk in damage:  # then random bytes overwritten
        start = int(len(data) * where)
        data[start : start + len(junk)] = junk
    path = tmp_path / Path(name).name
    path.write_bytes(bytes(data))
    read_or_input_error(path)

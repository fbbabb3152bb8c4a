"""Date columns: one decision per column, with the reason reported."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veille.ingest.common.dates import DateColumn

UTC_ZONE = ZoneInfo("UTC")


def decide(values: list[str], order: str | None = None) -> tuple[str, list[datetime]]:
    column = DateColumn("time")
    for value in values:
        column.observe(value)
    parser = column.decide(order)
    return parser.description, [parser.parse(v, UTC_ZONE)[0] for v in values]


def test_a_single_unambiguous_value_decides_the_column() -> None:
    description, moments = decide(["01/02/2016 10:00", "03/04/2016 10:00", "25/04/2016 10:00"])
    assert "day-first" in description
    assert moments[0] == datetime(2016, 2, 1, 10, tzinfo=UTC)


def test_ambiguous_column_follows_chronology() -> None:
    # Day-first: 5, 6, 7 January then 6 February, in order. Month-first: 1 May, 1 June,
    # 1 July, then back to 2 June. The reading that keeps the file in time order wins.
    column = DateColumn("t")
    for value in ["05/01/2016", "06/01/2016", "07/01/2016", "06/02/2016"]:
        column.observe(value)
    assert "day-first keeps the rows in time order" in column.decide().description


def test_forced_order_wins() -> None:
    description, moments = decide(["01/02/2016"], order="day")
    assert "--date-order" in description
    assert moments == [datetime(2016, 2, 1, tzinfo=UTC)]


def test_twelve_hour_clock_and_spanish_markers() -> None:
    _, moments = decide(["01/30/2019, 08:49 p. m.", "01/30/2019, 12:08 a. m."])
    assert moments == [
        datetime(2019, 1, 30, 20, 49, tzinfo=UTC),
        datetime(2019, 1, 30, 0, 8, tzinfo=UTC),
    ]


def test_naive_times_take_the_case_zone() -> None:
    column = DateColumn("t")
    column.observe("2016-11-14 12:00")
    moment, offset = column.decide().parse("2016-11-14 12:00", ZoneInfo("Asia/Baghdad"))
    assert moment == datetime(2016, 11, 14, 9, tzinfo=UTC)
    assert offset is None


def test_twitter_v1_and_epoch() -> None:
    _, moments = decide(["Wed Oct 10 20:19:24 +0000 2018"])
    assert moments == [datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)]
    _, moments = decide(["1692821483"])
    assert moments == [datetime(2023, 8, 23, 20, 11, 23, tzinfo=UTC)]


def test_unreadable_value_raises_value_error() -> None:
    column = DateColumn("t")
    column.observe("yesterday-ish")
    with pytest.raises(ValueError, match="unreadable date"):
        column.decide().parse("yesterday-ish", UTC_ZONE)


@given(
    st.lists(
        st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2060, 12, 31)),
        min_size=1,
        max_size=30,
    ).map(sorted),
    st.sampled_from(["%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M"]),
)
def test_sorted_columns_read_back_exactly(moments: list[datetime], pattern: str) -> None:
    """Whatever the order, a chronological column is read back as written (to the minute)."""
    values = [m.strftime(pattern) for m in moments]
    column = DateColumn("t")
    for value in values:
        column.observe(value)
    parser = column.decide()
    parsed = [parser.parse(v, UTC_ZONE)[0].replace(tzinfo=None) for v in values]
    expected = [m.replace(second=0, microsecond=0) for m in moments]
    # Only a column with no proof either way and in order both ways may be read the other way.
    if parsed != expected:
        assert "assumed" in parser.description or "time order" in parser.description
        assert parsed == sorted(parsed)

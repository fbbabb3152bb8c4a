"""Daily series are counted in the case's zone, once per post and place, service lines aside."""

from __future__ import annotations

from pathlib import Path

from veille.case import Case
from veille.store.activity import activity_table, day_range, prepare_local_posts


def _case(tmp_path: Path) -> Case:
    source = tmp_path / "posts.csv"
    source.write_text(
        "id,author,time,text\n"
        '1,a,2016-11-13T22:30:00+00:00,"Nouvelles depuis Mossoul"\n'  # 01:30 on the 14th in Baghdad
        '2,b,2016-11-13T12:00:00+00:00,"Encore Mossoul et Raqqa"\n'
        '3,a,2016-11-14T12:00:00+00:00,"Rien de neuf"\n',
        encoding="utf-8",
    )
    case = Case.init(tmp_path / "case", time_zone="Asia/Baghdad")
    case.ingest([source])
    case.enrich(["lang", "entities", "places"])
    return case


def test_days_are_counted_in_the_case_zone(tmp_path: Path) -> None:
    case = _case(tmp_path)
    prepare_local_posts(case.con, "Asia/Baghdad", None)
    rows = activity_table(case.con, "platform").to_pylist()
    assert [(str(r["day"]), r["posts"], r["accounts"]) for r in rows] == [
        ("2016-11-13", 1, 1),
        ("2016-11-14", 2, 1),
    ]
    first, last = day_range(case.con) or (None, None)
    assert (str(first), str(last)) == ("2016-11-13", "2016-11-14")
    prepare_local_posts(case.con, "UTC", None)
    assert [str(day) for day in day_range(case.con) or ()] == ["2016-11-13", "2016-11-14"]


def test_a_post_counts_for_each_place_it_names(tmp_path: Path) -> None:
    case = _case(tmp_path)
    prepare_local_posts(case.con, "Asia/Baghdad", None)
    rows = activity_table(case.con, "place").to_pylist()
    by_place = {(r["label"], str(r["day"])): r["posts"] for r in rows}
    assert by_place == {
        ("Mosul", "2016-11-13"): 1,
        ("Mosul", "2016-11-14"): 1,
        ("Ar Raqqah", "2016-11-13"): 1,
    }
    countries = activity_table(case.con, "country").to_pylist()
    assert {(r["key"], str(r["day"])) for r in countries} >= {("IQ", "2016-11-14")}

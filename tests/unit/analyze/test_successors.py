"""The ``successors`` analysis on a hand-made case: a suspended account and the one that
replaced it are found, with reasons; look-alikes that did not replace anyone are not."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from veille.analyze.successors import AUDIENCE_CHANCE, audience_chance, handle_stem
from veille.case import Case
from veille.cli import app

START = date(2016, 1, 1)
FANS = [f"fan{i}" for i in range(6)]


def _rows() -> list[str]:
    rows = []

    def post(user: str, name: str, bio: str, day: int, text: str) -> None:
        rows.append(
            f"{user},{name},{bio},{(START + timedelta(days=day)).isoformat()}T10:00:00Z,{text}"
        )

    for day in range(0, 100, 2):  # abu_27 posts to day 98, then is suspended
        post("abu_27", "Abu Muhajir", "voice of the brothers", day, "news")
    for day in range(104, 200, 2):  # abu_28 takes over six days later
        post("abu_28", "Abu Muhajir", "voice of the brothers again", day, "news again")
    for day in range(0, 200, 3):  # the audience addresses both, and a bystander posts on
        for fan in FANS:
            target = "abu_27" if day < 100 else "abu_28"
            post(fan, fan.upper(), "", day, f"@{target} thanks")
        post("bystander", "Someone Else", "other bio", day, "unrelated")
    for day in range(110, 200, 5):  # a newcomer with nothing in common
        post("zarqa_news", "Zarqa News", "local news", day, "hello")
    for day in range(103, 200, 4):  # a namesake: the same handle stem, another person
        post("abu_5", "Abu Qaqa", "another voice", day, "salam")
    return rows


@pytest.fixture(scope="module")
def case_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("successors")
    data = root / "posts.csv"
    data.write_text("username,name,description,time,text\n" + "\n".join(_rows()) + "\n")
    with Case.init(root / "case") as case:
        case.ingest([data], mapping={"platform": "twitter"})
    return root / "case"


def test_the_account_that_took_over_is_found_with_its_reasons(case_path: Path) -> None:
    with Case.open(case_path) as case:
        found = case.analyze("successors").result
        labels = dict(case.con.execute("SELECT id, handle FROM actors").fetchall())
    pairs = [(labels[r["old_actor_id"]], labels[r["new_actor_id"]]) for r in found.candidates]
    assert pairs == [("abu_27", "abu_28")]
    [row] = found.candidates
    kinds = [reason["kind"] for reason in json.loads(row["reasons"])]
    assert kinds == ["handle", "audience", "name", "profile"]
    assert row["gap_days"] == 6
    assert row["score"] >= 0.8
    assert len(json.loads(row["evidence"])) == 2  # the last post and the first


def test_a_look_alike_handle_alone_is_no_successor(case_path: Path) -> None:
    # @abu_5 shares @abu_27's stem but neither its name nor anyone who addressed it.
    with Case.open(case_path) as case:
        finished = case.analyze("successors")
        namesake = case.con.execute("SELECT id FROM actors WHERE handle = 'abu_5'").fetchone()
    assert namesake is not None
    assert namesake[0] not in {r["new_actor_id"] for r in finished.result.candidates}
    assert finished.counts["look_alikes_left_out"] == 1


def test_an_account_recreated_whole_is_a_successor_without_audience(tmp_path: Path) -> None:
    # Nobody addressed either account; @umm_2 carried over the name and the profile text,
    # @umm_7 (a namesake) only the handle's stem and the name.
    rows = [
        f"umm_1,Umm Sumayya,sister of the ummah,2016-01-{d:02d}T10:00:00Z,x" for d in range(1, 29)
    ]
    rows += [
        f"umm_2,Umm Sumayya,sister of the ummah | new account,2016-02-{d:02d}T10:00:00Z,x"
        for d in range(5, 29)
    ]
    rows += [
        f"umm_7,Umm Sumayya,recipes and family,2016-02-{d:02d}T10:00:00Z,x" for d in range(3, 29)
    ]
    rows += [f"other,Other,,2016-{m:02d}-15T10:00:00Z,x" for m in range(1, 7)]
    data = tmp_path / "posts.csv"
    data.write_text("username,name,description,time,text\n" + "\n".join(rows) + "\n")
    with Case.init(tmp_path / "case") as case:
        case.ingest([data], mapping={"platform": "twitter"})
        finished = case.analyze("successors")
        labels = dict(case.con.execute("SELECT id, handle FROM actors").fetchall())
    pairs = [
        (labels[r["old_actor_id"]], labels[r["new_actor_id"]]) for r in finished.result.candidates
    ]
    assert pairs == [("umm_1", "umm_2")]
    assert finished.counts["look_alikes_left_out"] == 1


def test_two_addressers_in_a_busy_crowd_vouch_for_nobody(tmp_path: Path) -> None:
    # @abu_9's 20 fans and @abu_10's 12 share two accounts among 40 that address anyone: as
    # many as chance gives. @abu_10 is a namesake (another name and profile), left out.
    rows = [f"abu_9,Abu Hamza,media,2016-01-{d:02d}T10:00:00Z,x" for d in range(1, 29)]
    rows += [f"abu_10,Abu Qasim,poetry,2016-02-{d:02d}T10:00:00Z,x" for d in range(3, 29)]
    fan = [f"x{n:02d}y" for n in range(40)]  # no two alike: not candidates themselves
    for n in range(20):
        rows.append(f"{fan[n]},{fan[n]},,2016-01-{n + 1:02d}T11:00:00Z,@abu_9 yes")
    for n in [0, 1, *range(20, 30)]:
        rows.append(f"{fan[n]},{fan[n]},,2016-02-{n % 20 + 3:02d}T11:00:00Z,@abu_10 yes")
    for n in range(30, 40):
        rows.append(f"{fan[n]},{fan[n]},,2016-06-{n - 29:02d}T11:00:00Z,@{fan[n - 30]} hi")
    data = tmp_path / "posts.csv"
    data.write_text("username,name,description,time,text\n" + "\n".join(rows) + "\n")
    with Case.init(tmp_path / "case") as case:
        case.ingest([data], mapping={"platform": "twitter"})
        finished = case.analyze("successors")
    assert finished.result.candidates == []
    assert finished.counts["look_alikes_left_out"] == 1
    assert audience_chance(2, 20, 12, 40) > AUDIENCE_CHANCE


@given(st.integers(0, 30), st.integers(1, 40), st.integers(1, 40), st.integers(0, 500))
def test_a_larger_overlap_is_less_likely_by_chance(
    shared: int, old: int, new: int, extra: int
) -> None:
    shared = min(shared, old, new)
    population = old + new + extra
    chance = audience_chance(shared, old, new, population)
    assert 0.0 <= chance <= 1.0
    if shared < min(old, new):
        assert audience_chance(shared + 1, old, new, population) <= chance
    assert audience_chance(shared, old, new, population + 10) <= chance + 1e-12


def test_no_candidate_for_an_account_still_posting_at_the_end(case_path: Path) -> None:
    with Case.open(case_path) as case:
        found = case.analyze("successors", min_score=0.0).result
        olds = {r["old_actor_id"] for r in found.candidates}
        still = case.con.execute(
            "SELECT id FROM actors WHERE handle IN ('abu_28', 'bystander', 'zarqa_news')"
        ).fetchall()
    assert olds.isdisjoint(actor for (actor,) in still)


@given(st.from_regex(r"[a-z]{2,8}", fullmatch=True), st.integers(0, 999), st.integers(0, 999))
def test_handles_that_differ_by_a_number_share_a_stem(word: str, one: int, two: int) -> None:
    assert handle_stem(f"{word}_{one}") == handle_stem(f"{word.upper()}{two}") == word


def test_a_confirmed_successor_goes_into_same_as_and_the_network_merges_it(
    case_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "case"
    shutil.copytree(case_path, copy)
    toml = copy / "case.toml"
    toml.write_text(toml.read_text().replace("[actors]", "[actors]\n# my note"))
    result = CliRunner().invoke(
        app, ["same-as", str(copy), "twitter:abu_27", "twitter:abu_28", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["same_as"] == [["twitter:abu_27", "twitter:abu_28"]]
    assert "# my note" in toml.read_text()  # the analyst's comments stay
    again = CliRunner().invoke(app, ["same-as", str(copy), "twitter:abu_28", "twitter:abu_29"])
    assert again.exit_code == 0, again.output
    with Case.open(copy) as case:
        assert case.config.same_as == [["twitter:abu_27", "twitter:abu_28", "twitter:abu_29"]]
        labels = {row["label"] for row in case.network().actors}
    assert "@abu_28" not in {label.split(" ")[0] for label in labels}  # merged into abu_27
    bad = CliRunner().invoke(app, ["same-as", str(copy), "abu_27"])
    assert bad.exit_code == 1
    assert "two accounts or more" in bad.output


def test_the_successors_verb_names_both_accounts_and_the_reasons(case_path: Path) -> None:
    result = CliRunner().invoke(app, ["successors", str(case_path), "--json"])
    assert result.exit_code == 0, result.output
    [candidate] = json.loads(result.output)["candidates"]
    assert candidate["old"].startswith("@abu_27 (Abu Muhajir)")
    assert candidate["new"].startswith("@abu_28 (Abu Muhajir)")
    assert candidate["reasons"][0]["detail"] == "@abu_27 and @abu_28: same stem"
    table = CliRunner().invoke(app, ["successors", str(case_path)])
    assert "1 candidate(s) for" in table.output

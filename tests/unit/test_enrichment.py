"""The enrich runner: incremental, --redo, one run per enricher, nothing half-written on a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

import veille.runs.enrich as enrichment
from veille.case import Case
from veille.enrich import ENRICHERS, Batch, EnrichContext, FactRows
from veille.errors import ConfigError

TEXTS = [
    "Nouvelles depuis Mossoul ce soir, les combats continuent #Mossoul https://t.me/muhajirun_eu",
    "Heavy shelling reported in Mosul since this morning, more soon",
    "قصف متواصل على الموصل منذ الصباح",
    "ok",
]


def _csv(path: Path, texts: list[str], first_id: int = 1) -> Path:
    lines = ["id,author,time,text"]
    for number, text in enumerate(texts, start=first_id):
        lines.append(f'{number},user{number % 2},2016-11-0{1 + number % 9} 10:00,"{text}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def case(tmp_path: Path) -> Case:
    opened = Case.init(tmp_path / "case")
    opened.ingest([_csv(tmp_path / "posts.csv", TEXTS)])
    return opened


def _count(case: Case, sql: str) -> int:
    return int(case.query(sql)[1][0][0])


def test_enrich_is_incremental(case: Case, tmp_path: Path) -> None:
    first = {r.enricher: r for r in case.enrich(["lang", "links"])}
    assert first["lang"].records == 4
    assert _count(case, "SELECT count(*) FROM post_languages WHERE part = 0") == 4
    links = _count(case, "SELECT count(*) FROM post_links")
    assert links == 2  # the hashtag and the Telegram link

    again = case.enrich(["lang", "links"])
    assert [r.records for r in again] == [0, 0]
    assert [r.run_id for r in again] == [None, None]

    case.ingest([_csv(tmp_path / "more.csv", ["Power cut again in Raqqa tonight, stay safe"], 10)])
    more = case.enrich(["lang"])
    assert more[0].records == 1
    assert _count(case, "SELECT count(*) FROM post_languages WHERE part = 0") == 5


def test_languages_and_runs_are_recorded(case: Case) -> None:
    case.enrich(["lang"])
    _, rows = case.query(
        "SELECT p.text, l.lang FROM posts p JOIN post_languages l ON l.post_id = p.id "
        "WHERE l.part = 0 ORDER BY p.native_id"
    )
    assert [lang for _, lang in rows] == ["fr", "en", "ar", "unknown"]
    _, runs = case.query("SELECT kind, name, status, counts FROM runs WHERE kind = 'enrich'")
    assert runs[0][:3] == ("enrich", "lang", "done")


def test_redo_replaces_instead_of_adding(case: Case) -> None:
    case.enrich(["links"])
    case.enrich(["links"], redo=True)
    assert _count(case, "SELECT count(*) FROM post_links") == 2
    assert _count(case, "SELECT count(*) FROM enriched WHERE enricher = 'links'") == 4


class _Fragile:
    """Writes one fact per post and fails on its second slice."""

    name: ClassVar[str] = "fragile"
    version: ClassVar[int] = 1
    target: ClassVar[str] = "posts"
    tables: ClassVar[tuple[str, ...]] = ("post_links",)
    needs: ClassVar[tuple[str, ...]] = ()
    slices = 0

    def __init__(self, context: EnrichContext) -> None:
        pass

    def parameters(self) -> dict[str, Any]:
        return {}

    def enrich(self, batch: Batch) -> dict[str, FactRows]:
        type(self).slices += 1
        if type(self).slices == 2:
            raise RuntimeError("killed")
        rows = FactRows(("post_id", "field", "start_char", "end_char", "kind", "value",
                         "normalized"))  # fmt: skip
        for post_id in batch["id"]:
            rows.add(post_id=post_id, field="text", start_char=0, end_char=1, kind="url",
                     value="x", normalized="x")  # fmt: skip
        return {"post_links": rows}


def test_a_crash_keeps_finished_slices_and_the_next_run_completes(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    ENRICHERS.register("fragile", _Fragile)
    monkeypatch.setattr(enrichment, "SLICE", 2)
    with pytest.raises(RuntimeError, match="killed"):
        case.enrich(["fragile"])
    assert _count(case, "SELECT count(*) FROM post_links") == 2  # the first slice only
    _, runs = case.query("SELECT status, finished_at IS NOT NULL FROM runs WHERE name='fragile'")
    assert runs == [("failed", True)]

    report = case.enrich(["fragile"])
    assert report[0].records == 2
    assert _count(case, "SELECT count(*) FROM post_links") == 4
    assert _count(case, "SELECT count(DISTINCT post_id) FROM post_links") == 4


def test_unknown_enricher_is_a_config_error(case: Case) -> None:
    with pytest.raises(ConfigError, match="unknown enricher 'colour'"):
        case.enrich(["colour"])


def test_profile_locations_become_places(tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(
        'id,author,time,text,location\n1,a,2016-11-01 10:00,"Nothing here","Mossoul, Irak"\n',
        encoding="utf-8",
    )
    case = Case.init(tmp_path / "case")
    case.ingest([source])
    case.enrich(["lang", "entities", "places"])
    _, rows = case.query(
        "SELECT origin, field, surface, name, country_code FROM post_places ORDER BY start_char"
    )
    assert rows == [
        ("profile", "location", "Mossoul", "Mosul", "IQ"),
        ("profile", "location", "Irak", "Iraq", "IQ"),
    ]

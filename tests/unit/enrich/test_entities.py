"""Entities: every alias is one entity; NER names cluster by spelling, never into an alias."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.enrich import EnrichContext
from veille.enrich.aliases import AliasTable, Entity, load_alias_table
from veille.enrich.entities_enricher import EntitiesEnricher
from veille.enrich.name_clusters import NameClusters, name_key
from veille.errors import ConfigError

ISLAMIC_STATE = [
    "Daech",
    "Daesh",
    "ISIS",
    "ISIL",
    "EI",
    "État islamique",
    "l'Etat islamique",
    "Islamic State",
    "الدولة الإسلامية",
    "داعش",
]


@pytest.fixture(scope="module")
def table() -> AliasTable:
    return load_alias_table()


@pytest.mark.parametrize("alias", ISLAMIC_STATE)
def test_every_name_of_the_group_is_one_entity(table: AliasTable, alias: str) -> None:
    text = f"Selon les experts, {alias} recrute en ligne"
    found = table.find(text)
    assert [m.entity.id for m in found] == ["org:islamic-state"]
    assert alias.endswith(found[0].surface)


def test_word_boundaries_and_case(table: AliasTable) -> None:
    assert [m.surface for m in table.find("le bureau de l'EI à Raqqa")] == ["EI"]
    assert table.find("la tour EIffel") == []
    assert table.find("ei is not a name") == []


def test_hashtags_are_matched_written_together(table: AliasTable) -> None:
    found = table.find("#EtatIslamique #الدولة_الإسلامية")
    assert [m.entity.id for m in found] == ["org:islamic-state", "org:islamic-state"]
    assert [m.surface for m in found] == ["EtatIslamique", "الدولة_الإسلامية"]


def test_arabic_forms_are_normalised(table: AliasTable) -> None:
    found = table.find("بيان من الدوله الاسلاميه اليوم")  # taa marbuta and hamza written plainly
    assert [m.entity.id for m in found] == ["org:islamic-state"]


def test_case_rows_add_entities_and_bad_rows_are_config_errors() -> None:
    table = load_alias_table(
        [
            {
                "id": "org:katiba-x",
                "type": "armed_group",
                "name": "Katiba X",
                "aliases": ["Katibat X", "كتيبة إكس"],
            }
        ]
    )
    assert [m.entity.id for m in table.find("La Katibat X revendique")] == ["org:katiba-x"]
    with pytest.raises(ConfigError, match="type must be one of"):
        load_alias_table([{"id": "x", "type": "gang", "name": "X"}])
    with pytest.raises(ConfigError, match="missing name"):
        load_alias_table([{"id": "x", "type": "person"}])


def test_name_keys_join_transliterations() -> None:
    assert name_key("Abou Bakr al-Baghdadi") == name_key("Abu Bakr al-Baghdadi")
    assert name_key("M. Olivier Hanne") == name_key("Olivier Hanne")


def test_clusters_join_close_spellings_and_keep_others_apart() -> None:
    clusters = NameClusters()
    first = clusters.assign("person", "Abou Bakr al-Baghdadi")
    assert clusters.assign("person", "Abu Bakr al-Baghdadi") == first
    assert clusters.assign("person", "Abu Bakr al Baghdady") == first
    assert clusters.assign("person", "Abu Mohammed al-Adnani") != first
    assert clusters.assign("organisation", "Abu Bakr al-Baghdadi") != first
    restored = NameClusters()
    restored.restore(first, "person", "Abou Bakr al-Baghdadi", clusters.names_of(first))
    assert restored.assign("person", "Abu Bakr al-Baghdadi") == first


def test_ner_names_become_alias_entities_only_by_an_exact_alias(tmp_path: Path) -> None:
    enricher = EntitiesEnricher(EnrichContext(tmp_path, {"entities": {"ner": "all"}}))
    text = "Olivier Hanne, chercheur, explique que Daech a quitté Mossoul. Europol confirme."
    batch = {
        "id": ["p1"],
        "text": [text],
        "title": [None],
        "kind": ["post"],
        "platform": ["x"],
        "author_id": [None],
        "lang": ["fr"],
    }
    rows = enricher.enrich(batch)["post_entities"].columns
    found = {
        (s, e, m)
        for s, e, m in zip(rows["surface"], rows["entity_id"], rows["method"], strict=True)
    }
    assert ("Daech", "org:islamic-state", "alias") in found
    persons = [e for s, e, _ in found if s == "Olivier Hanne"]
    assert persons
    assert persons[0].startswith("ner:person:")
    assert all(
        text[a:b] == s
        for a, b, s in zip(rows["start_char"], rows["end_char"], rows["surface"], strict=True)
    )
    catalogue = enricher.catalogue().columns
    assert "org:islamic-state" in catalogue["id"]
    assert persons[0] in catalogue["id"]


def test_unknown_settings_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown keys"):
        EntitiesEnricher(EnrichContext(tmp_path, {"entities": {"nre": "all"}}))
    with pytest.raises(ConfigError, match="ner: one of"):
        EntitiesEnricher(EnrichContext(tmp_path, {"entities": {"ner": "some"}}))


def test_later_rows_override_earlier_ones() -> None:
    table = AliasTable(
        [
            Entity("org:a", "agency", "A", ("Alpha",), "alias table"),
            Entity("org:a", "agency", "A2", ("Alfa",), "case"),
        ]
    )
    assert table.entities["org:a"].name == "A2"

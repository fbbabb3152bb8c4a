"""Legacy code pages are told apart by the words they make (cp1252, cp1256, cp1254...)."""

from __future__ import annotations

import pytest

from veille.ingest.common.codepage import guess_code_page
from veille.ingest.common.textfile import explain_encoding

TEXTS = {
    "cp1256": "الدولة الإسلامية في الموصل تعلن عن بيان جديد، مرحبا بكم في القناة",
    "cp1252": "Le président a dit à l'armée que la sécurité était assurée, déjà",
    "cp1251": "Привет, это сообщение из канала, ещё одно сообщение",
    "cp1254": "Türkiye'de büyük bir çatışma oldu, şehir düştü",
    "cp1250": "Příliš žluťoučký kůň úpěl ďábelské ódy",
    "cp1253": "Καλημέρα σας, αυτό είναι ένα μήνυμα",
}


@pytest.mark.parametrize("encoding", sorted(TEXTS))
def test_each_code_page_is_recognised_by_its_words(encoding: str) -> None:
    sample = ("username,text\n" + f"abu,{TEXTS[encoding]}\n" * 3).encode(encoding)
    name, how = explain_encoding(sample)
    assert name == encoding
    assert "words of its languages" in how


def test_a_mostly_ascii_french_table_is_not_read_as_korean() -> None:
    """charset-normalizer says johab for this latin-1 file; its words say cp1252."""
    sample = ("username,text\nabu,Ça va très bien, merci\n" * 20).encode("latin-1")
    assert explain_encoding(sample)[0] == "cp1252"


def test_no_word_with_non_ascii_letters_gives_no_guess() -> None:
    assert guess_code_page(b"username,text\nabu,hello 123\n") is None

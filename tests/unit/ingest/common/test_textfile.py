"""Encoding detection: BOMs, UTF-16 without BOM, UTF-8 with a few broken bytes, cp1252."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.ingest.common.textfile import read_text

TEXT = "Daech à Mossoul — الموصل"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(encoded)
    assert read_text(path, 1 << 20) == (TEXT, encoding, 0)


def test_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("Daech à Mossoul, réseaux coupés".encode("cp1252"))
    assert read_text(path, 1 << 20) == ("Daech à Mossoul, réseaux coupés", "cp1252", 0)


def test_utf8_with_a_broken_byte_keeps_the_rest_and_counts_the_loss(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("réseaux à Mossoul ".encode() + b"\xff" + " coupés".encode())
    text, encoding, replaced = read_text(path, 1 << 20)
    assert (text, encoding, replaced) == ("réseaux à Mossoul \ufffd coupés", "utf-8", 1)

"""Zip exports are unpacked only when every member is safe."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from veille.errors import InputError
from veille.ingest.archive import extract_zip


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_normal_export_is_extracted(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "chat.zip", {"_chat.txt": b"hello", "IMG-1.jpg": b"\xff\xd8"})
    target = extract_zip(archive, tmp_path / "out")
    assert (target / "_chat.txt").read_bytes() == b"hello"
    assert (target / "IMG-1.jpg").exists()


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../evil.txt", "/etc/evil", "C:/evil.txt"])
def test_members_that_climb_out_are_refused(tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "evil.zip", {name: b"x"})
    with pytest.raises(InputError, match="escapes the archive"):
        extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bomb.zip", {"zeros.txt": b"\0" * (50 * 1024 * 1024)})
    with pytest.raises(InputError, match="zip bomb"):
        extract_zip(archive, tmp_path / "out")


def test_a_broken_zip_is_a_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="not a readable zip"):
        extract_zip(broken, tmp_path / "out")

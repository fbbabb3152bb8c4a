"""Zip exports are unpacked only when every member is safe."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from veille.errors import InputError
from veille.ingest.files.archive import extract_zip


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


# --- the whole archive, damaged data, temporary folders ----------------------------------------


def repeated_member_zip(path: Path, count: int, member: bytes) -> Path:
    """A zip of ``count`` deflated copies of ``member``, compressed once and written by hand
    (zipfile would compress 2.5 GB again, member by member)."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = squeezer.compress(member) + squeezer.flush()
    crc, size = zlib.crc32(member), len(member)
    local_headers, central = bytearray(), bytearray()
    for number in range(count):
        name = f"part{number:04}.txt".encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0, crc, len(packed), size, len(name), 0)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields[:-2]
        central += struct.pack("<HHHHII", 0, 0, 0, 0, 0, len(local_headers)) + name
        local_headers += b"PK\x03\x04" + fields + name + packed
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central),
                      len(local_headers), 0)  # fmt: skip
    path.write_bytes(bytes(local_headers + central + end))
    return path


def test_many_small_members_that_expand_too_much_are_refused_before_writing(
    tmp_path: Path,
) -> None:
    """2,500 members of 1 MiB each (each under the per-member check) in 2.85 MB."""
    archive = repeated_member_zip(tmp_path / "bomb.zip", 2_500, b"\0" * (1 << 20))
    assert archive.stat().st_size < 3_000_000
    with zipfile.ZipFile(archive) as readable:  # a valid zip, every member whole
        assert len(readable.infolist()) == 2_500
        assert readable.read("part2499.txt") == b"\0" * (1 << 20)
    with pytest.raises(InputError, match=r"expand to 2,621,440,000 \(.* times, limit 200\)"):
        extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # refused from the zip's directory, nothing written


def corrupt(
    path: Path, name: str, method: int | None = None, flip: bool = False, crc: bool = False
) -> None:
    """Damage member ``name`` of the zip at ``path``: its method number, data, or CRC."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    central = data.index(b"PK\x01\x02")  # one member: one central directory entry
    if method is not None:
        data[local + 8 : local + 10] = method.to_bytes(2, "little")
        data[central + 10 : central + 12] = method.to_bytes(2, "little")
    if crc:
        wrong = (info.CRC ^ 1).to_bytes(4, "little")
        data[local + 14 : local + 18] = data[central + 16 : central + 20] = wrong
    if flip:
        start = local + 30 + int.from_bytes(data[local + 26 : local + 28], "little")
        start += int.from_bytes(data[local + 28 : local + 30], "little")
        for at in range(start, start + 40):
            data[at] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("method", "flip", "crc", "reason"),
    [
        (None, True, False, "invalid block type"),  # corrupt deflate data: zlib.error
        (9, False, False, "compression method is not supported"),  # deflate64
        (99, False, False, "compression method is not supported"),  # AES
        (None, False, True, "Bad CRC-32"),  # BadZipFile while reading
    ],
)
def test_damaged_or_unknown_compression_is_a_one_line_error(
    tmp_path: Path, method: int | None, flip: bool, crc: bool, reason: str
) -> None:
    text = "".join(f"15/08/23, 09:{n % 60:02} - Ann: message {n}\n" for n in range(2_000))
    archive = make_zip(tmp_path / "chat.zip", {"_chat.txt": text.encode()})
    corrupt(archive, "_chat.txt", method, flip, crc)
    with pytest.raises(InputError, match=reason) as error:
        extract_zip(archive, tmp_path / "out")
    message = str(error.value)
    assert message.startswith("chat.zip: member '_chat.txt' cannot be decompressed (")
    assert "\n" not in message


def test_stale_temporary_folders_are_removed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from veille.ingest.files.archive import TEMP_PREFIX, clean_stale_folders

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(gone.stdout)
    dead = tmp_path / f"{TEMP_PREFIX}{dead_pid}-abc"
    (dead / "chat").mkdir(parents=True)
    (dead / "chat" / "big.bin").write_bytes(b"x" * 1000)
    mine = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-def"
    mine.mkdir()
    old_style = tmp_path / f"{TEMP_PREFIX}k2j4h5"
    old_style.mkdir()
    recent_old_style = tmp_path / f"{TEMP_PREFIX}q8w7e6"
    recent_old_style.mkdir()
    long_ago = 1_000_000_000  # 2001
    os.utime(old_style, (long_ago, long_ago))
    unrelated = tmp_path / "veille-other"
    unrelated.mkdir()
    target = tmp_path / "keep"
    target.mkdir()
    link = tmp_path / f"{TEMP_PREFIX}1-link"
    link.symlink_to(target)
    removed = clean_stale_folders(tmp_path)
    assert sorted(removed) == sorted([dead, old_style])
    assert not dead.exists()
    assert not old_style.exists()
    assert mine.exists()
    assert recent_old_style.exists()
    assert unrelated.exists()
    assert link.is_symlink()
    assert target.exists()


def test_opened_extracts_under_a_folder_naming_this_process(tmp_path: Path) -> None:
    import os

    from veille.ingest.files.archive import TEMP_PREFIX, opened

    archive = make_zip(tmp_path / "chat.zip", {"_chat.txt": b"hello"})
    with opened(archive) as (root, prefix):
        assert root.name == "chat"
        assert root.parent.name.startswith(f"{TEMP_PREFIX}{os.getpid()}-")
        assert prefix == f"{archive}!"
        assert (root / "_chat.txt").read_bytes() == b"hello"
    assert not root.exists()


def test_a_fifo_named_like_a_zip_is_not_opened(tmp_path: Path) -> None:
    import os

    from veille.ingest.files.archive import opened

    fifo = tmp_path / "export.zip"
    os.mkfifo(fifo)
    with opened(fifo) as (root, prefix):  # would block in zipfile.is_zipfile
        assert root == fifo
        assert prefix == str(fifo)


def test_a_zip_needing_a_newer_zip_version_is_refused_not_a_traceback(tmp_path: Path) -> None:
    # Found by bench/fuzz.py (whatsapp-zip, seed 6101, input 9714): zipfile raises
    # NotImplementedError("zip file version 14.8") while opening it.
    path = make_zip(tmp_path / "chat.zip", {"_chat.txt": b"12/01/2016, 10:00 - A: hi\n"})
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, entry + 6, 148)  # "version needed to extract": 14.8
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"not a readable zip file .*zip file version 14\.8"):
        extract_zip(path, tmp_path / "out")

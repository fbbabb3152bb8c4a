"""Tiny valid JPEG files: a uniform grey picture of any size, without an imaging library.

A baseline greyscale JPEG whose every 8x8 block has the same mean and no detail needs two
one-entry Huffman tables: after the first block each block costs two bits ("no DC change",
"end of block"), so a 1280x720 photo weighs about 4 KB.
"""

from __future__ import annotations

import struct

__all__ = ["grey_jpeg"]


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def _huffman(table_class: int, symbols: list[int]) -> bytes:
    # One code per length 1, 2, ...: "0", "10", "110", never an all-ones code.
    counts = [1 if n < len(symbols) else 0 for n in range(16)]
    return _segment(0xC4, bytes([table_class << 4, *counts, *symbols]))


class _Bits:
    def __init__(self) -> None:
        self.out = bytearray()
        self.value = 0
        self.count = 0

    def put(self, value: int, width: int) -> None:
        for shift in range(width - 1, -1, -1):
            self.value = (self.value << 1) | ((value >> shift) & 1)
            self.count += 1
            if self.count == 8:
                self._flush_byte()

    def _flush_byte(self) -> None:
        self.out.append(self.value)
        if self.value == 0xFF:
            self.out.append(0x00)  # byte stuffing inside entropy-coded data
        self.value = 0
        self.count = 0

    def finish(self) -> bytes:
        if self.count:
            self.put(0xFF, 8 - self.count)  # pad with one-bits
        return bytes(self.out)


def grey_jpeg(width: int, height: int, level: int) -> bytes:
    """A ``width`` x ``height`` JPEG filled with grey ``level`` (1..255, not 128)."""
    if not (0 < width < 65536 and 0 < height < 65536 and 0 < level < 256 and level != 128):
        raise ValueError("size must be 1..65535 and level 1..255 but not 128")
    dc = 8 * (level - 128)  # DC coefficient of a flat block with a quantiser of 1
    category = abs(dc).bit_length()
    dc_bits = dc if dc > 0 else dc + (1 << category) - 1
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    bits = _Bits()
    bits.put(0b10, 2)  # DC: the category of the first block's value
    bits.put(dc_bits, category)
    bits.put(0, 1)  # AC: end of block
    for _ in range(blocks - 1):
        bits.put(0, 2)  # DC unchanged, end of block
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = struct.pack(">BHHB", 8, height, width, 1) + bytes([1, 0x11, 0])
    return b"".join(
        (
            b"\xff\xd8",
            _segment(0xE0, jfif),
            _segment(0xDB, bytes([0]) + bytes([1] * 64)),
            _segment(0xC0, frame),
            _huffman(0, [0, category]),
            _huffman(1, [0]),
            _segment(0xDA, bytes([1, 1, 0x00, 0, 63, 0])),
            bits.finish(),
            b"\xff\xd9",
        )
    )

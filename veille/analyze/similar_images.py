"""Groups of near-identical images: the same poster posted in several channels, resized or
recompressed on the way. Two images are one when their 64-bit pHashes differ in at most
``max_bits`` bits (resizing and JPEG recompression move a few bits; different photos about 32)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["MAX_BITS", "similar_groups"]

MAX_BITS = 6


def similar_groups(
    ids: Sequence[str], phashes: Sequence[str], max_bits: int = MAX_BITS
) -> list[list[str]]:
    """Groups (two or more ids) of images whose hashes are within ``max_bits`` of another's."""
    if len(ids) != len(phashes):
        raise ValueError("one hash per id")
    values = np.array([int(h, 16) for h in phashes], dtype=np.uint64)
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(values) - 1):
        differing = np.bitwise_xor(values[i + 1 :], values[i])
        bits = np.unpackbits(differing.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
        for j in np.nonzero(bits <= max_bits)[0]:
            parent[root(i + 1 + int(j))] = root(i)
    groups: dict[int, list[str]] = {}
    for index, image in enumerate(ids):
        groups.setdefault(root(index), []).append(image)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))

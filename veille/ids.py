"""Record ids: a short hash of a record's natural key.

Hashing the natural key (platform + native id, or the content when there is none) makes ids
stable across runs, so ingesting the same file twice adds nothing.
"""

from __future__ import annotations

import hashlib

__all__ = ["record_id"]

_SEPARATOR = "\x1f"  # unit separator: cannot appear in handles or ids we hash


def record_id(kind: str, *parts: object) -> str:
    """Return a 20-hex-digit id for a record of ``kind`` identified by ``parts``.

    ``None`` parts hash as the empty string; 80 bits keeps collisions out of reach for any case
    that fits on one machine (birthday bound at ~10^12 records).
    """
    try:
        key = _SEPARATOR.join((kind, *parts))  # type: ignore[arg-type]  # the common all-str case
    except TypeError:
        key = _SEPARATOR.join([kind, *("" if part is None else str(part) for part in parts)])
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()

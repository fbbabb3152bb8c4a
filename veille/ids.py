"""Record ids: a short hash of a record's natural key.

Hashing the natural key (platform + native id, or the content when there is none) makes ids
stable across runs, so ingesting the same file twice adds nothing. The hash is MD5 (as an id,
not for security) because SQL engines have it too (DuckDB's and Spark's ``md5``): a bulk path
in SQL, or the Spark jobs DESIGN.md foresees past one machine, can make ids that match these
byte for byte (``tests/unit/test_ids.py`` checks DuckDB's).
"""

from __future__ import annotations

import hashlib

__all__ = ["record_id"]

_SEPARATOR = "\x1f"  # unit separator: cannot appear in handles or ids we hash


def record_id(kind: str, *parts: object) -> str:
    """Return a 20-hex-digit id for a record of ``kind`` identified by ``parts``.

    The key is the parts joined by U+001F; ``None`` parts count as the empty string. 80 bits
    keeps collisions out of reach for any case that fits on one machine (birthday bound at
    ~10^12 records). SQL equivalent: ``left(md5(concat_ws(chr(31), kind, ...)), 20)`` with
    NULLs turned into ''.
    """
    try:
        key = _SEPARATOR.join((kind, *parts))  # type: ignore[arg-type]  # the common all-str case
    except TypeError:
        key = _SEPARATOR.join([kind, *("" if part is None else str(part) for part in parts)])
    return hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:20]

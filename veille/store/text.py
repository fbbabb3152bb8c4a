"""Small text repairs needed wherever text is stored."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["without_lone_surrogates"]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(values: Sequence[object]) -> list[object]:
    """Replace lone surrogates (from JSON escapes such as ``\\ud800``) by U+FFFD.

    They cannot be encoded as UTF-8, so neither Arrow nor DuckDB can store them; callers run
    this only on a batch where encoding failed.
    """
    return [
        _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value
        for value in values
    ]

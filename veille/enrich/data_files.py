"""The curated CSV files shipped in ``veille/enrich/data`` (see its README for each column)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from importlib import resources

__all__ = ["data_rows"]


def data_rows(name: str) -> Iterator[dict[str, str]]:
    """The rows of ``data/<name>`` as dicts; nothing if veille was installed without it."""
    path = resources.files("veille.enrich") / "data" / name
    if not path.is_file():
        return
    yield from csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))

"""Records as plain JSON objects: for golden files, ``veille peek`` and debugging."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from veille.model import Columns, Record

__all__ = ["record_dicts", "record_to_dict", "record_to_json", "records_to_jsonl"]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return value.name  # where a file sits on this machine is not part of the record
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def record_to_dict(record: Record) -> dict[str, Any]:
    """``{"type": "post", ...fields}`` with datetimes as ISO strings and provenance flattened."""
    fields: dict[str, Any] = {"type": type(record).__name__.lower()}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if field.name == "provenance":
            fields.update(
                {f"provenance_{key}": item for key, item in dataclasses.asdict(value).items()}
            )
        else:
            fields[field.name] = _plain(value)
    return fields


def record_to_json(record: Record) -> str:
    """One line of JSON for ``record``, keys sorted so diffs are stable."""
    return json.dumps(record_to_dict(record), ensure_ascii=False, sort_keys=True)


def record_dicts(record: Record) -> list[dict[str, Any]]:
    """``record`` as plain objects; ``Columns`` give one object per row, shaped exactly like
    the single records they stand for, so both forms of a reader's output compare equal."""
    if isinstance(record, Columns):
        return [record_to_dict(row) for row in record.records()]
    return [record_to_dict(record)]


def records_to_jsonl(records: list[Record] | Any) -> str:
    """Records as JSON lines (``Columns`` expanded row by row), keys sorted."""
    return "".join(
        json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
        for record in records
        for row in record_dicts(record)
    )

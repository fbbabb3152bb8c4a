"""``case.toml``: the settings of one case, written at ``veille init`` and edited by hand."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from veille.errors import ConfigError

__all__ = [
    "CaseConfig",
    "add_same_as",
    "default_config_text",
    "load_config",
    "load_config_text",
    "zone_named",
]

_TEMPLATE = """\
# veille case settings. Edit freely; veille reads this file each time it opens the case.

[case]
name = {name}
# Zone for times a source writes without an offset (WhatsApp, most CSVs), and for daily counts.
time_zone = {zone}

[ingest]
# Order of ambiguous numeric dates (3/4/2016) when a file gives no evidence of its own: "day" or
# "month". Readers decide from each file and say what they chose; once you know, write it here
# so every later ingest reads the same dates the same way (--date-order still overrides).
# date_order = "day"

[actors]
# Accounts that are the same person across platforms, e.g.
# same_as = [["twitter:abu_example", "telegram:user12345"]]
same_as = []
"""


@dataclass(frozen=True, slots=True)
class CaseConfig:
    """What ``case.toml`` says."""

    name: str
    time_zone: str = "UTC"
    same_as: list[list[str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    date_order: str | None = None  # "day" or "month": the case's order of ambiguous dates

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def default_config_text(name: str, time_zone: str = "UTC") -> str:
    """The ``case.toml`` a new case starts with."""
    _check_zone(time_zone)
    return _TEMPLATE.format(name=_toml_string(name), zone=_toml_string(time_zone))


def zone_named(time_zone: str) -> ZoneInfo:
    """The zone called ``time_zone``; an unknown name raises ConfigError."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(
            f"unknown time zone {time_zone!r} (use a name like Europe/Paris)"
        ) from error


def _check_zone(time_zone: str) -> None:
    zone_named(time_zone)


def load_config(path: Path) -> CaseConfig:
    """Read ``case.toml``; a wrong value raises ConfigError naming the key."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ConfigError(f"{path} is missing; is this a veille case?") from error
    return load_config_text(text, path)


def load_config_text(text: str, path: Path) -> CaseConfig:
    """``case.toml``'s text read as ``load_config`` reads the file at ``path``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    case = data.get("case", {})
    zone = case.get("time_zone", "UTC")
    if not isinstance(zone, str):
        raise ConfigError(f"{path}: case.time_zone must be a string")
    _check_zone(zone)
    same_as = data.get("actors", {}).get("same_as", [])
    if not isinstance(same_as, list) or not all(isinstance(group, list) for group in same_as):
        raise ConfigError(f"{path}: actors.same_as must be a list of lists of 'platform:handle'")
    date_order = data.get("ingest", {}).get("date_order")
    if date_order not in (None, "day", "month"):
        raise ConfigError(f'{path}: ingest.date_order must be "day" or "month"')
    return CaseConfig(
        name=str(case.get("name", path.parent.name)),
        time_zone=zone,
        same_as=same_as,
        raw=data,
        date_order=date_order,
    )


_SAME_AS_LINE = re.compile(r"^same_as\s*=\s*\[.*\]\s*$", re.MULTILINE)


def add_same_as(path: Path, group: list[str]) -> list[list[str]]:
    """Record that the accounts of ``group`` ("platform:key" each) are one, in ``case.toml``'s
    ``[actors] same_as``; return the groups now there. The file is rewritten on its one
    ``same_as = [...]`` line only, so the analyst's comments stay; a group sharing an account
    with one already there is merged into it."""
    if len(group) < 2 or any(":" not in entry for entry in group):
        raise ConfigError("same-as: give two accounts or more, each as platform:handle")
    config = load_config(path)
    groups = [list(existing) for existing in config.same_as]
    for existing in groups:
        if set(existing) & set(group):
            existing.extend(entry for entry in group if entry not in existing)
            break
    else:
        groups.append(list(group))
    text = path.read_text(encoding="utf-8")
    lines = _SAME_AS_LINE.findall(text)
    if len(lines) != 1 or "[actors]" not in text:
        raise ConfigError(
            f"{path}: cannot find its one 'same_as = [...]' line under [actors]; add "
            f"{json.dumps(group)} to actors.same_as by hand"
        )
    line = "same_as = " + json.dumps(groups, ensure_ascii=False)
    updated = _SAME_AS_LINE.sub(lambda _: line, text, count=1)
    if load_config_text(updated, path).same_as != groups:  # what we wrote must read back
        raise ConfigError(f"{path}: same_as could not be written back; edit it by hand")
    path.write_text(updated, encoding="utf-8")
    return groups

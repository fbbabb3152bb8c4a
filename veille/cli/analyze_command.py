"""``veille analyze CASE NAME``: run any registered analysis, with its parameters as KEY=VALUE.

``network``, ``reach`` and ``activity`` have their own verbs with named options and tables;
this one runs them and any analysis a plugin adds, and prints the run and its counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, emit_rows, stdout
from veille.errors import ConfigError


def _options(pairs: list[str]) -> dict[str, Any]:
    """KEY=VALUE pairs; a value that reads as JSON (3, true, ["reply"]) is taken as JSON."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f'--set: {pair!r} is not KEY=VALUE (hops=3, kinds=["reply"])')
        try:
            options[key.strip().replace("-", "_")] = json.loads(value)
        except ValueError:
            options[key.strip().replace("-", "_")] = value
    return options


@app.command()
def analyze(
    case: Path = typer.Argument(..., help="The case folder."),
    name: str = typer.Argument(..., help="The analysis: network, reach, activity or a plugin's."),
    pairs: list[str] = typer.Option(
        [], "--set", help='A parameter as KEY=VALUE (repeat): hops=3, kinds=["reply"].'
    ),
    json_output: bool = JsonOption,
) -> None:
    """Run an analysis and store it as a run; print its run id and counts."""
    options = _options(pairs)
    with Case.open(case) as opened:
        finished = opened.analyze(name, **options)
    if json_output:
        emit_json(
            {
                "ok": True,
                "analysis": finished.name,
                "run": finished.run_id,
                "parameters": finished.parameters,
                "counts": finished.counts,
            }
        )
        return
    stdout.print(f"{finished.name}: run {finished.run_id}", markup=False)
    emit_rows(["count", "n"], sorted(finished.counts.items()))

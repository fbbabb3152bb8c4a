"""``veille same-as CASE A B``: the analyst confirms that accounts are one (a successor)."""

from __future__ import annotations

from pathlib import Path

import typer

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, stdout


@app.command("same-as")
def same_as(
    case: Path = typer.Argument(..., help="The case folder."),
    accounts: list[str] = typer.Argument(..., help="Two accounts or more, as platform:handle."),
    json_output: bool = JsonOption,
) -> None:
    """Record in case.toml that these accounts are one; network, reach and activity merge them."""
    with Case.open(case) as opened:
        groups = opened.same_as(accounts)
    if json_output:
        emit_json({"ok": True, "same_as": groups})
        return
    stdout.print(f"same_as now holds {len(groups)} group(s): {groups}", markup=False)

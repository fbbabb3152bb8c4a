"""``veille report``: one self-contained HTML file a non-programmer can read."""

from __future__ import annotations

from pathlib import Path

import typer

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, stderr, stdout
from veille.errors import ConfigError


@app.command()
def report(
    case: Path = typer.Argument(..., help="The case folder."),
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="The HTML file."),
    analyse: bool = typer.Option(
        False, "--analyse", help="Run `network` and `activity` first, with their defaults."
    ),
    json_output: bool = JsonOption,
) -> None:
    """Summary, sources, top accounts, map, timelines with blackouts and moves, evidence."""
    _check_output(output)
    with Case.open(case) as opened:
        if analyse:
            stderr.print("Running the network and activity analyses first...")
            opened.network()
            opened.activity()
        size = opened.report(output)
    if json_output:
        emit_json({"ok": True, "path": str(output), "bytes": size})
        return
    stdout.print(f"Wrote {output} ({size / 1024:,.0f} KB); it opens offline in any browser.")


def _check_output(output: Path) -> None:
    """Refuse an output that cannot be written before any analysis runs."""
    if output.is_dir():
        raise ConfigError(
            f"-o: {output} is a folder; give a file name, such as {output}/report.html"
        )
    if not output.parent.is_dir():
        raise ConfigError(f"-o: the folder {output.parent} does not exist; create it first")

"""``veille demo``: generate the demo scenario, ingest it like a user's files, say what is there."""

from __future__ import annotations

import io
from pathlib import Path

import typer
from rich.console import Console

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, stdout
from veille.errors import ConfigError


@app.command()
def demo(
    case: Path = typer.Argument(Path("demo-case"), help="Case folder to (re)build."),
    data: Path = typer.Option(Path("demo-data"), help="Folder for the generated export files."),
    seed: int = typer.Option(7, help="Random seed of the scenario."),
    scale: float = typer.Option(1.0, help="Volume multiplier (0.05 for a quick look)."),
    json_output: bool = JsonOption,
) -> None:
    """Build the demo case from a generated scenario and print what it holds.

    Both folders are replaced: each must not exist, be empty, or be a previous demo's.
    """
    if scale <= 0:
        raise ConfigError(f"--scale must be above 0 (got {scale})")
    # Imported here: the demo's generator is not needed to start the CLI. run_demo checks both
    # folders before it deletes anything.
    from veille.demo.run import GROUND_TRUTH, run_demo

    console = Console(file=io.StringIO()) if json_output else stdout
    scores = run_demo(case, data, console, seed=seed, scale=scale)
    if json_output:
        with Case.open(case, read_only=True) as opened:
            totals = opened.status()["totals"]
        emit_json(
            {
                "ok": True,
                "case": str(case),
                "data": str(data),
                "ground_truth": str(data / GROUND_TRUTH),
                "report": str(case / "report.html"),
                "totals": totals,
                "scores": scores,
            }
        )

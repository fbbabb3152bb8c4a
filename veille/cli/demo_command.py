"""``veille demo``: generate the demo scenario, ingest it like a user's files, say what is there."""

from __future__ import annotations

from pathlib import Path

import typer

from veille.cli.app import app
from veille.cli.output import stdout


@app.command()
def demo(
    case: Path = typer.Argument(Path("demo-case"), help="Case folder to (re)build."),
    data: Path = typer.Option(Path("demo-data"), help="Folder for the generated export files."),
    seed: int = typer.Option(7, help="Random seed of the scenario."),
    scale: float = typer.Option(1.0, help="Volume multiplier (0.05 for a quick look)."),
) -> None:
    """Build the demo case from a generated scenario and print what it holds."""
    from veille.demo.run import run_demo

    run_demo(case, data, stdout, seed=seed, scale=scale)

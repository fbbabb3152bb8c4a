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

# What the demo writes into its data folder: its presence marks the folder as a demo's.
GROUND_TRUTH = "ground_truth.json"


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
    _check_data_folder(data)
    _check_case_folder(case, data)
    from veille.demo.run import run_demo

    console = Console(file=io.StringIO()) if json_output else stdout
    run_demo(case, data, console, seed=seed, scale=scale)
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
            }
        )


def _check_data_folder(data: Path) -> None:
    if not data.exists():
        return
    if not data.is_dir():
        raise ConfigError(f"--data: {data} exists and is not a folder; choose another folder")
    if any(data.iterdir()) and not (data / GROUND_TRUTH).is_file():
        raise ConfigError(
            f"--data: {data} is not empty and not a previous demo's data "
            f"(no {GROUND_TRUTH}); choose another folder"
        )


def _check_case_folder(case: Path, data: Path) -> None:
    """The demo deletes ``case`` before building it: only ever a demo case.

    A previous demo case is a case whose every source was read from the demo's data folder;
    a user's case, read from anywhere else, is refused.
    """
    if not case.exists():
        return
    if not case.is_dir():
        raise ConfigError(f"{case} exists and is not a folder; choose another folder")
    if not any(case.iterdir()):
        return
    refusal = f"{case} is not empty and not a previous demo case; choose another folder"
    if not (case / "case.toml").is_file():
        raise ConfigError(refusal)
    with Case.open(case, read_only=True) as opened:
        sources = [Path(row["path"]) for row in opened.status()["sources"]]
    inside = data.resolve()
    if not sources or not all(source.is_relative_to(inside) for source in sources):
        raise ConfigError(refusal)

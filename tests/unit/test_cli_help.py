"""Every command has help, and the README names every command a user needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from veille.cli import app

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) > 3


@pytest.mark.parametrize("command", COMMANDS)
def test_the_readme_shows_every_command(command: str) -> None:
    assert f"veille {command}" in README


def test_the_expected_verbs_exist() -> None:
    expected = {"init", "ingest", "status", "quarantine", "query", "export", "demo", "peek"}
    assert expected <= set(COMMANDS)

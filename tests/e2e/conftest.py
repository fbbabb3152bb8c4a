"""The demo built once for every end-to-end test that reads it (about 40 seconds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from veille.cli import app

# The scale the end-to-end tests read the demo at: small enough to be quick, large enough for
# every planted finding to show (the network tests use 0.1 for the hubs alone).
DEMO_SCALE = "0.2"


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """``veille demo --scale 0.2 --json``: the case folder and what the command printed."""
    root = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app,
        ["demo", str(root / "case"), "--data", str(root / "data"), "--scale", DEMO_SCALE, "--json"],
    )
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.output)
    return root / "case", payload

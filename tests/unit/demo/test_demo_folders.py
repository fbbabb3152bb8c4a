"""run_demo, called from Python, checks both folders before it deletes either."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from veille.demo.run import run_demo
from veille.errors import ConfigError


def test_a_users_folder_is_never_deleted_by_run_demo(tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    data.mkdir()
    (data / "ground_truth.json").write_text("{}")  # looks like a previous demo's data
    precious = tmp_path / "case"
    precious.mkdir()
    (precious / "case.toml").write_text("[case]\nname = 'mine'\n")  # but this is not a demo
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="not a previous demo case"):
        run_demo(precious, data, Console(file=io.StringIO()), scale=0.01)
    assert (precious / "notes.txt").read_text() == "keep me"
    assert (data / "ground_truth.json").exists()  # checked before anything was deleted

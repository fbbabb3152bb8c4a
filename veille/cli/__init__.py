"""The ``veille`` command: a thin shell over ``veille.Case``. One module per group of verbs."""

from __future__ import annotations

from veille.cli import (  # noqa: F401  (importing registers the verbs)
    activity_command,
    analyze_command,
    case_commands,
    demo_command,
    enrich_command,
    ingest_command,
    network_command,
    readers_command,
    report_command,
    same_as_command,
    search_command,
    serve_command,
    silence_command,
    successors_command,
)
from veille.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()

"""The public API is what __all__ says, exactly."""

from __future__ import annotations

import veille


def test_exported_members() -> None:
    assert sorted(veille.__all__) == sorted(
        [
            "Actor",
            "Case",
            "IngestResult",
            "Interaction",
            "Media",
            "Note",
            "Post",
            "Provenance",
            "Reject",
            "SourceResult",
            "__version__",
        ]
    )
    for name in veille.__all__:
        assert getattr(veille, name) is not None


def test_importing_veille_does_not_load_duckdb() -> None:
    import subprocess
    import sys

    code = "import sys, veille, veille.ingest.tabular.reader; print('duckdb' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"

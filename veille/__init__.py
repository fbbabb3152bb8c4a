"""veille: an offline workbench for studying how armed and extremist groups use social networks.

The public API is the ``Case`` (open or create a case folder, ingest files, query it) and the
record types readers produce.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from veille.model import Actor, Interaction, Media, Note, Post, Provenance, Reject

if TYPE_CHECKING:
    from veille.case import Case, IngestResult, SourceResult

__all__ = [
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


def __getattr__(name: str) -> Any:
    # The case pulls in DuckDB; readers and tools that only need records should not pay for it.
    if name in {"Case", "IngestResult", "SourceResult"}:
        from veille import case

        return getattr(case, name)
    raise AttributeError(f"module 'veille' has no attribute {name!r}")

"""Run one benchmark mode in a child Python process: peak RSS is then that mode's alone."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from typing import Any

__all__ = ["cpu_seconds", "peak_rss_mb", "run_child"]


def run_child(script: str, *arguments: str) -> dict[str, Any]:
    """Run ``script`` with ``arguments``; its last stdout line is the JSON of its figures."""
    output = subprocess.run(
        [sys.executable, script, *arguments], check=True, capture_output=True, text=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time this process has used, all threads, user and system: on a machine shared with
    other jobs it moves far less than the wall clock."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

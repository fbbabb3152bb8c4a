"""Have glibc give large freed blocks back to the system, so an ingest's peak memory stays low.

glibc serves a large allocation from its heap instead of a fresh mapping once a block that size
has been freed (its mmap threshold moves up, to 32 MB at most), and a heap it cannot trim keeps
that memory for the life of the process. Ingest allocates and frees blocks of megabytes all the
time (pyarrow's CSV blocks, DuckDB's vectors, Python's bytes): 1M CSV rows peaked at 878 MB
instead of 694 MB. A fixed threshold keeps such blocks as mappings, freed when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

__all__ = ["return_large_blocks"]

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
_THRESHOLD = 1 << 20


@functools.cache
def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold at 1 MB for this process; False where libc is not glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it: musl's mallopt is a stub
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD))

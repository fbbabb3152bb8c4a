"""glibc's mmap threshold is fixed once per process, where libc is glibc."""

from __future__ import annotations

import platform

import pytest

from veille.runs.memory import return_large_blocks


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_threshold() -> None:
    assert return_large_blocks() is True
    assert return_large_blocks() is True  # cached: set once

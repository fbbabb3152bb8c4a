"""The plugin registry: lazy built-ins, clear errors for unknown names."""

from __future__ import annotations

import pytest

from veille.errors import PluginError
from veille.ingest import READERS
from veille.registry import Registry


def test_builtin_readers_are_known() -> None:
    assert {"tabular", "news", "whatsapp"} <= set(READERS.names())
    assert READERS.get("tabular").name == "tabular"


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(PluginError, match=r"known: .*tabular"):
        READERS.get("myspace")


def test_a_plugin_registered_at_run_time() -> None:
    registry: Registry[int] = Registry("thing", {"broken": "veille.no_such_module:Thing"})
    registry.register("answer", 42)
    assert registry.get("answer") == 42
    with pytest.raises(PluginError, match="cannot be imported"):
        registry.get("broken")

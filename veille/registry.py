"""A small name -> plugin registry, loaded lazily.

Built-in plugins are listed as ``"module:attribute"`` strings and imported only when first used,
so importing veille stays cheap; third-party plugins arrive through the entry-point group
``veille.<kind>s`` (or the group given) and register the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from veille.errors import PluginError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Plugins of one kind (readers, enrichers, exporters) by name."""

    def __init__(
        self, kind: str, builtins: dict[str, str] | None = None, group: str | None = None
    ) -> None:
        self.kind = kind
        self.group = group or f"veille.{kind}s"  # the entry-point group of third-party plugins
        self._targets: dict[str, str] = dict(builtins or {})
        self._loaded: dict[str, T] = {}
        self._entry_points_read = False

    def register(self, name: str, plugin: T) -> None:
        """Register an already imported plugin under ``name``."""
        self._loaded[name] = plugin
        self._targets.setdefault(name, "")

    def names(self) -> list[str]:
        """All known plugin names, sorted."""
        self._read_entry_points()
        return sorted(self._targets)

    def get(self, name: str) -> T:
        """Return the plugin called ``name``; unknown names raise with the list of known ones."""
        self._read_entry_points()
        if name in self._loaded:
            return self._loaded[name]
        target = self._targets.get(name)
        if not target:
            known = ", ".join(self.names())
            raise PluginError(f"unknown {self.kind} {name!r}; known: {known}")
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise PluginError(f"{self.kind} {name!r} cannot be imported: {error}") from error
        plugin: T = getattr(module, attribute)
        self._loaded[name] = plugin
        return plugin

    def __iter__(self) -> Iterator[tuple[str, T]]:
        for name in self.names():
            yield name, self.get(name)

    def _read_entry_points(self) -> None:
        if self._entry_points_read:
            return
        self._entry_points_read = True
        for point in entry_points(group=self.group):
            self._targets.setdefault(point.name, point.value)

"""Every error veille raises on purpose.

    VeilleError
     ├── InputError        a file or record cannot be read as asked
     ├── ConfigError       case.toml, a mapping or an option is wrong
     ├── StoreError        the case folder or its database is missing or damaged
     └── PluginError       a reader or other plugin cannot be found or loaded
          └── MissingDependency   an optional library is not installed

The CLI turns these into a one-line message and an exit code in one place.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "InputError",
    "MissingDependency",
    "PluginError",
    "StoreError",
    "VeilleError",
]


class VeilleError(Exception):
    """Base of every error veille raises on purpose."""


class InputError(VeilleError):
    """A file or a record cannot be read as asked."""


class ConfigError(VeilleError):
    """A setting, mapping or option is wrong."""


class StoreError(VeilleError):
    """The case folder or its database is missing or damaged."""


class PluginError(VeilleError):
    """A plugin cannot be found or loaded."""


class MissingDependency(PluginError):
    """An optional library is not installed; the message names the extra to install."""

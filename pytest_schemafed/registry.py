"""The run's registry of formats and backend types, filled through our hooks.

Inside pytest the plugin fills it from pytest's own plugin manager. Outside pytest
(the :func:`check_compatibility` API, the ``schemafed`` command) :func:`default_registry`
builds a small pluggy manager with the same hook specs and the same entry points.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from .formats.base import Format

if TYPE_CHECKING:
    from .backends.base import Backend

__all__ = ["ENTRY_POINT_GROUP", "Registry", "default_registry", "fill_registry", "make_plugin_manager"]

ENTRY_POINT_GROUP = "pytest_schemafed"


class Registry:
    """Formats by name and backend classes by ``type:`` name."""

    def __init__(self) -> None:
        self.formats: dict[str, Format] = {}
        self.backends: dict[str, type[Backend]] = {}

    def add_format(self, fmt: Format) -> None:
        """Register ``fmt`` under ``fmt.name``; a later registration replaces an earlier one."""
        self.formats[fmt.name] = fmt

    def add_backend(self, type_name: str, backend_class: type[Backend]) -> None:
        """Register ``backend_class`` for ``type: <type_name>`` in the configuration."""
        self.backends[type_name] = backend_class

    def format(self, name: str) -> Format:
        """Return the format called ``name``.

        :raises KeyError: with the known names, when there is none.
        """
        try:
            return self.formats[name]
        except KeyError:
            known = ", ".join(sorted(self.formats)) or "none"
            raise KeyError(f"unknown schema format {name!r}; known formats: {known}") from None

    def detect(self, path: Path) -> Format | None:
        """Return the format that claims ``path``, or ``None``.

        Formats that claim by extension are asked first, so that a ``.json`` file is
        only opened when no format claims it by name.
        """
        for fmt in self.formats.values():
            if fmt.extensions and path.name.endswith(fmt.extensions):
                return fmt
        for fmt in self.formats.values():
            if not fmt.extensions and fmt.detect(path):
                return fmt
        for fmt in self.formats.values():
            if fmt.extensions and fmt.detect(path):
                return fmt
        return None


def fill_registry(hook: Any) -> Registry:
    """Call the registration hooks on ``hook`` (a pluggy ``HookRelay``) into a new registry."""
    registry = Registry()
    hook.pytest_schemafed_register_formats(registry=registry)
    hook.pytest_schemafed_register_backends(registry=registry)
    return registry


def make_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager with our hook specs, the built-ins and the entry point plugins."""
    from . import builtin, hookspecs

    pm = pluggy.PluginManager("pytest")
    pm.add_hookspecs(hookspecs)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    if not pm.is_registered(builtin):  # running from a source tree without entry points
        pm.register(builtin, name="schemafed-builtin")
    return pm


@functools.lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry used outside pytest, built once per process."""
    return fill_registry(make_plugin_manager().hook)

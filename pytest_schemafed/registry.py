"""The run's registry of formats and backend types, filled through our hooks.

Inside pytest the plugin fills it from pytest's own plugin manager. Outside pytest
(the :func:`check_compatibility` API, the ``schemafed`` command) :func:`default_registry`
builds a small pluggy manager with the same hook specs and the same entry points.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from .formats.base import Format

if TYPE_CHECKING:
    from .backends.base import Backend

__all__ = ["ENTRY_POINT_GROUP", "LazyMapping", "Registry", "default_registry", "fill_registry", "make_plugin_manager"]

ENTRY_POINT_GROUP = "pytest_schemafed"


V = TypeVar("V")


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


class LazyMapping(Mapping[str, V]):
    """A name -> value mapping whose values may be ``"module:attr"`` strings, imported on first use.

    Iterating names costs nothing; reading a value imports its module once. That keeps
    a run that only meets ``.avsc`` files from importing the JSON Schema, Protobuf and
    HTTP machinery at all.
    """

    def __init__(self, make: Callable[[Any], V] = lambda value: value) -> None:
        self._values: dict[str, V | str] = {}
        self._make = make

    def put(self, name: str, value: V | str) -> None:
        """Register ``value`` (or the ``"module:attr"`` that gives it) under ``name``."""
        self._values[name] = value

    def __getitem__(self, name: str) -> V:
        value = self._values[name]
        if isinstance(value, str):
            value = self._values[name] = self._make(_load(value))
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class Registry:
    """Formats by name and backend classes by ``type:`` name.

    Both accept the object itself or a ``"module:attr"`` string, imported when first
    needed. A lazily registered format declares the file endings it claims (and those
    it looks inside) so that files can be matched without importing it.
    """

    def __init__(self) -> None:
        self.formats: LazyMapping[Format] = LazyMapping(lambda cls: cls())
        self.backends: LazyMapping[type[Backend]] = LazyMapping()
        self._claims: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def add_format(
        self,
        fmt: Format | str,
        *,
        name: str | None = None,
        extensions: tuple[str, ...] = (),
        sniffs: tuple[str, ...] = (),
    ) -> None:
        """Register a format; a later registration under the same name replaces an earlier one.

        :param fmt: an instance, or ``"module:Class"`` for a class imported (and
            instantiated) when first needed; then ``name`` is required.
        :param extensions: with a string: the endings the format claims (its ``extensions``).
        :param sniffs: with a string: endings of files it opens to decide (``.json``).
        """
        if isinstance(fmt, str):
            if not name:
                raise ValueError("a lazily registered format needs its name")
            self.formats.put(name, fmt)
            self._claims[name] = (extensions, sniffs)
        else:
            self.formats.put(fmt.name, fmt)
            self._claims[fmt.name] = (fmt.extensions, () if fmt.extensions else ("",))

    def add_backend(self, type_name: str, backend_class: type[Backend] | str) -> None:
        """Register a backend class (or ``"module:Class"``) for ``type: <type_name>``."""
        self.backends.put(type_name, backend_class)

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Every file ending some format claims or looks into (``""`` means any file)."""
        return tuple({s for ext, sniff in self._claims.values() for s in (*ext, *sniff)})

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

        Formats that claim the file's ending win; otherwise the formats that look
        inside files with that ending are asked (only they are imported).
        """
        filename = path.name
        for name, (extensions, _) in self._claims.items():
            if extensions and filename.endswith(extensions):
                return self.formats[name]
        for name, (_, sniffs) in self._claims.items():
            if sniffs and filename.endswith(sniffs) and self.formats[name].detect(path):
                return self.formats[name]
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

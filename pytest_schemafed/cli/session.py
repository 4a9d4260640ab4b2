"""The configuration and the backends one registry command opens (closed when it ends)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..backends.admin import RegistryAdmin, admin_of
from ..backends.base import Backend, BackendSpec, RunContext
from ..config import Settings, load_settings
from ..errors import ConfigError
from ..registry import Registry

__all__ = ["Session", "open_session"]


class Session:
    """The configuration and the backends opened by one command."""

    def __init__(self, registry: Registry, config: str | None) -> None:
        self.registry = registry
        self.rootdir = Path.cwd()
        self.settings: Settings = load_settings(self.rootdir, registry, explicit=config)
        self.context = RunContext(rootdir=self.rootdir, registry=registry)
        self.opened: list[Backend] = []

    def spec(self, registry_id: str) -> BackendSpec:
        """The configured registry ``registry_id``."""
        for spec in self.settings.registries:
            if spec.id == registry_id:
                return spec
        known = ", ".join(s.id for s in self.settings.registries)
        raise ConfigError(f"no registry with id {registry_id!r}; configured: {known}")

    def open(self, spec: BackendSpec) -> Backend:
        """Build the backend of ``spec`` (closed when the command ends)."""
        backend = self.registry.backends[spec.type](spec, self.context)
        self.opened.append(backend)
        return backend

    def admin(self, registry_id: str, operation: str) -> tuple[Backend, RegistryAdmin]:
        """Open ``registry_id`` and return it with its registry operations."""
        backend = self.open(self.spec(registry_id))
        return backend, admin_of(backend, operation)

    def close(self) -> None:
        """Close every backend opened."""
        for backend in self.opened:
            try:
                backend.close()
            except Exception:  # closing must not hide the command's result
                pass


@contextmanager
def open_session(registry: Registry, config: str | None) -> Iterator[Session]:
    """A :class:`Session`, closed on the way out."""
    session = Session(registry, config)
    try:
        yield session
    finally:
        session.close()

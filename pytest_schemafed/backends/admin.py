"""The registry operations of the ``schemafed`` command, as an optional mixin of backends.

A backend that can answer registry questions (``subjects``, ``levels``, ``find``,
``audit``) and change a level (``levels set``) derives from :class:`RegistryAdmin`
besides :class:`~pytest_schemafed.backends.base.Backend`, and overrides the methods its
registry supports; every other method raises :class:`AdminUnsupported` ("set level is
not supported by backend type glue"). The command reaches them through
:func:`admin_of`, which says the same for a backend without the mixin (git, directory).

Why a mixin here rather than methods on ``Backend`` or a ``typing.Protocol``:

* the gate only ever holds a ``Backend``; keeping :meth:`RegistryAdmin.set_level` (the
  one write) off that type means gate code cannot call it without mypy objecting, so
  the gate's read-only promise is also a typing fact;
* a ``Protocol`` has no defaults: a backend that supports four of the seven methods
  would either fail ``isinstance`` or write its own "not supported" stubs; the mixin
  gives each method one default with one message;
* backends that have nothing to administer (git, directory) do not change at all.

Subjects are named as the registry names them (no ``subjects:`` mapping, no schema
context is applied): these are the registry's own names, as an admin sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import SchemafedError
from ..model import History, HistoryVersion, Level, RemoteVerdict

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["AdminUnsupported", "RegisteredVersion", "RegistryAdmin", "admin_of", "format_of_schema_type"]


class AdminUnsupported(SchemafedError):
    """The backend type cannot do the registry operation asked (the command exits 2)."""

    def __init__(self, operation: str, *, type_name: str, backend_id: str | None = None,
                 reason: str = "") -> None:
        where = f" (registry {backend_id!r})" if backend_id else ""
        why = f": {reason}" if reason else ""
        super().__init__(f"{operation} is not supported by backend type {type_name}{where}{why}")
        self.operation = operation
        self.type_name = type_name


@dataclass(frozen=True, slots=True)
class RegisteredVersion(HistoryVersion):
    """A registered version as :meth:`RegistryAdmin.versions` returns it.

    :param schema_type: the registry's name of its format (``AVRO``, ``JSON``,
        ``PROTOBUF``), ``None`` when the registry does not say.
    :param registry_references: the references as the registry lists them
        (``{"name", "subject", "version"}``), to send back when the registry judges it.
    """

    schema_type: str | None = None
    registry_references: tuple[Mapping[str, Any], ...] = ()


def _unsupported(backend: object, operation: str, reason: str = "") -> AdminUnsupported:
    type_name = str(getattr(backend, "type_name", type(backend).__name__))
    backend_id = getattr(backend, "id", None)
    return AdminUnsupported(operation, type_name=type_name, backend_id=backend_id if isinstance(backend_id, str)
                            else None, reason=reason)


class RegistryAdmin:
    """Registry operations a backend may support; each default raises :class:`AdminUnsupported`.

    All methods but :meth:`set_level` only read. Methods may raise
    :class:`~pytest_schemafed.errors.BackendError` when the registry cannot answer.
    """

    type_name: ClassVar[str]

    def list_subjects(self, prefix: str | None = None) -> list[str]:
        """Every subject of the registry (those starting with ``prefix`` when given), sorted."""
        raise _unsupported(self, "list subjects")

    def global_level(self) -> Level | None:
        """The registry-wide level; ``None`` when the registry has none (Glue)."""
        raise _unsupported(self, "global level")

    def subject_level(self, subject: str) -> Level | None:
        """The subject's own level; ``None`` when it has none and falls back to the global one.

        :raises SubjectNotFound: where the registry tells an unknown subject apart.
        """
        raise _unsupported(self, "subject level")

    def versions(self, subject: str) -> History:
        """Every registered version of ``subject``, oldest first (:class:`RegisteredVersion` items).

        :raises SubjectNotFound: the subject has no registered version.
        """
        raise _unsupported(self, "versions")

    def latest(self, subject: str) -> HistoryVersion | None:
        """The latest registered version, ``None`` when the subject is not registered."""
        raise _unsupported(self, "latest")

    def ping(self) -> float:
        """Ask the registry one cheap, authenticated question; return the seconds it took.

        :raises BackendError: unreachable, refused credentials, or not a registry.
        """
        raise _unsupported(self, "ping")

    def effective_level(self, subject: str) -> Level | None:
        """The level the registry applies to ``subject``: its own, else the global one."""
        own = self.subject_level(subject)
        return own if own is not None else self.global_level()

    def registry_judge(self, subject: str, version: RegisteredVersion, against: str) -> RemoteVerdict:
        """The registry's own verdict on ``version``'s text against its registered version ``against``,
        at the subject's own level (the only level a registry's check endpoint applies); read-only.
        """
        raise _unsupported(self, "the registry judge", "the registry has no compatibility endpoint")

    def set_level(self, level: Level, subject: str | None = None) -> None:
        """Set the global level (``subject`` is ``None``) or a subject's level: the only write."""
        raise _unsupported(self, "set level")


def admin_of(backend: object, operation: str) -> RegistryAdmin:
    """``backend`` as a :class:`RegistryAdmin`, or :class:`AdminUnsupported` for ``operation``.

    A ``directory`` backend gets a read-only adapter (:mod:`.directory_admin`): its folder
    names the subjects and holds their versions, but it has no levels.
    """
    if isinstance(backend, RegistryAdmin):
        return backend
    if getattr(backend, "type_name", None) == "directory":
        from .directory import DirectoryBackend
        from .directory_admin import DirectoryAdmin

        if isinstance(backend, DirectoryBackend):
            return DirectoryAdmin(backend)
    raise _unsupported(backend, operation)


def format_of_schema_type(schema_type: str, registry: Registry) -> str | None:
    """Our format name for a registry's schema type (``AVRO`` -> ``avro``), ``None`` if none."""
    wanted = schema_type.upper()
    for name, fmt in registry.formats.items():
        if str(getattr(fmt, "schema_type", "")).upper() == wanted:
            return name
    return None

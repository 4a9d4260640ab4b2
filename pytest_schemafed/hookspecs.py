"""Hook specifications of pytest-schemafed, added to pytest with ``pytest_addhooks``.

Built-in formats and backends register through these same hooks (see
:mod:`pytest_schemafed.builtin`); a third-party package does the same from a module
named in its ``pytest_schemafed`` entry point group (or from a ``conftest.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .model import Check, SchemaSource, Verdict
    from .registry import Registry

hookspec = pluggy.HookspecMarker("pytest")


@hookspec
def pytest_schemafed_register_formats(registry: Registry) -> None:
    """Register schema formats.

    Called once per run, before collection, with the run's registry. Implementations
    call ``registry.add_format(MyFormat())`` for each format they provide.

    :param registry: the run's registry of formats and backends.
    """


@hookspec
def pytest_schemafed_register_backends(registry: Registry) -> None:
    """Register backend types by their ``type:`` name in the configuration.

    Called once per run, before the configuration is validated. Implementations call
    ``registry.add_backend("my-registry", MyBackend)``; a backend class declares the
    configuration keys it accepts (see :class:`pytest_schemafed.backends.base.Backend`).

    :param registry: the run's registry of formats and backends.
    """


@hookspec(firstresult=True)
def pytest_schemafed_subject(source: SchemaSource, backend_id: str, default: str) -> str | None:
    """Name the subject of ``source`` on the backend ``backend_id``.

    Called once per (schema file, backend) while checks are planned. The built-in
    implementation returns ``default`` (the subject the configuration names).

    :param source: the local schema (path, format, parsed form).
    :param backend_id: the ``id`` of the registry in the configuration.
    :param default: the subject that the configuration's template or strategy gives.
    :returns: the subject name, or ``None`` to let the next implementation decide.

    Stops at the first non-``None`` result (firstresult).
    """


@hookspec
def pytest_schemafed_verdict(check: Check, verdict: Verdict) -> None:
    """Observe one verdict as soon as it is computed.

    Called once per check, in the process that evaluated it, from a worker thread
    (implementations must be thread-safe). Reporters use the item reports instead.

    :param check: the planned check (source, backend id, subject, level).
    :param verdict: its result.
    """

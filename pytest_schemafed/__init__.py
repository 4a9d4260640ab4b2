"""pytest-schemafed: a compatibility gate for Avro, JSON Schema, Protobuf and table schemas.

The library API is :func:`check_compatibility`; the pytest plugin lives in
:mod:`pytest_schemafed.plugin` and is activated with ``pytest --schemafed``.

PYTEST_DONT_REWRITE: see :func:`_leave_assertion_rewriting`.
"""

from __future__ import annotations

import sys


def _leave_assertion_rewriting() -> None:
    """Ask pytest not to rewrite this package's modules: it would only slow the gate down.

    pytest rewrites the ``assert`` statements of every module of a distribution that
    has a ``pytest11`` entry point, compiling each from source: on every run where its
    bytecode cannot be cached (``PYTHONDONTWRITEBYTECODE``, as many CI images set, or a
    read-only site-packages), else on the first run in each new environment, as CI
    makes them. None of this package's modules asserts anything a test reports, so
    they are taken off the rewriting import hook's list before the first submodule is
    imported; they then load from the bytecode ``pip`` compiled at install time. pytest
    has no public API to undo a mark: should its attributes change, nothing happens
    and the modules are rewritten as before.
    """
    for finder in sys.meta_path:
        marked = getattr(finder, "_must_rewrite", None)
        if isinstance(marked, set) and __name__ in marked:
            marked.discard(__name__)
            cache = getattr(finder, "_marked_for_rewrite_cache", None)
            if isinstance(cache, dict):
                cache.clear()


_leave_assertion_rewriting()

from .engine import check_compatibility
from .errors import (
    BackendAuthError,
    BackendError,
    BackendProtocolError,
    BackendUnavailable,
    ConfigError,
    SchemafedError,
    SchemaParseError,
    SubjectNotFound,
)
from .model import Check, Finding, History, HistoryVersion, Level, Outcome, RemoteVerdict, SchemaSource, Verdict

__all__ = [
    "BackendAuthError",
    "BackendError",
    "BackendProtocolError",
    "BackendUnavailable",
    "Check",
    "ConfigError",
    "Finding",
    "History",
    "HistoryVersion",
    "Level",
    "Outcome",
    "RemoteVerdict",
    "SchemaParseError",
    "SchemaSource",
    "SchemafedError",
    "SubjectNotFound",
    "Verdict",
    "check_compatibility",
]
__version__ = "0.1.0"

"""pytest-schemafed: a compatibility gate for Avro, JSON Schema, Protobuf and table schemas.

The library API is :func:`check_compatibility`; the pytest plugin lives in
:mod:`pytest_schemafed.plugin` and is activated with ``pytest --schemafed``.
"""

from __future__ import annotations

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

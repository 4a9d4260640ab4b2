"""The built-in formats and backends, registered through the public hooks.

This module is a plugin like any third-party one: it is listed in the
``pytest_schemafed`` entry point group and implements the same hooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .model import SchemaSource
    from .registry import Registry

hookimpl = pluggy.HookimplMarker("pytest")


@hookimpl
def pytest_schemafed_register_formats(registry: Registry) -> None:
    """Register Avro, JSON Schema, Protobuf and table formats."""
    from .formats.avro import AvroFormat
    from .formats.iceberg import IcebergFormat
    from .formats.jsonschema import JsonSchemaFormat
    from .formats.protobuf import ProtobufFormat

    registry.add_format(AvroFormat())
    registry.add_format(JsonSchemaFormat())
    registry.add_format(ProtobufFormat())
    registry.add_format(IcebergFormat())


@hookimpl
def pytest_schemafed_register_backends(registry: Registry) -> None:
    """Register the git, directory and registry backends."""
    from .backends.confluent import ConfluentBackend
    from .backends.directory import DirectoryBackend
    from .backends.git import GitBackend
    from .backends.glue import GlueBackend
    from .backends.unity_catalog import UnityCatalogBackend

    registry.add_backend("git", GitBackend)
    registry.add_backend("directory", DirectoryBackend)
    registry.add_backend("confluent", ConfluentBackend)
    registry.add_backend("glue", GlueBackend)
    registry.add_backend("unity_catalog", UnityCatalogBackend)


@hookimpl(trylast=True)
def pytest_schemafed_subject(source: SchemaSource, backend_id: str, default: str) -> str | None:
    """The subject the configuration names, unchanged."""
    return default

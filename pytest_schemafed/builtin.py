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
    """Register Avro, JSON Schema, Protobuf and Iceberg table schemas, imported when first met."""
    registry.add_format("pytest_schemafed.formats.avro:AvroFormat", name="avro", extensions=(".avsc",))
    registry.add_format("pytest_schemafed.formats.jsonschema:JsonSchemaFormat", name="json",
                        extensions=(".schema.json",), sniffs=(".json",))
    registry.add_format("pytest_schemafed.formats.protobuf:ProtobufFormat", name="protobuf",
                        extensions=(".proto",))
    registry.add_format("pytest_schemafed.tables.iceberg:IcebergFormat", name="iceberg", sniffs=(".json",))
    # what table backends (Unity Catalog) hold: never a local file, judged as a sink
    registry.add_format("pytest_schemafed.tables.sink:TableFormat", name="table")


@hookimpl
def pytest_schemafed_register_backends(registry: Registry) -> None:
    """Register the git, directory and registry backends, imported when configured."""
    registry.add_backend("git", "pytest_schemafed.backends.git:GitBackend")
    registry.add_backend("directory", "pytest_schemafed.backends.directory:DirectoryBackend")
    registry.add_backend("confluent", "pytest_schemafed.backends.confluent:ConfluentBackend")
    registry.add_backend("glue", "pytest_schemafed.backends.glue:GlueBackend")
    registry.add_backend("unity_catalog", "pytest_schemafed.backends.unity_catalog:UnityCatalogBackend")


@hookimpl(trylast=True)
def pytest_schemafed_subject(source: SchemaSource, backend_id: str, default: str) -> str | None:
    """The subject the configuration names, unchanged."""
    return default

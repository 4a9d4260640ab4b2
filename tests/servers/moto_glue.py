"""moto's server mode as a Glue Schema Registry for tests: start, reset, seed, snapshot.

moto implements ``CreateRegistry``, ``CreateSchema``, ``RegisterSchemaVersion``,
``GetSchema``, ``GetSchemaVersion`` and ``UpdateSchema`` (it checks JSON syntax for
AVRO and JSON, nothing for PROTOBUF, and no compatibility at all); it answers 500 to
``ListSchemaVersions``. Every version it holds is ``AVAILABLE``.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Sequence
from typing import Any

REGION = "eu-west-1"
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
}
"""Environment a run needs to talk to moto: fake keys, no profile files, no instance metadata."""
GLUE_MODES = ("NONE", "DISABLED", "BACKWARD", "BACKWARD_ALL", "FORWARD", "FORWARD_ALL", "FULL", "FULL_ALL")


class MotoGlue:
    """A moto server on 127.0.0.1 (a free port) and a Glue client pointed at it."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        self.client = self.make_client()
        # The server binds moto's Glue module on its first Glue request; take the same module's
        # state now (pytester may later drop it from sys.modules, a fresh import would be empty).
        self.client.list_registries()
        from moto.glue.models import glue_backends

        self._glue_backends = glue_backends

    def make_client(self, region: str = REGION) -> Any:
        """A boto3 Glue client for seeding and inspecting (fake credentials, no retries)."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "glue", endpoint_url=self.url, region_name=region, config=Config(retries={"total_max_attempts": 1}),
            **FAKE_CREDENTIALS,
        )

    def reset(self) -> None:
        """Forget every registry and schema (``POST /moto-api/reset``)."""
        request = urllib.request.Request(self.url + "/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200

    def stop(self) -> None:
        """Stop the server thread."""
        self._server.stop()

    def create_registry(self, name: str = "events") -> None:
        """Create a registry in :data:`REGION`."""
        self.client.create_registry(RegistryName=name)

    def seed(
        self,
        schema: str,
        versions: Sequence[str],
        *,
        data_format: str = "AVRO",
        compatibility: str = "BACKWARD",
        registry: str = "events",
    ) -> None:
        """Create ``schema`` holding ``versions`` (oldest first), then set ``compatibility``.

        The versions are registered under ``NONE`` (moto checks nothing anyway), so any
        history can be built, including for ``DISABLED``, which refuses new versions.
        """
        schema_id = {"RegistryName": registry, "SchemaName": schema}
        self.client.create_schema(
            RegistryId={"RegistryName": registry}, SchemaName=schema, DataFormat=data_format,
            Compatibility="NONE", SchemaDefinition=versions[0],
        )
        for text in versions[1:]:
            self.client.register_schema_version(SchemaId=schema_id, SchemaDefinition=text)
        if compatibility != "NONE":
            self.client.update_schema(SchemaId=schema_id, Compatibility=compatibility)

    def snapshot(self) -> dict[str, Any]:
        """Everything moto's Glue holds, in every region, read from its in-process state.

        moto has no ``ListSchemas``; the server runs in this process, so its backend
        is read directly: registry -> schema -> (mode, format, next version,
        [(number, status, definition)]). Any registration, update or deletion shows.
        """
        out: dict[str, Any] = {}
        for account, regions in self._glue_backends.items():
            for region, backend in regions.items():
                for rname, registry in backend.registries.items():
                    for sname, schema in registry.schemas.items():
                        versions = sorted(
                            (v.version_number, v.schema_version_status, v.schema_definition)
                            for v in schema.schema_versions.values()
                        )
                        out[f"{account}/{region}/{rname}/{sname}"] = (
                            schema.compatibility, schema.data_format, schema.next_schema_version, versions,
                        )
        return out

"""Helpers shared by the Glue tests: the formats registered so far, and checks of local files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_schemafed.backends.glue import GlueBackend
from pytest_schemafed.model import Check, Level, SchemaSource
from pytest_schemafed.registry import Registry, default_registry

BACKEND_ID = "glue-eu"
EXTENSIONS = {"avro": ".avsc", "json": ".schema.json", "protobuf": ".proto"}


def _registry() -> Registry:
    """The built-in formats that exist so far (the format engines land one by one)."""
    try:
        return default_registry()
    except Exception:  # a built-in format is still being written: no format yet
        registry = Registry()
        registry.add_backend("glue", GlueBackend)
        return registry


REGISTRY = _registry()


def requires_format(name: str) -> pytest.MarkDecorator:
    """Skip a test while the format ``name`` is not registered yet."""
    return pytest.mark.skipif(name not in REGISTRY.formats, reason=f"format {name!r} is not registered yet")



def make_check(
    text: str, fmt: str = "avro", subject: str = "user", level: Level | None = None, stem: str | None = None
) -> Check:
    """A check of a local file ``schemas/<stem or subject><ext>`` holding ``text``."""
    name = (stem or subject) + EXTENSIONS.get(fmt, ".txt")
    source = SchemaSource(path=Path("/repo/schemas") / name, relpath=f"schemas/{name}", format=fmt, text=text,
                          subject=subject)
    return Check(source=source, backend_id=BACKEND_ID, subject=subject, level=level)

"""Helpers shared by the Glue tests: the formats registered so far, and checks of local files."""

from __future__ import annotations

import pytest

from pytest_schemafed.backends.glue import GlueBackend
from pytest_schemafed.model import Check, Level
from pytest_schemafed.registry import Registry, default_registry
from tests.checks import make_check as _make_check

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
    return _make_check(text, fmt=fmt, subject=subject, relpath=f"schemas/{name}", level=level, backend_id=BACKEND_ID)

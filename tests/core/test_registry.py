"""The registry: built-ins registered lazily, declared claims that match the classes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_schemafed.formats.base import Format
from pytest_schemafed.registry import Registry, default_registry, make_plugin_manager


def test_lazy_formats__declared_extensions_match_the_classes() -> None:
    """What builtin.py declares for each format equals the format class's own `extensions`."""
    registry = Registry()
    make_plugin_manager().hook.pytest_schemafed_register_formats(registry=registry)
    for name in registry.formats:
        declared_extensions, _ = registry._claims[name]
        fmt = registry.formats[name]
        assert isinstance(fmt, Format) and fmt.name == name
        assert tuple(declared_extensions) == tuple(fmt.extensions), name


def test_detect__by_extension_then_by_looking_inside(tmp_path: Path) -> None:
    """`.avsc`/`.proto` by name; `.json` only when a format recognises its content."""
    registry = default_registry()
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}')
    (tmp_path / "user.json").write_text('{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}')
    assert registry.detect(tmp_path / "a.avsc").name == "avro"  # type: ignore[union-attr]
    assert registry.detect(tmp_path / "a.proto").name == "protobuf"  # type: ignore[union-attr]
    assert registry.detect(tmp_path / "user.json").name == "json"  # type: ignore[union-attr]
    assert registry.detect(tmp_path / "package.json") is None
    assert registry.detect(tmp_path / "notes.txt") is None


def test_unknown_format__names_the_known_ones() -> None:
    """Asking for a format that does not exist lists the registered ones."""
    with pytest.raises(KeyError, match="known formats: avro, iceberg, json, protobuf"):
        default_registry().format("thrift")


def test_an_avro_only_run_imports_no_other_engine(tmp_path: Path) -> None:
    """Detecting and parsing an .avsc imports neither JSON Schema, Protobuf nor the HTTP client."""
    code = (
        "import sys; from pathlib import Path\n"
        "from pytest_schemafed.registry import default_registry\n"
        "r = default_registry(); fmt = r.detect(Path('a.avsc'))\n"
        "fmt.parse('\"int\"'); r.backends['git']\n"
        "bad = [m for m in ('jsonschema', 'httpx', 'pytest_schemafed.formats.protobuf',"
        " 'pytest_schemafed.formats.jsonschema', 'pytest_schemafed.backends.confluent') if m in sys.modules]\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert done.stdout.strip() == "[]"

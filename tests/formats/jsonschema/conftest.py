"""Shared helpers for the JSON Schema format tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pytest_schemafed.formats.jsonschema import JsonSchemaFormat, ParsedJsonSchema, changes


def _text(schema: Any) -> str:
    return schema if isinstance(schema, str) else json.dumps(schema, indent=2)


@pytest.fixture(scope="session")
def fmt() -> JsonSchemaFormat:
    """The format under test."""
    return JsonSchemaFormat()


@pytest.fixture(scope="session")
def parse(fmt: JsonSchemaFormat) -> Callable[..., ParsedJsonSchema]:
    """Parse a dict or text into a ParsedJsonSchema."""

    def _parse(schema: Any, references: dict[str, Any] | None = None) -> ParsedJsonSchema:
        refs = {k: _text(v) for k, v in (references or {}).items()} or None
        return fmt.parse(_text(schema), path="schema.json", references=refs)

    return _parse


@pytest.fixture(scope="session")
def diff_of(parse: Callable[..., ParsedJsonSchema]) -> Callable[[Any, Any], list[str]]:
    """Confluent's change list ("TYPE #/path") for (original, update)."""

    def _diff(original: Any, update: Any) -> list[str]:
        return changes(parse(original), parse(update))

    return _diff

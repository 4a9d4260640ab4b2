"""Fuzzed schemas: parse gives a schema or SchemaParseError, compare raises nothing (bounded, derandomized)."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .mutate import FORMATS, check, mutate

_SETTINGS = settings(
    max_examples=300, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@_SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_mutated_schema__parses_or_raises_schema_parse_error(fmt: str, seed: int) -> None:
    """A valid schema after random mutations: a schema or SchemaParseError; compare never raises."""
    check(fmt, mutate(fmt, random.Random(seed)))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@_SETTINGS
@given(text=st.text(alphabet=st.sampled_from('{}[]",:;=<>()0123456789 \nabemnrstu-'), max_size=200))
def test_random_text__parses_or_raises_schema_parse_error(fmt: str, text: str) -> None:
    """Arbitrary text made of each format's syntax characters: a schema or SchemaParseError."""
    check(fmt, text)


def test_table_sink__hostile_table_info_is_a_parse_error_never_a_crash() -> None:
    """What a Unity Catalog server answers is parsed totally: deep or odd TableInfo gives SchemaParseError."""
    from pytest_schemafed.errors import SchemaParseError
    from pytest_schemafed.tables.sink import TableFormat

    deep = '{"type": "struct", "fields": [{"name": "a", "type": ' * 3000 + '"long"' + ', "nullable": true}]}' * 3000
    hostile = ["[]", "5", '{"columns": 5}', '{"columns": [{"name": "a", "type_json": "{"}]}',
               '{"full_name": "a.b.c", "columns": [{"name": "a", "type_json": ' + json.dumps(deep) + "}]}",
               "[" * 5000 + "]" * 5000]
    for text in hostile:
        try:
            TableFormat().parse(text, path="lake table a.b.c")
        except SchemaParseError as exc:
            assert str(exc)

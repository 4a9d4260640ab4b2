"""Fuzzed schemas: parse gives a schema or SchemaParseError, compare raises nothing (bounded, derandomized)."""

from __future__ import annotations

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

"""Checks built the way the gate builds them: a frozen source, and its content read and parsed once."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.model import Check, Level, SchemaContent, SchemaSource
from pytest_schemafed.registry import default_registry


def content_of(text: str, fmt: str, relpath: str, references: Mapping[str, str] | None = None) -> SchemaContent:
    """``text`` parsed as the gate parses a local file (a parse failure kept in the content)."""
    try:
        parsed = default_registry().format(fmt).parse(text, path=relpath, references=references or None)
    except SchemaParseError as exc:
        return SchemaContent(text, references=dict(references or {}), error=str(exc), error_line=exc.line)
    return SchemaContent(text, parsed, dict(references or {}))


def make_check(text: str, *, fmt: str = "avro", subject: str = "t", relpath: str = "schemas/t.avsc",
               level: Level | None = None, backend_id: str = "prod",
               references: Mapping[str, str] | None = None, root: str = "/repo") -> Check:
    """A check of ``text`` in file ``relpath`` against ``backend_id``, with its content set."""
    source = SchemaSource(path=Path(root) / relpath, relpath=relpath, format=fmt, subject=subject)
    return Check(source=source, backend_id=backend_id, subject=subject, level=level,
                 content=content_of(text, fmt, relpath, references))

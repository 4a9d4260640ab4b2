"""The Avro format: ``.avsc`` files, Apache Avro's schema-resolution rules, Confluent's ids.

``parse`` validates a schema as Apache Avro (Java) and Confluent do and builds a
small model (:mod:`.model`); ``compare`` walks reader and writer together
(:mod:`.compare`) and asks the rules (:mod:`.rules`) about each pair; findings get
sentences from :mod:`.messages` and line/column from the local file's text.

Locations: a finding about a record field is placed on the line of the field's
``"name"`` (its opening brace often stands alone on a line). With ``local="reader"``
a finding's path is Apache's location (as the
Java checker and Confluent's ``verbose`` answers print it, e.g. ``/fields/1/type/size``;
where the writer is a union, Apache appends the writer's branch index). With
``local="writer"`` it is the JSON pointer of the element in the writer's text, or of
its nearest enclosing element for things only the reader has.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import ClassVar

from ...model import Finding
from ..base import Format, ParsedSchema, Rule, Side
from .compare import find_issues
from .messages import render
from .model import AvroSchema, Named, Record
from .parse import parse_avro
from .reuse import scope
from .rules import READER_FIELD_MISSING_DEFAULT_VALUE, RULES, RULES_BY_ID

__all__ = ["AvroFormat", "AvroSchema", "parse_avro"]


def _is_field(path: str) -> bool:
    """True for ``.../fields/<n>``: such findings are placed on the field's ``"name"`` line."""
    head, _, last = path.rpartition("/")
    return last.isdigit() and head.endswith("/fields")


def _locate_top_field_type(schema: AvroSchema, path: str) -> tuple[int, int] | None:
    """(line, column) of ``/fields/<n>/type`` in a top-level record, found by the field's name."""
    head, _, index = path[:-5].rpartition("/")
    root = schema.root
    if head == "/fields" and index.isdigit() and isinstance(root, Record) and int(index) < len(root.types):
        return schema.locate_field_type(path[:-5], root.field_at(int(index)).name)
    return schema.locate(path)


class AvroFormat(Format):
    """Apache Avro schemas (``.avsc``), checked with Avro's schema-resolution rules."""

    name: ClassVar[str] = "avro"
    schema_type: ClassVar[str] = "AVRO"
    extensions: ClassVar[tuple[str, ...]] = (".avsc",)
    rules: ClassVar[tuple[Rule, ...]] = RULES

    def parse(
        self,
        text: str,
        *,
        path: str | None = None,
        references: Mapping[str, str] | None = None,
    ) -> AvroSchema:
        """Parse and validate an Avro schema text (see :func:`.parse.parse_avro`)."""
        return parse_avro(text, path=path, references=references)

    def parse_scope(self) -> AbstractContextManager[object]:
        """Parses in the block share their remembered fields (:mod:`.reuse`), dropped at its end."""
        return scope()

    def compare(self, reader: ParsedSchema, writer: ParsedSchema, *, local: Side) -> list[Finding]:
        """Every reason ``reader`` cannot read data written with ``writer`` (Avro resolution)."""
        if not isinstance(reader, AvroSchema) or not isinstance(writer, AvroSchema):
            raise TypeError("AvroFormat.compare needs two schemas parsed by AvroFormat.parse")
        issues = find_issues(reader.root, writer.root)
        if not issues:
            return []
        side = reader if local == "reader" else writer
        findings: list[Finding] = []
        for issue in issues:
            rule, rloc, wloc, _ = issue
            path = (rloc if local == "reader" else wloc) or "/"
            if not _is_field(path):
                hit = _locate_top_field_type(side, path) if path.endswith("/type") else side.locate(path)
            elif rule == READER_FIELD_MISSING_DEFAULT_VALUE and local == "reader":
                hit = side.locate_field_name(path, str(issue[3][0]))
            else:
                hit = side.locate(path + "/name")
            findings.append(
                Finding(
                    rule=rule,
                    message=render(issue, local, side.root),
                    path=path,
                    line=hit[0] if hit else None,
                    column=hit[1] if hit else None,
                    hint=RULES_BY_ID[rule].hint,
                )
            )
        return findings

    def record_name(self, parsed: ParsedSchema) -> str | None:
        """Full name of the top-level record, enum or fixed; ``None`` for other schemas."""
        if isinstance(parsed, AvroSchema) and isinstance(parsed.root, Named):
            return parsed.root.fullname
        return None

    def imports(self, parsed: ParsedSchema) -> list[str]:
        """Full names of named types used here but defined in a reference, in order of use."""
        if isinstance(parsed, AvroSchema):
            return list(parsed.imported)
        return []

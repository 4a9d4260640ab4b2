"""The ``table`` format: a lakehouse table as a backend holds it, judged as a sink.

A table is not a history of the local file's format: it is where the local schema's
rows are written. A backend that holds tables (Unity Catalog) fetches a table's
``TableInfo`` JSON and returns it as a registered version of format ``table``; the gate's
judge then asks this format to :meth:`TableFormat.adopt` the parsed local schema (map it
onto the columns Spark writes for it) and compares, whatever the level but ``NONE``:
can the local schema's rows be written into the table? Backends fetch; the gate judges.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import ClassVar

from ..errors import LocalSchemaError, SchemaParseError
from ..formats.base import Format, ParsedSchema, Rule, Side
from ..model import Finding, Severity
from .compare import judge_table
from .model import TableSchema, UnsupportedType
from .rules import RULES
from .spark import table_from_info

__all__ = ["AdoptionError", "ParsedTable", "TableFormat"]


class AdoptionError(LocalSchemaError):
    """The local schema has no table form (the local file's fault): one line, located."""


class ParsedTable(ParsedSchema):
    """A table model (registered: from ``TableInfo``; adopted: from a local schema)."""

    __slots__ = ("source", "table")

    def __init__(self, text: str, path: str | None, table: TableSchema, source: ParsedSchema | None = None) -> None:
        super().__init__(text, path)
        self.table = table
        self.source = source

    def locate(self, schema_path: str) -> tuple[int, int] | None:
        """Positions of an adopted table are those of the local file it came from."""
        return self.source.locate(schema_path) if self.source is not None else None


class TableFormat(Format):
    """Unity Catalog ``TableInfo`` JSON, compared with the table evolution rules (module docstring)."""

    name: ClassVar[str] = "table"
    schema_type: ClassVar[str] = "TABLE"
    extensions: ClassVar[tuple[str, ...]] = ()  # never a local file: only what a backend holds
    rules: ClassVar[tuple[Rule, ...]] = tuple(RULES)
    #: compared once, as the place the local schema's rows are written into, whatever the level
    sink: ClassVar[bool] = True

    def parse(self, text: str, *, path: str | None = None,
              references: Mapping[str, str] | None = None) -> ParsedTable:
        """A ``TableInfo`` object as the table model.

        :raises SchemaParseError: not a ``TableInfo`` object, or a column of a type the model does not know.
        """
        try:
            info = json.loads(text)
        except RecursionError:
            raise SchemaParseError("the table's JSON is nested too deeply to read", path=path) from None
        except ValueError as exc:
            raise SchemaParseError(f"not JSON ({exc})", path=path) from None
        if not isinstance(info, dict):
            raise SchemaParseError("expected a TableInfo object", path=path)
        try:
            table = table_from_info(info)
        except RecursionError:
            raise SchemaParseError("the table's column types are nested too deeply to read", path=path) from None
        except UnsupportedType as exc:
            column = f"column `{exc.where}` of " if exc.where else ""
            raise SchemaParseError(
                f"{column}table {info.get('full_name')} has type `{exc.type_text}`, which the table model does "
                "not know; this table cannot be checked (exclude the subject from this registry, or report "
                "the type)", path=path) from None
        return ParsedTable(text, path, table)

    def adopt(self, parsed: ParsedSchema, relpath: str, table_name: str) -> ParsedTable:
        """The columns Spark writes for a parsed local schema.

        :raises AdoptionError: the local schema has no table form (says where, in the local file).
        """
        from . import LocalMappingError, local_table

        try:
            return ParsedTable(parsed.text, parsed.path, local_table(parsed), source=parsed)
        except LocalMappingError as exc:
            hit = parsed.locate(exc.at)
            where = f"{relpath}:{hit[0]}" if hit else relpath
            raise AdoptionError(f"{where}: cannot be written into table {table_name}: {exc.message}",
                                line=hit[0] if hit else None) from None
        except (TypeError, KeyError):
            raise AdoptionError(f"{relpath}: this format cannot be compared with a table (tables accept Avro, "
                                "JSON Schema, Protobuf and Iceberg files)") from None

    def compare(self, reader: ParsedSchema, writer: ParsedSchema, *, local: Side) -> list[Finding]:
        """Can ``writer``'s rows (the adopted local schema) be written into ``reader`` (the table)?

        Rules of severity ``note`` become advisories (warnings), which never fail.
        """
        if not isinstance(reader, ParsedTable) or not isinstance(writer, ParsedTable):
            raise TypeError("TableFormat.compare needs two ParsedTable schemas")
        judged = judge_table(reader.table, writer.table)
        advisories = [Finding(rule=note.split(":", 1)[0], message=note.split(":", 1)[-1].strip(),
                              severity=Severity.WARNING, direction="forward") for note in judged.notes]
        return [*judged.findings, *advisories]

"""The ``protobuf`` format: ``.proto`` files checked with Confluent's Protobuf rules.

* :mod:`.lexer`, :mod:`.parser`: proto2/proto3 source into :mod:`.model` (editions refused).
* :mod:`.resolver`: imports (references, bundled ``google/protobuf/*``, lenient
  ``google/*``/``confluent/*``), the type table, protoc's validity checks.
* :mod:`.diff`: the port of Confluent's ``SchemaDiff`` (change types, compatible set).
* :mod:`.rules`: the rule table and the findings' sentences and locations.
* :mod:`.imports`: :func:`local_imports`, for discovery to load a file's local imports.

``compare(reader, writer)`` is Confluent's ``SchemaDiff.compare(original=writer,
update=reader)``; every change outside ``COMPATIBLE_CHANGES`` is a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ...model import Finding
from ..base import Format, ParsedSchema, Side
from .advisories import ADVISORY_RULES, advisories
from .diff import COMPATIBLE_CHANGES, Difference, schema_diff
from .imports import import_names, local_imports
from .model import MessageDef, ProtoFile
from .parser import parse_proto
from .resolver import TypeInfo, refused_import, resolve_schema, wellknown_text
from .rules import RULES, to_finding_args

__all__ = [
    "COMPATIBLE_CHANGES",
    "Difference",
    "ProtobufFormat",
    "ProtobufSchema",
    "local_imports",
    "schema_diff",
]


class ProtobufSchema(ParsedSchema):
    """A parsed, resolved ``.proto`` file: its own elements and every type it can see."""

    __slots__ = ("imported", "lenient_imports", "main", "types")

    def __init__(
        self,
        text: str,
        path: str | None,
        main: ProtoFile,
        types: dict[str, TypeInfo],
        lenient_imports: set[str],
        imported: list[str],
    ) -> None:
        super().__init__(text, path)
        self.main = main
        self.types = types
        self.lenient_imports = lenient_imports
        self.imported = imported

    def locate(self, schema_path: str) -> tuple[int, int] | None:
        """(line, column) of a message, enum, field, oneof or enum value by dotted name."""
        info = self.types.get(schema_path)
        if info is not None and info.ref == "":
            return info.node.line, info.node.column
        parent, _, leaf = schema_path.rpartition(".")
        info = self.types.get(parent)
        if info is None or info.ref != "":
            return None
        node = info.node
        members = node.all_fields() + list(node.oneofs) if isinstance(node, MessageDef) else node.values
        for m in members:
            if m.name == leaf:
                return m.line, m.column
        return None


class ProtobufFormat(Format):
    """Protobuf schemas (``.proto``), with Confluent Schema Registry's compatibility rules."""

    name = "protobuf"
    schema_type = "PROTOBUF"
    extensions = (".proto",)
    rules = RULES + ADVISORY_RULES

    def parse(
        self,
        text: str,
        *,
        path: str | None = None,
        references: Mapping[str, str] | None = None,
    ) -> ProtobufSchema:
        """Parse and resolve ``text``; ``references`` maps import names to file texts.

        :raises SchemaParseError: syntax errors, missing imports, unknown types,
            duplicate numbers or names, with the file and line.
        """
        main = parse_proto(text, origin="", label=path)
        types, lenient, imported = resolve_schema(main, references, path)
        return ProtobufSchema(text, path, main, types, lenient, imported)

    def compare(self, reader: ParsedSchema, writer: ParsedSchema, *, local: Side) -> list[Finding]:
        """Findings for every incompatible change from ``writer`` to ``reader``."""
        assert isinstance(reader, ProtobufSchema) and isinstance(writer, ProtobufSchema)
        main = (reader if local == "reader" else writer).main
        findings = []
        diffs = schema_diff(writer, reader)
        for d in diffs:
            args = to_finding_args(d, local, main)
            if args is not None:
                findings.append(Finding(**args))
        return findings + advisories(diffs, local)

    def local_imports(
        self,
        path: Path,
        text: str,
        import_roots: list[Path],
        read: Callable[[Path], str | None] | None = None,
        *,
        label: str | None = None,
        boundary: list[Path] | None = None,
    ) -> dict[str, str]:
        """Texts of the local files ``text`` imports, transitively (see :func:`local_imports`).

        ``boundary`` (the repository) is accepted for the signature all formats share: an
        import is only ever read under the import roots and the importing file's folder.
        """
        if read is None:
            return local_imports(path, text, import_roots, label=label)
        return local_imports(path, text, import_roots, read, label=label)

    def reference_names(self, text: str) -> list[str]:
        """The import names of ``text`` that :meth:`local_imports` looks up as files, without parsing.

        The git backend follows them to learn whether a file's whole closure is unchanged.
        """
        return [n for n in import_names(text) if wellknown_text(n) is None and refused_import(n) is None]

    def record_name(self, parsed: ParsedSchema) -> str | None:
        """The full name of the file's first message (Confluent's record name strategy)."""
        assert isinstance(parsed, ProtobufSchema)
        for node in parsed.main.types:
            if isinstance(node, MessageDef):
                return node.full_name
        return None

    def imports(self, parsed: ParsedSchema) -> list[str]:
        """Import names to register as schema references, in the order written.

        Bundled ``google/protobuf/*`` files and leniently accepted ``google/*`` or
        ``confluent/*`` ones are left out: registries know them without a reference.
        """
        assert isinstance(parsed, ProtobufSchema)
        return [
            name
            for name, _, _ in parsed.main.imports
            if name not in parsed.lenient_imports and wellknown_text(name) is None
        ]

"""The parsed form of a ``.proto`` file: packages, messages, enums, fields, oneofs.

Plain slotted classes built by :mod:`.parser`. Every element keeps the 1-based
line and column where it is declared and the file it comes from (``origin``:
``""`` for the schema itself, the import name for an imported file), so that a
finding can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SCALARS",
    "EnumDef",
    "EnumValue",
    "FieldDef",
    "MessageDef",
    "OneofDef",
    "ProtoFile",
]

SCALARS = frozenset(
    {
        "double",
        "float",
        "int32",
        "int64",
        "uint32",
        "uint64",
        "sint32",
        "sint64",
        "fixed32",
        "fixed64",
        "sfixed32",
        "sfixed64",
        "bool",
        "string",
        "bytes",
    }
)


@dataclass(eq=False, slots=True)
class FieldDef:
    """A field: ``label type name = number [options];`` or ``map<K, V> name = number;``.

    ``label`` is ``None`` when none is written (proto3 implicit presence, map and
    oneof fields). ``type`` is the type as written; ``resolved`` its full name
    (without leading dot) when it names a message or enum, else ``None``.
    """

    name: str
    number: int
    label: str | None
    type: str
    line: int
    column: int
    origin: str = ""
    key_type: str | None = None
    value_type: str | None = None
    resolved: str | None = None
    value_resolved: str | None = None
    oneof: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        """True for ``map<K, V>`` fields."""
        return self.key_type is not None


@dataclass(eq=False, slots=True)
class OneofDef:
    """A ``oneof name { ... }`` block and the fields it holds."""

    name: str
    fields: list[FieldDef]
    line: int
    column: int
    origin: str = ""


@dataclass(eq=False, slots=True)
class EnumValue:
    """One enum constant: ``NAME = number;``."""

    name: str
    number: int
    line: int
    column: int
    origin: str = ""


@dataclass(eq=False, slots=True)
class EnumDef:
    """An enum with its constants, reserved numbers and names."""

    name: str
    full_name: str
    values: list[EnumValue]
    line: int
    column: int
    origin: str = ""
    reserved_numbers: list[tuple[int, int]] = field(default_factory=list)
    reserved_names: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class MessageDef:
    """A message: its fields outside oneofs, its oneofs and its nested types.

    ``types`` keeps nested messages and enums in declaration order (the order
    matters for Confluent's message indexes).
    """

    name: str
    full_name: str
    line: int
    column: int
    origin: str = ""
    fields: list[FieldDef] = field(default_factory=list)
    oneofs: list[OneofDef] = field(default_factory=list)
    types: list[MessageDef | EnumDef] = field(default_factory=list)
    reserved_numbers: list[tuple[int, int]] = field(default_factory=list)
    reserved_names: list[str] = field(default_factory=list)
    extension_ranges: list[tuple[int, int]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def is_map_entry(self) -> bool:
        """True for a message declared with ``option map_entry = true``."""
        return self.options.get("map_entry") is True

    def all_fields(self) -> list[FieldDef]:
        """Every field, oneof members included."""
        out = list(self.fields)
        for oneof in self.oneofs:
            out.extend(oneof.fields)
        return out


@dataclass(eq=False, slots=True)
class ProtoFile:
    """One parsed ``.proto`` file, before imports are resolved."""

    origin: str
    syntax: str
    package: str
    imports: list[tuple[str, int, int]] = field(default_factory=list)
    types: list[MessageDef | EnumDef] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    package_line: int = 1
    package_column: int = 1
    syntax_line: int = 1
